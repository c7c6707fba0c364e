"""Exact priors over functions of tiny quantized neural networks.

Users write ``from enumerate import NetworkSpec, count_prior`` (never a bare
``import enumerate``, which would hide the builtin in their module). Every name in
``__all__`` is the public library API; importing the package is cheap (the counters,
numba kernels and posterior code load on first use). The exact posterior of one
training set is ``PosteriorFamily.of(prior, target).given(S)`` (the function
``enumerate.analysis.posterior.posterior`` is not re-exported: its name is its module's).

>>> from enumerate import NetworkSpec, count_prior
>>> prior = count_prior(NetworkSpec.parse("fc:2,1", "-1,0,1", "sign", "01"), progress=False)
>>> prior.num_functions
13
"""

from ._support.aliases import install as _install_aliases
from ._support.lazy import lazy_exports
from .core.spec import (
    Activation,
    Architecture,
    Domain,
    NetworkSpec,
    QSet,
    SpecError,
    parse_activation,
    parse_arch,
    parse_domain,
    parse_q,
)
from .results.prior import FunctionPrior
from .core.teacher import Teacher, make_teacher

#: public names loaded on first use: name -> module (keeps ``from enumerate import ...`` cheap)
_LAZY = {
    "count_prior": "counting.dispatch",
    "METHODS": "counting.dispatch",
    "DEFAULT_METHOD": "counting.dispatch",
    "BudgetError": "counting.budget",
    "fast_supported": "counting.fast",
    "PosteriorFamily": "analysis.posterior",
    "Posterior": "analysis.posterior",
    "CurvePoint": "analysis.posterior",
    "Estimate": "analysis.posterior",
    "learning_curve": "analysis.posterior",
    "lemma_sample_size": "analysis.posterior",
    "guess_and_check": "analysis.sampler",
    "guess_and_check_curve": "analysis.sampler",
    "SamplerResult": "analysis.sampler",
}

__all__ = [
    "Activation",
    "Architecture",
    "BudgetError",
    "CurvePoint",
    "DEFAULT_METHOD",
    "Domain",
    "Estimate",
    "FunctionPrior",
    "METHODS",
    "NetworkSpec",
    "Posterior",
    "PosteriorFamily",
    "QSet",
    "SamplerResult",
    "SpecError",
    "Teacher",
    "count_prior",
    "fast_supported",
    "guess_and_check",
    "guess_and_check_curve",
    "learning_curve",
    "lemma_sample_size",
    "make_teacher",
    "parse_activation",
    "parse_arch",
    "parse_domain",
    "parse_q",
]

__getattr__, __dir__ = lazy_exports(globals(), __name__, _LAZY)

#: module paths of earlier releases (shown in their docs) -> where the module lives now
MOVED = {
    "spec": "core.spec",
    "reference": "core.reference",
    "teacher": "core.teacher",
    "prior": "results.prior",
    "classes": "results.prior",
    "brute": "counting.brute",
    "fast": "counting.fast",
    "perceptron": "counting.perceptron",
    "distributed": "counting.distributed",
    "posterior": "analysis.posterior",
    "noisy": "analysis.noisy",
    "sampler": "analysis.sampler",
    "simplicity": "analysis.simplicity",
    "simplicity_plots": "analysis.plots",
    "complexity": "analysis.complexity",
    "continuous": "analysis.continuous",
}
_install_aliases(__name__, MOVED)

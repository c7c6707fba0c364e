"""Exact priors over functions of tiny quantized neural networks.

Users write ``from enumerate import NetworkSpec, count_prior`` (never a bare
``import enumerate``, which would hide the builtin in their module).

>>> from enumerate import NetworkSpec, count_prior
>>> prior = count_prior(NetworkSpec.parse("fc:2,1", "-1,0,1", "sign", "01"), progress=False)
>>> prior.num_functions
13
"""

from .prior import FunctionPrior
from .spec import (
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

__all__ = [
    "Activation",
    "Architecture",
    "Domain",
    "FunctionPrior",
    "NetworkSpec",
    "QSet",
    "SpecError",
    "count_prior",
    "parse_activation",
    "parse_arch",
    "parse_domain",
    "parse_q",
]

METHODS = ("brute", "fast", "classes", "auto")


def count_prior(spec, method="brute", scheduler=None, **options):
    """The exact :class:`FunctionPrior` of ``spec``.

    ``method`` is ``"brute"`` (enumerate every setting), ``"fast"`` (structured exact
    counter), ``"classes"`` (symmetry-reduced perceptron counter; the result is a
    :class:`~enumerate.classes.ClassPrior` with the same queries) or ``"auto"`` (the
    fastest exact method for the spec). ``options`` go to the counter (``progress``,
    ``force``, ``checkpoint``, ``threads`` ...). ``scheduler`` (a
    ``distributed.Client``, a scheduler address, or ``"local"``) runs brute force on Dask
    (see :func:`enumerate.distributed.count_distributed`); ``"auto"`` then means brute force.
    """
    if method not in METHODS:
        raise SpecError("--method", f"unknown method {method!r}; allowed: {', '.join(METHODS)}")
    if scheduler is not None:
        if method in ("fast", "classes"):
            raise SpecError("--dask", f"runs --method brute only; the {method} counter runs in-process (drop --dask)")
        from .distributed import count_distributed

        return count_distributed(spec, scheduler, **{k: v for k, v in options.items() if k != "threads"})
    from .brute import count_brute
    from .fast import count_fast, fast_supported
    from .perceptron import count_classes, prefer_classes

    if method == "classes" or (method == "auto" and prefer_classes(spec)):
        return count_classes(spec)
    if method == "brute" or (method == "auto" and not fast_supported(spec)):
        return count_brute(spec, **options)
    return count_fast(spec, **_only(options, ("progress", "force", "checkpoint")))


def _only(options, keys):
    return {k: v for k, v in options.items() if k in keys}

"""Symmetry-reduced exact counter for the perceptron ``fc:d,1`` on the cube domains.

Permuting the inputs permutes the weights, so it is enough to visit each *sorted* weight
vector w_1 <= ... <= w_d once, with its multiplicity d! / prod(m_v!) (m_v = how often
value v occurs), and every bias. On ``pm1`` with Q = -Q, flipping an input negates its
weight: visit the multisets of |w| (as the non-positive weights -|w|) with an extra
factor 2 per nonzero weight.

Why one table per class: when w_i <= w_j, swapping inputs i and j can only raise w . x
where x_i = 1 > x_j = 0 (the table is *regular*: input j is at least as strong as i).
Inputs a threshold table treats alike (swapping them changes nothing) form runs of the
sorted order, so all sorted weight vectors of one orbit give the same table, the
*regular representative* of the orbit; its stabilizer is the product of the symmetric
groups of the runs (and the flips of the irrelevant inputs), which gives the class size
(:func:`~enumerate.counting.kernels.perceptron.orbit_sizes`). For two-valued labels the regular
representative is the smallest table string of its orbit (checked against brute force
in the tests); under zero-label rule ``0`` the canonical table is found by searching the
orbit. The count of each table of a class is (sum of multiplicities) / (class size).

Arithmetic is exact integer arithmetic on :class:`~enumerate.core.lattice.IntegerPlan`'s
lattice; counts are int64 (the counter refuses |Q|^P >= 2^63).

>>> from enumerate import NetworkSpec
>>> from enumerate.counting.brute import count_brute
>>> spec = NetworkSpec.parse("fc:3,1", "-1,0,1/2,1", "sign", "01")
>>> cp = count_classes(spec)
>>> cp.num_classes, cp.num_functions, cp.expand().counts == count_brute(spec, progress=False).counts
(21, 57, True)
"""

from __future__ import annotations

import sys
import time
from math import comb

import numpy as np

from .._support.errors import SpecError
from ..core.cube import pack_tables, symmetry_group, unpack_tables
from ..core.lattice import IntegerPlan
from ..results.memory import peak_rss_meta
from ..results.prior import ClassPrior
from .._support.child import run_in_child
from .budget import DEFAULT_MAX_SECONDS, Cost, check_cost

__all__ = ["count_classes", "classes_supported", "prefer_classes", "estimate_classes", "check_classes_budget",
           "MAX_DIM"]

#: largest input dimension (2^d points per table)
MAX_DIM = 12
#: ``--method auto`` uses the class counter from this many inputs on
AUTO_MIN_DIM = 3
#: seconds per (sorted weight vector, bias value) step: the slower of the 7-input
#: benchmark runs (b = 4: 9e-7 s, b = 5: 3.5e-7 s on one core), rounded up
SECONDS_PER_STEP = 1e-6
#: runs estimated above this many seconds count in a child process, which Ctrl-C ends at once
#: (a numba kernel cannot see a KeyboardInterrupt until it returns)
CHILD_SECONDS = 5.0


def classes_supported(spec) -> bool:
    """True when :func:`count_classes` handles ``spec``: ``fc:d,1`` on ``01``/``pm1``
    with d <= 12 and |Q|^P < 2^63.

    >>> from enumerate import NetworkSpec
    >>> classes_supported(NetworkSpec.parse("fc:7,1", "grid:3")), classes_supported(NetworkSpec.parse("fc:2,2,1", "-1,0,1"))
    (True, False)
    """
    arch = spec.arch
    return (arch.kind == "fc" and len(arch.widths) == 2 and spec.domain.kind in ("01", "pm1")
            and arch.input_dim <= MAX_DIM and spec.total < 2**63)


def prefer_classes(spec) -> bool:
    """``--method auto`` picks the class counter for perceptrons with at least
    :data:`AUTO_MIN_DIM` inputs (where it is the fastest exact method; see the benchmarks).

    >>> from enumerate import NetworkSpec
    >>> prefer_classes(NetworkSpec.parse("fc:7,1", "grid:3")), prefer_classes(NetworkSpec.parse("fc:2,1", "grid:3"))
    (True, False)
    """
    return classes_supported(spec) and spec.arch.input_dim >= AUTO_MIN_DIM


def estimate_classes(spec) -> dict:
    """Cost of :func:`count_classes` stated up front: the sorted weight vectors to visit,
    the steps (vectors times bias values) and the estimated ``seconds``.

    >>> from enumerate import NetworkSpec
    >>> est = estimate_classes(NetworkSpec.parse("fc:7,1", "int:1", "sign", "01"))
    >>> est["sorted_weight_vectors"], est["steps"]
    (36, 108)
    """
    if not classes_supported(spec):
        err = SpecError("--method", "the class counter handles fc:D,1 on 01 or pm1 with D <= "
                        f"{MAX_DIM} and |Q|^P < 2^63, not {spec.arch} on {spec.domain.kind}")
        err.unsupported = "classes"  # count_prior adds which method can count it
        raise err
    q = spec.q.values
    values = sum(1 for v in q if v <= 0) if symmetry_group(spec).flips else len(q)
    vectors = comb(values + spec.arch.input_dim - 1, spec.arch.input_dim)
    steps = vectors * len(q)
    return {"sorted_weight_vectors": vectors, "steps": steps, "seconds": steps * SECONDS_PER_STEP}


def check_classes_budget(spec, force=False, max_seconds=DEFAULT_MAX_SECONDS):
    """Estimate the cost (:func:`estimate_classes`) and raise
    :class:`~enumerate.BudgetError` above ``max_seconds`` unless ``force``.

    >>> from enumerate import NetworkSpec
    >>> check_classes_budget(NetworkSpec.parse("fc:7,1", "int:31"))
    Traceback (most recent call last):
    ...
    enumerate.BudgetError: force: the class counter on fc:7,1 visits 1,078,897,248 sorted weight vectors x 63 biases, estimated at ~18.9 h, above the budget of 60 min; pass force=True to run it
    """
    est = estimate_classes(spec)
    work = f"visits {est['sorted_weight_vectors']:,} sorted weight vectors x {len(spec.q.values)} biases"
    check_cost(spec, Cost("class", work, est["seconds"], None), force=force, max_seconds=max_seconds)
    return est


def _count_sorted(*args):
    from .kernels.perceptron import count_sorted

    return count_sorted(*args)


def _interruptible(seconds, *args):
    """:func:`~enumerate.counting.kernels.perceptron.count_sorted` on ``args``; a run estimated
    above :data:`CHILD_SECONDS` goes to a child process, so that Ctrl-C ends it at once
    (the pool is terminated when the wait is interrupted)."""
    if seconds <= CHILD_SECONDS:
        return _count_sorted(*args)
    return run_in_child(_count_sorted, *args)


def count_classes(spec, progress=None, *, force=False, max_seconds=DEFAULT_MAX_SECONDS):
    """The exact prior of a perceptron as a :class:`~enumerate.results.classes.ClassPrior`.

    Parameters
    ----------
    spec : NetworkSpec
        ``fc:d,1`` on the ``01`` or ``pm1`` cube (see :func:`classes_supported`).
    progress : bool or None
        State the estimated cost on stderr (None: only when stderr is a terminal).
    force, max_seconds
        The cost is estimated first (:func:`estimate_classes`); above ``max_seconds`` the
        run raises :class:`~enumerate.BudgetError` unless ``force``. Long runs count
        in a child process, so Ctrl-C stops them within a second.

    Returns
    -------
    ClassPrior
        ``method="classes"``; ``meta`` has the elapsed time and the number of sorted
        weight vectors visited.
    """
    from .kernels.perceptron import orbit_sizes

    est = check_classes_budget(spec, force=force, max_seconds=max_seconds)
    if progress or (progress is None and sys.stderr.isatty()):
        print(f"class counter: {est['sorted_weight_vectors']:,} sorted weight vectors x {len(spec.q.values)} biases, "
              f"estimated ~{est['seconds']:.3g} s", file=sys.stderr)
    t0 = time.perf_counter()
    plan = IntegerPlan.of(spec)
    group = symmetry_group(spec)
    d = spec.arch.input_dim
    qi = np.array(plan.qi, np.int64)
    vals = qi[qi <= 0] if group.flips else qi
    bias = qi * plan.out_bias_mult
    lo, hi = (0, 1) if spec.domain.kind == "01" else (-1, 1)
    zl = {"-1": 0, "+1": 1, "0": 2}[spec.zero_label]
    keys, sums = _interruptible(est["seconds"], vals, bias, d, lo, hi, zl, group.flips)
    P = 2 if zl == 2 else 1
    sizes = orbit_sizes(keys, d, P, group.flips)
    if (sums % sizes).any():  # an internal invariant, never expected to fire
        raise AssertionError("a class total is not a multiple of its class size")
    tables = keys.reshape(len(keys), P, -1)
    if zl == 2:  # the regular representative is not always the smallest string here
        n = len(spec.domain)
        tables = pack_tables([group.canonical(t) for t in unpack_tables(tables, n)], spec.zero_label)
    meta = {"elapsed_s": time.perf_counter() - t0, "sorted_weight_vectors": est["sorted_weight_vectors"],
            **peak_rss_meta()}
    prior = ClassPrior(spec, tables, sizes, sums // sizes, "classes", meta, group)
    if prior.covered != spec.total:  # an internal invariant, never expected to fire
        raise AssertionError(f"class counter covered {prior.covered} of {spec.total} settings")
    return prior

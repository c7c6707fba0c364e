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

from .._support.cores import workers
from .._support.errors import SpecError
from .._support.progress import progress_bar
from .._support.threads import run_jobs
from ..core.cube import pack_tables, symmetry_group, unpack_tables
from ..core.lattice import IntegerPlan
from ..results.memory import peak_rss_meta
from ..results.prior import ClassPrior
from ..results.table_store import TableStore
from .sorted_vectors import unrank
from .budget import DEFAULT_MAX_SECONDS, Cost, check_cost

__all__ = ["count_classes", "classes_supported", "prefer_classes", "estimate_classes", "check_classes_budget",
           "MAX_DIM", "kernel_args", "block_plan", "count_range", "class_prior", "BLOCK_STEPS", "SECONDS_PER_STEP"]

#: largest input dimension (2^d points per table)
MAX_DIM = 12
#: ``--method auto`` uses the class counter from this many inputs on
AUTO_MIN_DIM = 3
#: seconds of one core per (sorted weight vector, bias value) step: the slower of the 7-input
#: benchmark runs on the nearly idle machine (benchmarks/classes_dask.py: 4-bit grid 1.9e-7 s,
#: 5-bit 6.6e-8 s, 6-bit 4.9e-8 s of worker CPU per step), rounded up; a loaded machine is slower
SECONDS_PER_STEP = 2e-7
#: (vector, bias) steps per block of the in-process run: about 0.1 s of one core, the longest
#: a Ctrl-C waits (a numba kernel cannot see a KeyboardInterrupt until it returns)
BLOCK_STEPS = 2**22
#: fewest blocks of a default plan (load balance over the threads)
MIN_BLOCKS = 16
#: largest presized map of one block (:func:`count_range`; 2^21 rows of 128-point tables):
#: measured on the 5-bit fc:7,1 blocks, a fresh map of 2^16 rows grown to 2^21 costs 4% more
#: kernel time than one made at 2^21
MAP_BYTES = 2**26


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
    enumerate.BudgetError: force: the class counter on fc:7,1 visits 1,078,897,248 sorted weight vectors x 63 biases, estimated at ~3.8 h, above the budget of 60 min; pass force=True to run it
    """
    est = estimate_classes(spec)
    work = f"visits {est['sorted_weight_vectors']:,} sorted weight vectors x {len(spec.q.values)} biases"
    check_cost(spec, Cost("class", work, est["seconds"], None), force=force, max_seconds=max_seconds)
    return est


def kernel_args(spec) -> tuple:
    """The arguments of :func:`~enumerate.counting.kernels.perceptron.count_block` for ``spec``
    (before the block): the weight values, the biases, ``d``, the cube's two coordinates,
    the zero-label code and whether input flips are a symmetry.

    >>> from enumerate import NetworkSpec
    >>> vals, bias, d, lo, hi, zl, flips = kernel_args(NetworkSpec.parse("fc:2,1", "-1,0,1", "sign", "pm1"))
    >>> vals.tolist(), bias.tolist(), d, lo, hi, zl, flips
    ([-1, 0], [-1, 0, 1], 2, -1, 1, 0, True)
    """
    plan = IntegerPlan.of(spec)
    group = symmetry_group(spec)
    qi = np.array(plan.qi, np.int64)
    vals = qi[qi <= 0] if group.flips else qi
    lo, hi = (0, 1) if spec.domain.kind == "01" else (-1, 1)
    zl = {"-1": 0, "+1": 1, "0": 2}[spec.zero_label]
    return vals, qi * plan.out_bias_mult, spec.arch.input_dim, lo, hi, zl, bool(group.flips)


def block_plan(spec, blocks=None, steps_per_block=BLOCK_STEPS):
    """The class counter's enumeration cut into ``blocks`` rank ranges of sorted weight
    vectors (a :class:`~enumerate.counting.distributed.ShardPlan` over the vectors), by
    default about ``steps_per_block`` (vector, bias) steps each; depends on the spec only.

    >>> from enumerate import NetworkSpec
    >>> block_plan(NetworkSpec.parse("fc:3,1", "-1,0,1"), blocks=4)
    ShardPlan(total_steps=10, shards=4)
    """
    from .distributed import ShardPlan

    est = estimate_classes(spec)
    vectors = est["sorted_weight_vectors"]
    if blocks is None:
        blocks = max(MIN_BLOCKS, -(-est["steps"] // steps_per_block))
    elif isinstance(blocks, bool) or not isinstance(blocks, int) or blocks < 1:
        raise SpecError("blocks", f"{blocks!r}: need a positive integer")
    return ShardPlan(vectors, min(blocks, vectors))


def _start(args, start):
    vals, d = args[0], args[2]
    return np.array(unrank(start, len(vals), d), np.int64)


def _count_block(args, start, stop, tab, size):
    """Add the sorted weight vectors of ranks ``[start, stop)`` to the map ``tab``."""
    from .kernels.perceptron import count_block

    return count_block(*args, _start(args, start), stop - start, tab, size)


def _planes(args):
    return 2 if args[5] == 2 else 1


def _new_map(args, steps=0):
    """An empty map for the kernel; ``steps`` (the block's (vector, bias) steps, an upper
    bound of its tables) presizes it, up to :data:`MAP_BYTES`, so that a fresh map per block
    is not rehashed as it fills (the Dask tasks; the threads keep one map each)."""
    from .kernels.perceptron import new_map

    words = _planes(args) * (((1 << args[2]) + 63) // 64)  # words per plane, times the planes
    rows = min(2 * steps, MAP_BYTES // (8 * (words + 1)))  # a map is grown when half full
    return new_map(words, 1 << max(16, rows.bit_length() - 1))


def _rows(tab, args):
    """(tables, counts) of a kernel map, the tables in the cube's point order."""
    from .kernels.perceptron import standard_keys

    tables, counts = TableStore.hashmap_rows(tab, _planes(args))
    flat = np.ascontiguousarray(tables.reshape(len(tables), tables.shape[1] * tables.shape[2]))
    return standard_keys(flat, args[2], _planes(args)).reshape(tables.shape), counts


def count_range(spec, start, stop, args=None):
    """The partial class prior of the sorted weight vectors of ranks ``[start, stop)``: a
    :class:`~enumerate.results.table_store.TableStore` of regular representatives with the
    settings each stands for (not yet divided by class sizes). Partials of disjoint ranges
    add up (:meth:`~enumerate.results.table_store.TableStore.merge`) to the whole count.

    >>> from enumerate import NetworkSpec
    >>> spec = NetworkSpec.parse("fc:2,1", "-1,0,1", "sign", "01")
    >>> a, b = count_range(spec, 0, 2), count_range(spec, 2, 6)
    >>> a.covered() + b.covered() == spec.total == count_range(spec, 0, 6).covered()
    True
    """
    args = kernel_args(spec) if args is None else args
    tab, _ = _count_block(args, start, stop, _new_map(args, (stop - start) * len(args[1])), 0)
    return TableStore.from_unsorted(*_rows(tab, args), len(spec.domain))


def _count_threads(spec, args, plan, threads, bar):
    """Every block of ``plan`` on ``threads`` threads (:func:`~enumerate._support.threads.run_jobs`;
    numba releases the GIL), each block added to a free map of its own; the maps are merged
    at the end. Ctrl-C stops after the blocks in flight (a tenth of a second each)."""
    import threading

    states = [[_new_map(args), 0] for _ in range(min(threads, plan.shards))]
    free, lock = list(range(len(states))), threading.Lock()

    def block(i):
        def job():
            with lock:
                s = free.pop()
            states[s][:] = _count_block(args, *plan.bounds(i), *states[s])
            with lock:
                free.append(s)
                bar.update(1)
        return job

    run_jobs([block(i) for i in range(plan.shards)], threads)
    parts = [_rows(tab, args) for tab, _ in states]
    del states
    return TableStore.from_parts(parts, len(spec.domain), spec.zero_label)


def class_prior(spec, store, meta=None) -> ClassPrior:
    """The :class:`~enumerate.results.prior.ClassPrior` of the merged partials of every
    block (:func:`count_range`): class sizes, canonical tables, counts per table; checks
    that every setting was counted exactly once.

    >>> from enumerate import NetworkSpec
    >>> spec = NetworkSpec.parse("fc:2,1", "-1,0,1", "sign", "01")
    >>> class_prior(spec, count_range(spec, 0, 6)).num_functions
    13
    """
    from .kernels.perceptron import orbit_sizes

    if store.covered() != spec.total:  # every block exactly once
        raise AssertionError(f"class counter covered {store.covered()} of {spec.total} settings")
    group = symmetry_group(spec)
    d, P = spec.arch.input_dim, store.planes
    keys = np.ascontiguousarray(store.tables.reshape(len(store), -1))
    sums = np.asarray(store.counts, np.int64)
    sizes = orbit_sizes(keys, d, P, group.flips)
    if (sums % sizes).any():  # an internal invariant, never expected to fire
        raise AssertionError("a class total is not a multiple of its class size")
    tables = store.tables
    if spec.zero_label == "0":  # the regular representative is not always the smallest string here
        tables = pack_tables([group.canonical(t) for t in unpack_tables(tables, len(spec.domain))], spec.zero_label)
    prior = ClassPrior(spec, tables, sizes, sums // sizes, "classes", meta, group)
    if prior.covered != spec.total:  # an internal invariant, never expected to fire
        raise AssertionError(f"class counter covered {prior.covered} of {spec.total} settings")
    return prior


def count_classes(spec, progress=None, *, force=False, max_seconds=DEFAULT_MAX_SECONDS, threads=None, blocks=None):
    """The exact prior of a perceptron as a :class:`~enumerate.results.classes.ClassPrior`.

    Parameters
    ----------
    spec : NetworkSpec
        ``fc:d,1`` on the ``01`` or ``pm1`` cube (see :func:`classes_supported`).
    progress : bool or None
        State the estimated cost on stderr (None: only when stderr is a terminal).
    force, max_seconds
        The cost is estimated first (:func:`estimate_classes`); above ``max_seconds`` the
        run raises :class:`~enumerate.BudgetError` unless ``force``.
    threads : int or None
        Threads (default: every core, :func:`~enumerate._support.cores.workers`). The
        enumeration is cut into blocks of ranks of sorted weight vectors
        (:func:`block_plan`, about a tenth of a second each); each thread counts blocks
        into its own map and the maps are merged by adding counts, so every number of
        threads gives the same counts. Ctrl-C stops after the blocks in flight.
    blocks : int or None
        Number of blocks (default: :func:`block_plan`).

    Returns
    -------
    ClassPrior
        ``method="classes"``; ``meta`` has the elapsed time, the number of sorted
        weight vectors visited, the threads and the blocks.
    """
    est = check_classes_budget(spec, force=force, max_seconds=max_seconds)
    threads = workers(threads)
    show = progress or (progress is None and sys.stderr.isatty())
    if show:
        print(f"class counter: {est['sorted_weight_vectors']:,} sorted weight vectors x {len(spec.q.values)} biases, "
              f"estimated ~{est['seconds']:.3g} s on one core", file=sys.stderr)
    t0 = time.perf_counter()
    args = kernel_args(spec)
    plan = block_plan(spec, blocks)
    bar = progress_bar(total=plan.shards, desc=f"classes {spec.arch}", enabled=show and plan.shards > 1, unit="block")
    try:
        store = _count_threads(spec, args, plan, threads, bar)
    finally:
        bar.close()
    meta = {"elapsed_s": time.perf_counter() - t0, "sorted_weight_vectors": est["sorted_weight_vectors"],
            "threads": threads, "blocks": plan.shards}
    prior = class_prior(spec, store, meta)
    prior.meta.update(peak_rss_meta())
    return prior

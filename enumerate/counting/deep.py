"""Exact class-form priors of networks with two hidden layers on the cube domains.

For ``fc:d,k1,k2,1`` (and ``sfc:d,k1,k2,1``) layer-1 unit i has the vector
``h_i = sigma(w_i . x + b_i)`` on the domain (``gamma_i sigma(...)`` with a scale). Then:

* a layer-2 unit's pre-activation is ``b + sum_i u_i h_i``, with its own iid weights; so the
  layer-2 units are iid *given the multiset* of layer-1 vectors (permuting the layer-1 units
  permutes the layer-2 weight columns: a bijection of settings);
* m layer-1 units with one vector h add ``(u_1 + ... + u_m) h``: the law of a sum of m iid
  weights (:func:`~enumerate.counting.kernels.deep.sum_laws`). When Q = -Q, a unit with
  vector -h adds ``-u h``, equal in law to ``u h``: h and -h form one *class*;
* layer-1 multisets of classes are enumerated one per orbit of the input symmetry group
  (the lexicographically smallest sorted tuple of its orbit), weighted by the orbit size,
  the number of orderings and the classes' multiplicities;
* for each, the exact law of one layer-2 unit's contribution ``v sigma(z)`` (``v gamma
  sigma(z)``) is built, and the output stage is the one of
  :mod:`enumerate.counting.hidden`: every multiset of k2 contributions with its orderings,
  one table per readout bias, each table brought to its class.

Counts are exact (int64 below 2^63, else residues modulo primes and the Chinese
remainder theorem); arithmetic follows :class:`~enumerate.core.lattice.IntegerPlan`.

>>> from enumerate import NetworkSpec
>>> from enumerate.counting.brute import count_brute
>>> spec = NetworkSpec.parse("fc:2,2,2,1", "-1,0,1", "sign", "01")
>>> cp = count_deep(spec, progress=False)
>>> cp.num_functions, cp.expand().counts == count_brute(spec, progress=False).counts
(16, True)
"""

from __future__ import annotations

import math
import sys
import threading
import time

import numpy as np

from .._support.cores import workers
from .._support.errors import SpecError
from .._support.threads import run_jobs
from ..core.cube import CubeGroup, symmetry_group
from ..core.lattice import IntegerPlan
from .budget import DEFAULT_MAX_BYTES, DEFAULT_MAX_SECONDS, Cost, check_cost, fmt_seconds
from .fast import primes_for
from .hidden import BASE_BYTES, FLUSH_AT, MAX_DIM, MAX_GROUP, MAX_UNIT_SETTINGS, class_prior, map_bytes, run_counter

__all__ = ["count_deep", "deep_supported", "prefer_deep", "estimate_deep", "check_deep_budget", "DeepUnits",
           "MAX_LAYER1"]

#: widest first hidden layer (W1! must stay below 2^63)
MAX_LAYER1 = 20
#: a layer-2 unit's contribution counts (|Q|^(k1 + 1) settings times the readout factors) stay below this
MAX_LAYER2_SETTINGS = 2**62
#: CPU seconds per unit of work (divided by the threads for the estimate), fitted to the
#: measured runs of benchmarks/results/hidden.json (a shared, loaded 2-core machine):
#: per (tuple visited x group element x k1); per (layer-2 law leaf x point), from
#: fc:2,8,2,1 and fc:2,10,2,1 (2.6e-8); per (box step x residue), the same runs (2.7e-8);
#: per (output multiset x readout bias x point) on tables, fc:4,3,2,1 (1.7e-8)
CANON_SECONDS = 2e-9
LEAF_SECONDS = 2.6e-8
BOX_SECONDS = 2.7e-8
TABLE_SECONDS = 1.7e-8
#: the distinct contributions of a layer-2 unit are about this fraction of (readout
#: factors x distinct activation vectors); measured 0.2 to 0.25 (sign, Q = {-1,0,1})
DISTINCT_FRACTION = 0.25
#: the sums of the layer-2 contributions go on a dense box (not straight into tables) up to this many cells
MAX_BOX = 1 << 21


def deep_supported(spec) -> bool:
    """True when :func:`count_deep` handles ``spec``: ``fc:d,k1,k2,1`` or ``sfc:d,k1,k2,1`` on
    ``01``/``pm1`` with d <= 8, k1 <= :data:`MAX_LAYER1`, at most 10^8 settings (w, b) of one
    layer-1 unit and a layer-2 unit's counts below 2^62.

    >>> from enumerate import NetworkSpec
    >>> deep_supported(NetworkSpec.parse("fc:5,3,2,1", "-1,0,1")), deep_supported(NetworkSpec.parse("fc:5,3,1", "-1,0,1"))
    (True, False)
    """
    return _unsupported(spec) is None


def _unsupported(spec):
    arch = spec.arch
    if arch.kind not in ("fc", "sfc") or len(arch.widths) != 4:
        return f"two hidden layers (fc:D,K1,K2,1 or sfc:D,K1,K2,1), not {arch}"
    if spec.domain.kind not in ("01", "pm1"):
        return f"the cube domains 01 and pm1, not {spec.domain.kind}"
    d, k1 = arch.input_dim, arch.widths[1]
    q = len(spec.q)
    if d > MAX_DIM:
        return f"D <= {MAX_DIM} inputs, not {d}"
    if q ** (d + 1) > MAX_UNIT_SETTINGS:
        return f"|Q|^(D+1) <= {MAX_UNIT_SETTINGS:.0e} settings of a first-layer unit, not {q}^{d + 1}"
    if k1 > MAX_LAYER1:
        return f"a first hidden layer of at most {MAX_LAYER1} units, not {k1}"
    g = len(spec.scales) if arch.scaled else 1
    if q ** (k1 + 2) * g > MAX_LAYER2_SETTINGS:
        return f"|Q|^(K1+2) below 2^62 (a second-layer unit's counts), not {q}^{k1 + 2}"
    return None


def _require(spec):
    why = _unsupported(spec)
    if why is not None:
        raise SpecError("--method", f"the two-hidden-layer class counter handles {why}")


def prefer_deep(spec) -> bool:
    """``--method auto`` picks this counter for two hidden layers when the fast counter
    cannot run or is estimated slower (and above
    :data:`~enumerate.counting.budget.AUTO_QUICK_SECONDS`).

    >>> from enumerate import NetworkSpec
    >>> prefer_deep(NetworkSpec.parse("fc:5,3,2,1", "-1,0,1")), prefer_deep(NetworkSpec.parse("fc:2,2,2,1", "-1,0,1"))
    (True, False)
    """
    if not deep_supported(spec):
        return False
    from .budget import AUTO_QUICK_SECONDS
    from .fast import MAX_POINTS, estimate_fast, fast_supported

    if len(spec.domain) > MAX_POINTS[spec.zero_label] or not fast_supported(spec):
        return True
    fast = estimate_fast(spec)["seconds"]
    return fast > AUTO_QUICK_SECONDS and estimate_deep(spec)["seconds"] < fast


class DeepUnits:
    """The layer-1 vector classes of a two-hidden-layer network and the group acting on them.

    Attributes
    ----------
    reps : int64 (K, n)
        One vector per class (a class is {h} or, when Q = -Q, {h, -h}).
    mult : list of int
        Layer-1 unit settings (w, b[, gamma]) per class.
    zero : bool (K,)
        The class of the zero vector.
    act : int32 (G, K)
        Every element of the enumeration group acting on the classes.
    group, full : CubeGroup
        The enumeration group and the full input symmetry group (tables' classes).

    >>> from enumerate import NetworkSpec
    >>> units = DeepUnits(NetworkSpec.parse("fc:2,3,2,1", "-1,0,1"))
    >>> units.num_classes, sum(units.mult) == 3**3, units.act.shape
    (11, True, (2, 11))
    """

    def __init__(self, spec):
        from ..results._class_kernels import generators
        from .kernels.hidden import gen_images, group_closure, index_table, lookup, unit_vectors

        _require(spec)
        self.spec = spec
        plan = IntegerPlan.of(spec)
        self.plan = plan
        d = spec.arch.input_dim
        qi = np.array(plan.qi, np.int64)
        xi = np.array(plan.xi, np.int64).reshape(len(spec.domain), d)
        f = np.array(sorted(set(plan.gi)) if spec.arch.scaled else [1], np.int64)
        fm = np.array([list(plan.gi).count(v) for v in f] if spec.arch.scaled else [1], np.int64)
        vecs, total = unit_vectors(qi, xi, qi * plan.bias_mult[0], plan.act_code, plan.clamp[0], plan.leaky_pos,
                                   plan.leaky_neg, f, fm)
        n = len(spec.domain)
        self.n = n
        self.symmetric = sorted(-v for v in plan.qi) == list(plan.qi)
        tab = index_table(vecs)
        M = len(vecs)
        cls_of = np.full(M, -1, np.int64)
        reps, mult = [], []
        for i in range(M):  # a class: h, and -h when Q = -Q and it is a vector too
            if cls_of[i] >= 0:
                continue
            cls_of[i] = len(reps)
            m = int(total[i])
            if self.symmetric:
                j = int(lookup(tab, np.ascontiguousarray(-vecs[i])))
                if j >= 0 and j != i:
                    cls_of[j] = len(reps)
                    m += int(total[j])
            reps.append(vecs[i])
            mult.append(m)
        self.reps = np.array(reps, np.int64).reshape(len(reps), n)
        self.mult = mult
        self.zero = ~self.reps.any(axis=1)
        self.full = symmetry_group(spec)
        flips = self.full.flips and self.full.size <= MAX_GROUP
        self.group = CubeGroup(d, spec.domain.kind, flips=flips)
        gens = generators(d, flips)
        images = gen_images(vecs, tab, gens)
        if (images < 0).any():  # an internal invariant: the group maps settings to settings
            raise AssertionError("a layer-1 vector's image under the input symmetry is not a layer-1 vector")
        elems, act = group_closure(gens, images)
        if len(elems) != self.group.size:  # an internal invariant
            raise AssertionError(f"the generators gave {len(elems)} elements, not {self.group.size}")
        first = np.array([int(np.flatnonzero(cls_of == c)[0]) for c in range(len(reps))], np.int64)
        self.act = np.ascontiguousarray(cls_of[act[:, first]]).astype(np.int32)
        # the orbit minima: the first class of every canonical tuple is one
        self.minima = [c for c in range(self.num_classes) if int(self.act[:, c].min()) == c]

    @property
    def num_classes(self) -> int:
        return len(self.reps)


# --------------------------------------------------------------------------- cost


def _laws(units, k1):
    from .kernels.deep import sum_laws

    return sum_laws(np.array(units.plan.qi, np.int64), k1)


def _factors(spec, plan):
    """The layer-2 readout factors v (times gamma) and their multiplicities."""
    from collections import Counter

    fac = Counter(int(v) * int(g) for v in plan.qi for g in (plan.gi if spec.arch.scaled else (1,)))
    f = np.array(sorted(fac), np.int64)
    return f, np.array([fac[v] for v in f], np.int64)


def _tuples(units, k1):
    """Sorted tuples the enumeration visits (those whose first class is an orbit minimum)."""
    K = units.num_classes
    return sum(math.comb(K - a + k1 - 2, k1 - 1) for a in units.minima) if k1 > 1 else len(units.minima)


def _leaf_total(units, k1, lens):
    """Layer-2 law leaves summed over all multisets of k1 classes (before the group): the
    coefficient of x^k1 in prod over classes of sum_m L_c(m) x^m, L_c(m) the support size
    of the sum law of m weights (1 for the zero class)."""
    poly = [1] + [0] * k1
    for c in range(units.num_classes):
        term = [1 if units.zero[c] else int(lens[m]) for m in range(k1 + 1)]
        poly = [sum(poly[i] * term[j - i] for i in range(j + 1)) for j in range(k1 + 1)]
    return poly[k1]


def estimate_deep(spec, units=None) -> dict:
    """Cost of :func:`count_deep` stated before the run, from counts of the work: the
    sorted tuples visited (each checked against every group element), the canonical
    multisets (about C(K + k1 - 1, k1) / |G| + C(t + k1 - 1, k1), t orbits of classes), the layer-2 law leaves (exact over all
    multisets, divided by |G|), the output multisets (about C(L + k2 - 1, k2) per
    multiset, L the distinct contributions of a layer-2 unit, bounded by 3^n for sign and
    step) and ``seconds`` and ``bytes``.

    >>> from enumerate import NetworkSpec
    >>> est = estimate_deep(NetworkSpec.parse("fc:2,3,2,1", "-1,0,1"))
    >>> est["classes"], est["tuples"], est["group_order"]
    (11, 232, 2)
    """
    units = units or DeepUnits(spec)
    _, k1, k2, _ = spec.arch.widths
    K, G, n = units.num_classes, units.group.size, units.n
    _, _, lens = _laws(units, k1)
    tuples = _tuples(units, k1)
    states = math.comb(K + k1 - 1, k1) / G + math.comb(len(units.minima) + k1 - 1, k1)
    nb = len(spec.q)
    leaves = _leaf_total(units, k1, lens) * nb / G
    F = len(_factors(spec, units.plan)[0])
    per_state = leaves / max(states, 1)
    L = DISTINCT_FRACTION * F * min(per_state, 3.0**n if units.plan.act_code in (0, 1) else math.inf) + 1
    span = _box_span(spec, units)
    R = len(primes_for(spec.total))
    if span:  # box steps: every cell of the law of j sums times every contribution, j < k2
        cells = [min(L**j, (2 * j * (span // (2 * k2)) + 1) ** n) for j in range(k2)]
        outs = states * L * sum(cells)
        out_seconds = outs * R * BOX_SECONDS
    else:
        outs = states * math.comb(int(math.ceil(L)) + k2 - 1, k2)
        out_seconds = outs * nb * n * TABLE_SECONDS
    cpu = tuples * G * k1 * CANON_SECONDS + leaves * n * LEAF_SECONDS + out_seconds
    seconds = cpu / workers()
    P = 2 if spec.zero_label == "0" else 1
    W = P * ((n + 63) // 64)
    # the class map holds a class per orbit: at most the tables over the group order (measured
    # 3,748 and 769,576 classes for 4.8e6 and 1.3e7 estimated on fc:4,3,2,1 and fc:5,3,2,1), and at
    # most the 2^n (zero-label rule 0: 3^n) tables of n points
    classes = int(min(outs * nb / G + 1, float((3 if P == 2 else 2) ** n)))
    box = 4 * R * 8 * span**n if span else 0  # the box and the two laws of a thread
    cmap = map_bytes(classes, W, R, exact=False)  # every thread's class histogram may hold every class
    nbytes = (BASE_BYTES + G * K * 4 + workers() * (map_bytes(min(FLUSH_AT + nb, outs * nb), W, R) + cmap
                                                    + 4 * L * (n + 1) * 8 + box) + cmap // 2)
    return {"classes": K, "group_order": G, "tuples": int(tuples), "multisets": int(states), "leaves": int(leaves),
            "outputs": int(outs), "residues": R, "table_classes": classes, "seconds": seconds, "bytes": int(nbytes)}


def check_deep_budget(spec, force=False, max_seconds=DEFAULT_MAX_SECONDS, max_bytes=DEFAULT_MAX_BYTES, units=None):
    """Estimate the cost (:func:`estimate_deep`) and raise :class:`~enumerate.BudgetError`
    above ``max_seconds`` or ``max_bytes`` unless ``force``; returns the estimate.

    >>> from enumerate import NetworkSpec
    >>> check_deep_budget(NetworkSpec.parse("fc:2,3,2,1", "-1,0,1"), max_seconds=1e-9)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    enumerate.BudgetError: force: the two-hidden-layer class counter on fc:2,3,2,1 visits ~263 layer-1 multisets of 11 classes, estimated at ... above the budget of 0 s and 4 GiB; pass force=True to run it
    """
    est = estimate_deep(spec, units)
    work = f"visits ~{est['multisets']:,} layer-1 multisets of {est['classes']:,} classes"
    check_cost(spec, Cost("two-hidden-layer class", work, est["seconds"], est["bytes"], est), force=force,
               max_seconds=max_seconds, max_bytes=max_bytes)
    return est


# --------------------------------------------------------------------------- the run


def _box_span(spec, units):
    """Side of the dense box of the sums of k2 layer-2 contributions (0: too many cells)."""
    plan = units.plan
    _, k1, k2, _ = spec.arch.widths
    qmax = max(abs(v) for v in plan.qi)
    z2 = k1 * qmax * int(np.abs(units.reps).max(initial=0)) + qmax * plan.bias_mult[1]
    amax = {0: 1, 1: 1, 2: z2, 3: z2, 4: min(z2, plan.clamp[1]), 5: max(plan.leaky_pos, abs(plan.leaky_neg)) * z2}
    X = max(abs(int(f)) for f in _factors(spec, plan)[0]) * amax[plan.act_code]
    span = 2 * k2 * X + 1
    return span if span ** units.n <= MAX_BOX else 0


def _chunk_weights(units, k1):
    K = units.num_classes
    return [math.comb(K - a + k1 - 2, k1 - 1) if k1 > 1 else 1 for a in units.minima]


def _enumerate(spec, units, mods, report, threads=None):
    """Every chunk (layer-1 multisets by their first class) through the kernel, ``threads``
    at a time; returns the canonical tables, class sizes, class totals and the work counts."""
    from .kernels.deep import box_tables, count_states, sum_laws
    from .kernels.hidden import class_sizes, flush, merge_maps, new_map

    plan = units.plan
    _, k1, k2, _ = spec.arch.widths
    d, n = spec.arch.input_dim, units.n
    zl = {"-1": 0, "+1": 1, "0": 2}[spec.zero_label]
    P = 2 if zl == 2 else 1
    nw = (n + 63) // 64
    W = P * nw
    R = len(mods)
    mods_a = np.array(mods, np.int64)
    cmult = np.array([[m if p == 0 else m % p for p in mods] for m in units.mult], np.int64).reshape(-1, R)
    qi = np.array(plan.qi, np.int64)
    vals, cnts, lens = sum_laws(qi, k1)
    qpow = np.array([len(qi) ** m for m in range(k1 + 1)], np.int64)
    b2 = qi * plan.bias_mult[1]
    factors, fmult = _factors(spec, plan)
    cb = qi * plan.out_bias_mult
    flips = units.full.flips
    threads = workers(threads)
    weights = _chunk_weights(units, k1)
    span = _box_span(spec, units)
    boxes = [np.zeros((R, span ** n if span else 1), np.int64) for _ in range(threads)]
    states = [[*new_map(W, R, 1 << 12), 0, *new_map(W, R, 1 << 12), 0, np.zeros(4, np.int64)] for _ in range(threads)]
    free = list(range(threads))
    lock = threading.Lock()

    def chunk(a):
        def job():
            with lock:
                i = free.pop()
            rtab, rcnt, rsize, ctab, ccnt, csize, work = states[i]
            *state, v, s, lv, o = count_states(units.minima[a], k1, k2, units.reps, units.zero, cmult, units.act,
                                               vals, cnts, lens, qpow, b2, plan.act_code, plan.clamp[1],
                                               plan.leaky_pos, plan.leaky_neg, factors, fmult, cb, zl, d, flips,
                                               mods_a, rtab, rcnt, rsize, ctab, ccnt, csize, FLUSH_AT, span,
                                               boxes[i])
            states[i] = [*state, work + np.array([v, s, lv, o], np.int64)]
            with lock:
                free.append(i)
                report(weights[a])
        return job

    run_jobs([chunk(a) for a in sorted(range(len(weights)), key=lambda a: -weights[a])], threads)
    work = np.zeros(4, np.int64)
    if span:  # the box's sums into tables, once
        acc = boxes[0]
        for b in boxes[1:]:
            acc = acc + b if mods[0] == 0 else (acc + b) % mods_a[:, None]
        st = states[0]
        st[:6] = box_tables(acc, n, span, cb, zl, d, flips, mods_a, *st[:6], FLUSH_AT)
        del acc, boxes
    ctab, ccnt, csize = states[0][3:6]
    for i, (rtab, rcnt, rsize, ctab_i, ccnt_i, csize_i, wk) in enumerate(states):
        work += wk
        if i == 0:
            ctab, ccnt, csize = flush(rtab, rcnt, rsize, ctab, ccnt, csize, W, P, nw, d, flips, mods_a)
        else:
            ctab_i, ccnt_i, csize_i = flush(rtab, rcnt, rsize, ctab_i, ccnt_i, csize_i, W, P, nw, d, flips, mods_a)
            ctab, ccnt, csize = merge_maps(ctab, ccnt, csize, ctab_i, ccnt_i, W, mods_a)
        states[i] = None
    rows = ctab[:, W] != 0
    ids = ctab[rows, W].astype(np.int64) - 1
    keys = ctab[rows, :W].copy()
    totals = ccnt[ids].copy()
    del ctab, ccnt
    sizes = np.empty(len(keys), np.int64)
    cuts = np.linspace(0, len(keys), 16 * threads + 1).astype(np.int64)

    def canon(a, b):
        def job():
            sizes[a:b] = class_sizes(keys[a:b], P, nw, d, flips, units.full.size)
        return job

    run_jobs([canon(a, b) for a, b in zip(cuts[:-1], cuts[1:]) if b > a], threads)
    return keys, sizes, totals, [int(x) for x in work]


def count_deep(spec, progress=None, *, force=False, max_seconds=DEFAULT_MAX_SECONDS, max_bytes=DEFAULT_MAX_BYTES,
               threads=None):
    """The exact prior of a two-hidden-layer network as a :class:`~enumerate.results.prior.ClassPrior`.

    Parameters
    ----------
    spec : NetworkSpec
        ``fc:d,k1,k2,1`` or ``sfc:d,k1,k2,1`` on the ``01`` or ``pm1`` cube (see
        :func:`deep_supported`); any Q, activation and zero-label rule.
    progress : bool or None
        The estimate and a progress bar on stderr (None: only when stderr is a terminal).
    force, max_seconds, max_bytes
        The cost is estimated first (:func:`estimate_deep`); above the budget the run raises
        :class:`~enumerate.BudgetError` unless ``force``. Runs estimated above
        :data:`enumerate.counting.hidden.CHILD_SECONDS` count in a child process, so Ctrl-C stops
        them at once.
    threads : int or None
        Threads counting the chunks (default: every core); the result does not depend on it.

    Returns
    -------
    ClassPrior
        ``method="classes"``; ``meta["deep"]`` has the classes, group order, the work done
        (tuples, multisets, leaves, outputs) and the estimate.
    """
    t0 = time.perf_counter()
    units = DeepUnits(spec)
    est = check_deep_budget(spec, force, max_seconds, max_bytes, units)
    show = sys.stderr.isatty() if progress is None else progress
    if show:
        print(f"classes {spec.arch}: {est['classes']:,} layer-1 classes, {est['group_order']:,} symmetries, "
              f"~{est['multisets']:,} layer-1 multisets, estimated ~{fmt_seconds(est['seconds'])}, "
              f"~{est['bytes'] / 2**20:.0f} MiB", file=sys.stderr)
    mods = primes_for(spec.total)
    k1 = spec.arch.widths[1]
    keys, sizes, totals, done = run_counter(
        spec, lambda report: _enumerate(spec, units, mods, report, threads), est["seconds"],
        sum(_chunk_weights(units, k1)), "tuple", show)
    meta = {"elapsed_s": time.perf_counter() - t0,
            "deep": {"classes": units.num_classes, "enumeration_group_order": units.group.size,
                     "tuples": done[0], "multisets": done[1], "leaves": done[2], "outputs": done[3],
                     "residues": [int(p) for p in mods],
                     "estimate": {k: est[k] for k in ("seconds", "bytes", "tuples", "multisets", "leaves",
                                                      "outputs", "table_classes")}}}
    return class_prior(spec, keys, sizes, totals, mods, meta, units.full, "two-hidden-layer class counter")

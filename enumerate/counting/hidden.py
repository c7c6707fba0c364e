"""Exact class-form priors of networks with one hidden layer on the cube domains.

For ``fc:d,k,1`` (and ``sfc:d,k,1``) the output is ``f(x) = c + sum_j u_j(x)`` where unit
j contributes the vector ``u_j = v_j sigma(w_j . x + b_j)`` on the domain (``v_j gamma_j
sigma(...)`` with a scale). So:

* the settings (w, b, v[, gamma]) of one unit are grouped by their contribution vector,
  with exact multiplicities (:func:`~enumerate.counting.kernels.hidden.unit_vectors`);
* the table depends only on the *multiset* of the k vectors (and the readout bias c):
  multisets are enumerated with their number of orderings;
* permuting the inputs (and, on ``pm1`` with Q = -Q, flipping their signs) maps settings
  to settings and acts on the vectors and on the tables: one multiset per orbit of the
  group is visited (the first unit is an orbit representative, each next unit runs over
  the orbits of the stabilizer of the units before it), weighted by the orbit size;
* every table goes to its class (canonical table: the smallest string of its orbit,
  :func:`~enumerate.counting.kernels.hidden.canonical`), so the result is a
  :class:`~enumerate.results.prior.ClassPrior` directly;
* the chunks (multisets by their first orbit) run on every core, one histogram per
  thread, merged at the end; the classes are brought to their smallest strings on every
  core too.

The work is about (distinct unit vectors)^k / (k! |G|) multisets: ``fc:7,3,1`` on
``{-1,0,1}`` (6,307 vectors, |G| = 5040) visits about 10^7. Counts are exact: plain
int64 when ``|Q|^P < 2^63``, else residues modulo primes below 2^31 and the Chinese
remainder theorem. Arithmetic follows :class:`~enumerate.core.lattice.IntegerPlan` exactly.

>>> from enumerate import NetworkSpec
>>> from enumerate.counting.brute import count_brute
>>> spec = NetworkSpec.parse("fc:3,2,1", "-1,0,1", "sign", "01")
>>> cp = count_hidden(spec, progress=False)
>>> cp.num_classes, cp.num_functions, cp.expand().counts == count_brute(spec, progress=False).counts
(45, 146, True)
"""

from __future__ import annotations

import math
import sys
import threading
import time
from collections import Counter

import numpy as np

from .._support.child import run_in_child_reporting
from .._support.cores import workers
from .._support.errors import SpecError
from .._support.progress import progress_bar
from .._support.threads import run_jobs
from ..core.cube import CubeGroup, symmetry_group
from ..core.lattice import IntegerPlan
from ..results.prior import ClassPrior
from .budget import DEFAULT_MAX_BYTES, DEFAULT_MAX_SECONDS, Cost, check_cost, fmt_seconds
from .fast import from_residues, primes_for

__all__ = ["count_hidden", "hidden_supported", "prefer_hidden", "estimate_hidden", "check_hidden_budget",
           "HiddenUnits", "MAX_DIM", "MAX_GROUP", "MAX_UNIT_SETTINGS", "FLUSH_AT", "per_table", "run_counter",
           "class_prior", "count_chunks", "smallest_strings", "chunk_work", "chunk_settings",
           "map_bytes", "sample_tables", "extrapolate", "estimate_classes", "BASE_BYTES"]

#: largest input dimension (2^d points per table)
MAX_DIM = 8
#: ``--method auto`` considers the hidden-layer counter from this many inputs on
AUTO_MIN_DIM = 3
#: the enumeration uses the sign flips too when the whole group has at most this order
#: (beyond, the input permutations alone: the element table would not fit)
MAX_GROUP = 50_000
#: one unit's settings (w, b) are enumerated one by one, at most this many
MAX_UNIT_SETTINGS = 10**8
#: raw (not yet canonical) tables held before they are canonicalized into classes
FLUSH_AT = 1 << 20
#: the multisets visited are about this many times C(M + k - 1, k) / |G| + C(t + k - 1, k)
#: (multisets with a nontrivial stabilizer are visited once per orbit of it; measured
#: 1.4 to 3.0 on the rows of benchmarks/results/hidden.json)
MULTISET_FACTOR = 2.0
#: CPU seconds (divided by the threads for the estimate), fitted by
#: benchmarks/hidden_estimates.py on 19 networks (docs: Benchmarks, estimates): a fixed part;
#: per table and per (table x point) (a table is built and added to the raw histogram: 1.1e-7
#: s per table measured on fc:3,5,1 and fc:4,4,1, where it is all the work); per quick
#: canonical form (a distinct raw table at a flush) a fixed part and a part per point, times
#: d - 2 with the sign flips; per class (its smallest string at the end) per point^1.5,
#: times 0.75 * 2^d with the flips (the canonical forms' costs measured alone on d = 4..7);
#: per (group element x unit vector) (the element table)
FIXED_SECONDS = 0.02
TABLE_SECONDS = 6e-8
POINT_SECONDS = 3e-9
QUICK_SECONDS = (7e-7, 1.6e-8)
CLASS_SECONDS = 1e-8
ELEMENT_SECONDS = 5e-9
#: the memory of a process that has loaded the package and the numba kernels (measured
#: 180 MiB by benchmarks/hidden_estimates.py), part of every peak-memory estimate
BASE_BYTES = 200 * 2**20
#: tables the up-front sample (:func:`sample_tables`) builds, by input dimension: a quarter
#: to half a second (the quick canonical forms cost more with more inputs)
SAMPLE_TABLES = {5: 1 << 18, 6: 1 << 18, 7: 1 << 17, 8: 1 << 15}
#: runs of fewer tables than this many samples sample only 1/16 of their tables, and their
#: extrapolated classes are taken this many times (the uniform sample of multisets reaches
#: the classes of the multisets with a nontrivial stabilizer, which the run visits once per
#: orbit, less often: measured up to 1.8x fewer classes on fc:7,2,1 with a sample as large
#: as the run)
SAMPLE_MIN_RATIO = 8
SMALL_RUN_FACTOR = 2.0
#: runs estimated above this many seconds count in a child process, which Ctrl-C ends at once
CHILD_SECONDS = 5.0


def hidden_supported(spec) -> bool:
    """True when :func:`count_hidden` handles ``spec``: ``fc:d,k,1`` or ``sfc:d,k,1`` on
    ``01``/``pm1`` with d <= :data:`MAX_DIM` and at most :data:`MAX_UNIT_SETTINGS`
    settings (w, b) of one hidden unit.

    >>> from enumerate import NetworkSpec
    >>> hidden_supported(NetworkSpec.parse("fc:7,2,1", "-1,0,1")), hidden_supported(NetworkSpec.parse("fc:3,1", "-1,0,1"))
    (True, False)
    """
    arch = spec.arch
    return (arch.kind in ("fc", "sfc") and len(arch.widths) == 3 and spec.domain.kind in ("01", "pm1")
            and arch.input_dim <= MAX_DIM and len(spec.q) ** (arch.input_dim + 1) <= MAX_UNIT_SETTINGS)


def prefer_hidden(spec) -> bool:
    """``--method auto`` picks the hidden-layer counter: one hidden layer on at least
    :data:`AUTO_MIN_DIM` inputs, where the fast counter cannot run, or its estimate is above
    :data:`~enumerate.counting.budget.AUTO_QUICK_SECONDS` and this counter's is lower (the
    fast counter stays the method for small nets and wide layers on few points).

    >>> from enumerate import NetworkSpec
    >>> prefer_hidden(NetworkSpec.parse("fc:7,2,1", "-1,0,1")), prefer_hidden(NetworkSpec.parse("fc:3,8,1", "-1,0,1"))
    (True, False)
    """
    if not hidden_supported(spec) or spec.arch.input_dim < AUTO_MIN_DIM:
        return False
    from .budget import AUTO_QUICK_SECONDS
    from .fast import MAX_POINTS, estimate_fast, fast_supported

    if len(spec.domain) > MAX_POINTS[spec.zero_label] or not fast_supported(spec):
        return True
    fast = estimate_fast(spec)["seconds"]
    return fast > AUTO_QUICK_SECONDS and estimate_hidden(spec)["seconds"] < fast


def _require(spec):
    if not hidden_supported(spec):
        raise SpecError("--method", f"the hidden-layer class counter handles fc:D,K,1 and sfc:D,K,1 on 01 or pm1 with "
                        f"D <= {MAX_DIM} and |Q|^(D+1) <= {MAX_UNIT_SETTINGS:.0e}, not {spec.arch} with |Q| = "
                        f"{len(spec.q)} on {spec.domain.kind}")


class HiddenUnits:
    """The contribution vectors of one hidden unit, sorted into orbits of the enumeration group.

    Attributes
    ----------
    vecs : int64 (M, n)
        Distinct contribution vectors, orbit by orbit (orbits with larger stabilizers first).
    mult : list of int
        Number of unit settings (w, b, v[, gamma]) giving each vector.
    ostart : int64 (t + 1,)
        Orbit a is rows ``ostart[a] .. ostart[a+1]-1``; its first row is the representative.
    group : CubeGroup
        The enumeration group (the input permutations, with the flips when small enough).
    act : int32 (|group|, M)
        Every group element acting on the rows (built by :meth:`elements`).

    >>> from enumerate import NetworkSpec
    >>> units = HiddenUnits(NetworkSpec.parse("fc:2,1,1", "-1,0,1"))
    >>> units.num_vectors, units.num_orbits, sum(units.mult) == 3**4
    (21, 14, True)
    """

    def __init__(self, spec):
        from .kernels.hidden import gen_images, index_table, orbit_labels, unit_vectors

        _require(spec)
        self.spec = spec
        plan = IntegerPlan.of(spec)
        d = spec.arch.input_dim
        qi = np.array(plan.qi, np.int64)
        xi = np.array(plan.xi, np.int64).reshape(len(spec.domain), d)
        factors = Counter(int(v) * int(g) for v in plan.qi for g in (plan.gi if spec.arch.scaled else (1,)))
        f = np.array(sorted(factors), np.int64)
        # counts are at most |Q|^(d+3) <= 2^63 (see hidden_supported)
        vecs, total = unit_vectors(qi, xi, qi * plan.bias_mult[0], plan.act_code, plan.clamp[0], plan.leaky_pos,
                                   plan.leaky_neg, f, np.array([factors[v] for v in f], np.int64))
        n = len(spec.domain)
        self.full = symmetry_group(spec)
        flips = self.full.flips and self.full.size <= MAX_GROUP
        self.group = CubeGroup(d, spec.domain.kind, flips=flips)
        from ..results._class_kernels import generators  # numba: loaded when a counter is built

        self.gens = generators(d, flips)
        images = gen_images(vecs, index_table(vecs), self.gens)
        if (images < 0).any():  # an internal invariant: the group maps settings to settings
            raise AssertionError("a unit vector's image under the input symmetry is not a unit vector")
        labels = orbit_labels(images)
        sizes = np.bincount(labels, minlength=len(vecs))[labels]
        order = np.lexsort((labels, sizes))  # small orbits (large stabilizers) first
        self.vecs = np.ascontiguousarray(vecs[order])
        self.mult = [int(m) for m in total[order]]
        lab = labels[order]
        starts = np.flatnonzero(np.r_[True, lab[1:] != lab[:-1]])
        self.ostart = np.r_[starts, len(lab)].astype(np.int64)
        self.orbit = np.repeat(np.arange(len(starts)), np.diff(self.ostart)).astype(np.int64)
        self.n = n
        self._act = None

    @property
    def num_vectors(self) -> int:
        return len(self.vecs)

    @property
    def num_orbits(self) -> int:
        return len(self.ostart) - 1

    def act_bytes(self) -> int:
        """Memory of the element table (:meth:`elements`)."""
        return self.group.size * self.num_vectors * 4

    def elements(self):
        """int32 (|group|, M): element g sends row i to row ``act[g, i]`` (built once)."""
        from .kernels.hidden import gen_images, group_closure, index_table

        if self._act is None:
            images = gen_images(self.vecs, index_table(self.vecs), self.gens)
            elems, self._act = group_closure(self.gens, images)
            if len(elems) != self.group.size:  # an internal invariant
                raise AssertionError(f"the generators gave {len(elems)} elements, not {self.group.size}")
        return self._act


# --------------------------------------------------------------------------- cost


def _rows_per_leaf(spec):
    return len(spec.q)


def map_bytes(entries, W, R, exact=True) -> int:
    """Bytes of a histogram of tables (:func:`~enumerate.counting.kernels.hidden.new_map`)
    holding ``entries`` keys of ``W`` words with ``R`` residues: it doubles before it is
    half full, from 4,096 rows. ``exact=False`` for an estimated number of entries: the
    rows are then taken as 2 sqrt(2) entries (the middle, on a log scale, of the 2 to 4 rows
    per entry a power-of-two capacity has), not rounded up to a power of two.

    >>> map_bytes(1000, 1, 1), map_bytes(3000, 1, 1) // 4096, map_bytes(3000, 1, 1, exact=False) // 4096
    (81920, 40, 41)
    """
    if exact:
        cap = max(1 << 12, 1 << int(math.ceil(math.log2(2 * (entries + 1)))))
    else:
        cap = max(1 << 12, 2 * math.sqrt(2) * entries)
    return int(cap * (W + 1) * 8 + cap / 2 * R * 8)


def _closure_bytes(G, M, n):
    """The element table's building (:func:`~enumerate.counting.kernels.hidden.group_closure`):
    its doubling buffers, besides the final copy."""
    cap = 1 << max(8, int(math.ceil(math.log2(G))))
    return cap * (M + n) * 4 + 2 * cap * (n + 1) * 8


def sample_tables(spec, units, tables, seed=0):
    """The distinct tables and classes among about ``tables`` tables of random multisets
    (k unit vectors drawn uniformly, the same every call) with every readout bias
    (:func:`~enumerate.counting.kernels.hidden.sample_classes`).

    Returns
    -------
    sampled : int
        The tables built.
    counts : int64 (4, 2)
        Distinct tables and distinct classes among the first 1/8, 1/4, 1/2 and all of them.

    >>> from enumerate import NetworkSpec
    >>> spec = NetworkSpec.parse("fc:3,2,1", "-1,0,1")
    >>> sampled, counts = sample_tables(spec, HiddenUnits(spec), 3000)
    >>> sampled, counts[-1].tolist()     # 45 classes in all (the counter finds them)
    (3000, [124, 44])
    """
    from .kernels.hidden import sample_classes

    plan = IntegerPlan.of(spec)
    cb = np.array(plan.qi, np.int64) * plan.out_bias_mult
    s = max(8, tables // len(cb))
    rows = np.random.default_rng(seed).integers(0, units.num_vectors, (s, spec.arch.widths[1]))
    marks = np.array([s // 8, s // 4, s // 2, s], np.int64)
    zl = {"-1": 0, "+1": 1, "0": 2}[spec.zero_label]
    return s * len(cb), sample_classes(units.vecs, rows, cb, zl, spec.arch.input_dim, units.full.flips, marks)


def extrapolate(sampled, counts, total) -> float:
    """The distinct values among ``total`` draws from the distinct values among the first
    ``sampled`` / 8, / 4, / 2 and all ``sampled`` draws (``counts``): the growth of the last
    doubling, ``2^alpha``, continued, each doubling's exponent lower by half the measured
    fall of the exponent per doubling (the distinct count is concave in the draws: the
    exponent only falls; half its measured fall keeps the rule on the high side); at least
    the mean new values of the three sampled doublings again every doubling (a nearly
    saturated sample still misses rare values); at most ``total``.

    >>> round(extrapolate(800, [100, 200, 400, 800], 6400))          # every draw distinct
    6400
    >>> round(extrapolate(800, [100, 190, 350, 600], 6400))
    2651
    >>> round(extrapolate(800, [70, 76, 78, 79], 6400))             # saturated: 79 + 3 per doubling
    88
    """
    c = [max(float(x), 1.0) for x in counts]
    if total <= sampled:
        return min(float(total), c[-1])
    alpha = math.log2(c[3] / c[2])
    fall = max(0.0, (math.log2(c[2] / c[1]) - alpha + math.log2(c[1] / c[0]) - alpha) / 3) / 2
    doublings = steps = math.log2(total / sampled)
    if fall > 0:
        steps = min(steps, alpha / fall)  # past it, the exponent would be 0
    grown = c[3] * 2 ** (alpha * steps - fall * steps * steps / 2)
    # a nearly saturated sample: at least the mean new values of a sampled doubling, every doubling
    return min(float(total), max(grown, c[3] + (c[3] - c[0]) / 3 * doublings))


def estimate_classes(spec, units, tables) -> dict:
    """The classes and the distinct raw tables of a run visiting ``tables`` tables, from
    :func:`sample_tables`: ``classes`` (:func:`extrapolate` d from the sample; at most the
    tables and the tables of n points), ``raw`` (the distinct fraction of the sampled
    tables) and ``sampled``. A run of fewer than :data:`SAMPLE_MIN_RATIO` times the sample
    (:data:`SAMPLE_TABLES`) is sampled on 1/16 of its tables (none below 1,024: its tables
    are then its classes), its classes taken :data:`SMALL_RUN_FACTOR` times.

    >>> from enumerate import NetworkSpec
    >>> spec = NetworkSpec.parse("fc:3,2,1", "-1,0,1")
    >>> units = HiddenUnits(spec)
    >>> estimate_classes(spec, units, 1000)     # the run visits ~1,000 tables: no sample
    {'classes': 256, 'raw': 1.0, 'sampled': 0}
    >>> estimate_classes(spec, units, 10**5)["classes"]     # 45 classes in all
    109
    """
    n = len(spec.domain)
    d = spec.arch.input_dim
    possible = float((3 if spec.zero_label == "0" else 2) ** n)
    budget = SAMPLE_TABLES.get(d, SAMPLE_TABLES[5] if d < 5 else SAMPLE_TABLES[8])
    small = tables < SAMPLE_MIN_RATIO * budget
    size = int(tables // 16) if small else budget
    if size < 1 << 10:
        return {"classes": int(min(tables, possible)), "raw": 1.0, "sampled": 0}
    sampled, counts = sample_tables(spec, units, size)
    classes = extrapolate(sampled, counts[:, 1], tables) * (SMALL_RUN_FACTOR if small else 1)
    return {"classes": int(min(classes, possible)), "raw": float(counts[-1, 0]) / sampled, "sampled": sampled}


def estimate_hidden(spec, units=None) -> dict:
    """Cost of :func:`count_hidden` stated before the run: the distinct contribution vectors
    of one unit (computed: a fraction of a second up to ~10^6 unit settings), the multisets
    to visit (about C(M + k - 1, k) / |G| plus one per multiset of orbits), the classes of
    tables (:func:`estimate_classes`, from a sample of random multisets), ``seconds`` and
    ``bytes``.

    The seconds are CPU seconds over the threads (:data:`POINT_SECONDS` ...). The bytes: a
    loaded process (:data:`BASE_BYTES`), the element table as it is built, per thread a raw
    histogram of up to :data:`FLUSH_AT` tables and a class histogram that may hold every
    class, and the merged classes' keys and counts.

    >>> from enumerate import NetworkSpec
    >>> est = estimate_hidden(NetworkSpec.parse("fc:7,2,1", "-1,0,1"))
    >>> est["unit_vectors"], est["orbits"], est["group_order"]
    (6307, 94, 5040)
    """
    units = units or HiddenUnits(spec)
    k = spec.arch.widths[1]
    d = spec.arch.input_dim
    M, t, G = units.num_vectors, units.num_orbits, units.group.size
    n = len(spec.domain)
    leaves = MULTISET_FACTOR * (math.comb(M + k - 1, k) / G + math.comb(t + k - 1, k))
    B = _rows_per_leaf(spec)
    P = 2 if spec.zero_label == "0" else 1
    W = P * ((n + 63) // 64)
    R = len(primes_for(spec.total))
    tables = leaves * B
    cls = estimate_classes(spec, units, tables)
    classes = cls["classes"]
    quick = tables * cls["raw"]  # tables canonicalized at the flushes (a raw histogram drops repeats)
    flips = units.full.flips
    threads = workers()
    cpu = (FIXED_SECONDS + G * M * ELEMENT_SECONDS + tables * (TABLE_SECONDS + n * POINT_SECONDS)
           + quick * (QUICK_SECONDS[0] + QUICK_SECONDS[1] * n) * (d - 2 if flips else 1)
           + classes * n**1.5 * CLASS_SECONDS * (0.75 * 2**d if flips else 1))
    seconds = cpu / threads
    raw = min(quick, FLUSH_AT + B)
    cmap = map_bytes(classes, W, R, exact=False)  # every thread's class histogram may hold every class
    nbytes = BASE_BYTES + G * M * 4 + max(_closure_bytes(G, M, n),
                                          threads * (map_bytes(raw, W, R) + cmap) + cmap // 2)
    return {"unit_vectors": M, "orbits": t, "group_order": G, "multisets": int(leaves), "residues": R,
            "table_classes": classes, "sampled_tables": cls["sampled"], "class_map_bytes": cmap, "seconds": seconds,
            "bytes": int(nbytes)}


def check_hidden_budget(spec, force=False, max_seconds=DEFAULT_MAX_SECONDS, max_bytes=DEFAULT_MAX_BYTES, units=None):
    """Estimate the cost (:func:`estimate_hidden`) and raise :class:`~enumerate.BudgetError`
    above ``max_seconds`` or ``max_bytes`` unless ``force``; returns the estimate.

    >>> from enumerate import NetworkSpec
    >>> check_hidden_budget(NetworkSpec.parse("fc:5,3,1", "-1,0,1"), max_seconds=0.01)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    enumerate.BudgetError: force: the hidden-layer class counter on fc:5,3,1 visits ~880,461 multisets of 667 unit vectors, estimated at ~... s and ~... MiB, above the budget of 0 s and 4 GiB; pass force=True to run it
    """
    est = estimate_hidden(spec, units)
    work = f"visits ~{est['multisets']:,} multisets of {est['unit_vectors']:,} unit vectors"
    check_cost(spec, Cost("hidden-layer class", work, est["seconds"], est["bytes"], est), force=force,
               max_seconds=max_seconds, max_bytes=max_bytes)
    return est


# --------------------------------------------------------------------------- the run


def _chunk_weights(units, k):
    """Estimated multisets of each chunk (the multisets whose first orbit is a)."""
    G = units.group.size
    return [w / G for w in chunk_work(units, k)]


def chunk_work(units, k):
    """Estimated multisets of each chunk (the multisets of ``k`` vectors whose first orbit
    is a) times the group order, as exact integers: C(rest + k - 2, k - 1) |orbit a| + |G|,
    rest the vectors of orbits a, a+1, ... (a plan made of them depends on the spec only).

    >>> from enumerate import NetworkSpec
    >>> chunk_work(HiddenUnits(NetworkSpec.parse("fc:2,2,1", "-1,0,1")), 2)[:3]
    [23, 22, 21]
    """
    M, G = units.num_vectors, units.group.size
    rest = M - units.ostart[:-1]
    size = np.diff(units.ostart)
    return [math.comb(int(r) + k - 2, k - 1) * int(s) + G for r, s in zip(rest.tolist(), size.tolist())]


def chunk_settings(spec, units):
    """The exact number of settings each chunk counts: ``|Q| (T_a^k - T_(a+1)^k)`` with
    ``T_a`` the unit settings whose vector lies in orbits a, a+1, ... (the ordered k-tuples
    of unit settings whose smallest orbit is a, times the readout biases). They add up to
    ``spec.total``; a partial of some chunks covers exactly their sum.

    >>> from enumerate import NetworkSpec
    >>> spec = NetworkSpec.parse("fc:2,2,1", "-1,0,1")
    >>> sum(chunk_settings(spec, HiddenUnits(spec))) == spec.total
    True
    """
    k = spec.arch.widths[1]
    tail = [0] * (units.num_orbits + 1)
    for a in range(units.num_orbits - 1, -1, -1):
        tail[a] = tail[a + 1] + sum(units.mult[units.ostart[a]:units.ostart[a + 1]])
    return [len(spec.q) * (tail[a] ** k - tail[a + 1] ** k) for a in range(units.num_orbits)]


def count_chunks(spec, units, mods, chunks, report, threads=None):
    """The chunks ``chunks`` (first orbits a, see :func:`chunk_weights`) through the kernel,
    ``threads`` at a time (each thread with its own histograms, merged at the end): a partial
    class prior. Returns the classes in a canonical form that is fast to compute
    (:func:`~enumerate.counting.kernels.hidden.quick_canonical`, one form per orbit), int64
    (N, W); their class totals (residues modulo ``mods``), int64 (N, R); and the number of
    multisets visited. ``report(weight)`` is called after each chunk. The in-process counter
    runs every chunk through it, a Dask task (:mod:`enumerate.counting.distributed_hidden`)
    a block of them.

    >>> from enumerate import NetworkSpec
    >>> spec = NetworkSpec.parse("fc:2,2,1", "-1,0,1", "sign", "01")
    >>> units = HiddenUnits(spec)
    >>> keys, totals, leaves = count_chunks(spec, units, [0], range(units.num_orbits), lambda w: None, 1)
    >>> int(totals.sum()) == spec.total == len(spec.q) * sum(units.mult) ** 2
    True
    """
    from .kernels.hidden import count_chunk, flush, merge_maps, new_map

    plan = IntegerPlan.of(spec)
    act = units.elements()
    k = spec.arch.widths[1]
    d, n = spec.arch.input_dim, units.n
    zl = {"-1": 0, "+1": 1, "0": 2}[spec.zero_label]
    P = 2 if zl == 2 else 1
    nw = (n + 63) // 64
    W = P * nw
    R = len(mods)
    mods_a = np.array(mods, np.int64)
    mult = np.array([[m if p == 0 else m % p for p in mods] for m in units.mult], np.int64).reshape(-1, R)
    cb = np.array(plan.qi, np.int64) * plan.out_bias_mult
    flips = units.full.flips
    threads = workers(threads)
    weights = _chunk_weights(units, k)
    states = [[*new_map(W, R, 1 << 12), 0, *new_map(W, R, 1 << 12), 0, 0] for _ in range(threads)]
    free = list(range(threads))  # the states not in use
    lock = threading.Lock()

    def chunk(a):
        def job():
            with lock:
                i = free.pop()
            rtab, rcnt, rsize, ctab, ccnt, csize, before = states[i]
            *state, leaves = count_chunk(a, k, units.vecs, mult, units.orbit, units.ostart, act, cb, zl, d, flips,
                                         mods_a, rtab, rcnt, rsize, ctab, ccnt, csize, FLUSH_AT)
            states[i] = [*state, before + leaves]
            with lock:
                free.append(i)
                report(weights[a])
        return job

    # the largest chunks first, so that the threads end together
    run_jobs([chunk(a) for a in sorted(chunks, key=lambda a: -weights[a])], threads)
    leaves = 0
    ctab, ccnt, csize = states[0][3:6]
    for i, (rtab, rcnt, rsize, ctab_i, ccnt_i, csize_i, lv) in enumerate(states):
        leaves += lv
        if i == 0:
            ctab, ccnt, csize = flush(rtab, rcnt, rsize, ctab, ccnt, csize, W, P, nw, d, flips, mods_a)
        else:
            ctab_i, ccnt_i, csize_i = flush(rtab, rcnt, rsize, ctab_i, ccnt_i, csize_i, W, P, nw, d, flips, mods_a)
            ctab, ccnt, csize = merge_maps(ctab, ccnt, csize, ctab_i, ccnt_i, W, mods_a)
        states[i] = None  # its memory goes as soon as it is merged
    rows = ctab[:, W] != 0
    ids = ctab[rows, W].astype(np.int64) - 1
    keys = ctab[rows, :W].copy()
    totals = ccnt[ids].copy()
    return keys, totals, leaves


def smallest_strings(spec, units, keys, threads=None):
    """Bring the classes ``keys`` (int64 (N, W), any form of one orbit, changed in place) to
    their smallest strings on ``threads`` threads; returns the class sizes.

    >>> from enumerate import NetworkSpec
    >>> spec = NetworkSpec.parse("fc:2,1,1", "-1,0,1")
    >>> keys = np.array([[0b0100], [0b0010]], np.uint64)   # '--+-' and '-+--': one orbit
    >>> smallest_strings(spec, HiddenUnits(spec), keys, 1).tolist(), keys[:, 0].tolist()
    ([2, 2], [2, 2])
    """
    from .kernels.hidden import class_sizes

    threads = workers(threads)
    P = 2 if spec.zero_label == "0" else 1
    nw = (units.n + 63) // 64
    d, flips = spec.arch.input_dim, units.full.flips
    sizes = np.empty(len(keys), np.int64)
    cuts = np.linspace(0, len(keys), 16 * threads + 1).astype(np.int64)

    def canon(a, b):
        def job():
            sizes[a:b] = class_sizes(keys[a:b], P, nw, d, flips, units.full.size)
        return job

    run_jobs([canon(a, b) for a, b in zip(cuts[:-1], cuts[1:]) if b > a], threads)
    return sizes


def _enumerate(spec, units, mods, report, threads=None):
    """Every chunk through :func:`count_chunks`, the classes brought to their smallest
    strings; returns the canonical tables, class sizes, class totals (residues) and the
    number of multisets visited."""
    keys, totals, leaves = count_chunks(spec, units, mods, range(units.num_orbits), report, threads)
    sizes = smallest_strings(spec, units, keys, threads)
    return keys, sizes, totals, leaves


def _per_table(totals, sizes, mods):
    """Exact count of each table of a class: its class total over the class size
    (``mods=None``: ``totals`` are exact, one per class, int64 or Python ints)."""
    if mods is None:
        exact = totals.dtype == object
        sizes_ = sizes.astype(object) if exact else sizes
        if (totals % sizes_ != 0).any():  # an internal invariant, never expected to fire
            raise AssertionError("a class total is not a multiple of its class size")
        return totals // sizes_
    if mods[0] == 0:
        if (totals[:, 0] % sizes).any():  # an internal invariant, never expected to fire
            raise AssertionError("a class total is not a multiple of its class size")
        return totals[:, 0] // sizes
    out = np.empty_like(totals)
    for r, p in enumerate(mods):
        inv = np.zeros(len(sizes), np.int64)
        for s in np.unique(sizes):
            inv[sizes == s] = pow(int(s), -1, p)
        out[:, r] = totals[:, r] * inv % p
    return from_residues(out, mods)


def count_hidden(spec, progress=None, *, force=False, max_seconds=DEFAULT_MAX_SECONDS, max_bytes=DEFAULT_MAX_BYTES,
                 threads=None):
    """The exact prior of a one-hidden-layer network as a :class:`~enumerate.results.prior.ClassPrior`.

    Parameters
    ----------
    spec : NetworkSpec
        ``fc:d,k,1`` or ``sfc:d,k,1`` on the ``01`` or ``pm1`` cube (see :func:`hidden_supported`);
        any Q, activation and zero-label rule.
    progress : bool or None
        The estimate and a progress bar on stderr (None: only when stderr is a terminal).
    force, max_seconds, max_bytes
        The cost is estimated first (:func:`estimate_hidden`); above the budget the run
        raises :class:`~enumerate.BudgetError` unless ``force``. Runs estimated above
        :data:`CHILD_SECONDS` count in a child process, so Ctrl-C stops them at once.
    threads : int or None
        Threads counting the chunks and canonicalizing the classes (default: every core,
        :func:`~enumerate._support.cores.workers`); the result does not depend on it.

    Returns
    -------
    ClassPrior
        ``method="classes"``; ``meta["hidden"]`` has the unit vectors, orbits, group
        order, multisets visited, residues and the estimate.
    """
    t0 = time.perf_counter()
    units = HiddenUnits(spec)
    est = check_hidden_budget(spec, force, max_seconds, max_bytes, units)
    show = sys.stderr.isatty() if progress is None else progress
    if show:
        print(f"classes {spec.arch}: {est['unit_vectors']:,} unit vectors in {est['orbits']:,} orbits of "
              f"{est['group_order']:,} symmetries, ~{est['multisets']:,} multisets, estimated "
              f"~{fmt_seconds(est['seconds'])}, ~{est['bytes'] / 2**20:.0f} MiB", file=sys.stderr)
    mods = primes_for(spec.total)
    k = spec.arch.widths[1]
    keys, sizes, totals, leaves = run_counter(
        spec, lambda report: _enumerate(spec, units, mods, report, threads), est["seconds"],
        sum(_chunk_weights(units, k)), "multiset", show)
    meta = {"elapsed_s": time.perf_counter() - t0,
            "hidden": {"unit_vectors": units.num_vectors, "orbits": units.num_orbits,
                       "enumeration_group_order": units.group.size, "multisets": int(leaves),
                       "residues": [int(p) for p in mods],
                       "estimate": {k: est[k] for k in ("seconds", "bytes", "multisets", "table_classes")}}}
    return class_prior(spec, keys, sizes, totals, mods, meta, units.full, "hidden-layer class counter")


def run_counter(spec, work, seconds, total, unit, show):
    """``work(report)`` under a progress bar of ``total`` ``unit`` steps; in a forked child
    when the run is estimated above :data:`CHILD_SECONDS` (Ctrl-C then stops it at once)."""
    with progress_bar(total, f"classes {spec.arch}", enabled=show, unit=unit) as bar:
        return run_in_child_reporting(work, bar.update) if seconds > CHILD_SECONDS else work(bar.update)


def class_prior(spec, keys, sizes, totals, mods, meta, group, counter):
    """The :class:`~enumerate.results.prior.ClassPrior` of a class counter's canonical keys,
    class sizes and class totals (residues modulo ``mods``; ``mods=None``: exact totals, one
    per class), its coverage checked."""
    P = 2 if spec.zero_label == "0" else 1
    nw = (len(spec.domain) + 63) // 64
    prior = ClassPrior(spec, keys.reshape(len(keys), P, nw), sizes, _per_table(totals, sizes, mods), "classes",
                       meta, group)
    if prior.covered != spec.total:  # an internal invariant, never expected to fire
        raise AssertionError(f"{counter} covered {prior.covered} of {spec.total} settings")
    return prior


#: the helpers the deeper-net counter (:mod:`enumerate.counting.deep`) shares
per_table = _per_table

"""Fast exact counting: symmetry-reduced dynamic programming over neurons.

Brute force visits every parameter setting. Here we use that, under the uniform prior,
the units (neurons, or conv channels) of a layer are i.i.d. given the previous layer's
outputs, and only their *multiset* matters:

* A unit's pre-activation on the domain is ``sum_i W_i a_i + b`` over its inputs ``a_i``
  (for a conv: every input channel at every tap). When the previous layer's units take
  the distinct values ``a`` with multiplicities ``m_a``, the ``m_a`` weights that multiply
  the same vector add up: the pre-activation is ``sum_a T_a a + b`` with ``T_a`` the sum of
  ``m_a`` i.i.d. values of Q, a one-dimensional distribution. Its exact distribution is a
  convolution of a few vector distributions (:func:`enumerate.counting.kernels.fast.conv`).
* Pushing it through the activation (and the scale gamma of SFC/SCNN) gives the exact
  distribution ``D`` of one unit's output vector, with integer counts.
* Last hidden layer: the output is ``b + sum`` of ``c`` i.i.d. readout contributions,
  a ``c``-fold convolution of one unit's contribution distribution; we build powers
  ``C^{*j}`` and finish by a meet-in-the-middle :func:`~enumerate.counting.kernels.fast.collapse`
  that histograms truth tables without storing the final sums.
* Deeper layers: enumerate the multisets of the previous layer's distinct output
  vectors with multinomial weights (neuron permutation symmetry) and recurse. When Q is
  symmetric (Q = -Q) the vectors ``a`` and ``-a`` are interchangeable for the next layer
  and are merged into one class.

Counts are exact: plain int64 when ``|Q|^P < 2^63`` (every count is at most the
total), otherwise residues modulo primes below 2^31 reconstructed by the Chinese
remainder theorem. Integer arithmetic follows :class:`~enumerate.core.lattice.IntegerPlan`
exactly, so every count equals the brute-force count.

>>> from enumerate import NetworkSpec
>>> from enumerate.counting.brute import count_brute
>>> spec = NetworkSpec.parse("fc:2,3,1", "-1,0,1", "sign", "01")
>>> fast = count_fast(spec)
>>> fast.counts == count_brute(spec, progress=False).counts, fast.method
(True, 'fast')
"""

from __future__ import annotations

import itertools
import math
import sys
import time
from collections import Counter

import numpy as np

from .kernels.fast import RowLimit, collapse, conv, conv_sorted
from ..core.lattice import IntegerPlan
from ..results.memory import peak_rss_meta
from ..results.prior import FunctionPrior
from .._support.progress import progress_bar
from .budget import DEFAULT_MAX_BYTES, DEFAULT_MAX_SECONDS, BudgetError, Cost, check_cost, fmt_bytes
from ..core.spec import SpecError
from .._support.errors import approx

__all__ = ["count_fast", "fast_supported", "estimate_fast", "check_fast_budget", "UnitModel", "point_permutations",
           "from_residues", "primes_for", "MAX_POINTS"]

#: largest number of domain points a table key can hold (base 2 / base 3 digits in int64)
MAX_POINTS = {"-1": 62, "+1": 62, "0": 39}
#: histograms of at most this many table keys are direct-addressed
DENSE_KEYS = 2**22
#: one hidden unit's settings are enumerated with plain int64 counts
MAX_UNIT_SETTINGS = 2**62
#: print a memory note before a convolution expected to hold more vectors than this
NOTE_ROWS = 2_000_000
PLAIN = np.zeros(1, np.int64)


# --------------------------------------------------------------------------- exact counts


def primes_for(total):
    """Primes below 2^31 whose product exceeds ``total`` (or [0]: plain int64)."""
    if total < 2**63:
        return [0]
    from sympy import prevprime

    out, prod, p = [], 1, 2**31
    while prod <= total:
        p = prevprime(p)
        out.append(p)
        prod *= p
    return out


def _residues(values, mods):
    """int64 array (len(values), R) of Python ints reduced modulo ``mods`` (0: as is)."""
    return np.array([[v if p == 0 else v % p for p in mods] for v in values], dtype=np.int64).reshape(len(values), len(mods))


def _exact(cnts, mods):
    """Python ints from residue rows (Chinese remainder theorem)."""
    mods = [int(p) for p in mods]
    if mods[0] == 0:
        return [int(c) for c in cnts[:, 0]]
    M = math.prod(mods)
    coef = [(M // p) * pow(M // p, -1, p) for p in mods]
    return [sum(r * c for r, c in zip(row, coef)) % M for row in cnts.tolist()]


def _merge(vecs, cnts, mods):
    """Sum the counts of identical rows."""
    if len(vecs) <= 1:
        return vecs, cnts
    uniq, inv = np.unique(vecs, axis=0, return_inverse=True)
    out = np.zeros((len(uniq), cnts.shape[1]), np.int64)
    np.add.at(out, inv.reshape(-1), cnts)
    for r, p in enumerate(mods):
        if p:
            out[:, r] %= p
    return uniq, out


# --------------------------------------------------------------------------- the model


class _Model:
    """The integer lattice, layer shapes and counting mode of one spec."""

    def __init__(self, spec):
        self.spec = spec
        self.plan = plan = IntegerPlan.of(spec)
        arch = spec.arch
        self.nX = len(spec.domain)
        self.shapes = arch.hidden_shapes()
        self.qi = list(plan.qi)
        self.gi = list(plan.gi) if arch.scaled else [1]
        self.sym = sorted(-q for q in self.qi) == sorted(self.qi)
        self.zl = {"-1": 0, "+1": 1, "0": 2}[spec.zero_label]
        self.mods = np.array(primes_for(spec.total), dtype=np.int64)
        self.dtype = np.int32 if plan.bound < 2**31 else np.int64
        self.base = 3 if self.zl == 2 else 2
        self.dense = self.base**self.nX <= DENSE_KEYS
        self._wsum = {}
        self.max_bytes = None  # count_fast sets its memory budget: no distribution may be able to pass it

    def max_rows(self, width):
        """The most vectors of ``width`` entries a distribution may hold under the memory budget."""
        return None if self.max_bytes is None else int(self.max_bytes // _map_bytes(self, 1, width))

    def guard(self, rows, width, step, held=False):
        """Refuse (:class:`~enumerate.BudgetError`) a distribution step that could hold
        ``rows`` vectors of ``width`` entries (an upper bound; ``held``: it did) beyond the
        memory budget."""
        need = _map_bytes(self, rows, width)
        if self.max_bytes is not None and (held or need > self.max_bytes):
            if held:
                raise BudgetError("--force", f"the fast counter on {self.spec.arch} grew past {approx(rows)} distinct "
                                             f"vectors in {step}, the most its memory budget of "
                                             f"{fmt_bytes(self.max_bytes)} allows; use --method brute, or pass --force")
            raise BudgetError("--force", f"the fast counter on {self.spec.arch} could hold up to {approx(rows)} "
                                         f"distinct vectors (~{fmt_bytes(need)}) in {step}, above the memory budget "
                                         f"of {fmt_bytes(self.max_bytes)}; use --method brute, or pass --force")

    def weight_sum(self, m):
        """{t: number of ways m i.i.d. values of Q sum to t} (exact ints)."""
        if m not in self._wsum:
            dist = {0: 1}
            for _ in range(m):
                new = Counter()
                for t, c in dist.items():
                    for q in self.qi:
                        new[t + q] += c
                dist = dict(new)
            self._wsum[m] = dist
        return self._wsum[m]

    def inputs(self):
        """The input channels as (map (positions, |X|), multiplicity 1)."""
        X = np.array(self.plan.xi, dtype=np.int64)
        arch = self.spec.arch
        if arch.is_conv:
            maps = X.T.reshape(arch.in_channels, arch.in_length, self.nX)
        else:
            maps = X.T.reshape(arch.input_dim, 1, self.nX)
        return [(maps[i], 1) for i in range(len(maps))]

    # ---- one unit
    def preactivation(self, M, m, k, s, bias_mult, mods=PLAIN):
        """The distribution of :meth:`terms` (folded)."""
        return _fold(self.terms(M, m, k, s, bias_mult, mods), mods, self)

    def terms(self, M, m, k, s, bias_mult, mods=PLAIN):
        """Distribution of a unit's pre-activation (flattened (m, |X|)) given its inputs M.

        Counts are plain int64 (``mods=PLAIN``: a hidden unit, whose settings number
        below 2^62) or residues modulo ``mods`` (the output unit of a depth-1 network,
        whose settings can pass 2^63)."""
        n = m * self.nX
        terms = []
        for amap, mult in M:
            dist = self.weight_sum(mult)
            for tap in range(k):
                g = amap[tap : tap + (m - 1) * s + 1 : s].reshape(-1)
                if not g.any():
                    vecs = np.zeros((1, n), np.int64)
                    terms.append((vecs, _residues([sum(dist.values())], mods)))
                    continue
                ts = sorted(dist)
                terms.append((np.array(ts, np.int64)[:, None] * g[None, :], _residues([dist[t] for t in ts], mods)))
        bias = np.array(self.qi, np.int64)[:, None] * np.full((1, n), bias_mult, np.int64)
        terms.append((bias, _residues([1] * len(self.qi), mods)))
        return terms

    def unit_outputs(self, M, layer):
        """Distribution D of one hidden unit's output map (flattened) of ``layer``."""
        c, m, k, s, cin, nin = self.shapes[layer]
        zv, zc = self.preactivation(M, m, k, s, self.plan.bias_mult[layer])
        a = self.plan.activate(zv, layer)
        vecs = np.concatenate([a * g for g in self.gi])
        cnts = np.concatenate([zc] * len(self.gi))
        return _merge(vecs, cnts, PLAIN)


def _fold(terms, mods, model=None):
    """Convolution of a list of vector distributions, smallest first (each step first
    checked against ``model``'s memory budget by its upper bound, the product of sizes)."""
    terms = sorted(terms, key=lambda t: len(t[0]))
    vecs, cnts = terms[0]
    lo, hi = vecs.min(axis=0).astype(object), vecs.max(axis=0).astype(object)
    for v, c in terms[1:]:
        lo, hi = lo + v.min(axis=0).astype(object), hi + v.max(axis=0).astype(object)
        if model is not None:
            model.guard(min(len(vecs) * len(v), _box(lo, hi)), vecs.shape[1], "a unit's pre-activation")
        vecs, cnts = conv(vecs, cnts, v, c, mods)
    return vecs, cnts


def _box(lo, hi) -> float:
    """The number of integer vectors between ``lo`` and ``hi`` (coordinate-wise), as a float."""
    return math.prod(float(h - l + 1) for l, h in zip(lo.tolist(), hi.tolist()))


def _rows_bound(terms) -> float:
    """At most this many distinct vectors in the sum of ``terms``: the product of their sizes,
    capped by the box of values the sum can take. Computed without enumerating anything.

    >>> import numpy as np
    >>> three = (np.array([[-1], [0], [1]]), None)
    >>> _rows_bound([three] * 4)  # 81 settings, but the sum takes only 9 values
    9.0
    """
    sizes = math.prod(float(len(v)) for v, _ in terms)
    lo = sum(v.min(axis=0).astype(object) for v, _ in terms)
    hi = sum(v.max(axis=0).astype(object) for v, _ in terms)
    return min(sizes, _box(lo, hi))


def _classes(vecs, cnts):
    """Merge a and -a (first nonzero entry made positive) for a symmetric Q."""
    nz = vecs != 0
    first = np.where(nz.any(axis=1), nz.argmax(axis=1), 0)
    sgn = np.sign(vecs[np.arange(len(vecs)), first])
    sgn[sgn == 0] = 1
    return _merge(vecs * sgn[:, None], cnts, PLAIN)


# --------------------------------------------------------------------------- readout


class _Stats:
    def __init__(self):
        self.max_rows = 0
        self.pairs = 0
        self.bytes = 0
        self.leaves = 0
        self.cache_hits = 0

    def saw(self, vecs, cnts):
        self.max_rows = max(self.max_rows, len(vecs))
        self.bytes = max(self.bytes, vecs.nbytes + cnts.nbytes)


def _row_bytes(model, n):
    return n * np.dtype(model.dtype).itemsize + 8 * len(model.mods)


def _map_bytes(model, rows, width):
    """Peak bytes of a hash map of ``rows`` vectors of ``width`` entries while it grows:
    slots, vectors and counts at up to 4x rows (the map doubles at half full, old and new
    arrays side by side), with int64 entries (from above)."""
    return int(4 * rows * (8 + 8 * width + 8 * len(model.mods)))


class _Codec:
    """Linear integer keys of vectors with coordinates in [-bound, bound]:
    key(u) = sum_i (u_i + bound) r^i, so key(u + v) = key(u) + shift(v)."""

    def __init__(self, bound, n):
        self.bound, self.n, self.r = bound, n, 2 * bound + 1
        self.pw = self.r ** np.arange(n, dtype=np.int64)

    @staticmethod
    def fits(bound, n):
        return (2 * bound + 1) ** n < 2**62

    def keys(self, vecs):
        return (vecs.astype(np.int64) + self.bound) @ self.pw

    def shifts(self, vecs):
        return vecs.astype(np.int64) @ self.pw

    def vecs(self, keys, dtype):
        return ((keys[:, None] // self.pw) % self.r - self.bound).astype(dtype)


#: relative cost of one convolution step per pair, against one collapse pair
CONV_COST = 4.0


def _best_finish(c, j, sizes, nC, nB):
    """The finishing power j* >= j (P_j* against B * P_(c - j*)) of least estimated cost.

    Sizes of powers not built yet are extrapolated geometrically from the last two.

    >>> _best_finish(6, 3, {0: 1, 1: 67, 2: 1793, 3: 23839}, 67, 3)
    5
    """
    est = dict(sizes)
    ratio = est[j] / est[j - 1]
    for i in range(j + 1, c + 1):
        est[i] = est[i - 1] * ratio
    best, best_cost, built = None, None, 0.0
    for jj in range(j, c + 1):
        if c - jj <= jj:
            cost = built + est[jj] * nB * est[c - jj]
            if best_cost is None or cost < best_cost:
                best, best_cost = jj, cost
        built += CONV_COST * est[jj] * nC
    return best


def _tables_of_sum(model, C, c, B, stats, note, perms=None):
    """Table histogram (keys, residues) of B + (c i.i.d. copies of C).

    Powers P_j = C^{*j} are built one unit at a time (sorted linear keys and a heap merge
    when the value box fits in int64, a hash map otherwise) until finishing is cheaper:
    then the tables of P_j + (B * P_{c-j}) are histogrammed pair by pair.
    """
    mods = model.mods
    n = C[0].shape[1]
    bound = c * int(np.abs(C[0]).max(initial=0)) + int(np.abs(B[0]).max(initial=0))
    codec = _Codec(bound, n) if _Codec.fits(bound, n) else None
    dtype = np.int8 if bound < 127 else (np.int16 if bound < 2**15 else model.dtype)

    if codec is not None:
        order = np.argsort(codec.keys(C[0]), kind="stable")
        Ck = (codec.keys(C[0])[order], C[1][order])
        Cs = codec.shifts(C[0])
        Bs = codec.shifts(B[0])

        def step(P):
            return conv_sorted(P[0], P[1], Cs, C[1], mods, model.max_rows(n))

        def with_bias(P):
            return conv_sorted(P[0], P[1], Bs, B[1], mods)

        def as_vecs(P):
            return codec.vecs(P[0], dtype), P[1]

        P = {1: Ck}
        zero = (np.array([codec.keys(np.zeros((1, n), np.int64))[0]]), _residues([1], mods))
    else:
        def step(P):
            return conv(P[0], P[1], C[0], C[1], mods, model.max_rows(n))

        def with_bias(P):
            return conv(P[0], P[1], B[0], B[1], mods)

        def as_vecs(P):
            return P

        P = {1: C}
        zero = (np.zeros((1, n), C[0].dtype), _residues([1], mods))
    P[0] = zero
    j = 1
    while True:
        plan = _best_finish(c, j, {i: len(v[0]) for i, v in P.items()}, len(C[0]), len(B[0]))
        if plan == j:
            right = with_bias(P[c - j])
            break
        est = len(P[j][0]) * len(P[j][0]) / len(P[j - 1][0])
        if est > NOTE_ROWS:
            note(f"fast: convolution {j + 1} of {c}: up to ~{est:.2g} distinct vectors, "
                 f"~{est * (8 + 8 * len(mods)) * 2 / 2**20:.0f} MiB")
        try:  # the power is built under the memory budget: the kernel stops once it holds more
            P[j + 1] = step(P[j])
        except RowLimit as stop:
            model.guard(stop.args[0], n, f"convolution {j + 1} of {c} of the readout", held=True)
            raise
        stats.saw(*P[j + 1])
        j += 1
    left = as_vecs(P[j])
    right = as_vecs(right)
    if perms is not None:
        left = _orbit_reps(left, perms, mods)
    stats.pairs += len(left[0]) * len(right[0])
    return collapse(left[0], left[1], right[0], right[1], mods, model.zl, model.dense)


def _orbit_reps(dist, perms, mods):
    """Keep one vector per orbit of the point permutations, its count times the orbit size."""
    vecs, cnts = dist
    lo = int(vecs.min(initial=0))
    pw = (int(vecs.max(initial=0)) - lo + 1) ** np.arange(vecs.shape[1], dtype=object)
    if sum(pw) * (int(vecs.max(initial=0)) - lo + 1) >= 2**62:
        return dist
    pw = pw.astype(np.int64)
    shifted = vecs.astype(np.int64) - lo
    images = np.stack([shifted[:, g] @ pw for g in perms], axis=1)  # (N, |G|)
    own = shifted @ pw
    rep = own == images.min(axis=1)
    srt = np.sort(images[rep], axis=1)
    orbit = 1 + (srt[:, 1:] != srt[:, :-1]).sum(axis=1)
    out = cnts[rep] * orbit[:, None]
    for r, p in enumerate(mods):
        if p:
            out[:, r] %= p
    return vecs[rep], out


def _symmetrize(hist, perms, n, base):
    """H(T) = (1/|G|) sum_g H'(T o g): the full histogram from the orbit representatives'."""
    if perms is None:
        return hist
    pw = base ** np.arange(n, dtype=np.int64)
    keys = np.array(list(hist), dtype=np.int64)
    digits = (keys[:, None] // pw) % base
    out = {}
    for g in perms:
        for k, h in zip((digits[:, g] @ pw).tolist(), hist.values()):
            out[k] = out.get(k, 0) + h
    G = len(perms)
    if any(v % G for v in out.values()):  # an internal invariant (Burnside), never expected to fire
        raise AssertionError("fast counter: orbit sums not divisible by the group order")
    return {k: v // G for k, v in out.items()}


def _point_perms(model):
    """Permutations of the domain points induced by permuting (and, for a symmetric Q,
    negating) the input coordinates of a 2-layer FC/SFC net: the prior is invariant."""
    spec = model.spec
    if spec.arch.is_conv or len(model.shapes) != 1:
        return None
    pts = spec.domain.points
    index = {p: i for i, p in enumerate(pts)}
    d = spec.domain.dim
    if math.factorial(d) * 2**d > 5000:
        return None
    out = set()
    for sigma in itertools.permutations(range(d)):
        for signs in itertools.product((1, -1) if model.sym else (1,), repeat=d):
            img = [index.get(tuple(s * p[i] for s, i in zip(signs, sigma))) for p in pts]
            if None not in img:
                out.add(tuple(img))
    return np.array(sorted(out), dtype=np.int64) if len(out) > 1 else None


def _readout_contributions(model, D):
    """One last-hidden unit's readout contribution distribution (flattened |X| vectors)."""
    arch = model.spec.arch
    c, m, *_ = model.shapes[-1]
    vecs, cnts = D
    maps = vecs.reshape(len(vecs), m, model.nX)
    q = np.array(model.qi, np.int64)
    if arch.is_conv and arch.readout == "sum":
        maps = maps.sum(axis=1, keepdims=True)
        m = 1
    out_v, out_c = [], []
    combos = np.array(list(itertools.product(q, repeat=m)), np.int64)  # (|Q|^m, m)
    # one unit with its readout weights can have more than 2^63 settings: residues
    cnts = _residues(_exact(cnts, PLAIN), model.mods)
    step = max(1, 2_000_000 // max(1, len(combos)))
    for lo in range(0, len(maps), step):
        blk = maps[lo : lo + step]
        contrib = np.einsum("vt,atx->avx", combos, blk).reshape(-1, model.nX)
        out_v.append(contrib)
        out_c.append(np.repeat(cnts[lo : lo + step], len(combos), axis=0))
    return _merge(np.concatenate(out_v), np.concatenate(out_c), model.mods)


def _readout(model, D, stats, note, cache):
    """{table key: exact count} of the readout over c i.i.d. last-hidden units with output D."""
    key = (D[0].tobytes(), D[1].tobytes(), D[0].shape)
    if key in cache:
        stats.cache_hits += 1
        return cache[key]
    c = model.shapes[-1][0]
    cv, cc = _readout_contributions(model, D)
    mods = model.mods
    C = (cv.astype(model.dtype), cc)
    qv = np.array(model.qi, np.int64)[:, None] * np.full((1, model.nX), model.plan.out_bias_mult, np.int64)
    B = (qv.astype(model.dtype), _residues([1] * len(model.qi), mods))
    stats.saw(*C)
    perms = _point_perms(model)
    keys, res = _tables_of_sum(model, C, c, B, stats, note, perms)
    out = _symmetrize(dict(zip(keys.tolist(), _exact(res, mods))), perms, model.nX, model.base)
    cache[key] = out
    return out


def _direct_readout(model, M):
    """Depth-1 networks: the output is one 'unit' over the inputs."""
    n, mods = model.nX, model.mods
    v, c = model.preactivation(M, 1, 1, 1, model.plan.out_bias_mult, mods)
    zero = (np.zeros((1, n), np.int64), _residues([1], mods))
    keys, res = collapse(v, c, zero[0], zero[1], mods, model.zl, model.dense)
    return dict(zip(keys.tolist(), _exact(res, mods)))


# --------------------------------------------------------------------------- multisets


def _multisets(K, size):
    """Every multiset of ``size`` items from range(K) as a tuple of (index, multiplicity)."""
    for combo in itertools.combinations_with_replacement(range(K), size):
        yield tuple(Counter(combo).items())


def _num_multisets(K, size):
    return math.comb(K + size - 1, size)


def _recurse(model, layer, M, weight, hist, stats, note, cache, bar):
    D = model.unit_outputs(M, layer)
    if layer == len(model.shapes) - 1:
        stats.leaves += 1
        for key, cnt in _readout(model, D, stats, note, cache).items():
            hist[key] = hist.get(key, 0) + weight * cnt
        if layer == 0:
            bar.update(1)
        return
    if model.sym:
        D = _classes(*D)
    vecs, cnts = D
    counts = _exact(cnts, PLAIN)
    c, m = model.shapes[layer][:2]
    maps = vecs.reshape(len(vecs), m, model.nX)
    fact = math.factorial(c)
    for ms in _multisets(len(vecs), c):
        w = weight * fact
        for i, mult in ms:
            w = w // math.factorial(mult) * counts[i] ** mult
        _recurse(model, layer + 1, [(maps[i], mult) for i, mult in ms], w, hist, stats, note, cache, bar)
        if layer == 0:
            bar.update(1)


# --------------------------------------------------------------------------- public API


def fast_supported(spec) -> bool:
    """True when :func:`count_fast` handles ``spec`` (every family, activation, Q and
    zero-label rule; domains of at most 62 points, 39 under zero-label rule 0).

    >>> from enumerate import NetworkSpec
    >>> fast_supported(NetworkSpec.parse("sfc:2,6,2,1", "-1,0,1"))
    True
    """
    if len(spec.domain) > MAX_POINTS[spec.zero_label]:
        return False
    try:
        plan = IntegerPlan.of(spec)
    except SpecError:
        return False
    del plan
    nq, ng = len(spec.q), len(spec.scales)
    for c, m, k, s, cin, nin in spec.arch.hidden_shapes():
        if nq ** (cin * k + 1) * (ng if spec.arch.scaled else 1) >= MAX_UNIT_SETTINGS:
            return False
    return True


#: estimated seconds per readout (Python overhead of one multiset) and work units
#: (convolution steps and collapse pairs) per second, from benchmarks/fast.py on a laptop core
SECONDS_PER_READOUT = 0.006
WORK_PER_SECOND = 1.0e7


def _readout_work(C, nB, c):
    """Estimated (work units, largest distribution rows) of one readout over ``c`` units
    with contribution distribution ``C``: the cost model of :func:`_best_finish`. The
    size of the 2-fold sum is measured (when cheap); larger sums are extrapolated as a
    power of j fitted to sizes 1 and 2, capped by the number of multisets and the value box."""
    nC, n = C[0].shape
    amax = int(np.abs(C[0]).max(initial=1))
    est = {0: 1.0, 1: float(nC)}
    if c >= 2:
        if nC * nC <= 4_000_000:
            one = np.ones((nC, 1), np.int64)
            est[2] = float(len(conv(C[0].astype(np.int64), one, C[0].astype(np.int64), one, PLAIN)[0]))
        else:
            est[2] = nC * nC / 2.0
        alpha = math.log2(max(est[2] / nC, 1.0))
        for j in range(3, c + 1):
            box = float(2 * j * amax + 1) ** n
            est[j] = min(est[2] * (j / 2) ** alpha, float(math.comb(nC + j - 1, j)), box)
    best = None
    built = 0.0
    for j in range(1, c + 1):
        if c - j <= j:
            cost = built + est[j] * nB * est[c - j]
            if best is None or cost < best[0]:
                best = (cost, max(est[i] for i in range(j + 1)))
        built += CONV_COST * est[j] * nC
    return best


def estimate_fast(spec):
    """Cost of :func:`count_fast` estimated up front (one hidden unit is enumerated):
    multisets of layer-1 units to visit, readouts, work, ``seconds`` and ``bytes``.

    The estimate is an order of magnitude (it extrapolates the sizes of the readout
    sums and assumes :data:`WORK_PER_SECOND`); it is what the budget is checked against.

    >>> from enumerate import NetworkSpec
    >>> est = estimate_fast(NetworkSpec.parse("fc:2,6,2,1", "-1,0,1"))
    >>> est["layer1_classes"], est["layer1_multisets"]
    (11, 8008)
    """
    model = _Model(spec)
    out = {"points": model.nX, "residues": len(model.mods), "settings": spec.total, "readouts": 1}
    # one unit's pre-activation (the output unit of a depth-1 network, else a first-layer
    # unit) holds at most as many vectors as it has settings: bounded before it is enumerated
    if not model.shapes:
        terms = model.terms(model.inputs(), 1, 1, 1, model.plan.out_bias_mult, model.mods)
    else:
        c, m, k, s, cin, nin = model.shapes[0]
        terms = model.terms(model.inputs(), m, k, s, model.plan.bias_mult[0])
    unit_settings, width = _rows_bound(terms), terms[0][0].shape[1]
    unit_bytes = _map_bytes(model, unit_settings, width)
    if not model.shapes or unit_bytes > DEFAULT_MAX_BYTES:
        # depth 1: the count is that one unit (its work: every setting once per term, from above);
        # an unaffordable first unit is not enumerated here (its bound is the estimate)
        out.update(work=float(unit_settings) * (spec.arch.input_dim + 1) * CONV_COST, rows=float(unit_settings))
        out["seconds"] = out["readouts"] * SECONDS_PER_READOUT + out["work"] / WORK_PER_SECOND
        out["bytes"] = max(unit_bytes, int(out["rows"] * _row_bytes(model, model.nX) * 3))
        return out
    else:
        D = model.unit_outputs(model.inputs(), 0)
        if model.sym and len(model.shapes) > 1:
            D = _classes(*D)
        out["layer1_classes"] = len(D[0])
        readouts = 1
        for l in range(1, len(model.shapes)):
            # deeper layers: multisets of the previous layer's distinct outputs (the first
            # layer's count is exact; later layers are assumed to have as many classes)
            readouts *= _num_multisets(len(D[0]), model.shapes[l - 1][0])
        out["layer1_multisets"] = _num_multisets(len(D[0]), model.shapes[0][0]) if len(model.shapes) > 1 else 1
        # one readout's work: exact contributions for one hidden layer; for deeper nets
        # the first layer's units stand in for the last layer's (an order of magnitude)
        C = _readout_contributions(model, D if len(model.shapes) == 1 else _as_last(model, D))
        work, rows = _readout_work(C, len(model.qi), model.shapes[-1][0])
        out.update(readouts=readouts, work=work * readouts, rows=rows)
    row_bytes = _row_bytes(model, model.nX)
    out["seconds"] = out["readouts"] * SECONDS_PER_READOUT + out["work"] / WORK_PER_SECOND
    out["bytes"] = max(unit_bytes, int(out["rows"] * row_bytes * 3))
    return out


def _as_last(model, D):
    """Layer-1 unit outputs reshaped as if they were the last hidden layer's (estimates only)."""
    m = model.shapes[-1][1]
    vecs = D[0].reshape(len(D[0]), -1, model.nX)[:, :1, :]
    return np.repeat(vecs, m, axis=1).reshape(len(D[0]), -1), D[1]


def check_fast_budget(spec, force=False, max_seconds=DEFAULT_MAX_SECONDS, max_bytes=DEFAULT_MAX_BYTES):
    """Estimate the cost (:func:`estimate_fast`) and refuse it above the budget
    (:func:`~enumerate.counting.budget.check_cost`) unless ``force``; returns the estimate."""
    est = estimate_fast(spec)
    check_cost(spec, Cost("fast", f"visits {est['readouts']:,} readouts", est["seconds"], est["bytes"]),
               force=force, max_seconds=max_seconds, max_bytes=max_bytes)
    return est


def _store(hist, n, zl, big):
    """The packed store of a ``{digit key: count}`` histogram (digit x of the key, base 2
    or 3, is the label of point x: 1 is ``+`` in base 2; 2 ``+``, 1 ``0`` in base 3)."""
    from ..results.table_store import TableStore, exact_counts

    items = [(k, c) for k, c in hist.items() if c]
    keys = np.array([k for k, _ in items], np.int64)
    base, P = (3, 2) if zl == 2 else (2, 1)
    digits = (keys[:, None] // base ** np.arange(n, dtype=np.int64)) % base
    weight = np.uint64(1) << np.arange(n, dtype=np.uint64)
    tables = np.zeros((len(keys), P, 1), np.uint64)
    tables[:, 0, 0] = ((digits == base - 1) * weight).sum(axis=1, dtype=np.uint64)
    if P == 2:
        tables[:, 1, 0] = ((digits == 1) * weight).sum(axis=1, dtype=np.uint64)
    return TableStore.from_unsorted(tables, exact_counts([c for _, c in items], big), n)


def count_fast(spec, progress=None, *, force=False, checkpoint=None, max_seconds=DEFAULT_MAX_SECONDS,
               max_bytes=DEFAULT_MAX_BYTES):
    """The exact prior of ``spec`` by dynamic programming over neurons.

    Parameters
    ----------
    spec : NetworkSpec
    progress : bool or None
        Progress bar and memory notes on stderr (None: only when stderr is a terminal).
    force, max_seconds, max_bytes
        The cost is estimated first (:func:`estimate_fast`, stated on stderr with the
        progress); above ``max_seconds`` or ``max_bytes`` the run raises
        :class:`~enumerate.BudgetError` unless ``force``.
    checkpoint
        Refused: the fast counter is not resumable (use brute force for checkpoints).

    Returns
    -------
    FunctionPrior
        ``method="fast"``; the same counts as :func:`~enumerate.counting.brute.count_brute`.
        ``meta`` records the elapsed time, the largest distribution held (rows and
        bytes), the number of multisets visited and the residues used.
    """
    if len(spec.domain) > MAX_POINTS[spec.zero_label]:
        err = SpecError("--method", f"the fast counter handles at most {MAX_POINTS[spec.zero_label]} domain points "
                        f"under this zero-label rule, not {len(spec.domain)}")
        err.unsupported = "fast"  # count_prior adds which method can count it
        raise err
    if not fast_supported(spec):
        IntegerPlan.of(spec)  # raises the overflow error if that is the reason
        err = SpecError("--method", "a hidden unit of this network has too many settings for the fast counter")
        err.unsupported = "fast"
        raise err
    if checkpoint is not None:
        raise SpecError("--checkpoint", "the fast method is not resumable and writes no checkpoint; "
                        "drop --checkpoint, or use --method brute")
    t0 = time.perf_counter()
    est = check_fast_budget(spec, force, max_seconds, max_bytes)
    model = _Model(spec)
    model.max_bytes = None if force else max_bytes  # the counter stops itself before it could pass it
    stats = _Stats()
    show = sys.stderr.isatty() if progress is None else progress
    notes = []

    def note(msg):
        notes.append(msg)
        if show:
            print(msg, file=sys.stderr)

    if est["seconds"] > 10:
        note(f"fast: {spec.arch}: estimated {Cost('fast', '', est['seconds'], est['bytes']).describe()}")
    hist = {}
    M0 = model.inputs()
    if not model.shapes:
        hist = _direct_readout(model, M0)
        stats.leaves = 1
    else:
        leaves = est.get("layer1_multisets", 1)
        with progress_bar(total=leaves, desc=f"fast {spec.arch}", enabled=show, unit="multiset") as bar:
            _recurse(model, 0, M0, 1, hist, stats, note, {}, bar)
    counts = _store(hist, model.nX, model.zl, spec.total >= 2**63)
    covered = counts.covered()
    if covered != spec.total:  # an internal invariant, never expected to fire
        raise AssertionError(f"fast counter covered {covered} of {spec.total} settings")
    meta = {
        "elapsed_s": time.perf_counter() - t0,
        "fast": {
            "max_rows": stats.max_rows,
            "max_bytes": stats.bytes,
            "pairs": stats.pairs,
            "readouts": stats.leaves,
            "cache_hits": stats.cache_hits,
            "residues": [int(p) for p in model.mods],
            "notes": notes,
            "estimate": {"seconds": est["seconds"], "bytes": est["bytes"]},
        },
        **peak_rss_meta(),
    }
    return FunctionPrior(spec, counts, "fast", meta)


#: the pieces the teacher-equivalence counter (:mod:`enumerate.counting.teacher_count`) shares:
#: one unit's exact output distribution, the domain's point permutations, the CRT of residues
UnitModel = _Model
point_permutations = _point_perms
from_residues = _exact

"""numba kernels of the symmetry-reduced perceptron counter (see :mod:`enumerate.counting.perceptron`).

:func:`count_sorted` visits every multiset of ``d`` weights (a nondecreasing index
sequence into ``vals``) with its multinomial multiplicity, and for every bias histograms
the bit-packed truth table of ``sign(w . x + b)`` on the cube ``{lo, hi}^d``.
:func:`orbit_sizes` gives the number of distinct tables in the orbit of each
representative.

>>> import numpy as np
>>> keys, cnts = count_sorted(np.array([-1, 0, 1]), np.array([-1, 0, 1]), 1, 0, 1, 0, False)
>>> sorted(zip(keys[:, 0].tolist(), cnts.tolist()))   # '--' 5, '+-' 1, '-+' 1, '++' 2
[(0, 5), (1, 1), (2, 1), (3, 2)]
"""

import numpy as np
from numba import njit

from ..._support.hashmap import counts, insert, keys

__all__ = ["count_sorted", "count_block", "standard_keys", "new_map", "orbit_sizes", "run_labels"]


@njit(cache=True, nogil=True)
def _arrangements(a, d, fact):
    """d! / prod(run!) over the runs of equal entries of the sorted array a[:d]."""
    out = fact[d]
    run = 1
    for k in range(1, d + 1):
        if k < d and a[k] == a[k - 1]:
            run += 1
        else:
            out //= fact[run]
            run = 1
    return out


@njit(cache=True, nogil=True)
def count_sorted(vals, bias, d, lo, hi, zl, flips):
    """Histogram of tables over sorted weight vectors (with multiplicities) and biases.

    Parameters
    ----------
    vals : int64 array, ascending
        The weight values a multiset is drawn from (integer lattice).
    bias : int64 array, ascending
        The bias values on the same lattice as ``w . x``.
    d, lo, hi : int
        Input dimension and the two coordinate values of the cube.
    zl : int
        Zero-label rule: 0 (``f = 0`` is ``-``), 1 (``+``), 2 (a third value ``0``).
    flips : bool
        Multiply each multiplicity by 2^(number of nonzero weights) (``vals`` are then
        the nonpositive half of a symmetric Q).

    Returns
    -------
    keys : uint64 array (M, P * nw)
        Plane 0 (bit p: point p is ``+``), then plane 1 (bit p: point p is ``0``) when
        ``zl == 2``; nw = ceil(2^d / 64) words per plane.
    counts : int64 array (M,)
    """
    W = (2 if zl == 2 else 1) * (((1 << d) + 63) // 64)
    tab, _ = count_block(vals, bias, d, lo, hi, zl, flips, np.zeros(d, np.int64), -1, new_map(W), 0)
    return standard_keys(keys(tab, W), d, W // (((1 << d) + 63) // 64)), counts(tab, W)


@njit(cache=True, nogil=True)
def new_map(W, rows=1 << 16):
    """An empty hash map (:mod:`~enumerate._support.hashmap`) of ``rows`` rows (a power
    of two; it grows when half full) for keys of ``W`` words."""
    return np.zeros((rows, W + 1), np.uint64)


@njit(cache=True, nogil=True)
def _above(sums, h, hw, out):
    """``out[i]`` = the bit set of the points ``j < h`` with ``sums[j] > mn - 1 + i`` for
    ``i = 0..L`` (``mn, mx`` = the least and largest sum, ``L = mx - mn + 1``: ``out[0]``
    is every point, ``out[L]`` none). Returns ``(mn, L)``."""
    mn = sums[0]
    mx = sums[0]
    for j in range(h):
        mn = min(mn, sums[j])
        mx = max(mx, sums[j])
    L = mx - mn + 1
    out[:L + 1, :] = 0
    for j in range(h):
        out[sums[j] - mn, j >> 6] |= np.uint64(1) << np.uint64(j & 63)
    for i in range(L - 1, -1, -1):
        for w in range(hw):
            out[i, w] |= out[i + 1, w]
    return mn, L


@njit(cache=True, nogil=True)
def count_block(vals, bias, d, lo, hi, zl, flips, start, nvec, tab, size):
    """Add to the hash map ``tab`` (holding ``size`` entries) the tables of ``nvec``
    consecutive sorted weight vectors from the index multiset ``start`` (a nondecreasing
    int64 array of ``d`` indices into ``vals``), in lexicographic order; ``nvec < 0``: to
    the last one. The arguments are those of :func:`count_sorted`. Returns the map (grown
    if it filled) and its number of entries; the map is modified in place.

    The keys are in the *half-split* layout (:func:`standard_keys` converts them): the
    last input splits the cube into two halves of ``h = 2^(d-1)`` points, and bit
    ``x * h + j`` of a plane is point ``2 j + x`` (word-aligned halves from ``d = 7``).
    Each half of a table is a threshold set of the ``h`` sums of the first ``d - 1``
    weights, so per prefix of ``d - 1`` weights one table of those sets by threshold
    (:func:`_above`) gives every table of every last weight and bias by two lookups.

    >>> import numpy as np
    >>> v = np.array([-1, 0, 1])
    >>> tab, size = count_block(v, v, 1, 0, 1, 0, False, np.array([0]), 2, new_map(1), 0)
    >>> tab, size = count_block(v, v, 1, 0, 1, 0, False, np.array([2]), 1, tab, size)
    >>> sorted(zip(standard_keys(keys(tab, 1), 1, 1)[:, 0].tolist(), counts(tab, 1).tolist()))
    [(0, 5), (1, 1), (2, 1), (3, 2)]
    """
    n = 1 << d
    nw = (n + 63) // 64
    h = n >> 1
    hw = (h + 63) // 64
    P = 2 if zl == 2 else 1
    W = P * nw
    K = vals.shape[0]
    B = bias.shape[0]
    fact = np.ones(d + 1, np.int64)
    for i in range(1, d + 1):
        fact[i] = fact[i - 1] * i
    vmax = 0
    for v in vals:
        vmax = max(vmax, abs(v))
    spr = (d - 1) * vmax * max(abs(lo), abs(hi))  # |sum of the first d - 1 weights . x|
    thr = -1 if zl == 1 else 0  # a point is + when w . x + b > thr
    above = np.zeros((2 * spr + 2, hw), np.uint64)
    sums = np.zeros((d, h), np.int64)  # sums[k]: the 2^k partial sums of the first k weights
    kb = np.zeros((B, W), np.uint64)  # the table of every bias of one vector
    seg = np.zeros(B + 1, np.int64)  # the first bias of each run of equal tables
    key = np.zeros(W, np.uint64)
    idx = start.copy()
    rebuild = -1  # the first vector builds every level
    visited = 0
    mn = 0
    L = 0
    while nvec < 0 or visited < nvec:
        visited += 1
        if rebuild < d - 1:  # the prefix of d - 1 weights changed
            for k in range(max(rebuild, 0), d - 1):
                w = vals[idx[k]]
                for j in range(1 << k):
                    base = sums[k, j]
                    sums[k + 1, 2 * j] = base + w * lo
                    sums[k + 1, 2 * j + 1] = base + w * hi
            mn, L = _above(sums[d - 1], h, hw, above)
        wl = vals[idx[d - 1]]
        mult = _arrangements(idx, d, fact)
        if flips:
            for k in range(d):
                if vals[idx[k]] != 0:
                    mult *= 2
        # half x of the table of bias b: the prefix points with sum > thr - b - wl * x;
        # plane 1 (zl == 2): the points with sum == thr - b - wl * x
        nseg = 0
        for j in range(B):
            t = thr - bias[j]
            r0 = t - wl * lo - mn + 1
            r1 = t - wl * hi - mn + 1
            i0 = min(max(r0, 0), L)
            i1 = min(max(r1, 0), L)
            if h >= 64:
                for w in range(hw):
                    kb[j, w] = above[i0, w]
                    kb[j, hw + w] = above[i1, w]
            else:
                kb[j, 0] = above[i0, 0] | (above[i1, 0] << np.uint64(h))
            if zl == 2:
                z0 = min(max(r0 - 1, 0), L)
                z1 = min(max(r1 - 1, 0), L)
                if h >= 64:
                    for w in range(hw):
                        kb[j, nw + w] = above[z0, w] ^ above[i0, w]
                        kb[j, nw + hw + w] = above[z1, w] ^ above[i1, w]
                else:
                    kb[j, 1] = (above[z0, 0] ^ above[i0, 0]) | ((above[z1, 0] ^ above[i1, 0]) << np.uint64(h))
            x = np.uint64(0)
            if j > 0:
                for w in range(W):
                    x |= kb[j, w] ^ kb[j - 1, w]
            seg[nseg] = j
            nseg += 1 if (x != 0 or j == 0) else 0
        seg[nseg] = B
        for s in range(nseg):  # one map entry per run of equal tables
            for w in range(W):
                key[w] = kb[seg[s], w]
            tab, size = insert(tab, size, key, W, (seg[s + 1] - seg[s]) * mult)
        # next multiset: the rightmost index that can grow
        p = d - 1
        while p >= 0 and idx[p] == K - 1:
            p -= 1
        if p < 0:
            break
        idx[p] += 1
        for k in range(p + 1, d):
            idx[k] = idx[p]
        rebuild = p
    return tab, size


@njit(cache=True, nogil=True)
def _spread_table():
    """The 8-bit values with bit b moved to bit 2 b."""
    out = np.zeros(256, np.uint64)
    for v in range(256):
        r = 0
        for b in range(8):
            if (v >> b) & 1:
                r |= 1 << (2 * b)
        out[v] = r
    return out


@njit(cache=True, nogil=True)
def _spread32(x, tbl):
    """The low 32 bits of x with bit b moved to bit 2 b."""
    r = np.uint64(0)
    for b in range(4):
        r |= tbl[(x >> np.uint64(8 * b)) & np.uint64(255)] << np.uint64(16 * b)
    return r


@njit(cache=True, nogil=True)
def standard_keys(keys, d, P):
    """Keys of :func:`count_block`'s map (half-split layout, uint64 (M, P * nw)) in the
    cube's point order (bit p of a plane is point p), in place; returns ``keys``.

    >>> import numpy as np
    >>> standard_keys(np.array([[0b110000]], np.uint64), 3, 1).tolist()   # half 1, j = 0, 1: points 1, 3
    [[10]]
    """
    n = 1 << d
    nw = (n + 63) // 64
    h = n >> 1
    hw = (h + 63) // 64
    tbl = _spread_table()
    m32 = np.uint64(0xFFFFFFFF)
    tmp = np.zeros(nw, np.uint64)
    for r in range(keys.shape[0]):
        for pl in range(P):
            o = pl * nw
            if h >= 64:
                for w in range(hw):
                    a = keys[r, o + w]
                    b = keys[r, o + hw + w]
                    tmp[2 * w] = _spread32(a & m32, tbl) | (_spread32(b & m32, tbl) << np.uint64(1))
                    tmp[2 * w + 1] = (_spread32(a >> np.uint64(32), tbl)
                                      | (_spread32(b >> np.uint64(32), tbl) << np.uint64(1)))
                for w in range(nw):
                    keys[r, o + w] = tmp[w]
            else:
                x = keys[r, o]
                a = x & ((np.uint64(1) << np.uint64(h)) - np.uint64(1))
                keys[r, o] = _spread32(a, tbl) | (_spread32(x >> np.uint64(h), tbl) << np.uint64(1))
    return keys


@njit(cache=True, nogil=True)
def _bit(key, plane, nw, p):
    return (key[plane * nw + (p >> 6)] >> np.uint64(p & 63)) & np.uint64(1)


@njit(cache=True, nogil=True)
def _adjacent_symmetric(key, k, d, P, nw):
    """Swapping inputs k and k+1 leaves the table unchanged."""
    a = np.int64(1) << (d - 1 - k)
    b = np.int64(1) << (d - 2 - k)
    for p in range(1 << d):
        if (p & a) != 0 and (p & b) == 0:
            for pl in range(P):
                if _bit(key, pl, nw, p) != _bit(key, pl, nw, p ^ a ^ b):
                    return False
    return True


@njit(cache=True, nogil=True)
def _relevant(key, k, d, P, nw):
    """Flipping input k changes the table."""
    a = np.int64(1) << (d - 1 - k)
    for p in range(1 << d):
        if (p & a) == 0:
            for pl in range(P):
                if _bit(key, pl, nw, p) != _bit(key, pl, nw, p ^ a):
                    return True
    return False


@njit(cache=True, nogil=True)
def run_labels(keys, d, P):
    """Per table, the run index of every input: runs are maximal stretches of adjacent
    inputs whose swaps leave the table unchanged. Returns int64 (N, d)."""
    nw = ((1 << d) + 63) // 64
    out = np.zeros((keys.shape[0], d), np.int64)
    for r in range(keys.shape[0]):
        for k in range(1, d):
            out[r, k] = out[r, k - 1] + (0 if _adjacent_symmetric(keys[r], k - 1, d, P, nw) else 1)
    return out


@njit(cache=True, nogil=True)
def orbit_sizes(keys, d, P, flips):
    """Orbit sizes of regular representatives (tables of sorted weight vectors).

    Symmetric inputs of such a table are runs of adjacent inputs, and the stabilizer is
    the product of the symmetric groups of the runs (times 2 per irrelevant input when
    ``flips``), so the orbit has d! / prod(run!) (times 2^(relevant inputs)) tables.
    Input k is bit d-1-k of the point index.
    """
    nw = ((1 << d) + 63) // 64
    fact = np.ones(d + 1, np.int64)
    for i in range(1, d + 1):
        fact[i] = fact[i - 1] * i
    labels = run_labels(keys, d, P)
    out = np.empty(keys.shape[0], np.int64)
    for r in range(keys.shape[0]):
        size = _arrangements(labels[r], d, fact)
        if flips:
            for k in range(d):
                if _relevant(keys[r], k, d, P, nw):
                    size *= 2
        out[r] = size
    return out



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

from .hashmap import add, counts, grow, keys

__all__ = ["count_sorted", "count_block", "new_map", "orbit_sizes", "run_labels"]


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
    return keys(tab, W), counts(tab, W)


@njit(cache=True, nogil=True)
def new_map(W):
    """An empty hash map (:mod:`~enumerate.counting.kernels.hashmap`) for keys of ``W`` words."""
    return np.zeros((1 << 16, W + 1), np.uint64)


@njit(cache=True, nogil=True)
def count_block(vals, bias, d, lo, hi, zl, flips, start, nvec, tab, size):
    """Add to the hash map ``tab`` (holding ``size`` entries) the tables of ``nvec``
    consecutive sorted weight vectors from the index multiset ``start`` (a nondecreasing
    int64 array of ``d`` indices into ``vals``), in lexicographic order; ``nvec < 0``: to
    the last one. The arguments are those of :func:`count_sorted`. Returns the map (grown
    if it filled) and its number of entries; the map is modified in place.

    >>> import numpy as np
    >>> v = np.array([-1, 0, 1])
    >>> tab, size = count_block(v, v, 1, 0, 1, 0, False, np.array([0]), 2, new_map(1), 0)
    >>> tab, size = count_block(v, v, 1, 0, 1, 0, False, np.array([2]), 1, tab, size)
    >>> sorted(zip(keys(tab, 1)[:, 0].tolist(), counts(tab, 1).tolist()))
    [(0, 5), (1, 1), (2, 1), (3, 2)]
    """
    n = 1 << d
    nw = (n + 63) // 64
    P = 2 if zl == 2 else 1
    W = P * nw
    K = vals.shape[0]
    B = bias.shape[0]
    # factorials
    fact = np.ones(d + 1, np.int64)
    for i in range(1, d + 1):
        fact[i] = fact[i - 1] * i
    # the range of w . x and, per value s, the first bias index with s + b > thr
    vmax = 0
    for v in vals:
        vmax = max(vmax, abs(v))
    cmax = max(abs(lo), abs(hi))
    smax = d * vmax * cmax
    thr = -1 if zl == 1 else 0
    first = np.empty(2 * smax + 1, np.int64)
    zero_at = np.full(2 * smax + 1, -1, np.int64)
    for s in range(-smax, smax + 1):
        j = 0
        while j < B and s + bias[j] <= thr:
            j += 1
        first[s + smax] = j
        for jj in range(B):
            if s + bias[jj] == 0:
                zero_at[s + smax] = jj
    # state
    idx = start.copy()
    levels = np.zeros((d + 1, n), np.int64)
    posb = np.zeros((B + 1, nw), np.uint64)
    zerob = np.zeros((B, nw), np.uint64)
    cur = np.zeros(W, np.uint64)
    prev = np.zeros(W, np.uint64)
    rebuild = 0
    visited = 0
    while nvec < 0 or visited < nvec:
        visited += 1
        for k in range(rebuild, d):
            w = vals[idx[k]]
            m = 1 << k
            for j in range(m):
                base = levels[k, j]
                levels[k + 1, 2 * j] = base + w * lo
                levels[k + 1, 2 * j + 1] = base + w * hi
        # multiplicity of this multiset
        mult = _arrangements(idx, d, fact)
        if flips:
            for k in range(d):
                if vals[idx[k]] != 0:
                    mult *= 2
        # bucket the points by the first bias making them positive (and exactly zero)
        posb[:, :] = 0
        if zl == 2:
            zerob[:, :] = 0
        for p in range(n):
            s = levels[d, p] + smax
            bit = np.uint64(1) << np.uint64(p & 63)
            posb[first[s], p >> 6] |= bit
            if zl == 2 and zero_at[s] >= 0:
                zerob[zero_at[s], p >> 6] |= bit
        cur[:] = 0
        pending = 0
        for j in range(B):
            changed = False
            for w in range(nw):
                if posb[j, w] != 0:
                    cur[w] |= posb[j, w]
                    changed = True
            if zl == 2:
                for w in range(nw):
                    if cur[nw + w] != zerob[j, w]:
                        cur[nw + w] = zerob[j, w]
                        changed = True
            if changed and pending > 0:
                size += add(tab, prev, W, pending)
                pending = 0
            if changed or j == 0:
                prev[:] = cur
            pending += mult
            if 2 * (size + 1) > tab.shape[0]:
                tab = grow(tab, W)
        size += add(tab, prev, W, pending)
        if 2 * (size + 1) > tab.shape[0]:
            tab = grow(tab, W)
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



"""numba passes between a prior's tables and its classes under the input symmetries.

Both walk orbits with the group's generators (adjacent input transpositions, and a sign
flip of input 0 when flips are in the group), each given as a point map ``g`` with
``(T . g)[p] = T[g[p]]``.

>>> import numpy as np
>>> gens = generators(2, False)                    # swap x0 and x1 on {0,1}^2
>>> t = np.array([[[0b0010]]], np.uint64)          # "-+--"
>>> apply(t[0], gens[0]).tolist()                  # "--+-"
[[4]]
>>> apply_lut(t[0], lookup(gens), 0).tolist()
[[4]]
"""

import numpy as np
from numba import njit

from .._support.hashmap import add, slot
from . import _store_kernels as K

__all__ = ["generators", "lookup", "apply", "apply_lut", "to_classes", "expand"]


def generators(d, flips):
    """Point maps (g, 2^d) generating the input permutations (and flips) of the d-cube;
    input k is bit d-1-k of the point index."""
    p = np.arange(2**d)
    out = []
    for k in range(d - 1):
        a, b = d - 1 - k, d - 2 - k
        ba, bb = (p >> a) & 1, (p >> b) & 1
        out.append(p ^ ((ba ^ bb) << a) ^ ((ba ^ bb) << b))
    if flips:
        out.append(p ^ (1 << (d - 1)))
    return np.array(out, np.int64).reshape(len(out), 2**d)


@njit(cache=True, nogil=True)
def lookup(gens):
    """Byte tables (g, nbytes, 256, nw): the words that source byte ``k`` with value ``v``
    sets in the image under generator ``g`` (an image is the OR over the source bytes)."""
    G, n = gens.shape
    nw = (n + 63) // 64
    nb = nw * 8
    out = np.zeros((G, nb, 256, nw), np.uint64)
    for g in range(G):
        dest = np.empty(n, np.int64)  # source point -> image point
        for p in range(n):
            dest[gens[g, p]] = p
        for k in range(nb):
            for v in range(256):
                for b in range(8):
                    src = 8 * k + b
                    if (v >> b) & 1 and src < n:
                        q = dest[src]
                        out[g, k, v, q >> 6] |= np.uint64(1) << np.uint64(q & 63)
    return out


@njit(cache=True, nogil=True)
def apply_lut(t, L, g):
    """The table ``t`` (P, nw) moved by generator ``g`` of the byte tables ``L``."""
    P, nw = t.shape
    out = np.zeros((P, nw), np.uint64)
    for pl in range(P):
        for w in range(nw):
            x = t[pl, w]
            for j in range(8):
                v = (x >> np.uint64(8 * j)) & np.uint64(255)
                if v:
                    row = L[g, 8 * w + j, v]
                    for u in range(nw):
                        out[pl, u] |= row[u]
    return out


@njit(cache=True, nogil=True)
def apply(t, g):
    """The table ``t`` (P, nw) moved by the point map ``g``."""
    P, nw = t.shape
    out = np.zeros((P, nw), np.uint64)
    one = np.uint64(1)
    for p in range(g.shape[0]):
        src = g[p]
        w, b = src >> 6, np.uint64(src & 63)
        for pl in range(P):
            if (t[pl, w] >> b) & one:
                out[pl, p >> 6] |= one << np.uint64(p & 63)
    return out


@njit(cache=True, nogil=True)
def to_classes(tables, count_ids, gens, order, index, B, L):
    return _to_classes(tables, count_ids, lookup(gens), order, index, B, L)


@njit(cache=True, nogil=True)
def _orbit(t, L, tab, used, buf):
    """The distinct images of ``t`` (listed in ``buf``) by a walk over the generators, with
    the hash set ``tab`` (cleared after); returns how many."""
    P, nw = t.shape
    W = P * nw
    buf[0] = t
    i = slot(tab, t.ravel(), W)
    tab[i, :W] = t.ravel()
    tab[i, W] = 1
    used[0] = i
    head, tail = 0, 1
    while head < tail:
        for g in range(L.shape[0]):
            img = apply_lut(buf[head], L, g)
            j = slot(tab, img.ravel(), W)
            if tab[j, W] == 0:
                tab[j, :W] = img.ravel()
                tab[j, W] = 1
                used[tail] = j
                buf[tail] = img
                tail += 1
        head += 1
    for k in range(tail):
        tab[used[k], W] = 0
    return tail


@njit(cache=True, nogil=True)
def _to_classes(tables, count_ids, L, order, index, B, prefix):
    """Classes of a sorted table array whose counts (``count_ids``: equal ids for equal
    counts) are constant on orbits; ``order`` is the group order; ``index, B, prefix``
    the store's :func:`~enumerate.results._store_kernels.prefix_index` (B bits after
    ``prefix`` common ones).

    Returns (row of each class's canonical table, class sizes, bad row): the first
    table of an orbit in table order is its smallest, hence canonical. Each orbit is
    listed once and each of its tables looked up once. ``bad >= 0`` is a row whose
    orbit is missing a table or has two counts (then the classes are void)."""
    N, P, nw = tables.shape
    seen = np.zeros(N, np.bool_)
    reps = np.empty(N, np.int64)
    sizes = np.empty(N, np.int64)
    cap = 2
    while cap < 2 * order + 2:
        cap *= 2
    tab = np.zeros((cap, P * nw + 1), np.uint64)
    used = np.empty(order, np.int64)
    buf = np.empty((order, P, nw), np.uint64)
    m = 0
    for i in range(N):
        if seen[i]:
            continue
        size = _orbit(tables[i], L, tab, used, buf)
        for k in range(size):
            j = K.find_indexed(tables, index, B, prefix, buf[k])
            if j < 0 or count_ids[j] != count_ids[i] or seen[j]:
                return reps[:0], sizes[:0], i
            seen[j] = True
        reps[m] = i
        sizes[m] = size
        m += 1
    return reps[:m].copy(), sizes[:m].copy(), -1


@njit(cache=True, nogil=True)
def expand(reps, sizes, gens):
    return _expand(reps, sizes, lookup(gens))


@njit(cache=True, nogil=True)
def _expand(reps, sizes, L):
    """Every table of every class (rows grouped by class, unsorted) and the class of each row;
    ``bad >= 0`` is a class whose orbit does not have its recorded size."""
    N, P, nw = reps.shape
    W = P * nw
    total = 0
    for c in range(N):
        total += sizes[c]
    out = np.empty((total, P, nw), np.uint64)
    cls = np.empty(total, np.int64)
    at = 0
    for c in range(N):
        cap = 2
        while cap < 2 * sizes[c] + 2:
            cap *= 2
        tab = np.zeros((cap, W + 1), np.uint64)
        add(tab, reps[c].ravel(), W, 1)
        out[at] = reps[c]
        head, tail = at, at + 1
        while head < tail:
            for g in range(L.shape[0]):
                img = apply_lut(out[head], L, g)
                if add(tab, img.ravel(), W, 1):
                    if tail - at >= sizes[c]:
                        return out[:0], cls[:0], c
                    out[tail] = img
                    tail += 1
            head += 1
        if tail - at != sizes[c]:
            return out[:0], cls[:0], c
        cls[at:tail] = c
        at = tail
    return out, cls, -1

"""An open-addressing hash map from multi-word uint64 keys to positive counts (numba).

Layout: one ``uint64`` array ``tab`` of shape ``(capacity, W + 1)``; a row is one entry,
its first ``W`` words the key and column ``W`` the count. A row is free while its count
is 0, so counts must be positive (every user adds counts >= 1 below 2^63). The capacity
is a power of two; probing is linear from an FNV-style hash of the key words.

Why one row per entry: the counters insert hundreds of millions of random keys into
tables of millions of entries, which is memory-bound. With the key, the count and the
occupancy in one row a probe touches one cache line, where separate key, count and
used-flag arrays cost three.

Callers keep the number of entries themselves (``add`` tells when a key is new) and
:func:`grow` before the table is half full.

>>> import numpy as np
>>> tab = np.zeros((4, 2), np.uint64)            # W = 1 key word
>>> add(tab, np.array([7], np.uint64), 1, 2), add(tab, np.array([7], np.uint64), 1, 3)
(True, False)
>>> tab = grow(tab, 1)
>>> tab.shape, keys(tab, 1).tolist(), counts(tab, 1).tolist()
((8, 2), [[7]], [5])
"""

import numpy as np
from numba import njit

__all__ = ["slot", "add", "grow", "size", "keys", "counts"]


@njit(cache=True, nogil=True)
def slot(tab, key, W):
    """Row of ``key`` (its first ``W`` words) in ``tab``: its entry, or the free row where it goes."""
    cap = tab.shape[0]
    h = np.uint64(1469598103934665603)
    for w in range(W):
        h = (h ^ key[w]) * np.uint64(1099511628211)
        h ^= h >> np.uint64(31)
    i = np.int64(h & np.uint64(cap - 1))
    while tab[i, W] != 0:
        same = True
        for w in range(W):
            if tab[i, w] != key[w]:
                same = False
                break
        if same:
            return i
        i = (i + 1) & (cap - 1)
    return i


@njit(cache=True, nogil=True)
def add(tab, key, W, c):
    """Add the positive count ``c`` to ``key``; True when the key was new."""
    i = slot(tab, key, W)
    new = tab[i, W] == 0
    if new:
        for w in range(W):  # a loop, not a slice copy: a slice makes every call about 3x slower
            tab[i, w] = key[w]
    tab[i, W] += np.uint64(c)
    return new


@njit(cache=True, nogil=True)
def grow(tab, W):
    """A table of twice the capacity holding the same entries."""
    grown = np.zeros((2 * tab.shape[0], W + 1), np.uint64)
    for t in range(tab.shape[0]):
        if tab[t, W] != 0:
            grown[slot(grown, tab[t], W)] = tab[t]
    return grown


@njit(cache=True, nogil=True)
def size(tab, W):
    """The number of entries."""
    m = 0
    for i in range(tab.shape[0]):
        if tab[i, W] != 0:
            m += 1
    return m


@njit(cache=True, nogil=True)
def keys(tab, W):
    """The keys of the entries, uint64 (M, W), in row order."""
    out = np.empty((size(tab, W), W), np.uint64)
    t = 0
    for i in range(tab.shape[0]):
        if tab[i, W] != 0:
            out[t, :] = tab[i, :W]
            t += 1
    return out


@njit(cache=True, nogil=True)
def counts(tab, W):
    """The counts of the entries, int64 (M,), in the row order of :func:`keys`."""
    out = np.empty(size(tab, W), np.int64)
    t = 0
    for i in range(tab.shape[0]):
        if tab[i, W] != 0:
            out[t] = tab[i, W]
            t += 1
    return out

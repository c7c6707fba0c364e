"""The one open-addressing hash map of the package's kernels: multi-word keys to counts (numba).

Layout: one array ``tab`` of shape ``(capacity, W + C)``; a row is one entry, its first
``W`` words the key and the ``C`` columns after it the entry's values. The capacity is a
power of two; probing is linear from :func:`home`, a splitmix64 mix of every key word (every
key bit reaches the low bits, so keys packed from small integers spread evenly). A row is
free while its *occupancy column* ``occ`` is 0:

- the counting maps (:func:`slot`, :func:`add`, :func:`insert`) are ``uint64`` with one
  count column, ``occ = W``: counts are positive (every user adds counts >= 1 below 2^63);
- a map whose values may be 0 (counts modulo a prime) keeps keys whose first word is never 0
  and passes ``occ = 0`` to :func:`probe` and :func:`grow`.

Why one row per entry: the counters insert hundreds of millions of random keys into
tables of millions of entries, which is memory-bound. With the key, the count and the
occupancy in one row a probe touches one cache line, where separate key, count and
used-flag arrays cost three.

The probing functions (:func:`home`, :func:`holds`, :func:`probe`, :func:`slot`,
:func:`add`, :func:`insert`) are inlined into their callers (numba ``inline="always"``):
as calls, the array arguments' reference counting made the perceptron counter's 5-bit run
1.5x slower than a hand-inlined map; inlined, it is 15% faster.

Callers keep the number of entries themselves (``add`` tells when a key is new; ``insert``
keeps it and grows the table before it is half full).

>>> import numpy as np
>>> tab = np.zeros((4, 2), np.uint64)            # W = 1 key word
>>> add(tab, np.array([7], np.uint64), 1, 2), add(tab, np.array([7], np.uint64), 1, 3)
(True, False)
>>> tab, n = insert(tab, 1, np.array([9], np.uint64), 1, 1)
>>> n, tab.shape                                 # two entries: grown before half full
(2, (8, 2))
>>> sorted(zip(keys(tab, 1).ravel().tolist(), counts(tab, 1).tolist()))   # rows in hash order
[(7, 5), (9, 1)]
"""

import numpy as np
from numba import njit

__all__ = ["home", "holds", "probe", "slot", "add", "insert", "grow", "size", "keys", "counts"]


@njit(cache=True, nogil=True, inline="always")
def home(key, W, cap):
    """The row where probing for ``key`` (its first ``W`` words) starts in a map of ``cap`` rows."""
    h = np.uint64(1469598103934665603)
    for w in range(W):
        h = (h ^ np.uint64(key[w])) * np.uint64(0x9E3779B97F4A7C15)
        h ^= h >> np.uint64(30)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(27)
        h *= np.uint64(0x94D049BB133111EB)
        h ^= h >> np.uint64(31)
    return np.int64(h & np.uint64(cap - 1))


@njit(cache=True, nogil=True, inline="always")
def holds(tab, i, key, W):
    """True when row ``i`` of ``tab`` starts with the ``W`` words of ``key``."""
    for w in range(W):
        if tab[i, w] != key[w]:
            return False
    return True


@njit(cache=True, nogil=True, inline="always")
def probe(tab, key, W, occ, i):
    """Row of ``key`` in ``tab`` found by probing from row ``i``: its entry, or the free row
    (column ``occ`` is 0) where it goes."""
    mask = tab.shape[0] - 1
    while tab[i, occ] != 0:
        if holds(tab, i, key, W):
            return i
        i = (i + 1) & mask
    return i


@njit(cache=True, nogil=True, inline="always")
def slot(tab, key, W):
    """Row of ``key`` in a counting map: its entry, or the free row where it goes."""
    return probe(tab, key, W, W, home(key, W, tab.shape[0]))


@njit(cache=True, nogil=True, inline="always")
def add(tab, key, W, c):
    """Add the positive count ``c`` to ``key``; True when the key was new."""
    i = slot(tab, key, W)
    new = tab[i, W] == 0
    if new:
        for w in range(W):  # a loop, not a slice copy: a slice makes every call about 3x slower
            tab[i, w] = key[w]
    tab[i, W] += np.uint64(c)
    return new


@njit(cache=True, nogil=True, inline="always")
def insert(tab, n, key, W, c):
    """:func:`add` into a map of ``n`` entries; returns the map (grown before it is half
    full) and its number of entries."""
    if add(tab, key, W, c):
        n += 1
        if 2 * (n + 1) > tab.shape[0]:
            tab = grow(tab, W, W)
    return tab, n


@njit(cache=True, nogil=True)
def grow(tab, W, occ):
    """A map of twice the capacity holding the same entries (occupancy column ``occ``)."""
    grown = np.zeros((2 * tab.shape[0], tab.shape[1]), tab.dtype)
    for t in range(tab.shape[0]):
        if tab[t, occ] != 0:
            grown[probe(grown, tab[t], W, occ, home(tab[t], W, grown.shape[0]))] = tab[t]
    return grown


@njit(cache=True, nogil=True)
def size(tab, W):
    """The number of entries of a counting map."""
    m = 0
    for i in range(tab.shape[0]):
        if tab[i, W] != 0:
            m += 1
    return m


@njit(cache=True, nogil=True)
def keys(tab, W):
    """The keys of a counting map's entries, uint64 (M, W), in row order."""
    out = np.empty((size(tab, W), W), np.uint64)
    t = 0
    for i in range(tab.shape[0]):
        if tab[i, W] != 0:
            out[t, :] = tab[i, :W]
            t += 1
    return out


@njit(cache=True, nogil=True)
def counts(tab, W):
    """The counts of a counting map's entries, int64 (M,), in the row order of :func:`keys`."""
    out = np.empty(size(tab, W), np.int64)
    t = 0
    for i in range(tab.shape[0]):
        if tab[i, W] != 0:
            out[t] = tab[i, W]
            t += 1
    return out

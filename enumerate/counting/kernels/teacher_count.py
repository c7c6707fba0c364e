"""numba kernels of the teacher-equivalence counter (:mod:`enumerate.counting.teacher_count`).

A *state table* is a set of integer vectors (one coordinate per domain point, or per
(unit, point) pair) packed ``bits`` bits per coordinate into ``kw`` uint64 words
(``value + off`` unsigned), with exact counts: int64 column r holds the count modulo the
prime ``mods[r]`` (< 2^31, so a product of two residues fits in int64), or the count
itself when ``mods[0] == 0``.

- :func:`step_rows` adds one more unit to every state: each state times each of the K
  contribution types, clipped (coordinates whose outcome is already decided are clamped,
  states that can no longer match are dropped), reduced to a canonical representative
  of its orbit under the given coordinate permutations, and added into an
  open-addressing hash map.
- :func:`finish_rows` is the last step of the meet in the middle: for every left state,
  the right half's count in the box the table requires, read from a cumulative array.

>>> import numpy as np
>>> y = np.array([-1, 2, 0], np.int64); key = np.zeros(1, np.uint64)
>>> pack(y, 8, 128, key); out = np.zeros(3, np.int64); unpack(key, 8, 128, out); out.tolist()
[-1, 2, 0]
"""

import numpy as np
from numba import njit

__all__ = ["pack", "unpack", "step_rows", "grow", "finish_rows", "new_table"]

_MULT = np.uint64(0x9E3779B97F4A7C15)


@njit(cache=True, nogil=True)
def pack(y, bits, off, out):
    """Pack the int64 vector ``y`` (``value + off`` in ``bits`` bits each) into ``out``."""
    per = 64 // bits
    for w in range(out.shape[0]):
        out[w] = np.uint64(0)
    for i in range(y.shape[0]):
        out[i // per] |= np.uint64(y[i] + off) << np.uint64((i % per) * bits)


@njit(cache=True, nogil=True)
def unpack(key, bits, off, out):
    """The inverse of :func:`pack`."""
    per = 64 // bits
    mask = (np.uint64(1) << np.uint64(bits)) - np.uint64(1)
    for i in range(out.shape[0]):
        out[i] = np.int64((key[i // per] >> np.uint64((i % per) * bits)) & mask) - off


@njit(cache=True, nogil=True)
def _hash(key):
    h = np.uint64(1469598103934665603)
    for w in range(key.shape[0]):
        h = (h ^ key[w]) * _MULT
        h ^= h >> np.uint64(29)
    return h


@njit(cache=True, nogil=True)
def _slot(hkeys, hocc, key):
    cap = hkeys.shape[0]
    i = np.int64(_hash(key) & np.uint64(cap - 1))
    kw = key.shape[0]
    while hocc[i]:
        same = True
        for w in range(kw):
            if hkeys[i, w] != key[w]:
                same = False
                break
        if same:
            return i
        i = (i + 1) & (cap - 1)
    return i


def new_table(cap, kw, R):
    """An empty hash map of capacity ``cap`` (a power of two): (keys, occupied, counts)."""
    return np.zeros((cap, kw), np.uint64), np.zeros(cap, np.uint8), np.zeros((cap, R), np.int64)


@njit(cache=True, nogil=True)
def grow(hkeys, hocc, hcnts):
    """A map of twice the capacity with the same entries."""
    cap, kw = hkeys.shape
    nk = np.zeros((2 * cap, kw), np.uint64)
    no = np.zeros(2 * cap, np.uint8)
    nc = np.zeros((2 * cap, hcnts.shape[1]), np.int64)
    for t in range(cap):
        if hocc[t]:
            i = _slot(nk, no, hkeys[t])
            nk[i] = hkeys[t]
            no[i] = 1
            nc[i] = hcnts[t]
    return nk, no, nc


@njit(cache=True, nogil=True)
def _less(a, b):
    for w in range(a.shape[0] - 1, -1, -1):
        if a[w] != b[w]:
            return a[w] < b[w]
    return False


@njit(cache=True, nogil=True)
def step_rows(skeys, scnts, i0, i1, tu, tc, mods, dlo, dhi, clo, chi, perms, bits, off,
              hkeys, hocc, hcnts, used, maxfill):
    """Add one unit to states ``i0:i1`` (contribution types ``tu`` (K, n) with count
    residues ``tc`` (K, R)): drop a coordinate outside [dlo, dhi], clamp into [clo, chi],
    keep the least packed key over ``perms`` (G, n) and add into the map. Returns
    ``(next state, used)``: it stops early before the map would pass ``maxfill`` entries."""
    n = tu.shape[1]
    K = tu.shape[0]
    R = scnts.shape[1]
    kw = skeys.shape[1]
    G = perms.shape[0]
    x = np.empty(n, np.int64)
    y = np.empty(n, np.int64)
    z = np.empty(n, np.int64)
    key = np.empty(kw, np.uint64)
    cand = np.empty(kw, np.uint64)
    for s in range(i0, i1):
        if used + K > maxfill:
            return s, used
        unpack(skeys[s], bits, off, x)
        for k in range(K):
            ok = True
            for i in range(n):
                v = x[i] + tu[k, i]
                if v < dlo[i] or v > dhi[i]:
                    ok = False
                    break
                if v < clo[i]:
                    v = clo[i]
                elif v > chi[i]:
                    v = chi[i]
                y[i] = v
            if not ok:
                continue
            pack(y, bits, off, key)
            for g in range(1, G):
                for i in range(n):
                    z[i] = y[perms[g, i]]
                pack(z, bits, off, cand)
                if _less(cand, key):
                    key[:] = cand
            t = _slot(hkeys, hocc, key)
            if not hocc[t]:
                hocc[t] = 1
                hkeys[t] = key
                used += 1
            for r in range(R):
                p = mods[r]
                if p == 0:
                    hcnts[t, r] += scnts[s, r] * tc[k, r]
                else:
                    hcnts[t, r] = (hcnts[t, r] + (scnts[s, r] * tc[k, r]) % p) % p
    return i1, used


@njit(cache=True, nogil=True)
def finish_rows(skeys, scnts, r, p, bits, off, kind, tau, ylo, ysize, strides, garr):
    """sum_s count_s * G(tau - x_s) (mod p, or exact when p == 0): ``garr`` is the right
    half's cumulative array (flattened; axis i has ``ysize[i]`` values from ``ylo[i]``),
    summed upward on a ``kind`` 0 axis (y_i >= t), downward on kind 1 (y_i <= t), and
    not at all on kind 2 (y_i == t)."""
    n = kind.shape[0]
    x = np.empty(n, np.int64)
    acc = np.int64(0)
    for s in range(skeys.shape[0]):
        unpack(skeys[s], bits, off, x)
        idx = 0
        ok = True
        for i in range(n):
            j = tau[i] - x[i] - ylo[i]
            if kind[i] == 0:
                if j < 0:
                    j = 0
                elif j >= ysize[i]:
                    ok = False
                    break
            elif kind[i] == 1:
                if j >= ysize[i]:
                    j = ysize[i] - 1
                elif j < 0:
                    ok = False
                    break
            elif j < 0 or j >= ysize[i]:
                ok = False
                break
            idx += j * strides[i]
        if not ok:
            continue
        if p == 0:
            acc += scnts[s, r] * garr[idx]
        else:
            acc = (acc + (scnts[s, r] * garr[idx]) % p) % p
    return acc

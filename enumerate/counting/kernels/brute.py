"""numba kernels of the brute-force enumerator (see :mod:`enumerate.counting.brute`).

Enumeration order: an odometer whose digits are the hidden units (a unit is one FC
neuron or one conv channel; its digit is the index of its (weights, bias, scale)
setting), then the readout weights one digit each; the readout bias is looped
innermost. When only readout weights change, the output pre-activation S(x) is
updated in place by ``delta * feature(x)`` (integers); when a hidden unit changes, that
unit and everything after it is recomputed.

Counters: direct-addressed (one int64 per possible table) when the table space is at
most 2^22. Otherwise each table is written as its *sort key* (the layout of
:func:`enumerate.results._store_kernels.sort_keys`: point 0 most significant, one bit per
point, ``-`` = 1, or two bits ``+`` 00, ``-`` 01, ``0`` 10) through a small direct-mapped
combiner (a cache-sized table that adds repeats and evicts on a collision) into a row
buffer of (key words, count). The caller sorts a full buffer in place and merges it
into its sorted result, so no large hash map is ever probed at random: sequential
writes, an in-place radix sort, and sorted merges.
"""

import numpy as np
from numba import njit

from ..._support.hashmap import holds, home

__all__ = ["unit_activations", "readout_features", "run_range", "emit_key", "drain_combiner"]


@njit(cache=True, nogil=True)
def unit_activations(l, j, s, acts, qi, gi, scaled, npos, kern, strd, cin, bias_mult, clamp, act_code, lpos, lneg,
                     nX, wbuf):
    """Write the integer activations of hidden unit ``j`` of layer ``l`` at its setting
    ``s`` (the unit's odometer digit) into ``acts``, for every domain point."""
    nq = qi.shape[0]
    g = 1
    if scaled:
        ng = gi.shape[0]
        g = gi[s % ng]
        s //= ng
    b = qi[s % nq] * bias_mult[l]
    s //= nq
    K = kern[l]
    fan = cin[l] * K
    for f in range(fan - 1, -1, -1):
        wbuf[f] = qi[s % nq]
        s //= nq
    for t in range(npos[l]):
        base = t * strd[l]
        for x in range(nX):
            z = b
            for i in range(cin[l]):
                for k in range(K):
                    z += wbuf[i * K + k] * acts[l, i, base + k, x]
            if act_code == 0:
                a = 1 if z > 0 else (-1 if z < 0 else 0)
            elif act_code == 1:
                a = 1 if z > 0 else 0
            elif act_code == 2:
                a = z if z > 0 else 0
            elif act_code == 3:
                a = z
            elif act_code == 4:
                c = clamp[l]
                a = c if z > c else (-c if z < -c else z)
            else:
                a = lpos * z if z > 0 else lneg * z
            acts[l + 1, j, t, x] = a * g


@njit(cache=True, nogil=True)
def readout_features(acts, H, chans, length, pool, feats, nX):
    """The readout's inputs from the last hidden layer's activations: the flattened
    feature map, or its sum over positions when ``pool``."""
    for c in range(chans):
        if pool:
            for x in range(nX):
                acc = 0
                for t in range(length):
                    acc += acts[H, c, t, x]
                feats[c, x] = acc
        else:
            for t in range(length):
                for x in range(nX):
                    feats[c * length + t, x] = acts[H, c, t, x]


@njit(cache=True, nogil=True)
def emit_key(cache, buf, nbuf, kbuf, K, c):
    """Add count ``c`` of the sort key ``kbuf`` through the combiner ``cache`` (rows of K
    words and a count, 0 = free); an evicted entry goes to ``buf`` at row ``nbuf``.
    Returns the new number of buffer rows."""
    i = home(kbuf, K, cache.shape[0])  # direct-mapped: the home row only, no probing
    if cache[i, K] != 0:
        if holds(cache, i, kbuf, K):
            cache[i, K] += np.uint64(c)
            return nbuf
        for w in range(K + 1):
            buf[nbuf, w] = cache[i, w]
        nbuf += 1
    for w in range(K):
        cache[i, w] = kbuf[w]
    cache[i, K] = np.uint64(c)
    return nbuf


@njit(cache=True, nogil=True)
def drain_combiner(cache, buf, nbuf, K):
    """Move every combiner entry into ``buf`` from row ``nbuf`` (room is the caller's
    care); returns the new number of rows."""
    for i in range(cache.shape[0]):
        if cache[i, K] != 0:
            for w in range(K + 1):
                buf[nbuf, w] = cache[i, w]
            cache[i, K] = 0
            nbuf += 1
    return nbuf


@njit(cache=True, nogil=True)
def _keys_of(S, bb, zl, nX, kbuf, K, pad):
    """The sort key of the table sign(S + bb) under zero-label rule ``zl`` into ``kbuf``."""
    if zl != 2:
        for w in range(K):
            word = pad[w]
            lo = 64 * w
            top = min(64, nX - lo)
            if zl == 0:
                for j in range(top):
                    word |= np.uint64(S[lo + j] + bb <= 0) << np.uint64(63 - j)
            else:
                for j in range(top):
                    word |= np.uint64(S[lo + j] + bb < 0) << np.uint64(63 - j)
            kbuf[w] = word
    else:
        for w in range(K):
            word = pad[w]
            lo = 32 * w
            top = min(32, nX - lo)
            for j in range(top):
                z = S[lo + j] + bb
                word |= (np.uint64(z == 0) << np.uint64(63 - 2 * j)) | (np.uint64(z < 0) << np.uint64(62 - 2 * j))
            kbuf[w] = word


@njit(cache=True, nogil=True)
def run_range(start, stop, radix, unit_layer, unit_chan, qi, gi, scaled, acts, npos, kern, strd, cin,
              bias_mult, clamp, act_code, lpos, lneg, H, last_c, last_n, pool, F, out_bm, zl, nX,
              direct, hist, cache, buf, nbuf, pad):
    """Count the tables of steps [start, stop) (each step = one readout-bias loop).

    Adds into ``hist`` (direct mode) or through the combiner ``cache`` into the row buffer
    ``buf`` (rows: sort-key words, count; ``pad`` the key bits of the points past ``nX``).
    Stops early, before a step, when the buffer could not take one more step; returns
    (the next step, the number of buffer rows).
    """
    ndig = radix.shape[0]
    nunits = unit_layer.shape[0]
    nq = qi.shape[0]
    digits = np.zeros(ndig, dtype=np.int64)
    rem = start
    for d in range(ndig - 1, -1, -1):
        digits[d] = rem % radix[d]
        rem //= radix[d]
    wbuf = np.zeros(64 + acts.shape[1] * acts.shape[2], dtype=np.int64)
    feats = np.zeros((F, nX), dtype=np.int64)
    S = np.zeros(nX, dtype=np.int64)
    K = buf.shape[1] - 1
    kbuf = np.zeros(max(K, 1), dtype=np.uint64)
    k = 0  # first digit that changed: units from k on (or S) must be recomputed
    first = True
    step = start
    while step < stop:
        if not direct and nbuf + nq > buf.shape[0]:
            return step, nbuf
        if first or k < nunits:
            first = False
            for u in range(k, nunits):
                unit_activations(unit_layer[u], unit_chan[u], digits[u], acts, qi, gi, scaled, npos, kern, strd,
                      cin, bias_mult, clamp, act_code, lpos, lneg, nX, wbuf)
            readout_features(acts, H, last_c, last_n, pool, feats, nX)
            for x in range(nX):
                acc = 0
                for f in range(F):
                    acc += qi[digits[nunits + f]] * feats[f, x]
                S[x] = acc
        else:
            for d in range(k, ndig):
                f = d - nunits
                if d == k:
                    delta = qi[digits[d]] - qi[digits[d] - 1]
                else:
                    delta = qi[0] - qi[nq - 1]
                for x in range(nX):
                    S[x] += delta * feats[f, x]
        for bq in range(nq):
            bb = qi[bq] * out_bm
            if direct:
                key = 0
                if zl == 0:  # branch-free loops: the hot path
                    for x in range(nX):
                        key |= np.int64(S[x] + bb > 0) << x
                elif zl == 1:
                    for x in range(nX):
                        key |= np.int64(S[x] + bb >= 0) << x
                else:
                    for x in range(nX):
                        z = S[x] + bb
                        key |= (np.int64(z > 0) << x) | (np.int64(z == 0) << (nX + x))
                hist[key] += 1
            else:
                _keys_of(S, bb, zl, nX, kbuf, K, pad)
                nbuf = emit_key(cache, buf, nbuf, kbuf, K, 1)
        step += 1
        if step >= stop:
            break
        k = ndig - 1
        while True:
            digits[k] += 1
            if digits[k] < radix[k]:
                break
            digits[k] = 0
            k -= 1
    return step, nbuf

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
  the right half's count in the box the table requires, read from a cumulative array
  (every prime in one pass).

>>> import numpy as np
>>> y = np.array([-1, 2, 0], np.int64); key = np.zeros(1, np.uint64)
>>> pack(y, 8, 128, key); out = np.zeros(3, np.int64); unpack(key, 8, 128, out); out.tolist()
[-1, 2, 0]
"""

import numpy as np
from numba import njit

from ..._support.hashmap import home, probe

__all__ = ["pack", "unpack", "step_rows", "finish_rows", "new_table", "flat_index", "scatter_add",
           "dense_accumulate", "mark", "box_keys", "bounds", "cumulate", "box_step", "box_finish"]



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


def new_table(cap, kw, R):
    """An empty hash map (:mod:`~enumerate._support.hashmap`) of capacity ``cap`` (a power
    of two). A row is one entry: ``kw`` key words (int64 views of the packed words; a packed
    word is never 0) then the R count residues (which may be 0), so a row is free while its
    first word is 0: occupancy column 0."""
    return np.zeros((cap, kw + R), np.int64)


#: a count word above this is reduced modulo its prime before the next addition
_LAZY = np.int64(2**61)
_M28 = np.int64((1 << 28) - 1)


@njit(inline="always")
def _mac(acc, s1, s2, a, g, p):
    """``acc + a*g`` exactly (``p == 0``: int64 counts) or modulo ``p`` as three lazily reduced
    words ``acc + 2^28 s1 + 2^56 s2`` (28-bit halves keep every product below 2^63)."""
    if p == 0:
        return acc + a * g, s1, s2
    a1, a0, g1, g0 = a >> 28, a & _M28, g >> 28, g & _M28
    acc += a0 * g0
    s1 += a1 * g0 + a0 * g1
    s2 += a1 * g1
    if acc >= _LAZY:
        acc %= p
    if s1 >= _LAZY:
        s1 %= p
    if s2 >= _LAZY:
        s2 %= p
    return acc, s1, s2


@njit(cache=True, nogil=True)
def step_rows(skeys, scnts, i0, i1, tu, tc, mods, dlo, dhi, clo, chi, perms, bits, off, tab, used, maxfill):
    """Add one unit to states ``i0:i1`` (contribution types ``tu`` (K, n) with count
    residues ``tc`` (K, R), both below 2^31): drop a coordinate outside [dlo, dhi], clamp
    into [clo, chi], keep the least packed key over ``perms`` (G, n) and add into the map
    ``tab``. Count words are reduced lazily (the caller reduces them modulo the primes at
    the end). Returns ``(next state, used)``: it stops early before the map would pass
    ``maxfill`` entries."""
    n = tu.shape[1]
    K = tu.shape[0]
    R = scnts.shape[1]
    kw = skeys.shape[1]
    G = perms.shape[0]
    cap = tab.shape[0]
    x = np.empty(n, np.int64)
    y = np.empty(n, np.int64)
    z = np.empty(n, np.int64)
    key = np.empty(kw, np.uint64)
    # one state's new keys are made first and looked up after, their first map rows read in a
    # loop of independent loads: the cache misses of the map overlap instead of queueing
    bkey = np.empty((K, kw), np.int64)
    btype = np.empty(K, np.int64)
    bslot = np.empty(K, np.int64)
    sink = np.zeros(1, np.int64)
    for s in range(i0, i1):
        if used + K > maxfill:
            return s, used
        unpack(skeys[s], bits, off, x)
        nb = 0
        for k in range(K):
            bad = False
            for i in range(n):  # branch-free over the coordinates (vectorized)
                v = x[i] + tu[k, i]
                bad |= (v < dlo[i]) | (v > dhi[i])
                y[i] = min(max(v, clo[i]), chi[i])
            if bad:
                continue
            # the least packed key over the perms: packed order is lexicographic with the last
            # coordinate most significant, so compare coordinates from the top and stop at the first difference
            best = 0
            for g in range(1, G):
                for i in range(n - 1, -1, -1):
                    a = y[perms[g, i]]
                    c = y[perms[best, i]]
                    if a != c:
                        if a < c:
                            best = g
                        break
            for i in range(n):
                z[i] = y[perms[best, i]]
            pack(z, bits, off, key)
            for w in range(kw):
                bkey[nb, w] = np.int64(key[w])
            bslot[nb] = home(bkey[nb], kw, cap)
            btype[nb] = k
            nb += 1
        acc = np.int64(0)
        for t in range(nb):
            acc ^= tab[bslot[t], 0]
        sink[0] ^= acc
        for t in range(nb):
            i = probe(tab, bkey[t], kw, 0, bslot[t])
            if tab[i, 0] == 0:
                tab[i, :kw] = bkey[t]
                used += 1
            k = btype[t]
            for r in range(R):
                v = tab[i, kw + r] + scnts[s, r] * tc[k, r]
                p = mods[r]
                if p != 0 and v >= _LAZY:
                    v %= p
                tab[i, kw + r] = v
    return i1, used


@njit(cache=True, nogil=True)
def finish_rows(skeys, scnts, mods, bits, off, kind, tau, bias, wts, ylo, ysize, strides, garr):
    """sum_s sum_b count_s * G(tau - x_s - bias_b) for every prime at once: row r of the
    (R, 3) result is (s0, s1, s2) with the sum s0 + s1 2^28 + s2 2^56 (mod ``mods[r]``;
    exact s0 when it is 0, residues below 2^57). ``garr`` (cells, R) is the right half's
    cumulative array (row-major cells, the R residues of a cell side by side: one memory
    read serves every prime; axis i has ``ysize[i]`` values from ``ylo[i]``), summed upward
    on a ``kind`` 0 axis (y_i >= t), downward on kind 1 (y_i <= t), and not at all on kind 2
    (y_i == t); ``bias`` (B, n) are vectors not yet added to the states (the readout bias
    values; or the unit types of one more unit, the last unit of the left part, read here
    instead of being hashed; one zero row when there are none) and ``wts`` (B, R) their
    count residues (below 2^61 / p; ones for the readout bias): the sum is
    sum_s sum_b count_s * wts_b * G(tau - x_s - bias_b). States sorted by their row-major
    cell make the reads of one ``b`` walk ``garr`` forward (far fewer cache misses)."""
    n = kind.shape[0]
    R = mods.shape[0]
    B = bias.shape[0]
    x = np.empty(n, np.int64)
    z = np.empty(n, np.int64)
    # j_i = z_i - bias_bi reads cell min(max(j_i, 0), ysize_i - 1) and is valid inside [vlo_i, vhi_i]
    # (kind 0: no lower limit, the cells >= t; kind 1: no upper limit; kind 2: the box):
    # branch-free over the coordinates, so the compiler vectorizes the loop
    top = ysize - 1
    vlo = np.where(kind == 0, -(2**40), 0)
    vhi = np.where(kind == 1, 2**40, top)
    # residues up to 2^57: a * g = a1 g1 2^56 + (a1 g0 + a0 g1) 2^28 + a0 g0 with 28-bit halves,
    # the three sums kept (lazily reduced) and combined by the caller
    out = np.zeros((R, 3), np.int64)
    for s in range(skeys.shape[0]):
        unpack(skeys[s], bits, off, x)
        for i in range(n):
            z[i] = tau[i] - x[i] - ylo[i]
        for b in range(B):
            idx = 0
            bad = 0
            for i in range(n):
                j = z[i] - bias[b, i]
                bad |= (j < vlo[i]) | (j > vhi[i])
                idx += min(max(j, 0), top[i]) * strides[i]
            if bad:
                continue
            for r in range(R):
                p = mods[r]
                a = scnts[s, r] * wts[b, r]
                if p != 0:
                    a %= p
                out[r, 0], out[r, 1], out[r, 2] = _mac(out[r, 0], out[r, 1], out[r, 2], a, np.int64(garr[idx, r]), p)
    return out


@njit(cache=True, nogil=True)
def flat_index(keys, bits, off, lo, strides):
    """Row-major index of every packed vector in the box starting at ``lo``."""
    n = lo.shape[0]
    x = np.empty(n, np.int64)
    out = np.empty(keys.shape[0], np.int64)
    for t in range(keys.shape[0]):
        unpack(keys[t], bits, off, x)
        idx = 0
        for i in range(n):
            idx += (x[i] - lo[i]) * strides[i]
        out[t] = idx
    return out


@njit(cache=True, nogil=True)
def scatter_add(g, idx, vals, p):
    """g[idx[t]] += vals[t] (mod p when p > 0)."""
    for t in range(idx.shape[0]):
        if p == 0:
            g[idx[t]] += vals[t]
        else:
            g[idx[t]] = (g[idx[t]] + vals[t]) % p


@njit(cache=True, nogil=True)
def dense_accumulate(idx, vals, shifts, tcr, acc, p):
    """acc[idx[s] + shifts[k]] += vals[s] * tcr[k] for every state s and type k (type
    outermost: for sorted ``idx`` the writes of one type stream through ``acc``); lazy
    reduction modulo p (p == 0: exact int64)."""
    for k in range(shifts.shape[0]):
        sh = shifts[k]
        c = tcr[k]
        for s in range(idx.shape[0]):
            j = idx[s] + sh
            v = acc[j] + vals[s] * c
            if p != 0 and v >= _LAZY:
                v %= p
            acc[j] = v


@njit(cache=True, nogil=True)
def mark(idx, shifts, occ):
    """occ[idx[s] + shifts[k]] = 1 for every state and type: the support of the next step."""
    for k in range(shifts.shape[0]):
        sh = shifts[k]
        for s in range(idx.shape[0]):
            occ[idx[s] + sh] = 1


@njit(cache=True, nogil=True)
def box_keys(cells, lo, size, strides, bits, off, kw):
    """Packed keys of the box cells ``cells`` (row-major indices)."""
    n = lo.shape[0]
    out = np.empty((cells.shape[0], kw), np.uint64)
    y = np.empty(n, np.int64)
    key = np.empty(kw, np.uint64)
    for t in range(cells.shape[0]):
        c = cells[t]
        for i in range(n):
            y[i] = lo[i] + (c // strides[i]) % size[i]
        pack(y, bits, off, key)
        out[t] = key
    return out


@njit(cache=True, nogil=True)
def bounds(keys, bits, off, n):
    """(least, largest) value of every coordinate over the packed vectors."""
    lo = np.full(n, np.int64(2**62))
    hi = np.full(n, -np.int64(2**62))
    x = np.empty(n, np.int64)
    for t in range(keys.shape[0]):
        unpack(keys[t], bits, off, x)
        for i in range(n):
            lo[i] = min(lo[i], x[i])
            hi[i] = max(hi[i], x[i])
    return lo, hi


@njit(cache=True, nogil=True)
def cumulate(g, size, strides, kind, p):
    """In place: sum ``g`` (a flattened row-major box) upward along every kind-0 axis
    (g(t) = sum of the cells >= t) and downward along every kind-1 axis (cells <= t),
    modulo p (p == 0: exact). Inner loops run over contiguous memory (the last axis as
    one sequential scan per row)."""
    total = g.shape[0]
    n = size.shape[0]
    for ax in range(n):
        if kind[ax] == 2:
            continue
        st = strides[ax]
        sz = size[ax]
        up = kind[ax] == 0
        if ax == n - 1:  # st == 1: a running sum along each row
            for o in range(0, total, sz):
                if up:
                    for jj in range(sz - 2, -1, -1):
                        v = g[o + jj] + g[o + jj + 1]
                        if p != 0 and v >= p:
                            v -= p
                        g[o + jj] = v
                else:
                    for jj in range(1, sz):
                        v = g[o + jj] + g[o + jj - 1]
                        if p != 0 and v >= p:
                            v -= p
                        g[o + jj] = v
            continue
        for o in range(0, total, sz * st):
            for j in range(1, sz):
                jj = sz - 1 - j if up else j
                prev = jj + 1 if up else jj - 1
                a = o + jj * st
                b = o + prev * st
                if p != 0:
                    for t in range(st):
                        v = g[a + t] + g[b + t]
                        g[a + t] = v - p if v >= p else v
                else:
                    for t in range(st):
                        g[a + t] += g[b + t]


@njit(cache=True, nogil=True)
def box_step(inp, isize, tu, tc, umin, out, osize):
    """One more unit on a dense box: ``out[y + u_t] += tc[t] * inp[y]`` for every cell y of
    ``inp`` (row-major over ``isize``) and type t; ``out`` is row-major over ``osize =
    isize + umax - umin`` (its least corner is the input's plus ``umin``). No reduction:
    the caller keeps ``sum(tc) * max(inp)`` below 2^63 and reduces afterwards. Each row of
    ``inp`` is walked over its nonzero run only (the box corners outside the support)."""
    n = isize.shape[0]
    K = tu.shape[0]
    ostr = np.ones(n, np.int64)
    for i in range(n - 2, -1, -1):
        ostr[i] = ostr[i + 1] * osize[i + 1]
    shift = np.zeros(K, np.int64)
    for t in range(K):
        for i in range(n):
            shift[t] += (tu[t, i] - umin[i]) * ostr[i]
    L = isize[n - 1]
    nrows = inp.shape[0] // L
    idx = np.zeros(n, np.int64)
    for row in range(nrows):
        ib = row * L
        j0 = 0  # the row's nonzero run [j0, j1) (the support is about a quarter of the box)
        while j0 < L and inp[ib + j0] == 0:
            j0 += 1
        j1 = L
        while j1 > j0 and inp[ib + j1 - 1] == 0:
            j1 -= 1
        if j0 < j1:
            ob0 = 0
            for i in range(n - 1):
                ob0 += idx[i] * ostr[i]
            for t in range(K):
                c = tc[t]
                ob = ob0 + shift[t]
                for j in range(j0, j1):
                    out[ob + j] += c * inp[ib + j]
        for i in range(n - 2, -1, -1):  # the odometer over the first n - 1 coordinates
            idx[i] += 1
            if idx[i] < isize[i]:
                break
            idx[i] = 0
    return out


@njit(cache=True, nogil=True)
def box_finish(left, lsize, llo, garr, gsize, glo, kind, tau, bias, p):
    """sum_x sum_b left[x] * G(tau - x - bias_b) for a dense left box (least corner
    ``llo``) against the right half's cumulative array ``garr`` (as in
    :func:`finish_rows` for one prime ``p``: flat, least corner ``glo``); returns (s0, s1, s2)
    as a row of that function's result."""
    n = lsize.shape[0]
    gstr = np.ones(n, np.int64)
    for i in range(n - 2, -1, -1):
        gstr[i] = gstr[i + 1] * gsize[i + 1]
    L = lsize[n - 1]
    nrows = left.shape[0] // L
    idx = np.zeros(n, np.int64)
    acc = np.int64(0)
    s1 = np.int64(0)
    s2 = np.int64(0)
    last = n - 1
    for row in range(nrows):
        ib = row * L
        x0 = 0
        while x0 < L and left[ib + x0] == 0:
            x0 += 1
        x1 = L
        while x1 > x0 and left[ib + x1 - 1] == 0:
            x1 -= 1
        for b in range(bias.shape[0] if x0 < x1 else 0):
            base = 0
            ok = True
            for i in range(last):
                j = tau[i] - (llo[i] + idx[i]) - bias[b, i] - glo[i]
                if kind[i] == 0:
                    if j < 0:
                        j = 0
                    elif j >= gsize[i]:
                        ok = False
                elif kind[i] == 1:
                    if j >= gsize[i]:
                        j = gsize[i] - 1
                    elif j < 0:
                        ok = False
                elif j < 0 or j >= gsize[i]:
                    ok = False
                if not ok:
                    break
                base += j * gstr[i]
            if not ok:
                continue
            j0 = tau[last] - llo[last] - bias[b, last] - glo[last]
            for x in range(x0, x1):
                a = left[ib + x]
                if a == 0:
                    continue
                j = j0 - x
                if kind[last] == 0:
                    if j < 0:
                        j = 0
                    elif j >= gsize[last]:
                        continue
                elif kind[last] == 1:
                    if j >= gsize[last]:
                        j = gsize[last] - 1
                    elif j < 0:
                        continue
                elif j < 0 or j >= gsize[last]:
                    continue
                acc, s1, s2 = _mac(acc, s1, s2, a, garr[base + j], p)
        for i in range(n - 2, -1, -1):
            idx[i] += 1
            if idx[i] < lsize[i]:
                break
            idx[i] = 0
    return acc, s1, s2

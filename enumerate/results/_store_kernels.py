"""numba kernels of :mod:`enumerate.results.table_store`: comparing packed tables in
string order, sort keys, binary search and sorted merges.

A packed table is a ``(P, nw)`` block of uint64 words (see :mod:`enumerate.core.cube`): plane
0 has bit ``p`` set when point ``p`` is ``+``, plane 1 (P = 2) when it is ``0``. String
order is ``+`` < ``-`` < ``0`` at the first point where two tables differ.

>>> import numpy as np
>>> a = np.array([[[0b01]], [[0b10]]], np.uint64)       # "+-" and "-+"
>>> int(compare(a[0], a[1])), int(find(a, a[1]))
(-1, 1)
"""

import numpy as np
from numba import njit

__all__ = ["compare", "find", "lower_bound", "sort_keys", "merge_sorted", "from_direct", "lex_argsort", "order_state", "sort_unique", "find_text",
           "sort_rows", "refine_runs", "rle_rows", "merge_rows", "tables_of_keys",
           "prefix_index", "find_indexed", "find_text_indexed"]

_ONE = np.uint64(1)


@njit(cache=True, nogil=True)
def _digit(t, w, bit):
    if t[0, w] & bit:
        return 0
    if t.shape[0] == 2 and t[1, w] & bit:
        return 2
    return 1


@njit(cache=True, nogil=True)
def compare(a, b):
    """-1, 0 or 1 as table ``a`` sorts before, equal to or after table ``b``."""
    P, nw = a.shape
    for w in range(nw):
        d = a[0, w] ^ b[0, w]
        if P == 2:
            d |= a[1, w] ^ b[1, w]
        if d != 0:
            low = d & (~d + _ONE)
            return -1 if _digit(a, w, low) < _digit(b, w, low) else 1
    return 0


@njit(cache=True, nogil=True)
def lower_bound(tables, key):
    """The first row of the sorted ``tables`` that does not sort before ``key``."""
    lo, hi = 0, tables.shape[0]
    while lo < hi:
        mid = (lo + hi) // 2
        if compare(tables[mid], key) < 0:
            lo = mid + 1
        else:
            hi = mid
    return lo


@njit(cache=True, nogil=True)
def find(tables, key):
    """Row of ``key`` in the sorted ``tables``, or -1."""
    i = lower_bound(tables, key)
    if i < tables.shape[0] and compare(tables[i], key) == 0:
        return i
    return -1


@njit(cache=True, nogil=True)
def _reverse(x):
    x = ((x >> np.uint64(1)) & np.uint64(0x5555555555555555)) | ((x & np.uint64(0x5555555555555555)) << np.uint64(1))
    x = ((x >> np.uint64(2)) & np.uint64(0x3333333333333333)) | ((x & np.uint64(0x3333333333333333)) << np.uint64(2))
    x = ((x >> np.uint64(4)) & np.uint64(0x0F0F0F0F0F0F0F0F)) | ((x & np.uint64(0x0F0F0F0F0F0F0F0F)) << np.uint64(4))
    x = ((x >> np.uint64(8)) & np.uint64(0x00FF00FF00FF00FF)) | ((x & np.uint64(0x00FF00FF00FF00FF)) << np.uint64(8))
    x = ((x >> np.uint64(16)) & np.uint64(0x0000FFFF0000FFFF)) | ((x & np.uint64(0x0000FFFF0000FFFF)) << np.uint64(16))
    return (x >> np.uint64(32)) | (x << np.uint64(32))


@njit(cache=True, nogil=True)
def _spread(x):
    """Bit i of the low 32 bits of ``x`` to bit 2i."""
    x &= np.uint64(0xFFFFFFFF)
    x = (x | (x << np.uint64(16))) & np.uint64(0x0000FFFF0000FFFF)
    x = (x | (x << np.uint64(8))) & np.uint64(0x00FF00FF00FF00FF)
    x = (x | (x << np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    x = (x | (x << np.uint64(2))) & np.uint64(0x3333333333333333)
    return (x | (x << np.uint64(1))) & np.uint64(0x5555555555555555)


@njit(cache=True, nogil=True)
def sort_keys(tables):
    """uint64 keys (N, K) whose lexicographic row order is the string order of the tables.

    One bit per point (``+`` 0, ``-`` 1) for two-valued tables, two bits per point
    (``+`` 00, ``-`` 01, ``0`` 10) for three-valued ones, point 0 most significant."""
    N, P, nw = tables.shape
    K = nw * P
    out = np.empty((N, K), np.uint64)
    for i in range(N):
        for w in range(nw):
            if P == 1:
                out[i, w] = _reverse(~tables[i, 0, w])
            else:
                z = tables[i, 1, w]
                m = ~tables[i, 0, w] & ~z
                for h in range(2):
                    s = np.uint64(32 * h)
                    out[i, 2 * w + h] = _reverse(_spread(z >> s) | (_spread(m >> s) << _ONE))
    return out


@njit(cache=True, nogil=True)
def _compare_rows(ta, i, tb, j):
    """:func:`compare` of ``ta[i]`` and ``tb[j]`` without taking row views (the merge's inner loop)."""
    P, nw = ta.shape[1], ta.shape[2]
    for w in range(nw):
        d = ta[i, 0, w] ^ tb[j, 0, w]
        if P == 2:
            d |= ta[i, 1, w] ^ tb[j, 1, w]
        if d != 0:
            low = d & (~d + _ONE)
            if P == 1:  # a bit set in one table only: "+" (set) sorts before "0"
                return -1 if ta[i, 0, w] & low else 1
            da = 0 if ta[i, 0, w] & low else (2 if ta[i, 1, w] & low else 1)
            db = 0 if tb[j, 0, w] & low else (2 if tb[j, 1, w] & low else 1)
            return -1 if da < db else 1
    return 0


@njit(cache=True, nogil=True)
def merge_sorted(ta, ca, tb, cb):
    """The sorted merge of two sorted (tables, int64 counts); equal tables add their counts.

    The comparison is :func:`compare`'s (:func:`_compare_rows`, which numba inlines): at the
    lowest differing bit of the first differing word, ``+`` (a plane-0 bit) sorts first, then
    ``-``, then ``0``. Returns views of buffers sized for both inputs (the unused tail is never
    written, so never resident).

    >>> t = np.array([[[0b01]], [[0b10]]], np.uint64)     # "+-", "-+"
    >>> tables, counts = merge_sorted(t[:1], np.array([2]), t, np.array([1, 5]))
    >>> tables[:, 0, 0].tolist(), counts.tolist()
    ([1, 2], [3, 5])
    """
    na, nb = ta.shape[0], tb.shape[0]
    P, nw = ta.shape[1], ta.shape[2]
    tables = np.empty((na + nb, P, nw), np.uint64)
    counts = np.empty(na + nb, np.int64)
    i = j = m = 0
    while i < na and j < nb:
        c = _compare_rows(ta, i, tb, j)
        if c <= 0:
            tables[m] = ta[i]
            counts[m] = ca[i]
            if c == 0:
                counts[m] += cb[j]
                j += 1
            i += 1
        else:
            tables[m] = tb[j]
            counts[m] = cb[j]
            j += 1
        m += 1
    while i < na:
        tables[m] = ta[i]
        counts[m] = ca[i]
        i += 1
        m += 1
    while j < nb:
        tables[m] = tb[j]
        counts[m] = cb[j]
        j += 1
        m += 1
    return tables[:m], counts[:m]


@njit(cache=True, nogil=True)
def from_direct(hist, n, planes):
    """(tables, counts) of the nonzero entries of a histogram indexed by a table's bits
    (bit p: point p is ``+``; bit n + p: point p is ``0``), in index order."""
    m = 0
    for k in range(hist.shape[0]):
        if hist[k] != 0:
            m += 1
    tables = np.zeros((m, planes, 1), np.uint64)
    counts = np.empty(m, np.int64)
    mask = (np.uint64(1) << np.uint64(n)) - _ONE
    t = 0
    for k in range(hist.shape[0]):
        if hist[k] != 0:
            tables[t, 0, 0] = np.uint64(k) & mask
            if planes == 2:
                tables[t, 1, 0] = np.uint64(k) >> np.uint64(n)
            counts[t] = hist[k]
            t += 1
    return tables, counts


@njit(cache=True, nogil=True)
def lex_argsort(keys):
    """The stable order of the rows of ``keys`` (N, K) uint64, column 0 most significant
    (an LSD radix sort with 11-bit digits; passes whose digit is constant are skipped)."""
    N, Kc = keys.shape
    idx = np.arange(N)
    tidx = np.empty(N, np.int64)
    col = np.empty(N, np.uint64)
    tcol = np.empty(N, np.uint64)
    cnt = np.empty(2048, np.int64)
    mask = np.uint64(0x7FF)
    for k in range(Kc - 1, -1, -1):
        for i in range(N):
            col[i] = keys[idx[i], k]
        for p in range(6):
            s = np.uint64(11 * p)
            cnt[:] = 0
            for i in range(N):
                cnt[(col[i] >> s) & mask] += 1
            if cnt.max() == N:
                continue
            at = 0
            for b in range(2048):
                c = cnt[b]
                cnt[b] = at
                at += c
            for i in range(N):
                b = (col[i] >> s) & mask
                j = cnt[b]
                cnt[b] = j + 1
                tidx[j] = idx[i]
                tcol[j] = col[i]
            idx, tidx = tidx, idx
            col, tcol = tcol, col
    return idx


@njit(cache=True, nogil=True)
def order_state(tables):
    """1 when the rows are strictly increasing in table order, 0 when sorted with repeats,
    -1 when out of order."""
    state = 1
    for i in range(1, tables.shape[0]):
        c = _compare_rows(tables, i - 1, tables, i)
        if c > 0:
            return -1
        if c == 0:
            state = 0
    return state


def sort_unique(tables, counts):
    """Tables in table order with repeats merged (counts added): their sort keys and
    counts as rows, ordered by the leading key word with numpy's vectorized sort, the runs
    of an equal leading word sorted by the other words (:func:`refine_runs`), merged
    (:func:`rle_rows`) and unpacked (:func:`tables_of_keys`); int64 counts.

    >>> t = np.array([[[0b10]], [[0b01]], [[0b10]]], np.uint64)     # "-+", "+-", "-+"
    >>> tables, counts = sort_unique(t, np.array([1, 2, 3], np.int64))
    >>> tables[:, 0, 0].tolist(), counts.tolist()
    ([1, 2], [2, 4])
    """
    N, P, nw = tables.shape
    keys = sort_keys(tables)
    Kc = keys.shape[1]
    order = np.argsort(keys[:, 0])  # numpy's SIMD quicksort: several times the radix sort's speed
    rows = _gather_rows(keys, np.asarray(counts, np.int64), order)
    del keys, order
    refine_runs(rows, N, Kc)
    m = rle_rows(rows, N, Kc)
    return tables_of_keys(rows, m, 64 * nw, P)  # padding points are '-' in the keys: 0 bits again


@njit(cache=True, nogil=True)
def find_text(tables, chars):
    """Row of the table whose characters are the bytes ``chars`` in the sorted
    ``tables``; -1 when absent, -2 when a character is not a label of these tables."""
    key, ok = _pack_text(chars, tables.shape[1], tables.shape[2])
    if not ok:
        return -2
    return find(tables, key)


@njit(cache=True, nogil=True)
def _swap_rows(rows, a, b, W):
    for w in range(W):
        t = rows[a, w]
        rows[a, w] = rows[b, w]
        rows[b, w] = t


@njit(cache=True, nogil=True)
def sort_rows(rows, n, K):
    """Sort the first ``n`` rows of ``rows`` (uint64, (M, K + c)) in place by their first
    ``K`` words, word 0 most significant; the other columns move with their row.

    An in-place MSD radix sort (American flag sort) on bytes, most significant first,
    with insertion sort below 32 rows: no second buffer, a few passes over the rows."""
    return _sort_range(rows, 0, n, 0, K)


@njit(cache=True, nogil=True)
def refine_runs(rows, n, K):
    """Sort, by their words 1..K-1, the runs of rows with an equal word 0 among the first
    ``n`` rows (already ordered by word 0): the first ``n`` rows are then sorted by their
    first ``K`` words (:func:`sort_rows`' order).

    >>> r = np.array([[1, 9, 0], [1, 3, 1], [2, 0, 2]], np.uint64)
    >>> refine_runs(r, 3, 2)[:, 2].tolist()
    [1, 0, 2]
    """
    W = rows.shape[1]
    tmp = np.empty(W, np.uint64)
    i = 0
    while i < n:
        j = i + 1
        while j < n and rows[j, 0] == rows[i, 0]:
            j += 1
        if j - i > 32:
            _sort_range(rows, i, j, 8, K)
        elif j - i > 1:
            _insertion_sort(rows, i, j, 1, K, tmp)
        i = j
    return rows


@njit(cache=True, nogil=True)
def _gather_rows(keys, counts, order):
    """Rows (N, K + 1): ``keys[order]`` and then ``counts[order]`` as uint64."""
    N, Kc = keys.shape
    rows = np.empty((N, Kc + 1), np.uint64)
    for i in range(N):
        o = order[i]
        for w in range(Kc):
            rows[i, w] = keys[o, w]
        rows[i, Kc] = np.uint64(counts[o])
    return rows


@njit(cache=True, nogil=True)
def _insertion_sort(rows, lo, hi, w, K, tmp):
    """Sort the rows ``[lo, hi)`` by their words ``w..K-1`` (they agree on the words before)."""
    W = rows.shape[1]
    for i in range(lo + 1, hi):
        for c in range(W):
            tmp[c] = rows[i, c]
        j = i
        while j > lo:
            less = False
            for v in range(w, K):
                if tmp[v] != rows[j - 1, v]:
                    less = tmp[v] < rows[j - 1, v]
                    break
            if not less:
                break
            for c in range(W):
                rows[j, c] = rows[j - 1, c]
            j -= 1
        for c in range(W):
            rows[j, c] = tmp[c]


@njit(cache=True, nogil=True)
def _sort_range(rows, lo0, hi0, d0, K):
    """:func:`sort_rows` on the rows ``[lo0, hi0)`` from byte ``d0`` of the key on (the
    rows agree on the bytes before it)."""
    W = rows.shape[1]
    depth = 8 * K
    cap = 256 * depth + 16
    st_lo = np.empty(cap, np.int64)
    st_hi = np.empty(cap, np.int64)
    st_d = np.empty(cap, np.int64)
    top = 0
    if hi0 - lo0 > 1 and d0 < depth:
        st_lo[0], st_hi[0], st_d[0] = lo0, hi0, d0
        top = 1
    cnt = np.empty(256, np.int64)
    nxt = np.empty(256, np.int64)
    end = np.empty(256, np.int64)
    tmp = np.empty(W, np.uint64)
    while top > 0:
        top -= 1
        lo, hi, d = st_lo[top], st_hi[top], st_d[top]
        w = d >> 3
        if hi - lo <= 32:
            _insertion_sort(rows, lo, hi, w, K, tmp)
            continue
        shift = np.uint64(56 - 8 * (d & 7))
        cnt[:] = 0
        for i in range(lo, hi):
            cnt[(rows[i, w] >> shift) & np.uint64(255)] += 1
        at = lo
        for b in range(256):
            nxt[b] = at
            at += cnt[b]
            end[b] = at
        if cnt.max() < hi - lo:
            for b in range(256):
                while nxt[b] < end[b]:
                    c = np.int64((rows[nxt[b], w] >> shift) & np.uint64(255))
                    if c == b:
                        nxt[b] += 1
                    else:
                        _swap_rows(rows, nxt[b], nxt[c], W)
                        nxt[c] += 1
        if d + 1 < depth:
            at = lo
            for b in range(256):
                if cnt[b] > 1:
                    st_lo[top], st_hi[top], st_d[top] = at, at + cnt[b], d + 1
                    top += 1
                at += cnt[b]
    return rows


@njit(cache=True, nogil=True)
def rle_rows(rows, n, K):
    """Merge equal neighbours among the first ``n`` sorted rows in place: one row per key
    (first ``K`` words), column ``K`` the sum of their counts. Returns the number of rows."""
    if n == 0:
        return 0
    m = 0
    for i in range(1, n):
        same = True
        for w in range(K):
            if rows[i, w] != rows[m, w]:
                same = False
                break
        if same:
            rows[m, K] += rows[i, K]
        else:
            m += 1
            for w in range(K + 1):
                rows[m, w] = rows[i, w]
    return m + 1


@njit(cache=True, nogil=True)
def merge_rows(a, b, K):
    """The sorted merge of two sorted, run-length merged row arrays (uint64, (N, K + 1):
    ``K`` key words, word 0 most significant, then a count): equal keys add their counts.

    >>> a = np.array([[1, 5], [4, 1]], np.uint64); b = np.array([[2, 2], [4, 3]], np.uint64)
    >>> merge_rows(a, b, 1).tolist()
    [[1, 5], [2, 2], [4, 4]]
    """
    na, nb = a.shape[0], b.shape[0]
    out = np.empty((na + nb, K + 1), np.uint64)
    i = j = m = 0
    while i < na and j < nb:
        c = 0
        for w in range(K):
            if a[i, w] != b[j, w]:
                c = -1 if a[i, w] < b[j, w] else 1
                break
        if c <= 0:
            for w in range(K + 1):
                out[m, w] = a[i, w]
            if c == 0:
                out[m, K] += b[j, K]
                j += 1
            i += 1
        else:
            for w in range(K + 1):
                out[m, w] = b[j, w]
            j += 1
        m += 1
    for r in range(i, na):
        for w in range(K + 1):
            out[m, w] = a[r, w]
        m += 1
    for r in range(j, nb):
        for w in range(K + 1):
            out[m, w] = b[r, w]
        m += 1
    return out[:m]  # a view: the unused tail of ``out`` is never written (never resident)


@njit(cache=True, nogil=True)
def _unspread(x):
    """Bits 2i of ``x`` to bit i (the inverse of :func:`_spread`)."""
    x &= np.uint64(0x5555555555555555)
    x = (x | (x >> np.uint64(1))) & np.uint64(0x3333333333333333)
    x = (x | (x >> np.uint64(2))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    x = (x | (x >> np.uint64(4))) & np.uint64(0x00FF00FF00FF00FF)
    x = (x | (x >> np.uint64(8))) & np.uint64(0x0000FFFF0000FFFF)
    return (x | (x >> np.uint64(16))) & np.uint64(0x00000000FFFFFFFF)


@njit(cache=True, nogil=True)
def tables_of_keys(rows, m, n, P):
    """(tables (m, P, nw), int64 counts) of the first ``m`` rows of sort keys (the layout of
    :func:`sort_keys`, column ``K`` the count): the inverse of :func:`sort_keys`."""
    nw = (n + 63) // 64
    K = nw * P
    tables = np.zeros((m, P, nw), np.uint64)
    counts = np.empty(m, np.int64)
    for w in range(nw):
        left = n - 64 * w
        mask = ~np.uint64(0) if left >= 64 else (_ONE << np.uint64(left)) - _ONE
        for i in range(m):
            if P == 1:
                tables[i, 0, w] = ~_reverse(rows[i, w]) & mask
            else:
                z = np.uint64(0)
                mm = np.uint64(0)
                for h in range(2):
                    r = _reverse(rows[i, 2 * w + h])
                    s = np.uint64(32 * h)
                    z |= _unspread(r) << s
                    mm |= _unspread(r >> _ONE) << s
                tables[i, 1, w] = z & mask
                tables[i, 0, w] = ~z & ~mm & mask
    for i in range(m):
        counts[i] = np.int64(rows[i, K])
    return tables, counts


@njit(cache=True, nogil=True)
def _key0(t):
    """The first sort-key word of table ``t`` (see :func:`sort_keys`)."""
    if t.shape[0] == 1:
        return _reverse(~t[0, 0])
    z = t[1, 0]
    m = ~t[0, 0] & ~z
    return _reverse(_spread(z) | (_spread(m) << _ONE))


@njit(cache=True, nogil=True)
def prefix_index(tables, B):
    """(``start``, ``L``): every sorted table's first key word begins with the same ``L``
    bits (those of row 0); rows ``start[b]:start[b + 1]`` are those whose next ``B`` key
    bits are ``b``. ``B`` is cut to the 64 - L bits left (0: no index)."""
    N = tables.shape[0]
    first = _key0(tables[0])
    diff = first ^ _key0(tables[N - 1])
    L = 0
    while L < 64 and not (diff >> np.uint64(63 - L)) & _ONE:
        L += 1
    B = min(B, 64 - L)
    out = np.empty((1 << B) + 1, np.int64)
    b = 0
    if B > 0:
        for i in range(N):
            top = np.int64((_key0(tables[i]) << np.uint64(L)) >> np.uint64(64 - B))
            while b <= top:
                out[b] = i
                b += 1
    while b <= 1 << B:
        out[b] = N if b > 0 else 0
        b += 1
    return out, L


@njit(cache=True, nogil=True)
def _pack_text(chars, P, nw):
    """The packed (P, nw) block of the table whose characters are the bytes ``chars``, and
    whether every character is a label of P-plane tables (branch-free: ~1 ns a point)."""
    key = np.zeros((P, nw), np.uint64)
    bad = False
    n = len(chars)
    for w in range(nw):
        plus = np.uint64(0)
        zero = np.uint64(0)
        for j in range(min(64, n - 64 * w)):
            c = chars[64 * w + j]
            plus |= np.uint64(c == 43) << np.uint64(j)
            zero |= np.uint64(c == 48) << np.uint64(j)
            bad |= (c != 43) & (c != 45) & ((c != 48) | (P == 1))
        key[0, w] = plus
        if P == 2:
            key[1, w] = zero
    return key, not bad


@njit(cache=True, nogil=True)
def find_indexed(tables, index, B, L, key):
    """:func:`find` through a :func:`prefix_index` ``(index, L)`` of ``B`` bits
    (``len(index) == 2^B + 1``): the binary search runs only over the rows that share the
    key's first L + B sort-key bits."""
    k0 = _key0(key)
    if L > 0 and (k0 ^ _key0(tables[0])) >> np.uint64(64 - L) != 0:
        return -1  # outside the common prefix of every table
    b = np.int64((k0 << np.uint64(L)) >> np.uint64(64 - B)) if B > 0 else 0
    lo, hi = index[b], index[b + 1]
    while lo < hi:
        mid = (lo + hi) // 2
        if compare(tables[mid], key) < 0:
            lo = mid + 1
        else:
            hi = mid
    if lo < index[b + 1] and compare(tables[lo], key) == 0:
        return lo
    return -1


@njit(cache=True, nogil=True)
def find_text_indexed(tables, index, B, L, chars):
    """:func:`find_text` through a :func:`prefix_index` (see :func:`find_indexed`)."""
    key, ok = _pack_text(chars, tables.shape[1], tables.shape[2])
    if not ok:
        return -2
    return find_indexed(tables, index, B, L, key)

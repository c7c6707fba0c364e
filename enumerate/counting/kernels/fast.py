"""numba kernels of the fast exact counter (see :mod:`enumerate.counting.fast`).

A *vector distribution* is a pair ``(vecs, cnts)``: ``vecs`` an integer array (N, n) of
distinct vectors (values of something on the domain), ``cnts`` an int64 array (N, R) of
their counts. Counts are exact: with ``mods[0] == 0`` they are plain int64 (the caller
proves every count stays below 2^63), otherwise column r holds the count modulo the
prime ``mods[r]`` (< 2^31, so a product of two residues fits in int64) and the caller
reconstructs the exact integer by the Chinese remainder theorem.

- :func:`conv` is the convolution of two vector distributions (the distribution of the
  sum of independent vectors), with an open-addressing hash map on whole rows.
- :func:`collapse` is the convolution followed by the label map: it never stores the
  sums, only a histogram of their truth tables (base-2 or base-3 keys).

>>> import numpy as np
>>> a = np.array([[0, 1], [1, 0]]); ca = np.array([[1], [2]])
>>> v, c = conv(a, ca, a, ca, np.zeros(1, np.int64))
>>> sorted(zip(map(tuple, v.tolist()), c[:, 0].tolist()))
[((0, 2), 1), ((1, 1), 4), ((2, 0), 4)]
"""

import numpy as np
from numba import njit

__all__ = ["RowLimit", "conv", "conv_sorted", "collapse", "table_keys_to_strings", "interruptible"]

_MULT = -7046029254386353131  # 0x9E3779B97F4A7C15 as a signed 64-bit integer

#: pairs per kernel call: long loops run as calls of about this size (a fraction of a
#: second each), in a worker thread, so Ctrl-C is seen at once and work stops within ~1 s
CHUNK_PAIRS = 5_000_000
#: calls below this many pairs run in the calling thread (no hand-off cost)
INLINE_PAIRS = 1_000_000
_WORKER = None


def _row_chunks(na, nb):
    """(i0, i1) row ranges of about :data:`CHUNK_PAIRS` pairs each (at least one row).

    >>> list(_row_chunks(5, 2_500_000))
    [(0, 2), (2, 4), (4, 5)]
    """
    step = max(1, CHUNK_PAIRS // max(1, nb))
    return [(i, min(na, i + step)) for i in range(0, na, step)] or [(0, 0)]


def _interruptible(pairs, kernel, *args):
    """``kernel(*args)`` (about ``pairs`` inner steps). Long calls run in a worker thread
    while this thread waits, so a KeyboardInterrupt is raised here at once (never inside
    numba) and the worker stops at the end of its chunk."""
    if pairs < INLINE_PAIRS:
        try:
            return kernel(*args)
        except SystemError as exc:  # Ctrl-C during the call surfaces as numba's SystemError
            if isinstance(exc.__cause__, KeyboardInterrupt):
                raise KeyboardInterrupt from None
            raise
    return _kernel_thread().submit(kernel, *args).result()


def _kernel_thread():
    """The one worker thread of :func:`_interruptible`, started with SIGINT blocked.

    The thread inherits the blocked signal, so Ctrl-C always reaches the waiting main thread
    at once; and a Ctrl-C during the start waits until the executor has registered its thread
    (an interrupt between the two would leave a thread that interpreter exit waits for forever).
    """
    global _WORKER
    if _WORKER is None:
        import signal
        from concurrent.futures import ThreadPoolExecutor

        masked = hasattr(signal, "pthread_sigmask")
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}) if masked else None
        try:
            worker = ThreadPoolExecutor(1, thread_name_prefix="fast-kernel")
            worker.submit(int).result()  # starts and registers the thread
        finally:
            if masked:
                signal.pthread_sigmask(signal.SIG_SETMASK, old)
        _WORKER = worker
    return _WORKER


@njit(cache=True, nogil=True)
def _mix(h):
    h ^= h >> 31
    h *= _MULT
    h ^= h >> 29
    return h


@njit(cache=True, nogil=True)
def _addmul(acc, a, b, p):
    if p == 0:
        return acc + a * b
    return (acc + (a * b) % p) % p


@njit(cache=True, nogil=True)
def _conv_rows(av, ac, bv, bc, mods, i0, i1, slots, ov, oc, used):
    """Rows ``i0:i1`` of ``av`` into the hash map (slots, ov, oc, used); returns the map."""
    n = av.shape[1]
    nb = bv.shape[0]
    R = ac.shape[1]
    cap = slots.shape[0]
    tmp = np.empty(n, av.dtype)
    for i in range(i0, i1):
        for j in range(nb):
            h = 0
            for t in range(n):
                x = av[i, t] + bv[j, t]
                tmp[t] = x
                h = h * 1000003 + x
            pos = _mix(h) & (cap - 1)
            while True:
                k = slots[pos]
                if k == -1:
                    for t in range(n):
                        ov[used, t] = tmp[t]
                    slots[pos] = used
                    k = used
                    used += 1
                    break
                same = True
                for t in range(n):
                    if ov[k, t] != tmp[t]:
                        same = False
                        break
                if same:
                    break
                pos = (pos + 1) & (cap - 1)
            for r in range(R):
                oc[k, r] = _addmul(oc[k, r], ac[i, r], bc[j, r], mods[r])
            if 2 * used >= cap:  # grow: double, rehash
                cap *= 2
                slots = np.full(cap, -1, np.int64)
                nv = np.empty((cap // 2, n), av.dtype)
                nc = np.zeros((cap // 2, R), np.int64)
                for k2 in range(used):
                    h = 0
                    for t in range(n):
                        nv[k2, t] = ov[k2, t]
                        h = h * 1000003 + ov[k2, t]
                    for r in range(R):
                        nc[k2, r] = oc[k2, r]
                    pos = _mix(h) & (cap - 1)
                    while slots[pos] != -1:
                        pos = (pos + 1) & (cap - 1)
                    slots[pos] = k2
                ov, oc = nv, nc
    return slots, ov, oc, used


class RowLimit(Exception):
    """A convolution passed its ``max_rows`` (the caller's memory budget); ``args[0]``: rows held."""


def conv(av, ac, bv, bc, mods, max_rows=None):
    """Distribution of u + v for independent u ~ (av, ac), v ~ (bv, bc); :class:`RowLimit`
    once it holds more than ``max_rows`` distinct vectors (checked after each chunk)."""
    na, n = av.shape
    cap = 1024
    while cap < 4 * max(na, bv.shape[0]):
        cap *= 2
    state = (np.full(cap, -1, np.int64), np.empty((cap // 2, n), av.dtype), np.zeros((cap // 2, ac.shape[1]), np.int64), 0)
    for i0, i1 in _row_chunks(na, bv.shape[0]):
        state = _interruptible((i1 - i0) * bv.shape[0], _conv_rows, av, ac, bv, bc, mods, i0, i1, *state)
        if max_rows is not None and state[3] > max_rows:
            raise RowLimit(state[3])
    _slots, ov, oc, used = state
    return ov[:used].copy(), oc[:used].copy()


@njit(cache=True, nogil=True)
def _collapse_rows(av, ac, bv, bc, mods, zl, dense, i0, i1, hist, seen, keys, hc, used):
    """Rows ``i0:i1`` of ``av`` into the table histogram; returns (keys, hc, used)."""
    n = av.shape[1]
    nb = bv.shape[0]
    R = ac.shape[1]
    base = 3 if zl == 2 else 2
    cap = keys.shape[0]
    zd = 0 if zl == 0 else 1
    pw = np.empty(n, np.int64)
    pw[0] = 1
    for t in range(1, n):
        pw[t] = pw[t - 1] * base
    pp = pw * (base - 1)
    zz = pw * zd
    for i in range(i0, i1):
        for j in range(nb):
            key = 0
            for t in range(n):  # branch-free: the signs are unpredictable
                x = av[i, t] + bv[j, t]
                key += pp[t] * (x > 0) + zz[t] * (x == 0)
            if dense:
                seen[key] = True
                for r in range(R):
                    hist[key, r] = _addmul(hist[key, r], ac[i, r], bc[j, r], mods[r])
                continue
            pos = _mix(key) & (cap - 1)
            while keys[pos] != -1 and keys[pos] != key:
                pos = (pos + 1) & (cap - 1)
            if keys[pos] == -1:
                keys[pos] = key
                used += 1
            for r in range(R):
                hc[pos, r] = _addmul(hc[pos, r], ac[i, r], bc[j, r], mods[r])
            if 2 * used >= cap:
                cap *= 2
                nk = np.full(cap, -1, np.int64)
                nhc = np.zeros((cap, R), np.int64)
                for p2 in range(cap // 2):
                    if keys[p2] != -1:
                        q = _mix(keys[p2]) & (cap - 1)
                        while nk[q] != -1:
                            q = (q + 1) & (cap - 1)
                        nk[q] = keys[p2]
                        for r in range(R):
                            nhc[q, r] = hc[p2, r]
                keys, hc = nk, nhc
    return keys, hc, used


def collapse(av, ac, bv, bc, mods, zl, dense):
    """Histogram of the truth tables of u + v (u ~ a, v ~ b independent).

    The table of a sum vector s has key sum_i d_i base^i, with d_i = 1 for a ``+`` and
    0 for a ``-`` (base 2, zero-label rules -1/+1), or d_i = 0, 1, 2 for ``-``, ``0``, ``+``
    (base 3, rule 0). ``dense``: keys index a histogram of size base^n directly;
    otherwise keys go to a hash map. Returns (keys, counts).

    >>> a = np.array([[1, -1], [-1, 1]]); ca = np.array([[1], [2]])
    >>> k, c = collapse(a, ca, np.zeros((1, 2), np.int64), np.array([[1]]), np.zeros(1, np.int64), 0, True)
    >>> table_keys_to_strings(k, 2, 0), c[:, 0].tolist()
    (['+-', '-+'], [1, 2])
    """
    na, n = av.shape
    R = ac.shape[1]
    base = 3 if zl == 2 else 2
    size = base**n if dense else 1
    hist = np.zeros((size, R), np.int64)
    seen = np.zeros(size, np.bool_)
    keys, hc, used = np.full(1024, -1, np.int64), np.zeros((1024, R), np.int64), 0
    for i0, i1 in _row_chunks(na, bv.shape[0]):
        keys, hc, used = _interruptible((i1 - i0) * bv.shape[0], _collapse_rows, av, ac, bv, bc, mods, zl, dense,
                                        i0, i1, hist, seen, keys, hc, used)
    if dense:
        idx = np.nonzero(seen)[0]
        return idx.astype(np.int64), hist[idx].copy()
    idx = np.nonzero(keys != -1)[0]
    return keys[idx].copy(), hc[idx].copy()


def table_keys_to_strings(keys, n, zl):
    """Table strings of :func:`collapse` keys (numpy, vectorized)."""
    base = 3 if zl == 2 else 2
    keys = np.asarray(keys, dtype=np.int64)
    digits = (keys[:, None] // base ** np.arange(n, dtype=np.int64)) % base
    if zl == 2:
        chars = np.array([ord("-"), ord("0"), ord("+")], np.uint8)[digits]
    else:
        chars = np.array([ord("-"), ord("+")], np.uint8)[digits]
    return [row.tobytes().decode("ascii") for row in chars]


@njit(cache=True, nogil=True)
def _sift(hk, hs, size, i):
    while True:
        left = 2 * i + 1
        if left >= size:
            return
        m = left
        if left + 1 < size and hk[left + 1] < hk[left]:
            m = left + 1
        if hk[m] >= hk[i]:
            return
        hk[i], hk[m] = hk[m], hk[i]
        hs[i], hs[m] = hs[m], hs[i]
        i = m


@njit(cache=True, nogil=True)
def _merge_steps(pk, pc, sk, sc, mods, hk, hs, pos, size, ok, oc, n, steps):
    """At most ``steps`` heap pops of :func:`conv_sorted`; returns (size, ok, oc, n)."""
    N = pk.shape[0]
    R = pc.shape[1]
    cap = ok.shape[0]
    while size > 0 and steps > 0:
        steps -= 1
        c = hs[0]
        key = hk[0]
        i = pos[c]
        if n == 0 or ok[n - 1] != key:
            if n == cap:
                cap *= 2
                ok2 = np.empty(cap, np.int64)
                oc2 = np.zeros((cap, R), np.int64)
                ok2[:n] = ok[:n]
                oc2[:n] = oc[:n]
                ok, oc = ok2, oc2
            ok[n] = key
            n += 1
        for r in range(R):
            oc[n - 1, r] = _addmul(oc[n - 1, r], pc[i, r], sc[c, r], mods[r])
        pos[c] = i + 1
        if i + 1 < N:
            hk[0] = pk[i + 1] + sk[c]
        else:
            size -= 1
            hk[0] = hk[size]
            hs[0] = hs[size]
        _sift(hk, hs, size, 0)
    return size, ok, oc, n


def conv_sorted(pk, pc, sk, sc, mods, max_rows=None):
    """Convolution on linear keys: the distribution of key + shift.

    ``pk`` is sorted ascending (distinct keys, counts ``pc``); ``sk`` are the keys of the
    other distribution's vectors *without* offset, so that the key of a sum is the sum
    of keys. Each shift gives a sorted run; a heap merges the runs and adds the counts
    of equal keys, so memory is sequential and only distinct sums are stored.

    >>> import numpy as np
    >>> k, c = conv_sorted(np.array([0, 1]), np.array([[1], [1]]), np.array([0, 1]), np.array([[1], [2]]), np.zeros(1, np.int64))
    >>> k.tolist(), c[:, 0].tolist()
    ([0, 1, 2], [1, 3, 2])
    """
    K, N, R = sk.shape[0], pk.shape[0], pc.shape[1]
    hk = pk[0] + sk.astype(np.int64)
    hs = np.arange(K, dtype=np.int64)
    pos = np.zeros(K, np.int64)
    _heapify(hk, hs)
    cap = max(1024, 2 * N)
    size, ok, oc, n = K, np.empty(cap, np.int64), np.zeros((cap, R), np.int64), 0
    while size > 0:
        size, ok, oc, n = _interruptible(min(CHUNK_PAIRS, N * K), _merge_steps, pk, pc, sk, sc, mods, hk, hs, pos, size, ok, oc,
                                         n, CHUNK_PAIRS)
        if max_rows is not None and n > max_rows:
            raise RowLimit(n)
    return ok[:n].copy(), oc[:n].copy()


@njit(cache=True, nogil=True)
def _heapify(hk, hs):
    for i in range(hk.shape[0] // 2 - 1, -1, -1):
        _sift(hk, hs, hk.shape[0], i)


#: run a long kernel call so that Ctrl-C is seen at once (shared with the teacher counter)
interruptible = _interruptible

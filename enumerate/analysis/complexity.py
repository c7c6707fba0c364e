"""Complexity measures of truth tables, as in the simplicity-bias literature.

* :func:`lz_complexity`: for a table x of n points (``+``/``-`` as two symbols),
  K(x) = log2(n) (c(x) + c(reversed x)) / 2, where c is the Lempel-Ziv (1976) phrase count
  computed by the Kaspar-Schuster scan; K = log2(n) for a constant table. This is the
  convention of Dingle, Camargo & Louis (2018) and Valle-Perez, Camargo & Louis (2019),
  so figures are comparable with theirs.
* :func:`ones`: t, the number of ``+`` points.
* :func:`average_sensitivity`: on a cube domain, the mean over points of the number of
  inputs whose flip changes the label.

>>> lz_phrases("0001101001000101")      # 0 . 001 . 10 . 100 . 1000 . 101
6
>>> lz_complexity("++++"), lz_complexity("+-+-")   # constant: log2(4); c = 3 both ways
(2.0, 6.0)
>>> ones("+-++"), average_sensitivity("-+++")   # OR of two inputs
(3, 1.0)
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["lz_phrases", "lz_complexity", "ones", "average_sensitivity", "lz_complexities", "orbit_lz_histogram"]


@njit(cache=True, nogil=True)
def _phrases(s, n, step, start):
    """Kaspar-Schuster LZ76 phrase count of s[start], s[start+step], ... (n symbols)."""
    if n <= 1:
        return n
    i, k, l, c, kmax = 0, 1, 1, 1, 1
    while True:
        if s[start + (i + k - 1) * step] == s[start + (l + k - 1) * step]:
            k += 1
            if l + k > n:
                c += 1
                break
        else:
            if k > kmax:
                kmax = k
            i += 1
            if i == l:
                c += 1
                l += kmax
                if l + 1 > n:
                    break
                i, k, kmax = 0, 1, 1
            else:
                k = 1
    return c


@njit(cache=True, nogil=True)
def _lz_rows(codes):
    N, n = codes.shape
    out = np.empty(N, np.float64)
    scale = np.log2(n)
    for r in range(N):
        row = codes[r]
        constant = True
        for j in range(1, n):
            if row[j] != row[0]:
                constant = False
                break
        if constant:
            out[r] = scale
        else:
            out[r] = scale * (_phrases(row, n, 1, 0) + _phrases(row, n, -1, n - 1)) / 2.0
    return out


def _codes(tables):
    if isinstance(tables, str):
        tables = [tables]
    tables = list(tables)
    n = len(tables[0])
    return np.frombuffer("".join(tables).encode("ascii"), np.uint8).reshape(len(tables), n)


def lz_phrases(s) -> int:
    """c(s): the Lempel-Ziv (1976) phrase count of a string (Kaspar-Schuster scan)."""
    return int(_phrases(_codes(s)[0], len(s), 1, 0))


def lz_complexity(table) -> float:
    """K_LZ of a table string: log2(n) (c(x) + c(reversed x)) / 2; log2(n) if constant."""
    return float(_lz_rows(_codes(table))[0])


def lz_complexities(codes):
    """K_LZ of many tables at once: ``codes`` is a uint8 array (N, n) of characters
    (or a list of table strings); returns float64 (N,).

    >>> lz_complexities(["++--", "+-+-"]).tolist()
    [6.0, 6.0]
    """
    if not isinstance(codes, np.ndarray):
        codes = _codes(codes)
    return _lz_rows(np.ascontiguousarray(codes, np.uint8))


def ones(table) -> int:
    """t: the number of ``+`` points of a table."""
    return table.count("+")


def average_sensitivity(table) -> float:
    """Mean over the 2^d points of a cube table of the number of inputs whose flip
    changes the label (any of ``+ - 0``). Needs a table of 2^d characters.
    """
    n = len(table)
    d = n.bit_length() - 1
    if n != 2**d or n < 2:
        raise ValueError(f"average sensitivity needs a cube table (2^d characters), not {n}")
    codes = _codes(table)[0]
    idx = np.arange(n)
    flips = sum(int((codes != codes[idx ^ (1 << k)]).sum()) for k in range(d))
    return flips / n



@njit(cache=True, nogil=True)
def orbit_lz_histogram(codes, labels, d):
    """For each table (uint8 codes (C, 2^d)) with input run labels (C, d), the histogram
    of s = c(x) + c(reversed x) (2 for a constant table) over the distinct tables
    T . sigma of its orbit under input permutations, one per arrangement of the run
    labels (valid when the runs' symmetric groups are the whole stabilizer).
    K_LZ = log2(n) s / 2. Returns int64 (C, 2n + 1).
    """
    C, n = codes.shape
    out = np.zeros((C, 2 * n + 1), np.int64)
    L = np.empty(d, np.int64)
    start = np.empty(d + 1, np.int64)
    used = np.empty(d + 1, np.int64)
    sigma = np.empty(d, np.int64)
    img = np.empty(n, np.uint8)
    for r in range(C):
        L[:] = labels[r]  # nondecreasing: the first arrangement
        start[:] = 0
        for k in range(d - 1, -1, -1):
            start[labels[r, k]] = k
        while True:
            used[:] = 0
            for j in range(d):  # input j of the image is fed by the next member of run L[j]
                m = start[L[j]] + used[L[j]]
                used[L[j]] += 1
                sigma[m] = j
            for p in range(n):
                q = 0
                for k in range(d):
                    q |= ((p >> (d - 1 - sigma[k])) & 1) << (d - 1 - k)
                img[p] = codes[r, q]
            constant = True
            for p in range(1, n):
                if img[p] != img[0]:
                    constant = False
                    break
            s = 2 if constant else _phrases(img, n, 1, 0) + _phrases(img, n, -1, n - 1)
            out[r, s] += 1
            # next arrangement of the labels (next lexicographic permutation)
            i = d - 2
            while i >= 0 and L[i] >= L[i + 1]:
                i -= 1
            if i < 0:
                break
            j = d - 1
            while L[j] <= L[i]:
                j -= 1
            L[i], L[j] = L[j], L[i]
            a, b = i + 1, d - 1
            while a < b:
                L[a], L[b] = L[b], L[a]
                a += 1
                b -= 1
    return out

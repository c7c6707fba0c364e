"""numba kernels of :mod:`enumerate.analysis.complexity`: Lempel-Ziv phrase counts of table rows."""

import numpy as np
from numba import njit

__all__ = ['lz_rows', 'orbit_lz_histogram', 'phrases']


@njit(cache=True, nogil=True)
def phrases(s, n, step, start):
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
def lz_rows(codes):
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
            out[r] = scale * (phrases(row, n, 1, 0) + phrases(row, n, -1, n - 1)) / 2.0
    return out


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
            s = 2 if constant else phrases(img, n, 1, 0) + phrases(img, n, -1, n - 1)
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

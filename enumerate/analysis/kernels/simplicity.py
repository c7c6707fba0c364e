"""numba kernels of :mod:`enumerate.analysis.simplicity`: the float64 labelling of a peer's enumerator."""

import numpy as np
from numba import njit

from ..._support.hashmap import insert, keys

__all__ = ['float_vs_exact']


@njit(cache=True, nogil=True)
def float_vs_exact(num, den, d, bias_first):
    """Every setting of ``fc:d,1`` on {0,1}^d with weights and bias num[k] / den, labelled
    twice: exactly (integer numerators) and as a double-precision enumerator would
    (``z = 0.0; z += w_i * x_i`` over the inputs in order, the bias added last, or
    first with ``bias_first``; ``+`` iff ``z > 0``).

    Returns (settings whose table differs, exact tables (M, nw), float tables (M', nw)).
    """
    K = num.shape[0]
    n = 1 << d
    nw = (n + 63) // 64
    vals = np.empty(K, np.float64)
    for k in range(K):
        vals[k] = num[k] / den
    exact = np.zeros((1 << 16, nw + 1), np.uint64)
    flt = np.zeros((1 << 16, nw + 1), np.uint64)
    ne, nf, changed = 0, 0, 0
    idx = np.zeros(d, np.int64)
    li = np.zeros((d + 1, n), np.int64)
    lf = np.zeros((K, d + 1, n), np.float64)  # float partial sums (per bias when it comes first)
    if bias_first:
        for b in range(K):
            lf[b, 0, 0] = vals[b]
    ke = np.zeros(nw, np.uint64)
    kf = np.zeros(nw, np.uint64)
    rebuild = 0
    while True:
        for k in range(rebuild, d):
            w, wf = num[idx[k]], vals[idx[k]]
            for j in range(1 << k):
                li[k + 1, 2 * j] = li[k, j]
                li[k + 1, 2 * j + 1] = li[k, j] + w
                for bb in range(K if bias_first else 1):
                    lf[bb, k + 1, 2 * j] = lf[bb, k, j] + wf * 0.0
                    lf[bb, k + 1, 2 * j + 1] = lf[bb, k, j] + wf * 1.0
        for b in range(K):
            ke[:] = 0
            kf[:] = 0
            for p in range(n):
                bit = np.uint64(1) << np.uint64(p & 63)
                if li[d, p] + num[b] > 0:
                    ke[p >> 6] |= bit
                zf = lf[b, d, p] if bias_first else lf[0, d, p] + vals[b]
                if zf > 0:
                    kf[p >> 6] |= bit
            for w in range(nw):
                if ke[w] != kf[w]:
                    changed += 1
                    break
            exact, ne = insert(exact, ne, ke, nw, 1)
            flt, nf = insert(flt, nf, kf, nw, 1)
        p = d - 1
        while p >= 0 and idx[p] == K - 1:
            idx[p] = 0
            p -= 1
        if p < 0:
            break
        idx[p] += 1
        rebuild = p
    return changed, keys(exact, nw), keys(flt, nw)

"""numba kernels of :mod:`enumerate.analysis.continuous`: seeded draws of continuous weights and their label checks."""

import math

import numpy as np
from numba import njit

__all__ = ['draw1', 'importance', 'labels_match', 'plain', 'ratio']


@njit(cache=True, nogil=True)
def draw1(kind, scale, qv):
    if kind == 0:
        return (2.0 * np.random.random() - 1.0) * scale
    if kind == 1:
        return np.random.normal() * scale
    return qv[np.random.randint(0, qv.shape[0])]


@njit(cache=True, nogil=True)
def labels_match(theta, X, target, width, act, sp, sq, bias_mult):
    """Does the network with parameters theta give the target labels on every row of X?"""
    m, d = X.shape
    vo = width * (d + 1)
    for x in range(m):
        f = theta[vo + width] * bias_mult
        for j in range(width):
            z = theta[width * d + j]
            for i in range(d):
                z += theta[j * d + i] * X[x, i]
            if act == 0:
                a = 1.0 if z > 0 else (-1.0 if z < 0 else 0.0)
            else:
                a = z * sq if z > 0 else z * sp
            f += theta[vo + j] * a
        lab = 1 if f > 0 else -1
        if lab != target[x]:
            return False
    return True


@njit(cache=True, nogil=True)
def plain(seed, n, X, target, width, act, sp, sq, bias_mult, kind, scale, qv):
    np.random.seed(seed)
    P = width * (X.shape[1] + 2) + 1
    theta = np.empty(P)
    hits = 0
    for _ in range(n):
        for i in range(P):
            theta[i] = draw1(kind, scale, qv)
        if labels_match(theta, X, target, width, act, sp, sq, bias_mult):
            hits += 1
    return hits


@njit(cache=True, nogil=True)
def ratio(kind, scale, qn, t, c, tau, spread):
    """q_i(t) / p_i(t) for a parameter centred at c (p_i(t) > 0)."""
    if kind == 2:
        return (1.0 - tau) + tau * qn * (1.0 if t == c else 0.0)
    k = math.exp(-0.5 * ((t - c) / spread) ** 2) / (spread * math.sqrt(2 * math.pi))
    if kind == 0:
        p = 1.0 / (2.0 * scale)
    else:
        p = math.exp(-0.5 * (t / scale) ** 2) / (scale * math.sqrt(2 * math.pi))
    return (1.0 - tau) + tau * k / p


@njit(cache=True, nogil=True)
def importance(seed, n, X, target, width, act, sp, sq, bias_mult, kind, scale, qv, centres, has, lam, tau, spread,
                out):
    """out[0] += sum of w 1[hit], out[1] += sum of (w 1[hit])^2, out[2] += sum of w, out[3] += hits."""
    np.random.seed(seed)
    P = width * (X.shape[1] + 2) + 1
    theta = np.empty(P)
    npi = centres.shape[0]
    qn = float(qv.shape[0])
    for _ in range(n):
        if np.random.random() < lam:
            e = np.random.randint(0, npi)
            for i in range(P):
                if has[e, i] and np.random.random() < tau:
                    theta[i] = centres[e, i] if kind == 2 else centres[e, i] + spread * np.random.normal()
                else:
                    theta[i] = draw1(kind, scale, qv)
        else:
            for i in range(P):
                theta[i] = draw1(kind, scale, qv)
        inside = True
        if kind == 0:
            for i in range(P):
                if abs(theta[i]) > scale:
                    inside = False
        w = 0.0
        if inside:
            avg = 0.0
            for e in range(npi):
                r = 1.0
                for i in range(P):
                    if has[e, i]:
                        r *= ratio(kind, scale, qn, theta[i], centres[e, i], tau, spread)
                avg += r
            w = 1.0 / ((1.0 - lam) + lam * avg / npi)
        out[2] += w
        if w > 0 and labels_match(theta, X, target, width, act, sp, sq, bias_mult):
            out[0] += w
            out[1] += w * w
            out[3] += 1.0

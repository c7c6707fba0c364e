"""numba kernels of the two-hidden-layer class counter (see :mod:`enumerate.counting.deep`).

* :func:`sum_laws`: the law of the sum of m iid uniform values of Q, m = 0..m_max.
* :func:`count_states`: every layer-1 multiset (one per orbit of the input group) whose
  smallest class is ``first``; for each, the exact law of one layer-2 unit's contribution
  vector, then every multiset of layer-2 contributions, straight into a histogram of tables.

>>> import numpy as np
>>> vals, cnts, lens = sum_laws(np.array([-1, 0, 1], np.int64), 2)
>>> vals[2, :lens[2]].tolist(), cnts[2, :lens[2]].tolist()   # u1 + u2 on {-1,0,1}
([-2, -1, 0, 1, 2], [1, 2, 3, 2, 1])
"""

import numpy as np
from numba import njit

from ..._support.hashmap import insert
from .hidden import activate, add_tables, flush

__all__ = ["sum_laws", "count_states", "box_tables"]


@njit(cache=True, nogil=True)
def sum_laws(qi, m_max):
    """Values and counts of ``u_1 + ... + u_m`` (u_i iid uniform on ``qi``) for m = 0..m_max:
    rows of ``vals`` / ``cnts`` (int64 (m_max + 1, L)), ``lens[m]`` entries each."""
    lo, hi = qi.min(), qi.max()
    span = m_max * (hi - lo) + 1
    dense = np.zeros((m_max + 1, span), np.int64)
    dense[0, 0] = 1
    for m in range(1, m_max + 1):
        for s in range(span):
            c = dense[m - 1, s]
            if c == 0:
                continue
            for q in qi:
                dense[m, s + q - lo] += c
    vals = np.zeros((m_max + 1, span), np.int64)
    cnts = np.zeros((m_max + 1, span), np.int64)
    lens = np.zeros(m_max + 1, np.int64)
    for m in range(m_max + 1):
        t = 0
        for s in range(span):
            if dense[m, s] != 0:
                vals[m, t] = s + m * lo
                cnts[m, t] = dense[m, s]
                t += 1
        lens[m] = t
    return vals, cnts, lens


@njit(cache=True, nogil=True)
def _mulmod(a, b, m):
    return a * b if m == 0 else (a % m) * (b % m) % m


@njit(cache=True, nogil=True)
def _canonical_orbit(a, cls_act, img):
    """0 when the sorted tuple ``a`` is not the smallest of its orbit, else the order of its stabilizer."""
    G = cls_act.shape[0]
    k = a.shape[0]
    stab = 0
    for g in range(G):
        for i in range(k):
            v = cls_act[g, a[i]]
            j = i
            while j > 0 and img[j - 1] > v:
                img[j] = img[j - 1]
                j -= 1
            img[j] = v
        cmp = 0
        for i in range(k):
            if img[i] != a[i]:
                cmp = -1 if img[i] < a[i] else 1
                break
        if cmp < 0:
            return 0
        if cmp == 0:
            stab += 1
    return stab


@njit(cache=True, nogil=True)
def count_states(first, W1, W2, reps, zero, cmult, cls_act, vals, cnts, lens, qpow, b2, code, clamp, pos, neg,
                 factors, fmult, cb, zl, d, flips, mods, rtab, rcnt, rsize, ctab, ccnt, csize, flush_at, span, acc):
    """Every layer-1 multiset (sorted class tuple ``a_1 = first <= a_2 <= ...``, the smallest of
    its orbit under ``cls_act``), its layer-2 law and its output tables, added to the histograms.

    A multiset with class multiplicities m_c weighs (orbit size) x W1! / prod m_c! x prod
    ``cmult[c]^m_c``. A layer-2 unit's pre-activation is ``b + sum_c S_c rep_c`` with S_c the
    sum of m_c iid weights (law ``vals/cnts[m_c]``; a zero class adds nothing and weighs
    ``qpow[m_c]``); its contribution ``f act(z)`` over the readout factors f. The W2 layer-2
    units are iid given the multiset: their multisets of contributions are enumerated with
    their orderings, one table per readout bias ``cb``. With ``span`` > 0 (few points) the
    tables wait: the law of the sum of the W2 contributions (ordered, iid) is built on the
    dense box of side ``span`` (mixed radix, coordinate p the digit of ``span^p``) and added
    to ``acc`` (R, span^n); :func:`box_tables` turns the box into tables once.

    Returns the histograms and sizes, and the work done: tuples visited, canonical
    multisets, layer-2 leaves (settings of the law enumeration) and output multisets.
    """
    K, n = reps.shape
    R = mods.shape[0]
    nw = (n + 63) // 64
    P = 2 if zl == 2 else 1
    W = P * nw
    G = cls_act.shape[0]
    a = np.zeros(W1, np.int64)
    img = np.zeros(W1, np.int64)
    cls = np.zeros(W1, np.int64)
    mul = np.zeros(W1, np.int64)
    pick = np.zeros(W1 + 1, np.int64)
    zp = np.zeros((W1 + 1, n), np.int64)
    wp = np.ones(W1 + 1, np.int64)
    g = np.zeros(n, np.int64)
    dtab = np.zeros((1 << 8, n + 1), np.uint64)
    ctab2 = np.zeros((1 << 8, n + 1), np.uint64)
    ws = np.zeros(R, np.int64)
    wl = np.zeros(R, np.int64)
    key = np.zeros(W, np.uint64)
    fact = np.ones(max(W1, W2) + 1, np.int64)
    for i in range(1, fact.shape[0]):
        fact[i] = fact[i - 1] * i
    visited = 0
    states = 0
    leaves = 0
    outs = 0
    dense = span > 0
    B = acc.shape[1]
    radix = np.ones(n, np.int64)
    base = 0
    if dense:
        for p in range(1, n):
            radix[p] = radix[p - 1] * span
        for p in range(n):
            base += (span // 2) * radix[p]
    law = np.zeros((2, R, B if dense else 1), np.int64)
    cells = np.zeros((2, B if dense else 1), np.int64)
    mark = np.zeros(B if dense else 1, np.bool_)
    for i in range(W1):
        a[i] = first
    while True:
        visited += 1
        stab = _canonical_orbit(a, cls_act, img) if G > 1 else 1
        if stab > 0:
            states += 1
            # the distinct classes and their multiplicities
            r = 0
            for i in range(W1):
                if i == 0 or a[i] != a[i - 1]:
                    cls[r] = a[i]
                    mul[r] = 1
                    r += 1
                else:
                    mul[r - 1] += 1
            multi = fact[W1]
            for j in range(r):
                multi //= fact[mul[j]]
            for q in range(R):
                w = _mulmod(G // stab, multi, mods[q])
                for j in range(r):
                    for _ in range(mul[j]):
                        w = _mulmod(w, cmult[cls[j], q], mods[q])
                ws[q] = w
            # the law of one layer-2 unit's activation vector: depth-first over the classes
            dtab[:, :] = 0
            dsize = 0
            lvl = 0
            pick[0] = -1
            while lvl >= 0:
                if lvl == r:
                    for bi in range(b2.shape[0]):
                        for p in range(n):
                            g[p] = activate(zp[r, p] + b2[bi], code, clamp, pos, neg)
                        dtab, dsize = insert(dtab, dsize, g.view(np.uint64), n, wp[r])
                    leaves += b2.shape[0]
                    lvl -= 1
                    continue
                c = cls[lvl]
                m = mul[lvl]
                pick[lvl] += 1
                top = 1 if zero[c] else lens[m]
                if pick[lvl] >= top:
                    pick[lvl] = -1
                    lvl -= 1
                    continue
                if zero[c]:
                    for p in range(n):
                        zp[lvl + 1, p] = zp[lvl, p]
                    wp[lvl + 1] = wp[lvl] * qpow[m]
                else:
                    s = vals[m, pick[lvl]]
                    for p in range(n):
                        zp[lvl + 1, p] = zp[lvl, p] + s * reps[c, p]
                    wp[lvl + 1] = wp[lvl] * cnts[m, pick[lvl]]
                lvl += 1
                pick[lvl] = -1
            # the contributions f * act(z) of one layer-2 unit, merged
            ctab2[:, :] = 0
            csize2 = 0
            for i in range(dtab.shape[0]):
                if dtab[i, n] == 0:
                    continue
                gv = dtab[i, :n].view(np.int64)
                for fi in range(factors.shape[0]):
                    for p in range(n):
                        g[p] = factors[fi] * gv[p]
                    ctab2, csize2 = insert(ctab2, csize2, g.view(np.uint64), n,
                                            np.int64(dtab[i, n]) * fmult[fi])
            L = csize2
            cv = np.empty((L, n), np.int64)
            cc = np.empty(L, np.int64)
            t = 0
            for i in range(ctab2.shape[0]):
                if ctab2[i, n] != 0:
                    cv[t] = ctab2[i, :n].view(np.int64)
                    cc[t] = np.int64(ctab2[i, n])
                    t += 1
            if dense:  # the law of the sum of W2 ordered iid contributions on the box
                delta = np.zeros(L, np.int64)
                for t in range(L):
                    for p in range(n):
                        delta[t] += cv[t, p] * radix[p]
                cur = 0
                nc = 1
                cells[0, 0] = base
                for q in range(R):
                    law[0, q, base] = ws[q]
                for _ in range(W2):
                    nxt = 1 - cur
                    m2 = 0
                    for ci in range(nc):
                        e = cells[cur, ci]
                        for t in range(L):
                            f2 = e + delta[t]
                            if not mark[f2]:
                                mark[f2] = True
                                cells[nxt, m2] = f2
                                m2 += 1
                                for q in range(R):
                                    law[nxt, q, f2] = 0
                            for q in range(R):
                                if mods[q] == 0:
                                    law[nxt, q, f2] += law[cur, q, e] * cc[t]
                                else:
                                    law[nxt, q, f2] = (law[nxt, q, f2] + _mulmod(law[cur, q, e], cc[t], mods[q])) % mods[q]
                            outs += 1
                    for ci in range(m2):
                        mark[cells[nxt, ci]] = False
                    cur = nxt
                    nc = m2
                for ci in range(nc):
                    e = cells[cur, ci]
                    for q in range(R):
                        if mods[q] == 0:
                            acc[q, e] += law[cur, q, e]
                        else:
                            acc[q, e] = (acc[q, e] + law[cur, q, e]) % mods[q]
            # every multiset i_1 <= ... <= i_W2 of contributions, with its orderings
            idx = np.zeros(W2, np.int64)
            while not dense:
                outs += 1
                for p in range(n):
                    g[p] = 0
                nord = fact[W2]
                run = 1
                for j in range(W2):
                    for p in range(n):
                        g[p] += cv[idx[j], p]
                    if j > 0 and idx[j] == idx[j - 1]:
                        run += 1
                    else:
                        run = 1
                    nord //= run  # divides by run! over each run, step by step
                for q in range(R):
                    w = _mulmod(ws[q], nord, mods[q])
                    for j in range(W2):
                        w = _mulmod(w, cc[idx[j]], mods[q])
                    wl[q] = w
                rtab, rcnt, rsize = add_tables(g, cb, zl, nw, key, rtab, rcnt, rsize, W, wl, mods)
                if rsize >= flush_at:
                    ctab, ccnt, csize = flush(rtab, rcnt, rsize, ctab, ccnt, csize, W, P, nw, d, flips, mods)
                    rsize = 0
                j = W2 - 1
                while j >= 0 and idx[j] == L - 1:
                    j -= 1
                if j < 0:
                    break
                idx[j] += 1
                for t in range(j + 1, W2):
                    idx[t] = idx[j]
        # the next sorted tuple with a_1 = first
        i = W1 - 1
        while i >= 1 and a[i] == K - 1:
            i -= 1
        if i < 1:
            break
        a[i] += 1
        for t in range(i + 1, W1):
            a[t] = a[i]
    return rtab, rcnt, rsize, ctab, ccnt, csize, visited, states, leaves, outs


@njit(cache=True, nogil=True)
def box_tables(acc, n, span, cb, zl, d, flips, mods, rtab, rcnt, rsize, ctab, ccnt, csize, flush_at):
    """The tables of every sum on the dense box ``acc`` (see :func:`count_states`), one per
    readout bias, into the histograms; returns them and their sizes."""
    R, B = acc.shape
    nw = (n + 63) // 64
    P = 2 if zl == 2 else 1
    W = P * nw
    s = np.zeros(n, np.int64)
    key = np.zeros(W, np.uint64)
    w = np.zeros(R, np.int64)
    half = span // 2
    for e in range(B):
        nz = False
        for q in range(R):
            w[q] = acc[q, e]
            nz = nz or w[q] != 0
        if not nz:
            continue
        x = e
        for p in range(n):
            s[p] = x % span - half
            x //= span
        rtab, rcnt, rsize = add_tables(s, cb, zl, nw, key, rtab, rcnt, rsize, W, w, mods)
        if rsize >= flush_at:
            ctab, ccnt, csize = flush(rtab, rcnt, rsize, ctab, ccnt, csize, W, P, nw, d, flips, mods)
            rsize = 0
    return rtab, rcnt, rsize, ctab, ccnt, csize

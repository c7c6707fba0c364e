"""numba kernels of :mod:`enumerate.analysis.sampler`: uniform draws of quantized settings, guess and check."""

import numpy as np
from numba import njit

from ...counting.kernels.brute import readout_features, unit_activations

__all__ = ['draw', 'guess_check', 'sample_labels']


@njit(cache=True, nogil=True)
def draw(radix, unit_layer, unit_chan, qi, gi, scaled, acts, npos, kern, strd, cin, bias_mult, clamp,
          act_code, lpos, lneg, H, last_c, last_n, pool, F, out_bm, zl, nX, wbuf, feats, lab):
    """Draw one uniform setting; write its labels (-1, 0, +1) into ``lab``."""
    nunits = unit_layer.shape[0]
    nq = qi.shape[0]
    for u in range(nunits):
        s = np.random.randint(0, radix[u])
        unit_activations(unit_layer[u], unit_chan[u], s, acts, qi, gi, scaled, npos, kern, strd, cin, bias_mult, clamp,
              act_code, lpos, lneg, nX, wbuf)
    readout_features(acts, H, last_c, last_n, pool, feats, nX)
    for x in range(nX):
        lab[x] = 0
    zs = wbuf[:nX]
    for x in range(nX):
        zs[x] = 0
    for f in range(F):
        w = qi[np.random.randint(0, nq)]
        for x in range(nX):
            zs[x] += w * feats[f, x]
    bb = qi[np.random.randint(0, nq)] * out_bm
    for x in range(nX):
        z = zs[x] + bb
        if z > 0:
            lab[x] = 1
        elif z < 0:
            lab[x] = -1
        else:
            lab[x] = -1 if zl == 0 else (1 if zl == 1 else 0)


@njit(cache=True, nogil=True)
def guess_check(seed, tries, max_accept, train, target, lossnum, radix, unit_layer, unit_chan, qi, gi, scaled,
                 acts, npos, kern, strd, cin, bias_mult, clamp, act_code, lpos, lneg, H, last_c, last_n, pool,
                 F, out_bm, zl, nX, accepted_loss):
    """Up to ``tries`` draws; keep those equal to ``target`` on ``train``; stop after
    ``max_accept`` acceptances (if > 0). Returns (draws made, accepted); the loss
    numerators of the accepted settings go to ``accepted_loss``."""
    np.random.seed(seed)
    wbuf = np.zeros(64 + acts.shape[1] * acts.shape[2] + nX, dtype=np.int64)
    feats = np.zeros((max(F, 1), nX), dtype=np.int64)
    lab = np.zeros(nX, dtype=np.int8)
    acc = 0
    t = 0
    while t < tries:
        t += 1
        draw(radix, unit_layer, unit_chan, qi, gi, scaled, acts, npos, kern, strd, cin, bias_mult, clamp,
              act_code, lpos, lneg, H, last_c, last_n, pool, F, out_bm, zl, nX, wbuf, feats, lab)
        ok = True
        for i in range(train.shape[0]):
            if lab[train[i]] != target[train[i]]:
                ok = False
                break
        if ok:
            loss = 0
            for x in range(nX):
                if lab[x] != target[x]:
                    loss += lossnum[x]
            if acc < accepted_loss.shape[0]:
                accepted_loss[acc] = loss
            acc += 1
            if max_accept > 0 and acc >= max_accept:
                break
    return t, acc


@njit(cache=True, nogil=True)
def sample_labels(seed, out, radix, unit_layer, unit_chan, qi, gi, scaled, acts, npos, kern, strd, cin,
                   bias_mult, clamp, act_code, lpos, lneg, H, last_c, last_n, pool, F, out_bm, zl, nX):
    np.random.seed(seed)
    wbuf = np.zeros(64 + acts.shape[1] * acts.shape[2] + nX, dtype=np.int64)
    feats = np.zeros((max(F, 1), nX), dtype=np.int64)
    for d in range(out.shape[0]):
        draw(radix, unit_layer, unit_chan, qi, gi, scaled, acts, npos, kern, strd, cin, bias_mult, clamp,
              act_code, lpos, lneg, H, last_c, last_n, pool, F, out_bm, zl, nX, wbuf, feats, out[d])

"""Exact forward pass in int64, vectorized over a batch of parameter settings.

A batch is an integer array of shape (B, P): entry [b, i] is the *index* of parameter i
(canonical order) in Q, or in the scale set for scale parameters. The result is an int8
array of labels (B, |X|) in {-1, 0, +1} under the spec's zero-label rule (0 only with
rule ``"0"``).

>>> import numpy as np
>>> from enumerate.core.spec import NetworkSpec
>>> spec = NetworkSpec.parse("fc:2,1,1", "-1,0,1", "sign", "01")
>>> labels(spec, np.array([[2, 2, 0, 2, 1]]))  # W1 = (1, 1), b1 = -1, W2 = 1, b2 = 0
array([[-1, -1, -1,  1]], dtype=int8)
>>> tables(labels(spec, np.array([[2, 2, 0, 2, 1]])))
['---+']
"""

from __future__ import annotations

import numpy as np

from .lattice import IntegerPlan

__all__ = ["labels", "tables", "index_to_params", "all_settings"]


def labels(spec, index_batch, plan=None):
    """Labels of every setting in ``index_batch`` at every domain point (int8, (B, |X|))."""
    plan = plan or IntegerPlan.of(spec)
    idx = np.asarray(index_batch, dtype=np.int64)
    if idx.ndim == 1:
        idx = idx[None, :]
    lay, arch = spec.layout, spec.arch
    B = idx.shape[0]
    qi = np.array(plan.qi, dtype=np.int64)
    gi = np.array(plan.gi or (0,), dtype=np.int64)

    def grab(name):
        g = lay.group(name)
        table = gi if g.is_scale else qi
        return table[idx[:, g.offset : g.offset + g.size]].reshape((B,) + g.shape)

    X = np.array(plan.xi, dtype=np.int64)  # (|X|, d0)
    if arch.is_conv:
        a = X.reshape(len(X), arch.in_channels, arch.in_length)
    else:
        a = X.reshape(len(X), -1, 1)
    a = np.broadcast_to(a, (B,) + a.shape)  # (B, |X|, c, n)
    for l, (c, m, k, s, cin, _nin) in enumerate(arch.hidden_shapes(), start=1):
        W = grab(f"W{l}").reshape(B, c, cin, k)
        b = grab(f"b{l}")
        taps = np.arange(m)[:, None] * s + np.arange(k)[None, :]  # (m, k)
        win = a[:, :, :, taps]  # (B, |X|, cin, m, k)
        z = np.einsum("bjik,bximk->bxjm", W, win) + (b * plan.bias_mult[l - 1])[:, None, :, None]
        a = plan.activate(z, l - 1)
        if arch.scaled:
            a = a * grab(f"gamma{l}")[:, None, :, None]
    L = arch.depth
    v = grab(f"W{L}").reshape(B, -1)
    b = grab(f"b{L}").reshape(B)
    feats = a.sum(axis=3) if (arch.is_conv and arch.readout == "sum") else a.reshape(B, a.shape[1], -1)
    out = np.einsum("bf,bxf->bx", v, feats) + (b * plan.out_bias_mult)[:, None]
    lab = np.sign(out).astype(np.int8)
    if spec.zero_label != "0":
        lab[lab == 0] = -1 if spec.zero_label == "-1" else 1
    return lab


def tables(label_array):
    """Truth-table strings of an int8 label array (B, |X|)."""
    chars = np.array([ord("-"), ord("0"), ord("+")], dtype=np.uint8)[np.asarray(label_array) + 1]
    return [row.tobytes().decode("ascii") for row in chars]


def index_to_params(spec, index_row):
    """The parameter values (Fractions) of one index row, canonical order."""
    mask = spec.layout.scale_mask()
    return [(spec.scales if sc else spec.q).values[i] for i, sc in zip(index_row, mask)]


def all_settings(spec, start=0, stop=None):
    """Index rows of settings ``start..stop-1`` in canonical mixed-radix order.

    The last parameter varies fastest. For tests and tiny specs only.
    """
    mask = spec.layout.scale_mask()
    radix = np.array([len(spec.scales) if sc else len(spec.q) for sc in mask], dtype=np.int64)
    stop = spec.total if stop is None else stop
    k = np.arange(start, stop, dtype=np.int64)
    out = np.empty((len(k), len(radix)), dtype=np.int64)
    for i in range(len(radix) - 1, -1, -1):
        out[:, i] = k % radix[i]
        k = k // radix[i]
    return out

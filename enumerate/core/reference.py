"""The obviously-correct evaluator: one parameter setting, exact Fractions, plain loops.

Slow by design; every fast path is tested against it.

>>> from enumerate.core.spec import NetworkSpec
>>> spec = NetworkSpec.parse("fc:2,1,1", "-1,0,1", "sign", "01")
>>> # h(x) = sign(1 * sign(x1 + x2 - 1) + 0): AND with a zero at the tie
>>> truth_table(spec, [1, 1, -1, 1, 0])
'---+'
"""

from __future__ import annotations

from fractions import Fraction

__all__ = ["forward", "label", "truth_table"]


def _hidden_layers(spec, groups):
    arch = spec.arch
    for l, (c, m, k, s, cin, _nin) in enumerate(arch.hidden_shapes(), start=1):
        W, b = groups[f"W{l}"], groups[f"b{l}"]
        gamma = groups.get(f"gamma{l}") if arch.scaled else None
        yield l, c, m, k, s, cin, W, b, gamma


def forward(spec, params):
    """Real output f(x) (a Fraction) at every domain point, in domain order."""
    params = [Fraction(p) for p in params]
    groups = spec.layout.split(params)
    arch = spec.arch
    outs = []
    for x in spec.domain.points:
        if arch.is_conv:
            n0 = arch.in_length
            a = [[x[c * n0 + t] for t in range(n0)] for c in range(arch.in_channels)]
        else:
            a = [[xi] for xi in x]
        for _l, c, m, k, s, cin, W, b, gamma in _hidden_layers(spec, groups):
            new = []
            for j in range(c):
                row = []
                for t in range(m):
                    z = b[j]
                    for i in range(cin):
                        for tap in range(k):
                            z += W[(j * cin + i) * k + tap] * a[i][t * s + tap]
                    v = spec.act(z)
                    row.append(v * gamma[j] if gamma is not None else v)
                new.append(row)
            a = new
        L = arch.depth
        v, b = groups[f"W{L}"], groups[f"b{L}"][0]
        if arch.is_conv and arch.readout == "sum":
            feats = [sum(row, Fraction(0)) for row in a]
        else:
            feats = [val for row in a for val in row]
        outs.append(b + sum((vi * fi for vi, fi in zip(v, feats)), Fraction(0)))
    return outs


def label(value, zero_label="-1") -> str:
    """Table character of an output value under the zero-label rule.

    >>> label(Fraction(0), "-1"), label(Fraction(0), "+1"), label(Fraction(0), "0")
    ('-', '+', '0')
    """
    if value > 0:
        return "+"
    if value < 0:
        return "-"
    return {"-1": "-", "+1": "+", "0": "0"}[zero_label]


def truth_table(spec, params) -> str:
    """The truth table string of one parameter setting (values, canonical order)."""
    return "".join(label(f, spec.zero_label) for f in forward(spec, params))

"""Claim ``width-slope``: one more student neuron raises the exact C~ by at most d_(l+1) ln|Q|.

A neuron added to hidden layer l whose d_(l+1) outgoing weights are all 0 changes nothing,
whatever its other parameters: so rho~(W+1) >= rho~(W) * |Q|^-d_(l+1) exactly, i.e.
C~(W+1) - C~(W) <= d_(l+1) ln|Q| (for an SFC student a zero scale does the same with
one parameter: C~(W+1) - C~(W) <= ln|Q_s|). Checked as exact fractions on every
consecutive pair of widths of each sweep; the measured slopes (C~ per added neuron, in
units of ln|Q|) are reported -- they sit far below the bound, and are negative where the
extra neurons make the teacher's function more likely.
"""

from __future__ import annotations

import math
from fractions import Fraction

from .registry import ClaimResult, claim

__all__ = ["NAME", "STATEMENT", "SWEEPS", "default_factor", "check"]

NAME = "width-slope"
STATEMENT = "rho~(W+1) >= rho~(W) |Q|^-d_(l+1) (fc; |Q_s|^-1 for sfc): C~ rises by at most d_(l+1) ln|Q| per neuron"

AND2 = ("fc:2,1,1", "1,1,-1,1,0")
MAJ3 = ("fc:3,1,1", "1,1,1,-1,1,0")
AND2S = ("sfc:2,1,1", "1,1,-1,1,1,0")
MAJ3S = ("sfc:3,1,1", "1,1,1,-1,1,1,0")
#: (student with W, teacher, widths) per sweep size
SWEEPS = {
    "small": [("fc:2,W,1", AND2, range(1, 9)), ("fc:3,W,1", MAJ3, range(1, 5)), ("sfc:2,W,1", AND2S, range(1, 6))],
    "default": [("fc:2,W,1", AND2, range(1, 25)), ("fc:3,W,1", MAJ3, range(1, 8)), ("sfc:2,W,1", AND2S, range(1, 13)),
                ("sfc:3,W,1", MAJ3S, range(1, 6))],
    "full": [("fc:2,W,1", AND2, range(1, 65)), ("fc:3,W,1", MAJ3, range(1, 11)), ("sfc:2,W,1", AND2S, range(1, 33)),
             ("sfc:3,W,1", MAJ3S, range(1, 8))],
}


def default_factor(kind, q, qs, d_next) -> Fraction:
    """The claimed least ratio rho~(W+1) / rho~(W): |Q|^-d_(l+1) (fc), |Q_s|^-1 (sfc).

    >>> default_factor("fc", 3, 3, 1), default_factor("sfc", 3, 3, 2)
    (Fraction(1, 3), Fraction(1, 3))
    """
    return Fraction(1, qs) if kind == "sfc" else Fraction(1, q**d_next)


def _factor_for(arch, spec, width, factor):
    """The claimed least ratio rho~(W+1)/rho~(W) for the sweep ``arch`` at ``width``: every
    hidden layer carrying ``W`` gains a neuron, harmless with its d_(l+1) outgoing weights
    at 0 (fc; the next layer's width at W + 1) or with a zero scale (sfc).

    >>> from enumerate import NetworkSpec
    >>> s = NetworkSpec.parse("fc:2,3,2,1", "-2,-1,0,1,2")
    >>> _factor_for("fc:2,W,2,1", s, 3, default_factor), _factor_for("fc:2,W,W,1", s, 3, default_factor)
    (Fraction(1, 25), Fraction(1, 3125))
    """
    kind, _, rest = arch.partition(":")
    parts = rest.split(",")
    out = Fraction(1)
    for i in range(1, len(parts) - 1):
        if parts[i] == "W":
            nxt = parts[i + 1]
            out *= factor(kind, len(spec.q), len(spec.scales), width + 1 if nxt == "W" else int(nxt))
    return out


def check(sweep="default", factor=default_factor, sweeps=None) -> ClaimResult:
    """Run the claim; ``factor(kind, |Q|, |Q_s|, d_(l+1))`` is the claimed least ratio
    (inject a wrong one to see FAIL); ``sweeps`` overrides :data:`SWEEPS` [sweep] (entries
    ``(student, teacher, widths)`` or ``(student, teacher, widths, Q)``; Q = {-1,0,1} when
    omitted). |Q|, |Q_s| and d_(l+1) are read off each student's spec."""
    from enumerate import NetworkSpec

    from ..width_sweep import substitute_width, width_sweep

    cases, fails, figures = 0, [], {}
    for entry in (sweeps or SWEEPS[sweep]):
        arch, teacher, widths = entry[:3]
        q = entry[3] if len(entry) > 3 else "-1,0,1"
        sw = width_sweep(arch, q, teacher=teacher, widths=list(widths), progress=False)
        kind = arch.split(":")[0]
        slopes = []
        for a, b in zip(sw.rows, sw.rows[1:]):
            if b.width != a.width + 1:
                continue
            cases += 1
            spec = NetworkSpec.parse(substitute_width(arch, a.width), q)
            f = _factor_for(arch, spec, a.width, factor)
            if b.rho < a.rho * f:
                fails.append(f"{arch} teacher {teacher[0]} [{teacher[1]}]: rho~({b.width}) = {b.rho} < rho~({a.width}) "
                             f"* {f} = {a.rho * f}")
            lnq = math.log(len(spec.scales) if kind == "sfc" else len(spec.q))
            slopes.append((b.C - a.C) / lnq)
        if slopes:
            label = arch if q == "-1,0,1" else f"{arch} Q={{{q}}}"
            figures[f"{label} slope/ln|Q| max"] = f"{max(slopes):.3g}"
            tail = slopes[len(slopes) // 2:]
            figures[f"{label} slope/ln|Q| last half mean"] = f"{sum(tail) / len(tail):.3g}"
            figures[f"{label} C~ at W={sw.rows[-1].width}"] = f"{sw.rows[-1].C:.4f}"
    return ClaimResult(NAME, STATEMENT, cases, not fails, figures, fails[0] if fails else None)


@claim(NAME, STATEMENT)
def run(sweep):
    return check(sweep)

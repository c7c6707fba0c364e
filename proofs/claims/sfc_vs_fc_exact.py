"""Claim ``sfc-vs-fc-exact``: FC against SFC students of a depth-3 teacher, on exact counts.

The scaled construction pins fewer parameters than the vanilla one once the student is
wide and deep (K_SFC < K_FC for d = (2, W, 2, 1), d* = (2, 1, 2, 1) from W = 5 on; equal at 4). The
claim compares what the counts say: for the teacher sweep ``fc:2,W,2,1`` and
``sfc:2,W,2,1`` (the same function, ``-+++``), each student's exact rho~ is at least
its family's single- and multi-embedding bounds at every width, and the exact ratio
rho~_SFC / rho~_FC per width is reported with the first width where the SFC student's
rho~ overtakes the FC one (or ``none`` in the range checked) beside the width where the
SFC bound overtakes the FC bound.
"""

from __future__ import annotations

from .registry import ClaimResult, claim

__all__ = ["NAME", "STATEMENT", "FC_TEACHER", "SFC_TEACHER", "WIDTHS", "check"]

NAME = "sfc-vs-fc-exact"
STATEMENT = "depth 3, d* = (2,1,2,1): exact rho~ >= bounds for FC and SFC students; where SFC's exact rho~ overtakes FC's"

FC_TEACHER = ("fc:2,1,2,1", "1,1,-1,1,1,0,1,1,1,0")
SFC_TEACHER = ("sfc:2,1,2,1", "1,1,-1,1,1,1,0,1,1,1,1,1,0")
#: widths per sweep size (fc, sfc): the two-hidden-layer class counter takes seconds up to W = 7 and
#: about two minutes of CPU at W = 10 (benchmarks/results/width_sweep.json)
WIDTHS = {"small": (range(1, 4), range(1, 3)), "default": (range(1, 7), range(1, 7)),
          "full": (range(1, 11), range(1, 11))}


def check(sweep="default", sfc_scale=1, widths=None) -> ClaimResult:
    """Run the claim; ``sfc_scale`` multiplies the SFC bounds (a wrong bound, > 1, must
    FAIL somewhere)."""
    from ..width_sweep import width_sweep

    fw, sw_ = widths or WIDTHS[sweep]
    fc = width_sweep("fc:2,W,2,1", "-1,0,1", teacher=FC_TEACHER, widths=list(fw), progress=False)
    sfc = width_sweep("sfc:2,W,2,1", "-1,0,1", teacher=SFC_TEACHER, widths=list(sw_), progress=False)
    fails, cases = [], 0
    for name, s, scale in (("fc", fc, 1), ("sfc", sfc, sfc_scale)):
        for r in s.rows:
            cases += 1
            bounds = [("single", r.single * scale)] + ([("multi", r.multi * scale)] if r.multi is not None else [])
            for what, b in bounds:
                if r.rho < b:
                    fails.append(f"{r.arch}: exact rho~ {r.rho} < {what} bound {b}")
    both = {r.width: r for r in fc.rows}
    ratios, first_exact, first_bound = {}, None, None
    for r in sfc.rows:
        if r.width in both:
            f = both[r.width]
            ratios[r.width] = r.rho / f.rho
            if first_exact is None and r.rho > f.rho:
                first_exact = r.width
            if first_bound is None and r.single > f.single:
                first_bound = r.width
    figures = {"ratio sfc/fc per width": ", ".join(f"{w}: {float(x):.3g}" for w, x in ratios.items()),
               "SFC exact overtakes at W": first_exact if first_exact is not None else f"none up to {max(ratios)}",
               "SFC bound overtakes at W": first_bound if first_bound is not None else f"none up to {max(ratios)}",
               "fc widths": f"1..{fc.rows[-1].width}", "sfc widths": f"1..{sfc.rows[-1].width}"}
    return ClaimResult(NAME, STATEMENT, cases, not fails, figures, fails[0] if fails else None)


@claim(NAME, STATEMENT)
def run(sweep):
    return check(sweep)

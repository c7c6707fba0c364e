"""Claim ``sfc-vs-fc``: when does the scaled construction pin fewer parameters?

docs/theory.md: SFC beats FC (K_SFC < K_FC) only in deeper nets with a next-layer
teacher width >= 2 and a much wider student, e.g. d = (2,6,2,1), d* = (2,1,2,1):
K_FC = 20, K_SFC = 18; never in a 2-layer net with scalar output. Checked:

* symbolically: K_FC - K_SFC = sum_(l=1)^(L-2) (d*_(l+1) - 1) e_l - sum_(hidden l) d*_l
  with e_l = d_l - d*_l (:func:`proofs.bounds.fc_minus_sfc`), which is -d*_1 < 0 for L = 2;
* the example's counts 20 and 18, from the formulas and from the parameters an actual
  embedding event pins;
* for every depth-3 pair with d_0 <= 2, student widths <= 8 and teacher widths <= 3,
  the sign of K_FC - K_SFC computed from the two formulas equals the sign of the
  characterization above (small sweep: widths <= 5).
"""

from __future__ import annotations

import itertools

import sympy as sp

from enumerate import NetworkSpec

from ..bound_checks import SWEEP_Q
from ..bounds import fc_minus_sfc, k_fc, k_sfc
from ..embedding import embedding_event, embeddings
from .registry import ClaimResult, claim

NAME = "sfc-vs-fc"
STATEMENT = "K_SFC < K_FC iff sum_l (d*_(l+1)-1) e_l > sum_hidden d*_l; never for L = 2; (2,6,2,1)/(2,1,2,1): 20 vs 18"


def _pinned(kind, d, ds):
    s = NetworkSpec.parse(f"{kind}:" + ",".join(map(str, d)), SWEEP_Q)
    t = s.with_arch(f"{kind}:" + ",".join(map(str, ds)))
    pi = next(iter(embeddings(s.arch, t.arch)))
    return len(embedding_event(s, t, [1] * t.num_params, pi))


def check(sweep="default", difference=fc_minus_sfc) -> ClaimResult:
    """Run the claim; ``difference(L)`` is the claimed K_FC - K_SFC (inject a wrong one
    to see FAIL)."""
    fails, cases = [], 0
    g2 = difference(2)
    ds1 = sp.Symbol("ds_1", positive=True, integer=True)
    cases += 1
    if sp.simplify(g2 + ds1) != 0:
        fails.append(f"depth 2: K_FC - K_SFC = {g2}, expected -ds_1 (< 0)")
    d, ds = (2, 6, 2, 1), (2, 1, 2, 1)
    cases += 1
    got = (int(k_fc(d, ds)), int(k_sfc(d, ds)), _pinned("fc", d, ds), _pinned("sfc", d, ds))
    if got != (20, 18, 20, 18):
        fails.append(f"example {d}/{ds}: K_FC, K_SFC, pinned FC, pinned SFC = {got}, expected (20, 18, 20, 18)")
    g3 = difference(3)
    syms = {str(x): x for x in g3.free_symbols}
    wmax = 5 if sweep == "small" else 8
    better = 0
    for d0 in (1, 2):
        for d1, d2 in itertools.product(range(1, wmax + 1), repeat=2):
            for t1, t2 in itertools.product(range(1, min(3, d1) + 1), range(1, min(3, d2) + 1)):
                cases += 1
                direct = int(k_fc((d0, d1, d2, 1), (d0, t1, t2, 1)) - k_sfc((d0, d1, d2, 1), (d0, t1, t2, 1)))
                vals = {"ds_1": t1, "ds_2": t2, "e_1": d1 - t1, "e_2": d2 - t2, "d_0": d0}
                char = int(g3.subs({syms[k]: v for k, v in vals.items() if k in syms}))
                better += direct > 0
                if (direct > 0) != (char > 0) or (direct < 0) != (char < 0):
                    fails.append(f"d = ({d0},{d1},{d2},1), d* = ({d0},{t1},{t2},1): K_FC - K_SFC = {direct}, characterization {char}")
                    break
            if fails:
                break
        if fails:
            break
    figures = {"depth 2 gap": str(g2), "depth 3 gap": str(g3), "depth-3 pairs where SFC pins fewer": better}
    return ClaimResult(NAME, STATEMENT, cases, not fails, figures, fails[0] if fails else None)


@claim(NAME, STATEMENT)
def run(sweep):
    return check(sweep)

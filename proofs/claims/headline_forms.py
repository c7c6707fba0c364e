"""Claim ``headline-forms``: the pinned counts are at most the paper's headline forms,
and the sympy formulas count what the constructions pin.

Paper (main theorem, informal): sample complexity
O(log Q * sum_l (d*_l d_(l-1) + d*_l)) for vanilla FC and O(log Q * sum_l (d*_l d*_(l-1)
+ 2 d_l)) with batch-normalization-like scaling. Checked:

* symbolically, for every depth L = 2..8 (polynomial identity in d*_l >= 1 and the
  excess widths e_l = d_l - d*_l >= 0, all gap coefficients nonnegative): K_FC equals
  its headline form exactly and headline_SFC - K_SFC = sum_l e_l + 1 >= 1; and for a
  general depth L, termwise with indexed sums (:func:`proofs.bounds.prove_headline_general`);
* numerically, for every (student, teacher) architecture pair of the sweep (FC/SFC
  depth 2-4, CNN/SCNN): the sympy pinned counts K_w, K_s equal the number of parameters
  an actual embedding event pins (:func:`proofs.embedding.embedding_event`), the sympy
  parameter counts equal the spec's, and K <= headline for FC/SFC.
"""

from __future__ import annotations

import sympy as sp

from ..bound_checks import conv_pairs, fc_pairs
from ..bounds import headline_fc, headline_sfc, k_fc, k_sfc, prove_headline, prove_headline_general, terms, width_symbols
from ..embedding import embedding_event, embeddings, units
from .registry import ClaimResult, claim

NAME = "headline-forms"
STATEMENT = "K_FC = sum_l (d*_l d_(l-1) + d*_l); K_SFC <= sum_l (d*_l d*_(l-1) + 2 d_l) (sympy, all depths); formulas = pinned counts"

BIG = 3**80


def pairs(sweep):
    w = 3 if sweep == "small" else 5
    out = []
    for kind in ("fc", "sfc"):
        out += fc_pairs(kind, (1, 2, 3), w, 2, BIG, BIG, teacher_width=3) + fc_pairs(kind, (1, 2), w - 1, 3, BIG, BIG)
        if sweep != "small":
            out += fc_pairs(kind, (2,), 3, 4, BIG, BIG)
    out += conv_pairs(("cnn:1x3/{}k2s1/flat", "cnn:1x5/{}k2s1/{}k3s1/flat", "cnn:2x4/{}k2s2/sum",
                       "scnn:1x4/{}k2s1/{}k2s1/flat", "scnn:1x5/{}k3s2/sum"), 3, BIG, BIG)
    return out


def _sym_proofs(hfc, hsfc, depths):
    """Symbolic gaps headline - K for each depth with the given headline forms."""
    out = []
    for L in depths:
        d, ds = width_symbols(L)
        e = [sp.Symbol(f"e_{l}", nonnegative=True, integer=True) for l in range(1, L)]
        sub = {d[l]: ds[l] + e[l - 1] for l in range(1, L)}
        syms = [ds[0], *ds[1:-1], *e]
        for name, h, k in (("FC", hfc, k_fc), ("SFC", hsfc, k_sfc)):
            gap = sp.expand((h(d, ds) - k(d, ds)).subs(sub))
            ok = gap == 0 or all(c >= 0 for c in sp.Poly(gap, *syms).coeffs())
            out.append((L, name, gap, ok))
    return out


def check(sweep="default", hfc=headline_fc, hsfc=headline_sfc) -> ClaimResult:
    """Run the claim; ``hfc(d, ds)`` / ``hsfc(d, ds)`` are the headline forms (inject a
    wrong one, e.g. one that drops the + d*_l, to see FAIL)."""
    depths = range(2, 5) if sweep == "small" else range(2, 9)
    fails, cases = [], 0
    for L, name, gap, ok in _sym_proofs(hfc, hsfc, depths):
        cases += 1
        if not ok:
            fails.append(f"depth {L} {name}: headline - K = {gap} can be negative")
    if hfc is headline_fc and hsfc is headline_sfc:
        fc_ok, sfc_ok, _gap = prove_headline_general()
        cases += 1
        if not (fc_ok and sfc_ok and prove_headline(3).sfc_holds):
            fails.append("general depth: the termwise identity fails")
    ps = sorted(pairs(sweep), key=lambda p: (p[0].num_params, str(p[0].arch), str(p[1])))
    for s, tarch in ps if not fails else ():
        cases += 1
        t = s.with_arch(tarch)
        tm = terms(s, tarch)
        pi = next(iter(embeddings(s.arch, tarch)))
        ev = embedding_event(s, t, [1] * t.num_params, pi)
        mask = s.layout.scale_mask()
        kw, ks = sum(not mask[p] for p in ev), sum(mask[p] for p in ev)
        lay = s.layout
        where = f"student {s.arch}, teacher {tarch}"
        if (kw, ks) != (tm.k_weights, tm.k_scales):
            fails.append(f"{where}: event pins {kw} + {ks} scales, formula {tm.k_weights} + {tm.k_scales}")
        elif (lay.num_weights, lay.num_scales) != (tm.p_weights, tm.p_scales):
            fails.append(f"{where}: spec has {lay.num_weights} + {lay.num_scales} parameters, formula {tm.p_weights} + {tm.p_scales}")
        elif not s.arch.is_conv:
            h = (hfc if s.arch.kind == "fc" else hsfc)(units(s.arch), units(tarch))
            if tm.k > h:
                fails.append(f"{where}: K = {tm.k} > headline {h}")
        if fails:
            break
    figures = {"depths proved": f"2..{max(depths)} + general", "arch pairs": len(ps),
               "SFC gap": str(prove_headline(3).sfc_gap)}
    return ClaimResult(NAME, STATEMENT, cases, not fails, figures, fails[0] if fails else None)


@claim(NAME, STATEMENT)
def run(sweep):
    return check(sweep)

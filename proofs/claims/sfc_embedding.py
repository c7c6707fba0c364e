"""Claim ``sfc-embedding``: the embedding bounds for FC networks with scaled neurons.

Paper: the construction with "batch-normalization-like scaling" (paper Fig. 1c: copy the
teacher's neurons, set the scale of every other neuron to 0, everything else free) behind
the main theorem's O(log Q * sum_l (d*_l d*_(l-1) + 2 d_l)). Formulas (docs/theory.md),
with K_SFC = M(d*) + sum_(hidden l) d_l pinned parameters (teacher parameters, teacher
scales, zero scales):

    single embedding:  rho~ >= Q^-K_SFC
    multi embedding:   rho~ >= prod_l d_l!/(d_l - d*_l)! / |Aut(theta*)| * Q^-K_SFC
                       (irreducible here: every teacher scale is nonzero, which makes
                       events with different image sets disjoint)

Checked as exact integers against ``count_prior(student, "auto")`` for every teacher
setting, Q = {-1,0,1} (scales from Q too), sign, domain {0,1}^d_0. Sweeps:

* small:   depth 2, d_0 = 1, widths <= 2; d_0 = 2, width 1
* default: depth 2, d_0 <= 2, students with <= 3^17 settings (d_0 = 1: widths <= 4,
           d_0 = 2: widths <= 3), all teachers of widths <= 2; depth 3, d_0 = 1,
           widths <= 2, teachers with <= 3^12 settings
* full:    students up to 3^21 settings (sfc:2,4,1; sfc:2,2,2,1), teachers up to 3^17
"""

from __future__ import annotations

from ..bound_checks import check_family, default_multi, default_single, fc_pairs
from .registry import claim

NAME = "sfc-embedding"
STATEMENT = "SFC: exact rho~ >= n_emb/|Aut| Q^-K_SFC (scales != 0) >= Q^-K_SFC, K_SFC = M(d*) + sum_hidden d_l"


def pairs(sweep):
    if sweep == "small":
        return fc_pairs("sfc", (1,), 2, 2, 3**9, 3**9) + fc_pairs("sfc", (2,), 1, 2, 3**9, 3**9)
    if sweep == "default":
        return fc_pairs("sfc", (1, 2), 4, 2, 3**17, 3**11) + fc_pairs("sfc", (1,), 2, 3, 3**17, 3**12)
    return fc_pairs("sfc", (1, 2), 4, 2, 3**21, 3**11) + fc_pairs("sfc", (1, 2), 2, 3, 3**19, 3**17)


def check(sweep="default", single=default_single, multi=default_multi):
    """Run the claim with injectable bounds (see :mod:`proofs.claims.fc_embedding`)."""
    return check_family(NAME, STATEMENT, pairs(sweep), single, multi)


@claim(NAME, STATEMENT)
def run(sweep):
    return check(sweep)

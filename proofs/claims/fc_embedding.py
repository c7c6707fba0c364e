"""Claim ``fc-embedding``: the sub-network embedding bounds for vanilla FC networks.

Paper: the proof idea (a sub-network identical to the teacher, outgoing
weights of the other neurons zeroed, their incoming weights arbitrary; paper Fig. 1b)
behind the main theorem's FC sample complexity O(log Q * sum_l (d*_l d_(l-1) + d*_l)).
Formulas (docs/theory.md), with K_FC = sum_(l=1..L) d*_l (d_(l-1) + 1):

    single embedding:  rho~ >= Q^-K_FC
    multi embedding:   rho~ >= prod_l d_l!/(d_l - d*_l)! / |Aut(theta*)| * Q^-K_FC
                       (irreducible teachers: every hidden neuron has a nonzero outgoing weight)

Checked as exact integers against ``count_prior(student, "auto")`` for *every* teacher
parameter setting (grouped by table, irreducibility and |Aut|), Q = {-1,0,1}, sign
activation, domain {0,1}^d_0, zero label -1. Sweeps:

* small:   depth 2, d_0 <= 2, student widths <= 2; depth 3, d_0 = 1, widths <= 2
* default: depth 2, d_0 <= 2, student widths <= 4, all teachers of widths <= 2;
           depth 3, d_0 <= 2, students with <= 3^17 settings, teachers with <= 3^13
* full:    the default sweep with sign and relu, students up to 3^19 settings,
           teachers up to 3^15 (every teacher of widths <= 2 at depth 3)
"""

from __future__ import annotations

from ..bound_checks import check_family, default_multi, default_single, fc_pairs
from .registry import claim

NAME = "fc-embedding"
STATEMENT = "FC: exact rho~ >= n_emb/|Aut| Q^-K_FC (irreducible) >= Q^-K_FC, K_FC = sum_l d*_l (d_(l-1)+1)"


def pairs(sweep):
    if sweep == "small":
        return fc_pairs("fc", (1, 2), 2, 2, 3**9, 3**9) + fc_pairs("fc", (1,), 2, 3, 3**13, 3**9)
    out = fc_pairs("fc", (1, 2), 4, 2, 3**17, 3**9) + fc_pairs("fc", (1, 2), 3, 3, 3**17, 3**13)
    if sweep == "full":
        out = fc_pairs("fc", (1, 2), 4, 2, 3**19, 3**9) + fc_pairs("fc", (1, 2), 3, 3, 3**19, 3**15)
        out += fc_pairs("fc", (1, 2), 4, 2, 3**17, 3**9, act="relu") + fc_pairs("fc", (1, 2), 3, 3, 3**17, 3**13, act="relu")
    return out


def check(sweep="default", single=default_single, multi=default_multi):
    """Run the claim; ``single(terms, aut)`` / ``multi(terms, aut)`` give the bounds as
    settings counts (inject a wrong one to see the checker fail)."""
    return check_family(NAME, STATEMENT, pairs(sweep), single, multi)


@claim(NAME, STATEMENT)
def run(sweep):
    return check(sweep)

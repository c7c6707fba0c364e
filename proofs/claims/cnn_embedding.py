"""Claim ``cnn-embedding``: the channel-embedding bounds for 1-D CNNs and scaled CNNs.

Paper: the analogous results for CNNs (same constructions per channel; weight sharing
makes the cost independent of the input length except through a flattened readout).
Formulas (docs/theory.md), r = readout fan-in (student; r* teacher):

    K_CNN  = sum_(conv l) c*_l (k_l c_(l-1) + 1) + r + 1
    K_SCNN = sum_(conv l) [c*_l (k_l c*_(l-1) + 2) + (c_l - c*_l)] + r* + 1
    rho~ >= prod_l c_l!/(c_l - c*_l)! / |Aut(theta*)| * Q^-K  (irreducible)  >= Q^-K

Irreducible: CNN, every teacher channel has a nonzero outgoing weight; SCNN, every
teacher scale is nonzero. Checked as exact integers against ``count_prior(student,
"auto")`` for every teacher setting with Q = {-1,0,1}, sign, domain {0,1}^n. Sweeps:

* small:   cnn:1x3/Ck2s1/flat and scnn:1x3/Ck2s1/sum, C <= 2
* default: cnn:1x3/Ck2s1/{flat,sum}, cnn:1x4/Ck2s1/flat, cnn:2x2/Ck2s1/flat,
           cnn:1x4/Ak2s1/Bk2s1/flat, scnn:1x3/Ck2s1/{flat,sum}, channels <= 3, students
           with <= 3^17 settings, every teacher of <= 2 channels per layer (<= 3^13 settings)
* full:    students up to 3^19 settings
"""

from __future__ import annotations

from ..bound_checks import check_family, conv_pairs, default_multi, default_single
from .registry import claim

NAME = "cnn-embedding"
STATEMENT = "CNN/SCNN: exact rho~ >= prod c_l!/(c_l-c*_l)!/|Aut| Q^-K (irreducible) >= Q^-K, K = K_CNN or K_SCNN"

TEMPLATES = (
    "cnn:1x3/{}k2s1/flat", "cnn:1x3/{}k2s1/sum", "cnn:1x4/{}k2s1/flat", "cnn:2x2/{}k2s1/flat",
    "cnn:1x4/{}k2s1/{}k2s1/flat", "scnn:1x3/{}k2s1/flat", "scnn:1x3/{}k2s1/sum",
)


def pairs(sweep):
    if sweep == "small":
        return conv_pairs(("cnn:1x3/{}k2s1/flat", "scnn:1x3/{}k2s1/sum"), 2, 3**11, 3**11)
    limit = 3**17 if sweep == "default" else 3**19
    return conv_pairs(TEMPLATES, 3, limit, 3**13)


def check(sweep="default", single=default_single, multi=default_multi):
    """Run the claim with injectable bounds (see :mod:`proofs.claims.fc_embedding`)."""
    return check_family(NAME, STATEMENT, pairs(sweep), single, multi)


@claim(NAME, STATEMENT)
def run(sweep):
    return check(sweep)

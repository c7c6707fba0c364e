"""Label-noise claims (proofs.claims.label_noise): they pass, they can fail, and the
narrowest interpolator agrees with an enumeration over every draw sequence."""

import itertools
import math
from fractions import Fraction as F

import pytest

from proofs.claims import label_noise as ln
from proofs.claims.registry import all_claims


@pytest.mark.parametrize("name", ["label-noise-zero", "label-noise-narrowest"])
def test_claim_passes_on_small_sweep(name):
    r = all_claims()[name].check("small")
    assert r.passed, r.counterexample
    assert r.cases >= 30


def test_zero_claim_fails_with_noise():
    r = ln.check_zero(ln.CONFIGS["small"][:1], n_max=2, eps=F(1, 100))
    assert not r.passed and "fc:2,1" in r.counterexample


def test_narrowest_claim_fails_with_wrong_minimal_widths():
    r = ln.check_narrowest("small", shift=1)
    assert not r.passed and "SAT minimal width" in r.counterexample


def _brute_narrowest(min_widths, target, N, eps):
    """E[L | interpolable] of the narrowest interpolator over every sequence of N noisy draws."""
    n = len(target)
    flip = {"+": "-", "-": "+"}
    interp = err = F(0)
    for seq in itertools.product(range(n), (False, True), repeat=N):
        draws = list(zip(seq[::2], seq[1::2]))
        p = math.prod((F(1, n) * (eps if f else 1 - eps) for _x, f in draws), start=F(1))
        ok = [t for t, w in min_widths.items() if w is not None
              and all(t[x] == (flip[target[x]] if f else target[x]) for x, f in draws)]
        if not ok:
            continue
        w = min(min_widths[t] for t in ok)
        best = [t for t in ok if min_widths[t] == w]
        interp += p
        err += p * sum(F(sum(a != b for a, b in zip(t, target)), n) for t in best) / len(best)
    return err / interp, interp


def test_narrowest_interpolator_matches_enumeration():
    mw = ln._min_widths("fc:2,W,1", "-1,0,1", 2)
    for r in ln.interpolator_errors("fc:2,W,1", "-1,0,1", "-++-", (2,), (F(1, 5),), (1, 2), mw):
        assert (r.narrowest, r.interpolable) == _brute_narrowest(mw, "-++-", r.n, r.eps)
        assert r.row()["narrowest regime"] == ln.regime(r.narrowest, r.eps)

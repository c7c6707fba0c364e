"""The posterior-sampling claims (proofs.claims.posterior): they pass, and they can fail."""

import math
from fractions import Fraction as F

from hypothesis import given, settings
from hypothesis import strategies as st

from proofs.claims import posterior as cp
from proofs.claims.registry import all_claims
import pytest

NAMES = ["posterior-tail", "posterior-expected-error", "posterior-kl", "posterior-lemma"]


@pytest.mark.parametrize("name", NAMES)
def test_claim_passes_on_small_sweep(name):
    claims = all_claims()
    assert name in claims
    r = claims[name].check("small")
    assert r.passed, r.counterexample
    assert r.cases > 100


def test_tail_claim_fails_with_a_wrong_bound():
    # without the 1/rho~ factor the bound is false already at N = 0
    r = cp.check_tail(cp.CONFIGS["small"][:1], n_max=2, bound=lambda l, N, rho: (1 - l) ** N * rho)
    assert not r.passed and "fc:2,1" in r.counterexample


def test_tail_bound_is_within_a_small_factor_on_some_case():
    """The reported slack is recomputed directly over every target: the bound holds
    (ratio >= 1) and is within a factor 5 of the exact tail somewhere (4.05 at fc:2,1)."""
    cfg = cp.CONFIGS["small"][0]
    ratios = [(1 - l) ** N / fam.rho / fam.tail_probability(N, l)
              for t, fam in cp.families(cfg) for l in fam.loss_levels() if l > 0 for N in range(3)
              if fam.tail_probability(N, l)]
    worst = min(ratios)
    assert 1 <= worst < 5
    reported = cp.check_tail([cfg], n_max=2).figures["min bound/value"]
    assert reported == f"{float(worst):.4g}"


def test_every_posterior_claim_fails_with_a_wrong_bound():
    small = cp.CONFIGS["small"][:1]
    r = cp.check_expected_error(small, 6, factor=F(1, 20))
    assert not r.passed and "E[error]" in r.counterexample
    r = cp.check_kl(small, factor=2)
    assert not r.passed and "P(fits S)" in r.counterexample
    r = cp.check_lemma(small, sample_size=lambda rho, eps, delta: 1)
    assert not r.passed and "N0=1" in r.counterexample


@settings(max_examples=60, deadline=None)
@given(st.fractions(min_value=-5, max_value=30, max_denominator=10**6), st.fractions(min_value=F(1, 10**6), max_value=10**9,
                                                                                   max_denominator=10**6))
def test_le_log_agrees_with_floats_away_from_ties(x, y):
    gap = math.log(y) - float(x)
    if abs(gap) > 1e-9:
        assert cp.le_log(x, y) == (gap > 0)


def test_le_log_decides_near_ties():
    from mpmath import log, mp

    mp.dps = 60
    l2 = F(str(log(2)))  # 60 digits of ln 2
    assert cp.le_log(l2 - F(1, 10**50), F(2)) and not cp.le_log(l2 + F(1, 10**50), F(2))
    assert cp.le_log(F(0), F(1)) and not cp.le_log(F(1, 10**40), F(1))


def test_proofs_cli_runs_the_claims(capsys):
    from proofs.cli import main

    assert main(["posterior-kl", "posterior-expected-error", "--sweep", "small"]) == 0
    out = capsys.readouterr().out
    assert "posterior-kl" in out and "PASS" in out


def test_lemma_checker_returns_fail_instead_of_raising():
    from proofs.claims import posterior as cp

    r = cp.check_lemma(cp.CONFIGS["small"][:1], sample_size=lambda rho, eps, delta: 0)
    assert not r.passed and "N0=0" in r.counterexample

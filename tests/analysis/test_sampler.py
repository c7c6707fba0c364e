"""The guess-and-check sampler (enumerate.analysis.sampler) against the exact posteriors.

Fixed seeds, and 5-sigma Wilson intervals, so the checks are not flaky: a correct
sampler fails them with probability below about 1e-6 per interval.
"""

import collections
import math
from fractions import Fraction as F

import pytest

from enumerate import NetworkSpec, SpecError, count_prior
from enumerate.analysis.posterior import PosteriorFamily
from enumerate.analysis.sampler import guess_and_check, guess_and_check_curve, sample_tables
from enumerate.core.teacher import make_teacher

Z = 5.0


@pytest.fixture(scope="module")
def setup():
    spec = NetworkSpec.parse("fc:3,2,1", "-1,0,1", "sign", "01")
    prior = count_prior(spec, "brute", progress=False)
    teacher = make_teacher(spec, "fc:3,1,1", "1,1,1,-1,1,0")
    return spec, prior, teacher, PosteriorFamily.of(prior, teacher)


@pytest.mark.parametrize("S", [[0, 3, 5], [7], [1, 2, 4, 6]])
def test_fixed_training_set_agrees_with_exact(setup, S):
    spec, prior, teacher, fam = setup
    exact = fam.given(S)
    res = guess_and_check(spec, teacher, S, tries=300_000, seed=11, z=Z)
    assert res.tries == 300_000
    assert res.acceptance.kind == "monte-carlo estimate"
    assert res.acceptance.contains(exact.fit_probability), (res.acceptance, float(exact.fit_probability))
    assert res.test_error.contains(exact.expected_error), (res.test_error, float(exact.expected_error))
    # every accepted setting really fits S: its loss counts only points outside S
    assert all(0 <= x <= 1 for x in res.losses) and len(res.losses) == res.accepted


def test_weighted_test_error(setup):
    spec, prior, teacher, _ = setup
    w = (F(1, 4), F(1, 4), F(1, 8), F(1, 8), F(1, 16), F(1, 16), F(1, 16), F(1, 16))
    fam = PosteriorFamily.of(prior, teacher, w)
    res = guess_and_check(spec, teacher, [2, 5], tries=200_000, seed=3, z=Z, weights=w)
    assert res.test_error.contains(fam.given([2, 5]).expected_error)


def test_max_accept_and_reproducibility(setup):
    spec, _prior, teacher, _ = setup
    a = guess_and_check(spec, teacher, [0, 7], tries=50_000, max_accept=10, seed=5, threads=2)
    b = guess_and_check(spec, teacher, [0, 7], tries=50_000, max_accept=10, seed=5, threads=2)
    assert a.accepted == 20 and a.tries < 50_000
    assert (a.tries, a.losses) == (b.tries, b.losses)


def test_curve_agrees_with_exact(setup):
    spec, _prior, teacher, fam = setup
    for N in (2, 5):
        est = guess_and_check_curve(spec, teacher, N, sets=3000, seed=N, z=Z)
        assert est["gave_up"] == 0
        assert est["expected_error"].contains(fam.expected_error(N)), (N, est, float(fam.expected_error(N)))
        assert est["fit_probability"].contains(fam.fit_probability(N)), (N, est, float(fam.fit_probability(N)))


@pytest.mark.parametrize("arch,q,act,zl", [
    ("fc:2,2,1", "-1,0,1", "sign", "-1"),
    ("fc:2,2,1", "-1,-1/2,0,1/2,1", "relu", "0"),
    ("sfc:2,1,1", "-1,0,1", "leaky:1/3", "+1"),
    ("cnn:1x3/2k2s1/flat", "-1,0,1", "hardtanh", "-1"),
])
def test_uniform_draws_reproduce_the_exact_prior(arch, q, act, zl):
    """Chi-square of the sampled table frequencies against the exact prior."""
    spec = NetworkSpec.parse(arch, q, act, "01", zl)
    prior = count_prior(spec, "brute", progress=False)
    D = 200_000
    got = collections.Counter(sample_tables(spec, D, seed=4))
    assert set(got) <= set(prior.counts)
    chi2 = sum((got[t] - D * c / prior.total) ** 2 / (D * c / prior.total) for t, c in prior.counts.items())
    df = max(prior.num_functions - 1, 1)
    assert chi2 < df + 8 * math.sqrt(2 * df) + 10, (chi2, df)


def test_bad_inputs(setup):
    spec, _prior, _teacher, _ = setup
    with pytest.raises(SpecError, match="target"):
        guess_and_check(spec, "++", [0])
    with pytest.raises(SpecError, match="training"):
        guess_and_check(spec, "---+-+++", [8])
    with pytest.raises(SpecError, match="tries"):
        guess_and_check(spec, "---+-+++", [1], tries=0)

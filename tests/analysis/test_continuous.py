"""Continuous-weight Monte Carlo (enumerate.analysis.continuous): on QUANTIZED priors the same
sampler must agree with the exact rho~ of the enumerator, within its intervals."""

import math
from fractions import Fraction as F

import pytest

from enumerate import NetworkSpec, SpecError, count_prior
from enumerate.analysis.continuous import (
    WeightPrior,
    angular_margin,
    clopper_pearson,
    cube,
    equivalence_probability,
    gaussian_data,
    importance_equivalence,
    teacher_labels,
)
from enumerate.core.reference import truth_table

TEACHER = [1, 1, -1, 1, 1]  # sign(x1 + x2 - 1) + 1 on pm1: AND; every parameter is +-1 (in every grid)
CASES = [("sign", "-1,0,1", 2), ("leaky:1/2", "-1,0,1", 2), ("sign", "grid:2", 2), ("leaky:1/2", "grid:2", 1),
         ("sign", "-1,0,1", 3)]


def _exact(act, q, width, table):
    prior = count_prior(NetworkSpec.parse(f"fc:2,{width},1", q, act, "pm1"), "auto", progress=False)
    return F(prior.count(table), prior.total)


@pytest.mark.parametrize("act, q, width", CASES)
def test_plain_sampler_on_quantized_prior_matches_exact_rho(act, q, width):
    X = cube(2)
    t = teacher_labels(TEACHER, X, 1, act)
    table = "".join("+" if v > 0 else "-" for v in t)
    # the float teacher evaluation agrees with the exact reference evaluator
    assert table == truth_table(NetworkSpec.parse("fc:2,1,1", "-1,0,1", act, "pm1"), TEACHER)
    rho = _exact(act, q, width, table)
    r = equivalence_probability(X, t, width, act, f"q:{q}", samples=60_000, seed=3, alpha=1e-4)
    assert r.contains(rho), (r, float(rho))
    # ... and a wrong value is outside the interval (the check can fail)
    assert not r.contains(rho * F(5, 4))


@pytest.mark.parametrize("act, q, width", CASES[:4])
def test_importance_sampler_weights_on_quantized_prior(act, q, width):
    X = cube(2)
    t = teacher_labels(TEACHER, X, 1, act)
    rho = _exact(act, q, width, "".join("+" if v > 0 else "-" for v in t))
    r = importance_equivalence(X, t, width, TEACHER, 1, act, f"q:{q}", samples=60_000, seed=4)
    assert r.contains(rho), (r, float(rho))
    assert abs(r.weight_mean - 1) < 0.03  # E_q[p/q] = 1
    assert r.hits > F(3, 2) * rho * r.samples  # the proposal concentrates on the teacher


def test_importance_and_plain_sampling_agree_on_gaussian_data():
    X = gaussian_data(16, 3, seed=0)
    teacher = [0.9, -0.4, 0.3, -0.2, 0.8, 0.5, 0.1, -0.3, 0.7, -0.6, 0.1]  # width 2, d = 3
    t = teacher_labels(teacher, X, 2, "leaky:1/10")
    plain = equivalence_probability(X, t, 2, "leaky:1/10", "box:1", samples=100_000, seed=0)
    imp = importance_equivalence(X, t, 2, teacher, 2, "leaky:1/10", "box:1", samples=40_000, seed=0, spread=0.3)
    assert imp.hits > plain.hits * 40_000 / 100_000  # more hits per draw near the teacher
    assert imp.low <= plain.high and plain.low <= imp.high  # the two intervals overlap
    assert abs(imp.weight_mean - 1) < 0.05


def test_seeded_and_chunked():
    X = cube(2)
    t = teacher_labels(TEACHER, X, 1)
    a = equivalence_probability(X, t, 2, samples=40_000, seed=7)
    assert a == equivalence_probability(X, t, 2, samples=40_000, seed=7)
    assert a != equivalence_probability(X, t, 2, samples=40_000, seed=8)


def test_clopper_pearson_against_the_binomial_tail():
    for k, n in [(0, 50), (3, 50), (25, 50), (50, 50), (7, 2000)]:
        lo, hi = clopper_pearson(k, n, 0.05)
        def cdf(m, p):  # exact P(Bin(n, p) <= m) at the float p
            p = F(p)
            return float(sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(m + 1)))

        if k:
            assert 1 - cdf(k - 1, lo) == pytest.approx(0.025, rel=1e-6)
        if k < n:
            assert cdf(k, hi) == pytest.approx(0.025, rel=1e-6)


def test_margin():
    assert angular_margin(TEACHER, cube(2), 1) == pytest.approx(math.asin(1 / 3))
    assert angular_margin([1, 1, 0, 1, 0], cube(2), 1) == 0.0  # (1, -1) lies on the hyperplane


@pytest.mark.parametrize("call, arg", [
    (lambda: WeightPrior.parse("box:-1"), "^prior:"),
    (lambda: WeightPrior.parse("cauchy:1"), "^prior:"),
    (lambda: equivalence_probability(cube(2), [1, 1, 1, 1], 1, act="relu"), "^act:"),
    (lambda: equivalence_probability(gaussian_data(4, 2), [1, 1, 1, 1], 1, prior="q:-1,0,1"), "^domain:"),
    (lambda: equivalence_probability(cube(2), [1, 1, 1], 1), "target"),
    (lambda: importance_equivalence(cube(2), [1, 1, 1, 1], 1, [1, 1, 0, 1, 0], 1, prior="q:grid:1"),
     "^teacher_params:"),
])
def test_bad_inputs(call, arg):
    with pytest.raises(SpecError, match=arg):
        call()

"""Exact posteriors and learning curves (enumerate.analysis.posterior) and the ``curve`` command.

Second methods: brute-force enumeration of every N-tuple of training points (with the
posterior computed straight from the prior's table counts), sympy's Stirling numbers,
the closed form of the uniform-function baseline, and Monte Carlo over S.
"""

import itertools
import json
import math
from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enumerate import NetworkSpec, SpecError, count_prior
from enumerate.cli import main
from enumerate.analysis.posterior import (
    PosteriorFamily,
    distinct_set_probability,
    lemma_sample_size,
    posterior,
    surjections,
)
from enumerate.core.teacher import make_teacher

W4 = (F(1, 2), F(1, 4), F(1, 8), F(1, 8))


def _prior(arch, q="-1,0,1", act="sign", domain="01", zl="-1"):
    return count_prior(NetworkSpec.parse(arch, q, act, domain, zl), "brute", progress=False)


def brute_curve(counts, target, N, weights, eps=None):
    """E_S E_(h~P_S) L, E_S P(fits S) and E_S P_S(L >= eps) by enumerating every N-tuple."""
    n = len(target)
    total = sum(counts.values())
    loss = {h: sum((w for w, a, b in zip(weights, h, target) if a != b), F(0)) for h in counts}
    err = fit = tail = F(0)
    for tup in itertools.product(range(n), repeat=N):
        p = math.prod((weights[i] for i in tup), start=F(1))
        if p == 0:
            continue
        fits = {h: c for h, c in counts.items() if all(h[i] == target[i] for i in tup)}
        Z = sum(fits.values())
        fit += p * F(Z, total)
        err += p * sum(F(c, Z) * loss[h] for h, c in fits.items())
        if eps is not None:
            tail += p * sum(F(c, Z) for h, c in fits.items() if loss[h] >= eps)
    return err, fit, tail


# --------------------------------------------------------------------------- combinatorics


@settings(deadline=None)
@given(st.integers(0, 12), st.integers(0, 8))
def test_surjections_match_sympy_stirling(n, k):
    from sympy.functions.combinatorial.numbers import stirling

    assert surjections(n, k) == math.factorial(k) * int(stirling(n, k, kind=2))


@pytest.mark.parametrize("weights", [W4, (F(1, 3), F(2, 3), F(0)), (F(1, 3),) * 3])
@pytest.mark.parametrize("N", [0, 1, 2, 3, 4])
def test_distinct_set_probability_by_enumerating_tuples(weights, N):
    n = len(weights)
    brute = {}
    for tup in itertools.product(range(n), repeat=N):
        U = frozenset(tup)
        brute[U] = brute.get(U, F(0)) + math.prod((weights[i] for i in tup), start=F(1))
    total = F(0)
    for k in range(n + 1):
        for U in itertools.combinations(range(n), k):
            p = distinct_set_probability(U, N, weights)
            assert p == brute.get(frozenset(U), 0)
            total += p
    assert total == 1


def test_set_distribution_uniform_is_stirling_and_matches_weighted_path():
    prior = _prior("fc:2,1")
    fam = PosteriorFamily.of(prior, "---+")
    for N in range(5):
        per = fam.set_distribution(N)
        for U, p in enumerate(per):
            assert p == distinct_set_probability([i for i in range(4) if U >> i & 1], N, (F(1, 4),) * 4)


# --------------------------------------------------------------------------- exact curves


@pytest.mark.parametrize("arch,act,zl,target,weights", [
    ("fc:2,1", "sign", "-1", "---+", None),
    ("fc:2,1", "sign", "-1", "-+++", W4),
    ("fc:2,2,1", "sign", "-1", "-+++", None),       # OR
    ("fc:2,2,1", "relu", "0", "000+", None),        # a target with 0 labels
    ("fc:2,2,1", "relu", "0", "0-0-", (F(1, 4), F(0), F(1, 2), F(1, 4))),
])
def test_curve_matches_brute_force_over_tuples(arch, act, zl, target, weights):
    prior = _prior(arch, act=act, zl=zl)
    fam = PosteriorFamily.of(prior, target, weights)
    w = weights or (F(1, 4),) * 4
    eps = F(1, 4)
    curve = fam.curve(3, eps=[eps])
    for pt in curve:
        err, fit, tail = brute_curve(prior.counts, target, pt.n, w, eps)
        assert (pt.expected_error, pt.fit_probability, pt.tail[eps]) == (err, fit, tail)
        assert fam.tail_probability(pt.n, eps) == tail
        assert fam.tail_probability(pt.n, eps, strict=True) == brute_curve(prior.counts, target, pt.n, w, eps + F(1, 10**6))[2]


masks4 = st.dictionaries(st.integers(0, 15), st.integers(1, 50), min_size=1, max_size=16)


@settings(max_examples=40, deadline=None)
@given(masks4, st.integers(1, 30), st.integers(0, 3), st.sampled_from([None, W4, (F(1, 8), F(3, 8), F(1, 4), F(1, 4))]))
def test_any_mask_histogram_matches_brute_force(masks, target_count, N, weights):
    """The family only sees disagreement masks: random histograms, all four points."""
    masks = dict(masks)
    masks[0] = target_count
    target = "++++"
    counts = {"".join("-" if m >> i & 1 else "+" for i in range(4)): c for m, c in masks.items()}
    fam = PosteriorFamily(4, masks, sum(masks.values()), target, weights)
    err, fit, tail = brute_curve(counts, target, N, weights or (F(1, 4),) * 4, F(1, 2))
    assert fam.expected_error(N) == err
    assert fam.fit_probability(N) == fit
    assert fam.tail_probability(N, F(1, 2)) == tail


@pytest.mark.parametrize("weights", [None, W4])
def test_uniform_baseline_closed_forms(weights):
    fam = PosteriorFamily.uniform_functions("+-+-", weights)
    w = weights or (F(1, 4),) * 4
    for N in range(8):
        # an unseen point is a coin flip: E[error] = (1/2) sum_x w_x (1 - w_x)^N
        assert fam.expected_error(N) == sum(x * (1 - x) ** N for x in w) / 2
        # P(fits S) = 2^-|U|
        assert fam.fit_probability(N) == sum(
            distinct_set_probability(U, N, w) * F(1, 2 ** len(U))
            for k in range(5) for U in itertools.combinations(range(4), k))


def test_network_beats_uniform_baseline_for_a_narrow_teacher():
    spec = NetworkSpec.parse("fc:3,2,1", "-1,0,1", "sign", "01")
    prior = count_prior(spec, progress=False)
    teacher = make_teacher(spec, "fc:3,1,1", "1,1,1,-1,1,0")
    fam = PosteriorFamily.of(prior, teacher)
    base = PosteriorFamily.uniform_functions(teacher.table)
    for N in (4, 8, 12):
        assert fam.expected_error(N) < base.expected_error(N)
        assert fam.expected_error(N) <= (fam.complexity + 1) / N


def test_given_training_set():
    prior = _prior("fc:2,2,1")
    target = "-+++"
    post = posterior(prior, target, [1, 2, 2])
    fits = {t: c for t, c in prior.counts.items() if t[1] == "+" and t[2] == "+"}
    Z = sum(fits.values())
    assert post.fit_count == Z and post.training == (1, 2)
    assert post.probabilities == {t: F(c, Z) for t, c in fits.items()}
    assert sum(post.probabilities.values()) == 1
    assert post.expected_error == sum(F(c, Z) * F(sum(a != b for a, b in zip(t, target)), 4) for t, c in fits.items())
    assert post.kl == pytest.approx(math.log(prior.total / Z))
    # points instead of indices
    same = posterior(prior, target, [(0, 1), (1, 0)])
    assert same.fit_count == Z
    fam = PosteriorFamily.of(prior, target)
    assert fam.min_fit_probability() == fam.rho == prior.probability(target)


def test_expected_kl_is_average_of_log_volumes():
    prior = _prior("fc:2,1")
    fam = PosteriorFamily.of(prior, "---+")
    N = 3
    want = 0.0
    for tup in itertools.product(range(4), repeat=N):
        Z = sum(c for h, c in prior.counts.items() if all(h[i] == "---+"[i] for i in tup))
        want += math.log(prior.total / Z) / 4**N
    assert fam.expected_kl(N) == pytest.approx(want, rel=1e-12)
    assert fam.expected_kl(N) <= fam.complexity


# --------------------------------------------------------------------------- estimates


def test_monte_carlo_estimate_contains_exact_values():
    spec = NetworkSpec.parse("fc:3,2,1", "-1,0,1", "sign", "01")
    prior = count_prior(spec, progress=False)
    fam = PosteriorFamily.of(prior, "---+-+++")
    est = fam.estimate(4, samples=3000, seed=7, z=5.0, eps=[F(1, 4)])
    assert est["expected_error"].kind == "monte-carlo estimate"
    assert est["expected_error"].contains(fam.expected_error(4))
    assert est["fit_probability"].contains(fam.fit_probability(4))
    assert est["tail"][F(1, 4)].contains(fam.tail_probability(4, F(1, 4)))


def test_large_domain_refuses_exact_sums_but_estimates():
    pts = json.dumps([[i] for i in range(21)])
    prior = count_prior(NetworkSpec.parse("fc:1,1", "-1,0,1", "sign", pts), progress=False)
    target = "-" + "+" * 20  # x > 0
    fam = PosteriorFamily.of(prior, target)
    with pytest.raises(SpecError, match="domain"):
        fam.expected_error(2)
    est = fam.estimate(5, samples=200, seed=1)
    assert 0 <= est["expected_error"].low <= est["expected_error"].mean <= est["expected_error"].high <= 1
    assert fam.given([0, 20]).fit_count == prior.count(target) + sum(
        c for t, c in prior.counts.items() if t != target and t[0] == "-" and t[20] == "+")


def test_bad_inputs():
    prior = _prior("fc:2,1")
    with pytest.raises(SpecError, match="target"):
        PosteriorFamily.of(prior, "++")
    with pytest.raises(SpecError, match="target"):
        PosteriorFamily.of(prior, "-++-").expected_error(1)  # XOR: not a perceptron function
    assert PosteriorFamily.of(prior, "-++-").fit_probability(1) == F(sum(c for t, c in prior.counts.items() if t[0] == "-") + sum(
        c for t, c in prior.counts.items() if t[1] == "+") + sum(c for t, c in prior.counts.items() if t[2] == "+") + sum(
        c for t, c in prior.counts.items() if t[3] == "-"), 4 * 27)
    with pytest.raises(SpecError, match="training"):
        posterior(prior, "---+", [4])
    with pytest.raises(SpecError, match="N"):
        PosteriorFamily.of(prior, "---+").expected_error(-1)
    with pytest.raises(SpecError, match="weights"):
        PosteriorFamily.of(prior, "---+", (F(1, 2),) * 4)


def test_lemma_sample_size_against_floats():
    for rho, eps, delta in [(F(1, 27), F(1, 4), F(1, 10)), (F(1, 3), F(1, 2), F(1, 4)), (F(7, 10**6), F(1, 8), F(1, 100))]:
        x = (-math.log(rho) + 3 * math.log(2 / delta)) / eps
        assert lemma_sample_size(rho, eps, delta) == math.ceil(x)
    # near-ties: (C~ + 3 ln(2/delta))/eps = ln r with r within 1e-25 of e^10, above or below
    from mpmath import mp, exp

    mp.dps = 50
    e10 = F(str(exp(10)))
    for r, want in [(e10 + F(1, 10**25), 11), (e10 - F(1, 10**25), 10)]:
        rho = F(64) / r  # delta = 1/2: 3 ln 4 = ln 64
        assert lemma_sample_size(rho, F(1), F(1, 2)) == want
        assert math.ceil(-math.log(float(rho)) + 3 * math.log(4)) in (10, 11)  # floats cannot tell


# --------------------------------------------------------------------------- CLI


BASE = ["curve", "--arch", "fc:3,2,1", "--q=-1,0,1", "--quiet"]


def test_cli_curve_teacher(tmp_path):
    out = tmp_path / "c.json"
    code = main(BASE + ["--teacher", "fc:3,1,1", "--teacher-params", "1,1,1,-1,1,0", "--n-max", "6", "--out", str(out)])
    assert code == 0
    data = json.loads(out.read_text())
    spec = NetworkSpec.parse("fc:3,2,1", "-1,0,1", "sign", "01")
    prior = count_prior(spec, progress=False)
    fam = PosteriorFamily.of(prior, "---+-+++")
    base = PosteriorFamily.uniform_functions("---+-+++")
    assert data["target"]["table"] == "---+-+++" and data["rho"] == f"{fam.rho.numerator}/{fam.rho.denominator}"
    assert [p["n"] for p in data["curve"]] == list(range(7))
    for p in data["curve"]:
        assert F(p["expected_error"]) == fam.expected_error(p["n"])
        assert F(p["fit_probability"]) == fam.fit_probability(p["n"])
        assert F(p["uniform_expected_error"]) == base.expected_error(p["n"]) == F(1, 2) * F(7, 8) ** p["n"]
        if p["n"]:
            assert p["bound_expected_error"] == pytest.approx((fam.complexity + 1) / p["n"])
    assert data["lemma"][0]["N0"] == lemma_sample_size(fam.rho, F(1, 4), F(1, 10))


def test_cli_curve_table_matches_teacher(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert main(BASE + ["--teacher-table=---+-+++", "--n-max", "3", "--out", str(a), "--no-kl"]) == 0
    assert main(BASE + ["--teacher", "fc:3,1,1", "--teacher-params", "1,1,1,-1,1,0", "--n-max", "3", "--out", str(b),
                        "--no-kl"]) == 0
    assert json.loads(a.read_text())["curve"] == json.loads(b.read_text())["curve"]


@pytest.mark.parametrize("args,arg", [
    (["--teacher-table", "++", "--n-max", "3"], "--teacher-table"),
    (["--teacher-table=--------", "--teacher", "fc:3,1,1", "--teacher-params", "1,1,1,-1,1,0", "--n-max", "3"],
     "--teacher-table"),
    (["--n-max", "3"], "--teacher-table"),
    (["--teacher-table=--------", "--n-max", "-1"], "--n-max"),
    (["--teacher-table=--------", "--n-max", "3", "--lemma", "2:1/10"], "--lemma"),
    (["--teacher-table=-++--++-", "--n-max", "3"], "--teacher-table"),  # parity: not realized
    (["--teacher", "fc:3,1,1", "--n-max", "3"], "--teacher"),
])
def test_cli_curve_bad_input(tmp_path, capsys, args, arg):
    out = tmp_path / "bad.json"
    assert main(BASE + args + ["--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and arg in err
    assert not out.exists()

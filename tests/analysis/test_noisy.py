"""Exact noisy learning curves (enumerate.analysis.noisy) and ``curve --label-noise``.

Second method: enumerate every sequence of N (point, clean-or-flipped) draws, with the
posterior computed straight from the prior's table counts.
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
from enumerate.analysis.noisy import NoisyFamily, noisy_curve, parse_noise
from enumerate.analysis.posterior import PosteriorFamily

W4 = (F(1, 2), F(1, 4), F(1, 8), F(1, 8))
FLIP = {"+": "-", "-": "+"}


def _prior(arch, q="-1,0,1", act="sign", domain="01", zl="-1"):
    return count_prior(NetworkSpec.parse(arch, q, act, domain, zl), "brute", progress=False)


def brute_noisy(counts, target, N, weights, eps):
    """(fit, interpolable, clean error | interp, noisy error | interp) over every draw sequence."""
    n = len(target)
    total = sum(counts.values())
    clean = {h: sum((w for w, a, b in zip(weights, h, target) if a != b), F(0)) for h in counts}
    noisy = {h: sum((w * ((1 - eps) * (a != b) + eps * (a != FLIP[b])) for w, a, b in zip(weights, h, target)), F(0))
             for h in counts}
    fit = interp = ec = en = F(0)
    for seq in itertools.product(range(n), (False, True), repeat=N) if N else [()]:
        draws = list(zip(seq[::2], seq[1::2]))
        p = math.prod((weights[x] * (eps if f else 1 - eps) for x, f in draws), start=F(1))
        if p == 0:
            continue
        fits = {h: c for h, c in counts.items()
                if all(h[x] == (FLIP[target[x]] if f else target[x]) for x, f in draws)}
        Z = sum(fits.values())
        fit += p * F(Z, total)
        if Z:
            interp += p
            ec += p * sum(F(c, Z) * clean[h] for h, c in fits.items())
            en += p * sum(F(c, Z) * noisy[h] for h, c in fits.items())
    if interp == 0:
        return fit, interp, None, None
    return fit, interp, ec / interp, en / interp


CASES = [
    ("fc:2,1", "sign", "-1", "---+", None, F(1, 10)),
    ("fc:2,1", "sign", "-1", "-+++", W4, F(1, 3)),
    ("fc:2,2,1", "sign", "-1", "+--+", None, F(1, 4)),
    ("fc:2,1", "relu", "0", "---+", None, F(1, 5)),  # tables with 0 labels: fit neither label
    ("fc:2,1", "relu", "0", "--++", W4, F(2, 5)),
]


@pytest.mark.parametrize("arch, act, zl, target, weights, eps", CASES)
def test_noisy_curve_matches_enumeration_over_draw_sequences(arch, act, zl, target, weights, eps):
    prior = _prior(arch, act=act, zl=zl)
    w = weights or (F(1, 4),) * 4
    fam = NoisyFamily(PosteriorFamily.of(prior, target, weights), eps)
    for pt in fam.curve(3):
        assert (pt.fit_probability, pt.interpolable_probability, pt.expected_error, pt.noisy_error) == \
            brute_noisy(prior.counts, target, pt.n, w, eps)


@settings(deadline=None, max_examples=15)
@given(st.dictionaries(st.integers(0, 7), st.integers(1, 5), min_size=1), st.integers(0, 3),
       st.fractions(0, 1, max_denominator=6), st.booleans())
def test_any_histogram_matches_enumeration(masks, N, eps, weighted):
    target = "+-+"
    counts = {"".join(FLIP[c] if m >> i & 1 else c for i, c in enumerate(target)): k for m, k in masks.items()}
    weights = (F(1, 2), F(1, 3), F(1, 6)) if weighted else None
    fam = NoisyFamily(PosteriorFamily(3, masks, sum(masks.values()), target, weights), eps)
    pt = fam.point(N)
    assert (pt.fit_probability, pt.interpolable_probability, pt.expected_error, pt.noisy_error) == \
        brute_noisy(counts, target, N, weights or (F(1, 3),) * 3, eps)


@pytest.mark.parametrize("weights", [None, W4])
def test_zero_noise_is_the_noise_free_curve(weights):
    prior = _prior("fc:2,2,1")
    for target in ("---+", "+--+", "-+-+"):
        fam = PosteriorFamily.of(prior, target, weights)
        for pt, q in zip(fam.curve(6), NoisyFamily(fam, 0).curve(6)):
            assert (q.fit_probability, q.interpolable_probability, q.expected_error) == (pt.fit_probability, 1,
                                                                                          pt.expected_error)
            assert q.noisy_error == q.expected_error


def test_invariants():
    prior = _prior("fc:3,1,1")
    fam = PosteriorFamily.of(prior, "---+-+++")
    eps = F(1, 10)
    for pt in NoisyFamily(fam, eps).curve(8):
        assert 0 < pt.interpolable_probability <= 1
        assert pt.fit_probability <= pt.interpolable_probability
        # sign tables (no 0 labels): the noisy error is eps + (1 - 2 eps) times the clean error
        assert pt.noisy_error == eps + (1 - 2 * eps) * pt.expected_error
    assert NoisyFamily(fam, F(1, 2)).point(0).expected_error == fam.expected_error(0)  # no data: the prior


def test_uniform_functions_memorize():
    # uniform over all tables: every non-conflicting S interpolates; unseen points are coin flips
    fam = NoisyFamily(PosteriorFamily.uniform_functions("++--"), F(1, 5))
    pt = fam.point(1)
    assert pt.interpolable_probability == 1
    assert pt.expected_error == F(1, 4) * F(1, 5) + F(3, 4) * F(1, 2)


def test_bad_inputs():
    prior = _prior("fc:2,1")
    fam = PosteriorFamily.of(prior, "---+")
    for bad in ("2", "-1/10", "x", None):
        with pytest.raises(SpecError, match="label_noise"):
            parse_noise(bad)
    with pytest.raises(SpecError, match="target"):
        NoisyFamily(PosteriorFamily.of(_prior("fc:2,1", act="relu", zl="0"), "0000"), F(1, 10))
    with pytest.raises(SpecError, match="domain"):
        NoisyFamily(PosteriorFamily(13, {0: 1}, 1, "+" * 13), F(1, 10))
    with pytest.raises(SpecError, match="N"):
        NoisyFamily(fam, F(1, 10)).point(-1)


def test_noisy_curve_function():
    prior = _prior("fc:2,1")
    assert noisy_curve(prior, "---+", 0, 2)[2].expected_error == F(79, 288)


# --------------------------------------------------------------------------- CLI

BASE = ["curve", "--arch", "fc:3,2,1", "--q=-1,0,1", "--quiet", "--teacher-table=---+-+++"]


def test_cli_zero_noise_reproduces_the_curve(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert main(BASE + ["--n-max", "4", "--out", str(a)]) == 0
    assert main(BASE + ["--n-max", "4", "--out", str(b), "--label-noise", "0"]) == 0
    ra, rb = json.loads(a.read_text()), json.loads(b.read_text())
    assert rb["label_noise"] == "0/1"
    for p, q in zip(ra["curve"], rb["curve"]):
        for k in ("n", "expected_error", "fit_probability", "uniform_expected_error", "uniform_fit_probability"):
            assert p[k] == q[k]
        assert q["interpolable_probability"] == "1/1"


def test_cli_label_noise(tmp_path):
    out = tmp_path / "n.json"
    assert main(BASE + ["--n-max", "3", "--out", str(out), "--label-noise", "1/10"]) == 0
    rep = json.loads(out.read_text())
    prior = _prior("fc:3,2,1")
    fam = NoisyFamily(PosteriorFamily.of(prior, "---+-+++"), F(1, 10))
    for row, pt in zip(rep["curve"], fam.curve(3)):
        assert row == {**pt.to_json(), **{k: row[k] for k in row if k.startswith("uniform")}}
        assert F(row["expected_error"]) == pt.expected_error
    assert rep["lemma"] == []


@pytest.mark.parametrize("value", ["3/2", "abc", "-1"])
def test_cli_bad_label_noise(tmp_path, capsys, value):
    out = tmp_path / "x.json"
    assert main(BASE + ["--n-max", "3", "--out", str(out), f"--label-noise={value}"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--label-noise" in err
    assert not out.exists()


def test_cli_nothing_interpolable(tmp_path, capsys):
    # every label flipped, and the student (Q = {0}) only computes the all-minus table
    out = tmp_path / "c.json"
    assert main(["curve", "--arch", "fc:2,1", "--q", "0", "--domain", "01", "--quiet", "--teacher-table=----",
                 "--n-max", "1", "--label-noise", "1", "--out", str(out)]) == 0
    row = json.loads(out.read_text())["curve"][1]
    assert row["interpolable_probability"] == "0/1" and row["expected_error"] is None
    assert "undefined" in capsys.readouterr().out


def test_one_rule_for_floats_in_noise_rates_and_loss_thresholds():
    # a Python float is refused with the message of parse_rational (the one rule for numbers),
    # whether it is the noise rate or a learning curve's loss threshold; rates outside [0, 1] too
    from enumerate.analysis.posterior import learning_curve
    from enumerate.core.validate import parse_rational

    prior = _prior("fc:2,1")
    with pytest.raises(SpecError) as float_rule:
        parse_rational(0.1, "--label-noise")
    with pytest.raises(SpecError) as noisy:
        noisy_curve(prior, "---+", 0.1, 2)
    assert str(noisy.value) == str(float_rule.value)
    with pytest.raises(SpecError) as tail:
        learning_curve(prior, "---+", 2, eps=(0.1,))
    assert str(tail.value) == str(float_rule.value).replace("label_noise", "eps")
    for bad in (-0.1, 2, "-1/10", "3/2", None, True):
        with pytest.raises(SpecError, match="^eps: "):
            learning_curve(prior, "---+", 2, eps=(bad,))
        with pytest.raises(SpecError, match="^label_noise: "):
            noisy_curve(prior, "---+", bad, 2)
    # exact values still work, as strings, ints and Fractions alike
    assert learning_curve(prior, "---+", 2, eps=("1/4",)) == learning_curve(prior, "---+", 2, eps=(F(1, 4),))
    assert noisy_curve(prior, "---+", "1/10", 2) == noisy_curve(prior, "---+", F(1, 10), 2)

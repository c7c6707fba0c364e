"""The issue-22 claims pass their small sweeps and fail when fed a wrong bound."""

from proofs.claims import sfc_vs_fc_exact, width_slope
from proofs.cli import main
from proofs.claims.registry import all_claims


def test_registered():
    claims = all_claims()
    assert "width-slope" in claims and "sfc-vs-fc-exact" in claims


def test_width_slope_passes_and_reports_slopes():
    r = width_slope.check("small")
    assert r.passed, r.counterexample
    assert r.cases == 7 + 3 + 4
    assert float(r.figures["fc:2,W,1 slope/ln|Q| max"]) < 0 < float(r.figures["fc:3,W,1 slope/ln|Q| max"]) < 1


def test_width_slope_fails_with_a_wrong_bound():
    # "C~ never rises with width" is false: the 3-input majority teacher's C~ rises from W = 2 to 3
    r = width_slope.check("small", factor=lambda kind, q, qs, d: 1)
    assert not r.passed and r.counterexample.startswith("fc:3,W,1") and "rho~(3)" in r.counterexample


def test_sfc_vs_fc_exact_passes_and_fails_with_a_wrong_bound():
    r = sfc_vs_fc_exact.check("small")
    assert r.passed, r.counterexample
    assert r.figures["ratio sfc/fc per width"].startswith("1: 0.496")
    # the exact rho~ of sfc:2,1,2,1 is 4,288 times its multi-embedding bound: a bound 3^8 = 6,561 times too large fails
    bad = sfc_vs_fc_exact.check("small", sfc_scale=3**8)
    assert not bad.passed and bad.counterexample.startswith("sfc:2,1,2,1")


def test_cli_runs_the_claims(capsys):
    assert main(["width-slope", "--sweep", "small"]) == 0
    assert "width-slope" in capsys.readouterr().out


def test_width_slope_reads_q_off_the_spec():
    # |Q| = 5: the claimed factor is 5^-d_(l+1) (the old |Q| = 3 assumption is gone), slopes in units of ln 5
    import math
    from fractions import Fraction

    from proofs.width_sweep import width_sweep

    seen = []

    def factor(kind, q, qs, d):
        seen.append((kind, q, qs, d))
        return width_slope.default_factor(kind, q, qs, d)

    q5 = "-2,-1,0,1,2"
    sweeps = [("fc:2,W,1", ("fc:2,1,1", "1,1,-1,1,0"), range(1, 4), q5),
              ("sfc:2,W,1", ("sfc:2,1,1", "1,1,-1,1,1,0"), range(1, 3), q5)]
    r = width_slope.check(sweeps=sweeps, factor=factor)
    assert r.passed and r.cases == 3
    assert set(seen) == {("fc", 5, 5, 1), ("sfc", 5, 5, 1)}
    rows = width_sweep("fc:2,W,1", q5, teacher=sweeps[0][1], widths=[1, 2, 3], progress=False).rows
    want = max((b.C - a.C) / math.log(5) for a, b in zip(rows, rows[1:]))
    assert r.figures["fc:2,W,1 Q={-2,-1,0,1,2} slope/ln|Q| max"] == f"{want:.3g}"
    # a claimed factor above the true ratio rho~(2)/rho~(1) fails
    bad = width_slope.check(sweeps=sweeps[:1], factor=lambda k, q, qs, d: Fraction(2))
    assert not bad.passed and "rho~(2)" in bad.counterexample
    from enumerate import NetworkSpec

    deep = NetworkSpec.parse("fc:2,3,2,1", q5)  # a layer-1 neuron has d_2 = 2 outgoing weights
    assert width_slope._factor_for("fc:2,W,2,1", deep, 3, width_slope.default_factor) == Fraction(1, 25)

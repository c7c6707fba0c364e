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

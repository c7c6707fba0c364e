"""The SAT commands state the size of their CNF before building it and need ``force`` /
``--force`` above the budget (issue 18): the estimate against the real encoding, the
refusal from Python and from both commands, nothing written."""

import pytest
from hypothesis import HealthCheck, given, settings

from enumerate import BudgetError, NetworkSpec
from enumerate.testing import specs
from proofs.cli import main
from proofs.sat.count import sat_count
from proofs.sat.encode import check_cnf_budget, encode, estimate_clauses
from proofs.sat.sound import check_construction

SAT_ACTS = ("sign", "step", "relu", "identity")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs(activations=SAT_ACTS, max_settings=20_000))
def test_the_estimate_is_within_a_factor_five_of_the_real_cnf_thirty_on_conv(spec):
    real = len(encode(spec).circuit.clauses)
    assert real / 30 <= estimate_clauses(spec) <= 30 * real
    if not spec.arch.is_conv:  # dense layers: within a factor 5
        assert real / 5 <= estimate_clauses(spec) <= 5 * real


@pytest.mark.parametrize("args", [
    ("fc:2,1", "-1,0,1", "sign", "01"),
    ("fc:4,3,1", "int:20", "relu", "01"),
    ("fc:3,2,1", "-1,-1/2,0,1/2,1", "identity", "[[0,'1/2',1],[1,1,1],[2,0,0]]"),
    ("cnn:1x4/2k2s1/flat", "-1,0,1", "sign", "pm1"),
    ("sfc:3,3,1", "-1,0,1", "relu", "01"),
])
def test_the_estimate_on_every_kind_of_domain_and_layer(args):
    spec = NetworkSpec.parse(*args)
    real = len(encode(spec).circuit.clauses)
    assert real / 5 <= estimate_clauses(spec) <= 5 * real
    assert not real / 5 <= 50 * estimate_clauses(spec) <= 5 * real  # the check fails on a wrong estimate


def test_the_budget_refuses_from_python_with_the_parameter_and_force_runs():
    spec = NetworkSpec.parse("fc:2,1", "-1,0,1", "step", "01")
    with pytest.raises(BudgetError) as err:
        check_cnf_budget(spec, "SAT", max_clauses=10)
    line = str(err.value)
    assert line.startswith("force: the SAT counter on fc:2,1 builds a CNF of ~") and "on 4 points" in line
    assert line.endswith("above the size budget of 10 clauses; pass force=True to run it")
    assert check_cnf_budget(spec, "SAT", max_clauses=10, force=True).details["clauses"] == estimate_clauses(spec)
    assert sat_count(spec, "---+").count == 1  # within the default budget: runs


def test_huge_networks_are_refused_before_any_encoding():
    big = NetworkSpec.parse("fc:20,30,1", "int:100", "sign", "01")
    with pytest.raises(BudgetError, match="pass force=True"):
        sat_count(big, "-" * 2**20)
    with pytest.raises(BudgetError, match=r"the SAT counter on fc:20,30,1 builds a CNF of ~[\d,]+ clauses on 1,048,576"):
        check_construction(big, "fc:20,1,1")


@pytest.mark.parametrize("argv", [
    ["sound", "--arch", "fc:20,30,1", "--q", "int:100", "--teacher", "fc:20,1,1"],
    ["sat-count", "--arch", "fc:12,30,1", "--q", "int:100", "--teacher-table", "-" * 2**12],
])
def test_both_commands_state_the_size_and_need_force(argv, tmp_path, capsys):
    out = tmp_path / "r.json"
    assert main([*argv, "--out", str(out)]) == 2
    line = capsys.readouterr().err.strip()
    assert "\n" not in line and line.startswith(f"python -m proofs {argv[0]}: error: --force: "), line
    assert "builds a CNF of ~" in line and "clauses" in line and line.endswith("pass --force to run it")
    assert not out.exists()

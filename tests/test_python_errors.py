"""From Python, errors name the parameter (not a command-line flag), wrong types give a
TypeError that says what to pass, and floats follow one rule (issue 18, part 4)."""

import json
from fractions import Fraction

import pytest

from enumerate import NetworkSpec, SpecError, count_prior, make_teacher
from enumerate.cli import main
from enumerate.core.validate import parse_rational
from proofs import check_bounds

STUDENT = NetworkSpec.parse("fc:2,2,1", "-1,0,1")


@pytest.mark.parametrize("value", [0.5, 0.1, 2.0, 1e300, float("nan")])
def test_every_float_is_refused_with_the_exact_string_to_give(value):
    with pytest.raises(SpecError, match="floats are refused") as err:
        parse_rational(value, "x")
    if value == value and abs(value) < 1e10:  # the hint parses back to the decimal the user meant
        hint = str(err.value).rsplit("give ", 1)[1].strip("'")
        assert Fraction(hint) == Fraction(repr(value))


def test_make_teacher_errors_name_its_parameters():
    with pytest.raises(SpecError) as err:
        make_teacher(STUDENT, "fc:2,1,1", [1, 0.5, 0, 1, 0])
    assert str(err.value) == "params: floats are refused (most decimals have no exact binary value); give '1/2'"
    with pytest.raises(SpecError) as err:
        make_teacher(STUDENT, "fc:2,3,1", "1")
    assert err.value.argument == "arch"
    with pytest.raises(SpecError) as err:
        make_teacher(STUDENT, "fc:2,1,1", "1,1,-1")
    assert err.value.argument == "params"


def test_the_command_line_still_names_its_flags(capsys):
    base = ["teacher", "--arch", "fc:2,2,1", "--q=-1,0,1", "--teacher", "fc:2,1,1"]
    assert main([*base, "--teacher-params=1,0.5,0,1,0"]) == 2
    assert "error: --teacher-params: floats are refused" not in capsys.readouterr().err  # "0.5" is a string: exact
    assert main([*base[:-1], "fc:2,3,1", "--teacher-params=1"]) == 2
    assert "error: --teacher:" in capsys.readouterr().err


@pytest.mark.parametrize("call, says", [
    (lambda: count_prior("fc:3,3,1"), "count_prior: spec must be a NetworkSpec, not str"),
    (lambda: make_teacher("fc:2,2,1", "fc:2,1,1", "1,1,-1,1,0"), "make_teacher: student must be a NetworkSpec"),
    (lambda: make_teacher(STUDENT, "fc:2,1,1", 3), "make_teacher: params must be"),
    (lambda: check_bounds(STUDENT, "---+"), "check_bounds: teacher must be a Teacher"),
    (lambda: check_bounds("fc:2,2,1", "---+"), "check_bounds: student must be a NetworkSpec"),
    (lambda: count_prior(STUDENT, progress=False).rho(None), "rho: teacher must be a truth table"),
    (lambda: NetworkSpec.parse("fc:2,1", 3), "give Q as a string"),
])
def test_wrong_types_say_what_to_pass(call, says):
    with pytest.raises(TypeError) as err:
        call()
    assert says in str(err.value) and "\n" not in str(err.value)


def test_save_names_the_file_asked_for_not_a_temporary_one():
    prior = count_prior(NetworkSpec.parse("fc:1,1", "-1,0,1"), progress=False)
    for name in ("/nonexistent/x.json", "/nonexistent/x.npz"):
        with pytest.raises(FileNotFoundError) as err:
            prior.save(name)
        assert err.value.filename == name and ".tmp-" not in str(err.value)


def test_teacher_command_takes_a_teacher_table(tmp_path, capsys):
    base = ["teacher", "--arch", "fc:2,2,1", "--q=-1,0,1", "--quiet"]
    by_net, by_table = tmp_path / "net.json", tmp_path / "table.json"
    assert main([*base, "--teacher", "fc:2,1,1", "--teacher-params=1,1,-1,1,0", "--out", str(by_net)]) == 0
    table = json.loads(by_net.read_text())["table"]
    assert main([*base, f"--teacher-table={table}", "--out", str(by_table)]) == 0
    a, b = json.loads(by_net.read_text()), json.loads(by_table.read_text())
    assert (a["rho"], a["count"]) == (b["rho"], b["count"]) and b["teacher"] is None
    assert Fraction(b["rho"]) == count_prior(STUDENT, "brute", progress=False).rho(table)
    capsys.readouterr()
    assert main([*base, "--teacher-table=---+", "--teacher", "fc:2,1,1", "--teacher-params=1,1,-1,1,0"]) == 2
    assert "error: --teacher-table: give either" in capsys.readouterr().err
    assert main([*base, "--teacher-table=--+"]) == 2
    assert "error: --teacher-table:" in capsys.readouterr().err


def test_spec_repr_is_one_line():
    spec = NetworkSpec.parse("fc:1,1", "-1,0,1")
    assert repr(spec) == "<NetworkSpec fc:1,1 Q=-1,0,1 sign 01 z-1>"
    big = NetworkSpec.parse("fc:1,1", "int:3", "leaky:1/3", [[i] for i in range(30)], "0")
    assert "\n" not in repr(big) and repr(big).endswith("leaky:1/3 custom(30 points in 1-d) z0>")


@pytest.mark.parametrize("call, line", [
    (lambda: NetworkSpec.parse("fc:2,1", "1,1"), "q: value 1 is listed twice; Q is a set"),
    (lambda: NetworkSpec.parse("fc:2,1", "-1,0,1", scale_q="0"), "scale_q: only scaled architectures"),
    (lambda: NetworkSpec.parse("fc:2,1", "-1,0,1", zero_label="x"), "zero_label: "),
    (lambda: count_prior(STUDENT, method="x"), "method: unknown method 'x'; allowed: auto, brute, fast, classes"),
])
def test_python_errors_name_the_parameter_not_the_flag(call, line):
    with pytest.raises(SpecError) as err:
        call()
    assert str(err.value).startswith(line) and "--" not in str(err.value)


def test_advice_speaks_python_from_python_and_flags_from_the_command_line(capsys):
    big = NetworkSpec.parse("fc:4,6,1", "-1,0,1")
    with pytest.raises(SpecError) as err:
        count_prior(big, method="brute", progress=False)
    assert str(err.value).startswith("force: ") and str(err.value).endswith("pass force=True to run it")
    assert err.value.cli().startswith("--force: ") and err.value.cli().endswith("pass --force to run it")
    assert main(["prior", "--arch", "fc:4,6,1", "--q=-1,0,1", "--method", "brute"]) == 2
    assert capsys.readouterr().err.rstrip().endswith("pass --force to run it")


def test_the_api_page_example_of_the_two_voices_runs():
    import doctest

    from tests.helpers import ROOT

    result = doctest.testfile(str(ROOT / "docs" / "api.md"), module_relative=False, verbose=False)
    assert result.attempted >= 2 and result.failed == 0

"""The command line, tested in-process through main(argv)."""

import math


from enumerate.results.prior import FunctionPrior
import json
from fractions import Fraction
import pytest
from enumerate import NetworkSpec, count_prior
from enumerate.cli import main
from enumerate._support.errors import approx
from tests.helpers import SMALL, one_line_error

STUDENT = ["--arch", "fc:2,2,1", "--q=-1,0,1", "--act", "sign", "--domain", "01"]


def test_prior_json_schema(tmp_path):
    out = tmp_path / "prior.json"
    assert main(["prior", *STUDENT, "--zero-label", "-1", "--method", "brute", "--out", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["total"] == 3**9 and isinstance(data["total"], int)
    assert data["num_functions"] == len(data["functions"])
    counts = [f["count"] for f in data["functions"]]
    assert sum(counts) == data["total"]
    keys = [(-f["count"], f["table"]) for f in data["functions"]]
    assert keys == sorted(keys)
    assert data["spec"]["arch"] == "fc:2,2,1" and data["spec"]["zero_label"] == "-1"
    assert "numpy" in data["versions"]
    # the file loads back losslessly and agrees with the API
    prior = FunctionPrior.load(out)
    direct = count_prior(NetworkSpec.parse("fc:2,2,1", "-1,0,1"), "brute", progress=False)
    assert prior.counts == direct.counts and prior.spec == direct.spec


def test_prior_summary_without_out(capsys):
    assert main(["prior", *STUDENT, "--method", "brute", "--top", "3"]) == 0
    text = capsys.readouterr().out
    assert "19,683 settings" in text and text.count("\n") >= 5


def test_teacher_rho(tmp_path):
    out = tmp_path / "rho.json"
    small = ["teacher", *STUDENT, "--teacher", "fc:2,1,1", "--teacher-params", "1,1,-1,1,0", "--out", str(out)]
    assert main(small + ["--method", "brute"]) == 0
    data = json.loads(out.read_text())
    prior = count_prior(NetworkSpec.parse("fc:2,2,1", "-1,0,1"), "brute", progress=False)
    assert data["table"] == "---+"
    assert data["count"] == prior.counts["---+"]
    assert Fraction(data["rho"]) == Fraction(prior.counts["---+"], 3**9)
    assert data["C"] == pytest.approx(-math.log(Fraction(data["rho"])), rel=1e-12)


def test_demo_runs(capsys):
    assert main(["demo", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "rho~" in out and "249 of the 256" in out


BAD = [
    (["prior", "--arch", "fc:2,2", "--q=-1,0,1"], "--arch"),
    (["prior", "--arch", "fc:2,2,1", "--q=-1,0,1", "--act", "tanh"], "--act"),
    (["prior", "--arch", "fc:2,2,1", "--q=-1,1,1"], "--q"),
    (["prior", "--arch", "fc:2,2,1", "--q=-1,0,1", "--domain", "[]"], "--domain"),
    (["prior", "--arch", "fc:2,2,1", "--q=-1,0,1", "--zero-label", "2"], "--zero-label"),
    (["prior", "--arch", "fc:2,2,1", "--q=-1,0,1", "--method", "magic"], "--method"),
    (["prior", "--arch", "fc:3,5,1", "--q=-1,0,1", "--method", "brute", "--max-settings", "1000"], "--force"),
    (["teacher", *STUDENT, "--teacher", "fc:2,1,1", "--teacher-params", "1,1,-1,2,0"], "--teacher-params"),
    (["teacher", *STUDENT, "--teacher", "fc:2,1,1", "--teacher-params", "1,1,-1"], "--teacher-params"),
    (["teacher", *STUDENT, "--teacher", "fc:2,3,1", "--teacher-params", "1"], "--teacher"),
    (["teacher", *STUDENT, "--teacher", "sfc:2,1,1", "--teacher-params", "1"], "--teacher"),
    (["prior", "--q=-1,0,1"], "--arch: is required"),
    (["nonsense"], "COMMAND: invalid choice"),
]


@pytest.mark.parametrize("argv,arg", BAD, ids=[b[1] + str(i) for i, b in enumerate(BAD)])
def test_errors_are_one_line_exit_2_and_write_nothing(argv, arg, tmp_path, capsys):
    out = tmp_path / "result.json"
    assert main([*argv, "--out", str(out)] if argv[0] != "nonsense" else argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and arg in err and err.startswith("python -m enumerate: error:")
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_missing_output_directory_is_refused_before_work(tmp_path, capsys):
    assert main(["prior", *STUDENT, "--out", str(tmp_path / "nope" / "p.json")]) == 2
    assert "--out" in capsys.readouterr().err


def test_zero_label_1_means_plus_1(tmp_path):
    out = tmp_path / "p.json"
    assert main(["prior", *SMALL, "--zero-label", "1", "--quiet", "--out", str(out)]) == 0
    assert json.loads(out.read_text())["spec"]["zero_label"] == "+1"


def test_huge_values_give_one_line_errors(capsys):
    assert main(["prior", "--arch", "fc:1,1", "--q=1e400,1"]) == 2
    assert "e+400" in one_line_error(capsys, "--q")
    assert main(["prior", "--arch", "fc:1,1", "--q=1e999999999,1"]) == 2  # would take hours to expand
    one_line_error(capsys, "--q")
    assert approx(10**400) == "1.00e+400"
    assert main(["prior", "--arch", "fc:100000,1", "--q=-1,0,1"]) == 2
    one_line_error(capsys, "--arch")


@pytest.mark.parametrize("flag,path", [("--checkpoint", "/nonexistent-dir/ck.json"), ("--out", "/proc/version"),
                                       ("--out", "/nonexistent-dir/p.json"), ("--out", "/")])
def test_unwritable_paths_are_refused_before_the_work(flag, path, capsys, monkeypatch):
    import enumerate.counting.dispatch as dispatch

    monkeypatch.setattr(dispatch, "count_prior", lambda *a, **k: pytest.fail("counted before checking the path"))
    assert main(["prior", *SMALL, "--method", "brute", flag, path]) == 2
    one_line_error(capsys, flag)


def test_late_write_failure_is_one_line(tmp_path, capsys, monkeypatch):
    import enumerate._support.files as files

    def broken(path, suffix, write):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files, "atomic_write", broken)  # under every JSON and npz writer
    assert main(["prior", *SMALL, "--quiet", "--out", str(tmp_path / "p.json")]) == 2
    assert "No space left" in one_line_error(capsys, "--out")


@pytest.mark.parametrize("argv,argument", [
    (["--top", "-5"], "--top"),
    (["--max-settings", "-1"], "--max-settings"),
    (["--threads", "0"], "--threads"),
    (["--top", "x"], "--top"),
    (["--bogus"], "--bogus"),
    (["--method", "fast", "--checkpoint", "ck.json"], "--checkpoint"),
])
def test_argument_errors_name_the_argument(argv, argument, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["prior", *SMALL, "--quiet", *argv]) == 2
    err = one_line_error(capsys, argument)
    assert "usage:" not in err and list(tmp_path.iterdir()) == []


def test_curve_without_out_prints_a_summary_and_json_has_decimals(tmp_path, capsys):
    argv = ["curve", "--arch", "fc:2,1", "--q=-1,0,1", "--teacher-table=---+", "--n-max", "3", "--quiet"]
    assert main(argv) == 0
    text = capsys.readouterr().out
    assert "rho~ = 1/27" in text and "E[error]" in text
    out = tmp_path / "c.json"
    assert main(argv + ["--out", str(out)]) == 0
    row = json.loads(out.read_text())["curve"][2]
    assert row["decimal"]["expected_error"] == pytest.approx(float(Fraction(row["expected_error"])))


def test_prior_takes_the_peer_grid_like_simplicity(tmp_path, capsys):
    # --q peer:B is one rule of the shared parser: prior counts on the same grid simplicity uses
    from enumerate.analysis.simplicity import peer_grid

    out = tmp_path / "prior.json"
    assert main(["prior", "--arch", "fc:3,1", "--q", "peer:3", "--method", "brute", "--out", str(out)]) == 0
    prior = FunctionPrior.load(out)
    assert prior.total == 8**4 and prior.spec.q.values == peer_grid(3).values
    classes = count_prior(NetworkSpec.parse("fc:3,1", peer_grid(3)), "classes", progress=False).expand()
    assert prior.counts == classes.counts  # second method: the class counter on the grid built directly
    assert main(["prior", "--arch", "fc:3,1", "--q", "peer:1"]) == 2
    assert "peer:B with 2 <= B <= 10" in one_line_error(capsys, "--q")

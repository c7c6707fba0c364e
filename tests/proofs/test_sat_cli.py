"""``python -m proofs sat-count | min-teacher | sound`` in-process."""



from enumerate.cli import main as enumerate_main
import json
from fractions import Fraction
import pytest
from proofs.cli import main

NET = ["--arch", "fc:2,2,1", "--q=-1,0,1", "--act", "relu", "--zero-label", "+1"]
TEACHER = ["--teacher", "fc:2,1,1", "--teacher-params", "1,1,-1,-1,1"]


def test_sat_count_equals_enumerate_teacher(tmp_path):
    a, b = tmp_path / "sat.json", tmp_path / "enum.json"
    assert main(["sat-count", *NET, *TEACHER, "--out", str(a)]) == 0
    assert enumerate_main(["teacher", *NET, *TEACHER, "--method", "brute", "--quiet", "--out", str(b)]) == 0
    sat, enum = json.loads(a.read_text()), json.loads(b.read_text())
    assert isinstance(sat["count"], int) and sat["count"] == enum["count"] > 0
    assert sat["rho"] == enum["rho"] and Fraction(sat["rho"]) == Fraction(sat["count"], sat["total"])
    assert sat["table"] == enum["table"] and sat["schema"] == "proofs.sat-count/1"


def test_sat_count_with_a_table(tmp_path, capsys):
    out = tmp_path / "t.json"
    assert main(["sat-count", "--arch", "fc:2,1", "--q", "-1,0,1", "--teacher-table", "-++-", "--out", str(out)]) == 0
    rep = json.loads(out.read_text())
    assert rep["count"] == 0 and rep["rho"] == "0/1" and rep["C"] is None
    assert main(["sat-count", "--arch", "fc:2,1", "--q", "-1,0,1", "--teacher-table", "---+"]) == 0
    assert "rho~ = 1/27" in capsys.readouterr().out


@pytest.mark.parametrize("argv,arg", [
    (["--teacher-table", "-++"], "--teacher-table"),
    (["--teacher-table", "-+x-"], "--teacher-table"),
    (["--act", "hardtanh", "--teacher-table", "-++-"], "--act"),
    ([*TEACHER, "--teacher-table", "-++-"], "--teacher-table"),
    (["--teacher", "fc:2,1,1"], "--teacher-params"),
    ([], "--teacher-table"),
    (["--teacher-table", "-++-", "--out", "/no/such/dir/x.json"], "--out"),
])
def test_sat_count_errors(argv, arg, tmp_path, capsys):
    out = tmp_path / "x.json"
    extra = [] if "--out" in argv else ["--out", str(out)]
    assert main(["sat-count", "--arch", "fc:2,2,1", "--q", "int:1", *argv, *extra]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and arg in err[0]
    assert not out.exists()


def test_min_teacher(tmp_path, capsys):
    out = tmp_path / "m.json"
    assert main(["min-teacher", "--arch", "fc:2,W,1", "--q", "-1,0,1", "--table", "+--+", "--table", "---+",
                 "--out", str(out)]) == 0
    rows = {r["table"]: r for r in json.loads(out.read_text())["rows"]}
    assert rows["+--+"]["min_width"] == 2 and rows["---+"]["min_width"] == 1
    assert main(["min-teacher", "--arch", "fc:2,W,1", "--q", "-1,0,1", "--all", "--max-width", "2"]) == 0
    text = capsys.readouterr().out
    assert "P(h) under fc:2,2,1" in text and "-++-" in text and ">2" in text
    assert main(["min-teacher", "--arch", "fc:2,2,1", "--q", "-1,0,1", "--all"]) == 2
    assert main(["min-teacher", "--arch", "fc:2,W,1", "--q", "-1,0,1"]) == 2


def test_sound_exit_codes(tmp_path, capsys):
    out = tmp_path / "s.json"
    base = ["sound", "--arch", "sfc:2,3,1", "--teacher", "sfc:2,2,1", "--q", "-1,0,1"]
    assert main([*base, "--out", str(out)]) == 0
    assert json.loads(out.read_text())["sound"] is True
    assert main([*base, "--broken", "keep-scale", "--out", str(out)]) == 1
    rep = json.loads(out.read_text())
    assert rep["sound"] is False and rep["counterexample"]["student_table"] != rep["counterexample"]["teacher_table"]
    assert "SAT:" in capsys.readouterr().out
    assert main([*base, "--broken", "keep-outgoing"]) == 2
    assert main([*base, "--maps", "middle"]) == 2
    assert main(["sound", "--arch", "fc:2,2,1", "--teacher", "fc:2,3,1", "--q", "int:1"]) == 2


def test_sat_count_says_probabilistically_exact(tmp_path, capsys):
    from proofs.cli import main as proofs_main

    out = tmp_path / "s.json"
    argv = ["sat-count", "--arch", "fc:2,1", "--q=-1,0,1", "--teacher-table=---+"]
    assert proofs_main(argv) == 0
    assert "probabilistically exact" in capsys.readouterr().out
    assert proofs_main(argv + ["--out", str(out)]) == 0
    assert "probabilistically exact" in json.loads(out.read_text())["exactness"]

"""Messages that name the right thing and never send the user in circles (issue 18, part 4),
and ``simplicity --out-dir`` checked before the work."""

import os

import pytest

import proofs.cli as pcli
from enumerate import NetworkSpec, SpecError
from enumerate.cli import main
from enumerate.core.lattice import IntegerPlan
from tests.helpers import one_line_error

TINY = ["--arch", "fc:2,1", "--q=-1,0,1"]


# --------------------------------------------------------------------------- simplicity --out-dir


def test_simplicity_creates_a_missing_out_dir(tmp_path, capsys):
    out = tmp_path / "figs" / "deeper"
    assert main(["simplicity", *TINY, "--out-dir", str(out)]) == 0
    assert sorted(os.listdir(out)) == ["lz.png", "ones.png", "rank.png", "summary.json"]


@pytest.mark.parametrize("make", ["file", "summary_dir", "dangling_png", "under_a_file", "proc"])
def test_simplicity_refuses_a_bad_out_dir_before_the_work(make, tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    if make == "file":
        out.write_text("x")
    elif make == "summary_dir":
        (out / "summary.json").mkdir(parents=True)
    elif make == "dangling_png":
        out.mkdir()
        (out / "rank.png").symlink_to(tmp_path / "missing" / "x.png")
    elif make == "under_a_file":
        (tmp_path / "f").write_text("x")
        out = tmp_path / "f" / "out"
    else:
        out = "/proc/no-such-folder"
    import enumerate.counting.dispatch as dispatch

    def no_work(*a, **k):
        raise AssertionError("counted before checking --out-dir")

    monkeypatch.setattr(dispatch, "count_prior", no_work)
    before = sorted(p for p in tmp_path.rglob("*"))
    assert main(["simplicity", *TINY, "--out-dir", str(out)]) == 2
    one_line_error(capsys, "--out-dir")
    assert sorted(p for p in tmp_path.rglob("*")) == before  # nothing written, no folder made


def test_simplicity_late_write_failure_is_one_line_and_leaves_no_figure(tmp_path, capsys, monkeypatch):
    import enumerate._support.files as files

    real = files.atomic_write
    calls = []

    def fail_second(path, suffix, write):
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(path, suffix, write)

    monkeypatch.setattr(files, "atomic_write", fail_second)
    assert main(["simplicity", *TINY, "--out-dir", str(tmp_path)]) == 2
    one_line_error(capsys, "--out-dir")
    assert "summary.json" not in os.listdir(tmp_path)  # written last: never beside a partial set


def test_q_help_lists_peer_grids_for_simplicity(capsys):
    assert main(["simplicity", "--help"]) == 0
    assert "peer:B" in capsys.readouterr().out


# --------------------------------------------------------------------------- advice that fits the command


def test_no_method_loop_between_fast_and_brute(capsys):
    for method in ("fast", "brute"):
        assert main(["prior", "--arch", "fc:12,1", "--q", "int:20", "--method", method]) == 2
        err = one_line_error(capsys, "--method")
        assert "use --method" not in err and "no exact counter handles this network" in err


def test_advice_names_a_method_that_can_count(capsys):
    assert main(["prior", "--arch", "fc:7,1", "--q", "int:20", "--method", "fast"]) == 2
    assert one_line_error(capsys, "--method").endswith("use --method classes")


def test_a_command_with_force_is_told_to_pass_it(tmp_path, capsys):
    # simplicity has --force: the budget refusal keeps its advice (fit_advice below rewrites it
    # only for a command without the option)
    assert main(["simplicity", "--arch", "fc:5,5,5,1", "--q", "int:2", "--out-dir", str(tmp_path)]) == 2
    err = one_line_error(capsys, "--force")
    assert "pass --force" in err
    assert os.listdir(tmp_path) == []


def test_commands_without_method_do_not_say_use_method(tmp_path, capsys):
    assert main(["simplicity", "--arch", "fc:12,1", "--q", "int:20", "--out-dir", str(tmp_path)]) == 2
    err = one_line_error(capsys, "--arch")
    assert "--method" not in err and "no exact counter" in err


def test_fit_advice_leaves_commands_with_the_options_alone():
    import argparse

    from enumerate.cli import build_parser
    from enumerate.cli.parser import ArgParser, fit_advice

    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    exc = SpecError("--force", "too big; pass --force to run it")
    assert fit_advice(exc, sub.choices["prior"]) is exc
    bare = ArgParser(prog="demo")  # a command without --force
    bare.add_argument("--arch")
    assert fit_advice(exc, bare).cli() == "--arch: too big; this command has no --force: choose a smaller network"
    exc = SpecError("--method", "out of reach; use --method fast")
    assert fit_advice(exc, sub.choices["prior"]) is exc
    assert fit_advice(exc, sub.choices["simplicity"]).cli() == ("--arch: out of reach; this command has no "
                                                               "--method: choose a smaller network")


# --------------------------------------------------------------------------- naming the right argument


def test_scale_q_errors_name_scale_q(capsys):
    assert main(["prior", "--arch", "sfc:2,1,1", "--q=-1,0,1", "--scale-q=1,1"]) == 2
    one_line_error(capsys, "--scale-q")


def test_a_huge_width_says_the_limit(capsys):
    assert main(["prior", "--arch", "fc:3,1000000,1", "--q=-1,0,1"]) == 2
    assert "limited to" in one_line_error(capsys, "--arch")


def test_long_arguments_are_not_echoed_in_full(capsys):
    assert main(["prior", "--arch", "fc:" + "1" * 100_000 + ",1", "--q=-1,0,1"]) == 2
    err = one_line_error(capsys, "--arch")
    assert len(err) < 400 and "100,00" in err


@pytest.mark.parametrize("kwargs, argument", [
    (dict(q="-1,0,1", domain=[["1/1000000000000000000000", 1], [1, 0]]), "--domain"),
    (dict(q=["1/1000000000000000000000", 1], domain="01"), "--q"),
    (dict(q="-1,0,1", domain="01", act="leaky:1/1000000000000000000000"), "--act"),
])
def test_int64_overflow_blames_its_cause(kwargs, argument):
    spec = NetworkSpec.parse("fc:2,3,3,1", kwargs["q"], kwargs.get("act", "relu"), kwargs["domain"])
    with pytest.raises(SpecError) as err:
        IntegerPlan.of(spec)
    assert err.value.argument == argument and "2^62" in str(err.value)


def test_non_utf8_domain_file_is_one_line(tmp_path, capsys):
    path = tmp_path / "points.json"
    path.write_bytes(b"[[0,\xff]]")
    assert main(["prior", *TINY[:2], "--q=-1,0,1", "--domain", str(path)]) == 2
    one_line_error(capsys, "--domain")


# --------------------------------------------------------------------------- min-teacher --prior-arch


def _proofs_error(capsys, argument):
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and ": error: " + argument in err, err
    return err


def test_min_teacher_prior_arch_errors_name_prior_arch(capsys):
    argv = ["min-teacher", "--arch", "fc:2,W,1", "--q=-1,0,1", "--all", "--max-width", "1"]
    assert pcli.main([*argv, "--prior-arch", "garbage"]) == 2
    _proofs_error(capsys, "--prior-arch")


def test_min_teacher_prior_arch_needs_all(capsys):
    argv = ["min-teacher", "--arch", "fc:2,W,1", "--q=-1,0,1", "--table=---+", "--max-width", "1"]
    assert pcli.main([*argv, "--prior-arch", "fc:2,1,1"]) == 2
    assert "--all" in _proofs_error(capsys, "--prior-arch")

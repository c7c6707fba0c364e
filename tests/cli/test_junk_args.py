"""Junk command lines: every command of ``python -m enumerate`` (``simplicity`` and ``curve
--label-noise`` too) and every subcommand of ``python -m proofs``, fed hypothesis-generated
argument lists and corrupted input files (domain and checkpoint files; prior files through
:func:`enumerate.load_prior`), exits 0 or 2 (never an exception), prints a one-line error
on 2, and leaves no output file behind when it fails.

The options of each command are read from its own parser, so new arguments and new
commands are covered as they are added. Values mix valid ones (tiny networks, so a valid
command line finishes in well under a second) with malformed, empty, out-of-range,
duplicated and oversized ones.
"""

import argparse
import json
import os
import shutil
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import enumerate.cli as ecli
import proofs.cli as pcli
from proofs.claims.registry import Claim, ClaimResult

ARCHS = ["fc:2,1", "fc:1,1,1", "fc:2,2,1", "sfc:1,1,1", "cnn:1x2/1k2s1/flat", "fc:2,W,1", "fc:1,W,1",
         "fc:2,2", "fc:0,1", "fc:2,,1", "cnn:1x4/2k2s0/flat", "cnn:1x2/1k3s1/sum", "scnn:1x2/1k1s1/sum",
         "fc:100000,1", "fc:5,10,10,1", "mlp:2,1", "fc:1.5,1", "fc:-2,1"]
QS = ["-1,0,1", "int:1", "0,1", "-1,1", "1,1", "", "0.1,1", "1e400,1", "1e99999999,1", "int:0", "int:x",
      "minifloat:9,9", "grid:0", "1/0", "nan", "inf,1", "-1,0,1/2", "a,b", "peer:2", "peer:3", "peer:0", "peer:x",
      "peer:99"]
NOISE = ["1/10", "0", "1/2", "1", "-1/10", "0.1", "x", "", "1/10,1/5", "1e400", "1e99999999", "3/2", "1/0", "nan"]
DOMAINS = ["01", "pm1", "[[0],[1]]", "[[0,1],[1,0]]", "[[0],[1,1]]", "[]", "[[0.5]]", "[[1],[1]]", "[[\"x\"]]",
           "/proc/version", "/nonexistent.json", "{", "[1,2]", "0"]
NUMBERS = ["0", "1", "2", "3", "-1", "-5", "x", "", "1e3", "99999999999999999999999", "0.5"]
TABLES = ["+-", "-+", "---+", "+-+-", "++", "+0", "abc", "", "-", "+-+-+-+-+-+-"]
PARAMS = ["1,1,-1", "1,1,1,1", "1", "", "2", "1,0,1,0,1", "0,0,0,0", "x,1", "1/2,1"]
WORDS = ["sign", "relu", "leaky:1/4", "leaky:-1", "tanh", "step", "brute", "fast", "auto", "magic", "-1", "+1",
         "0", "1", "2", "small", "default", "full", "huge", "first", "last", "label", "output", "fc", "sfc",
         "keep-outgoing", "1/4:1/10", "2:1", "1/2", "", "--", "-", "=", "\x00", "é"]
#: values for options whose name says what they take
BY_OPTION = {"--arch": ARCHS, "--teacher": ARCHS, "--prior-arch": ARCHS, "--q": QS, "--scale-q": QS,
             "--domain": DOMAINS, "--teacher-table": TABLES, "--table": TABLES, "--teacher-params": PARAMS,
             "--widths": ["1-2", "1", "2,1", "0", "3-1", "x", "1-", "", "1-1001", "99999999999999999999"],
             "--label-noise": NOISE}

#: corrupted input files, written afresh into the scratch folder before every example
#: (a run may consume a checkpoint): name -> bytes
CORRUPT = {
    "dom-latin1.json": b"[[0,\xff\xfe]]",
    "dom-truncated.json": b"[[0, 1], [1,",
    "dom-empty.json": b"",
    "dom-object.json": b'{"points": [[0, 1]]}',
    "dom-strings.json": b'[["a", "b"], ["c", "d"]]',
    "dom-huge-exponent.json": b'[["1e99999999", 0], [0, 1]]',
    "dom-nul.json": b"\x00" * 64,
    "ck-garbage.json": b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
    "ck-truncated.json": b'{"schema": "enumerate.checkpoint/1", "next_step": 3, "cou',
    "ck-wrong-schema.json": b'{"schema": "nothing/9", "counts": {"zz": 3}}',
    "ck-array.json": b"[1, 2, 3]",
    "ck-latin1.json": b'{"schema": "\xe9"}',
}
MAX_TIME_FORCED = ["fc:2,1", "fc:1,1,1"]  # --force only ever meets a tiny network


#: options left out: ``--dask`` starts a local Dask cluster (tests/counting/test_distributed.py covers it)
NOT_JUNKED = {"--dask"}


def _options(parser):
    """{option string: takes a value} of an argparse parser (and its subparsers by name)."""
    out = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            continue
        for opt in action.option_strings:
            if opt not in NOT_JUNKED:
                out[opt] = action.nargs != 0
    return out


def _value_list(opt, outdir):
    paths = [os.path.join(outdir, "out.json"), os.path.join(outdir, "ck.json"), "/nonexistent-dir/x.json",
             "/proc/version", outdir, ""]
    if opt in ("--out", "--json"):
        return paths
    if opt == "--checkpoint":
        return paths + [os.path.join(outdir, n) for n in CORRUPT if n.startswith("ck-")]
    if opt == "--domain":
        return DOMAINS + [os.path.join(outdir, n) for n in CORRUPT if n.startswith("dom-")]
    if opt == "--out-dir":
        return [os.path.join(outdir, "figs"), os.path.join(outdir, "a", "b"), outdir,
                os.path.join(outdir, "dom-empty.json"), "/proc/no-such-folder", "/proc/version", ""]
    return BY_OPTION.get(opt, NUMBERS + WORDS)


def _values(opt, outdir):
    return st.sampled_from(_value_list(opt, outdir))


def _write_corrupt(outdir):
    for name, data in CORRUPT.items():
        with open(os.path.join(outdir, name), "wb") as fh:
            fh.write(data)


#: a valid command line per command; junk is appended to it half of the time (a later
#: option overrides an earlier one), so the checks after parsing are reached too
VALID = {
    "prior": ["--arch", "fc:2,2,1", "--q=-1,0,1"],
    "teacher": ["--arch", "fc:2,2,1", "--q=-1,0,1", "--teacher", "fc:2,1,1", "--teacher-params=1,1,-1,1,0"],
    "bound": ["--arch", "fc:2,2,1", "--q=-1,0,1", "--teacher", "fc:2,1,1", "--teacher-params=1,1,-1,1,0"],
    "curve": ["--arch", "fc:2,2,1", "--q=-1,0,1", "--teacher-table=---+", "--n-max", "2", "--label-noise", "1/10"],
    "simplicity": ["--arch", "fc:2,1", "--q=-1,0,1", "--out-dir", "OUTDIR/figs"],
    "sat-count": ["--arch", "fc:2,1", "--q=-1,0,1", "--teacher-table=---+"],
    "min-teacher": ["--arch", "fc:2,W,1", "--q=-1,0,1", "--table=---+", "--max-width", "1"],
    "sound": ["--arch", "fc:2,2,1", "--q=-1,0,1", "--teacher", "fc:2,1,1"],
    "width-sweep": ["--arch", "fc:2,W,1", "--q=-1,0,1", "--teacher", "fc:2,1,1", "--teacher-params=1,1,-1,1,0",
                    "--widths", "1-2"],
    "": ["fake"],
}


@st.composite
def argv_for(draw, head, options, outdir):
    argv = list(head)
    if draw(st.booleans()):
        argv += [a.replace("OUTDIR", outdir) for a in VALID.get(head[0] if head else "", [])]
    for _ in range(draw(st.integers(0, 7))):
        kind = draw(st.integers(0, 9))
        if kind == 0:  # a stray token
            argv.append(draw(st.sampled_from(NUMBERS + WORDS + ARCHS)))
            continue
        opt = draw(st.sampled_from(sorted(options)))
        if not options[opt]:
            argv.append(opt)
        elif kind == 1:  # an option missing its value
            argv.append(opt)
        elif kind == 2:
            argv.append(f"{opt}={draw(_values(opt, outdir))}")
        else:
            argv += [opt, draw(_values(opt, outdir))]
    if "--force" in argv:  # never a forced big run: the junk must stay cheap
        argv = [a for a in argv if a != "--force"]
        argv += ["--force", "--arch", draw(st.sampled_from(MAX_TIME_FORCED))]
    return argv


def _check(run, argv, outdir, capsys, results=(0,), seen=None):
    """``results``: the exit codes that report a result (0; ``sound`` also 1 = SAT)."""
    _write_corrupt(outdir)
    before = set(os.listdir(outdir))
    code = run(argv)
    cap = capsys.readouterr()
    if seen is not None:
        seen.add(code)
    assert code in (*results, 2), (argv, code, cap.err[-500:])
    if code == 2:
        assert cap.err.count("\n") == 1 and ": error: " in cap.err, (argv, cap.err)
        assert set(os.listdir(outdir)) == before, (argv, "output written on failure")
    for name in set(os.listdir(outdir)) - before:  # a success may write its --out; start clean
        p = os.path.join(outdir, name)
        if os.path.isdir(p) and not os.path.islink(p):
            shutil.rmtree(p)
        else:
            os.unlink(p)


@pytest.fixture
def cheap(monkeypatch):
    """The demo and the claim runner replaced by instant stand-ins (their arguments are
    what is tested here; their results are tested elsewhere)."""
    import enumerate.cli.demo as demo

    monkeypatch.setattr(demo, "run_demo", lambda progress=None: "demo")
    fake = Claim("fake", "a claim that holds", lambda sweep: ClaimResult("fake", "a claim that holds", 1, True))
    monkeypatch.setattr(pcli, "all_claims", lambda: {"fake": fake})


JUNK = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                         HealthCheck.too_slow])


def _enumerate_commands():
    parser = ecli.build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {name: _options(p) for name, p in sub.choices.items()}


@pytest.mark.parametrize("command", sorted(_enumerate_commands()))
def test_enumerate_commands_survive_junk(command, cheap, capsys, monkeypatch):
    options = _enumerate_commands()[command]
    seen = set()
    with tempfile.TemporaryDirectory() as outdir:
        monkeypatch.chdir(outdir)  # a stray token taken as a relative --out lands here

        @JUNK
        @given(st.data())
        def run(data):
            _check(ecli.main, data.draw(argv_for([command], options, outdir)), outdir, capsys, seen=seen)

        run()
    assert seen == {0, 2}  # both successes and refusals were exercised


def _subcommand_options(name, capsys):
    """Options of a ``python -m proofs`` subcommand, read from its --help."""
    import re

    pcli.main([name, "--help"])
    text = capsys.readouterr().out
    flags = re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*)( [A-Z_]+)?", text)
    return {f: bool(v) for f, v in flags if f != "--help" and f not in NOT_JUNKED}


@pytest.mark.parametrize("command", sorted(pcli.COMMANDS) + [""])
def test_proofs_commands_survive_junk(command, cheap, capsys, monkeypatch):
    if command:
        options = _subcommand_options(command, capsys)
        head = [command]
    else:
        options = {"--sweep": True, "--json": True, "--list": False}
        head = []
    assert options
    seen = set()
    with tempfile.TemporaryDirectory() as outdir:
        monkeypatch.chdir(outdir)  # a stray token taken as a relative --out lands here

        @JUNK
        @given(st.data())
        def run(data):
            _check(pcli.main, data.draw(argv_for(head, options, outdir)), outdir, capsys,
                   (0, 1) if command == "sound" else (0,), seen)

        run()
    assert {0, 2} <= seen  # both successes and refusals were exercised


def test_the_junk_test_can_fail(capsys):
    """A command that raises, or exits 1 on bad input, is caught by :func:`_check`."""

    def raises(argv):
        raise ValueError("boom")

    with tempfile.TemporaryDirectory() as outdir:
        with pytest.raises(ValueError):
            _check(raises, [], outdir, capsys)
        with pytest.raises(AssertionError):
            _check(lambda argv: 1, [], outdir, capsys)

        def writes_then_fails(argv):
            open(os.path.join(outdir, "partial.json"), "w").close()
            print("x: error: y", file=__import__("sys").stderr)
            return 2

        with pytest.raises(AssertionError, match="output written on failure"):
            _check(writes_then_fails, [], outdir, capsys)


def test_the_corrupt_files_and_new_options_are_offered():
    outdir = "/scratch"
    for opt, prefix in (("--domain", "dom-"), ("--checkpoint", "ck-")):
        assert {os.path.join(outdir, n) for n in CORRUPT if n.startswith(prefix)} <= set(_value_list(opt, outdir))
    assert "1e99999999" in _value_list("--label-noise", outdir) and "peer:3" in _value_list("--q", outdir)
    assert "--label-noise" in _enumerate_commands()["curve"] and "simplicity" in _enumerate_commands()


# --------------------------------------------------------------------------- corrupted prior files


def _prior_files(folder):
    """A JSON and an .npz prior of a small network, written into ``folder``."""
    from enumerate import NetworkSpec, count_prior

    prior = count_prior(NetworkSpec.parse("fc:2,1", "-1,0,1"), progress=False)
    paths = [os.path.join(folder, "p.json"), os.path.join(folder, "p.npz")]
    for path in paths:
        prior.save(path)
    return prior, paths


@pytest.mark.parametrize("suffix", [".json", ".npz"])
def test_corrupted_prior_files_load_or_give_one_line(suffix):
    """One byte changed, a slice cut out or bytes added: ``load_prior`` returns a prior or
    raises SpecError (one line), never another exception."""
    from enumerate import SpecError
    from enumerate.results.prior import load_prior

    with tempfile.TemporaryDirectory() as folder:
        _, paths = _prior_files(folder)
        path = next(p for p in paths if p.endswith(suffix))
        with open(path, "rb") as fh:
            good = fh.read()

        @settings(max_examples=60, deadline=None)
        @given(st.integers(0, len(good) - 1), st.integers(0, 255), st.sampled_from(["flip", "cut", "add"]),
               st.integers(1, 40))
        def corrupt(pos, byte, how, n):
            data = {"flip": good[:pos] + bytes([byte]) + good[pos + 1:], "cut": good[:pos] + good[pos + n:],
                    "add": good[:pos] + bytes([byte]) * n + good[pos:]}[how]
            bad = os.path.join(folder, "bad" + suffix)
            with open(bad, "wb") as fh:
                fh.write(data)
            try:
                load_prior(bad)
            except SpecError as exc:
                assert "\n" not in str(exc)

        corrupt()


def test_corrupted_json_prior_edits_load_or_give_one_line():
    """Edits a person might make by hand (a count, a table, the spec) to a JSON prior."""
    from enumerate import SpecError
    from enumerate.results.prior import load_prior

    with tempfile.TemporaryDirectory() as folder:
        _, paths = _prior_files(folder)
        good = json.load(open(paths[0]))
        edits = [("functions", []), ("functions", "x"), ("spec", None), ("spec", {"arch": "fc:9"}), ("total", -1),
                 ("schema", "other/1"), ("functions", [["++", "x"]]), ("functions", [[None, 1]])]
        for key, value in edits:
            data = dict(good, **{key: value})
            bad = os.path.join(folder, "edited.json")
            with open(bad, "w") as fh:
                json.dump(data, fh)
            try:
                load_prior(bad)
            except SpecError as exc:
                assert "\n" not in str(exc), (key, value)

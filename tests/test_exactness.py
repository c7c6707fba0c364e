"""Regression tests of issue 10: each defect found by the review, and the check that would
have caught it (every one of them fails on the code before the fix)."""

import ast
import json
import os
import pathlib
import signal
import subprocess
import sys
from collections import Counter
from fractions import Fraction

import numpy as np
import pytest

import enumerate.counting.kernels.fast as fk
from enumerate import Architecture, Domain, NetworkSpec, QSet, SpecError, count_prior
from enumerate.counting.brute import _cuts, count_brute
from enumerate.counting.budget import BudgetError
from enumerate.cli import main
from enumerate._support.errors import approx
from enumerate.counting.fast import count_fast, estimate_fast
from enumerate.core.spec import ConvLayer
from enumerate.core.validate import check_indices, check_table, check_weights

ROOT = pathlib.Path(__file__).resolve().parents[1]
SMALL = ["--arch", "fc:2,2,1", "--q=-1,0,1"]


def one_line_error(capsys, argument):
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and err.startswith("python -m enumerate: error: " + argument), err
    return err


# ----------------------------------------------------------------------------- 1. stride 0


def test_stride_zero_is_a_one_line_error(tmp_path, capsys):
    out = tmp_path / "p.json"
    assert main(["prior", "--arch", "cnn:1x4/2k2s0/flat", "--q=-1,0,1", "--out", str(out)]) == 2
    assert "stride" in one_line_error(capsys, "--arch")
    assert not out.exists()
    with pytest.raises(SpecError, match="^--arch:.*stride"):  # built directly, too
        Architecture("cnn", in_channels=1, in_length=4, convs=(ConvLayer(2, 2, 0),))


# ----------------------------------------------------------------------------- 2. exact counts past 2^63


def _sum_distribution(values, m):
    """{s: number of ways m i.i.d. values sum to s}, by plain polynomial multiplication."""
    dist = Counter({0: 1})
    for _ in range(m):
        new = Counter()
        for s, c in dist.items():
            for v in values:
                new[s + v] += c
        dist = new
    return dist


def test_depth_one_counts_beyond_2_63_are_exact():
    # f = sum of 45 values of {-1,0,1} on the single point (1,...,1); + iff f > 0
    spec = NetworkSpec.parse("fc:44,1", "-1,0,1", "sign", [[1] * 44])
    assert spec.total > 2**63
    dist = _sum_distribution((-1, 0, 1), 45)
    expected = {"+": sum(c for s, c in dist.items() if s > 0), "-": sum(c for s, c in dist.items() if s <= 0)}
    assert count_fast(spec, progress=False).counts == expected


def test_readout_merge_beyond_2_63_is_exact():
    # h = relu(sum of 22 values of int:3), f = v h + c: the readout contributions pass 2^63
    spec = NetworkSpec.parse("fc:21,1,1", "int:3", "relu", [[1] * 21])
    assert spec.total > 2**63
    q = range(-3, 4)
    plus = sum(cnt * sum(1 for v in q for c in q if v * max(s, 0) + c > 0)
               for s, cnt in _sum_distribution(q, 22).items())
    assert count_fast(spec, progress=False).counts == {"+": plus, "-": spec.total - plus}


# ----------------------------------------------------------------------------- 3. shard cuts


@pytest.mark.parametrize("lo,hi,parts", [(0, 2**60 + 3, 7), (2**61 - 5, 2**62 - 1, 3), (5, 5, 4), (0, 3, 8)])
def test_shard_cuts_are_exact_integers(lo, hi, parts):
    cuts = _cuts(lo, hi, parts)
    assert cuts[0] == lo and cuts[-1] == hi and all(isinstance(c, int) for c in cuts)
    sizes = [b - a for a, b in zip(cuts, cuts[1:])]
    assert min(sizes) >= 0 and max(sizes) - min(sizes) <= 1 and sum(sizes) == hi - lo


def test_float_cuts_would_have_shifted():
    """The check above can fail: the float cuts it replaced lose the last steps above 2^53."""
    lo, hi = 0, 2**60 + 3
    float_cuts = np.linspace(lo, hi, 8).astype(np.int64).tolist()
    assert float_cuts[-1] != hi and _cuts(lo, hi, 7)[-1] == hi


# ----------------------------------------------------------------------------- 4. |Aut| never packed


def test_teacher_groups_keep_large_automorphism_groups():
    from proofs.teachers import teacher_groups

    (group,) = teacher_groups(NetworkSpec.parse("fc:1,7,1", "0"))
    assert (group.table, group.aut, group.teachers) == ("--", 5040, 1)


def test_no_bare_assert_in_package_code():
    """``python -O`` strips assert statements: package code must not rely on them."""
    found = []
    for pkg in ("enumerate", "proofs"):
        for path in (ROOT / pkg).rglob("*.py"):
            tree = ast.parse(path.read_text())
            found += [f"{path.relative_to(ROOT)}:{n.lineno}" for n in ast.walk(tree) if isinstance(n, ast.Assert)]
    assert found == []


# ----------------------------------------------------------------------------- 5. lemma checker


def test_lemma_checker_returns_fail_instead_of_raising():
    from proofs import claim_posterior as cp

    r = cp.check_lemma(cp.CONFIGS["small"][:1], sample_size=lambda rho, eps, delta: 0)
    assert not r.passed and "N0=0" in r.counterexample


# ----------------------------------------------------------------------------- 6, 13. checkpoints


def _checkpoint(path, spec, steps, next_step, counts, elapsed_s=0.0):
    from enumerate.counting.brute import CHECKPOINT_SCHEMA
    from enumerate.counting.checkpoint import save_checkpoint

    save_checkpoint(str(path), CHECKPOINT_SCHEMA, spec,
                    {"steps": list(steps), "next_step": next_step, "elapsed_s": elapsed_s}, counts)


def test_checkpoint_resumes_exactly_and_is_tied_to_its_step_range(tmp_path):
    spec = NetworkSpec.parse("fc:2,2,1", "-1,0,1")
    full = count_brute(spec, progress=False)
    steps = full.meta["steps"]
    k = steps[1] // 3
    done = count_brute(spec, progress=False, steps=(0, k))
    ck = tmp_path / "ck.json"
    _checkpoint(ck, spec, steps, k, done.counts, elapsed_s=1000.0)
    resumed = count_brute(spec, progress=False, checkpoint=str(ck))
    assert resumed.counts == full.counts and not ck.exists()
    assert resumed.meta["elapsed_s"] >= 1000.0  # the time before the interruption counts too
    _checkpoint(ck, spec, (0, k), k, done.counts)  # written for another range
    with pytest.raises(SpecError, match="^--checkpoint:.*steps 0"):
        count_brute(spec, progress=False, checkpoint=str(ck))


@pytest.mark.parametrize("text", ["{\"schema\": \"enumerate.checkpoint/2\", \"spec\"", "", "[1, 2]", "{\"schema\": 3}"])
def test_corrupt_checkpoint_is_one_line_and_says_how_to_start_over(tmp_path, capsys, text):
    ck = tmp_path / "ck.json"
    ck.write_text(text)
    assert main(["prior", *SMALL, "--method", "brute", "--checkpoint", str(ck), "--quiet"]) == 2
    assert "delete" in one_line_error(capsys, "--checkpoint")


# ----------------------------------------------------------------------------- 7, 8, 14. values


def test_zero_label_1_means_plus_1(tmp_path):
    out = tmp_path / "p.json"
    assert main(["prior", *SMALL, "--zero-label", "1", "--quiet", "--out", str(out)]) == 0
    assert json.loads(out.read_text())["spec"]["zero_label"] == "+1"


def test_floats_are_refused_everywhere():
    with pytest.raises(SpecError, match="^--q: float 0.1"):
        QSet((0.1, 1))
    with pytest.raises(SpecError, match="^--domain: float"):
        Domain("custom", ((0.5, 1),))
    with pytest.raises(SpecError, match="^--weights: float"):
        Domain("custom", ((0,), (1,)), (0.5, 0.5))
    with pytest.raises(SpecError, match="^--q: float"):
        NetworkSpec.parse("fc:1,1", [0.1, 1])
    assert QSet(("1/10", 1)).values[0] == Fraction(1, 10)  # strings are exact


def test_huge_values_give_one_line_errors(capsys):
    assert main(["prior", "--arch", "fc:1,1", "--q=1e400,1"]) == 2
    assert "e+400" in one_line_error(capsys, "--q")
    assert main(["prior", "--arch", "fc:1,1", "--q=1e999999999,1"]) == 2  # would take hours to expand
    one_line_error(capsys, "--q")
    assert approx(10**400) == "1.00e+400"
    assert main(["prior", "--arch", "fc:100000,1", "--q=-1,0,1"]) == 2
    one_line_error(capsys, "--arch")


# ----------------------------------------------------------------------------- 9. SAT counts are labelled


def test_sat_count_says_probabilistically_exact(tmp_path, capsys):
    from proofs.cli import main as proofs_main

    out = tmp_path / "s.json"
    argv = ["sat-count", "--arch", "fc:2,1", "--q=-1,0,1", "--teacher-table=---+"]
    assert proofs_main(argv) == 0
    assert "probabilistically exact" in capsys.readouterr().out
    assert proofs_main(argv + ["--out", str(out)]) == 0
    assert "probabilistically exact" in json.loads(out.read_text())["exactness"]


# ----------------------------------------------------------------------------- 10. Ctrl-C


def test_chunked_kernels_give_the_same_counts(monkeypatch):
    spec = NetworkSpec.parse("fc:3,3,1", "-1,0,1", "sign", "01")
    expected = count_brute(spec, progress=False).counts
    monkeypatch.setattr(fk, "CHUNK_PAIRS", 7)  # many chunks, every one in the worker thread
    monkeypatch.setattr(fk, "INLINE_PAIRS", 0)
    assert count_fast(spec, progress=False).counts == expected


def test_interrupt_inside_numba_is_a_keyboard_interrupt(monkeypatch):
    def kernel(*args):
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as exc:  # what numba's dispatcher reports for a signal mid-call
            raise SystemError("CPUDispatcher(...) returned a result with an exception set") from exc

    with pytest.raises(KeyboardInterrupt):
        fk._interruptible(1, kernel)


def test_ctrl_c_during_a_fast_count_prints_one_line():
    proc = subprocess.Popen([sys.executable, "-c", "import sys; from enumerate.cli import main; "
                             "sys.exit(main(['prior', '--arch', 'fc:3,7,1', '--q=-1,0,1', '--quiet', '--force']))"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        proc.communicate(timeout=8)  # the count takes minutes: still running after 8 s
    except subprocess.TimeoutExpired:
        pass
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)  # a hang guard, not a timing check
    assert proc.returncode == 130, err
    assert err.strip().startswith("python -m enumerate: interrupted after") and err.strip().count("\n") == 0


# ----------------------------------------------------------------------------- 11. fast budget


def test_fast_method_estimates_and_refuses_beyond_its_budget(capsys):
    spec = NetworkSpec.parse("fc:5,10,10,1", "-1,0,1")
    est = estimate_fast(spec)
    assert est["seconds"] > 3600 * 24 * 365 and est["bytes"] > 0
    with pytest.raises(BudgetError, match="^--force: the fast counter .* estimated"):
        count_fast(spec, progress=False)
    assert main(["prior", "--arch", "fc:5,10,10,1", "--q=-1,0,1", "--method", "fast"]) == 2
    one_line_error(capsys, "--force")
    small = NetworkSpec.parse("fc:2,3,1", "-1,0,1")
    with pytest.raises(BudgetError):
        count_fast(small, progress=False, max_seconds=0)
    assert count_fast(small, progress=False, max_seconds=0, force=True).is_complete


# ----------------------------------------------------------------------------- 12. paths checked first


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


# ----------------------------------------------------------------------------- 15. smaller ones


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


def test_progress_units_are_words_and_resume_counts_from_initial(monkeypatch):
    import enumerate.counting.brute as brute
    import enumerate.counting.fast as fast

    seen = []

    def spy(total, desc, enabled=None, unit="it", initial=0):
        seen.append((unit, initial))
        from enumerate._support.progress import _Silent

        return _Silent()

    monkeypatch.setattr(brute, "progress_bar", spy)
    monkeypatch.setattr(fast, "progress_bar", spy)
    count_brute(NetworkSpec.parse("fc:2,1", "-1,0,1"), progress=False)
    count_fast(NetworkSpec.parse("fc:2,2,1", "-1,0,1"), progress=False)
    assert [u for u, _ in seen] == ["setting", "multiset"]


def test_curve_without_out_prints_a_summary_and_json_has_decimals(tmp_path, capsys):
    argv = ["curve", "--arch", "fc:2,1", "--q=-1,0,1", "--teacher-table=---+", "--n-max", "3", "--quiet"]
    assert main(argv) == 0
    text = capsys.readouterr().out
    assert "rho~ = 1/27" in text and "E[error]" in text
    out = tmp_path / "c.json"
    assert main(argv + ["--out", str(out)]) == 0
    row = json.loads(out.read_text())["curve"][2]
    assert row["decimal"]["expected_error"] == pytest.approx(float(Fraction(row["expected_error"])))


# ----------------------------------------------------------------------------- one validation each


def test_one_validation_for_tables_weights_and_training_sets():
    assert check_table("+-0", 3, "0") == "+-0"
    for bad in ("+-", "+-x", 3, "+-0"):
        with pytest.raises(SpecError, match="^table:"):
            check_table(bad, 3, "-1")
    with pytest.raises(SpecError, match="^--weights:"):
        check_weights(["1/2", "1/3"], 2)
    with pytest.raises(SpecError, match="^--weights:"):
        check_weights([Fraction(3, 2), Fraction(-1, 2)], 2)
    assert check_indices([3, (0, 1), 3], 4, ((0, 0), (0, 1), (1, 0), (1, 1))) == [1, 3]
    for bad in ([4], [-1], ["a"], [True], [(2, 2)], 5):
        with pytest.raises(SpecError, match="^training:"):
            check_indices(bad, 4, ((0, 0), (0, 1), (1, 0), (1, 1)))


def test_every_table_check_goes_through_check_table():
    """The posterior, the sampler and the SAT encoder all reject a bad table the same way."""
    from enumerate.analysis.posterior import PosteriorFamily
    from enumerate.analysis.sampler import guess_and_check
    from proofs.sat.encode import encode

    spec = NetworkSpec.parse("fc:2,1", "-1,0,1")
    prior = count_prior(spec, progress=False)
    for call in (lambda: PosteriorFamily.of(prior, "+-+"), lambda: guess_and_check(spec, "+-+", [0], tries=10),
                 lambda: encode(spec).table_lits("+-+"), lambda: prior.count("+-+")):
        with pytest.raises(SpecError, match="'\\+-\\+': need 4 characters from \\+ - \\(domain order\\)"):
            call()


# ----------------------------------------------------------------------------- every claim can fail

#: claim -> the test that injects a wrong bound (or a wrong count / construction) and sees FAIL
INJECTED = {
    "posterior-tail": "tests/test_claim_posterior.py::test_tail_claim_fails_with_a_wrong_bound",
    "posterior-expected-error": "tests/test_claim_posterior.py::test_every_posterior_claim_fails_with_a_wrong_bound",
    "posterior-kl": "tests/test_claim_posterior.py::test_every_posterior_claim_fails_with_a_wrong_bound",
    "posterior-lemma": "tests/test_claim_posterior.py::test_every_posterior_claim_fails_with_a_wrong_bound",
    "headline-forms": "tests/test_claims.py::test_headline_claim_passes_and_can_fail",
    "sfc-vs-fc": "tests/test_claims.py::test_sfc_vs_fc_claim_passes_and_can_fail",
    "embedding-count": "tests/test_claims.py::test_embedding_count_claim_passes_and_can_fail",
    "embedding-union": "tests/test_claims.py::test_union_claim_passes_and_can_fail",
    "fc-embedding": "tests/test_claims.py::test_family_claim_fails_with_a_wrong_multi_bound",
    "sfc-embedding": "tests/test_claims.py::test_family_claim_fails_with_a_wrong_multi_bound",
    "cnn-embedding": "tests/test_claims.py::test_family_claim_fails_with_a_wrong_multi_bound",
    "sat-soundness": "tests/test_exactness.py::test_sat_claims_fail_when_fed_wrong_inputs",
    "sat-model-count": "tests/test_exactness.py::test_sat_claims_fail_when_fed_wrong_inputs",
    "linear-dynamics-solution": "tests/test_linear_dynamics.py::test_solution_claim_passes_and_fails_on_wrong_formulas",
    "linear-dynamics-simulation": "tests/test_linear_dynamics.py::test_simulation_claim_passes_and_fails_on_wrong_formulas",
    "linear-dynamics-spectrum": "tests/test_linear_dynamics.py::test_spectrum_claim_passes_and_fails_on_a_wrong_law",
    "label-noise-zero": "tests/test_claim_label_noise.py::test_zero_claim_fails_with_noise",
    "label-noise-narrowest": "tests/test_claim_label_noise.py::test_narrowest_claim_fails_with_wrong_minimal_widths",
    "linear-dynamics-asymptotics":
        "tests/test_linear_dynamics.py::test_asymptotics_claim_passes_and_fails_on_wrong_formulas",
}


def test_every_claim_has_a_test_that_sees_it_fail():
    from proofs.claims.registry import all_claims

    missing = sorted(set(all_claims()) - set(INJECTED))
    assert missing == [], f"claims without a wrong-bound test: {missing}"
    for target in set(INJECTED.values()):
        path, name = target.split("::")
        assert f"def {name}(" in (ROOT / path).read_text(), target


def test_sat_claims_fail_when_fed_wrong_inputs(monkeypatch):
    import proofs.claims.sat as sc
    from proofs.sat.count import sat_count

    monkeypatch.setitem(sc.COUNT_CASES, "small", sc.COUNT_CASES["small"][:1])
    r = sc.check_count("small", counter=lambda spec, table: sat_count(spec, table).count + 1)
    assert not r.passed and "pyganak" in r.counterexample
    first = list(sc.sound_cases("small"))[:1]
    monkeypatch.setattr(sc, "sound_cases", lambda sweep: first)
    r = sc.check_soundness("small", as_sound="keep-outgoing")
    assert not r.passed and "teacher_params" in r.counterexample

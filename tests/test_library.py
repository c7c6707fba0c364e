"""The public library API: exports, enumerate.testing, proofs.check_bounds and ``proofs bound``."""

import importlib
import inspect
import json
import subprocess
import sys
from fractions import Fraction

import pytest
from hypothesis import given, settings

from enumerate import NetworkSpec, SpecError, count_prior, make_teacher
from enumerate.testing import (assert_bound_holds, assert_priors_equal, reference_prior, specs, tables,
                               teachers)
from proofs import check_bounds
from proofs.cli import main as proofs_main
from proofs.teachers import teacher_groups

#: Q sets with 0 (the bounds need it)
ZERO_Q = ("-1,0,1", "-1,-1/2,0,1/2,1", "0,1,2", "-2,0,1/3")


# --------------------------------------------------------------------------- public names


@pytest.mark.parametrize("package", ["enumerate", "proofs"])
def test_every_public_name_resolves_and_has_a_doctest(package):
    pkg = importlib.import_module(package)
    assert pkg.__all__ and len(set(pkg.__all__)) == len(pkg.__all__)
    for name in pkg.__all__:
        obj = getattr(pkg, name)
        if callable(obj):
            assert ">>>" in (inspect.getdoc(obj) or ""), f"{pkg.__name__}.{name} has no docstring with an example"
    with pytest.raises(AttributeError):
        getattr(pkg, "no_such_name")


def test_importing_the_packages_is_cheap():
    code = ("import sys; from enumerate import NetworkSpec, count_prior, PosteriorFamily; import proofs; "
            "print(sorted(m for m in ('numba', 'sympy', 'networkx', 'pysat') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_count_prior_and_the_cli_share_the_default_method():
    from enumerate.cli import build_parser

    default = inspect.signature(count_prior).parameters["method"].default
    args = build_parser().parse_args(["prior", "--arch", "fc:1,1", "--q=-1,0,1"])
    assert default == args.method == "auto"


# --------------------------------------------------------------------------- enumerate.testing


@settings(max_examples=25, deadline=None)
@given(specs(max_settings=250))
def test_reference_prior_equals_both_counters(spec):
    ref = reference_prior(spec)
    assert ref.covered == spec.total
    assert_priors_equal(count_prior(spec, "brute", progress=False), ref)
    assert_priors_equal(count_prior(spec, progress=False), ref)


def test_reference_prior_refuses_large_specs():
    with pytest.raises(SpecError, match="177,147 parameter settings"):
        reference_prior(NetworkSpec.parse("fc:3,2,1", "-1,0,1"))


def test_assert_priors_equal_names_the_first_differing_table_and_both_counts():
    spec = NetworkSpec.parse("fc:2,1", "-1,0,1")
    a = count_prior(spec, "brute", progress=False)
    assert_priors_equal(a, count_prior(spec, "fast", progress=False))
    b = reference_prior(spec)
    b.counts["+++-"] = b.counts.get("+++-", 0) + 2  # a wrong count: two settings moved
    b.counts["----"] -= 2
    with pytest.raises(AssertionError) as err:
        assert_priors_equal(a, b)
    first = "+++-"  # "+" sorts before "-"
    msg = str(err.value)
    assert f"table {first!r}" in msg and "first of 2 differing tables" in msg
    assert f"count {a.counts.get(first, 0):,} in a (brute prior" in msg and f"count {b.counts[first]:,} in b (reference" in msg
    relu = count_prior(NetworkSpec.parse("fc:2,1", "-1,0,1", "relu"), progress=False)
    with pytest.raises(AssertionError, match="the specs differ in act: sign != relu"):
        assert_priors_equal(a, relu)


def test_assert_bound_holds():
    prior = count_prior(NetworkSpec.parse("fc:1,1", "-1,0,1"), progress=False)
    assert_bound_holds(prior, "-+", Fraction(1, 9))
    with pytest.raises(AssertionError, match=r"exact rho~ = 1/9 .* < bound 1/8"):
        assert_bound_holds(prior, "-+", Fraction(1, 8))


@settings(max_examples=30, deadline=None)
@given(specs(families=["cnn", "scnn"], activations=["relu"], domains=["pm1"], zero_labels=["0"], max_settings=3000))
def test_specs_respects_its_filters(spec):
    assert spec.arch.kind in ("cnn", "scnn") and str(spec.act) == "relu"
    assert spec.domain.kind == "pm1" and spec.zero_label == "0" and spec.total <= 3000


def test_specs_refuses_bad_filters():
    with pytest.raises(SpecError, match="act"):
        specs(activations=["tanh"])
    with pytest.raises(SpecError, match="families"):
        specs(families=["rnn"])
    with pytest.raises(SpecError, match="max_settings"):
        specs(families=["scnn"], max_settings=10)


@settings(max_examples=30, deadline=None)
@given(specs(max_settings=3**9).flatmap(lambda s: teachers(s).map(lambda t: (s, t))))
def test_teachers_fit_their_student(pair):
    student, teacher = pair
    assert teacher.spec == student.with_arch(teacher.spec.arch)
    assert len(teacher.table) == len(student.domain)


@settings(max_examples=20, deadline=None)
@given(specs(max_settings=200).flatmap(lambda s: tables(s).map(lambda t: (s, t))))
def test_tables_are_valid_tables_of_the_spec(pair):
    spec, table = pair
    prior = reference_prior(spec)
    assert prior.probability(table) == Fraction(prior.counts.get(table, 0), spec.total)


# --------------------------------------------------------------------------- check_bounds


@settings(max_examples=25, deadline=None)
@given(specs(q_sets=ZERO_Q, max_settings=3**8).flatmap(lambda s: teachers(s).map(lambda t: (s, t))))
def test_check_bounds_agrees_with_count_prior(pair):
    student, teacher = pair
    r = check_bounds(student, teacher)
    prior = count_prior(student, "brute", progress=False)
    assert r.rho == prior.rho(teacher) and r.table == teacher.table
    assert r.single == Fraction(len(student.q)) ** -r.k_weights * Fraction(len(student.scales)) ** -r.k_scales
    assert r.holds and r.rho >= r.single
    assert (r.multi is None) == (not r.irreducible)
    if r.multi is not None:
        assert r.rho >= r.multi == r.n_emb * r.single / r.aut


@pytest.mark.parametrize("student, tarch", [("fc:1,2,1", "fc:1,1,1"), ("sfc:1,2,1", "sfc:1,2,1"),
                                            ("cnn:1x3/2k2s1/flat", "cnn:1x3/1k2s1/flat")])
def test_claims_and_check_bounds_see_the_same_teacher(student, tarch):
    """The claim checker groups teacher settings (vectorized); check_bounds looks at one."""
    s = NetworkSpec.parse(student, "-1,0,1")
    prior = count_prior(s, progress=False)
    for g in teacher_groups(s.with_arch(tarch)):
        r = check_bounds(s, make_teacher(s, tarch, g.example), prior=prior)
        assert (r.table, r.irreducible, r.aut) == (g.table, g.irreducible, g.aut)


def test_check_bounds_a_wrong_bound_fails():
    from proofs import bound_report

    s = NetworkSpec.parse("fc:1,2,1", "-1,0,1")
    t = make_teacher(s, "fc:1,1,1", "1,0,1,0")
    r = check_bounds(s, t)
    wrong = bound_report(s, t.spec.arch, t.params, t.table, r.count, True, 1,
                         multi=lambda terms, aut: terms.multi_count(aut) * 27)
    assert r.holds and not wrong.holds and "FAIL" in str(wrong)
    with pytest.raises(AssertionError, match="bound fails"):
        assert_bound_holds(wrong)


def test_check_bounds_refuses_a_teacher_that_does_not_fit():
    s = NetworkSpec.parse("fc:2,2,1", "-1,0,1")
    with pytest.raises(SpecError, match="family fc differs from the student's sfc"):
        check_bounds(s.with_arch("sfc:2,2,1"), make_teacher(s, "fc:2,1,1", "1,1,-1,1,0"))
    other_q = NetworkSpec.parse("fc:2,2,1", "-1,0,1,2")
    with pytest.raises(SpecError, match="built for another student"):
        check_bounds(s, make_teacher(other_q, "fc:2,1,1", "1,1,-1,1,0"))
    no_zero = NetworkSpec.parse("fc:2,2,1", "-1,1")
    with pytest.raises(SpecError, match="need 0 in Q"):
        check_bounds(no_zero, make_teacher(no_zero, "fc:2,1,1", "1,1,-1,1,1"))


# --------------------------------------------------------------------------- python -m proofs bound

BOUND = {"--arch": "fc:2,2,1", "--q": "-1,0,1", "--teacher": "fc:2,1,1", "--teacher-params": "1,1,-1,1,0"}


def bound_argv(**changes):
    opts = {**BOUND, **{"--" + k.replace("_", "-"): v for k, v in changes.items()}}
    return ["bound", *(x for kv in opts.items() for x in kv)]


def test_bound_command_prints_and_writes_the_report(tmp_path, capsys):
    out = tmp_path / "report.json"
    assert proofs_main([*bound_argv(out=str(out)), "--quiet"]) == 0
    text = capsys.readouterr().out
    s = NetworkSpec.parse("fc:2,2,1", "-1,0,1")
    r = check_bounds(s, make_teacher(s, "fc:2,1,1", "1,1,-1,1,0"))
    assert str(r) in text and "bounds hold" in text
    data = json.loads(out.read_text())
    assert data["schema"] == "proofs.bound/1" and Fraction(data["rho"]) == r.rho
    assert Fraction(data["single"]) == r.single and Fraction(data["multi"]) == r.multi and data["holds"] is True


@pytest.mark.parametrize("changes, argument", [
    ({"teacher": "sfc:2,1,1"}, "--teacher"),
    ({"teacher_params": "1,1,-1,1"}, "--teacher-params"),
    ({"q": "-1,1", "teacher_params": "1,1,-1,1,1"}, "--q"),
    ({"out": "/no/such/dir/r.json"}, "--out"),
])
def test_bound_command_bad_input_is_one_line_exit_2(changes, argument, capsys):
    assert proofs_main(bound_argv(**changes)) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"python -m proofs bound: error: {argument}") and "\n" not in err


# --------------------------------------------------------------------------- old module paths


@pytest.mark.parametrize("package", ["enumerate", "proofs"])
def test_old_module_paths_are_the_new_modules(package):
    """Every module path of the earlier docs still imports, as the very module object of its
    new path (so a monkeypatch through either name patches both)."""
    import importlib

    moved = importlib.import_module(package).MOVED
    assert moved
    for old, new in moved.items():
        before = importlib.import_module(f"{package}.{old}")
        after = importlib.import_module(f"{package}.{new}")
        assert before is after and after.__name__ == f"{package}.{new}"
        assert after.__spec__.name == f"{package}.{new}"  # the alias did not replace its spec


def test_a_monkeypatch_through_an_old_path_reaches_the_new(monkeypatch):
    import enumerate.analysis.posterior as new
    import enumerate.posterior as old

    monkeypatch.setattr(old, "MAX_EXACT_POINTS", 3)
    assert new.MAX_EXACT_POINTS == 3


def test_an_unknown_old_path_still_fails():
    with pytest.raises(ModuleNotFoundError):
        __import__("enumerate.no_such_module")

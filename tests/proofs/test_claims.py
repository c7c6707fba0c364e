"""Every issue-4 claim passes its small sweep, and fails when fed a wrong bound."""


import sympy as sp

from proofs import bounds
from proofs.claims import cnn_embedding as claim_cnn_embedding
from proofs.claims import embedding_count as claim_embedding_count
from proofs.claims import embedding_union as claim_embedding_union
from proofs.claims import fc_embedding as claim_fc_embedding
from proofs.claims import headline_forms as claim_headline_forms
from proofs.claims import sfc_embedding as claim_sfc_embedding
from proofs.claims import sfc_vs_fc as claim_sfc_vs_fc
from proofs.bound_checks import check_family
from proofs.claims.registry import Claim, _REGISTRY, all_claims
import json
import pytest
from enumerate import NetworkSpec, SpecError
from proofs.cli import main
from tests.helpers import ROOT

FAMILY = [claim_fc_embedding, claim_sfc_embedding, claim_cnn_embedding]
MINE = ["headline-forms", "sfc-vs-fc", "embedding-count", "embedding-union", "fc-embedding", "sfc-embedding", "cnn-embedding"]


def test_registered():
    claims = all_claims()
    for name in MINE:
        assert name in claims


@pytest.mark.parametrize("mod", FAMILY, ids=lambda m: m.NAME)
def test_family_claim_passes_small(mod):
    r = mod.check("small")
    assert r.passed, r.counterexample
    assert r.cases > 1000 and "exact/multi min/med/max" in r.figures


@pytest.mark.parametrize("mod", FAMILY, ids=lambda m: m.NAME)
def test_family_claim_fails_with_a_wrong_multi_bound(mod):
    # the multi-embedding bound claimed Q^3 = 27 times too large must be caught
    r = mod.check("small", multi=lambda t, aut: t.multi_count(aut) * 27)
    assert not r.passed
    assert r.counterexample.startswith("student ") and "multi" in r.counterexample


def test_family_claim_fails_with_a_wrong_single_bound():
    # dropping one pinned parameter from K (one factor Q) breaks the single bound somewhere
    r = claim_fc_embedding.check("small", single=lambda t, aut: t.single_count() * t.q**8)
    assert not r.passed and "single" in r.counterexample


def test_smallest_counterexample_comes_first():
    r = claim_fc_embedding.check("small", multi=lambda t, aut: t.multi_count(aut) * 27)
    assert r.counterexample.startswith("student fc:1,1,1, teacher fc:1,1,1 params [-1, -1, -1, 0]")


def test_union_claim_passes_and_can_fail():
    r = claim_embedding_union.check("small")
    assert r.passed, r.counterexample
    assert r.figures["brute-checked"] > 50
    bad = claim_embedding_union.check("small", formula=lambda t, aut: t.multi_count(aut) + 1)
    assert not bad.passed and "counted union" in bad.counterexample


def test_reducible_table_rows_are_below_the_formula():
    rows = claim_embedding_union.reducible_table("fc:1,3,1", "fc:1,2,1", limit=3)
    assert rows and all(got < want for _, _, want, got in rows)


def test_embedding_count_claim_passes_and_can_fail():
    assert claim_embedding_count.check("small").passed
    wrong = claim_embedding_count.check("small", formula=lambda s, t: claim_embedding_count._formula(s, t) + 1)
    assert not wrong.passed and "monomorphisms" in wrong.counterexample
    wrong = claim_embedding_count.check("small", aut=lambda spec, params: 1)
    assert not wrong.passed and "|Aut|" in wrong.counterexample


def test_headline_claim_passes_and_can_fail():
    assert claim_headline_forms.check("small").passed
    no_bias = lambda d, ds: sp.Add(*(ds[l] * d[l - 1] for l in range(1, len(d))))  # noqa: E731
    r = claim_headline_forms.check("small", hfc=no_bias)
    assert not r.passed and "FC" in r.counterexample
    one_d = lambda d, ds: sp.Add(*(ds[l] * ds[l - 1] + d[l] for l in range(1, len(d))))  # noqa: E731
    r = claim_headline_forms.check("small", hsfc=one_d)
    assert not r.passed and "SFC" in r.counterexample


def test_sfc_vs_fc_claim_passes_and_can_fail():
    assert claim_sfc_vs_fc.check("small").passed
    r = claim_sfc_vs_fc.check("small", difference=lambda L: bounds.fc_minus_sfc(L) + 1)
    assert not r.passed


def test_bound_checks_refuse_q_without_zero():
    s = NetworkSpec.parse("fc:1,2,1", "-1,1")
    with pytest.raises(SpecError, match="0 in Q"):
        check_family("x", "x", [(s, "fc:1,1,1")])


def test_cli_table_json_and_exit_codes(tmp_path, capsys, monkeypatch):
    out = tmp_path / "claims.json"
    assert main(["sfc-embedding", "headline-forms", "--sweep", "small", "--json", str(out)]) == 0
    data = json.loads(out.read_text())
    assert [c["claim"] for c in data["claims"]] == ["sfc-embedding", "headline-forms"]
    assert all(c["result"] == "PASS" for c in data["claims"])
    assert "sfc-embedding" in capsys.readouterr().out
    # a failing claim: exit code 1 and the counterexample printed
    bad = Claim("fc-embedding", "wrong on purpose",
                lambda sweep: claim_fc_embedding.check(sweep, multi=lambda t, aut: t.multi_count(aut) * 27))
    all_claims()
    monkeypatch.setitem(_REGISTRY, "fc-embedding", bad)
    monkeypatch.setattr("proofs.claims.registry.CLAIM_MODULES", [])
    assert main(["fc-embedding", "--sweep", "small"]) == 1
    text = capsys.readouterr().out
    assert "FAIL" in text and "counterexample for fc-embedding: student fc:1,1,1" in text


def test_proofs_cli_bad_input_is_one_line_exit_2(tmp_path, capsys):
    for argv in (["no-such-claim"], ["--sweep", "huge"], ["--json", str(tmp_path / "missing" / "x.json")]):
        assert main(argv) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith("python -m proofs: error:") and "\n" not in err
    assert list(tmp_path.iterdir()) == []


#: claim -> the test that injects a wrong bound (or a wrong count / construction) and sees FAIL
INJECTED = {
    "posterior-tail": "tests/proofs/test_claim_posterior.py::test_tail_claim_fails_with_a_wrong_bound",
    "posterior-expected-error": "tests/proofs/test_claim_posterior.py::test_every_posterior_claim_fails_with_a_wrong_bound",
    "posterior-kl": "tests/proofs/test_claim_posterior.py::test_every_posterior_claim_fails_with_a_wrong_bound",
    "posterior-lemma": "tests/proofs/test_claim_posterior.py::test_every_posterior_claim_fails_with_a_wrong_bound",
    "headline-forms": "tests/proofs/test_claims.py::test_headline_claim_passes_and_can_fail",
    "sfc-vs-fc": "tests/proofs/test_claims.py::test_sfc_vs_fc_claim_passes_and_can_fail",
    "embedding-count": "tests/proofs/test_claims.py::test_embedding_count_claim_passes_and_can_fail",
    "embedding-union": "tests/proofs/test_claims.py::test_union_claim_passes_and_can_fail",
    "fc-embedding": "tests/proofs/test_claims.py::test_family_claim_fails_with_a_wrong_multi_bound",
    "sfc-embedding": "tests/proofs/test_claims.py::test_family_claim_fails_with_a_wrong_multi_bound",
    "cnn-embedding": "tests/proofs/test_claims.py::test_family_claim_fails_with_a_wrong_multi_bound",
    "sat-soundness": "tests/proofs/test_claims.py::test_sat_claims_fail_when_fed_wrong_inputs",
    "sat-model-count": "tests/proofs/test_claims.py::test_sat_claims_fail_when_fed_wrong_inputs",
    "linear-dynamics-solution": "tests/proofs/test_linear_dynamics.py::test_solution_claim_passes_and_fails_on_wrong_formulas",
    "linear-dynamics-simulation": "tests/proofs/test_linear_dynamics.py::test_simulation_claim_passes_and_fails_on_wrong_formulas",
    "linear-dynamics-spectrum": "tests/proofs/test_linear_dynamics.py::test_spectrum_claim_passes_and_fails_on_a_wrong_law",
    "label-noise-zero": "tests/proofs/test_claim_label_noise.py::test_zero_claim_fails_with_noise",
    "label-noise-narrowest": "tests/proofs/test_claim_label_noise.py::test_narrowest_claim_fails_with_wrong_minimal_widths",
    "width-slope": "tests/proofs/test_claims_wide.py::test_width_slope_fails_with_a_wrong_bound",
    "sfc-vs-fc-exact": "tests/proofs/test_claims_wide.py::test_sfc_vs_fc_exact_passes_and_fails_with_a_wrong_bound",
    "linear-dynamics-asymptotics":
        "tests/proofs/test_linear_dynamics.py::test_asymptotics_claim_passes_and_fails_on_wrong_formulas",
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

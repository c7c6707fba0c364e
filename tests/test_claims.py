"""Every issue-4 claim passes its small sweep, and fails when fed a wrong bound."""

import json

import pytest
import sympy as sp

from enumerate import NetworkSpec, SpecError
from proofs import bounds, claim_cnn_embedding, claim_embedding_count, claim_embedding_union
from proofs import claim_fc_embedding, claim_headline_forms, claim_sfc_embedding, claim_sfc_vs_fc
from proofs.bound_checks import check_family
from proofs.cli import main
from proofs.claims.registry import Claim, _REGISTRY, all_claims

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

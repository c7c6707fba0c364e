"""Soundness of the embedding constructions for all teachers at once (SAT)."""

import pytest

from enumerate import NetworkSpec, SpecError
from enumerate.core.reference import forward, truth_table
from enumerate.core.spec import parse_arch
from proofs.sat.sound import BROKEN, SOUND_CASES, check_construction, roles, sound_cases


def k_fc(student, teacher):
    """Theory page (docs/theory.md): K_FC = sum_l d*_l (d_(l-1) + 1)."""
    d, t = student.widths, teacher.widths
    return sum(t[l] * (d[l - 1] + 1) for l in range(1, len(d)))


def k_sfc(student, teacher):
    """Theory page (docs/theory.md): M(d*) + sum_hidden d*_l + sum_hidden (d_l - d*_l)."""
    d, t = student.widths, teacher.widths
    m = sum(t[l] * (t[l - 1] + 1) for l in range(1, len(t)))
    return m + sum(d[l] for l in range(1, len(d) - 1))


@pytest.mark.parametrize("student,teacher", [c for c in SOUND_CASES if not c[0].startswith(("cnn", "scnn"))])
def test_pinned_parameter_count_matches_the_closed_form(student, teacher):
    s, t = parse_arch(student), parse_arch(teacher)
    r = roles(s, t)
    pinned = sum(x[0] != "free" for x in r)
    assert pinned == (k_sfc(s, t) if s.scaled else k_fc(s, t))
    # every teacher parameter is copied exactly once
    assert sorted(x[1] for x in r if x[0] == "copy") == list(range(NetworkSpec.parse(teacher, "-1,0,1").num_params))


@pytest.mark.parametrize("case", sound_cases("small"), ids=lambda c: f"{c[0]}-{c[3]}")
def test_constructions_are_sound_and_broken_ones_are_not(case):
    s, t, q, act, zl, maps = case
    spec = NetworkSpec.parse(s, q, act, "01", zl)
    for compare in ("label", "output"):
        for share in (False, True):
            assert check_construction(spec, t, maps=maps, compare=compare, share=share).sound
    applied = 0
    for b in BROKEN:
        try:
            r = check_construction(spec, t, maps=maps, broken=b)
        except SpecError:
            continue
        applied += 1
        assert not r.sound
        cex = r.counterexample
        tspec = spec.with_arch(t)
        # confirm independently with the reference evaluator
        assert truth_table(spec, cex["student_params"]) != truth_table(tspec, cex["teacher_params"])
        assert cex["student_table"] == truth_table(spec, cex["student_params"])
    assert applied == 2  # fc: keep-outgoing + free-bias; sfc: keep-scale + free-bias


def test_nontrivial_embedding_map_and_zero_label_rules():
    for zl in ("-1", "+1", "0"):
        spec = NetworkSpec.parse("fc:2,3,1", "-1,-1/2,0,1/2,1", "relu", "01", zl)
        assert check_construction(spec, "fc:2,2,1", maps="last").sound
        assert check_construction(spec, "fc:2,2,1", maps=[[2, 0]]).sound
        assert not check_construction(spec, "fc:2,2,1", maps="last", broken="keep-outgoing").sound


def test_fc_construction_in_a_scaled_student_without_zero_scales_is_caught():
    # the SFC construction freed of its zero scale fails; the error names the argument otherwise
    spec = NetworkSpec.parse("sfc:2,2,1", "-1,0,1", "sign", "01")
    with pytest.raises(SpecError, match="construction"):
        check_construction(spec, "sfc:2,1,1", construction="fc")
    nozero = NetworkSpec.parse("fc:2,2,1", "-1,1", "sign", "01")
    with pytest.raises(SpecError, match="q"):
        check_construction(nozero, "fc:2,1,1")


def test_real_output_counterexample_is_real():
    spec = NetworkSpec.parse("fc:2,2,2,1", "-1,0,1", "relu", "01")
    r = check_construction(spec, "fc:2,1,1,1", compare="output", broken="keep-outgoing")
    assert not r.sound
    cex = r.counterexample
    assert forward(spec, cex["student_params"]) != forward(spec.with_arch("fc:2,1,1,1"), cex["teacher_params"])

"""Minimal teacher width by SAT == smallest width whose enumerated prior realizes the table."""

import pytest

from enumerate import NetworkSpec, SpecError, count_prior
from enumerate.core.reference import truth_table
from proofs.sat.minteacher import all_tables, min_width, min_width_all, simplicity_table


def smallest_width_by_enumeration(pattern, q, act, dom, table, max_width):
    for w in range(1, max_width + 1):
        prior = count_prior(NetworkSpec.parse(pattern.replace("W", str(w)), q, act, dom), "brute", progress=False)
        if prior.count(table):
            return w
    return None


@pytest.mark.parametrize("pattern,q,act,dom,max_width", [
    ("fc:2,W,1", "-1,0,1", "sign", "01", 3),
    ("fc:2,W,1", "-1,0,1", "step", "pm1", 3),
    ("fc:2,W,1", "-1,0,1", "relu", "01", 2),
    ("sfc:2,W,1", "-1,0,1", "sign", "01", 2),
])
def test_min_width_matches_enumeration_for_every_2_input_function(pattern, q, act, dom, max_width):
    mins = min_width_all(None, pattern, q, act, dom, max_width=max_width)
    assert len(mins) == 16
    for t, m in mins.items():
        assert m.width == smallest_width_by_enumeration(pattern, q, act, dom, t, max_width), t
        if m.width is not None:
            assert truth_table(NetworkSpec.parse(m.arch, q, act, dom), m.params) == t


def test_three_input_domain_against_enumeration():
    mins = min_width_all(None, "fc:3,W,1", "-1,0,1", "sign", "01", max_width=2)
    priors = [count_prior(NetworkSpec.parse(f"fc:3,{w},1", "-1,0,1"), "brute", progress=False) for w in (1, 2)]
    for t, m in mins.items():
        expect = 1 if priors[0].count(t) else 2 if priors[1].count(t) else None
        assert m.width == expect, t


def test_simplicity_table_rows_are_exact_and_sorted():
    student, rows = simplicity_table("fc:2,W,1", "-1,0,1", max_width=2, prior_arch="fc:2,2,1")
    prior = count_prior(student, progress=False)
    assert [r[0] for r in rows] == [t for t in sorted(all_tables(student), key=lambda t: (-prior.count(t), t))]
    assert sum(r[3] for r in rows) == 1
    # realizable by the student iff a teacher of width <= 2 exists
    assert all((r[1] is not None) == (r[2] > 0) for r in rows)


def test_pattern_errors():
    with pytest.raises(SpecError, match="arch"):
        min_width("---+", "fc:2,2,1", "-1,0,1")
    with pytest.raises(SpecError, match="table"):
        min_width("--+", "fc:2,W,1", "-1,0,1")

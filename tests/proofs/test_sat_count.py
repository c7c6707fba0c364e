"""pyganak projected model counts == enumeration counts (the second method)."""

import pytest

from enumerate import NetworkSpec, count_prior
from proofs.sat.count import projected_count, sat_count


def test_projection_set_is_what_is_counted():
    # x1 or x2 over the sampling set {1, 2}; 3, 4 are unconstrained auxiliaries
    clauses = [[1, 2], [3, 4]]
    assert projected_count(clauses, 4, [1, 2]) == 3
    assert projected_count(clauses, 4, [1, 2, 3, 4]) == 9


SWEEP = [
    ("fc:2,1,1", "-1,0,1", "sign", "01", "-1", None),
    ("fc:2,1", "-1,-1/2,0,1/2,1", "relu", "pm1", "0", None),
    ("fc:1,2,1", "-1,0,1", "step", "01", "+1", None),
    ("sfc:1,2,1", "-1,0,1", "relu", "01", "-1", None),
    ("fc:2,2,1", "-1,0,1", "sign", "01", "-1", 3),
    ("cnn:1x3/1k2s1/sum", "-1,0,1", "sign", "01", "0", 3),
]


@pytest.mark.parametrize("arch,q,act,dom,zl,limit", SWEEP)
def test_pyganak_equals_enumeration(arch, q, act, dom, zl, limit):
    spec = NetworkSpec.parse(arch, q, act, dom, zl)
    prior = count_prior(spec, "brute", progress=False)
    ranked = prior.ranked()
    picks = ranked if limit is None else [ranked[0], ranked[len(ranked) // 2], ranked[-1]]
    for table, n in picks:
        r = sat_count(spec, table)
        assert r.count == n, table
        assert r.rho == prior.probability(table)
        assert r.sampling == sum(len(spec.scales if sc else spec.q) for sc in spec.layout.scale_mask())


def test_unrealizable_table_counts_zero():
    spec = NetworkSpec.parse("fc:2,1", "-1,0,1", "sign", "01")
    assert sat_count(spec, "-++-").count == 0


@pytest.mark.parametrize("arch,q,act,table", [
    ("fc:1,14,1", "int:1", "sign", "-+"),   # 3.3e20 settings: beyond enumeration
    ("fc:2,6,1", "int:1", "sign", "---+"),
])
def test_pyganak_equals_fast_counter_beyond_enumeration(arch, q, act, table):
    spec = NetworkSpec.parse(arch, q, act, "01")
    fast = count_prior(spec, "fast", progress=False)
    assert sat_count(spec, table).count == fast.count(table)


@pytest.mark.parametrize("arch,q,act,dom,zl", [
    ("fc:2,2,1", "-1,0,1", "relu", "01", "-1"),
    ("sfc:2,1,1", "-1,0,1", "sign", "pm1", "0"),
    ("scnn:1x3/1k2s1/flat", "-1,0,1", "step", "01", "+1"),
])
def test_pyganak_equals_enumeration_every_table(arch, q, act, dom, zl):
    spec = NetworkSpec.parse(arch, q, act, dom, zl)
    prior = count_prior(spec, "brute", progress=False)
    for table, n in prior.counts.items():
        assert sat_count(spec, table).count == n, table

"""proofs.bounds / embedding / structured / teachers: every formula against a count."""

import itertools
import math

import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enumerate.core.forward import all_settings, index_to_params
from enumerate.core.reference import forward, truth_table
from proofs import bounds
from proofs.embedding import (
    count_automorphisms_brute,
    count_automorphisms_nx,
    count_embeddings,
    count_embeddings_nx,
    embedding_event,
    embeddings,
    is_irreducible,
    units,
)
from proofs.structured import embedding_events, radices, union_count, union_count_brute, union_size, union_tables
from proofs.teachers import aut_counts, irreducible_mask, teacher_groups
import pytest
from enumerate import NetworkSpec, SpecError

QS_ZERO = ["-1,0,1", "-1,0,1/2", "0,1", "-2,0,1"]
ACTS = ["sign", "relu", "step", "hardtanh", "leaky:1/3", "identity"]

# (student template, unit counts per hidden layer) pairs; teachers get fewer units
TEMPLATES = [
    ("fc:{d0},{}", 1), ("sfc:{d0},{}", 1), ("fc:{d0},{},{}", 2), ("sfc:{d0},{},{}", 2),
    ("cnn:{d0}x3/{}k2s1", 1), ("scnn:{d0}x3/{}k2s1", 1), ("cnn:1x4/{}k2s1/{}k2s1", 2),
]


@st.composite
def pairs(draw, max_student=3**9, max_units=3):
    """(student spec, teacher spec, teacher params) with the student at most ``max_student`` settings."""
    q = draw(st.sampled_from(QS_ZERO))
    act = draw(st.sampled_from(ACTS))
    for _ in range(50):
        tpl, n = draw(st.sampled_from(TEMPLATES))
        d0 = draw(st.sampled_from([1, 2]))
        us = draw(st.lists(st.integers(1, max_units), min_size=n, max_size=n))
        ts = [draw(st.integers(1, u)) for u in us]
        tail = "" if tpl.startswith("fc") or tpl.startswith("sfc") else "/" + draw(st.sampled_from(["flat", "sum"]))
        if tpl.startswith(("fc", "sfc")):
            tail = ",1"
        s_arch = tpl.format(*us, d0=d0) + tail
        t_arch = tpl.format(*ts, d0=d0) + tail
        if tpl.startswith("cnn:1x4") and d0 == 2:
            continue
        student = NetworkSpec.parse(s_arch, q, act)
        if student.total <= max_student:
            teacher = student.with_arch(t_arch)
            idx = [draw(st.integers(0, r - 1)) for r in radices(teacher)]
            return student, teacher, index_to_params(teacher, idx)
    pytest.skip("no small pair drawn")


FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --------------------------------------------------------------------------- formulas vs counts


@FAST
@given(pairs(max_student=3**40, max_units=5))
def test_parameter_and_pinned_counts_match_the_construction(pair):
    student, teacher, params = pair
    t = bounds.terms(student, teacher.arch)
    lay = student.layout
    assert (t.p_weights, t.p_scales) == (lay.num_weights, lay.num_scales)
    pi = next(iter(embeddings(student.arch, teacher.arch)))
    ev = embedding_event(student, teacher, params, pi)
    mask = lay.scale_mask()
    assert (sum(not mask[p] for p in ev), sum(mask[p] for p in ev)) == (t.k_weights, t.k_scales)
    assert t.total == student.total


@FAST
@given(pairs(max_student=3**40, max_units=4))
def test_embedding_counts_three_ways(pair):
    student, teacher, _ = pair
    n = bounds.terms(student, teacher.arch).n_emb
    assert n == count_embeddings(student.arch, teacher.arch) == len(list(embeddings(student.arch, teacher.arch)))
    assert n == count_embeddings_nx(student.arch, teacher.arch)


def test_design_examples():
    assert bounds.k_fc((2, 6, 2, 1), (2, 1, 2, 1)) == 20
    assert bounds.k_sfc((2, 6, 2, 1), (2, 1, 2, 1)) == 18
    # the paper's forms in the widths, K_FC equal to its headline form at every depth
    for L in range(2, 7):
        p = bounds.prove_headline(L)
        e = sp.symbols(" ".join(f"e_{l}" for l in range(1, L)), nonnegative=True, integer=True)
        e = e if isinstance(e, tuple) else (e,)
        assert p.fc_gap == 0 and sp.expand(p.sfc_gap - sum(e) - 1) == 0
        assert p.fc_holds and p.sfc_holds
    fc_ok, sfc_ok, _ = bounds.prove_headline_general()
    assert fc_ok and sfc_ok
    # never better in 2-layer nets: K_SFC - K_FC = d*_1
    d, ds = bounds.width_symbols(2)
    assert sp.expand(bounds.k_sfc(d, ds) - bounds.k_fc(d, ds)) == ds[1]


def test_cnn_formulas_by_hand():
    # cnn:1x4/3k2s1/flat student, 2-channel teacher: K = 2 (2*1 + 1) + 3*3 + 1
    s = NetworkSpec.parse("cnn:1x4/3k2s1/flat", "-1,0,1")
    t = bounds.terms(s, s.with_arch("cnn:1x4/2k2s1/flat").arch)
    assert (t.p_weights, t.k_weights, t.n_emb) == (3 * 2 + 3 + 9 + 1, 6 + 10, 6)
    s = NetworkSpec.parse("scnn:1x4/3k2s1/sum", "-1,0,1")
    t = bounds.terms(s, s.with_arch("scnn:1x4/2k2s1/sum").arch)
    assert (t.k_weights, t.k_scales) == (2 * 3 + 2 + 1, 3)


def test_sample_complexity_and_bounds_are_consistent():
    rho = bounds.multi_bound(10, 0, 6, 2, q=3)
    assert rho == sp.Rational(3, 3**10)
    n = bounds.sample_complexity_bound(10, 0, 6, 2, q=3, eps=sp.Rational(1, 10), delta=sp.Rational(1, 20))
    assert sp.simplify(n - bounds.sample_complexity(rho, sp.Rational(1, 10), sp.Rational(1, 20))) == 0


def test_needs_zero_in_q():
    s = NetworkSpec.parse("fc:2,2,1", "-1,1")
    with pytest.raises(SpecError, match="q"):
        bounds.terms(s, s.with_arch("fc:2,1,1").arch)
    s = NetworkSpec.parse("sfc:2,2,1", "-1,0,1", scale_q="1,2")
    with pytest.raises(SpecError, match="scale_q"):
        embedding_events(s, s.with_arch("sfc:2,1,1"), [1, 1, 1, 1, 1, 1])


# --------------------------------------------------------------------------- union counts


@settings(max_examples=60, deadline=None)
@given(st.lists(st.dictionaries(st.integers(0, 5), st.integers(0, 2), max_size=4), max_size=6),
       st.lists(st.integers(1, 3), min_size=6, max_size=6))
def test_union_count_against_enumeration(events, radix):
    events = [{p: x % radix[p] for p, x in e.items()} for e in events]
    brute = sum(any(all(a[p] == x for p, x in e.items()) for e in events)
                for a in itertools.product(*(range(r) for r in radix)))
    assert union_count(events, tuple(radix)) == brute


@FAST
@given(pairs(max_student=3**9))
def test_union_is_teacher_equivalent_and_counted_twice(pair):
    student, teacher, params = pair
    events = embedding_events(student, teacher, params)
    n = union_count(events, radices(student))
    assert n == union_count_brute(student, events)
    assert set(union_tables(student, events)) == {truth_table(teacher, params)}
    # every event alone: same real outputs f as the teacher (any activation)
    ev = dict(next(iter(events)))
    full = [student.q.values[0] if not m else student.scales.values[0] for m in student.layout.scale_mask()]
    for p, x in ev.items():
        full[p] = (student.scales if student.layout.scale_mask()[p] else student.q).values[x]
    assert forward(student, full) == forward(teacher, params)
    t = bounds.terms(student, teacher.arch)
    aut = count_automorphisms_brute(teacher, params)
    if is_irreducible(teacher, params):
        assert n == t.multi_count(aut)
    else:
        assert t.single_count() <= n <= t.multi_count(aut)


def test_reducible_counterexample():
    s, t = NetworkSpec.parse("fc:2,3,1", "-1,0,1"), NetworkSpec.parse("fc:2,2,1", "-1,0,1")
    params = [1, 1, 1, 1, 0, 0, 1, 0, 0]  # second hidden neuron has outgoing weight 0
    assert not is_irreducible(t, params)
    events = embedding_events(s, t, params)
    assert union_size(s, t, params) == union_count_brute(s, events) == 159 < 6 * 3 ** (13 - 10)


# --------------------------------------------------------------------------- automorphisms


@FAST
@given(pairs(max_student=3**40))
def test_automorphisms_networkx_equals_brute_force(pair):
    _, teacher, params = pair
    a = count_automorphisms_nx(teacher, params)
    assert a == count_automorphisms_brute(teacher, params)
    row = [(teacher.scales if m else teacher.q).values.index(p) for p, m in zip(params, teacher.layout.scale_mask())]
    import numpy as np

    assert aut_counts(teacher, np.array([row]))[0] == a
    assert bool(irreducible_mask(teacher, np.array([row]))[0]) == is_irreducible(teacher, params)
    u = units(teacher.arch)
    assert math.prod(math.factorial(x) for x in u[1:-1]) % a == 0


def test_known_automorphism_groups():
    t = NetworkSpec.parse("fc:1,2,2,1", "-1,0,1")
    same = [1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 0]  # everything symmetric in both layers
    assert count_automorphisms_nx(t, same) == count_automorphisms_brute(t, same) == 4
    t = NetworkSpec.parse("cnn:1x3/2k2s1/flat", "-1,0,1")
    flat = [1, 0, 1, 0, 0, 0, 1, -1, -1, 1, 0]  # equal kernels, readout rows differ
    assert count_automorphisms_brute(t, flat[:6] + [1, -1, 1, -1, 0]) == 2  # equal rows
    assert count_automorphisms_nx(t, flat) == count_automorphisms_brute(t, flat) == 1


def test_teacher_groups_cover_every_setting():
    t = NetworkSpec.parse("sfc:1,2,1", "-1,0,1")
    gs = teacher_groups(t)
    assert sum(g.teachers for g in gs) == t.total
    for g in gs[:: max(1, len(gs) // 10)]:
        assert truth_table(t, g.example) == g.table
        assert count_automorphisms_brute(t, g.example) == g.aut
        assert is_irreducible(t, g.example) == g.irreducible
        assert index_to_params(t, all_settings(t, g.index, g.index + 1)[0]) == list(g.example)


def test_teacher_groups_keep_large_automorphism_groups():
    from proofs.teachers import teacher_groups

    (group,) = teacher_groups(NetworkSpec.parse("fc:1,7,1", "0"))
    assert (group.table, group.aut, group.teachers) == ("--", 5040, 1)

"""The teacher-equivalence counter against the full prior and pyganak (the second methods)."""

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enumerate import NetworkSpec, SpecError, count_prior, make_teacher
from enumerate.counting.teacher_count import (TeacherCounter, estimate_teacher_count, teacher_count, teacher_rho,
                                              teacher_count_supported)
from enumerate.testing import ACTIVATIONS, Q_SETS, tables

TWO_LAYER = ["fc:1,1,1", "fc:1,3,1", "fc:2,1,1", "fc:2,2,1", "fc:2,3,1", "sfc:1,2,1", "sfc:2,1,1", "sfc:2,2,1",
             "fc:3,1,1", "fc:3,2,1", "sfc:3,1,1"]


@st.composite
def two_layer_specs(draw, max_settings=200_000):
    q = draw(st.sampled_from(Q_SETS))
    archs = [a for a in TWO_LAYER if NetworkSpec.parse(a, q).total <= max_settings]
    return NetworkSpec.parse(draw(st.sampled_from(archs)), q, draw(st.sampled_from(ACTIVATIONS)),
                             draw(st.sampled_from(["01", "pm1"])), draw(st.sampled_from(["-1", "+1", "0"])))


_PRIORS = {}


def _prior(spec):
    if spec not in _PRIORS:
        _PRIORS[spec] = count_prior(spec, progress=False)
    return _PRIORS[spec]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_equals_the_full_prior_on_any_table(data):
    # every family, activation, Q, domain and zero-label rule the full prior reaches; any table,
    # realizable (drawn from the prior) or not (drawn at random: its count is 0 when unrealizable)
    spec = data.draw(two_layer_specs())
    prior = _prior(spec)
    table = data.draw(st.one_of(st.sampled_from(sorted(prior.counts)), tables(spec)))
    assert teacher_count(spec, table) == prior.count(table)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_hashed_path_equals_the_full_prior_and_the_chain(data):
    # the dense chain off: the (clipped or shared) hashed meet in the middle, against the full prior,
    # and the chain against it at every width of the family
    from unittest import mock

    import enumerate.counting.teacher_count as tcm

    spec = data.draw(two_layer_specs())
    prior = _prior(spec)
    table = data.draw(st.one_of(st.sampled_from(sorted(prior.counts)), tables(spec)))
    w = spec.arch.widths[1]
    tc = TeacherCounter(spec, table)
    chain = tc.counts([v for v in range(1, w + 1) if tc.chained(v)])
    dense = data.draw(st.sampled_from([None, 3**len(spec.domain)]))
    with mock.patch.object(tcm, "CHAIN_CELLS", 0), mock.patch.object(tcm, "DENSE_CELLS", dense or tcm.DENSE_CELLS):
        tc = TeacherCounter(spec, table)
        assert not tc.chained(w)
        assert tc.count(w) == prior.count(table) == chain.get(w, prior.count(table))
        assert all(tc.count(v) == n for v, n in chain.items())


@pytest.mark.parametrize("arch, act, domain, table", [
    ("fc:3,2,1", "relu", "01", "--------"),  # no hidden state reaches the last step: empty state tables
    ("fc:1,3,1", "sign", "pm1", "--"),
])
def test_a_table_no_state_reaches_counts_zero_on_every_path(arch, act, domain, table):
    from unittest import mock

    import enumerate.counting.teacher_count as tcm

    spec = NetworkSpec.parse(arch, "0,1,2", act=act, domain=domain, zero_label="+1")
    assert _prior(spec).count(table) == 0
    assert teacher_count(spec, table) == 0
    with mock.patch.object(tcm, "CHAIN_CELLS", 0):
        assert TeacherCounter(spec, table).count(spec.arch.widths[1]) == 0


def test_the_chain_counts_a_family_at_once_and_can_fail():
    spec = NetworkSpec.parse("fc:2,6,1", "-1,0,1")
    tc = TeacherCounter(spec, "---+")
    got = tc.counts([6, 1, 3, 4])
    assert list(got) == [1, 3, 4, 6] and set(tc.seconds) == {1, 3, 4, 6}
    for w, n in got.items():
        assert n == _prior(NetworkSpec.parse(f"fc:2,{w},1", "-1,0,1")).count("---+"), w
    assert got[6] != _prior(spec).count("-+++")  # the check can fail
    with pytest.raises(SpecError, match="width: 7 is outside"):
        tc.counts([7])


@pytest.mark.parametrize("arch,q,act,dom,zl", [
    ("fc:2,7,1", "-1,0,1", "sign", "01", "-1"),
    ("sfc:2,5,1", "-1,0,1", "sign", "01", "-1"),
    ("fc:3,4,1", "-1,0,1", "sign", "01", "-1"),
    ("fc:2,4,1", "-1,0,1", "relu", "pm1", "0"),
    ("sfc:3,3,1", "-1,0,1", "sign", "pm1", "+1"),
])
def test_every_table_of_wider_students(arch, q, act, dom, zl):
    # wider than the hypothesis specs: several steps of the left part, clipping and the symmetry at work
    spec = NetworkSpec.parse(arch, q, act, dom, zl)
    prior = _prior(spec)
    ranked = prior.ranked()
    picks = ranked if len(ranked) <= 40 else ranked[:: max(1, len(ranked) // 40)]
    for table, n in picks:
        assert teacher_count(spec, table) == n, table


def test_clipped_left_part_equals_the_full_prior(monkeypatch):
    # a tiny dense budget forces r < W/2: the left part is clipped (states dropped and clamped)
    import enumerate.counting.teacher_count as tcm

    spec = NetworkSpec.parse("fc:3,5,1", "-1,0,1")
    prior = _prior(spec)
    monkeypatch.setattr(tcm, "DENSE_CELLS", 3**8)
    monkeypatch.setattr(tcm, "CHAIN_CELLS", 0)
    tc = TeacherCounter(spec, "-------+")
    assert tc.right_size(5) == 1
    for table in ["-------+", "---+-+++", "+-+-+-+-", "++++++++"]:
        assert TeacherCounter(spec, table).count(5) == prior.count(table), table


def test_a_sweep_shares_powers_and_equals_each_width(monkeypatch):
    import enumerate.counting.teacher_count as tcm

    monkeypatch.setattr(tcm, "CHAIN_CELLS", 0)  # the hashed path's shared powers
    tc = TeacherCounter(NetworkSpec.parse("fc:2,6,1", "-1,0,1"), "---+")
    for w in range(1, 7):
        spec = NetworkSpec.parse(f"fc:2,{w},1", "-1,0,1")
        assert tc.count(w) == _prior(spec).count("---+"), w


def test_a_wrong_table_or_width_is_caught():
    spec = NetworkSpec.parse("fc:2,3,1", "-1,0,1")
    prior = _prior(spec)
    assert teacher_count(spec, "---+") == prior.count("---+")
    assert teacher_count(spec, "---+") != prior.count("-+++")  # the check can fail
    with pytest.raises(SpecError, match="table: the table has 3 symbols"):
        teacher_count(spec, "--+")
    with pytest.raises(SpecError, match="zero-label -1"):
        teacher_count(spec, "-0-+")
    with pytest.raises(SpecError, match="width: 4 is outside 1..3"):
        TeacherCounter(spec, "---+").count(4)
    with pytest.raises(SpecError, match="2-layer"):
        teacher_count(NetworkSpec.parse("fc:2,2,2,1", "-1,0,1"), "---+")


def test_budget_refuses_without_force():
    from enumerate.counting.budget import BudgetError

    spec = NetworkSpec.parse("fc:4,20,1", "-1,0,1")
    assert not teacher_count_supported(NetworkSpec.parse("fc:2,2,2,1", "-1,0,1"))
    assert estimate_teacher_count(spec)["seconds"] > 3600
    with pytest.raises(BudgetError, match="force=True"):
        teacher_count(spec, "-" * 16)


def test_exact_past_int64_and_the_zero_readout_bound():
    spec = NetworkSpec.parse("fc:2,40,1", "-1,0,1")
    t = make_teacher(spec, "fc:2,1,1", "1,1,-1,1,0")
    tc = TeacherCounter(spec, t.table)
    n40, n39 = tc.count(40), tc.count(39)
    assert n40 > 2**63 and spec.total > 2**200
    assert teacher_rho(NetworkSpec.parse("fc:2,2,1", "-1,0,1"), t.table) == _prior(
        NetworkSpec.parse("fc:2,2,1", "-1,0,1")).probability(t.table)
    # a 40th neuron with readout weight 0 is harmless whatever its 3 incoming parameters:
    # count(40) >= count(39) * |Q|^3, and the extra settings make it strict
    assert n40 > n39 * 3**3
    assert math.log(spec.total / n40) < 4


@pytest.mark.parametrize("arch,table", [("fc:1,14,1", "-+"), ("fc:2,6,1", "---+"), ("sfc:2,5,1", "-+++")])
def test_equals_pyganak_on_wide_students(arch, table):
    pytest.importorskip("pyganak")
    from proofs.sat.count import sat_count

    spec = NetworkSpec.parse(arch, "-1,0,1")
    assert teacher_count(spec, table) == sat_count(spec, table).count


@pytest.mark.parametrize("arch,dense", [("fc:2,14,1", None), ("sfc:2,9,1", None), ("fc:2,14,1", 5**4)])
def test_residue_arithmetic_equals_the_full_prior(arch, dense, monkeypatch):
    # |Q|^P > 2^63: counts as residues modulo primes of ~54 bits and the Chinese remainder theorem;
    # with a small dense budget the clipped left part runs in residues too
    import enumerate.counting.teacher_count as tcm

    spec = NetworkSpec.parse(arch, "-1,0,1")
    assert spec.total > 2**63
    if dense:
        monkeypatch.setattr(tcm, "DENSE_CELLS", dense)
        monkeypatch.setattr(tcm, "CHAIN_CELLS", 0)
    prior = _prior(spec)
    ranked = prior.ranked()
    for table, n in ranked[:: max(1, len(ranked) // 12)]:
        tc = TeacherCounter(spec, table)
        assert len(tc.mods) >= 2
        assert not dense or tc.right_size(spec.arch.widths[1]) < spec.arch.widths[1] // 2
        assert tc.count(spec.arch.widths[1]) == n, table


MAJ4 = ("fc:4,1,1", "1,1,1,1,-1,1,0")  # at least 2 of 4 inputs (the width sweep's teacher on 4 inputs)
MAJ4S = ("sfc:4,1,1", "1,1,1,1,-1,1,1,0")


def _work(arch, teacher, dense=None, measure=None):
    """(estimate, measured work) of the hashed route on ``arch``."""
    from unittest import mock

    import enumerate.counting.teacher_count as tcm

    spec = NetworkSpec.parse(arch, "-1,0,1")
    table = make_teacher(spec, *teacher).table
    with mock.patch.object(tcm, "CHAIN_CELLS", 0), mock.patch.object(tcm, "DENSE_CELLS", dense or tcm.DENSE_CELLS), \
            mock.patch.object(tcm, "MEASURE_PAIRS", measure or tcm.MEASURE_PAIRS):
        est = estimate_teacher_count(spec, table)
        tc = TeacherCounter(spec, table)
        tc.count(spec.arch.widths[1])
    return est, tc.work


def _ratios(est, work):
    return [est["pairs"] / work["pairs"], est["lookups"] / work["lookups"], est["states"] / work["states"]]


@pytest.mark.parametrize("arch,teacher,dense,measure,factor", [
    # the default measuring budget: the steps before the largest run for real (factor 1.5)
    ("fc:4,5,1", MAJ4, None, None, 1.5), ("fc:4,6,1", MAJ4, None, None, 1.5), ("sfc:4,5,1", MAJ4S, None, None, 1.5),
    ("fc:3,7,1", ("fc:3,1,1", "1,1,1,-1,1,0"), 3**8, None, 1.5),
    # measuring only the first steps: the power law extrapolates two or three of them (factor 12)
    ("fc:4,5,1", MAJ4, None, 10**4, 12), ("fc:4,6,1", MAJ4, None, 10**4, 12),
])
def test_estimate_tracks_the_measured_work(arch, teacher, dense, measure, factor):
    # the work counts (state-type pairs, finish lookups, the largest state table) are machine-independent
    est, work = _work(arch, teacher, dense, measure)
    assert est["route"] == "hashed" and min(work.values()) > 0
    assert all(1 / factor <= x <= factor for x in _ratios(est, work)), (_ratios(est, work), work)


def test_the_parts_make_each_pair_once_and_the_estimate_predicts_them():
    # the last hashed table cut into parts of at most PART_BYTES of map (by the coordinate sum of
    # the unclipped new state): each state-type pair is made once, so the pairs equal the unparted
    # run's; a clipped state reached from sums of several parts is a row of each (more lookups);
    # the estimate predicts the parts and the lookups
    from unittest import mock

    import enumerate.counting.teacher_count as tcm

    spec = NetworkSpec.parse("fc:4,6,1", "-1,0,1")
    table = make_teacher(spec, *MAJ4).table
    whole_est = estimate_teacher_count(spec, table)
    whole = TeacherCounter(spec, table)
    n = whole.count(6)
    with mock.patch.object(tcm, "PART_BYTES", 2**24):
        est = estimate_teacher_count(spec, table)
        tc = TeacherCounter(spec, table)
        assert tc.count(6) == n
    assert whole.work["parts"] == whole_est["parts"] == 1
    # the parts are cut by sums, not evenly: a part may hold twice its share, so the counter may
    # need up to 4x the parts the map bytes alone ask for (on fc:4,8,1: 16 and 16)
    assert 1 < est["parts"] <= tc.work["parts"] <= 4 * est["parts"]
    assert tc.work["pairs"] == whole.work["pairs"]
    assert whole.work["lookups"] < tc.work["lookups"] <= tcm.PART_LOOKUPS * whole.work["lookups"]
    assert est["lookups"] == pytest.approx(tcm.PART_LOOKUPS * whole_est["lookups"])


def test_estimate_check_can_fail():
    # the estimate of fc:4,6,1 against the work of fc:4,5,1 is far outside the factor
    est6, _ = _work("fc:4,6,1", MAJ4)
    _, work5 = _work("fc:4,5,1", MAJ4)
    assert max(_ratios(est6, work5)) > 12


def test_the_last_left_unit_is_read_by_the_finish():
    # clipped route: the bias step and W - 2 hashed steps, then one lookup per state and unit type
    spec = NetworkSpec.parse("fc:4,5,1", "-1,0,1")
    tc = TeacherCounter(spec, make_teacher(spec, *MAJ4).table)
    r, shared, k_left = tc.plan(5)
    assert (r, shared, k_left) == (1, False, 4)
    tc.count(5)
    assert tc.work["lookups"] == tc.work["states"] * len(tc.tu)  # the last hashed table is the largest here


def test_wide_four_input_student_equals_pyganak():
    # fc:4,3,1 (the widest pyganak counts in about a minute here; fc:4,4,1 ran past 5 minutes), the
    # majority teacher of the width sweep, against projected model counting on the parameter variables
    pytest.importorskip("pyganak")
    from proofs.sat.count import sat_count

    spec = NetworkSpec.parse("fc:4,3,1", "-1,0,1")
    table = make_teacher(spec, *MAJ4).table
    n = teacher_count(spec, table)
    assert n == sat_count(spec, table).count == 809_206
    near = table[:-1] + "-"  # one point away: another count (the check can fail)
    assert teacher_count(spec, near) != n


def test_the_last_hashed_table_in_parts_equals_the_whole(monkeypatch):
    # a tiny map budget: the last hashed step is built and finished in 2, 4, ... parts (by the states'
    # coordinate sum); the count is the same, and equals the full prior (fc:3: a small dense budget
    # forces the clipped route)
    import enumerate.counting.teacher_count as tcm

    spec = NetworkSpec.parse("fc:3,5,1", "-1,0,1")
    prior = _prior(spec)
    monkeypatch.setattr(tcm, "CHAIN_CELLS", 0)
    monkeypatch.setattr(tcm, "DENSE_CELLS", 3**8)
    for table in ["-------+", "---+-+++", "+-+-+-+-"]:
        whole = TeacherCounter(spec, table)
        n = whole.count(5)
        monkeypatch.setattr(tcm, "PART_BYTES", 2**14)
        parted = TeacherCounter(spec, table)
        assert parted.count(5) == n == prior.count(table), table
        assert parted.work["parts"] > 1 and whole.work["parts"] == 1
        monkeypatch.setattr(tcm, "PART_BYTES", 2**30)
    assert n != prior.count("-------+")  # the check can fail


def _finish_reference(states, cnts, p, kind, tau, bias, wts, ylo, g):
    """The finish by its definition (plain Python): sum_s sum_b c_s w_b G(tau - x_s - bias_b),
    G the right part's mass in the orthant (kind 0: y >= t, 1: y <= t, 2: y == t) of ``g``
    (a dict from vectors in the box to masses)."""
    total = 0
    for x, c in zip(states, cnts):
        for u, wt in zip(bias, wts):
            t = [tau[i] - x[i] - u[i] for i in range(len(x))]
            mass = sum(v for y, v in g.items()
                       if all((y[i] >= t[i], y[i] <= t[i], y[i] == t[i])[kind[i]] for i in range(len(x))))
            total += c * wt * mass
    return total if p == 0 else total % p


@pytest.mark.parametrize("seed", range(4))
def test_the_multi_prime_finish_equals_one_prime_at_a_time_and_the_definition(seed):
    # finish_rows reads every prime's residue of a cell in one pass over the states: the same sums as
    # one call per prime, as the plain definition, whatever the order of the states (the counter sorts
    # them by cell first); a wrong right-part array gives other sums (the check can fail)
    import itertools

    import numpy as np

    from enumerate.counting.kernels.teacher_count import cumulate, finish_rows, pack
    from enumerate.counting.teacher_count import _cell_order

    rng = np.random.default_rng(seed)
    n, bits, off = 3, 8, 128
    mods = np.array([2**55 - 55, 2**54 - 33, 2**31 - 1], np.int64)
    kind = rng.integers(0, 3, n)
    tau = rng.integers(-1, 2, n)
    ylo = np.full(n, -2, np.int64)
    ysize = np.full(n, 5, np.int64)
    strides = np.array([25, 5, 1], np.int64)
    cells = list(itertools.product(range(-2, 3), repeat=n))  # row-major, the first coordinate slowest
    mass = rng.integers(0, 2**62, len(cells))  # above every prime: each column holds other residues
    garr = np.empty((len(cells), len(mods)), np.int64)
    for r, p in enumerate(mods.tolist()):
        col = (mass % p).astype(np.int64)
        cumulate(col, ysize, strides, kind, p)
        garr[:, r] = col
    states = rng.integers(-3, 4, (30, n))
    keys = np.zeros((len(states), 1), np.uint64)
    for row, x in zip(keys, states):
        pack(x.astype(np.int64), bits, off, row)
    exact = rng.integers(1, 2**62, len(states)).tolist()
    cnts = np.array([[c % p for p in mods.tolist()] for c in exact], np.int64)
    bias = rng.integers(-1, 2, (4, n))
    wexact = rng.integers(1, 2**6, len(bias)).tolist()  # below 2^61 / p, as the primes are chosen
    wts = np.array([[c % p for p in mods.tolist()] for c in wexact], np.int64)

    def sums(order, m, g):
        out = finish_rows(keys[order], np.ascontiguousarray(cnts[order][:, m]), mods[m], bits, off, kind, tau, bias,
                          np.ascontiguousarray(wts[:, m]), ylo, ysize, strides, np.ascontiguousarray(g[:, m]))
        return [(s0 + (s1 << 28) + (s2 << 56)) % p for p, (s0, s1, s2) in zip(mods[m].tolist(), out.tolist())]

    every = list(range(len(mods)))
    order = _cell_order(keys, bits, off, n)
    assert sorted(order.tolist()) == list(range(len(states)))
    together = sums(np.arange(len(states)), every, garr)
    assert together == sums(order, every, garr) == [sums(np.arange(len(states)), [r], garr)[0] for r in every]
    g = dict(zip(cells, mass.tolist()))
    assert together == [_finish_reference(states.tolist(), exact, p, kind.tolist(), tau.tolist(), bias.tolist(),
                                          wexact, ylo, g) for p in mods.tolist()]
    wrong = (garr + 1) % mods  # one more right-part setting in every orthant
    assert sums(np.arange(len(states)), every, wrong) != together


def test_the_cell_order_sorts_by_cell_and_can_fail():
    import numpy as np

    from enumerate.counting.kernels.teacher_count import pack, unpack
    from enumerate.counting.teacher_count import _cell_order

    rng = np.random.default_rng(5)
    states = rng.integers(-4, 5, (200, 5))
    keys = np.zeros((len(states), 1), np.uint64)
    for row, x in zip(keys, states):
        pack(x.astype(np.int64), 8, 128, row)
    order = _cell_order(keys, 8, 128, 5)
    out = np.zeros(5, np.int64)
    got = []
    for row in keys[order]:
        unpack(row, 8, 128, out)
        got.append(tuple(out.tolist()))
    assert got == sorted(map(tuple, states.tolist()))  # the first coordinate slowest: lexicographic
    assert got != [tuple(x) for x in states.tolist()]  # the check can fail (the drawn order is not sorted)
    assert _cell_order(keys[:1], 8, 128, 5) is None

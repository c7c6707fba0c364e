"""The two-hidden-layer class counter against independent methods.

* brute force and the fast counter, table for table (hypothesis over fc/sfc, Q, every
  activation, both cube domains and every zero-label rule, d <= 3, small widths);
* ``reference_prior`` (the plain forward pass over every setting) on a few fixed specs;
* a second hidden layer of width 1 (sign, Q = {-1,0,1}): the prior is the one-hidden-layer
  prior under zero-label rule ``0`` (the sign pattern of the second layer's pre-activation)
  pushed through the readout (v, c);
* the residue (Chinese remainder) path forced on a small net equals the plain int64 path;
* the estimate's work counts against the work the run measured.

Each check is shown to fail on a wrong input.
"""


import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from enumerate import BudgetError, NetworkSpec, SpecError
from enumerate.counting.brute import count_brute
from enumerate.counting.deep import (
    DeepUnits,
    _enumerate,
    check_deep_budget,
    count_deep,
    deep_supported,
    estimate_deep,
    prefer_deep,
)
from enumerate.counting.dispatch import choose_method, count_prior
from enumerate.counting.fast import count_fast, fast_supported
from enumerate.counting.hidden import count_hidden, per_table
from enumerate.testing import ACTIVATIONS, Q_SETS, reference_prior

from .test_hidden import _readout_pushforward

SCALE_SETS = (None, "0,2", "-1/2,1")


@st.composite
def deep_specs(draw, max_settings=200_000):
    kind = draw(st.sampled_from(("fc", "sfc")))
    d = draw(st.integers(1, 3))
    k1 = draw(st.integers(1, 3))
    k2 = draw(st.integers(1, 3))
    q = draw(st.sampled_from(Q_SETS))
    act = draw(st.sampled_from(ACTIVATIONS))
    dom = draw(st.sampled_from(("01", "pm1")))
    zl = draw(st.sampled_from(("-1", "+1", "0")))
    sq = draw(st.sampled_from(SCALE_SETS)) if kind == "sfc" else None
    spec = NetworkSpec.parse(f"{kind}:{d},{k1},{k2},1", q, act, dom, zl, scale_q=sq)
    assume(spec.total <= max_settings)
    return spec


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(deep_specs())
def test_equals_brute_force_and_the_fast_counter(spec):
    cp = count_deep(spec, progress=False)
    assert cp.covered == spec.total
    expanded = cp.expand().counts
    assert expanded == count_brute(spec, progress=False).counts
    if fast_supported(spec):
        assert expanded == count_fast(spec, progress=False).counts


@pytest.mark.parametrize("arch,q,act,dom,zl", [
    ("fc:2,2,2,1", "0,1", "sign", "01", "-1"),
    ("sfc:1,1,1,1", "-1,0,1", "relu", "pm1", "0"),
    ("fc:1,2,1,1", "-1,1/2,1", "leaky:1/3", "01", "+1"),
])
def test_equals_reference_prior(arch, q, act, dom, zl):
    spec = NetworkSpec.parse(arch, q, act, dom, zl)
    assert count_deep(spec, progress=False).expand().counts == reference_prior(spec, max_settings=40_000).counts


@pytest.mark.parametrize("arch,dom,zl", [
    ("fc:3,3,2,1", "01", "-1"),
    ("sfc:3,2,2,1", "pm1", "0"),
    ("fc:4,2,2,1", "01", "+1"),
])
def test_wider_nets_equal_the_fast_counter(arch, dom, zl):
    spec = NetworkSpec.parse(arch, "-1,0,1", "sign", dom, zl)
    assert count_deep(spec, progress=False).expand().counts == count_fast(spec, progress=False).counts


def test_wrong_counts_fail_the_comparison():
    spec = NetworkSpec.parse("fc:2,2,2,1", "-1,0,1", "sign", "01")
    counts = dict(count_deep(spec, progress=False).expand().counts)
    brute = count_brute(spec, progress=False).counts
    assert counts == brute
    top = max(counts, key=counts.get)
    counts[top] -= 1
    assert counts != brute


@pytest.mark.parametrize("d,k1,dom,zl", [(3, 2, "01", "-1"), (3, 3, "pm1", "0"), (4, 2, "01", "+1")])
def test_second_layer_of_width_one_is_a_readout_of_the_one_layer_prior(d, k1, dom, zl):
    spec = NetworkSpec.parse(f"fc:{d},{k1},1,1", "-1,0,1", "sign", dom, zl)
    inner = count_hidden(NetworkSpec.parse(f"fc:{d},{k1},1", "-1,0,1", "sign", dom, "0"), progress=False).expand()
    expected = _readout_pushforward(inner, spec)
    got = count_deep(spec, progress=False)
    assert got.num_functions == len(expected)
    assert all(got.count(t) == c for t, c in expected.items())
    other = {"-1": "+1", "+1": "-1", "0": "-1"}[zl]
    wrong = _readout_pushforward(inner, NetworkSpec.parse(f"fc:{d},{k1},1,1", "-1,0,1", "sign", dom, other))
    assert any(got.count(t) != c for t, c in wrong.items())


def test_residues_equal_plain_counts():
    spec = NetworkSpec.parse("sfc:2,3,2,1", "-1,0,1", "sign", "pm1", "0")
    units = DeepUnits(spec)
    plain = count_deep(spec, progress=False)
    primes = [2147483647, 2147483629]
    keys, sizes, totals, _ = _enumerate(spec, units, primes, lambda w: None, threads=2)
    counts = per_table(totals, sizes, primes)
    got = {k.tobytes(): int(c) for k, c in zip(keys, counts)}
    want = {k.tobytes(): int(c) for k, c in zip(plain.tables.reshape(len(plain.tables), -1), plain.counts_by_class)}
    assert got == want
    # one wrong residue reconstructs another count
    totals[0, 1] = (totals[0, 1] + 1) % primes[1]
    assert int(per_table(totals, sizes, primes)[0]) != int(counts[0])


def test_classes_merge_h_and_minus_h_only_when_q_is_symmetric():
    sym = DeepUnits(NetworkSpec.parse("fc:2,2,2,1", "-1,0,1"))
    asym = DeepUnits(NetworkSpec.parse("fc:2,2,2,1", "-1,0,1,2"))
    assert sym.symmetric and not asym.symmetric
    assert sum(sym.mult) == 27 and sum(asym.mult) == 64
    assert sym.num_classes < len({tuple(v) for v in sym.reps} | {tuple(-v) for v in sym.reps})


#: the estimate's counts against the measured work: tuples exactly, multisets and law
#: leaves within a factor 2, output multisets within a factor 4 (the distinct contributions
#: of a layer-2 unit are estimated, not counted)
@pytest.mark.parametrize("arch,dom", [("fc:2,5,2,1", "01"), ("fc:3,3,2,1", "pm1"), ("sfc:3,2,2,1", "01"),
                                      ("fc:3,2,3,1", "01")])
def test_estimate_matches_the_work_done(arch, dom):
    spec = NetworkSpec.parse(arch, "-1,0,1", "sign", dom)
    est = estimate_deep(spec)
    cp = count_deep(spec, progress=False)
    done = cp.meta["deep"]
    assert est["tuples"] == done["tuples"]
    # the classes the memory estimate holds: at least the classes found, at most the tables of n points
    assert cp.num_classes <= est["table_classes"] <= 2 ** len(spec.domain)
    for what, factor in (("multisets", 2), ("leaves", 2), ("outputs", 4)):
        assert done[what] / factor <= est[what] <= done[what] * factor, (what, est[what], done[what])


def test_budget_dispatch_and_unsupported_specs():
    spec = NetworkSpec.parse("fc:5,3,2,1", "-1,0,1")
    with pytest.raises(BudgetError, match="force=True"):
        check_deep_budget(spec, max_seconds=1e-6)
    with pytest.raises(BudgetError):
        count_deep(NetworkSpec.parse("fc:2,2,2,1", "-1,0,1"), progress=False, max_bytes=1)
    assert prefer_deep(spec) and choose_method(spec) == "classes"
    small = NetworkSpec.parse("fc:2,2,2,1", "-1,0,1")
    assert count_prior(small, "classes", progress=False).expand().counts == count_fast(small, progress=False).counts
    for bad in ("fc:3,1", "fc:2,2,1", "fc:2,2,2,2,1", "cnn:1x4/2k2s1/flat"):
        s = NetworkSpec.parse(bad, "-1,0,1")
        assert not deep_supported(s)
        with pytest.raises(SpecError, match="method"):
            count_deep(s, progress=False)
    custom = NetworkSpec.parse("fc:2,2,2,1", "-1,0,1", "sign", "[[0, 0], [1, 2]]")
    with pytest.raises(SpecError, match="cube domains"):
        count_deep(custom, progress=False)
    wide = NetworkSpec.parse("fc:2,21,2,1", "-1,0,1")
    with pytest.raises(SpecError, match="at most 20"):
        count_deep(wide, progress=False)

"""The CNF encoding: SAT models projected on the parameters == brute-force settings."""

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pysat.solvers import Solver

from enumerate import NetworkSpec, SpecError, count_prior
from enumerate.core.forward import all_settings, labels, tables
from enumerate.core.reference import forward, truth_table
from proofs.sat.circuit import BitVec, Circuit
from proofs.sat.count import enumerate_settings
from proofs.sat.encode import encode

TINY_ARCHS = ["fc:1,1", "fc:2,1", "fc:1,1,1", "fc:2,1,1", "fc:1,2,1", "sfc:1,1,1", "fc:1,1,1,1",
              "cnn:1x2/1k1s1/flat", "cnn:1x3/1k2s1/sum", "scnn:1x2/1k2s1/flat"]
QS = ["-1,0,1", "-1,1", "-1,-1/2,0,1/2,1", "0,1,2", "-2,0,1"]


def brute_sets(spec):
    idx = all_settings(spec)
    tabs = tables(labels(spec, idx))
    out = {}
    for row, t in zip(map(tuple, idx.tolist()), tabs):
        out.setdefault(t, set()).add(row)
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(arch=st.sampled_from(TINY_ARCHS), q=st.sampled_from(QS), act=st.sampled_from(["sign", "step", "relu", "identity"]),
       dom=st.sampled_from(["01", "pm1"]), zl=st.sampled_from(["-1", "+1", "0"]), pick=st.integers(0, 10**6))
def test_models_equal_brute_force_settings(arch, q, act, dom, zl, pick):
    spec = NetworkSpec.parse(arch, q, act, dom, zl)
    assume(spec.total <= 6000)
    sets = brute_sets(spec)
    # a random realizable table (rare ones as often as common ones) ...
    ranked = sorted(sets, key=lambda t: (len(sets[t]), t))
    table = ranked[pick % len(ranked)]
    assume(len(sets[table]) <= 1500)
    assert enumerate_settings(spec, table) == sets[table]


@pytest.mark.parametrize("arch,q,act,dom,zl", [
    ("fc:2,1,1", "-1,0,1", "sign", "01", "0"),
    ("fc:2,2,1", "-1,0,1", "relu", "01", "-1"),
    ("sfc:2,1,1", "-1,0,1", "step", "pm1", "+1"),
    ("cnn:1x3/2k2s1/flat", "-1,0,1", "sign", "01", "-1"),
])
def test_satisfiable_exactly_on_the_support_of_the_prior(arch, q, act, dom, zl):
    """Every table of the domain: SAT iff enumeration finds a setting computing it."""
    spec = NetworkSpec.parse(arch, q, act, dom, zl)
    prior = count_prior(spec, "brute", progress=False)
    enc = encode(spec)
    chars = "-0+" if zl == "0" else "-+"
    with Solver(name="cadical195", bootstrap_with=enc.circuit.clauses) as s:
        for t in map("".join, itertools.product(chars, repeat=len(spec.domain))):
            sat = s.solve(assumptions=enc.table_lits(t))
            assert sat == (t in prior.counts), t
            if sat:
                assert truth_table(spec, enc.decode(s.get_model())) == t


def test_unrealizable_table_has_no_model():
    spec = NetworkSpec.parse("fc:2,1", "-1,0,1", "sign", "01")
    assert "-++-" not in count_prior(spec, progress=False).counts  # XOR is not linearly separable
    assert enumerate_settings(spec, "-++-") == set()


@pytest.mark.parametrize("arch,q,act", [("fc:2,2,1", "-1,-1/2,0,1/2,1", "relu"), ("sfc:2,2,1", "-2,0,1", "identity"),
                                        ("scnn:1x3/2k2s1/sum", "-1,0,1", "relu")])
def test_integer_outputs_match_the_reference_forward(arch, q, act):
    """Pin random settings: the encoded integer output equals f(x) scaled by the lattice."""
    spec = NetworkSpec.parse(arch, q, act, "01")
    rng = np.random.default_rng(5)
    enc = encode(spec)
    scale = None
    with Solver(name="cadical195", bootstrap_with=enc.circuit.clauses) as s:
        for _ in range(15):
            params = [vals[rng.integers(len(vals))] for vals in enc.value_sets()]
            assert s.solve(assumptions=[cl[0] for cl in enc.pin(params)])
            true = set(s.get_model()) | {1}
            for x, (bv, f) in enumerate(zip(enc.outputs, forward(spec, params))):
                bits = [(b in true) if b > 0 else (-b not in true) for b in bv.bits]
                value = sum(1 << i for i, b in enumerate(bits[:-1]) if b) - (bits[-1] << (len(bits) - 1))
                assert bv.lo <= value <= bv.hi
                if f != 0:
                    ratio = value / f
                    scale = scale or ratio
                    assert ratio == scale > 0
                else:
                    assert value == 0


@given(st.lists(st.integers(-40, 40), min_size=1, max_size=5), st.integers(-7, 7))
@settings(max_examples=40, deadline=None)
def test_adder_network_arithmetic(values, k):
    """Sums, negation and constant products of the circuit on constants and free bits."""
    c = Circuit()
    xs = []
    for v in values:
        bits = c.new_vars(7)  # a free 7-bit two's complement integer, pinned by assumptions
        xs.append((BitVec(tuple(bits), -64, 63), [b if (v >> i) & 1 else -b for i, b in enumerate(bits)]))
    total = c.sum([x for x, _ in xs])
    prod = c.mul_const(total, k)
    neg = c.neg(total)
    with Solver(name="cadical195", bootstrap_with=c.clauses) as s:
        assert s.solve(assumptions=[l for _, a in xs for l in a])
        true = set(s.get_model()) | {1}

        def val(bv):
            bits = [(b in true) if b > 0 else (-b not in true) for b in bv.bits]
            return sum(1 << i for i, b in enumerate(bits[:-1]) if b) - (bits[-1] << (len(bits) - 1))

        assert val(total) == sum(values)
        assert val(prod) == k * sum(values)
        assert val(neg) == -sum(values)


def test_unsupported_activation_is_refused():
    with pytest.raises(SpecError, match="act"):
        encode(NetworkSpec.parse("fc:2,1,1", "-1,0,1", "hardtanh", "01"))

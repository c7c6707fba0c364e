"""Brute-force enumeration: invariants, known-value tables, second methods."""

import collections
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

import enumerate.counting.brute as brute
from enumerate.core.forward import all_settings, index_to_params, labels, tables
from enumerate.core.reference import truth_table

from enumerate.testing import specs
import json
import numpy as np
import pytest
from enumerate import NetworkSpec, count_prior
from enumerate.counting.brute import _cuts, count_brute
from enumerate.counting.budget import BudgetError
from enumerate.counting.fast import count_fast


def numpy_histogram(spec):
    """The plain second method: evaluate every setting with the numpy forward pass."""
    counts = collections.Counter()
    for start in range(0, spec.total, 100_000):
        counts.update(tables(labels(spec, all_settings(spec, start, min(spec.total, start + 100_000)))))
    return dict(counts)


@settings(max_examples=60, deadline=None)
@given(specs())
def test_counts_sum_to_total(spec):
    prior = count_brute(spec, progress=False)
    assert prior.covered == prior.total == len(spec.q) ** spec.layout.num_weights * len(spec.scales) ** spec.layout.num_scales
    assert all(c > 0 for c in prior.counts.values())


@settings(max_examples=40, deadline=None)
@given(specs(max_settings=20_000), st.sampled_from([1, 2]), st.booleans())
def test_brute_equals_numpy_forward(spec, threads, force_hash):
    old = brute.DIRECT_BITS
    brute.DIRECT_BITS = -1 if force_hash else old
    try:
        prior = count_brute(spec, progress=False, threads=threads)
    finally:
        brute.DIRECT_BITS = old
    assert prior.counts == numpy_histogram(spec)


def _tiny_buffers(fn):
    """Run ``fn`` with the row-buffer path forced and buffers of a few rows: the combiner
    evicts and the buffer is sorted and merged many times per thread."""
    saved = brute.DIRECT_BITS, brute.BUFFER_BYTES, brute._combiner_rows
    brute.DIRECT_BITS, brute.BUFFER_BYTES, brute._combiner_rows = -1, 1, (lambda K: 16)
    try:
        return fn()
    finally:
        brute.DIRECT_BITS, brute.BUFFER_BYTES, brute._combiner_rows = saved


@settings(max_examples=40, deadline=None)
@given(specs(max_settings=20_000), st.sampled_from([1, 2]))
def test_sorted_buffers_with_many_flushes_equal_numpy_forward(spec, threads):
    prior = _tiny_buffers(lambda: count_brute(spec, progress=False, threads=threads))
    assert prior.counts == numpy_histogram(spec)


@pytest.mark.parametrize("domain, zero_label", [("01", "-1"), ("pm1", "+1"), ("01", "0")])
def test_128_points_in_two_and_four_key_words_equal_numpy_forward(domain, zero_label):
    spec = NetworkSpec.parse("fc:7,1", "-1,0,1", "sign", domain, zero_label=zero_label)
    want = numpy_histogram(spec)
    assert count_brute(spec, progress=False, threads=2).counts == want
    assert _tiny_buffers(lambda: count_brute(spec, progress=False, threads=1)).counts == want


@settings(max_examples=30, deadline=None)
@given(specs(max_settings=3**12), st.data())
def test_numpy_forward_equals_fraction_reference(spec, data):
    rows = data.draw(st.lists(st.integers(0, spec.total - 1), min_size=1, max_size=20))
    idx = np.vstack([all_settings(spec, r, r + 1) for r in rows])
    for row, table in zip(idx, tables(labels(spec, idx))):
        assert truth_table(spec, index_to_params(spec, row)) == table


# OEIS A000609: number of threshold functions of n or fewer variables
A000609 = {1: 4, 2: 14, 3: 104, 4: 1882}


@pytest.mark.parametrize("n,K", [(1, 1), (2, 2), (3, 3), (4, 5)])
def test_single_neuron_realizes_all_threshold_functions(n, K):
    prior = count_prior(NetworkSpec.parse(f"fc:{n},1", f"int:{K}", "sign", "01"), "brute", progress=False)
    assert prior.num_functions == A000609[n]


@pytest.mark.parametrize("n,K", [(2, 1), (3, 2), (4, 4)])
def test_single_neuron_below_the_needed_range_misses_some(n, K):
    prior = count_prior(NetworkSpec.parse(f"fc:{n},1", f"int:{K}", "sign", "01"), "brute", progress=False)
    assert prior.num_functions < A000609[n]


def test_threshold_functions_are_self_dual_under_negation():
    # the set of threshold functions is closed under complement: h realizable iff -h is
    prior = count_brute(NetworkSpec.parse("fc:3,1", "int:3", "sign", "01"), progress=False)
    flip = str.maketrans("+-", "-+")
    assert {t.translate(flip) for t in prior.counts} == set(prior.counts)


def _neg(table):
    return table.translate(str.maketrans("+-", "-+"))


@pytest.mark.parametrize("arch,act", [("fc:2,2,1", "sign"), ("fc:2,2,1", "hardtanh"), ("fc:2,1,2,1", "identity"),
                                      ("cnn:1x3/2k2s1/flat", "sign"), ("sfc:2,2,1", "sign")])
def test_negating_all_weights_maps_the_prior_to_itself(arch, act):
    # With an odd activation and symmetric Q, theta -> -theta (every weight and bias; scales
    # kept) negates f, so count(h) == count(-h) when the zero label is its own value ("0").
    spec = NetworkSpec.parse(arch, "-1,0,1", act, "pm1", "0")
    prior = count_brute(spec, progress=False)
    for t, c in prior.counts.items():
        assert prior.counts.get(t.translate(str.maketrans("+-", "-+")), 0) == c


@pytest.mark.parametrize("act", ["relu", "step", "leaky:1/3"])
def test_negating_the_readout_maps_the_prior_to_itself_for_any_activation(act):
    # f is linear in the readout (v, b): negating them negates f, whatever sigma is
    prior = count_brute(NetworkSpec.parse("fc:2,2,1", "-1,0,1", act, "01", "0"), progress=False)
    assert all(prior.counts.get(_neg(t), 0) == c for t, c in prior.counts.items())


def test_negation_symmetry_fails_for_an_asymmetric_q():
    # the check above can fail: with Q = {0,1,2} the prior favours "+" over "-"
    prior = count_brute(NetworkSpec.parse("fc:2,2,1", "0,1,2", "relu", "01", "0"), progress=False)
    assert any(prior.counts.get(_neg(t), 0) != c for t, c in prior.counts.items())


def permute_hidden(spec, idx, perms):
    """Index rows of the network whose hidden neurons of layer l are reordered by perms[l-1]."""
    lay, out = spec.layout, idx.copy()
    widths = spec.arch.widths
    full = [np.arange(widths[0])] + list(perms) + [np.arange(1)]
    for l in range(1, len(widths)):
        W = lay.group(f"W{l}")
        rows = idx[:, W.offset:W.offset + W.size].reshape(-1, *W.shape)
        out[:, W.offset:W.offset + W.size] = rows[:, full[l]][:, :, full[l - 1]].reshape(len(idx), -1)
        names = [f"b{l}"] + ([f"gamma{l}"] if spec.arch.scaled and l < len(widths) - 1 else [])
        for name in names:
            g = lay.group(name)
            out[:, g.offset:g.offset + g.size] = idx[:, g.offset:g.offset + g.size][:, full[l]]
    return out


@pytest.mark.parametrize("arch", ["fc:2,2,1", "sfc:2,3,1", "fc:1,2,3,1"])
def test_permuting_hidden_neurons_preserves_every_table(arch):
    spec = NetworkSpec.parse(arch, "-1,0,1", "relu", "01")
    rng = np.random.default_rng(1)
    idx = rng.integers(0, 3, size=(500, spec.num_params))
    perms = [rng.permutation(w) for w in spec.arch.widths[1:-1]]
    assert any((p != np.arange(len(p))).any() for p in perms)
    assert tables(labels(spec, idx)) == tables(labels(spec, permute_hidden(spec, idx, perms)))
    # and a wrong "permutation" (rows moved, outgoing weights not) does change tables
    broken = idx.copy()
    W = spec.layout.group("W1")
    rows = idx[:, W.offset:W.offset + W.size].reshape(-1, *W.shape)
    broken[:, W.offset:W.offset + W.size] = rows[:, ::-1].reshape(len(idx), -1)
    assert tables(labels(spec, idx)) != tables(labels(spec, broken))


@pytest.mark.parametrize("zl,expected", [("-1", "-"), ("+1", "+"), ("0", "0")])
@pytest.mark.parametrize("arch", ["fc:2,2,1", "scnn:1x3/2k2s1/sum"])
def test_all_zero_setting_gives_the_zero_label(arch, zl, expected):
    spec = NetworkSpec.parse(arch, "-1,0,1", "relu", "pm1", zl)
    zero = [0] * spec.num_params
    assert truth_table(spec, zero) == expected * len(spec.domain)
    assert count_brute(spec, progress=False).count(expected * len(spec.domain)) > 0


def test_budget_refuses_big_runs_and_names_the_size():
    spec = NetworkSpec.parse("fc:3,4,1", "-1,0,1", "sign", "01")
    with pytest.raises(BudgetError) as err:
        count_brute(spec, max_settings=10**6)
    assert "10,460,353,203" in str(err.value) and "pass force=True" in str(err.value)


def test_shards_merge_to_the_whole():
    spec = NetworkSpec.parse("fc:2,2,1", "-1,0,1", "sign", "01")
    whole = count_brute(spec, progress=False)
    steps = whole.meta["steps"][1]
    cuts = [0, 5, 1000, steps // 2, steps]
    parts = [count_brute(spec, progress=False, steps=(a, b)) for a, b in zip(cuts, cuts[1:])]
    merged = parts[0]
    for p in parts[1:]:
        merged = merged.merge(p)
    assert merged.counts == whole.counts


def test_interrupt_and_resume_from_checkpoint(tmp_path, monkeypatch):
    spec = NetworkSpec.parse("fc:2,2,1", "-1,0,1", "relu", "01")
    whole = count_brute(spec, progress=False)
    ckpt = tmp_path / "run.ckpt"
    calls = {"n": 0}
    original = brute.KernelProblem.run

    def flaky_run(self, state, a, b):
        calls["n"] += 1
        if calls["n"] == 3:
            original(self, state, a, b)  # the shard in flight still completes ...
            raise KeyboardInterrupt  # ... and then the user presses Ctrl-C
        return original(self, state, a, b)

    monkeypatch.setattr(brute.KernelProblem, "run", flaky_run)
    with pytest.raises(KeyboardInterrupt):
        count_brute(spec, progress=False, checkpoint=str(ckpt), threads=1)
    saved = json.loads(ckpt.read_text())
    assert 0 < saved["progress"]["next_step"] < whole.meta["steps"][1]
    assert sum(saved["counts"].values()) == saved["progress"]["next_step"] * len(spec.q)
    monkeypatch.setattr(brute.KernelProblem, "run", original)
    resumed = count_brute(spec, progress=False, checkpoint=str(ckpt), threads=2)
    assert resumed.counts == whole.counts
    assert not ckpt.exists()


def test_checkpoint_of_another_spec_is_refused(tmp_path):
    a = NetworkSpec.parse("fc:2,1", "-1,0,1", "sign", "01")
    b = NetworkSpec.parse("fc:2,1", "-1,0,1", "relu", "01")
    ckpt = tmp_path / "c.json"
    from enumerate.counting.checkpoint import save_checkpoint

    save_checkpoint(str(ckpt), brute.CHECKPOINT_SCHEMA, a, {"steps": [0, 9], "next_step": 0, "elapsed_s": 0.0}, {})
    with pytest.raises(brute.SpecError, match="checkpoint"):
        count_brute(b, progress=False, checkpoint=str(ckpt))


def test_large_domain_uses_hash_counters():
    # 7 inputs: 128 points, two words per table
    spec = NetworkSpec.parse("fc:7,1", "-1,0,1", "sign", "01")
    prior = count_brute(spec, progress=False)
    assert prior.covered == 3**8
    sample = list(itertools.islice(prior.counts.items(), 20))
    for table, _ in sample:
        assert len(table) == 128
    assert prior.counts == numpy_histogram(spec)


def test_progress_counts_small_totals_as_integers():
    import io

    from enumerate._support.progress import progress_bar

    bar = progress_bar(12, "shards", enabled=True, unit="shard")
    bar.fp = io.StringIO()
    bar.update(12)
    counts = str(bar).split("[")[0]  # "shards: 100%|...| 12/12 ": not the rate, which depends on the machine
    assert "12/12" in counts and "12.0" not in counts
    bar.close()
    big = progress_bar(10**9, "settings", enabled=True, unit="setting")
    big.update(10**9)
    assert "1.00G/1.00G" in str(big)
    big.close()


@pytest.mark.parametrize("lo,hi,parts", [(0, 2**60 + 3, 7), (2**61 - 5, 2**62 - 1, 3), (5, 5, 4), (0, 3, 8)])
def test_shard_cuts_are_exact_integers(lo, hi, parts):
    cuts = _cuts(lo, hi, parts)
    assert cuts[0] == lo and cuts[-1] == hi and all(isinstance(c, int) for c in cuts)
    sizes = [b - a for a, b in zip(cuts, cuts[1:])]
    assert min(sizes) >= 0 and max(sizes) - min(sizes) <= 1 and sum(sizes) == hi - lo


def test_float_cuts_would_have_shifted():
    """The check above can fail: the float cuts it replaced lose the last steps above 2^53."""
    lo, hi = 0, 2**60 + 3
    float_cuts = np.linspace(lo, hi, 8).astype(np.int64).tolist()
    assert float_cuts[-1] != hi and _cuts(lo, hi, 7)[-1] == hi


def test_progress_units_are_words_and_resume_counts_from_initial(monkeypatch):
    import enumerate.counting.brute as brute
    import enumerate.counting.fast as fast

    seen = []

    def spy(total, desc, enabled=None, unit="it", initial=0):
        seen.append((unit, initial))
        from enumerate._support.progress import _Silent

        return _Silent()

    monkeypatch.setattr(brute, "progress_bar", spy)
    monkeypatch.setattr(fast, "progress_bar", spy)
    count_brute(NetworkSpec.parse("fc:2,1", "-1,0,1"), progress=False)
    count_fast(NetworkSpec.parse("fc:2,2,1", "-1,0,1"), progress=False)
    assert [u for u, _ in seen] == ["setting", "multiset"]

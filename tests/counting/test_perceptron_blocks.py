"""The perceptron class counter cut into blocks of sorted weight vectors: the ranking of
the enumeration, the closed formula for the settings a block covers, and threads.

Second methods: the blocks are checked against ``itertools.combinations_with_replacement``
(the enumeration order) and a direct sum over weight vectors (the settings formula); the
threaded counter against the one-thread run, against brute force and against partials of
random block ranges merged in random order.
"""

import itertools
import math
import os
import signal
import threading
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enumerate import NetworkSpec, count_prior
from enumerate.counting.brute import count_brute
from enumerate.counting.perceptron import block_plan, class_prior, count_classes, count_range
from enumerate.counting.sorted_vectors import block_settings, num_vectors, settings_before, unrank
from enumerate.results.table_store import TableStore


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 6), st.integers(1, 4))
def test_unrank_lists_the_multisets_in_the_counters_order(K, d):
    order = list(itertools.combinations_with_replacement(range(K), d))
    assert num_vectors(K, d) == len(order)
    assert [tuple(unrank(r, K, d)) for r in range(len(order))] == order
    with pytest.raises(ValueError):
        unrank(len(order), K, d)


def _weight(seq, weights, d):
    m = Counter(seq)
    out = math.factorial(d)
    for u, k in m.items():
        out = out // math.factorial(k) * weights[u] ** k
    return out


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 3), min_size=1, max_size=5), st.integers(1, 4), st.data())
def test_settings_before_is_the_direct_sum_over_weight_vectors(weights, d, data):
    K = len(weights)
    order = list(itertools.combinations_with_replacement(range(K), d))
    r = data.draw(st.integers(0, len(order)))
    # the direct sum: every weight vector (not only sorted ones), with prod weights[u] signs
    direct = sum(math.prod(weights[u] for u in w) for w in itertools.product(range(K), repeat=d)
                 if tuple(sorted(w)) < order[r] or r == len(order)) if r < len(order) else sum(weights) ** d
    assert settings_before(r, weights, d) == direct
    assert settings_before(r, weights, d) == sum(_weight(s, weights, d) for s in order[:r])


def test_block_settings_add_up_to_the_total_and_notice_a_wrong_range():
    spec = NetworkSpec.parse("fc:4,1", "-1,-1/3,1/3,1", "sign", "01")
    plan = block_plan(spec, blocks=7)
    bounds = [plan.bounds(i) for i in range(plan.shards)]
    covered = block_settings(bounds, [1] * 4, 4, 4)
    assert sum(covered) == spec.total
    # each block's settings are what counting the block covers
    assert covered == [count_range(spec, a, b).covered() for a, b in bounds]
    assert block_settings([(0, 3)], [1] * 4, 4, 4) != block_settings([(0, 4)], [1] * 4, 4, 4)


SPECS = [("fc:4,1", "-1,-1/3,1/3,1", "01", "-1"), ("fc:3,1", "-2,-1,0,1/2,1", "pm1", "0"),
         ("fc:5,1", "-1,0,1", "pm1", "-1"), ("fc:4,1", "-1,-1/2,0,1", "01", "+1"),
         ("fc:3,1", "-1/2,0,1/2,3/2", "01", "0")]


def _same(a, b):
    return (np.array_equal(a.tables, b.tables) and np.array_equal(a.sizes, b.sizes)
            and np.array_equal(a.counts_by_class, b.counts_by_class))


@pytest.mark.parametrize("arch,q,domain,zl", SPECS)
def test_threads_and_blocks_change_nothing_and_equal_brute_force(arch, q, domain, zl):
    spec = NetworkSpec.parse(arch, q, "sign", domain, zl)
    one = count_classes(spec, threads=1, blocks=1)
    assert one.meta["threads"] == 1 and one.meta["blocks"] == 1
    for threads, blocks in ((2, None), (2, 13), (3, 5)):
        many = count_classes(spec, threads=threads, blocks=blocks)
        assert many.meta["threads"] == threads and _same(one, many)
    assert one.expand().counts == count_brute(spec, progress=False).counts


@settings(max_examples=15, deadline=None)
@given(st.sampled_from(SPECS), st.randoms(use_true_random=False))
def test_partials_of_any_ranges_merge_in_any_order_to_the_whole(case, rnd):
    arch, q, domain, zl = case
    spec = NetworkSpec.parse(arch, q, "sign", domain, zl)
    total = block_plan(spec, blocks=1).total_steps
    cuts = sorted({0, total, *(rnd.randrange(total + 1) for _ in range(rnd.randrange(6)))})
    parts = [count_range(spec, a, b) for a, b in zip(cuts[:-1], cuts[1:])]
    rnd.shuffle(parts)
    merged = TableStore.empty(len(spec.domain), zl)
    for part in parts:
        merged = merged.merge(part)
    assert _same(class_prior(spec, merged), count_classes(spec, threads=1))
    # a partial counted twice is refused
    with pytest.raises(AssertionError, match="covered"):
        class_prior(spec, merged.merge(parts[0]))


def test_a_bad_number_of_blocks_is_refused():
    from enumerate import SpecError

    with pytest.raises(SpecError, match="blocks"):
        block_plan(NetworkSpec.parse("fc:3,1", "-1,0,1"), blocks=0)


def test_ctrl_c_stops_a_threaded_count_after_the_blocks_in_flight(monkeypatch):
    # the block kernel cannot finish until released; Ctrl-C comes once a block has started
    import enumerate.counting.perceptron as perceptron

    started, release = threading.Event(), threading.Event()
    real = perceptron._count_block

    def blocked(*args):
        started.set()
        release.wait(300)  # a hang guard, not a timing check
        return real(*args)

    monkeypatch.setattr(perceptron, "_count_block", blocked)

    def interrupt_once_started():
        started.wait(300)
        os.kill(os.getpid(), signal.SIGINT)

    waiter = threading.Thread(target=interrupt_once_started)
    waiter.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            count_classes(NetworkSpec.parse("fc:3,1", "-1,0,1", "sign", "01"), threads=2)
        assert not release.is_set()  # the count returned while its blocks were still running
    finally:
        release.set()
        waiter.join()
    assert started.is_set()


@pytest.mark.parametrize("d,dom", [(6, "01"), (6, "pm1")])
def test_two_plane_tables_of_a_whole_word_equal_brute_force(d, dom):
    # zero-label 0 keeps two planes of one 64-bit word each: the maps must be two words wide, not three
    spec = NetworkSpec.parse(f"fc:{d},1", "-1,0,1", "sign", dom, "0")
    assert count_classes(spec, threads=2, progress=False) == count_prior(spec, "brute", progress=False)

"""The one hash map of the kernels (enumerate._support.hashmap) against a Python dict."""

from collections import Counter

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from enumerate._support import hashmap

# keys of 1-3 words from a small alphabet of words, so that keys repeat and collide
WORDS = st.sampled_from([1, 2, 3, 2**32, 2**63, 2**64 - 1, 0x9E3779B97F4A7C15])


@st.composite
def insertions(draw):
    W = draw(st.integers(1, 3))
    pairs = draw(st.lists(st.tuples(st.tuples(*[WORDS] * W), st.integers(1, 2**40)), max_size=60))
    return W, pairs


def as_dict(tab, W):
    return dict(zip(map(tuple, hashmap.keys(tab, W).tolist()), hashmap.counts(tab, W).tolist()))


@settings(max_examples=60, deadline=None)
@given(insertions())
def test_insert_counts_every_key_like_a_counter(case):
    W, pairs = case
    want = Counter()
    tab, n = np.zeros((4, W + 1), np.uint64), 0
    for key, c in pairs:
        want[key] += c
        tab, n = hashmap.insert(tab, n, np.array(key, np.uint64), W, c)
    assert as_dict(tab, W) == dict(want)
    assert n == hashmap.size(tab, W) == len(want)
    assert 2 * n < tab.shape[0] or tab.shape[0] == 4   # grown before half full
    for key, c in want.items():                       # slot finds every entry again
        assert tab[hashmap.slot(tab, np.array(key, np.uint64), W), W] == c


@settings(max_examples=30, deadline=None)
@given(insertions())
def test_a_map_with_zero_values_keeps_its_entries_through_grow(case):
    # occupancy in column 0 (first key words never 0), values that may be 0: the teacher
    # counter's residue maps
    W, pairs = case
    tab = np.zeros((128, W + 1), np.uint64)
    want = {}
    for key, c in pairs:
        k = np.array(key, np.uint64)
        i = hashmap.probe(tab, k, W, 0, hashmap.home(k, W, tab.shape[0]))
        tab[i, :W] = k
        tab[i, W] = (int(tab[i, W]) + c) % 7
        want[key] = (want.get(key, 0) + c) % 7
    grown = hashmap.grow(tab, W, 0)
    for t in (tab, grown):
        got = {tuple(r[:W].tolist()): int(r[W]) for r in t if r[0] != 0}
        assert got == want
        for key, v in want.items():
            k = np.array(key, np.uint64)
            assert t[hashmap.probe(t, k, W, 0, hashmap.home(k, W, t.shape[0])), W] == v


def test_a_wrong_home_row_loses_the_entry():
    # the checks above would catch a map that probes from the wrong row
    tab = np.zeros((8, 2), np.uint64)
    k = np.array([5], np.uint64)
    hashmap.add(tab, k, 1, 3)
    i = hashmap.home(k, 1, 8)
    wrong = (i + 4) % 8
    assert tab[hashmap.probe(tab, k, 1, 1, i), 1] == 3
    assert tab[hashmap.probe(tab, k, 1, 1, wrong), 1] == 0


def test_home_spreads_keys_packed_from_small_integers():
    # 4096 keys i | j << 32 into 8192 rows: a weak mix would pile them on few rows
    keys = [np.array([i | (j << 32)], np.uint64) for i in range(64) for j in range(64)]
    rows = {hashmap.home(k, 1, 8192) for k in keys}
    assert len(rows) > 0.75 * (1 - np.exp(-0.5)) * 8192

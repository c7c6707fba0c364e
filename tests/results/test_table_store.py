"""The columnar store against plain dicts of table strings (the model it replaces)."""

from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enumerate.core.cube import pack_tables
from enumerate.results import _store_kernels as K
from enumerate.results.table_store import TableStore, pack_one


@st.composite
def dicts(draw, big=None):
    zl = draw(st.sampled_from(["-1", "0"]))
    n = draw(st.sampled_from([1, 2, 3, 5, 63, 64, 65, 70, 128, 130]))
    chars = "+-0" if zl == "0" else "+-"
    tables = draw(st.lists(st.text(chars, min_size=n, max_size=n), max_size=30, unique=True))
    hi = 2**80 if (big if big is not None else draw(st.booleans())) else 2**40
    counts = draw(st.lists(st.integers(1, hi), min_size=len(tables), max_size=len(tables)))
    return zl, n, dict(zip(tables, counts))


@settings(max_examples=80, deadline=None)
@given(dicts(), st.data())
def test_store_answers_as_the_dict(case, data):
    zl, n, d = case
    s = TableStore.from_dict(d, n, zl)
    assert list(s.to_dict().items()) == sorted(d.items())  # table order = string order
    assert s.covered() == sum(d.values()) and len(s) == len(d)
    chars = "+-0" if zl == "0" else "+-"
    probe = data.draw(st.text(chars, min_size=n, max_size=n))
    assert s.count(probe) == d.get(probe, 0)
    assert all(s.count(t) == c for t, c in d.items())
    ranked = sorted(d.items(), key=lambda kv: (-kv[1], kv[0]))
    k = data.draw(st.integers(0, len(d) + 1))
    assert [(s.table(i), int(s.counts[i])) for i in s.top(k)] == ranked[:k]
    assert s.spectrum() == dict(sorted(Counter(d.values()).items(), reverse=True))
    assert list(s.rank_frequency()) == sorted(d.values(), reverse=True)


@settings(max_examples=60, deadline=None)
@given(dicts(), st.data())
def test_merge_and_edit_agree_with_dicts(case, data):
    zl, n, a = case
    chars = "+-0" if zl == "0" else "+-"
    b = data.draw(st.dictionaries(st.text(chars, min_size=n, max_size=n), st.integers(1, 2**62), max_size=20))
    want = dict(a)
    for t, c in b.items():
        want[t] = want.get(t, 0) + c
    merged = TableStore.from_dict(a, n, zl).merge(TableStore.from_dict(b, n, zl))
    assert merged.to_dict() == dict(sorted(want.items())) and merged == TableStore.from_dict(want, n, zl)
    t = data.draw(st.text(chars, min_size=n, max_size=n))
    v = data.draw(st.integers(0, 2**64))
    edited = merged.with_count(t, v)
    want[t] = v
    assert edited.to_dict() == {k: c for k, c in sorted(want.items()) if c}


@settings(max_examples=60, deadline=None)
@given(dicts(big=False))
def test_sort_keys_and_compare_follow_string_order(case):
    zl, n, d = case
    tables = list(d)
    packed = pack_tables(tables, zl) if tables else np.zeros((0, 1, 1), np.uint64)
    keys = K.sort_keys(packed)
    by_keys = [tables[i] for i in np.lexsort(keys.T[::-1])] if tables else []
    assert by_keys == sorted(tables)
    assert (K.lex_argsort(keys) == np.lexsort(keys.T[::-1])).all()  # the radix sort against numpy's
    for i in range(len(tables) - 1):
        a, b = tables[i], tables[i + 1]
        assert K.compare(packed[i], packed[i + 1]) == (a > b) - (a < b)
        assert (pack_one(a, n, packed.shape[1]) == packed[i]).all()


@settings(max_examples=60, deadline=None)
@given(dicts(big=False), st.data())
def test_row_sort_of_keys_with_repeats_agrees_with_sorted_and_round_trips(case, data):
    zl, n, d = case
    tables = list(d)
    repeats = data.draw(st.lists(st.sampled_from(tables), max_size=40)) if tables else []
    strings = data.draw(st.permutations(tables + repeats))
    counts = data.draw(st.lists(st.integers(1, 2**40), min_size=len(strings), max_size=len(strings)))
    want = {}
    for t, c in zip(strings, counts):
        want[t] = want.get(t, 0) + c
    P = 2 if zl == "0" else 1
    packed = pack_tables(strings, zl) if strings else np.zeros((0, P, (n + 63) // 64), np.uint64)
    keys = K.sort_keys(packed)
    rows = np.concatenate([keys, np.array(counts, np.uint64).reshape(-1, 1)], axis=1)
    K.sort_rows(rows, len(rows), keys.shape[1])  # the in-place radix sort against numpy's lexsort
    assert (rows[:, :-1] == keys[np.lexsort(keys.T[::-1])]).all()
    m = K.rle_rows(rows, len(rows), keys.shape[1])
    got, got_counts = K.tables_of_keys(rows, m, n, P)
    assert list(zip(TableStore(got, got_counts, n).strings(), got_counts.tolist())) == sorted(want.items())
    back, _ = K.tables_of_keys(np.concatenate([keys, np.ones((len(keys), 1), np.uint64)], axis=1), len(keys), n, P)
    assert (back == packed).all()  # tables_of_keys inverts sort_keys
    if m:
        rows[0, -1] += np.uint64(1)  # and the check sees a count off by one
        assert K.tables_of_keys(rows, m, n, P)[1].tolist() != [c for _, c in sorted(want.items())]


@settings(max_examples=60, deadline=None)
@given(dicts(big=False), st.data())
def test_merge_of_sorted_key_rows_adds_counts_like_dicts(case, data):
    zl, n, a = case
    chars = "+-0" if zl == "0" else "+-"
    b = dict.fromkeys(data.draw(st.lists(st.text(chars, min_size=n, max_size=n), max_size=30, unique=True)), 3)
    shared = data.draw(st.lists(st.sampled_from(sorted(a)), max_size=5, unique=True)) if a else []
    b.update(dict.fromkeys(shared, 7))  # tables in both: their counts add
    P = 2 if zl == "0" else 1

    def rows(d):  # sorted key rows with a count column, as the brute-force buffers hold them
        strings = sorted(d)
        packed = pack_tables(strings, zl) if strings else np.zeros((0, P, (n + 63) // 64), np.uint64)
        keys = K.sort_keys(packed)
        r = np.concatenate([keys, np.array([d[t] for t in strings], np.uint64).reshape(-1, 1)], axis=1)
        return r[np.lexsort(keys.T[::-1])]

    ra, rb = rows(a), rows(b)
    k = ra.shape[1] - 1
    want = dict(a)
    for t, c in b.items():
        want[t] = want.get(t, 0) + c
    for x, y in ((ra, rb), (rb, ra)):  # in either order
        merged = K.merge_rows(x, y, k)
        got, counts = K.tables_of_keys(merged, len(merged), n, P)
        assert list(zip(TableStore(got, counts, n).strings(), counts.tolist())) == sorted(want.items())
    if set(a) & set(b):  # a merge that kept both copies of a shared table would be caught by the length
        assert len(K.merge_rows(ra, rb, k)) == len(want) < len(ra) + len(rb)


@settings(max_examples=60, deadline=None)
@given(dicts(big=False), st.integers(1, 20), st.data())
def test_prefix_index_lookups_agree_with_the_dict(case, bits, data):
    zl, n, d = case
    if not d:
        return
    store = TableStore.from_dict(d, n, zl)
    start, L = K.prefix_index(store.tables, bits)
    B = len(start) - 1
    assert B & (B - 1) == 0 and B <= 2**bits and start[0] == 0 and start[-1] == len(d) and (np.diff(start) >= 0).all()
    store._index = (start, B.bit_length() - 1, L)  # this many bits, whatever the size
    chars = "+-0" if zl == "0" else "+-"
    probes = data.draw(st.lists(st.text(chars, min_size=n, max_size=n), max_size=10))
    for t in list(d) + probes:
        assert store.count(t) == d.get(t, 0)
    assert store.find("x" * n) == -2 and store.find("+" * (n + 1)) == -2


def test_repeated_tables_add_and_a_changed_count_is_unequal():
    s = TableStore.from_unsorted(pack_tables(["+-", "-+", "+-"], "-1"), np.array([1, 2, 3]), 2)
    assert s.to_dict() == {"+-": 4, "-+": 2}
    assert s != s.with_count("+-", 5) and s == s.with_count("+-", 4)
    assert s != TableStore.from_dict({"+-": 4, "--": 2}, 2, "-1")  # same counts, other table


def test_counts_past_two_to_the_63_stay_exact():
    s = TableStore.from_dict({"+": 2**63, "-": 2**100 + 1}, 1, "-1")
    assert s.exact and s.covered() == 2**63 + 2**100 + 1 and s.count("-") == 2**100 + 1
    m = s.merge(TableStore.from_dict({"+": 2**63}, 1, "-1"))
    assert m.count("+") == 2**64
    assert TableStore.from_dict({"+": 2**62}, 1, "-1").merge(TableStore.from_dict({"+": 2**62}, 1, "-1")).count("+") == 2**63


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 4), st.sampled_from(["01", "pm1"]), st.booleans(), st.booleans(), st.data())
def test_orbit_passes_agree_with_the_listed_group(d, kind, flips, three, data):
    """The numba class pass and expansion against CubeGroup's element-by-element orbits."""
    from enumerate.core.cube import CubeGroup
    from enumerate.results.orbits import class_rows, expand_store

    group = CubeGroup(d, kind, flips)
    chars = "+-0" if three else "+-"
    seeds = data.draw(st.lists(st.text(chars, min_size=2**d, max_size=2**d), min_size=1, max_size=6))
    counts = {}
    for i, t in enumerate(seeds):
        orbit = group.orbit(t)
        if orbit[0] not in counts:  # orbits are disjoint or equal
            counts.update((u, i + 1) for u in orbit)
    store = TableStore.from_dict(counts, 2**d, "0" if three else "-1")
    rows, sizes = class_rows(store, group)
    reps = [store.table(r) for r in rows]
    assert sorted(reps) == sorted({group.canonical(t) for t in counts})
    assert [len(group.orbit(r)) for r in reps] == sizes.tolist()
    classes = TableStore(store.tables[rows], store.counts[rows], store.n, sizes)
    assert expand_store(classes, group) == store
    big = [r for r, s in zip(reps, sizes.tolist()) if s > 1]
    if big:  # one table of an orbit with another count: not invariant, refused
        with pytest.raises(ValueError, match="not invariant"):
            class_rows(store.with_count(group.orbit(big[0])[-1], counts[big[0]] + 1), group)

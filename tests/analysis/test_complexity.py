"""Complexity measures against hand-worked strings."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from enumerate.analysis.complexity import average_sensitivity, lz_complexities, lz_complexity, lz_phrases, ones
from enumerate.core.cube import CubeGroup


@pytest.mark.parametrize("s,c", [
    ("0", 1), ("01", 2), ("0000", 2),        # 0 . 000
    ("1100", 3),                             # 1 . 10 . 0
    ("0101010101", 3),                       # 0 . 1 . 01010101 (a copy may overlap itself)
    ("0001101001000101", 6),                 # 0 . 001 . 10 . 100 . 1000 . 101 (an LZ78 parse has 7)
])
def test_lz76_phrase_counts_by_hand(s, c):
    assert lz_phrases(s) == c


def test_lz_complexity_convention():
    n = 16
    assert lz_complexity("+" * n) == lz_complexity("-" * n) == math.log2(n)       # constant tables
    x = "+-+++--+-+---+--"
    expected = math.log2(n) * (lz_phrases(x) + lz_phrases(x[::-1])) / 2
    assert lz_complexity(x) == expected == lz_complexity(x[::-1])
    assert lz_complexity("++--") == 2 * (3 + 3) / 2  # ++-- : + . +- . -  and its reverse alike
    assert lz_complexities(["++--", "+" * 4]).tolist() == [6.0, 2.0]


@given(st.text(alphabet="+-", min_size=2, max_size=64))
def test_batch_equals_single(x):
    assert lz_complexities([x])[0] == lz_complexity(x)
    # the two symbols play the same role
    assert lz_complexity(x) == lz_complexity(x.translate(str.maketrans("+-", "-+")))


def test_ones_and_average_sensitivity_by_hand():
    assert ones("+--+") == 2 and ones("----") == 0
    assert average_sensitivity("---+") == 1.0            # AND: 0 + 1 + 1 + 2 over 4 points
    assert average_sensitivity("-++-") == 2.0            # parity of 2 inputs: every flip counts
    assert average_sensitivity("---+-+++") == 1.5        # majority of 3
    assert average_sensitivity("--++") == 1.0            # dictator x0
    assert average_sensitivity("++++") == 0.0
    with pytest.raises(ValueError):
        average_sensitivity("+-+")


@given(st.text(alphabet="+-", min_size=8, max_size=8))
def test_invariants_under_input_permutations(x):
    orbit = CubeGroup(3, "01").orbit(x)
    assert {ones(t) for t in orbit} == {ones(x)}
    assert {average_sensitivity(t) for t in orbit} == {average_sensitivity(x)}


def test_lz_is_not_a_class_invariant():
    # x0 AND NOT x1 vs x1 AND NOT x0 on 2 inputs: the same class, different strings
    orbit = CubeGroup(3, "01").orbit("-+------")
    assert len({lz_complexity(t) for t in orbit}) > 1

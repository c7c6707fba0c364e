"""The perceptron kernel's table look-ups: the half-split key layout and the word-aligned
halves (d >= 7, one or more words per half) that the small hypothesis specs never reach.

Second methods: :func:`standard_keys` against a bit-by-bit permutation written from its
definition (bit ``x * h + j`` of a plane is point ``2 j + x``); the class counter on
fc:7,1 and fc:8,1 against brute force, table by table, on both cubes and every zero label.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enumerate import NetworkSpec
from enumerate.counting.brute import count_brute
from enumerate.counting.kernels.perceptron import standard_keys
from enumerate.counting.perceptron import count_classes


def _reference(keys, d, P):
    n, nw, h = 1 << d, ((1 << d) + 63) // 64, 1 << (d - 1)
    out = np.zeros_like(keys)
    for r in range(keys.shape[0]):
        for pl in range(P):
            for q in range(n):  # bit q of the half-split plane is point 2 (q mod h) + q // h
                if (int(keys[r, pl * nw + q // 64]) >> (q % 64)) & 1:
                    p = 2 * (q % h) + q // h
                    out[r, pl * nw + p // 64] |= np.uint64(1) << np.uint64(p % 64)
    return out


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 9), st.integers(1, 2), st.integers(1, 4), st.data())
def test_standard_keys_is_the_half_split_permutation(d, P, rows, data):
    n, nw = 1 << d, ((1 << d) + 63) // 64
    words = [data.draw(st.integers(0, 2**min(n, 64) - 1)) for _ in range(rows * P * nw)]
    keys = np.array(words, np.uint64).reshape(rows, P * nw)
    expected = _reference(keys, d, P)
    assert np.array_equal(standard_keys(keys.copy(), d, P), expected)


def test_a_wrong_permutation_is_noticed():
    keys = np.array([[1 << 1, 0]], np.uint64)  # d = 7: half 0, j = 1 is point 2
    assert standard_keys(keys.copy(), 7, 1).tolist() == [[1 << 2, 0]]
    assert not np.array_equal(standard_keys(keys.copy(), 7, 1), keys)


CASES = [(a, q, dom, zl) for a, q in [("fc:7,1", "-1,0,1"), ("fc:8,1", "-1,0,1"), ("fc:7,1", "-1,1/2,1")]
         for dom in ("01", "pm1") for zl in ("-1", "+1", "0")
         if (a, dom, zl) != ("fc:8,1", "pm1", "0")]  # its orbit search (2^8 8! maps) is refused


@pytest.mark.parametrize("arch,q,domain,zl", CASES)
def test_word_aligned_halves_equal_brute_force(arch, q, domain, zl):
    spec = NetworkSpec.parse(arch, q, "sign", domain, zl)
    brute = count_brute(spec, progress=False)
    classes = count_classes(spec, threads=2, blocks=3)
    assert classes.expand().counts == brute.counts
    assert classes.covered == spec.total

"""The enumeration of the perceptron class counter, cut into blocks: ranks of sorted weight vectors.

The class counter (:mod:`enumerate.counting.perceptron`) visits every multiset of ``d``
weights, written as a nondecreasing sequence of ``d`` indices into ``K`` values, in
lexicographic order. This module numbers those sequences: :func:`num_vectors` of them,
:func:`unrank` gives the sequence of a rank, so a block of the enumeration is a rank range
``[start, stop)`` that any worker can start at. :func:`settings_before` counts, by a closed
formula (the multinomial theorem), the parameter settings that the sequences of rank below
``r`` stand for, so the settings a set of finished blocks covers are known without running
them: the invariant that a checkpoint of finished blocks must hold.

A sequence with value counts ``m_u`` stands for ``d! / prod m_u!`` weight vectors, times
``prod c_u^(m_u)`` (``c_u = 2`` for a nonzero value when input flips are a symmetry, else
1), times the number of biases.

>>> num_vectors(3, 2), [unrank(r, 3, 2) for r in range(6)]
(6, [[0, 0], [0, 1], [0, 2], [1, 1], [1, 2], [2, 2]])
>>> [settings_before(r, [1, 1, 1], 2) for r in range(7)]   # weights 1 + 2 + 2 + 1 + 2 + 1
[0, 1, 3, 5, 6, 8, 9]
"""

from __future__ import annotations

from math import comb, factorial

__all__ = ["num_vectors", "unrank", "settings_before", "block_settings"]


def num_vectors(K, d) -> int:
    """The number of nondecreasing sequences of ``d`` indices into ``K`` values: C(K + d - 1, d).

    >>> num_vectors(32, 7)
    12620256
    """
    return comb(K + d - 1, d)


def _tails(K, v, length) -> int:
    """Nondecreasing sequences of ``length`` indices in ``[v, K)``."""
    return comb(K - v + length - 1, length)


def unrank(r, K, d) -> list:
    """The nondecreasing index sequence of rank ``r`` (0-based, lexicographic order).

    >>> unrank(0, 4, 3), unrank(num_vectors(4, 3) - 1, 4, 3)
    ([0, 0, 0], [3, 3, 3])
    """
    if not 0 <= r < num_vectors(K, d):
        raise ValueError(f"rank {r} is not in 0..{num_vectors(K, d) - 1}")
    out, v = [], 0
    for k in range(d):
        rest = d - k - 1
        while True:
            n = _tails(K, v, rest)
            if r < n:
                break
            r -= n
            v += 1
        out.append(v)
    return out


def settings_before(r, weights, d) -> int:
    """The weighted number of sequences of rank below ``r``: each sequence with value
    counts ``m_u`` weighs ``d! / prod m_u! * prod weights[u]^(m_u)`` (``weights[u]`` = the
    signs value ``u`` stands for: 1, or 2 under input flips). Multiply by the number of
    biases for parameter settings. ``settings_before(num_vectors(K, d), ...)`` is
    ``sum(weights) ** d``.

    >>> settings_before(num_vectors(3, 4), [1, 2, 2], 4) == 5 ** 4
    True
    """
    K = len(weights)
    total = num_vectors(K, d)
    if not 0 <= r <= total:
        raise ValueError(f"rank {r} is not in 0..{total}")
    if r == total:
        return sum(weights) ** d
    target = unrank(r, K, d)
    # the sequences below ``target`` are, for each position k and each value v in
    # [target[k-1], target[k]), those that agree with target[:k], put v at k, and continue freely
    fixed = {}  # value counts of target[:k]
    out = 0
    lo = 0
    for k in range(d):
        rest = d - k - 1
        for v in range(lo, target[k]):
            c_prefix, denom = 1, 1
            for u, m in fixed.items():
                if u != v:
                    c_prefix *= weights[u] ** m
                    denom *= factorial(m)
            p = fixed.get(v, 0) + 1  # copies of v so far, with position k
            above = sum(weights[v + 1:])
            # sum over s more copies of v in the tail: d! / (denom (p+s)! (rest-s)!) w_v^(p+s) above^(rest-s)
            for s in range(rest + 1):
                out += (factorial(d) // (denom * factorial(p + s) * factorial(rest - s))
                        * c_prefix * weights[v] ** (p + s) * above ** (rest - s))
        fixed[target[k]] = fixed.get(target[k], 0) + 1
        lo = target[k]
    return out


def block_settings(bounds, weights, d, biases) -> list:
    """The parameter settings each rank range ``(start, stop)`` of ``bounds`` stands for.

    >>> block_settings([(0, 2), (2, 6)], [1, 1, 1], 2, 3)
    [9, 18]
    """
    cache = {}

    def before(r):
        if r not in cache:
            cache[r] = settings_before(r, weights, d)
        return cache[r]

    return [(before(b) - before(a)) * biases for a, b in bounds]

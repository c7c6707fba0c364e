"""Exact counts of the union of all embedding events, by counting (not by the formula).

Every embedding event (:func:`proofs.embedding.embedding_event`) is a *cylinder*: a
partial assignment of the student's parameters, the rest free. :func:`union_count`
counts the settings in a union of cylinders exactly by branching on one constrained
parameter at a time (each value some event requires, plus all the other values at
once), memoized on the remaining family of events. :func:`union_count_brute` counts the
same union by testing every parameter setting (tiny specs only) -- the second method.

For an irreducible teacher the union has exactly prod_l d_l!/(d_l - d*_l)! / |Aut|
* Q^(P-K) settings (distinct events are equal or disjoint); for a reducible one events
with different images can overlap, and the count falls below that formula.

>>> from enumerate import NetworkSpec
>>> s, t = NetworkSpec.parse("fc:2,3,1", "-1,0,1"), NetworkSpec.parse("fc:2,2,1", "-1,0,1")
>>> union_size(s, t, [1, 1, 1, 1, 0, 0, 1, 1, 0])    # two equal neurons: |Aut| = 2
81
>>> 6 // 2 * 3 ** (13 - 10)          # the formula: 6 embeddings / |Aut|, K_FC = 10, P = 13
81
>>> union_size(s, t, [1, 1, 1, 1, 0, 0, 1, 0, 0])    # reducible (2nd neuron silent): overlaps
159
>>> 6 // 1 * 3 ** (13 - 10)                           # the formula would say (|Aut| = 1)
162
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from .embedding import embedding_event, embeddings, require_zero

__all__ = ["embedding_events", "union_count", "union_size", "union_count_brute", "union_tables", "radices"]


def radices(spec) -> tuple:
    """Number of values of each parameter (|Q|, or |Q_s| for scales), canonical order."""
    nq, ng = len(spec.q), len(spec.scales)
    return tuple(ng if sc else nq for sc in spec.layout.scale_mask())


def embedding_events(student, teacher, teacher_params) -> list:
    """The distinct embedding events, each a frozenset of (position, value index)."""
    require_zero(student)
    seen = {}
    for pi in embeddings(student.arch, teacher.arch):
        ev = frozenset(embedding_event(student, teacher, teacher_params, pi).items())
        seen.setdefault(ev, None)
    return list(seen)


def union_count(events, radix) -> int:
    """Exact number of full assignments (parameter i takes ``radix[i]`` values) that
    satisfy at least one of the partial assignments ``events``.

    >>> union_count([{0: 0}, {1: 0}], (3, 3, 3))   # 27 - 2 * 2 * 3
    15
    """
    fam = frozenset(frozenset(e.items()) if isinstance(e, dict) else frozenset(e) for e in events)

    def vars_of(f):
        return frozenset(p for e in f for p, _ in e)

    def prod(vs):
        return math.prod(radix[p] for p in vs)

    @lru_cache(maxsize=None)
    def count(f):  # assignments of vars_of(f) satisfying some event of f
        if not f:
            return 0
        V = vars_of(f)
        if frozenset() in f:
            return prod(V)
        freq = {}
        for e in f:
            for p, _ in e:
                freq[p] = freq.get(p, 0) + 1
        v = max(freq, key=lambda p: (freq[p], -p))
        rest = V - {v}
        values = {}
        none = []
        for e in f:
            x = dict(e).get(v)
            if x is None:
                none.append(e)
            else:
                values.setdefault(x, []).append(e - {(v, x)})
        total = 0
        for x, evs in values.items():
            sub = frozenset(evs) | frozenset(none)
            total += count(sub) * prod(rest - vars_of(sub))
        others = radix[v] - len(values)
        if others and none:
            sub = frozenset(none)
            total += others * count(sub) * prod(rest - vars_of(sub))
        return total

    return count(fam) * prod(frozenset(range(len(radix))) - vars_of(fam))


def union_size(student, teacher, teacher_params) -> int:
    """Settings of the student inside the union of all embedding events (exact)."""
    return union_count(embedding_events(student, teacher, teacher_params), radices(student))


def _union_mask(rows, events):
    mask = np.zeros(len(rows), dtype=bool)
    for ev in events:
        m = np.ones(len(rows), dtype=bool)
        for p, x in ev:
            m &= rows[:, p] == x
        mask |= m
    return mask


def union_count_brute(student, events, batch=1 << 18) -> int:
    """The union's size by testing every parameter setting (tiny students only).

    >>> from enumerate import NetworkSpec
    >>> union_count_brute(NetworkSpec.parse("fc:1,1,1", "-1,0,1"), [{0: 0}, {1: 0}])
    45
    """
    from enumerate.core.forward import all_settings

    evs = [tuple(e.items()) if isinstance(e, dict) else tuple(e) for e in events]
    n = 0
    for start in range(0, student.total, batch):
        rows = all_settings(student, start, min(student.total, start + batch))
        n += int(_union_mask(rows, evs).sum())
    return n


def union_tables(student, events, batch=1 << 18) -> dict:
    """{truth table: settings} over the settings in the union (tiny students only):
    the construction is correct when the teacher's table is the only key."""
    from enumerate.core.forward import all_settings, labels, tables

    evs = [tuple(e.items()) if isinstance(e, dict) else tuple(e) for e in events]
    out = {}
    for start in range(0, student.total, batch):
        rows = all_settings(student, start, min(student.total, start + batch))
        rows = rows[_union_mask(rows, evs)]
        if len(rows):
            for t in tables(labels(student, rows)):
                out[t] = out.get(t, 0) + 1
    return out

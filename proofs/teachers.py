"""Every teacher setting of a small architecture, grouped by what the bounds see.

The bounds depend on a teacher through its truth table (the exact rho~), whether it is
irreducible and |Aut(theta*)|. :func:`teacher_groups` enumerates *all* parameter
settings of a teacher spec (vectorized numpy), computes the three per setting -- |Aut|
by brute force over the permutations of hidden units, testing which leave the
parameter vector unchanged -- and groups them.

>>> from enumerate import NetworkSpec
>>> gs = teacher_groups(NetworkSpec.parse("fc:1,1,1", "-1,0,1"))
>>> sum(g.teachers for g in gs), sorted({g.table for g in gs})
(81, ['++', '+-', '-+', '--'])
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .embedding import param_permutation, require_zero, unit_layers, unit_permutations

__all__ = ["TeacherGroup", "teacher_groups", "irreducible_mask", "aut_counts"]


@dataclass(frozen=True)
class TeacherGroup:
    """Teacher settings sharing (table, irreducible, |Aut|); ``example`` is the first of
    them in canonical enumeration order (values, canonical parameter order).

    Examples
    --------
    >>> from enumerate import NetworkSpec
    >>> g = teacher_groups(NetworkSpec.parse("fc:1,1,1", "-1,0,1"))[0]
    >>> g.table, g.irreducible, g.aut, g.teachers > 0
    ('++', True, 1, True)
    """

    table: str
    irreducible: bool
    aut: int
    teachers: int
    example: tuple
    index: int = 0  # canonical enumeration index of ``example``


def irreducible_mask(spec, rows) -> np.ndarray:
    """Vectorized :func:`proofs.embedding.is_irreducible` over index rows."""
    ul = unit_layers(spec.arch)
    qz, gz = spec.q.index(0), spec.scales.index(0)
    ok = np.ones(len(rows), dtype=bool)
    for l in range(len(ul) - 1):
        u, nxt = ul[l], ul[l + 1]
        for j in range(u.units):
            if spec.arch.scaled:
                ok &= rows[:, u.g_off + j] != gz
            else:
                pos = [nxt.w(i, j, t) for i in range(nxt.units) for t in range(nxt.taps)]
                ok &= (rows[:, pos] != qz).any(axis=1)
    return ok


def aut_counts(spec, rows) -> np.ndarray:
    """|Aut| of every index row: permutations of hidden units fixing the parameters."""
    n = np.zeros(len(rows), dtype=np.int64)
    for sigma in unit_permutations(spec.arch):
        perm = param_permutation(spec.arch, sigma)
        n += (rows[:, perm] == rows).all(axis=1)
    return n


@lru_cache(maxsize=64)
def teacher_groups(spec, batch=1 << 16) -> tuple:
    """All settings of ``spec`` grouped into :class:`TeacherGroup` (sorted by table).

    Examples
    --------
    >>> from enumerate import NetworkSpec
    >>> gs = teacher_groups(NetworkSpec.parse("fc:1,2,1", "-1,0,1"))
    >>> sum(g.teachers for g in gs) == 3**7, max(g.aut for g in gs)
    (True, 2)
    """
    from enumerate.core.forward import all_settings, index_to_params, labels

    require_zero(spec)
    acc = {}
    for start in range(0, spec.total, batch):
        rows = all_settings(spec, start, min(spec.total, start + batch))
        # one column per field, never packed into one integer (|Aut| alone can exceed any fixed width)
        key = np.column_stack([labels(spec, rows).astype(np.int64), irreducible_mask(spec, rows), aut_counts(spec, rows)])
        uniq, first, cnt = np.unique(key, axis=0, return_index=True, return_counts=True)
        for k, f, c in zip(map(tuple, uniq.tolist()), first.tolist(), cnt.tolist()):
            if k in acc:
                acc[k][0] += c
            else:
                acc[k] = [c, start + f]
    out = []
    for k, (c, idx) in acc.items():
        table = "".join("-0+"[v + 1] for v in k[:-2])
        row = all_settings(spec, idx, idx + 1)[0]
        out.append(TeacherGroup(table, bool(k[-2]), int(k[-1]), c, tuple(index_to_params(spec, row)), idx))
    return tuple(sorted(out, key=lambda g: (g.table, not g.irreducible, g.aut)))

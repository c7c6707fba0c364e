"""A prior's tables grouped by orbits of the input symmetries, and classes expanded back:
numba passes over the packed arrays (:mod:`enumerate.results._class_kernels`).

>>> from enumerate.core.cube import CubeGroup
>>> from enumerate.results.table_store import TableStore
>>> s = TableStore.from_dict({"-+--": 3, "--+-": 3, "----": 1}, 4)
>>> rows, sizes = class_rows(s, CubeGroup(2, "01"))
>>> [s.table(r) for r in rows], sizes.tolist()
(['-+--', '----'], [2, 1])
>>> expand_store(TableStore(s.tables[rows], s.counts[rows], 4, sizes), CubeGroup(2, "01")) == s
True
"""

from __future__ import annotations

import numpy as np

from . import _class_kernels as C
from .table_store import TableStore

__all__ = ["class_rows", "expand_store"]


def _count_ids(counts):
    if counts.dtype == object:
        return np.unique(counts, return_inverse=True)[1].astype(np.int64).ravel()
    return counts


def class_rows(store, group):
    """(rows of the canonical tables, class sizes) of a function-form store; ValueError
    when the counts are not invariant on an orbit (or a table of an orbit is missing)."""
    gens = C.generators(group.dim, group.flips)
    if len(store) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    rows, sizes, bad = C.to_classes(store.tables, _count_ids(store.counts), gens, group.size, *store.prefix_index())
    if bad >= 0:
        raise ValueError(f"counts are not invariant on the orbit of {store.table(bad)}")
    return rows, sizes


def expand_store(store, group):
    """The function-form store of a class-form store: every table of every orbit."""
    gens = C.generators(group.dim, group.flips)
    if len(store) == 0:
        return TableStore(store.tables, store.counts, store.n)
    tables, cls, bad = C.expand(store.tables, store.sizes, gens)
    if bad >= 0:
        raise ValueError(f"the class of {store.table(bad)} does not have {int(store.sizes[bad])} tables")
    return TableStore.from_unsorted(tables, store.counts[cls], store.n, big=store.exact)

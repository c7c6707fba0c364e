"""The columnar model of every exact prior: packed tables in table order, exact counts in arrays.

A :class:`TableStore` holds ``N`` distinct truth tables of ``n`` points as a uint64 array
``(N, P, nw)`` in the bit layout of :func:`enumerate.core.cube.pack_tables` (one plane for
two-valued tables, two under zero-label rule ``0``; ``nw = ceil(n / 64)``), sorted in
table order (string order, ``+`` < ``-`` < ``0``), with the count of each table beside it:
``int64`` when every count stays below 2^63, an object array of exact Python ints past
that. The class form of a prior adds ``sizes`` (the number of tables of each class).

Queries work on the arrays: one table is found by binary search, the top ``k`` by
``argpartition``, the count spectrum by ``np.unique``; no Python object is made per table.
A prior of 10^8 two-valued 128-point tables takes 24 bytes per table (16 of table, 8 of
count).

>>> store = TableStore.from_dict({"-+": 1, "++": 2, "--": 5, "+-": 1}, 2, "-1")
>>> len(store), store.count("--"), store.count("+0" if False else "-+")
(4, 5, 1)
>>> list(store.items())                       # table order
[('++', 2), ('+-', 1), ('-+', 1), ('--', 5)]
>>> [store.table(i) for i in store.top(2)], store.spectrum()
(['--', '++'], {5: 1, 2: 1, 1: 2})
>>> store.merge(TableStore.from_dict({"--": 1, "-+": 3}, 2, "-1")).to_dict()
{'++': 2, '+-': 1, '-+': 4, '--': 6}
"""

from __future__ import annotations

import math

import numpy as np



class _Kernels:
    """The numba kernels, imported on first use (importing the package stays cheap)."""

    def __getattr__(self, name):
        from . import _store_kernels

        for k in _store_kernels.__all__:
            setattr(self, k, getattr(_store_kernels, k))
        return getattr(_store_kernels, name)


K = _Kernels()

__all__ = ["TableStore", "exact_counts", "pack_one", "bytes_per_table", "DICT_CHUNK"]

#: tables unpacked to strings at a time when iterating
DICT_CHUNK = 1 << 16
#: stores of at least this many tables get a prefix index for lookups (of at most 2^INDEX_BITS slots)
INDEX_FROM, INDEX_BITS = 1 << 12, 20

_PLUS = str.maketrans("+-0", "100")
_ZERO = str.maketrans("+-0", "001")
_MASK = (1 << 64) - 1


def _planes(zero_label):
    return 2 if zero_label == "0" else 1


def bytes_per_table(n, planes, exact=False, classes=False) -> int:
    """Bytes one table (or class) takes in a :class:`TableStore`: the packed table, an
    ``int64`` count (about 40 more for an exact Python int past 2^63), and a class size.

    >>> bytes_per_table(128, 1), bytes_per_table(128, 2, classes=True)
    (24, 48)
    """
    return 8 * planes * ((n + 63) // 64) + (48 if exact else 8) + (8 if classes else 0)


def exact_counts(values, big=None):
    """Counts as ``int64`` when they fit, else an object array of Python ints.

    >>> exact_counts([3, 4]).dtype, exact_counts([3, 2**70]).dtype
    (dtype('int64'), dtype('O'))
    """
    if isinstance(values, np.ndarray) and values.dtype == np.int64 and not big:
        return values
    if isinstance(values, np.ndarray) and values.dtype != object:
        if values.dtype.kind not in "iu":
            raise TypeError(f"counts must be integers, not {values.dtype}")
        if values.dtype == np.uint64 and len(values) and int(values.max()) >= 2**63:
            return np.array([int(c) for c in values.tolist()], dtype=object)
        return values.astype(np.int64)
    values = [int(c) for c in values]
    if big is None:
        big = any(c >= 2**63 or c < -(2**63) for c in values)
    if big:
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return out
    return np.array(values, dtype=np.int64)


def pack_one(table, n, planes):
    """One table string as a packed ``(P, nw)`` uint64 block (no validation).

    >>> pack_one("+-0+", 4, 2).tolist()
    [[9], [4]]
    """
    nw = (n + 63) // 64
    out = np.empty((planes, nw), np.uint64)
    for plane, tr in enumerate((_PLUS, _ZERO)[:planes]):
        v = int(table.translate(tr)[::-1], 2)
        for w in range(nw):
            out[plane, w] = (v >> (64 * w)) & _MASK
    return out


def _empty(n, planes):
    return np.zeros((0, planes, (n + 63) // 64), np.uint64)


class TableStore:
    """Distinct packed tables in table order with exact counts (and class sizes).

    Parameters
    ----------
    tables : uint64 array (N, P, nw)
        Distinct tables, sorted in table order (use :meth:`from_unsorted` otherwise).
    counts : int64 or object array (N,)
    n : int
        Points per table.
    sizes : int64 array (N,), optional
        Tables per class (class form).

    Examples
    --------
    >>> s = TableStore.from_unsorted(np.array([[[2]], [[1]], [[2]]], np.uint64), np.array([1, 2, 3]), 2)
    >>> s.to_dict(), s.covered()
    ({'+-': 2, '-+': 4}, 6)
    """

    __slots__ = ("tables", "counts", "sizes", "n", "_rank", "_spectrum", "_index")

    def __init__(self, tables, counts, n, sizes=None):
        self.tables = tables
        self.counts = counts
        self.sizes = sizes
        self.n = int(n)
        self._rank = None
        self._spectrum = None
        self._index = None

    # ---- construction
    @classmethod
    def empty(cls, n, zero_label="-1", classes=False):
        """A store with no tables."""
        return cls(_empty(n, _planes(zero_label)), np.zeros(0, np.int64), n,
                   np.zeros(0, np.int64) if classes else None)

    @classmethod
    def from_unsorted(cls, tables, counts, n, sizes=None, big=None):
        """Sort ``tables`` into table order; repeated tables add their counts (and must
        have one class size)."""
        tables = np.ascontiguousarray(tables, np.uint64)
        counts = exact_counts(counts, big)
        if len(tables) != len(counts) or (sizes is not None and len(sizes) != len(tables)):
            raise ValueError("tables, counts and sizes must have one entry per table")
        if len(tables) == 0:
            return cls(tables.reshape(0, *tables.shape[1:]), counts, n,
                       None if sizes is None else np.zeros(0, np.int64))
        if K.order_state(tables) == 1:  # already in table order (a saved prior, a merge)
            return cls(tables, counts, n, None if sizes is None else np.asarray(sizes, np.int64))
        if sizes is None and counts.dtype == np.int64 and float(counts.sum(dtype=np.float64)) < 2**62:
            return cls(*K.sort_unique(tables, counts), n)
        keys = K.sort_keys(tables)
        order = K.lex_argsort(keys)
        keys = keys[order]
        new = np.ones(len(order), bool)
        new[1:] = (keys[1:] != keys[:-1]).any(axis=1)
        del keys
        starts = np.flatnonzero(new)
        tables = tables[order[starts]]
        counts = counts[order]
        if len(starts) < len(order):
            if counts.dtype != object and float(counts.sum(dtype=np.float64)) >= 2**62:  # sums could wrap
                counts = exact_counts(counts.tolist(), True)
            counts = np.add.reduceat(counts, starts)
        if sizes is not None:
            sizes = np.asarray(sizes, np.int64)[order]
            if len(starts) < len(order) and (np.minimum.reduceat(sizes, starts) != np.maximum.reduceat(sizes, starts)).any():
                raise ValueError("a repeated class has two class sizes")
            sizes = sizes[starts]
        return cls(tables, counts, n, sizes)

    @classmethod
    def from_dict(cls, counts, n, zero_label="-1", big=None):
        """A store of a ``{table: count}`` mapping (tables of ``n`` characters)."""
        from ..core.cube import pack_tables

        if not counts:
            return cls.empty(n, zero_label)
        tables = pack_tables(list(counts), zero_label)
        return cls.from_unsorted(tables, exact_counts(list(counts.values()), big), n)

    @classmethod
    def from_histogram(cls, hist, n, planes):
        """The store of a direct-addressed int64 histogram: index bit ``p`` is point ``p``
        being ``+``, bit ``n + p`` (two planes) point ``p`` being ``0``.

        >>> TableStore.from_histogram(np.array([0, 3, 0, 1]), 2, 1).to_dict()
        {'++': 1, '+-': 3}
        """
        tables, counts = K.from_direct(np.ascontiguousarray(hist, np.int64), n, planes)
        return cls.from_unsorted(tables, counts, n)

    @staticmethod
    def hashmap_rows(tab, planes):
        """(tables, counts) of the used rows of a :mod:`enumerate._support.hashmap`
        counting map whose keys are packed tables (``planes`` x words, unsorted)."""
        from .._support import hashmap  # numba: imported on first use, like the other kernels

        W = tab.shape[1] - 1
        keys = hashmap.keys(tab, W)
        return keys.reshape(len(keys), planes, W // planes), hashmap.counts(tab, W)

    @classmethod
    def from_parts(cls, parts, n, zero_label="-1"):
        """The sum of several (tables, counts) pieces (for example thread-local maps):
        each piece is sorted, then merged into the result and released."""
        out = cls.empty(n, zero_label)
        for tables, counts in parts:
            out = out.merge(cls.from_unsorted(tables, counts, n))
        return out

    # ---- sizes
    def __len__(self):
        return len(self.tables)

    @property
    def planes(self) -> int:
        return self.tables.shape[1]

    @property
    def exact(self) -> bool:
        """True when counts are Python ints (past 2^63)."""
        return self.counts.dtype == object

    @property
    def nbytes(self) -> int:
        """Bytes held by the arrays."""
        extra = 40 * len(self.counts) if self.exact else 0
        return self.tables.nbytes + self.counts.nbytes + extra + (0 if self.sizes is None else self.sizes.nbytes)

    def covered(self) -> int:
        """The exact sum of counts (times class sizes in class form)."""
        c, s = self.counts, self.sizes
        if self.exact:
            return sum(c.tolist()) if s is None else sum(int(a) * b for a, b in zip(s.tolist(), c.tolist()))
        rough = float(c.sum(dtype=np.float64) if s is None else np.dot(s.astype(np.float64), c.astype(np.float64)))
        if rough < 2**62:  # the uint64 sum is exact
            return int(c.sum(dtype=np.uint64) if s is None else np.dot(s.astype(np.uint64), c.astype(np.uint64)))
        return sum(int(x) for x in (c if s is None else s.astype(object) * c.astype(object)).tolist())

    def num_tables(self) -> int:
        """Tables held: the rows, or the sum of class sizes."""
        return len(self) if self.sizes is None else int(self.sizes.sum())

    # ---- one table
    def key(self, table):
        """The packed block of a table string."""
        return pack_one(table, self.n, self.planes)

    def find(self, table) -> int:
        """Row of ``table`` (a string or a packed block), or -1 (-2: not a table of these labels)."""
        if not isinstance(table, str):
            return int(K.find(self.tables, table)) if len(self.tables) else -1
        if len(table) != self.n:
            return -2
        try:
            codes = table.encode("ascii")
        except UnicodeEncodeError:
            return -2
        if self._index is None and len(self.tables) < INDEX_FROM:
            return K.find_text(self.tables, codes)
        return K.find_text_indexed(self.tables, *self.prefix_index(), codes)

    def prefix_index(self):
        """(start rows by B key bits after the L bits every table shares, B, L), built once
        (a store of at least one table): a lookup reads one slot, then binary-searches the
        rows of its prefix (about 16 for uniform tables) instead of all N, a few cache
        misses instead of log2 N.

        >>> s = TableStore.from_dict({"++": 1, "+-": 2, "--": 3}, 2)
        >>> start, B, L = s.prefix_index()
        >>> start.tolist(), B, L
        ([0, 2, 3], 1, 0)
        """
        if self._index is None:
            start, L = K.prefix_index(self.tables, max(1, min(INDEX_BITS, len(self.tables).bit_length() - 4)))
            self._index = start, (len(start) - 1).bit_length() - 1, L
        return self._index

    def count(self, table) -> int:
        """Count of ``table`` (0 if absent or not a table of these labels)."""
        i = self.find(table)
        return 0 if i < 0 else int(self.counts[i])

    def table(self, i) -> str:
        """The table string of row ``i``."""
        return self.strings(i, i + 1)[0]

    def strings(self, start=0, stop=None, rows=None):
        """Table strings of rows ``start..stop-1`` (or of the index array ``rows``)."""
        from ..core.cube import unpack_tables

        block = self.tables[start:stop] if rows is None else self.tables[rows]
        return unpack_tables(block, self.n) if len(block) else []

    # ---- iteration
    def items(self, chunk=DICT_CHUNK):
        """(table, count) in table order, unpacking ``chunk`` tables at a time."""
        for lo in range(0, len(self), chunk):
            yield from zip(self.strings(lo, lo + chunk), self.counts[lo : lo + chunk].tolist())

    def to_dict(self) -> dict:
        """``{table: count}`` in table order (for small stores)."""
        return dict(self.items())

    # ---- ranks
    def rank_order(self):
        """Row indices by count descending, then table order (an int64 array)."""
        if self._rank is None:
            if self.exact:
                c = self.counts.tolist()
                self._rank = np.array(sorted(range(len(c)), key=lambda i: -c[i]), np.int64)
            else:
                self._rank = np.argsort(-self.counts, kind="stable")
        return self._rank

    def top(self, k):
        """The row indices of the ``k`` largest counts, in rank order."""
        k = max(0, min(int(k), len(self)))
        if k == 0:
            return np.zeros(0, np.int64)
        if self._rank is not None or self.exact or 4 * k >= len(self):
            return self.rank_order()[:k]
        kth = self.counts[np.argpartition(-self.counts, k - 1)[k - 1]]
        rows = np.flatnonzero(self.counts >= kth)
        return rows[np.argsort(-self.counts[rows], kind="stable")][:k]

    def rank_frequency(self):
        """Counts largest first, one per table (classes repeated by size)."""
        c = self.counts
        if self.sizes is not None:
            c = np.repeat(c, self.sizes)
        return c[np.argsort(-c, kind="stable")] if not self.exact else np.array(sorted(c.tolist(), reverse=True), dtype=object)

    def spectrum(self) -> dict:
        """``{count: number of tables}``, largest count first."""
        if self._spectrum is None:
            self._spectrum = self._count_spectrum()
        return dict(self._spectrum)

    def _count_spectrum(self) -> dict:
        if len(self) and self.sizes is None and not self.exact and 0 <= int(self.counts.min()) and int(self.counts.max()) < 4 * len(self) + 2**20:
            mult = np.bincount(self.counts)
            vals = np.flatnonzero(mult)[::-1]
            return {int(v): int(m) for v, m in zip(vals.tolist(), mult[vals].tolist())}
        if self.exact:
            out = {}
            for c, s in zip(self.counts.tolist(), (self.sizes if self.sizes is not None else np.ones(len(self), np.int64)).tolist()):
                out[c] = out.get(c, 0) + s
            return dict(sorted(out.items(), reverse=True))
        vals, inv = np.unique(self.counts, return_inverse=True)
        mult = np.bincount(inv.ravel(), weights=None if self.sizes is None else self.sizes, minlength=len(vals))
        return {int(v): int(m) for v, m in zip(vals[::-1].tolist(), mult[::-1].tolist())}

    def entropy(self, total) -> float:
        """Shannon entropy in nats of the distribution count / total (a float report)."""
        if self.exact:
            return -sum(m * c / total * (math.log(c) - math.log(total)) for c, m in self.spectrum().items())
        p = self.counts.astype(np.float64) / float(total)
        terms = p * (np.log(self.counts.astype(np.float64)) - math.log(total))
        return float(-(terms if self.sizes is None else terms * self.sizes).sum())

    # ---- combining and editing
    def merge(self, other) -> "TableStore":
        """The sorted merge: tables of both, counts added where they meet."""
        if self.sizes is not None or other.sizes is not None:
            raise ValueError("class-form stores do not merge; expand them first")
        if len(other) == 0:
            return self
        if len(self) == 0:
            return other
        if not (self.exact or other.exact):
            tables, counts = K.merge_sorted(self.tables, self.counts, other.tables, other.counts)
            if counts.min() >= 0:  # no int64 wrap (counts are positive)
                return TableStore(tables, counts, self.n)
        return TableStore.from_unsorted(np.concatenate([self.tables, other.tables]),
                                        self.counts.tolist() + other.counts.tolist(), self.n, big=True)

    def with_count(self, table, value) -> "TableStore":
        """A store with ``table`` set to ``value`` (removed at 0)."""
        value = int(value)
        key = self.key(table)
        i = int(K.lower_bound(self.tables, key))
        hit = i < len(self) and K.compare(self.tables[i], key) == 0
        counts = self.counts
        if value >= 2**63 and not self.exact:
            counts = exact_counts(counts.tolist(), True)
        if hit and value == 0:
            return TableStore(np.delete(self.tables, i, 0), np.delete(counts, i), self.n)
        if hit:
            counts = counts.copy()
            counts[i] = value
            return TableStore(self.tables, counts, self.n)
        if value == 0:
            return self
        ins = np.array([value], dtype=counts.dtype)
        return TableStore(np.insert(self.tables, i, key, 0), np.concatenate([counts[:i], ins, counts[i:]]), self.n)

    # ---- equality
    def __eq__(self, other):
        if not isinstance(other, TableStore):
            return NotImplemented
        if self.n != other.n or self.tables.shape != other.tables.shape or (self.sizes is None) != (other.sizes is None):
            return False
        if not np.array_equal(self.tables, other.tables):
            return False
        if self.sizes is not None and not np.array_equal(self.sizes, other.sizes):
            return False
        if self.exact or other.exact:
            return self.counts.tolist() == other.counts.tolist()
        return bool(np.array_equal(self.counts, other.counts))

    __hash__ = None

    def __repr__(self):
        form = "classes" if self.sizes is not None else "tables"
        return f"TableStore({len(self):,} {form} of {self.n} points, {self.nbytes:,} bytes)"

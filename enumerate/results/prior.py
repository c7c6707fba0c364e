"""The exact induced prior over functions, in its two forms, and loading it back.

* :class:`FunctionPrior`: exact counts per truth table;
* :class:`ClassPrior`: one entry per orbit of the input symmetry group (on the cube
  domains every table of an orbit of :func:`~enumerate.core.cube.symmetry_group` has the
  same count): the canonical table (the smallest table string of the orbit), the class
  size and the count of each of its tables; expanding to every table is on demand;
* :func:`load_prior`: a saved JSON or ``.npz`` result, either form.

Both answer the queries of :class:`~enumerate.results.queries.PriorQueries`.

>>> from enumerate import NetworkSpec, count_prior
>>> prior = count_prior(NetworkSpec.parse("fc:1,1", "-1,0,1", "sign", "01"), progress=False)
>>> prior.num_functions, prior.total
(4, 9)
>>> prior.ranked()
[('--', 5), ('++', 2), ('+-', 1), ('-+', 1)]
>>> prior.probability("-+")
Fraction(1, 9)
>>> prior = count_prior(NetworkSpec.parse("fc:2,1", "-1,0,1"), "brute", progress=False)
>>> cp = prior.to_classes()
>>> cp.num_classes, cp.num_functions, cp.count("-+--") == prior.count("-+--")
(9, 13, True)
>>> cp.expand().counts == prior.counts
True
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import numpy as np

from ..core.cube import symmetry_group, unpack_tables
from ..core.spec import NetworkSpec, SpecError
from .counts_view import MAX_DICT_FUNCTIONS, CountsDict, CountsView
from .io import NPZ_SCHEMA, SCHEMA, bad_file, read_npz, spectrum_json, versions, write_npz
from .queries import PriorQueries
from .table_store import DICT_CHUNK, TableStore, exact_counts

__all__ = ["FunctionPrior", "ClassPrior", "load_prior", "MAX_JSON_FUNCTIONS"]

#: header fields a producer's ``meta`` may not overwrite
RESERVED = ("schema", "spec", "form", "functions", "count_spectrum", "method", "total", "covered", "num_functions",
            "num_classes", "group", "digest", "sizes")

#: a class prior saved as JSON is expanded; above this many tables use ``.npz``
MAX_JSON_FUNCTIONS = 2_000_000


class FunctionPrior(PriorQueries):
    """Exact counts of parameter settings per truth table.

    The tables are held packed in table order with their counts in arrays
    (:class:`~enumerate.results.table_store.TableStore`, ``prior.store``); ``counts`` is a
    live ``{table: count}`` mapping over them (see
    :class:`~enumerate.results.counts_view.CountsView`; iterate a large prior with
    :meth:`items`). A complete prior has ``covered == spec.total``; partial priors
    (shards) merge by adding. Two priors are equal when their specs and counts are.

    Parameters
    ----------
    spec : NetworkSpec
    counts : dict or TableStore
        ``{table: count}``, or the arrays themselves.
    method : str
    meta : dict, optional
        Timings and producer details (not part of equality).

    Examples
    --------
    >>> from enumerate import NetworkSpec, count_prior
    >>> prior = count_prior(NetworkSpec.parse("fc:1,1", "-1,0,1"), progress=False)
    >>> prior.total, prior.num_functions, prior.count("--"), prior.rho("+-")
    (9, 4, 5, Fraction(1, 9))
    >>> prior == FunctionPrior(prior.spec, {"--": 5, "++": 2, "+-": 1, "-+": 1}, "reference")
    True
    """

    def __init__(self, spec: NetworkSpec, counts, method: str = "brute", meta: dict | None = None):
        self.spec = spec
        self.method = method
        self.meta = {} if meta is None else meta
        if not isinstance(counts, TableStore):
            if not isinstance(counts, Mapping):
                raise TypeError(f"counts: give a {{table: count}} dict or a TableStore, not {type(counts).__name__}")
            counts = TableStore.from_dict(counts, len(spec.domain), spec.zero_label, big=spec.total >= 2**63)
        self._set_store(counts)

    @property
    def store(self) -> TableStore:
        """The arrays: packed tables in table order and their exact counts."""
        if self._dirty:  # the counts dict was edited
            self._store = TableStore.from_dict(self._dict, len(self.spec.domain), self.spec.zero_label,
                                               big=self.spec.total >= 2**63 or None)
            self._dirty = False
        return self._store

    def _set_store(self, store):
        self._store, self._dict, self._dirty = store, None, False

    @property
    def counts(self):
        """``{table: count}``: a dict (in table order) up to ``MAX_DICT_FUNCTIONS`` tables,
        a live :class:`~enumerate.results.counts_view.CountsView` past it."""
        if self._dict is not None:
            return self._dict
        if len(self._store) > MAX_DICT_FUNCTIONS:
            return CountsView(self)
        self._dict = CountsDict(self, self._store.items())
        return self._dict

    @counts.setter
    def counts(self, value):
        self._set_store(FunctionPrior(self.spec, value).store)

    def __repr__(self):
        return (f"<FunctionPrior {self.spec.arch} Q={self.spec.q.name} {self.spec.domain.kind}: "
                f"{self.num_functions:,} functions, {self.method}>")

    def __eq__(self, other):
        if isinstance(other, FunctionPrior):
            return self.spec == other.spec and self.store == other.store
        if isinstance(other, PriorQueries):
            return other.__eq__(self)
        return NotImplemented

    __hash__ = None

    # ---- sizes
    @property
    def covered(self) -> int:
        """Settings counted so far (== total when complete)."""
        return self.store.covered()

    @property
    def num_functions(self) -> int:
        """Number of distinct truth tables with a nonzero count."""
        return len(self.store)

    # ---- queries
    def count(self, table: str) -> int:
        """Settings computing ``table`` (0 if none): a binary search in the packed tables."""
        i = self.store.find(table)
        if i < 0:
            if i == -2 or not isinstance(table, str):
                self._check_table(table)  # the one error message for a bad table
            return 0
        return int(self._store.counts[i])

    def items(self, chunk=DICT_CHUNK):
        """(table, count) pairs in table order, unpacked ``chunk`` tables at a time."""
        return self.store.items(chunk)

    def ranked(self):
        """[(table, count)] sorted by count descending, then table ascending."""
        return self.top(len(self.store))

    def rank_frequency(self):
        """Counts in rank order (a list of ints, largest first)."""
        return self.store.rank_frequency().tolist()

    def top(self, k):
        """The first ``k`` entries of :meth:`ranked`."""
        rows = self.store.top(k)
        return list(zip(self.store.strings(rows=rows), self.store.counts[rows].tolist()))

    def count_spectrum(self) -> dict:
        """{count: number of tables with that count}.

        >>> from enumerate import NetworkSpec, count_prior
        >>> count_prior(NetworkSpec.parse("fc:1,1", "-1,0,1"), progress=False).count_spectrum()
        {5: 1, 2: 1, 1: 2}
        """
        return self.store.spectrum()

    def entropy(self) -> float:
        """Shannon entropy of the prior over functions, in nats (float report)."""
        return self.store.entropy(self.total)

    def to_classes(self, group=None):
        """The same prior as a :class:`~enumerate.results.prior.ClassPrior` (one entry per orbit
        of ``group``; default: the input symmetry group of the spec)."""
        return ClassPrior.from_store(self.spec, self.store, self.method, self.meta, group)

    # ---- combining
    def merge(self, other: "FunctionPrior") -> "FunctionPrior":
        """Add the counts of another partial prior of the same spec (a sorted merge)."""
        if other.spec != self.spec:
            raise ValueError("cannot merge priors of different specs")
        return FunctionPrior(self.spec, self.store.merge(other.store), self.method, dict(self.meta))

    # ---- JSON
    def header(self):
        """Every field of the JSON file but the list of functions."""
        return {
            "schema": SCHEMA,
            "spec": self.spec.to_json(),
            "method": self.method,
            "total": self.total,
            "covered": self.covered,
            "num_functions": self.num_functions,
            "count_spectrum": spectrum_json(self.count_spectrum()),
            "versions": versions(),
            **{k: v for k, v in self.meta.items() if k not in RESERVED},
        }

    def to_json(self):
        """The JSON form as a dict: :meth:`header` and every table with its exact count,
        most probable first (:meth:`save` streams the same to a file)."""
        return {**self.header(), "functions": [{"table": t, "count": c} for t, c in self.ranked()]}

    @classmethod
    def from_json(cls, data) -> "FunctionPrior":
        """The prior of a JSON object, every invariant checked (:class:`SpecError` otherwise)."""
        from .checks import parse_json_prior

        return cls(*parse_json_prior(data))

    def save(self, path):
        """Write JSON (streamed), the compact packed form when ``path`` ends in ``.npz``, or
        Parquet when it ends in ``.parquet`` (one row per table; needs pyarrow)."""
        from .files import save_tables

        save_tables(self, path)

    @staticmethod
    def load(path):
        """Load a JSON or ``.npz`` result (a class-form file gives a
        :class:`~enumerate.results.prior.ClassPrior`, which answers the same queries)."""
        return load_prior(path)


class ClassPrior(PriorQueries):
    """An exact prior stored by orbits of the input symmetry group.

    Parameters
    ----------
    spec : NetworkSpec
    tables : uint64 array (N, P, nw)
        Canonical representatives, bit-packed (see :mod:`enumerate.core.cube`).
    sizes : int array (N,)
        Number of tables in each class.
    counts : int64 array or sequence of ints (N,)
        The count of each table of the class (exact).
    method : str
    meta : dict
    group : CubeGroup, optional
        Default: :func:`~enumerate.core.cube.symmetry_group` of ``spec``.

    The classes are held in table order of their representatives
    (:class:`~enumerate.results.table_store.TableStore` with sizes, ``store``);
    ``tables``, ``sizes``, ``counts_by_class`` and :meth:`classes` list them in rank order:
    count descending, then canonical table ascending. Equality is spec plus counts: a
    class prior equals the function prior of the same tables.
    """

    def __init__(self, spec, tables, sizes, counts, method="classes", meta=None, group=None):
        store = TableStore.from_unsorted(tables, exact_counts(counts, spec.total >= 2**63 or None), len(spec.domain),
                                         np.asarray(sizes, np.int64))
        self._init(spec, store, method, meta, group)

    def _init(self, spec, store, method, meta, group):
        self.spec = spec
        self.method = method
        self.meta = dict(meta or {})
        self.group = group or symmetry_group(spec)
        if self.group is None:
            raise SpecError("--method", f"{spec.arch} on a {spec.domain.kind} domain has no input symmetry group")
        self.store = store
        self._ranked = None
        self._expanded = None

    # ---- construction
    @classmethod
    def from_store(cls, spec, store, method="brute", meta=None, group=None, classes=False):
        """The class prior of a function-form store (a numba pass over the packed tables:
        every orbit must be present with one count), or of a class-form store as is."""
        self = cls.__new__(cls)
        self._init(spec, store, method, meta, group)
        if classes:
            return self
        from .orbits import class_rows

        rows, sizes = class_rows(store, self.group)
        self.store = TableStore(store.tables[rows], store.counts[rows], store.n, sizes)
        return self

    @classmethod
    def from_tables(cls, spec, counts, method="brute", meta=None, group=None):
        """Group a ``{table: count}`` dict by orbits (every orbit must have one count)."""
        store = TableStore.from_dict(counts, len(spec.domain), spec.zero_label, big=spec.total >= 2**63 or None)
        return cls.from_store(spec, store, method, meta, group)

    def to_classes(self, group=None):
        """This prior (or, for another ``group``, its classes under that group)."""
        if group is None or group == self.group:
            return self
        return self.expand().to_classes(group)

    def _rank(self):
        if self._ranked is None:
            r = self.store.rank_order()
            s = self.store
            self._ranked = (s.tables[r], s.sizes[r], s.counts[r])
        return self._ranked

    @property
    def tables(self):
        """Canonical tables, packed, in rank order."""
        return self._rank()[0]

    @property
    def sizes(self):
        """Class sizes in rank order."""
        return self._rank()[1]

    @property
    def counts_by_class(self):
        """The count of each table of each class, in rank order."""
        return self._rank()[2]

    def __eq__(self, other):
        if not isinstance(other, PriorQueries):
            return NotImplemented
        if self.spec != other.spec:
            return False
        if isinstance(other, ClassPrior) and other.group == self.group:
            return self.store == other.store
        try:
            mine = other.to_classes(self.group).store
        except ValueError:  # not invariant on the orbits: not the same prior
            return False
        return self.store == mine

    __hash__ = None

    def __repr__(self):
        return (f"<ClassPrior {self.spec.arch} Q={self.spec.q.name} {self.spec.domain.kind}: "
                f"{self.num_functions:,} functions in {self.num_classes:,} classes, {self.method}>")

    # ---- sizes
    @property
    def num_classes(self) -> int:
        """Number of orbits (classes)."""
        return len(self.store)

    @property
    def num_functions(self) -> int:
        """Number of distinct tables: the sum of the class sizes."""
        return self.store.num_tables()

    @property
    def covered(self) -> int:
        """Settings counted (sum over classes of size x count), exact."""
        return self.store.covered()

    # ---- classes
    def representatives(self, start=0, stop=None):
        """Canonical tables of classes ``start..stop-1`` (rank order) as strings."""
        return unpack_tables(self.tables[start:stop], len(self.spec.domain))

    def classes(self, top=None):
        """[(canonical table, class size, count per table)] in rank order."""
        stop = self.num_classes if top is None else min(top, self.num_classes)
        return list(zip(self.representatives(0, stop), self.sizes[:stop].tolist(), self.counts_by_class[:stop].tolist()))

    def count_spectrum(self) -> dict:
        """{count: number of tables with that count}, largest count first."""
        return self.store.spectrum()

    def entropy(self) -> float:
        """Shannon entropy of the prior over functions, in nats (float report)."""
        return self.store.entropy(self.total)

    # ---- queries
    def canonical(self, table) -> str:
        """The canonical representative of the class of ``table``."""
        self._check_table(table)
        return self.group.canonical(table)

    def count(self, table) -> int:
        """Settings computing ``table`` (0 if none)."""
        return self.store.count(self.canonical(table))

    def top(self, k):
        """The ``k`` most probable tables [(table, count)], expanding only the classes needed."""
        out = []
        for rep, size, c in self.classes():
            if len(out) >= k and c < out[-1][1]:  # ties with the k-th table may sort before it
                break
            out.extend((t, c) for t in self.group.orbit(rep))
        # within one count the tables are in string order
        return sorted(out, key=lambda tc: (-tc[1], tc[0]))[:k]

    def rank_frequency(self):
        """Counts in rank order, one per table (expanded: for small priors)."""
        return self.store.rank_frequency().tolist()

    def ranked(self):
        """[(table, count)] for every table, count descending then table ascending (expanded)."""
        return self.expand().ranked()

    def expand(self):
        """The same prior with every table listed (:class:`~enumerate.results.prior.FunctionPrior`),
        made by a numba pass over the orbits."""
        from .orbits import expand_store

        if self._expanded is None:
            self._expanded = FunctionPrior(self.spec, expand_store(self.store, self.group), self.method, dict(self.meta))
        return self._expanded

    @property
    def counts(self):
        """{table: count} for every table (expanded on first use)."""
        return self.expand().counts

    def _summary_extra(self) -> str:
        return f" in {self.num_classes:,} classes of {self.group.size:,} input symmetries"

    # ---- I/O
    def header(self):
        """The JSON header of the ``.npz`` file (also the summary of the result)."""
        return {
            "schema": NPZ_SCHEMA,
            "form": "classes",
            "spec": self.spec.to_json(),
            "group": self.group.to_json(),
            "class_convention": "canonical table = smallest table string of the orbit in byte order + < - < 0",
            "method": self.method,
            "total": self.total,
            "covered": self.covered,
            "num_functions": self.num_functions,
            "num_classes": self.num_classes,
            "count_spectrum": spectrum_json(self.count_spectrum()),
            "versions": versions(),
            **{k: v for k, v in self.meta.items() if k not in RESERVED},
        }

    def save(self, path):
        """Write ``.npz`` (classes, compact), Parquet (``.parquet``, one row per class; needs
        pyarrow), or the expanded JSON for a small prior."""
        from .files import content_digest

        if str(path).endswith((".npz", ".parquet")):
            header = {**self.header(), "digest": content_digest(self.spec, self.store, "classes")}
            if str(path).endswith(".parquet"):
                from .parquet import write_parquet

                return write_parquet(path, header, self.store)
            return write_npz(path, header, self.store.tables, self.store.counts, self.store.sizes)
        if self.num_functions > MAX_JSON_FUNCTIONS:
            raise SpecError("--out", f"{self.num_functions:,} functions are too many for JSON; give a .npz file name")
        return self.expand().save(path)

    @staticmethod
    def load(path):
        """Load a result file (see :func:`load_prior`)."""
        return load_prior(path)


def load_prior(path):
    """Load a prior saved as JSON, ``.npz`` or Parquet: a FunctionPrior, or a ClassPrior for a class file.

    Every invariant is checked first (see :mod:`enumerate.results.checks`): a damaged or
    edited file raises one :class:`SpecError` line.
    """
    from .checks import check_against_header, check_packed, read_json_prior

    path = os.fspath(path)
    where = repr(path)
    try:
        with open(path, "rb") as fh:
            magic = fh.read(4)
    except OSError as exc:
        raise SpecError("prior", f"cannot read {path!r} ({exc.strerror})") from None
    if magic[:2] != b"PK" and magic != b"PAR1":
        import ijson

        try:
            with open(path, "rb") as fh:
                return FunctionPrior(*read_json_prior(fh, where))
        except (ijson.JSONError, UnicodeDecodeError, RecursionError, StopIteration) as exc:
            why = str(exc).splitlines()[0] if str(exc) else "the file ends early"
            raise bad_file(path, f"neither JSON nor npz: {type(exc).__name__}: {why}"[:300]) from None
    if magic == b"PAR1":
        from .parquet import read_parquet

        header, spec, tables, counts, sizes = read_parquet(path)
    else:
        header, spec, tables, counts, sizes = read_npz(path)
    check_packed(tables, len(spec.domain), where)
    meta = {k: header[k] for k in ("elapsed_s",) if k in header}
    big = spec.total >= 2**63 or isinstance(counts, list)
    store = TableStore.from_unsorted(tables, exact_counts(counts, big), len(spec.domain),
                                     sizes if header["form"] == "classes" else None, big=big)
    if len(store) != len(tables):
        raise bad_file(path, "a table is listed twice")
    method = header.get("method", "classes" if header["form"] == "classes" else "brute")
    if header["form"] == "classes":
        prior = ClassPrior.from_store(spec, store, method, meta, classes=True)
        check_against_header(spec, store, header, where, prior.group)
        return prior
    check_against_header(spec, store, header, where)
    return FunctionPrior(spec, store, method, meta)

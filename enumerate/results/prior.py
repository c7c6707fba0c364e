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

import json
import os
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from .._support.files import atomic_write_json
from ..core.cube import order_columns, pack_tables, symmetry_group, unpack_tables
from ..core.spec import NetworkSpec, SpecError
from .io import NPZ_SCHEMA, SCHEMA, bad_file, read_npz, spectrum_json, versions, write_npz
from .queries import PriorQueries

__all__ = ["FunctionPrior", "ClassPrior", "load_prior", "MAX_JSON_FUNCTIONS"]


@dataclass
class FunctionPrior(PriorQueries):
    """Exact counts of parameter settings per truth table.

    ``counts`` maps table strings to exact ints. A complete prior has
    ``sum(counts.values()) == spec.total``; partial priors (shards) merge by adding.

    Examples
    --------
    >>> from enumerate import NetworkSpec, count_prior
    >>> prior = count_prior(NetworkSpec.parse("fc:1,1", "-1,0,1"), progress=False)
    >>> prior.total, prior.num_functions, prior.count("--"), prior.rho("+-")
    (9, 4, 5, Fraction(1, 9))
    """

    spec: NetworkSpec
    counts: dict
    method: str = "brute"
    meta: dict = field(default_factory=dict)

    # ---- sizes
    @property
    def covered(self) -> int:
        """Settings counted so far (== total when complete)."""
        return sum(self.counts.values())

    @property
    def num_functions(self) -> int:
        return len(self.counts)

    # ---- queries
    def count(self, table: str) -> int:
        """Settings computing ``table`` (0 if none)."""
        self._check_table(table)
        return self.counts.get(table, 0)

    def ranked(self):
        """[(table, count)] sorted by count descending, then table ascending."""
        return sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))

    def rank_frequency(self):
        """Counts in rank order (a list of ints, largest first)."""
        return sorted(self.counts.values(), reverse=True)

    def top(self, k):
        """The first ``k`` entries of :meth:`ranked`."""
        return self.ranked()[:k]

    def count_spectrum(self) -> dict:
        """{count: number of tables with that count}.

        >>> from enumerate import NetworkSpec, count_prior
        >>> count_prior(NetworkSpec.parse("fc:1,1", "-1,0,1"), progress=False).count_spectrum()
        {5: 1, 2: 1, 1: 2}
        """
        return dict(sorted(Counter(self.counts.values()).items(), reverse=True))

    def to_classes(self, group=None):
        """The same prior as a :class:`~enumerate.results.classes.ClassPrior` (one entry per orbit
        of ``group``; default: the input symmetry group of the spec)."""
        return ClassPrior.from_tables(self.spec, self.counts, self.method, self.meta, group)

    # ---- combining
    def merge(self, other: "FunctionPrior") -> "FunctionPrior":
        """Add the counts of another partial prior of the same spec."""
        if other.spec != self.spec:
            raise ValueError("cannot merge priors of different specs")
        counts = dict(self.counts)
        for t, c in other.counts.items():
            counts[t] = counts.get(t, 0) + c
        return FunctionPrior(self.spec, counts, self.method, dict(self.meta))

    # ---- JSON
    def to_json(self):
        ranked = self.ranked()
        return {
            "schema": SCHEMA,
            "spec": self.spec.to_json(),
            "method": self.method,
            "total": self.total,
            "covered": self.covered,
            "num_functions": len(ranked),
            "count_spectrum": spectrum_json(self.count_spectrum()),
            "functions": [{"table": t, "count": c} for t, c in ranked],
            "versions": versions(),
            **{k: v for k, v in self.meta.items() if k not in ("schema", "spec", "functions", "count_spectrum")},
        }

    @classmethod
    def from_json(cls, data) -> "FunctionPrior":
        if data.get("schema") != SCHEMA:
            raise SpecError("prior", f"not a {SCHEMA} file (schema {data.get('schema')!r})")
        spec = NetworkSpec.from_json(data["spec"])
        counts = {f["table"]: int(f["count"]) for f in data["functions"]}
        meta = {k: data[k] for k in ("elapsed_s",) if k in data}
        return cls(spec, counts, data.get("method", "brute"), meta)

    def save(self, path):
        """Write JSON, or the compact packed form when ``path`` ends in ``.npz``."""
        if not str(path).endswith(".npz"):
            return atomic_write_json(path, self.to_json())
        import numpy as np

        from ..core.cube import pack_tables
        from .io import NPZ_SCHEMA, write_npz

        ranked = self.ranked()
        header = {k: v for k, v in self.to_json().items() if k != "functions"}
        header.update(schema=NPZ_SCHEMA, form="tables")
        tables = pack_tables([t for t, _ in ranked], self.spec.zero_label) if ranked else \
            np.zeros((0, 2 if self.spec.zero_label == "0" else 1, (len(self.spec.domain) + 63) // 64), np.uint64)
        write_npz(path, header, tables, [c for _, c in ranked])

    @staticmethod
    def load(path):
        """Load a JSON or ``.npz`` result (a class-form file gives a
        :class:`~enumerate.results.classes.ClassPrior`, which answers the same queries)."""
        return load_prior(path)


#: a class prior saved as JSON is expanded; above this many tables use ``.npz``
MAX_JSON_FUNCTIONS = 2_000_000


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

    Classes are kept in rank order: count descending, then canonical table ascending.
    """

    def __init__(self, spec, tables, sizes, counts, method="classes", meta=None, group=None):
        self.spec = spec
        self.method = method
        self.meta = dict(meta or {})
        self.group = group or symmetry_group(spec)
        if self.group is None:
            raise SpecError("--method", f"{spec.arch} on a {spec.domain.kind} domain has no input symmetry group")
        tables = np.ascontiguousarray(tables, np.uint64)
        sizes = np.asarray(sizes, np.int64)
        big = not (isinstance(counts, np.ndarray) and counts.dtype == np.int64)
        if big:
            counts = np.array([int(c) for c in counts], dtype=object)
            uniq, inv = np.unique(counts, return_inverse=True) if len(counts) else (counts, np.zeros(0, np.int64))
            rank_key = -inv.astype(np.int64)
        else:
            rank_key = -counts
        cols = order_columns(tables)
        order = np.lexsort([*cols[::-1], rank_key]) if len(tables) else np.zeros(0, np.int64)
        self.tables, self.sizes, self.counts_by_class = tables[order], sizes[order], counts[order]
        self._cols = [c[order] for c in cols]
        self._lookup = None
        self._expanded = None

    # ---- construction
    @classmethod
    def from_tables(cls, spec, counts, method="brute", meta=None, group=None):
        """Group a ``{table: count}`` dict by orbits (every orbit must have one count)."""
        group = group or symmetry_group(spec)
        if group is None:
            raise SpecError("--method", f"{spec.arch} on a {spec.domain.kind} domain has no input symmetry group")
        seen, reps, sizes, cnts = set(), [], [], []
        for t in sorted(counts):
            if t in seen:
                continue
            orbit = group.orbit(t)
            values = {counts.get(u, 0) for u in orbit}
            if len(values) != 1:
                raise ValueError(f"counts are not invariant on the orbit of {t}: {sorted(values)}")
            seen.update(orbit)
            reps.append(orbit[0])
            sizes.append(len(orbit))
            cnts.append(counts[t])
        big = any(c >= 2**63 for c in cnts)
        return cls(spec, pack_tables(reps, spec.zero_label) if reps else _empty(spec), sizes,
                   cnts if big else np.array(cnts, np.int64), method, meta, group)

    # ---- sizes
    @property
    def num_classes(self) -> int:
        return len(self.sizes)

    @property
    def num_functions(self) -> int:
        return int(self.sizes.sum())

    @property
    def covered(self) -> int:
        """Settings counted (sum over classes of size x count), exact."""
        if self.counts_by_class.dtype == object:
            return sum(int(s) * c for s, c in zip(self.sizes.tolist(), self.counts_by_class.tolist()))
        # size * count of a class never exceeds |Q|^P; float64 guards the int64 sum
        exact = int(np.dot(self.sizes.astype(np.uint64), self.counts_by_class.astype(np.uint64)))
        rough = float(np.dot(self.sizes.astype(np.float64), self.counts_by_class.astype(np.float64)))
        if rough >= 2**63:
            return sum(int(s) * int(c) for s, c in zip(self.sizes.tolist(), self.counts_by_class.tolist()))
        return exact

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
        out = {}
        for c, s in zip(self.counts_by_class.tolist(), self.sizes.tolist()):
            out[c] = out.get(c, 0) + s
        return dict(sorted(out.items(), reverse=True))

    # ---- queries
    def canonical(self, table) -> str:
        """The canonical representative of the class of ``table``."""
        self._check_table(table)
        return self.group.canonical(table)

    def _class_index(self, table):
        key = order_columns(pack_tables([self.canonical(table)], self.spec.zero_label))
        if self._lookup is None:
            self._lookup = np.lexsort(self._cols[::-1])
        lo, hi = 0, len(self._lookup)
        for col, k in zip(self._cols, key):
            vals = col[self._lookup[lo:hi]]
            lo, hi = lo + int(np.searchsorted(vals, k[0], "left")), lo + int(np.searchsorted(vals, k[0], "right"))
            if lo == hi:
                return None
        return int(self._lookup[lo])

    def count(self, table) -> int:
        """Settings computing ``table`` (0 if none)."""
        i = self._class_index(table)
        return 0 if i is None else int(self.counts_by_class[i])

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
        return np.repeat(self.counts_by_class, self.sizes).tolist()

    def ranked(self):
        """[(table, count)] for every table, count descending then table ascending (expanded)."""
        return self.expand().ranked()

    def expand(self):
        """The same prior with every table listed (:class:`~enumerate.results.prior.FunctionPrior`)."""
        if self._expanded is None:
            counts = {}
            for rep, _size, c in self.classes():
                for t in self.group.orbit(rep):
                    counts[t] = c
            self._expanded = FunctionPrior(self.spec, counts, self.method, dict(self.meta))
        return self._expanded

    @property
    def counts(self) -> dict:
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
            **{k: v for k, v in self.meta.items() if k not in ("schema", "spec", "form", "count_spectrum")},
        }

    def save(self, path):
        """Write ``.npz`` (classes, compact), or the expanded JSON for a small prior."""
        if str(path).endswith(".npz"):
            return write_npz(path, self.header(), self.tables, self.counts_by_class, self.sizes)
        if self.num_functions > MAX_JSON_FUNCTIONS:
            raise SpecError("--out", f"{self.num_functions:,} functions are too many for JSON; give a .npz file name")
        return self.expand().save(path)

    @staticmethod
    def load(path):
        """Load a result file (see :func:`load_prior`)."""
        return load_prior(path)


def _empty(spec):
    return np.zeros((0, 2 if spec.zero_label == "0" else 1, (len(spec.domain) + 63) // 64), np.uint64)


def load_prior(path):
    """Load a prior saved as JSON or ``.npz``: a FunctionPrior, or a ClassPrior for a class file.

    The totals in the header are re-checked against the data.
    """
    path = os.fspath(path)
    try:
        with open(path, "rb") as fh:
            magic = fh.read(2)
    except OSError as exc:
        raise SpecError("prior", f"cannot read {path!r} ({exc.strerror})") from None
    if magic != b"PK":
        try:
            with open(path) as fh:
                data = json.load(fh)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise bad_file(path, f"neither JSON nor npz: {exc}") from None
        if not isinstance(data, dict):
            raise bad_file(path, "JSON is not an object")
        try:
            return FunctionPrior.from_json(data)
        except SpecError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise bad_file(path, f"missing or malformed field {exc}") from None
    header, spec, tables, counts, sizes = read_npz(path)
    meta = {k: header[k] for k in ("elapsed_s",) if k in header}
    if header["form"] == "classes":
        prior = ClassPrior(spec, tables, sizes, counts, header.get("method", "classes"), meta)
        covered = prior.covered
    else:
        from ..core.cube import unpack_tables

        prior = FunctionPrior(spec, dict(zip(unpack_tables(tables, len(spec.domain)), (int(c) for c in counts))),
                              header.get("method", "brute"), meta)
        covered = prior.covered
    if covered != header.get("covered") or prior.num_functions != header.get("num_functions"):
        raise bad_file(path, "counts do not add up to the header's covered/num_functions")
    return prior

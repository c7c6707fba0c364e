"""The exact induced prior over functions: :class:`FunctionPrior`.

>>> from enumerate import NetworkSpec, count_prior
>>> prior = count_prior(NetworkSpec.parse("fc:1,1", "-1,0,1", "sign", "01"), progress=False)
>>> prior.num_functions, prior.total
(4, 9)
>>> prior.ranked()
[('--', 5), ('++', 2), ('+-', 1), ('-+', 1)]
>>> prior.probability("-+")
Fraction(1, 9)
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction

from .io import SCHEMA, atomic_write_json, fraction_str, spectrum_json, versions
from ..core.spec import NetworkSpec, SpecError
from ..core.validate import check_table

# the I/O helpers live in prior_io; they stay importable from here
__all__ = ["FunctionPrior", "PriorQueries", "SCHEMA", "atomic_write_json", "versions", "fraction_str"]


class PriorQueries:
    """The queries shared by every form of an exact prior (:class:`FunctionPrior`,
    :class:`~enumerate.results.classes.ClassPrior`): subclasses give ``spec``, ``count(table)``,
    ``covered`` and ``count_spectrum()``."""

    @property
    def total(self) -> int:
        """``|Q|^P``, the number of parameter settings of the network."""
        return self.spec.total

    @property
    def is_complete(self) -> bool:
        return self.covered == self.total

    def probability(self, table: str) -> Fraction:
        """Exact prior probability P(h = table)."""
        return Fraction(self.count(table), self.total)

    def neg_log_prob(self, table: str) -> float:
        """-ln P(h = table) (float report; ``inf`` if unrealizable)."""
        c = self.count(table)
        return math.inf if c == 0 else math.log(self.total) - math.log(c)

    def rho(self, teacher) -> Fraction:
        """Teacher-equivalence probability rho~ = P(h == h*).

        ``teacher`` is a truth table string, or a :class:`~enumerate.core.teacher.Teacher`.
        """
        table = teacher if isinstance(teacher, str) else teacher.table
        return self.probability(table)

    def entropy(self) -> float:
        """Shannon entropy of the prior over functions, in nats (float report)."""
        T = self.total
        return -sum(m * c / T * (math.log(c) - math.log(T)) for c, m in self.count_spectrum().items())

    # ---- report
    def summary(self, top=10) -> str:
        """A short human-readable report."""
        spec = self.spec
        lines = [
            f"network {spec.arch}  act {spec.act}  Q {spec.q.name} (|Q|={len(spec.q)})  domain {spec.domain.kind} "
            f"(|X|={len(spec.domain)})  zero-label {spec.zero_label}",
            f"P = {spec.num_params} parameters, |Q|^P = {self.total:,} settings, "
            f"{self.num_functions:,} functions ({self.method})" + self._summary_extra(),
        ]
        if "elapsed_s" in self.meta:
            lines[-1] += f" in {self.meta['elapsed_s']:.2f} s"
        lines.append(f"{'rank':>4}  {'table':<{max(5, len(spec.domain))}}  {'count':>20}  probability")
        for r, (t, c) in enumerate(self.top(top), 1):
            p = Fraction(c, self.total)
            lines.append(f"{r:>4}  {t:<{max(5, len(spec.domain))}}  {c:>20,}  {float(p):.6g} = {p}")
        return "\n".join(lines)

    def _summary_extra(self) -> str:
        return ""

    def _check_table(self, table):
        check_table(table, len(self.spec.domain), self.spec.zero_label)


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
        from .classes import ClassPrior

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
        from .io import load_prior

        return load_prior(path)

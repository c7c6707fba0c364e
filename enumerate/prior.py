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

import json
import math
import os
import tempfile
from dataclasses import dataclass, field
from fractions import Fraction

from .spec import NetworkSpec, SpecError

__all__ = ["FunctionPrior", "SCHEMA", "atomic_write_json", "versions", "fraction_str"]

SCHEMA = "enumerate.prior/1"


def fraction_str(x) -> str:
    """An exact probability as the JSON string ``"p/q"`` (always with a denominator).

    >>> fraction_str(Fraction(2, 4)), fraction_str(1)
    ('1/2', '1/1')
    """
    x = Fraction(x)
    return f"{x.numerator}/{x.denominator}"


def versions(extra=()):
    """Versions of this package and of the libraries a result depends on (plus ``extra``)."""
    import platform

    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for pkg in ("qnet-priors", "numpy", "numba", *extra):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = None
    return out


def atomic_write_json(path, data):
    """Write JSON to ``path`` via a temporary file and a rename: never half-written."""
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "w") as fh:
            json.dump(data, fh, indent=1)
            fh.write("\n")
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the usual mode
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


@dataclass
class FunctionPrior:
    """Exact counts of parameter settings per truth table.

    ``counts`` maps table strings to exact ints. A complete prior has
    ``sum(counts.values()) == spec.total``; partial priors (shards) merge by adding.
    """

    spec: NetworkSpec
    counts: dict
    method: str = "brute"
    meta: dict = field(default_factory=dict)

    # ---- sizes
    @property
    def total(self) -> int:
        """``|Q|^P``, the number of parameter settings of the network."""
        return self.spec.total

    @property
    def covered(self) -> int:
        """Settings counted so far (== total when complete)."""
        return sum(self.counts.values())

    @property
    def is_complete(self) -> bool:
        return self.covered == self.total

    @property
    def num_functions(self) -> int:
        return len(self.counts)

    # ---- queries
    def count(self, table: str) -> int:
        """Settings computing ``table`` (0 if none)."""
        self._check_table(table)
        return self.counts.get(table, 0)

    def probability(self, table: str) -> Fraction:
        """Exact prior probability P(h = table)."""
        return Fraction(self.count(table), self.total)

    def neg_log_prob(self, table: str) -> float:
        """-ln P(h = table) (float report; ``inf`` if unrealizable)."""
        c = self.count(table)
        return math.inf if c == 0 else math.log(self.total) - math.log(c)

    def rho(self, teacher) -> Fraction:
        """Teacher-equivalence probability rho~ = P(h == h*).

        ``teacher`` is a truth table string, or a :class:`~enumerate.teacher.Teacher`.
        """
        table = teacher if isinstance(teacher, str) else teacher.table
        return self.probability(table)

    def ranked(self):
        """[(table, count)] sorted by count descending, then table ascending."""
        return sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))

    def rank_frequency(self):
        """Counts in rank order (a list of ints, largest first)."""
        return sorted(self.counts.values(), reverse=True)

    def entropy(self) -> float:
        """Shannon entropy of the prior over functions, in nats (float report)."""
        T = self.total
        return -sum(c / T * (math.log(c) - math.log(T)) for c in self.counts.values())

    def _check_table(self, table):
        n = len(self.spec.domain)
        allowed = set("+-0") if self.spec.zero_label == "0" else set("+-")
        if not isinstance(table, str) or len(table) != n or not set(table) <= allowed:
            chars = "+, - and 0" if self.spec.zero_label == "0" else "+ and -"
            raise SpecError("table", f"{table!r}: need {n} characters from {chars}")

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
            "functions": [{"table": t, "count": c} for t, c in ranked],
            "versions": versions(),
            **{k: v for k, v in self.meta.items() if k not in ("schema", "spec", "functions")},
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
        atomic_write_json(path, self.to_json())

    @classmethod
    def load(cls, path) -> "FunctionPrior":
        with open(path) as fh:
            return cls.from_json(json.load(fh))

    # ---- report
    def summary(self, top=10) -> str:
        """A short human-readable report."""
        spec = self.spec
        lines = [
            f"network {spec.arch}  act {spec.act}  Q {spec.q.name} (|Q|={len(spec.q)})  domain {spec.domain.kind} "
            f"(|X|={len(spec.domain)})  zero-label {spec.zero_label}",
            f"P = {spec.num_params} parameters, |Q|^P = {self.total:,} settings, "
            f"{self.num_functions:,} functions ({self.method})",
        ]
        if "elapsed_s" in self.meta:
            lines[-1] += f" in {self.meta['elapsed_s']:.2f} s"
        lines.append(f"{'rank':>4}  {'table':<{max(5, len(spec.domain))}}  {'count':>20}  probability")
        for r, (t, c) in enumerate(self.ranked()[:top], 1):
            p = Fraction(c, self.total)
            lines.append(f"{r:>4}  {t:<{max(5, len(spec.domain))}}  {c:>20,}  {float(p):.6g} = {p}")
        return "\n".join(lines)

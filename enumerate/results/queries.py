"""The queries every form of an exact prior answers (:class:`PriorQueries`).

A form (:class:`~enumerate.results.prior.FunctionPrior`,
:class:`~enumerate.results.prior.ClassPrior`) gives ``spec``, ``count(table)``, ``covered``,
``num_functions``, ``top(k)`` and ``count_spectrum()``; probabilities, rho~, C~, entropy and
the summary follow from those here, once.

>>> from enumerate import NetworkSpec, count_prior
>>> prior = count_prior(NetworkSpec.parse("fc:1,1", "-1,0,1"), progress=False)
>>> isinstance(prior, PriorQueries), prior.probability("-+"), prior.is_complete
(True, Fraction(1, 9), True)
"""

from __future__ import annotations

import math
from fractions import Fraction

from ..core.validate import check_table

__all__ = ["PriorQueries"]


class PriorQueries:
    """The queries shared by every form of an exact prior (:class:`FunctionPrior`,
    :class:`~enumerate.results.classes.ClassPrior`): subclasses give ``spec``, ``count(table)``,
    ``covered`` and ``count_spectrum()``."""

    @property
    def total(self) -> int:
        """``|Q|^P``, the number of parameter settings of the network."""
        cached = self.__dict__.get("_total_of")
        if cached is None or cached[0] is not self.spec:
            cached = self.__dict__["_total_of"] = (self.spec, self.spec.total)
        return cached[1]

    @property
    def is_complete(self) -> bool:
        """True when every one of the ``total`` settings is counted (``covered == total``);
        a run stopped early and saved as partial has ``False``."""
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
        if not isinstance(teacher, str) and not isinstance(getattr(teacher, "table", None), str):
            raise TypeError(f"rho: teacher must be a truth table like '+-' or a Teacher (make_teacher), "
                            f"not {type(teacher).__name__}")
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

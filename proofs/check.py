"""The paper's lower bounds on rho~ for one (student, teacher) pair: :func:`check_bounds`.

For a student spec and a teacher of the same family (FC, SFC, CNN or SCNN), compare
exactly (integers of settings, Fractions of probabilities):

* the exact rho~ = P(h == h*), counted by :func:`enumerate.count_prior`;
* the single-embedding bound Q^-K (one embedding construction pins K parameters);
* the multi-embedding bound n_emb / |Aut(theta*)| * Q^-K (the union of all embeddings,
  claimed for irreducible teachers only; ``None`` otherwise).

The family claims (``python -m proofs fc-embedding`` ...) evaluate the bounds of every
teacher setting with the same :func:`bound_report`.

>>> from enumerate import NetworkSpec, make_teacher
>>> student = NetworkSpec.parse("fc:2,2,1", "-1,0,1")
>>> r = check_bounds(student, make_teacher(student, "fc:2,1,1", "1,1,-1,1,0"))
>>> r.rho, r.multi, r.single, r.holds
(Fraction(316, 19683), Fraction(2, 729), Fraction(1, 729), True)
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from enumerate import SpecError

from .bounds import terms

__all__ = ["BoundReport", "check_bounds", "bound_report", "default_single", "default_multi", "CONSTRUCTIONS"]

#: how each family's embedding construction pins parameters (paper Fig. 1b / 1c)
CONSTRUCTIONS = {
    "fc": "embedding (paper Fig. 1b): copy the teacher's weights and biases into d*_l student neurons per layer, "
          "zero the weights from the other neurons into them; K = sum_l d*_l (d_(l-1) + 1)",
    "sfc": "scaled embedding (paper Fig. 1c): copy the teacher's neurons (weights between them, biases, scales), "
           "scale 0 on every other neuron; K = M(d*) + sum_(hidden l) d_l",
    "cnn": "channel embedding: copy the teacher's kernels and biases into c*_l student channels, zero the taps from "
           "the other channels into them; K = sum_(conv l) c*_l (k_l c_(l-1) + 1) + r + 1",
    "scnn": "scaled channel embedding: copy the teacher's channels (kernels between them, biases, scales), scale 0 "
            "on every other channel; K = sum_(conv l) [c*_l (k_l c*_(l-1) + 2) + (c_l - c*_l)] + r* + 1",
}
MULTI = ("union of the n_emb = prod_l c_l!/(c_l - c*_l)! embeddings, which coincide only modulo Aut(theta*) "
         "(irreducible teachers)")


def default_single(t, aut):
    """Settings in one embedding event: Q^(P-K) (``t``: :class:`proofs.bounds.Terms`).

    >>> from enumerate import NetworkSpec
    >>> from proofs.bounds import terms
    >>> s = NetworkSpec.parse("fc:1,2,1", "-1,0,1")
    >>> default_single(terms(s, s.with_arch("fc:1,1,1").arch), 1)
    9
    """
    return t.single_count()


def default_multi(t, aut):
    """Settings in the union of the embedding events: n_emb / |Aut| * Q^(P-K).

    >>> from enumerate import NetworkSpec
    >>> from proofs.bounds import terms
    >>> s = NetworkSpec.parse("fc:1,2,1", "-1,0,1")
    >>> default_multi(terms(s, s.with_arch("fc:1,1,1").arch), 1)
    18
    """
    return t.multi_count(aut)


@dataclass(frozen=True)
class BoundReport:
    """The bounds on rho~ for one (student, teacher) pair, exact.

    Attributes
    ----------
    student : NetworkSpec
    teacher_arch : Architecture
    teacher_params : tuple of Fraction
        Canonical parameter order.
    table : str
        The teacher's truth table h*.
    count : int
        Student settings computing ``table``.
    total : int
        |Q|^P, every student setting.
    irreducible : bool
        Every hidden teacher unit has a nonzero outgoing weight (FC, CNN) or a nonzero
        scale (SFC, SCNN): the condition of the multi-embedding bound.
    aut : int
        |Aut(theta*)|: permutations of the teacher's hidden units fixing its parameters.
    k_weights, k_scales : int
        Parameters (Q-valued, scales) pinned by one embedding construction.
    n_emb : int
        Number of embeddings of the teacher into the student.
    single_count : int
        Settings in one embedding event.
    multi_formula : int
        n_emb / |Aut| * ``single_count``: the union of the events for an irreducible
        teacher (only an upper estimate of the union for a reducible one).
    method : str
        How ``count`` was computed.

    Examples
    --------
    >>> from enumerate import NetworkSpec, make_teacher
    >>> student = NetworkSpec.parse("fc:1,2,1", "-1,0,1")
    >>> r = check_bounds(student, make_teacher(student, "fc:1,1,1", "1,0,1,0"))
    >>> r.count, r.single_count, r.multi_count, r.tightness
    (164, 9, 18, (Fraction(164, 9), Fraction(82, 9)))
    """

    student: object
    teacher_arch: object
    teacher_params: tuple
    table: str
    count: int
    total: int
    irreducible: bool
    aut: int
    k_weights: int
    k_scales: int
    n_emb: int
    single_count: int
    multi_formula: int
    method: str = "auto"

    @property
    def multi_count(self) -> int | None:
        """Settings in the union of the embedding events (``None``: reducible teacher)."""
        return self.multi_formula if self.irreducible else None

    @property
    def family(self) -> str:
        return self.student.arch.kind

    @property
    def rho(self) -> Fraction:
        """Exact teacher-equivalence probability rho~ = count / total."""
        return Fraction(self.count, self.total)

    @property
    def C(self) -> float:
        """Effective complexity C~ = -ln rho~ (a float report; ``inf`` when rho~ = 0)."""
        return math.inf if self.count == 0 else math.log(self.total) - math.log(self.count)

    @property
    def single(self) -> Fraction:
        """Single-embedding lower bound Q^-K."""
        return Fraction(self.single_count, self.total)

    @property
    def multi(self) -> Fraction | None:
        """Multi-embedding lower bound n_emb / |Aut| Q^-K (``None``: reducible teacher)."""
        return None if self.multi_count is None else Fraction(self.multi_count, self.total)

    @property
    def holds(self) -> bool:
        """rho~ >= multi >= single (multi where it applies), exactly."""
        if self.multi_count is None:
            return self.count >= self.single_count
        return self.count >= self.multi_count >= self.single_count

    @property
    def tightness(self) -> tuple:
        """(rho~ / single, rho~ / multi or None): 1 means the bound is attained."""
        ratio = lambda b: None if not b else Fraction(self.count, b)  # noqa: E731
        return ratio(self.single_count), ratio(self.multi_count)

    @property
    def constructions(self) -> dict:
        """Which construction each bound comes from."""
        return {"single": CONSTRUCTIONS[self.family], "multi": MULTI}

    def to_json(self) -> dict:
        """The JSON of ``python -m proofs bound --out`` (schema ``proofs.bound/1``)."""
        from enumerate.results.io import fraction_str, versions

        frac = lambda x: None if x is None else fraction_str(x)  # noqa: E731
        return {
            "schema": "proofs.bound/1",
            "student": self.student.to_json(),
            "teacher": {"arch": str(self.teacher_arch), "params": [str(p) for p in self.teacher_params],
                        "table": self.table, "irreducible": self.irreducible, "aut": self.aut},
            "count": self.count, "total": self.total, "method": self.method,
            "rho": fraction_str(self.rho), "C": self.C,
            "k_weights": self.k_weights, "k_scales": self.k_scales, "n_emb": self.n_emb,
            "single": fraction_str(self.single), "multi": frac(self.multi), "holds": self.holds,
            "tightness": {"single": frac(self.tightness[0]), "multi": frac(self.tightness[1])},
            "constructions": self.constructions,
            "versions": versions(),
        }

    def __str__(self):
        s, q, qs = self.student, len(self.student.q), len(self.student.scales)
        kw, ks = self.k_weights, self.k_scales
        power = f"{q}^-{kw + ks}" if q == qs or not ks else f"{q}^-{kw} * {qs}^-{ks}"
        k = f"K = {kw + ks} pinned parameters" + (f" ({kw} from Q, {ks} scales)" if ks else "")
        lines = [
            f"student {s.arch} (Q = {{{s.q.name}}}, {s.act}, domain {s.domain.kind}, zero-label {s.zero_label}): "
            f"|Q|^P = {self.total:,}",
            f"teacher {self.teacher_arch} params [{', '.join(map(str, self.teacher_params))}]: table {self.table}, "
            f"{'irreducible' if self.irreducible else 'reducible'}, |Aut| = {self.aut}",
            f"exact   rho~ = {self.count:,} / {self.total:,} = {float(self.rho):.6g};  C~ = -ln rho~ = {self.C:.4f}",
        ]

        def row(name, bound, tight, formula, construction):
            ok = "holds" if self.count >= bound * self.total else "FAILS"
            lines.append(f"{name:<7} rho~ >= {formula} = {float(bound):.6g}  (C~ <= {-_ln(bound):.4f}); "
                         f"exact/bound = {float(tight):.4g}: {ok}")
            lines.extend(textwrap.wrap(f"from the {construction}", 100, initial_indent=" " * 8,
                                       subsequent_indent=" " * 8))

        if self.multi is not None:
            row("multi", self.multi, self.tightness[1], f"{self.n_emb}/{self.aut} * {power}", MULTI)
        else:
            lines.append(f"multi   not claimed: the teacher is reducible (n_emb = {self.n_emb})")
        row("single", self.single, self.tightness[0], power, CONSTRUCTIONS[self.family])
        lines.append(f"{k}; bounds {'hold' if self.holds else 'FAIL'}")
        return "\n".join(lines)


def _ln(x: Fraction) -> float:
    return math.log(x.numerator) - math.log(x.denominator)


@lru_cache(maxsize=256)
def _terms(student, teacher_arch):
    return terms(student, teacher_arch)  # sympy evaluation: once per (student, teacher architecture)


def bound_report(student, teacher_arch, teacher_params, table, count, irreducible, aut, *,
                 single=default_single, multi=default_multi, method="auto") -> BoundReport:
    """Evaluate the bounds for a teacher whose table, irreducibility and |Aut| are known.

    The one implementation behind :func:`check_bounds` and the family claims (which
    know these three for whole groups of teacher settings at once).

    Parameters
    ----------
    student : NetworkSpec
    teacher_arch : Architecture
    teacher_params : sequence
        The teacher's parameters (for the report).
    table : str
    count : int
        Exact student settings computing ``table``.
    irreducible : bool
    aut : int
    single, multi : callable
        ``f(terms, aut) -> settings`` giving each bound as a count (inject a wrong one to
        see a check fail).
    method : str
        How ``count`` was computed (for the report).

    Returns
    -------
    BoundReport

    Examples
    --------
    >>> from enumerate import NetworkSpec
    >>> s = NetworkSpec.parse("fc:1,2,1", "-1,0,1")
    >>> bound_report(s, s.with_arch("fc:1,1,1").arch, (1, 0, 1, 0), "-+", 123, True, 1).holds
    True
    """
    t = _terms(student, teacher_arch)
    return BoundReport(student, teacher_arch, tuple(teacher_params), table, count, t.total, bool(irreducible), aut,
                       t.k_weights, t.k_scales, t.n_emb, single(t, aut), multi(t, aut), method)


def check_bounds(student, teacher, *, method="auto", progress=None, force=False, threads=None,
                 prior=None) -> BoundReport:
    """The exact rho~ of a teacher in a student and the paper's lower bounds on it.

    Parameters
    ----------
    student : NetworkSpec
        The student network; Q (and the scale set) must contain 0.
    teacher : Teacher
        A teacher of the student's family (from :func:`enumerate.make_teacher`): same
        depth, input and Q, no wider.
    method : {"auto", "brute", "fast"}
        How :func:`enumerate.count_prior` counts the student's prior.
    progress : bool or None
        Progress bar while counting (``None``: only when stderr is a terminal).
    force, threads
        Passed to :func:`enumerate.count_prior` (brute force above the budget; worker
        threads).
    prior : FunctionPrior, optional
        The student's prior, if already counted (reused for many teachers).

    Returns
    -------
    BoundReport
        ``rho`` (Fraction), ``C`` (float), ``single`` (Fraction), ``multi`` (Fraction or
        ``None`` for a reducible teacher), ``holds`` (bool), ``tightness``,
        ``constructions``; ``str(report)`` is the printed report.

    Raises
    ------
    SpecError
        When the teacher does not fit the student (another family, depth or input,
        wider, another Q, activation, domain or zero-label rule), 0 is not in Q, or
        ``prior`` is of another spec.

    Examples
    --------
    >>> from enumerate import NetworkSpec, make_teacher
    >>> student = NetworkSpec.parse("sfc:1,2,1", "-1,0,1")
    >>> r = check_bounds(student, make_teacher(student, "sfc:1,1,1", "1,0,1,1,0"))
    >>> r.rho >= r.multi >= r.single, r.k_weights, r.k_scales
    (True, 4, 2)
    >>> check_bounds(student, make_teacher(NetworkSpec.parse("fc:1,2,1", "-1,0,1"), "fc:1,1,1", "1,0,1,0"))
    Traceback (most recent call last):
    ...
    enumerate.SpecError: teacher: teacher family fc differs from the student's sfc
    """
    from enumerate import count_prior
    from enumerate.core.spec import require_spec
    from enumerate.core.teacher import Teacher, check_fits_student

    from .embedding import count_automorphisms_brute, is_irreducible, require_zero

    require_spec(student, "check_bounds", "student")
    if not isinstance(teacher, Teacher):
        raise TypeError(f"check_bounds: teacher must be a Teacher built by make_teacher(student, arch, params), "
                        f"not {type(teacher).__name__}: the bounds need the teacher's parameters (for the exact "
                        f"rho~ of a table alone: count_prior(student).rho(table))")
    tspec = teacher.spec
    check_fits_student(tspec.arch, student.arch)
    if student.with_arch(tspec.arch) != tspec:
        raise SpecError("teacher", "the teacher was built for another student (its Q, scale set, activation, "
                                     "domain or zero-label rule differ); build it with make_teacher(student, ...)")
    require_zero(student)
    if prior is None:
        prior = count_prior(student, method, progress=progress, force=force, threads=threads)
    elif prior.spec != student:
        raise SpecError("prior", "the prior is of another spec than the student")
    return bound_report(student, tspec.arch, teacher.params, teacher.table, prior.count(teacher.table),
                        is_irreducible(tspec, teacher.params), count_automorphisms_brute(tspec, teacher.params),
                        method=prior.method)

"""Exact rho~ and C~ of one narrow teacher in students of growing width, against the bounds.

``W`` in the student's architecture marks the swept hidden width (``fc:3,W,1``,
``fc:2,W,2,1``; several hidden layers may carry it). For each width the teacher's exact
count is computed -- by the teacher-equivalence counter
(:mod:`enumerate.counting.teacher_count`) for 2-layer students, by the full prior
otherwise (``count_prior``'s ``auto`` choice: for two hidden layers the two-hidden-layer
class counter, :mod:`enumerate.counting.deep`) -- and set beside the paper's single- and
multi-embedding lower bounds (:func:`proofs.check.bound_report`) and, for an FC student, the bound the scaled
(SFC) construction would give at the same widths.

>>> sw = width_sweep("fc:2,W,1", "-1,0,1", teacher=("fc:2,1,1", "1,1,-1,1,0"), widths=[1, 2])
>>> [(r.width, str(r.rho), round(r.C, 3)) for r in sw.rows]
[(1, '2/243', 4.8), (2, '316/19683', 4.132)]
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field
from fractions import Fraction

from enumerate import SpecError

__all__ = ["SweepRow", "WidthSweep", "width_sweep", "parse_widths", "substitute_width", "MAX_WIDTH"]

#: the widest student a sweep accepts
MAX_WIDTH = 1000


def parse_widths(text, argument="--widths") -> list:
    """``"1-12"``, ``"1,2,4,8"`` or ``"1-4,8"`` as a sorted list of distinct widths >= 1.

    >>> parse_widths("1-3,8"), parse_widths("5")
    ([1, 2, 3, 8], [5])
    """
    out = set()
    for part in str(text).split(","):
        part = part.strip()
        m = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if not m:
            raise SpecError(argument, f"{part!r} is not a width or a range (write 1-12 or 1,2,4,8)")
        lo, hi = int(m.group(1)), int(m.group(2) or m.group(1))
        if lo < 1 or hi < lo:
            raise SpecError(argument, f"{part!r}: widths are >= 1 and a range goes upward")
        if hi > MAX_WIDTH:
            raise SpecError(argument, f"{part!r}: widths go up to {MAX_WIDTH}")
        out.update(range(lo, hi + 1))
    return sorted(out)


def substitute_width(arch, w) -> str:
    """The architecture with every hidden ``W`` replaced by ``w``.

    >>> substitute_width("fc:2,W,2,1", 6), substitute_width("sfc:3,W,W,1", 2)
    ('fc:2,6,2,1', 'sfc:3,2,2,1')
    """
    kind, sep, rest = str(arch).partition(":")
    parts = rest.split(",")
    if not sep or kind not in ("fc", "sfc") or "W" not in parts[1:-1] or "W" in (parts[0], parts[-1]):
        raise SpecError("--arch", f"{arch!r}: mark the swept hidden width with W in an fc/sfc architecture "
                                  "(e.g. fc:3,W,1 or sfc:2,W,2,1)")
    return f"{kind}:" + ",".join(str(w) if p == "W" else p for p in parts)


@dataclass(frozen=True)
class SweepRow:
    """One width of a sweep: exact count and rho~, C~ = -ln rho~, the bounds (Fractions;
    ``multi`` is None for a reducible teacher, ``sfc`` None for an SFC student) and the
    ratios exact/bound."""

    width: int
    arch: str
    count: int
    total: int
    k: int
    n_emb: int
    single: Fraction
    multi: Fraction | None
    sfc: Fraction | None
    method: str
    seconds: float

    @property
    def rho(self) -> Fraction:
        return Fraction(self.count, self.total)

    @property
    def C(self) -> float:
        return math.inf if not self.count else math.log(self.total) - math.log(self.count)

    def ratio(self, bound):
        return None if bound is None else self.rho / bound

    def to_json(self) -> dict:
        from enumerate.results.io import fraction_str

        frac = lambda x: None if x is None else fraction_str(x)  # noqa: E731
        ratio = lambda b: None if b is None else float(self.rho / b)  # noqa: E731
        return {"width": self.width, "arch": self.arch, "count": self.count, "total": self.total,
                "rho": fraction_str(self.rho), "C": self.C, "k": self.k, "n_emb": self.n_emb,
                "single": frac(self.single), "multi": frac(self.multi), "sfc": frac(self.sfc),
                "ratio_single": ratio(self.single), "ratio_multi": ratio(self.multi), "ratio_sfc": ratio(self.sfc),
                "C_single": -_ln(self.single), "C_multi": None if self.multi is None else -_ln(self.multi),
                "method": self.method, "seconds": self.seconds}


def _ln(x: Fraction) -> float:
    return math.log(x.numerator) - math.log(x.denominator)


@dataclass
class WidthSweep:
    """A sweep: the student template, the teacher and one :class:`SweepRow` per width.

    Examples
    --------
    >>> sw = width_sweep("sfc:2,W,1", "-1,0,1", teacher=("sfc:2,1,1", "1,1,-1,1,1,0"), widths=[1])
    >>> sw.rows[0].sfc is None, sw.table, sw.irreducible
    (True, '---+', True)
    """

    arch: str
    q: str
    act: str
    domain: str
    zero_label: str
    teacher_arch: str
    teacher_params: tuple
    table: str
    irreducible: bool
    aut: int
    rows: list = field(default_factory=list)

    def format_row(self, r) -> str:
        multi = "-" if r.multi is None else f"{float(r.multi):.3g} ({float(r.rho / r.multi):.3g}x)"
        sfc = "" if r.sfc is None else f"  sfc bound {float(r.sfc):.3g} ({float(r.rho / r.sfc):.3g}x)"
        return (f"W={r.width:<3} rho~ {float(r.rho):.4g}  C~ {r.C:.4f}  single {float(r.single):.3g} "
                f"({float(r.rho / r.single):.3g}x)  multi {multi}{sfc}  [{r.method}, {r.seconds:.2f} s]")

    def header(self) -> str:
        return (f"student {self.arch} (Q = {{{self.q}}}, {self.act}, domain {self.domain}, zero-label {self.zero_label}); "
                f"teacher {self.teacher_arch} [{', '.join(map(str, self.teacher_params))}]: table {self.table}, "
                f"{'irreducible' if self.irreducible else 'reducible'}, |Aut| = {self.aut}")

    def __str__(self):
        return "\n".join([self.header()] + [self.format_row(r) for r in self.rows])

    def to_json(self) -> dict:
        from enumerate.results.io import versions

        return {"schema": "proofs.width-sweep/1", "arch": self.arch, "q": self.q, "act": self.act,
                "domain": self.domain, "zero_label": self.zero_label,
                "teacher": {"arch": self.teacher_arch, "params": [str(p) for p in self.teacher_params],
                            "table": self.table, "irreducible": self.irreducible, "aut": self.aut},
                "rows": [r.to_json() for r in self.rows], "versions": versions()}


def _sfc_bound(spec, tarch):
    """The SFC construction's single-embedding bound at the widths of an FC student (or None)."""
    if spec.arch.kind != "fc":
        return None
    from .bounds import k_sfc
    from .embedding import units

    d, ds = units(spec.arch), units(tarch)
    return Fraction(1, len(spec.q) ** int(k_sfc(d, ds)))


def width_sweep(arch, q, act="sign", domain="01", zero_label="-1", *, teacher, widths, scale_q=None,
                progress=None, force=False, on_row=None) -> WidthSweep:
    """Exact rho~ of one teacher in the students ``arch`` (``W`` marks the width) at ``widths``.

    Parameters
    ----------
    arch : str
        An fc/sfc architecture with ``W`` for the swept hidden width(s).
    q, act, domain, zero_label, scale_q : str
        The student's quantization set, activation, domain, zero-label rule, scale set.
    teacher : (str, str or sequence)
        The teacher's architecture and parameters (canonical order).
    widths : iterable of int or str
        The widths (``"1-12"`` is accepted).
    progress, force
        Progress bars; run above the time/memory budget of a counter.
    on_row : callable, optional
        Called with each row as soon as it is computed (the CLI prints it).

    Returns
    -------
    WidthSweep
    """
    from enumerate import NetworkSpec, count_prior, make_teacher
    from enumerate.counting.teacher_count import TeacherCounter, check_budget, teacher_count_supported

    from .bounds import terms
    from .embedding import count_automorphisms_brute, is_irreducible, require_zero

    if isinstance(widths, str):
        widths = parse_widths(widths)
    widths = sorted({int(w) for w in widths})
    if widths and widths[-1] > MAX_WIDTH:
        raise SpecError("--widths", f"widths go up to {MAX_WIDTH}, not {widths[-1]}")
    if not widths or widths[0] < 1:
        raise SpecError("--widths", "give at least one width >= 1")
    specs = [NetworkSpec.parse(substitute_width(arch, w), q, act, domain, zero_label, scale_q) for w in widths]
    require_zero(specs[0])
    tarch, tparams = teacher
    first = make_teacher(specs[0], tarch, tparams)
    tspec = first.spec
    out = WidthSweep(str(arch), specs[0].q.name, str(specs[0].act), specs[0].domain.kind, specs[0].zero_label,
                     str(tspec.arch), first.params, first.table, is_irreducible(tspec, first.params),
                     count_automorphisms_brute(tspec, first.params))
    counter, chained = None, {}
    if teacher_count_supported(specs[-1]):
        check_budget(specs[-1], force, table=first.table)  # the widest student bounds the whole sweep's cost
        counter = TeacherCounter(specs[-1], first.table, progress)
        # the widths the dense chain reaches run at once (one pass per prime), the rest one by one
        chained = counter.counts([w for w in widths if counter.chained(w)])
    for w, spec in zip(widths, specs):
        make_teacher(spec, tarch, tparams)  # fits every width (the teacher is no wider than the narrowest)
        t0 = time.perf_counter()
        if w in chained:
            count, method = chained[w], "teacher-chain"
        elif counter is not None:
            count, method = counter.count(spec.arch.widths[1]), "teacher"
        else:
            prior = count_prior(spec, "auto", progress=progress, force=force)
            count, method = prior.count(first.table), prior.method
        seconds = counter.seconds[w] if w in chained else time.perf_counter() - t0
        t = terms(spec, tspec.arch)
        multi = Fraction(t.multi_count(out.aut), t.total) if out.irreducible else None
        row = SweepRow(w, str(spec.arch), count, t.total, t.k, t.n_emb, t.single_rho(), multi,
                       _sfc_bound(spec, tspec.arch), method, seconds)
        out.rows.append(row)
        if on_row is not None:
            on_row(out, row)
    return out

"""Minimal teachers: the narrowest network of a family that realizes a truth table.

An architecture *pattern* has one ``W`` standing for the width searched, e.g.
``fc:2,W,1``, ``sfc:3,W,1``, ``fc:2,W,W,1`` or ``cnn:1x4/Wk2s1/flat``. For each width
w = 1, 2, ... the pattern's network is encoded once and every wanted table is tried as
a set of SAT assumptions (incremental solving); the first width that is SAT is the
minimal width, and the witness parameters are checked with the reference evaluator.

>>> r = min_width("+--+", "fc:2,W,1", "-1,0,1")   # XNOR needs two sign neurons
>>> r.width, r.arch
(2, 'fc:2,2,1')
>>> min_width("---+", "fc:2,W,1", "-1,0,1").width     # AND needs one
1
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

from enumerate.core.reference import truth_table
from enumerate.core.spec import NetworkSpec, SpecError
from enumerate.core.validate import check_table

from .count import SOLVER
from .encode import encode

__all__ = ["MinTeacher", "min_width", "min_width_all", "arch_with_width", "simplicity_table", "all_tables"]


@dataclass
class MinTeacher:
    """``width`` is None when no width up to ``max_width`` realizes ``table``."""

    table: str
    width: int | None
    arch: str | None
    params: tuple | None
    max_width: int

    def to_json(self):
        return {"table": self.table, "min_width": self.width, "teacher_arch": self.arch,
                "teacher_params": None if self.params is None else [str(p) for p in self.params],
                "max_width": self.max_width}


def arch_with_width(pattern: str, width: int) -> str:
    """``pattern`` with every ``W`` replaced by ``width``.

    >>> arch_with_width("fc:3,W,W,1", 2)
    'fc:3,2,2,1'
    """
    if "W" not in pattern:
        raise SpecError("--arch", f"{pattern!r}: put a W where the width goes, e.g. fc:2,W,1 or cnn:1x4/Wk2s1/flat")
    return pattern.replace("W", str(width))


def all_tables(spec) -> list:
    """Every truth table of the spec's domain (3^|X| tables under zero-label rule 0)."""
    chars = "-+" if spec.zero_label != "0" else "-0+"
    return ["".join(t) for t in itertools.product(chars, repeat=len(spec.domain))]


def _spec(pattern, width, q, act, domain, zero_label, scale_q):
    return NetworkSpec.parse(arch_with_width(pattern, width), q, act, domain, zero_label, scale_q)


def min_width_all(tables, pattern, q, act="sign", domain="01", zero_label="-1", scale_q=None,
                  max_width=4, solver=SOLVER) -> dict:
    """``{table: MinTeacher}`` for every table in ``tables`` (None: every table)."""
    from pysat.solvers import Solver

    if max_width < 1:
        raise SpecError("--max-width", "must be >= 1")
    first = _spec(pattern, 1, q, act, domain, zero_label, scale_q)
    tables = all_tables(first) if tables is None else list(tables)
    for t in tables:
        check_table(t, len(first.domain), first.zero_label, "--table")
    out, todo = {}, list(dict.fromkeys(tables))
    for w in range(1, max_width + 1):
        if not todo:
            break
        spec = _spec(pattern, w, q, act, domain, zero_label, scale_q)
        enc = encode(spec)
        left = []
        with Solver(name=solver, bootstrap_with=enc.circuit.clauses) as s:
            for t in todo:
                if s.solve(assumptions=enc.table_lits(t)):
                    params = enc.decode(s.get_model())
                    if truth_table(spec, params) != t:  # pragma: no cover - an encoding bug
                        raise AssertionError(f"SAT witness for {t} computes {truth_table(spec, params)}")
                    out[t] = MinTeacher(t, w, str(spec.arch), tuple(params), max_width)
                else:
                    left.append(t)
        todo = left
    for t in todo:
        out[t] = MinTeacher(t, None, None, None, max_width)
    return {t: out[t] for t in tables}


def min_width(table, pattern, q, act="sign", domain="01", zero_label="-1", scale_q=None, max_width=4) -> MinTeacher:
    """The narrowest width of ``pattern`` realizing ``table`` (see the module doc)."""
    return min_width_all([table], pattern, q, act, domain, zero_label, scale_q, max_width)[table]


def simplicity_table(pattern, q, act="sign", domain="01", zero_label="-1", scale_q=None, max_width=4,
                     prior_arch=None, progress=False):
    """Rows ``(table, min width, count, probability)`` for every function of the domain,
    the probability under the exact prior of the student ``prior_arch`` (default: the
    pattern at ``max_width``), sorted by probability, largest first."""
    from enumerate import count_prior

    student = NetworkSpec.parse(prior_arch or arch_with_width(pattern, max_width), q, act, domain, zero_label, scale_q)
    prior = count_prior(student, "auto", progress=progress)
    mins = min_width_all(None, pattern, q, act, domain, zero_label, scale_q, max_width)
    rows = [(t, m.width, prior.count(t), Fraction(prior.count(t), prior.total)) for t, m in mins.items()]
    rows.sort(key=lambda r: (-r[2], r[0]))
    return student, rows

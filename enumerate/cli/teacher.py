"""``python -m enumerate teacher``: the exact teacher-equivalence probability rho~.

>>> from enumerate.cli import main
>>> main(["teacher", "--arch", "fc:2,2,1", "--q=-1,0,1", "--teacher", "fc:2,1,1",
...       "--teacher-params", "1,1,-1,1,0", "--quiet"])  # doctest: +ELLIPSIS
student fc:2,2,1 ...
rho~ = 316/19683 = ...
0
"""

from __future__ import annotations

from fractions import Fraction

from .._support.files import write_json
from ..results.io import fraction_str, versions
from .args import add_count_args, add_student_args, add_teacher_args, compute_prior, student_spec, teacher_target
from .parser import check_out

__all__ = ["HELP", "add_arguments", "run", "teacher_report"]

HELP = "exact teacher-equivalence probability rho~ of a teacher network"


def teacher_report(prior, teacher) -> dict:
    """The JSON of ``python -m enumerate teacher``; ``teacher`` is a Teacher or a table
    (then ``"teacher"`` is ``null``)."""
    table = teacher if isinstance(teacher, str) else teacher.table
    count = prior.count(table)
    return {
        "schema": "enumerate.teacher/1",
        "spec": prior.spec.to_json(),
        "teacher": None if isinstance(teacher, str) else teacher.to_json(),
        "table": table,
        "count": count,
        "total": prior.total,
        "rho": fraction_str(prior.rho(table)),
        "C": prior.neg_log_prob(table),
        "num_functions": prior.num_functions,
        "method": prior.method,
        "versions": versions(),
    }


def add_arguments(p):
    add_student_args(p)
    add_teacher_args(p, table=True)
    add_count_args(p)
    p.add_argument("--out", default=None, help="write the result as JSON (default: print it)")


def run(args):
    spec = student_spec(args)
    table, teacher = teacher_target(spec, args)
    check_out(args.out)
    prior = compute_prior(spec, args)
    rep = teacher_report(prior, teacher or table)
    if args.out:
        write_json(args.out, rep)
        print(f"wrote {args.out}: rho~ = {rep['rho']}")
    else:
        given = f"teacher {args.teacher} with table {table}" if teacher else f"teacher table {table}"
        print(f"student {spec.arch} (|Q|^P = {prior.total:,}), {given}")
        print(f"settings realizing it: {rep['count']:,}")
        print(f"rho~ = {rep['rho']} = {float(Fraction(rep['rho'])):.6g};  C~ = -ln rho~ = {rep['C']:.4f}")
    return 0

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
from ..core.teacher import make_teacher
from ..results.io import fraction_str, versions
from .args import add_count_args, add_student_args, add_teacher_args, compute_prior, student_spec
from .parser import check_out

__all__ = ["HELP", "add_arguments", "run", "teacher_report"]

HELP = "exact teacher-equivalence probability rho~ of a teacher network"


def teacher_report(prior, teacher) -> dict:
    """The JSON of ``python -m enumerate teacher``."""
    count = prior.count(teacher.table)
    return {
        "schema": "enumerate.teacher/1",
        "spec": prior.spec.to_json(),
        "teacher": teacher.to_json(),
        "table": teacher.table,
        "count": count,
        "total": prior.total,
        "rho": fraction_str(prior.rho(teacher)),
        "C": prior.neg_log_prob(teacher.table),
        "num_functions": prior.num_functions,
        "method": prior.method,
        "versions": versions(),
    }


def add_arguments(p):
    add_student_args(p)
    add_teacher_args(p)
    add_count_args(p)
    p.add_argument("--out", default=None, help="write the result as JSON (default: print it)")


def run(args):
    spec = student_spec(args)
    teacher = make_teacher(spec, args.teacher, args.teacher_params)
    check_out(args.out)
    prior = compute_prior(spec, args)
    rep = teacher_report(prior, teacher)
    if args.out:
        write_json(args.out, rep)
        print(f"wrote {args.out}: rho~ = {rep['rho']}")
    else:
        print(f"student {spec.arch} (|Q|^P = {prior.total:,}), teacher {args.teacher} with table {teacher.table}")
        print(f"settings realizing it: {rep['count']:,}")
        print(f"rho~ = {rep['rho']} = {float(Fraction(rep['rho'])):.6g};  C~ = -ln rho~ = {rep['C']:.4f}")
    return 0

"""``python -m proofs bound``: the bounds on rho~ for one (student, teacher) pair.

    python -m proofs bound --arch fc:2,6,1 --q=-1,0,1 --teacher fc:2,1,1 --teacher-params 1,1,-1,1,0
    python -m proofs bound ... --out report.json     # also write the report as JSON

Prints :class:`proofs.BoundReport`: the exact rho~ and C~, the multi- and
single-embedding bounds, the construction each comes from and how tight it is. Exit
code 0 when the bounds hold, 1 when one fails, 2 on bad input.

>>> from proofs.cli import main
>>> main(["bound", "--arch", "fc:1,2,1", "--q", "-1,0,1", "--teacher", "fc:1,1,1",
...       "--teacher-params", "1,0,1,0", "--quiet"])  # doctest: +ELLIPSIS
student fc:1,2,1 (Q = {-1,0,1}, sign, domain 01, zero-label -1): |Q|^P = 2,187
...
K = 5 pinned parameters; bounds hold
0
"""

from __future__ import annotations

from enumerate.cli.args import add_count_args, add_student_args, add_teacher_args, student_spec
from enumerate.cli.parser import check_out

__all__ = ["HELP", "add_arguments", "run"]

HELP = "Exact rho~ of a teacher in a student and the paper's lower bounds on it."


def add_arguments(p):
    add_student_args(p)
    add_teacher_args(p)
    add_count_args(p)
    p.add_argument("--out", default=None, help="also write the report as JSON")


def run(args) -> int:
    from enumerate.cli.args import compute_prior, make_cli_teacher
    from enumerate._support.files import atomic_write_json

    from ..check import check_bounds
    from ..embedding import require_zero

    spec = student_spec(args)
    teacher = make_cli_teacher(spec, args.teacher, args.teacher_params)
    require_zero(spec)  # before counting the student's prior
    check_out(args.out)
    report = check_bounds(spec, teacher, prior=compute_prior(spec, args))
    print(report)
    if args.out:
        atomic_write_json(args.out, report.to_json())
        print(f"wrote {args.out}")
    return 0 if report.holds else 1

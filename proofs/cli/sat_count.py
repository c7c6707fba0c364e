"""``python -m proofs sat-count``: exact rho~ by pyganak projected model counting.

Bad input prints one line ``python -m proofs sat-count: error: ARGUMENT: ...`` and returns 2
without writing any file; results are written atomically after the work (``--out``).
"""

from __future__ import annotations

import math

from enumerate._support.files import write_json
from enumerate.cli.args import add_student_args, add_teacher_args, student_spec, teacher_target
from enumerate.cli.parser import check_out
from enumerate.results.io import fraction_str, versions

__all__ = ["HELP", "add_arguments", "run"]

HELP = "Exact rho~ by projected model counting (pyganak) of the CNF of the student."


def add_arguments(p):
    add_student_args(p)
    add_teacher_args(p, table=True)
    p.add_argument("--seed", type=int, default=0, help="pyganak seed (default 0)")
    p.add_argument("--force", action="store_true",
                   help="build a CNF above the size budget (5,000,000 clauses, estimated; the size is stated first)")
    p.add_argument("--out", default=None, help="write the result as JSON (default: print a summary)")


def run(args):
    from ..sat.count import PROBABILISTIC, sat_count
    from ..sat.encode import check_cnf_budget, check_supported

    spec = student_spec(args)
    check_supported(spec)
    check_cnf_budget(spec, "SAT", force=args.force)  # before the teacher's table is computed on every point
    table, teacher = teacher_target(spec, args)
    check_out(args.out)
    r = sat_count(spec, table, seed=args.seed, force=args.force)
    rep = {
        "schema": "proofs.sat-count/1",
        "spec": spec.to_json(),
        "teacher": None if teacher is None else teacher.to_json(),
        "table": table,
        "count": r.count,
        "total": spec.total,
        "rho": fraction_str(r.rho),
        "C": math.inf if r.count == 0 else math.log(spec.total) - math.log(r.count),
        "method": "pyganak projected model count (sampling set: one-hot parameter variables)",
        "exactness": PROBABILISTIC,
        "encoding": {"variables": r.variables, "clauses": r.clauses, "sampling_set": r.sampling,
                     "parameters": "one-hot over Q", "arithmetic": "two's complement adder networks"},
        "seconds": r.seconds,
        "versions": versions(("python-sat", "pyganak")),
    }
    if rep["C"] == math.inf:
        rep["C"] = None  # JSON has no infinity: the table is unrealizable
    if args.out:
        write_json(args.out, rep)
        print(f"wrote {args.out}: count {r.count:,} (probabilistically exact), rho~ = {rep['rho']}")
    else:
        print(f"student {spec.arch} (|Q|^P = {spec.total:,}), table {table}")
        print(f"settings realizing it (pyganak, probabilistically exact): {r.count:,}")
        print(f"note: {PROBABILISTIC}")
        print(f"rho~ = {rep['rho']} = {float(r.rho):.6g}" + ("" if rep["C"] is None else f";  C~ = {rep['C']:.4f}"))
        print(f"CNF: {r.variables} variables, {r.clauses} clauses, {r.sampling} projected; "
              f"{r.seconds['encode'] + r.seconds['count']:.2f} s")
    return 0

"""``python -m proofs min-teacher``: the narrowest network of a family realizing a table (SAT).

Bad input prints one line ``python -m proofs min-teacher: error: ARGUMENT: ...`` and returns 2
without writing any file; results are written atomically after the work (``--out``).
"""

from __future__ import annotations

import time
from fractions import Fraction

from enumerate._support.errors import SpecError
from enumerate._support.files import write_json
from enumerate.cli.args import add_student_args
from enumerate.cli.parser import check_out, int_at_least
from enumerate.results.io import fraction_str, versions

__all__ = ["HELP", "add_arguments", "run"]

HELP = "Narrowest width of a family realizing a truth table, found by SAT (--arch has a W)."


def add_arguments(p):
    add_student_args(p)
    g = p.add_argument_group("minimal teacher")
    g.add_argument("--table", action="append", default=None, help="a truth table (repeatable)")
    g.add_argument("--all", action="store_true", help="every truth table of the domain, with its prior probability")
    g.add_argument("--max-width", type=int_at_least(1), default=4, dest="max_width", help="largest width tried (default 4)")
    g.add_argument("--prior-arch", default=None, dest="prior_arch",
                   help="student whose exact prior is reported next to each table (default: --arch at --max-width)")
    p.add_argument("--out", default=None, help="write the result as JSON (default: print a table)")


def run(args):
    from enumerate.core.spec import NetworkSpec

    from ..sat.encode import check_supported
    from ..sat.minteacher import arch_with_width, min_width_all, simplicity_table

    if bool(args.table) == bool(args.all):
        raise SpecError("--table", "give one or more --table TABLE, or --all")
    if args.max_width < 1 or args.max_width > 64:
        raise SpecError("--max-width", "must be between 1 and 64")
    first = NetworkSpec.parse(arch_with_width(args.arch, 1), args.q, args.act, args.domain, args.zero_label, args.scale_q)
    check_supported(first)
    if args.prior_arch is not None:
        if not args.all:
            raise SpecError("--prior-arch", "is used with --all (the prior of every table): add --all or drop it")
        try:
            NetworkSpec.parse(args.prior_arch, args.q, args.act, args.domain, args.zero_label, args.scale_q)
        except SpecError as exc:
            raise (exc.naming("--prior-arch") if exc.argument == "--arch" else exc) from None
    check_out(args.out)
    t0 = time.perf_counter()
    common = dict(act=args.act, domain=args.domain, zero_label=args.zero_label, scale_q=args.scale_q,
                  max_width=args.max_width)
    student = None
    if args.all:
        student, rows = simplicity_table(args.arch, args.q, prior_arch=args.prior_arch, **common)
        mins = min_width_all([r[0] for r in rows], args.arch, args.q, **common)
        out_rows = [dict(mins[t].to_json(), count=c, probability=fraction_str(pr)) for t, _w, c, pr in rows]
    else:
        mins = min_width_all(args.table, args.arch, args.q, **common)
        out_rows = [m.to_json() for m in mins.values()]
    rep = {"schema": "proofs.min-teacher/1", "pattern": args.arch, "spec": first.to_json(),
           "prior_student": None if student is None else str(student.arch), "rows": out_rows,
           "seconds": round(time.perf_counter() - t0, 3), "versions": versions(("python-sat", "pyganak"))}
    if args.out:
        write_json(args.out, rep)
        print(f"wrote {args.out}: {len(out_rows)} tables")
    else:
        head = f"{'table':<{max(5, len(out_rows[0]['table']))}}  min width"
        if student is not None:
            head += f"  P(h) under {student.arch}"
        print(head)
        for r in out_rows:
            w = r["min_width"] if r["min_width"] is not None else f">{args.max_width}"
            line = f"{r['table']:<5}  {w!s:>9}"
            if student is not None:
                line += f"  {r['probability']} = {float(Fraction(r['probability'])):.4g}"
            elif r["teacher_params"]:
                line += f"  {r['teacher_arch']} params {','.join(r['teacher_params'])}"
            print(line)
    return 0

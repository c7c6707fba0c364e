"""Subcommands ``python -m proofs sat-count | min-teacher | sound``.

Each is ``function(argv) -> exit code``, registered in :data:`proofs.cli.SUBCOMMANDS`.
Bad input prints one line ``python -m proofs NAME: error: ARGUMENT: ...`` and returns 2
without writing any file; results are written atomically after the work (``--out``).
"""

from __future__ import annotations

import math
import time
from fractions import Fraction

from enumerate.cli.args import add_student_args, add_teacher_args, student_spec
from enumerate._support.files import write_json
from enumerate.cli.parser import ArgParser, check_out, int_at_least, run_command
from enumerate.results.io import fraction_str, versions
from enumerate.core.validate import check_table
from enumerate.core.spec import SpecError

__all__ = ["sat_count_main", "min_teacher_main", "sound_main"]


def _run(name, build, handler, argv):
    prog = f"python -m proofs {name}"
    p = ArgParser(prog=prog, description=build.__doc__)
    build(p)
    return run_command(prog, p, handler, argv)


# --------------------------------------------------------------------------- sat-count


def _build_count(p):
    """Exact rho~ by projected model counting (pyganak) of the CNF of the student."""
    add_student_args(p)
    add_teacher_args(p, required=False)
    p.add_argument("--teacher-table", dest="teacher_table", default=None,
                   help="the target truth table instead of a teacher network (one of + - [0] per point)")
    p.add_argument("--seed", type=int, default=0, help="pyganak seed (default 0)")
    p.add_argument("--out", default=None, help="write the result as JSON (default: print a summary)")


def _cmd_count(args):
    from enumerate.core.teacher import make_teacher

    from ..sat.count import PROBABILISTIC, sat_count
    from ..sat.encode import check_supported

    spec = student_spec(args)
    check_supported(spec)
    has_net = args.teacher is not None or args.teacher_params is not None
    if has_net == (args.teacher_table is not None):
        raise SpecError("--teacher-table", "give either --teacher with --teacher-params, or --teacher-table (not both)")
    teacher = None
    if has_net:
        if args.teacher is None or args.teacher_params is None:
            raise SpecError("--teacher-params", "--teacher and --teacher-params go together")
        teacher = make_teacher(spec, args.teacher, args.teacher_params)
        table = teacher.table
    else:
        table = check_table(args.teacher_table.strip(), len(spec.domain), spec.zero_label, "--teacher-table")
    check_out(args.out)
    r = sat_count(spec, table, seed=args.seed)
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


def sat_count_main(argv) -> int:
    """``python -m proofs sat-count ...``"""
    return _run("sat-count", _build_count, _cmd_count, argv)


# --------------------------------------------------------------------------- min-teacher


def _build_min(p):
    """Narrowest width of a family realizing a truth table, found by SAT (--arch has a W)."""
    add_student_args(p)
    g = p.add_argument_group("minimal teacher")
    g.add_argument("--table", action="append", default=None, help="a truth table (repeatable)")
    g.add_argument("--all", action="store_true", help="every truth table of the domain, with its prior probability")
    g.add_argument("--max-width", type=int_at_least(1), default=4, dest="max_width", help="largest width tried (default 4)")
    g.add_argument("--prior-arch", default=None, dest="prior_arch",
                   help="student whose exact prior is reported next to each table (default: --arch at --max-width)")
    p.add_argument("--out", default=None, help="write the result as JSON (default: print a table)")


def _cmd_min(args):
    from enumerate.core.spec import NetworkSpec

    from ..sat.encode import check_supported
    from ..sat.minteacher import arch_with_width, min_width_all, simplicity_table

    if bool(args.table) == bool(args.all):
        raise SpecError("--table", "give one or more --table TABLE, or --all")
    if args.max_width < 1 or args.max_width > 64:
        raise SpecError("--max-width", "must be between 1 and 64")
    first = NetworkSpec.parse(arch_with_width(args.arch, 1), args.q, args.act, args.domain, args.zero_label, args.scale_q)
    check_supported(first)
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


def min_teacher_main(argv) -> int:
    """``python -m proofs min-teacher ...``"""
    return _run("min-teacher", _build_min, _cmd_min, argv)


# --------------------------------------------------------------------------- sound


def _build_sound(p):
    """SAT check of the embedding construction for all teachers at once (UNSAT = sound)."""
    from ..sat.sound import BROKEN

    add_student_args(p)
    g = p.add_argument_group("construction")
    g.add_argument("--teacher", required=True, help="teacher architecture (same family, narrower)")
    g.add_argument("--construction", default=None, help="fc | sfc (default: fc for fc/cnn, sfc for sfc/scnn)")
    g.add_argument("--broken", default=None, help=f"deliberately break it: {' | '.join(BROKEN)}")
    g.add_argument("--maps", default="first", help="embedding: first (teacher neuron j -> student j) | last")
    g.add_argument("--compare", default="label", help="label (the paper's event) | output (same real f on X)")
    g.add_argument("--share", action="store_true", help="share variables/gates with the teacher (smaller CNF)")
    p.add_argument("--out", default=None, help="write the result as JSON")


def _cmd_sound(args):
    from ..sat.encode import check_supported
    from ..sat.sound import check_construction

    spec = student_spec(args)
    check_supported(spec)
    if args.maps not in ("first", "last"):
        raise SpecError("--maps", f"{args.maps!r}; allowed: first, last")
    check_out(args.out)
    r = check_construction(spec, args.teacher, args.construction, args.broken, args.maps, args.compare, args.share)
    rep = dict(r.to_json(), schema="proofs.sound/1", spec=spec.to_json(), versions=versions(("python-sat", "pyganak")))
    if args.out:
        write_json(args.out, rep)
    what = f"{r.construction} construction of {r.teacher} in {r.student}" + (f" (broken: {r.broken})" if r.broken else "")
    if r.sound:
        print(f"UNSAT: the {what} agrees with every teacher on every point "
              f"({r.variables} variables, {r.clauses} clauses, {r.seconds:.2f} s)")
        return 0
    cex = r.counterexample
    print(f"SAT: the {what} can disagree with its teacher")
    print(f"  teacher params {','.join(cex['teacher_params'])} -> table {cex['teacher_table']}")
    print(f"  student params {','.join(cex['student_params'])} -> table {cex['student_table']}")
    print(f"  first disagreement at domain point {cex['point']}")
    return 1


def sound_main(argv) -> int:
    """``python -m proofs sound ...``: exit 0 if UNSAT (sound), 1 with a counterexample."""
    return _run("sound", _build_sound, _cmd_sound, argv)

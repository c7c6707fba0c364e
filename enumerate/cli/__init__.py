"""Command line: ``python -m enumerate {prior,teacher,demo,...}``.

Every command is testable in-process: ``main(argv) -> exit code``. Bad input prints one
line ``python -m enumerate: error: ARGUMENT: what is allowed`` to stderr and returns 2,
and no output file is written (results are written atomically, after the work).
"""

from __future__ import annotations

import math
import sys
from fractions import Fraction

from .parser import ArgParser, UsageError, check_out, check_writable, glue_dash_values, int_at_least, run_command
from .parser import write_json, write_output
from ..core.spec import NetworkSpec, SpecError

__all__ = ["main", "run", "add_student_args", "student_spec", "add_count_args", "add_teacher_args",
           "compute_prior", "teacher_report", "COMMANDS"]

PROG = "python -m enumerate"


# --------------------------------------------------------------------------- shared arguments


def add_student_args(p):
    """The arguments that define a student network (shared by every command)."""
    g = p.add_argument_group("network")
    g.add_argument("--arch", required=True, help="fc:D0,...,1 | sfc:... | cnn:CxN/CkKsS/.../flat|sum | scnn:...")
    g.add_argument("--q", required=True, help="quantization set: -1,0,1 | int:K | minifloat:E,M | grid:B")
    g.add_argument("--act", default="sign", help="sign | relu | leaky:SLOPE | step | hardtanh | identity (default sign)")
    g.add_argument("--domain", default="01", help="01 | pm1 | JSON list of points | JSON file (default 01)")
    g.add_argument("--zero-label", default="-1", dest="zero_label", help="label at f(x)=0: -1 | +1 | 0 (default -1)")
    g.add_argument("--scale-q", default=None, dest="scale_q", help="scale set of sfc/scnn (default: Q)")


def student_spec(args) -> NetworkSpec:
    return NetworkSpec.parse(args.arch, args.q, args.act, args.domain, args.zero_label, args.scale_q)


def add_count_args(p):
    """How to count: method, size budget, checkpoint, threads, progress."""
    from ..counting.brute import DEFAULT_MAX_SETTINGS

    g = p.add_argument_group("counting")
    g.add_argument("--method", default="auto", help="brute | fast | classes | auto (default auto: the fastest exact method)")
    g.add_argument("--force", action="store_true", help="run even above the size / time budget")
    g.add_argument("--max-settings", type=int_at_least(1), default=DEFAULT_MAX_SETTINGS,
                   help="size budget for brute force (settings)")
    g.add_argument("--checkpoint", default=None, help="brute force: resume from / save to this file")
    g.add_argument("--threads", type=int_at_least(1), default=None,
                   help="brute force worker threads (default: all cores)")
    g.add_argument("--quiet", action="store_true", help="no progress bar")
    g.add_argument("--dask", nargs="?", const="local", default=None, metavar="ADDRESS",
                   help="brute force on Dask: a LocalCluster on 127.0.0.1 (no value) or a scheduler tcp://HOST:PORT")


def compute_prior(spec, args):
    from .. import count_prior

    check_writable(args.checkpoint, "--checkpoint")
    options = dict(progress=False if args.quiet else None, force=args.force, max_settings=args.max_settings,
                   checkpoint=args.checkpoint, threads=args.threads)
    return count_prior(spec, args.method, scheduler=getattr(args, "dask", None), **options)


# --------------------------------------------------------------------------- prior


def _add_prior(p):
    add_student_args(p)
    add_count_args(p)
    p.add_argument("--out", default=None, help="write the full result as JSON (default: print a summary)")
    p.add_argument("--top", type=int_at_least(0), default=10, help="functions shown in the summary (default 10)")


def _cmd_prior(args):
    spec = student_spec(args)
    check_out(args.out)
    if args.out and not str(args.out).endswith(".npz") and getattr(args, "dask", None) is None:
        _check_class_json(spec, args.method)
    prior = compute_prior(spec, args)
    if args.out:
        write_output(prior.save, args.out)
        print(f"wrote {args.out}: {prior.num_functions:,} functions, total {prior.total:,} ({prior.method})")
    else:
        print(prior.summary(args.top))
    return 0


def _check_class_json(spec, method):
    """Refuse a JSON ``--out`` before the work when the class counter's result may be too
    large to expand (a JSON prior lists every table)."""
    from ..results.classes import MAX_JSON_FUNCTIONS
    from ..counting.perceptron import prefer_classes

    if method == "classes" or (method == "auto" and prefer_classes(spec)):
        bound = min(spec.total, (3 if spec.zero_label == "0" else 2) ** len(spec.domain))
        if bound > MAX_JSON_FUNCTIONS:
            raise SpecError("--out", f"this prior can have up to {bound:,} functions, more than a JSON file lists "
                                     f"({MAX_JSON_FUNCTIONS:,}); give a .npz file name")


# --------------------------------------------------------------------------- teacher


def add_teacher_args(p, required=True):
    g = p.add_argument_group("teacher")
    g.add_argument("--teacher", required=required, help="teacher architecture, same family, narrower (e.g. fc:3,1,1)")
    g.add_argument("--teacher-params", required=required, dest="teacher_params",
                   help="teacher parameters in canonical order, comma-separated, each in Q")


def teacher_report(prior, teacher) -> dict:
    """The JSON of ``python -m enumerate teacher``."""
    from ..results.prior import fraction_str, versions

    count = prior.count(teacher.table)
    rho = Fraction(count, prior.total)
    return {
        "schema": "enumerate.teacher/1",
        "spec": prior.spec.to_json(),
        "teacher": teacher.to_json(),
        "table": teacher.table,
        "count": count,
        "total": prior.total,
        "rho": fraction_str(rho),
        "C": -math.log(count) + math.log(prior.total),
        "num_functions": prior.num_functions,
        "method": prior.method,
        "versions": versions(),
    }


def _add_teacher(p):
    add_student_args(p)
    add_teacher_args(p)
    add_count_args(p)
    p.add_argument("--out", default=None, help="write the result as JSON (default: print it)")


def _cmd_teacher(args):
    from ..core.teacher import make_teacher

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


# --------------------------------------------------------------------------- demo


def _add_demo(p):
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def _cmd_demo(args):
    from .demo import run_demo

    print(run_demo(progress=False if args.quiet else None))
    return 0


#: name -> (help, add_arguments, handler); other modules may register more commands here
COMMANDS = {
    "prior": ("count every parameter setting: the exact prior over functions", _add_prior, _cmd_prior),
    "teacher": ("exact teacher-equivalence probability rho~ of a teacher network", _add_teacher, _cmd_teacher),
    "demo": ("a worked example in a few seconds", _add_demo, _cmd_demo),
}


def _load_plugins():
    # commands defined in other modules of the package register themselves on import
    for mod in ("posterior_cli", "simplicity_cli"):
        try:
            __import__(f"{__package__}.{mod}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__package__}.{mod}":
                raise


def build_parser():
    _load_plugins()
    p = ArgParser(prog=PROG, description="Exact priors over functions of tiny quantized networks.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=ArgParser)
    for name, (help_, add, _h) in COMMANDS.items():
        add(sub.add_parser(name, help=help_, description=help_))
    return p


def _dispatch(args):
    if args.command is None:
        raise UsageError("usage", f"a COMMAND is required: {', '.join(COMMANDS)}")
    return COMMANDS[args.command][2](args)


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    return run_command(PROG, build_parser(), _dispatch, argv)


def run():
    sys.exit(main())

"""The arguments commands share: the student network, how to count, the teacher.

>>> from enumerate.cli.parser import ArgParser
>>> p = ArgParser(prog="demo")
>>> add_student_args(p)
>>> student_spec(p.parse_args(["--arch", "fc:2,1", "--q=-1,0,1"])).total
27
"""

from __future__ import annotations

from .._support.files import check_writable
from ..core.spec import NetworkSpec
from .parser import int_at_least

__all__ = ["add_student_args", "student_spec", "add_count_args", "compute_prior", "add_teacher_args",
           "make_cli_teacher", "teacher_target"]


def add_student_args(p):
    """The arguments that define a student network (shared by every command)."""
    g = p.add_argument_group("network")
    g.add_argument("--arch", required=True, help="fc:D0,...,1 | sfc:... | cnn:CxN/CkKsS/.../flat|sum | scnn:...")
    g.add_argument("--q", required=True, help="quantization set: -1,0,1 | int:K | minifloat:E,M | grid:B | peer:B (the peers' B-bit grid)")
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
    g.add_argument("--checkpoint", default=None, help="brute force, Dask runs: resume from / save to this file")
    g.add_argument("--threads", type=int_at_least(1), default=None,
                   help="brute force and perceptron class counter threads (default: all cores)")
    g.add_argument("--quiet", action="store_true", help="no progress bar")
    g.add_argument("--dask", nargs="?", const="local", default=None, metavar="ADDRESS",
                   help="count on Dask (brute force, perceptron and hidden-layer classes): a LocalCluster on 127.0.0.1 (no value) or a "
                        "scheduler tcp://HOST:PORT")


def compute_prior(spec, args):
    from ..counting.dispatch import count_prior

    check_writable(args.checkpoint, "--checkpoint")
    options = dict(progress=False if args.quiet else None, force=args.force, max_settings=args.max_settings,
                   checkpoint=args.checkpoint, threads=args.threads)
    return count_prior(spec, args.method, scheduler=getattr(args, "dask", None), **options)


def add_teacher_args(p, required=True, table=False):
    """``--teacher`` and ``--teacher-params``; with ``table``, also ``--teacher-table`` (the
    target as a truth table instead; read both forms with :func:`teacher_target`)."""
    g = p.add_argument_group("teacher")
    g.add_argument("--teacher", required=required and not table,
                   help="teacher architecture, same family, narrower (e.g. fc:3,1,1)")
    g.add_argument("--teacher-params", required=required and not table, dest="teacher_params",
                   help="teacher parameters in canonical order, comma-separated, each in Q")
    if table:
        g.add_argument("--teacher-table", dest="teacher_table", default=None,
                       help="the target as a truth table (one of + - [0] per domain point), instead of --teacher; "
                            "write --teacher-table=---+ when it starts with -")


def make_cli_teacher(spec, arch, params):
    """:func:`~enumerate.core.teacher.make_teacher` with its errors naming the options
    (``arch`` -> ``--teacher``, ``params`` -> ``--teacher-params``)."""
    from .._support.errors import SpecError
    from ..core.teacher import make_teacher

    try:
        return make_teacher(spec, arch, params)
    except SpecError as exc:
        flag = {"arch": "--teacher", "params": "--teacher-params"}.get(exc.argument)
        raise (exc.naming(flag) if flag else exc) from None


def teacher_target(spec, args):
    """The target of a command with :func:`add_teacher_args` ``(table=True)``: (table, teacher),
    the teacher ``None`` when given as ``--teacher-table``; validated before any counting."""
    from .._support.errors import SpecError
    from ..core.validate import check_table

    has_teacher = args.teacher is not None or args.teacher_params is not None
    if (args.teacher_table is None) == (not has_teacher):
        raise SpecError("--teacher-table", "give either --teacher-table TABLE or --teacher with --teacher-params")
    if args.teacher_table is not None:
        return check_table(args.teacher_table.strip(), len(spec.domain), spec.zero_label, "--teacher-table"), None
    if args.teacher is None or args.teacher_params is None:
        missing = "--teacher-params" if args.teacher_params is None else "--teacher"
        raise SpecError(missing, "--teacher and --teacher-params go together")
    teacher = make_cli_teacher(spec, args.teacher, args.teacher_params)
    return teacher.table, teacher

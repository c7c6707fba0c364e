"""``python -m enumerate prior``: the exact prior over functions of a network.

>>> from enumerate.cli import main
>>> main(["prior", "--arch", "fc:1,1", "--q=-1,0,1", "--quiet", "--top", "1"])  # doctest: +ELLIPSIS
network fc:1,1 ...
   1  --  ...
0
"""

from __future__ import annotations

from .._support.errors import SpecError
from .._support.files import write_output
from ..counting.checkpoint import removed_after_success
from .args import add_count_args, add_student_args, compute_prior, student_spec
from .parser import check_out, int_at_least

__all__ = ["HELP", "add_arguments", "run"]

HELP = "count every parameter setting: the exact prior over functions"


def add_arguments(p):
    add_student_args(p)
    add_count_args(p)
    p.add_argument("--out", default=None, help="write the full result as JSON (default: print a summary)")
    p.add_argument("--top", type=int_at_least(0), default=10, help="functions shown in the summary (default 10)")


def run(args):
    spec = student_spec(args)
    check_out(args.out)
    if args.out and not str(args.out).endswith((".npz", ".parquet")) and getattr(args, "dask", None) is None:
        _check_class_json(spec, args.method)
    with removed_after_success():  # a finished run's checkpoint goes only once --out is written
        prior = compute_prior(spec, args)
        if args.out:
            write_output(prior.save, args.out)
    if args.out:
        print(f"wrote {args.out}: {prior.num_functions:,} functions, total {prior.total:,} ({prior.method})")
    else:
        print(prior.summary(args.top))
    return 0


def _check_class_json(spec, method):
    """Refuse a JSON ``--out`` before the work when the class counter's result may be too
    large to expand (a JSON prior lists every table)."""
    from ..counting.dispatch import uses_classes
    from ..results.prior import MAX_JSON_FUNCTIONS

    if uses_classes(spec, method):
        bound = min(spec.total, (3 if spec.zero_label == "0" else 2) ** len(spec.domain))
        if bound > MAX_JSON_FUNCTIONS:
            raise SpecError("--out", f"this prior can have up to {bound:,} functions, more than a JSON file lists "
                                     f"({MAX_JSON_FUNCTIONS:,}); give a .npz file name")

"""``python -m proofs width-sweep``: exact rho~ of one teacher in students of growing width.

    python -m proofs width-sweep --arch fc:3,W,1 --q=-1,0,1 --act sign --domain 01 \\
        --teacher fc:3,1,1 --teacher-params 1,1,1,-1,1,0 --widths 1-12 --out sweep.json

``W`` in ``--arch`` marks the swept hidden width. Prints a row per width as it is
computed (exact rho~, C~, the single- and multi-embedding bounds, the SFC bound for an
FC student, exact/bound, seconds) and writes JSON ``{"schema": "proofs.width-sweep/1",
"rows": [{"width", "rho" ("p/q"), "C", ..., "seconds"}]}``. Exit code 0 when every
bound holds, 1 when one fails, 2 on bad input.

>>> from proofs.cli import main
>>> main(["width-sweep", "--arch", "fc:2,W,1", "--q", "-1,0,1", "--teacher", "fc:2,1,1",
...       "--teacher-params", "1,1,-1,1,0", "--widths", "1-2", "--quiet"])  # doctest: +ELLIPSIS
student fc:2,W,1 (Q = {-1,0,1}, sign, domain 01, zero-label -1); teacher fc:2,1,1 [1, 1, -1, 1, 0]: table ---+, ...
W=1   rho~ 0.00823  C~ 4.7999  single 0.00412 (2x)  multi 0.00412 (2x)  sfc bound 0.00137 (6x)  [teacher-chain, ... s]
W=2   rho~ 0.01605  C~ 4.1318  single 0.00137 (11.7x)  multi 0.00274 (5.85x)  sfc bound 0.000457 (35.1x)  [teacher-chain, ... s]
bounds hold at every width
0
"""

from __future__ import annotations

from enumerate.cli.args import add_student_args, add_teacher_args
from enumerate.cli.parser import check_out

__all__ = ["HELP", "add_arguments", "run"]

HELP = "Exact rho~ of a teacher in students of growing width, against the bounds."


def add_arguments(p):
    add_student_args(p)
    add_teacher_args(p)
    p.add_argument("--widths", required=True, help="the widths W: 1-12 | 1,2,4,8 | 1-4,8")
    p.add_argument("--force", action="store_true", help="run even above the time / memory budget")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--out", default=None, help="also write the sweep as JSON")


def run(args) -> int:
    from enumerate._support.files import atomic_write_json

    from ..width_sweep import parse_widths, substitute_width, width_sweep

    widths = parse_widths(args.widths)
    substitute_width(args.arch, 1)  # the W marker, checked before any work
    check_out(args.out)

    def show(sweep, row):
        if len(sweep.rows) == 1:
            print(sweep.header(), flush=True)
        print(sweep.format_row(row), flush=True)

    sweep = width_sweep(args.arch, args.q, args.act, args.domain, args.zero_label, scale_q=args.scale_q,
                        teacher=(args.teacher, args.teacher_params), widths=widths,
                        progress=False if args.quiet else None, force=args.force, on_row=show)
    holds = all(r.rho >= r.single and (r.multi is None or r.rho >= r.multi) for r in sweep.rows)
    print("bounds hold at every width" if holds else "a bound FAILS")
    if args.out:
        atomic_write_json(args.out, sweep.to_json())
        print(f"wrote {args.out}")
    return 0 if holds else 1

"""``python -m enumerate simplicity``: the simplicity-bias figures and a JSON summary.

``--q peer:B`` is the peers' B-bit grid (see :func:`enumerate.analysis.simplicity.peer_grid`).
Writes ``summary.json``, ``rank.png``, ``lz.png`` and ``ones.png`` into ``--out-dir``.
"""

from __future__ import annotations

import os
import time

from .args import add_student_args
from ..core.spec import NetworkSpec, SpecError

__all__ = ["HELP", "add_arguments", "run"]

HELP = "simplicity-bias figures: rank-frequency, P(f) vs K_LZ, P(t)"


def add_arguments(p):
    add_student_args(p)
    p.add_argument("--out-dir", required=True, dest="out_dir", help="folder for summary.json and the figures")
    p.add_argument("--no-lz", action="store_true", dest="no_lz", help="skip P(f) against K_LZ (it expands every class)")
    p.add_argument("--float-demo", action="store_true", dest="float_demo",
                   help="also label every setting in float64 (fc:D,1 on 01 with --q peer:B only)")
    p.add_argument("--force", action="store_true", help="run even above the time / memory budget")


def _q(text):
    if text.startswith("peer:"):
        from ..analysis.simplicity import peer_grid

        try:
            bits = int(text[5:])
        except ValueError:
            bits = 0
        if not 2 <= bits <= 10:
            raise SpecError("--q", f"{text!r}: use peer:B with 2 <= B <= 10")
        return peer_grid(bits)
    return text


def run(args):
    import matplotlib

    matplotlib.use("Agg")
    from ..counting.dispatch import count_prior
    from .._support.files import atomic_write_json
    from ..results.io import versions
    from ..analysis.simplicity import analyze, float_demo_cost, float_vs_exact
    from ..counting.budget import check_cost
    from ..analysis.plots import write_figures

    spec = NetworkSpec.parse(args.arch, _q(args.q), args.act, args.domain, args.zero_label, args.scale_q)
    if not os.path.isdir(args.out_dir):
        raise SpecError("--out-dir", f"{args.out_dir!r} is not an existing folder")
    if args.float_demo and not (args.q.startswith("peer:") and spec.domain.kind == "01"
                                and spec.arch.kind == "fc" and len(spec.arch.widths) == 2):
        raise SpecError("--float-demo", "needs a perceptron fc:D,1 on domain 01 with --q peer:B")
    if spec.zero_label == "0" and not args.no_lz:
        raise SpecError("--zero-label", "K_LZ needs two-valued tables: use -1 or +1, or --no-lz")
    if args.float_demo:  # its cost is stated and checked before any work
        check_cost(spec, float_demo_cost(int(args.q[5:]), spec.arch.input_dim), force=args.force)
    t0 = time.perf_counter()
    prior = count_prior(spec, "auto", progress=False, force=args.force)
    counted = time.perf_counter() - t0
    summary = analyze(prior, lz=not args.no_lz)
    summary["count_s"] = counted
    if args.float_demo:
        summary["float_vs_exact"] = float_vs_exact(int(args.q[5:]), spec.arch.input_dim)
    summary["elapsed_s"] = time.perf_counter() - t0
    summary["versions"] = versions(("matplotlib",))
    atomic_write_json(os.path.join(args.out_dir, "summary.json"), summary)
    paths = write_figures(summary, args.out_dir)
    print(f"{spec.arch} on {spec.domain.kind}: {prior.num_functions:,} functions of {prior.total:,} settings; "
          f"wrote summary.json and {', '.join(os.path.basename(p) for p in paths)} in {args.out_dir}")
    return 0

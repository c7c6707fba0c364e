"""``python -m enumerate simplicity``: the simplicity-bias figures and a JSON summary.

``--q peer:B`` is the peers' B-bit grid (see :func:`enumerate.analysis.simplicity.peer_grid`).
Writes ``summary.json``, ``rank.png``, ``lz.png`` and ``ones.png`` into ``--out-dir``.
"""

from __future__ import annotations

import os
import time

from .args import add_student_args
from ..core.spec import NetworkSpec, SpecError

__all__ = ["HELP", "add_arguments", "run", "check_out_dir"]

HELP = "simplicity-bias figures: rank-frequency, P(f) vs K_LZ, P(t)"


def add_arguments(p):
    add_student_args(p)
    p.add_argument("--out-dir", required=True, dest="out_dir",
                   help="folder for summary.json and the figures (created if missing)")
    p.add_argument("--no-lz", action="store_true", dest="no_lz", help="skip P(f) against K_LZ (it expands every class)")
    p.add_argument("--float-demo", action="store_true", dest="float_demo",
                   help="also label every setting in float64 (fc:D,1 on 01 with --q peer:B only)")
    p.add_argument("--force", action="store_true", help="run even above the time / memory budget")


def check_out_dir(out_dir):
    """Refuse, before any work, an ``--out-dir`` the results cannot be written into: a
    file, a folder that cannot take new files, an output name taken by a folder or a
    dangling link. A missing folder is fine when it can be created (it is, after the work).

    >>> check_out_dir("/proc/version")
    Traceback (most recent call last):
    ...
    enumerate.SpecError: out_dir: '/proc/version' is a file, not a folder
    """
    import tempfile

    from .._support.files import check_writable
    from ..analysis.plots import FIGURES

    if not out_dir.strip():
        raise SpecError("--out-dir", "empty folder name")
    if os.path.isdir(out_dir):
        for name in ("summary.json", *(f"{f}.png" for f in FIGURES)):
            check_writable(os.path.join(out_dir, name), "--out-dir")
        return
    if os.path.lexists(out_dir):
        raise SpecError("--out-dir", f"{out_dir!r} is a file, not a folder")
    parent = os.path.dirname(os.path.abspath(out_dir))
    while not os.path.lexists(parent):
        parent = os.path.dirname(parent)
    if not os.path.isdir(parent):
        raise SpecError("--out-dir", f"cannot create {out_dir!r}: {parent!r} is not a folder")
    try:
        os.rmdir(tempfile.mkdtemp(dir=parent, prefix=".tmp-"))
    except OSError as exc:
        raise SpecError("--out-dir", f"cannot create {out_dir!r} in {parent!r} ({exc.strerror or exc})") from None


def run(args):
    import matplotlib

    matplotlib.use("Agg")
    from ..counting.dispatch import count_prior
    from .._support.files import atomic_write_json, write_output
    from ..results.io import versions
    from ..analysis.simplicity import analyze, float_demo_cost, float_vs_exact
    from ..counting.budget import check_cost
    from ..analysis.plots import write_figures

    spec = NetworkSpec.parse(args.arch, args.q, args.act, args.domain, args.zero_label, args.scale_q)
    check_out_dir(args.out_dir)
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

    def save(out_dir):
        os.makedirs(out_dir, exist_ok=True)
        paths = write_figures(summary, out_dir)
        atomic_write_json(os.path.join(out_dir, "summary.json"), summary)  # last: the run is complete
        return paths

    paths = []
    write_output(lambda d: paths.extend(save(d)), args.out_dir, "--out-dir")
    print(f"{spec.arch} on {spec.domain.kind}: {prior.num_functions:,} functions of {prior.total:,} settings; "
          f"wrote summary.json and {', '.join(os.path.basename(p) for p in paths)} in {args.out_dir}")
    return 0

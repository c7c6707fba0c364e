"""Benchmark: exact rho~ of a narrow teacher against student width (``proofs.width_sweep``).

Each sweep runs in a child process that prints one JSON line per width (so a sweep cut
by its time limit keeps the widths it finished); the child reports its peak RSS.
2-layer students use the teacher-equivalence counter, depth-3 students the two-hidden-layer
class counter (through the full prior's auto choice). Each
sweep records the load average at its start and the child's CPU time beside the wall time
(the machine may be shared: wall times are upper bounds).

    python benchmarks/width_sweep.py            # every sweep -> benchmarks/results/width_sweep.json
    python benchmarks/width_sweep.py --quick    # small widths only (a smoke run)
    python benchmarks/width_sweep.py --only fc2 fc3   # some sweeps -> results/width_sweep_part_fc2.json
    python benchmarks/width_sweep.py --merge    # the parts -> results/width_sweep.json (other sweeps kept)
"""

import argparse
import json
import os
import subprocess
import sys
import time

from _common import write_results

AND2 = ("fc:2,1,1", "1,1,-1,1,0")
MAJ3 = ("fc:3,1,1", "1,1,1,-1,1,0")
MAJ4 = ("fc:4,1,1", "1,1,1,1,-1,1,0")
AND2S = ("sfc:2,1,1", "1,1,-1,1,1,0")
MAJ4S = ("sfc:4,1,1", "1,1,1,1,-1,1,1,0")
DEEP = ("fc:2,1,2,1", "1,1,-1,1,1,0,1,1,1,0")
DEEPS = ("sfc:2,1,2,1", "1,1,-1,1,1,1,0,1,1,1,1,1,0")

#: (name, student with W, teacher, widths, time limit in seconds, target)
SWEEPS = [
    ("fc2", "fc:2,W,1", AND2, "1-64", 900, "W = 64 in < 2 min"),
    ("fc3", "fc:3,W,1", MAJ3, "1-12", 1200, "W = 12 in < 15 min"),
    # W = 7: ~2 CPU minutes; W = 8: its last hashed table (~4e8 states) is built in 16 parts of at most
    # PART_BYTES of map (run alone or two at a time: ~7 GB each)
    ("fc4", "fc:4,W,1", MAJ4, "1-8", 5400, "W = 8"),
    ("sfc4", "sfc:4,W,1", MAJ4S, "1-8", 5400, "W = 8"),
    ("sfc2", "sfc:2,W,1", AND2S, "1-32", 600, ""),
    ("deep_fc", "fc:2,W,2,1", DEEP, "1-10", 2400, "W = 10"),
    ("deep_sfc", "sfc:2,W,2,1", DEEPS, "1-10", 2400, "W = 10"),
]
QUICK = {"fc2": "1-8", "fc3": "1-4", "fc4": "1-2", "sfc4": "1-2", "sfc2": "1-4", "deep_fc": "1-2", "deep_sfc": "1-2"}

CHILD = r"""
import json, resource, sys
from proofs.width_sweep import width_sweep
arch, tarch, tparams, widths = sys.argv[1:5]
def row(sw, r):
    d = r.to_json()
    ru = resource.getrusage(resource.RUSAGE_SELF)
    d["peak_rss_mb"] = ru.ru_maxrss / 1024
    d["cpu_seconds_so_far"] = ru.ru_utime + ru.ru_stime  # the child's CPU time up to this row (a loaded machine
    # stretches the wall time, much less the CPU time)
    print(json.dumps(d), flush=True)
try:
    # force: the estimate is an upper bound; the benchmark keeps its own time limit per sweep
    width_sweep(arch, "-1,0,1", teacher=(tarch, tparams), widths=widths, progress=False, force=True, on_row=row)
except Exception as exc:  # the budget refusal of the next width ends the sweep
    print(json.dumps({"stopped": f"{type(exc).__name__}: {exc}"}), flush=True)
"""


def run_sweep(arch, teacher, widths, limit):
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", CHILD, arch, teacher[0], teacher[1], widths],
                            stdout=subprocess.PIPE, text=True)
    rows, stopped = [], None
    import threading

    timer = threading.Timer(limit, proc.kill)  # the limit holds while a width is still running
    timer.start()
    try:
        for line in proc.stdout:
            d = json.loads(line)
            if "stopped" in d:
                stopped = d["stopped"]
            else:
                rows.append(d)
                print(f"  {arch} W={d['width']}: C~ {d['C']:.4f}, {d['seconds']:.1f} s, "
                      f"{d['peak_rss_mb']:.0f} MB", file=sys.stderr, flush=True)
            if time.perf_counter() - t0 > limit:
                stopped = f"time limit {limit} s"
                break
    finally:
        timer.cancel()
        if stopped is None:  # the rows ended (the child is done, or was ended): let it exit on its own
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                pass
        proc.kill()
        proc.wait()
    if stopped is None and proc.returncode not in (0, None):
        stopped = (f"time limit {limit} s (killed during the next width)" if time.perf_counter() - t0 >= limit
                   else f"the child ended with code {proc.returncode} during the next width")
    return rows, stopped, time.perf_counter() - t0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--quick", action="store_true")
    p.add_argument("--only", nargs="*", default=None)
    p.add_argument("--merge", action="store_true")
    args = p.parse_args()
    if args.merge:
        return merge()
    out = {}
    for name, arch, teacher, widths, limit, target in SWEEPS:
        if args.only and name not in args.only:
            continue
        if args.quick:
            widths = QUICK[name]
        print(f"{name}: {arch} widths {widths}", file=sys.stderr, flush=True)
        load = os.getloadavg()[0]
        rows, stopped, wall = run_sweep(arch, teacher, widths, limit)
        out[name] = {"load_average_at_start": load,
                     "cpu_seconds": rows[-1]["cpu_seconds_so_far"] if rows else None, "arch": arch, "teacher": {"arch": teacher[0], "params": teacher[1]}, "widths": widths,
                     "target": target, "reached": rows[-1]["width"] if rows else 0,
                     "seconds_total": sum(r["seconds"] for r in rows), "wall_seconds": wall,
                     "peak_rss_mb": max((r["peak_rss_mb"] for r in rows), default=0), "stopped": stopped,
                     "rows": rows}
    name = "width_sweep" + ("_quick" if args.quick else "") + (f"_part_{args.only[0]}" if args.only else "")
    write_results(name, {"sweeps": out})


def merge():
    import glob

    from _common import RESULTS

    out = {}
    whole = os.path.join(RESULTS, "width_sweep.json")
    if os.path.exists(whole):  # sweeps not re-run keep their last results
        with open(whole) as fh:
            out.update(json.load(fh)["sweeps"])
    parts = sorted(glob.glob(os.path.join(RESULTS, "width_sweep_part_*.json")))
    for path in parts:
        with open(path) as fh:
            out.update(json.load(fh)["sweeps"])
    write_results("width_sweep", {"sweeps": {n: out[n] for n, *_ in SWEEPS if n in out}})
    for path in parts:
        os.remove(path)


if __name__ == "__main__":
    main()

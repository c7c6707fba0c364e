"""Benchmark of the fast exact counter (writes benchmarks/results/fast.json).

    python benchmarks/fast.py [--quick] [--limit SECONDS]

Every measurement runs in a fresh subprocess (so its peak RSS is its own, and a run
over the time limit is killed), after one warm-up call that compiles the numba kernels.

1. fc:3,4,1 sign Q={-1,0,1} (1.05e10 settings): brute force on the same machine, timed
   on a slice of steps and extrapolated to the full run (stated in the JSON), against
   the fast counter's full exact run.
2. fc:3,6,1 sign Q={-1,0,1} (6.2e14 settings): the fast counter's full exact run.
3. Frontier: for d_0 = 2, 3, 4 and depth 2 (fc:d0,k,1) and depth 3 (fc:d0,k,2,1), plus sfc
   for d_0 = 3, the widest k counted exactly within the time limit (doubling, then
   bisection), with its number of settings.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, "results", "fast.json")

CHILD = r"""
import json, resource, sys, time
from enumerate import NetworkSpec
from enumerate.counting.fast import count_fast
from enumerate.counting.brute import count_brute
arch, q, act, mode, arg = sys.argv[1:6]
count_fast(NetworkSpec.parse("fc:2,2,1", "-1,0,1"), progress=False)          # compile kernels
count_brute(NetworkSpec.parse("fc:2,2,1", "-1,0,1"), progress=False)
spec = NetworkSpec.parse(arch, q, act, "01")
t = time.perf_counter()
if mode == "fast":
    prior = count_fast(spec, progress=False)
    out = {"functions": prior.num_functions, "covered_equals_total": prior.covered == spec.total,
           "fast": prior.meta["fast"]}
else:
    steps = int(arg)
    prior = count_brute(spec, progress=False, steps=(0, steps), force=True)
    out = {"settings_counted": prior.covered}
out.update(arch=arch, q=q, act=act, mode=mode, settings=str(spec.total), settings_float=float(spec.total),
           seconds=time.perf_counter() - t,
           peak_rss_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
print(json.dumps(out))
"""


def run(arch, q="-1,0,1", act="sign", mode="fast", arg="0", limit=600.0):
    try:
        p = subprocess.run([sys.executable, "-c", CHILD, arch, q, act, mode, str(arg)], capture_output=True,
                           text=True, timeout=limit + 30)
    except subprocess.TimeoutExpired:
        return None
    if p.returncode != 0:
        print(p.stderr, file=sys.stderr)
        return None
    res = json.loads(p.stdout.strip().splitlines()[-1])
    return res if res["seconds"] <= limit else dict(res, over_limit=True)


FRONTIER = [(d0, depth, "fc") for d0 in (2, 3, 4) for depth in (2, 3)] + [(3, 2, "sfc"), (3, 3, "sfc")]


def frontier(limit, quick):
    """Widest k within the limit: k doubles until a run fails, then bisection."""
    rows = []
    for d0, depth, kind in FRONTIER:
        name = (lambda k: f"{kind}:{d0},{k},1") if depth == 2 else (lambda k: f"{kind}:{d0},{k},2,1")
        ok, bad, best = 0, None, None

        def attempt(k):
            res = run(name(k), limit=limit)
            over = res is None or res.get("over_limit")
            print(f"  {name(k)}: " + ("over limit" if over else "%.2f s" % res["seconds"]), file=sys.stderr)
            return None if over else res

        k = 1
        while bad is None and not (quick and k > 4):
            res = attempt(k)
            if res is None:
                bad = k
            else:
                ok, best = k, res
                k *= 2
        while bad is not None and bad - ok > 1:
            mid = (ok + bad) // 2
            res = attempt(mid)
            if res is None:
                bad = mid
            else:
                ok, best = mid, res
        rows.append({"d0": d0, "depth": depth, "family": name("k"), "largest": best,
                     "first_failing_width": bad})
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small slice, small frontier (a smoke run)")
    ap.add_argument("--limit", type=float, default=60.0, help="frontier time limit per run in seconds (default 60)")
    ap.add_argument("--out", default=RESULTS)
    args = ap.parse_args(argv)
    sys.path.insert(0, os.path.dirname(HERE))
    from benchmarks._common import machine
    from enumerate._support.files import atomic_write_json

    out = {"schema": "benchmarks.fast/1", "machine": machine(), "started": time.strftime("%Y-%m-%dT%H:%M:%S")}

    # 1. fc:3,4,1: brute force on a slice (extrapolated), the fast counter in full
    steps = 2_000_000 if args.quick else 30_000_000  # one step = |Q| settings (the readout bias)
    brute = run("fc:3,4,1", mode="brute", arg=steps)
    fast341 = min((run("fc:3,4,1") for _ in range(3)), key=lambda r: r["seconds"])
    total = float(fast341["settings"])
    rate = brute["settings_counted"] / brute["seconds"]
    out["fc341"] = {
        "brute_slice": brute,
        "brute_rate_settings_per_s": rate,
        "brute_extrapolated_s": total / rate,
        "brute_method": f"count_brute(spec, steps=(0, {steps})) timed on a slice of {brute['settings_counted']:,} "
                        "settings and extrapolated linearly to all settings (same machine, same run, both cores)",
        "fast": fast341,
        "speedup": total / rate / fast341["seconds"],
    }
    print(f"fc:3,4,1: brute ~{total / rate:.1f} s (extrapolated), fast {fast341['seconds']:.3f} s, "
          f"speed-up {out['fc341']['speedup']:.0f}x", file=sys.stderr)

    # 2. fc:3,6,1
    out["fc361"] = run("fc:3,6,1")
    print(f"fc:3,6,1: fast {out['fc361']['seconds']:.2f} s", file=sys.stderr)

    # 3. frontier
    out["frontier_limit_s"] = args.limit
    out["frontier"] = frontier(args.limit if not args.quick else min(args.limit, 10.0), args.quick)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    atomic_write_json(args.out, out)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Brute-force throughput: parameter settings per second (sign, Q = {-1,0,1}, domain {0,1}^3).

    python benchmarks/brute.py            # fc:3,3,1 whole (4.3e7) and fc:3,4,1 whole (1.05e10, ~100 s)
    python benchmarks/brute.py --quick    # fc:3,4,1 on a 1e9-setting slice

Also the ``calibration`` rows behind the time estimate (``estimate_seconds``): one thread,
CPU time, on 4 to 1,024 domain points, measured against the estimate.

Writes benchmarks/results/brute.json. Target: >= 1e8 settings/s on 2 cores.
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks._common import write_results  # noqa: E402
from enumerate import NetworkSpec  # noqa: E402
from enumerate.counting.brute import KernelProblem, count_brute, estimate_seconds  # noqa: E402

#: (arch, Q) on {0,1}^d: the histogram path (<= 22 table bits) and the sorted-buffer path
CALIBRATION = [("fc:2,2,2,1", "-1,0,1"), ("fc:3,3,1", "-1,0,1"), ("sfc:3,2,1", "-1,0,1"), ("fc:4,3,1", "-1,0,1"),
               ("fc:6,2,1", "-1,0,1"), ("fc:7,1", "-1,-2/3,-1/3,0,1/3,2/3,1,4/3"), ("fc:9,1", "-1,0,1"),
               ("fc:10,1", "-1,0,1")]


def calibrate(arch, q):
    """One thread's CPU seconds for the whole of ``arch`` against :func:`estimate_seconds`."""
    spec = NetworkSpec.parse(arch, q, "sign", "01")
    count_brute(spec, progress=False, threads=1, force=True, steps=(0, 1))  # compile / warm up
    t = time.process_time()
    count_brute(spec, progress=False, threads=1, force=True)
    cpu = time.process_time() - t
    est = estimate_seconds(spec, threads=1)
    return {"arch": arch, "q": q, "points": len(spec.domain), "settings": spec.total, "cpu_s": round(cpu, 3),
            "estimate_s": round(est, 3), "estimate_over_measured": round(est / cpu, 2)}


def measure(arch, max_settings=None, threads=None):
    spec = NetworkSpec.parse(arch, "-1,0,1", "sign", "01")
    steps = KernelProblem(spec).total_steps
    if max_settings is not None:
        steps = min(steps, max_settings // len(spec.q))
    count_brute(spec, progress=False, steps=(0, 100), threads=threads)  # compile / warm up
    t = time.perf_counter()
    prior = count_brute(spec, progress=False, steps=(0, steps), force=True, threads=threads)
    dt = time.perf_counter() - t
    settings = prior.covered
    return {"arch": arch, "settings": settings, "complete": settings == spec.total, "total": spec.total,
            "seconds": round(dt, 3), "settings_per_second": settings / dt, "threads": threads or os.cpu_count(),
            "functions_seen": prior.num_functions}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="time fc:3,4,1 on a 1e9-setting slice only")
    args = ap.parse_args()
    rows = [measure("fc:3,3,1"), measure("fc:3,3,1", threads=1),
            measure("fc:3,4,1", max_settings=10**9 if args.quick else None)]
    for r in rows:
        print(f"{r['arch']:10} threads {r['threads']}  {r['settings']:>14,} settings  {r['seconds']:8.2f} s  "
              f"{r['settings_per_second']:.3e} settings/s{'' if r['complete'] else '  (slice)'}")
    cal = [calibrate(a, q) for a, q in CALIBRATION]
    for r in cal:
        print(f"{r['arch']:10} {r['points']:5} points {r['settings']:>14,} settings  {r['cpu_s']:8.2f} s CPU "
              f"(1 thread), estimate {r['estimate_s']:8.2f} s: {r['estimate_over_measured']}x")
    write_results("brute", {"target_settings_per_second": 1e8, "cases": rows, "calibration": cal})


if __name__ == "__main__":
    main()

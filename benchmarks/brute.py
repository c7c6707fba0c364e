"""Brute-force throughput: parameter settings per second (sign, Q = {-1,0,1}, domain {0,1}^3).

    python benchmarks/brute.py            # fc:3,3,1 whole (4.3e7) and fc:3,4,1 whole (1.05e10, ~100 s)
    python benchmarks/brute.py --quick    # fc:3,4,1 on a 1e9-setting slice

Writes benchmarks/results/brute.json. Target: >= 1e8 settings/s on 2 cores.
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks._common import write_results  # noqa: E402
from enumerate import NetworkSpec  # noqa: E402
from enumerate.counting.brute import KernelProblem, count_brute  # noqa: E402


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
    write_results("brute", {"target_settings_per_second": 1e8, "cases": rows})


if __name__ == "__main__":
    main()

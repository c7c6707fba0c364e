"""Dask overhead: brute force on a LocalCluster against the in-process threads (sign, Q = {-1,0,1}).

    python benchmarks/dask.py            # fc:3,3,1 (4.3e7 settings) and fc:2,4,1 (1.3e8)
    python benchmarks/dask.py --quick    # fc:3,3,1 only

For 1 and 2 workers (one thread each) against the in-process run with as many threads: wall
time of the same exact count (the counts are compared). Per-task cost: the same run cut into
more and more shards (fc:2,3,1, 1.6e6 settings: little work per task); the slope of time against the number of tasks is the scheduling cost
of one task. Writes benchmarks/results/dask.json.
"""

import argparse
import os
import sys
import time

# this file is named dask.py: put the repository root in place of its own folder, or `import dask` finds it
sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

from benchmarks._common import write_results  # noqa: E402
from enumerate import NetworkSpec  # noqa: E402
from enumerate.counting.brute import count_brute  # noqa: E402
from enumerate.counting.distributed import count_distributed, shard_plan  # noqa: E402


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def best(fn, repeat):
    """The fastest of ``repeat`` runs (the machine is shared: the minimum is the least disturbed)."""
    runs = [timed(fn) for _ in range(repeat)]
    return runs[0][0], min(dt for _, dt in runs)


def overhead_rows(client, workers, arch, repeat):
    spec = NetworkSpec.parse(arch, "-1,0,1", "sign", "01")
    count_brute(spec, progress=False, steps=(0, 10), threads=workers)  # compile / warm up
    local, t_local = best(lambda: count_brute(spec, progress=False, threads=workers, force=True), repeat)
    dist, t_dask = best(lambda: count_distributed(spec, client, progress=False, force=True), repeat)
    assert dist.counts == local.counts, "the Dask run must give the same counts"
    return {"arch": arch, "settings": spec.total, "workers": workers, "shards": shard_plan(spec).shards,
            "in_process_s": round(t_local, 3), "dask_s": round(t_dask, 3),
            "overhead": round(t_dask / t_local - 1, 3), "dask_settings_per_second": spec.total / t_dask}


def task_cost(client, arch, shard_counts, repeat):
    spec = NetworkSpec.parse(arch, "-1,0,1", "sign", "01")
    rows = []
    for n in shard_counts:
        _, dt = best(lambda: count_distributed(spec, client, shards=n, progress=False), repeat)  # noqa: B023
        rows.append({"arch": arch, "shards": n, "seconds": round(dt, 3)})
    (n0, t0), (n1, t1) = [(r["shards"], r["seconds"]) for r in (rows[0], rows[-1])]
    return rows, (t1 - t0) / (n1 - n0)


def main():
    from distributed import Client, LocalCluster

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="the small case only")
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    archs = ["fc:3,3,1"] + ([] if args.quick else ["fc:2,4,1"])
    rows, costs = [], []
    for workers in (1, 2):
        with LocalCluster(n_workers=workers, threads_per_worker=1, host="127.0.0.1",
                          dashboard_address="127.0.0.1:0") as cluster, Client(cluster) as client:
            for arch in archs:
                rows.append(overhead_rows(client, workers, arch, args.repeat))
                r = rows[-1]
                print(f"{arch:9} {workers} worker(s) {r['shards']:>4} shards  in-process {r['in_process_s']:7.2f} s  "
                      f"dask {r['dask_s']:7.2f} s  overhead {100 * r['overhead']:+.0f}%", flush=True)
            scan, per_task = task_cost(client, "fc:2,3,1", [64, 1024], args.repeat)
            costs.append({"workers": workers, "runs": scan, "seconds_per_task": per_task})
            print(f"per-task cost with {workers} worker(s): {1e3 * per_task:.2f} ms", flush=True)
    from enumerate.results.io import versions

    write_results("dask", {
        "note": "shared machine (2 cores, other jobs running: see load_average): best of --repeat runs; "
                "differences of a few percent either way are noise",
        "load_average": [round(x, 2) for x in os.getloadavg()], "versions": versions(("dask", "distributed")),
        "cases": rows, "task_cost": costs})


if __name__ == "__main__":
    main()

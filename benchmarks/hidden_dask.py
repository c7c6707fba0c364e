"""The hidden-layer class counter on a local Dask cluster: fc:7,3,1 on {-1,0,1} (sign, 01).

    python benchmarks/hidden_dask.py                      # fc:7,3,1 on 2 workers (~10 CPU minutes)
    python benchmarks/hidden_dask.py --arch fc:6,3,1      # a smaller run, to check the plan
    nice -n 10 python benchmarks/hidden_dask.py           # on a shared machine

Reports the blocks of the plan, the compute time of each block on its worker (mean, max;
from the scheduler's task stream), the wall time, the CPU time of the workers and of the
client (which also hosts the LocalCluster's scheduler and brings the classes to their
smallest strings at the end), peak RSS of the client and of each worker, and the load
average beside them (the machine is shared). The result is checked against the in-process
run without re-running it: for fc:7,3,1 the classes (12,389,099), the functions
(36,389,039,702) and the whole summary of benchmarks/results/hidden_summary.json (exact
spectrum bins, teachers' probabilities, seeded samples) recomputed from the Dask prior.
The estimate for 100 workers: the block work spread over 100 workers, but never below the
largest block, plus the final canonical pass measured here. Writes
benchmarks/results/hidden_dask.json (fc:7,3,1) or hidden_dask_<arch>.json.
"""

import argparse
import json
import os
import resource
import sys
import time

sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

from benchmarks._common import RESULTS, write_results  # noqa: E402
from enumerate import NetworkSpec  # noqa: E402
from enumerate.counting.distributed_hidden import count_hidden_distributed, hidden_block_plan  # noqa: E402

#: the in-process fc:7,3,1 (benchmarks/results/hidden.json, hidden_summary.json)
KNOWN = {"fc:7,3,1": {"classes": 12_389_099, "functions": 36_389_039_702}}


def cpu():
    t = os.times()
    return t.user + t.system


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def cpu_scaled_estimate(row):
    """The 100-worker estimate in CPU terms: the blocks' compute times (wall, on the worker)
    scaled by the workers' CPU time over their sum, i.e. what they would take on a core of
    their own (a niced run on a loaded machine gets a fraction of a core; this assumes the
    fraction was the same for every block). The final pass stays at its measured wall time."""
    b = row["block_s"]
    scale = row["worker_cpu_s"] / b["sum"]
    blocks = max(row["worker_cpu_s"] / 100, b["max"] * scale)
    return {"block_cpu_share": round(scale, 3), "largest_block_cpu_s": round(b["max"] * scale, 1),
            "estimate_100_workers_cpu_s": {"blocks": round(blocks, 1), "canonical": row["canonical_s_in_client"],
                                           "total": round(blocks + row["canonical_s_in_client"], 1)}}


def main():
    from distributed import Client, LocalCluster, get_task_stream

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--arch", default="fc:7,3,1")
    ap.add_argument("--blocks", type=int, default=None)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    spec = NetworkSpec.parse(args.arch, "-1,0,1", "sign", "01")
    plan, blocks = hidden_block_plan(spec, args.blocks)
    print(f"{spec.arch}: {plan.total_steps} chunks in {plan.shards} blocks", flush=True)
    with LocalCluster(n_workers=args.workers, threads_per_worker=1, host="127.0.0.1",
                      dashboard_address="127.0.0.1:0") as cluster, Client(cluster) as client:
        count_hidden_distributed(NetworkSpec.parse("fc:3,2,1", "-1,0,1"), client, progress=False)  # warm up
        load0, t, own, wcpu = os.getloadavg()[0], time.perf_counter(), cpu(), sum(client.run(cpu).values())
        with get_task_stream(client) as stream:
            prior = count_hidden_distributed(spec, client, blocks=args.blocks, progress=True, force=True)
        wall = time.perf_counter() - t
        worker_cpu = sum(client.run(cpu).values()) - wcpu
        client_cpu = cpu() - own
        rss = {k.rsplit(":", 1)[-1]: v // 1024 for k, v in
               client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss).items()}
        load1 = os.getloadavg()[0]
    times = sorted(sum(s["stop"] - s["start"] for s in row["startstops"] if s["action"] == "compute")
                   for row in stream.data if str(row["key"]).startswith("enumerate-hidden-"))
    canonical = prior.meta["canonical_s"]
    row = {"arch": str(spec.arch), "q": "-1,0,1", "act": "sign", "domain": "01", "workers": prior.meta["workers"],
           "chunks": plan.total_steps, "blocks": plan.shards, "block_tasks_run": len(times),
           "block_s": {"mean": round(sum(times) / len(times), 2), "max": round(times[-1], 2),
                       "min": round(times[0], 2), "sum": round(sum(times), 1)},
           "wall_s": round(wall, 1), "canonical_s_in_client": round(canonical, 1),
           "worker_cpu_s": round(worker_cpu, 1), "client_cpu_s": round(client_cpu, 1),
           "peak_rss_mb": {"client": peak_rss_mb(), "workers": rss},
           "load_average": {"start": round(load0, 2), "end": round(load1, 2)},
           "classes": prior.num_classes, "functions": prior.num_functions, "settings": str(prior.total),
           "covered_equals_total": prior.covered == prior.total}
    known = KNOWN.get(str(spec.arch))
    if known:
        row["equals_in_process"] = {"classes": prior.num_classes == known["classes"],
                                    "functions": prior.num_functions == known["functions"]}
        from benchmarks.hidden_summary import summarize

        with open(os.path.join(RESULTS, "hidden_summary.json")) as fh:
            saved = json.load(fh)
        row["equals_in_process"]["summary"] = json.loads(json.dumps(summarize(prior))) == saved
        assert all(row["equals_in_process"].values()), row["equals_in_process"]
    # 100 workers: the blocks' work spread out, never below the largest block, then the canonical pass
    spread = sum(times) / 100
    row["estimate_100_workers_s"] = {"blocks": round(max(spread, times[-1]), 1), "canonical": round(canonical, 1),
                                     "total": round(max(spread, times[-1]) + canonical, 1),
                                     "bound": "largest block" if times[-1] >= spread else "work / 100"}
    row.update(cpu_scaled_estimate(row))
    print(json.dumps(row, indent=1), flush=True)
    from enumerate.results.io import versions

    name = "hidden_dask" if str(spec.arch) == "fc:7,3,1" else "hidden_dask_" + str(spec.arch).replace(":", "").replace(",", "_")
    write_results(name, {"note": "shared 2-core machine (see load_average); worker_cpu_s is the CPU time of the "
                                 "worker processes, client_cpu_s of the client (scheduler, final canonical pass)",
                         "versions": versions(("dask", "distributed")), "run": row})


if __name__ == "__main__":
    main()

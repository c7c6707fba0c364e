"""The perceptron class counter in-process (threads) and on a local Dask cluster: fc:7,1 on the peers' grids.

    python benchmarks/classes_dask.py            # 4-bit and 5-bit grids, per-task cost
    python benchmarks/classes_dask.py --quick    # 4-bit only
    python benchmarks/classes_dask.py --six      # also the 6-bit grid on 2 workers, killed and resumed once,
                                                 # then 10^7 uniform samples against its frequent tables
    nice -n 10 python benchmarks/classes_dask.py --six   # on a shared machine
    python benchmarks/classes_dask.py --six-only         # only the 6-bit run, added to the results file

Every run is compared with another: 1 against 2 threads, in-process against Dask (the same
classes, sizes and counts), and the counts sum to |Q|^8. Reports wall time, the CPU time of
the counting processes (the machine is shared: wall time depends on the load, recorded
beside it), peak RSS of the client and of each worker, the per-task cost (the same 4-bit
run cut into few and many blocks: the slope of time against the number of tasks), tasks
per second, and an extrapolation of the 6-bit run to 100 and 1000 workers. Writes
benchmarks/results/classes_dask.json.
"""

import argparse
import math
import os
import resource
import sys
import time

sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

from benchmarks._common import write_results  # noqa: E402
from enumerate import NetworkSpec  # noqa: E402
from enumerate.core.lattice import IntegerPlan  # noqa: E402
from enumerate.analysis.simplicity import peer_grid  # noqa: E402
from enumerate.counting.distributed_classes import TASK_STEPS, count_classes_distributed  # noqa: E402
from enumerate.counting.perceptron import block_plan, count_classes, estimate_classes  # noqa: E402


def spec_of(bits):
    return NetworkSpec.parse("fc:7,1", peer_grid(bits), "sign", "01")


def cpu():
    t = os.times()
    return t.user + t.system


def worker_cpu(client):
    return sum(client.run(cpu).values())


def worker_rss_mb(client):
    return {k: v // 1024 for k, v in client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss).items()}


def same(a, b):
    import numpy as np

    return (np.array_equal(a.tables, b.tables) and np.array_equal(a.sizes, b.sizes)
            and np.array_equal(a.counts_by_class, b.counts_by_class))


def in_process(bits, threads):
    spec = spec_of(bits)
    t, c = time.perf_counter(), cpu()
    prior = count_classes(spec, progress=False, force=True, threads=threads)
    row = {"grid_bits": bits, "where": "in-process", "threads": threads, "wall_s": round(time.perf_counter() - t, 2),
           "cpu_s": round(cpu() - c, 2), "blocks": prior.meta["blocks"], "classes": prior.num_classes,
           "functions": prior.num_functions, "steps": estimate_classes(spec)["steps"],
           "load_average": round(os.getloadavg()[0], 2)}
    print(row, flush=True)
    return prior, row


def on_dask(client, bits, blocks=None, **kwargs):
    spec = spec_of(bits)
    t, c, own = time.perf_counter(), worker_cpu(client), cpu()
    prior = count_classes_distributed(spec, client, progress=False, force=True, blocks=blocks, **kwargs)
    row = {"grid_bits": bits, "where": "dask", "workers": prior.meta["workers"],
           "wall_s": round(time.perf_counter() - t, 2), "worker_cpu_s": round(worker_cpu(client) - c, 2),
           "client_cpu_s": round(cpu() - own, 2),  # the client process also hosts the LocalCluster's scheduler
           "blocks": prior.meta["blocks"], "classes": prior.num_classes, "functions": prior.num_functions,
           "load_average": round(os.getloadavg()[0], 2)}
    print(row, flush=True)
    return prior, row


def sample_check(spec, prior, samples=10**7, top=20, seed=0, chunk=10**5):
    """Uniform random settings against the exact probabilities of the ``top`` most probable
    classes: for each, its canonical table is hit with probability count / total, and the
    sampled frequency must lie within 6 binomial standard deviations of it (a false alarm
    per table has probability below 2e-9). Integer forward pass on the spec's lattice."""
    import numpy as np

    from enumerate.counting.perceptron import kernel_args

    vals, bias, d, lo, hi, zl, flips = kernel_args(spec)
    assert spec.domain.kind == "01" and zl == 0 and not flips
    qi = np.array(IntegerPlan.of(spec).qi, np.int64)
    points = np.array([[(p >> (d - 1 - k)) & 1 for k in range(d)] for p in range(1 << d)], np.int64)
    order = np.argsort(-np.asarray(prior.counts_by_class, dtype=np.float64), kind="stable")[:top]
    want = np.asarray(prior.tables)[order].reshape(len(order), -1)  # packed words, bit p = point p is +
    hits = np.zeros(len(order), np.int64)
    rng = np.random.default_rng(seed)
    weights = (1 << np.arange(64, dtype=np.uint64)).astype(np.uint64)
    for start in range(0, samples, chunk):
        m = min(chunk, samples - start)
        w = qi[rng.integers(0, len(qi), (m, d))]
        b = bias[rng.integers(0, len(bias), m)]
        plus = (w @ points.T + b[:, None]) > 0  # (m, 2^d)
        words = np.stack([(plus[:, 64 * i:64 * i + 64].astype(np.uint64) * weights[:plus[:, 64 * i:64 * i + 64].shape[1]])
                          .sum(axis=1, dtype=np.uint64) for i in range((plus.shape[1] + 63) // 64)], axis=1)
        for j in range(len(order)):
            hits[j] += int(np.all(words == want[j], axis=1).sum())
    rows = []
    for j, c in enumerate(order):
        p = int(prior.counts_by_class[c]) / prior.total
        sd = (p * (1 - p) / samples) ** 0.5
        rows.append({"class": int(c), "exact_p": p, "sampled_p": hits[j] / samples, "sigmas": (hits[j] / samples - p) / sd})
    ok = all(abs(r["sigmas"]) <= 6 for r in rows)
    return {"samples": samples, "tables": len(rows), "bound": "6 binomial standard deviations per table",
            "worst_sigmas": round(float(max(abs(r["sigmas"]) for r in rows)), 2), "within_bound": ok}


def six_bit(client, rows):
    """The 6-bit grid with a checkpoint: interrupted (Ctrl-C in the client) half way, then resumed."""
    import tempfile

    spec = spec_of(6)
    ckpt = os.path.join(tempfile.mkdtemp(), "six.ckpt")
    plan = block_plan(spec, None, TASK_STEPS)

    def stop_half(_i, finished, n):
        if finished == n // 2:
            raise KeyboardInterrupt

    t = time.perf_counter()
    try:
        count_classes_distributed(spec, client, progress=True, force=True, checkpoint=ckpt, on_block=stop_half)
    except KeyboardInterrupt:
        pass
    first = time.perf_counter() - t
    size = os.path.getsize(ckpt)
    prior, row = on_dask(client, 6, checkpoint=ckpt)
    assert prior.covered == spec.total == 64**8
    row.update({"cpu_of": "worker_cpu_s and client_cpu_s cover the resumed part only (the blocks left after the "
                          "interruption)", "interrupted_after_s": round(first, 1), "resumed_s": row["wall_s"],
                "wall_s": round(first + row["wall_s"], 1), "checkpoint_bytes": size, "blocks": plan.shards,
                "sum_of_counts": prior.covered, "sum_is_64_to_the_8": prior.covered == 64**8})
    rows.append(row)
    t = time.perf_counter()
    row["sample_check"] = sample_check(spec, prior)
    row["sample_check"]["seconds"] = round(time.perf_counter() - t, 1)
    assert row["sample_check"]["within_bound"], row["sample_check"]
    return prior


def main():
    from distributed import Client, LocalCluster

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="the 4-bit grid only")
    ap.add_argument("--six", action="store_true", help="also the 6-bit grid (about 95 times the 5-bit work)")
    ap.add_argument("--six-only", action="store_true",
                    help="only the 6-bit grid; its row replaces any 6-bit row of the results file, the rest is kept")
    ap.add_argument("--overhead-only", action="store_true",
                    help="only the 5-bit Dask overhead, as interleaved in-process / Dask pairs (medians); "
                         "merged into the results file")
    ap.add_argument("--reps", type=int, default=5, help="pairs for --overhead-only (default 5)")
    args = ap.parse_args()
    if args.six_only:
        return six_only()
    if args.overhead_only:
        return overhead_only(args.reps)
    count_classes(spec_of(2), progress=False)  # compile / load the kernels
    rows = []
    four1, r = in_process(4, 1)
    rows.append(r)
    four2, r = in_process(4, 2)
    rows.append(r)
    assert same(four1, four2)
    if not args.quick:
        five, r = in_process(5, 2)
        rows.append(r)
    with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address="127.0.0.1:0") as cluster, \
            Client(cluster) as client:
        on_dask(client, 2)  # warm up the workers
        prior, r = on_dask(client, 4)
        rows.append(r)
        assert same(prior, four1)
        scan = []
        for blocks in (16, 512):
            _, r = on_dask(client, 4, blocks=blocks)
            scan.append({"blocks": blocks, "wall_s": r["wall_s"], "worker_cpu_s": r["worker_cpu_s"]})
        per_task = (scan[1]["wall_s"] - scan[0]["wall_s"]) / (scan[1]["blocks"] - scan[0]["blocks"])
        per_task_cpu = (scan[1]["worker_cpu_s"] - scan[0]["worker_cpu_s"]) / (scan[1]["blocks"] - scan[0]["blocks"])
        if not args.quick:
            prior, r = on_dask(client, 5)
            rows.append(r)
            assert same(prior, five)
            local = next(x for x in rows if x["grid_bits"] == 5 and x["where"] == "in-process")
            r["overhead_wall"] = round(r["wall_s"] / local["wall_s"] - 1, 3)
            r["overhead_cpu"] = round(r["worker_cpu_s"] / local["cpu_s"] - 1, 3)
            r["tasks_per_second"] = round(r["blocks"] / r["wall_s"], 2)
            r["overhead_cpu_with_client"] = round((r["worker_cpu_s"] + r["client_cpu_s"]) / local["cpu_s"] - 1, 3)
            prior, r = on_dask(client, 5, blocks=8)  # fewer, larger tasks: 4 per worker
            rows.append(r)
            assert same(prior, five)
            r["overhead_cpu"] = round(r["worker_cpu_s"] / local["cpu_s"] - 1, 3)
            r["overhead_cpu_with_client"] = round((r["worker_cpu_s"] + r["client_cpu_s"]) / local["cpu_s"] - 1, 3)
        if args.six:
            six_bit(client, rows)
        rss = worker_rss_mb(client)
    # extrapolation of the 6-bit run: the CPU seconds per step measured on the largest grid run here
    ref = next(x for x in reversed(rows) if x["where"] == "in-process")
    per_step = ref["cpu_s"] / ref["steps"]
    six = estimate_classes(spec_of(6))
    tasks = block_plan(spec_of(6), None, TASK_STEPS).shards
    extrapolation = []
    for w in (1, 2, 100, 1000):
        compute = six["steps"] * per_step / w
        extrapolation.append({"workers": w, "tasks": tasks, "compute_s": round(compute, 1),
                              "rounds": math.ceil(tasks / w), "task_overhead_s": round(tasks * max(per_task, 0) / w, 2),
                              "estimate_s": round(compute + tasks * max(per_task, 0) / w, 1)})
    from enumerate.results.io import versions

    write_results("classes_dask", {
        "note": "shared machine (2 cores, other jobs running: see load_average per run); cpu_s is the CPU time of "
                "the counting processes, a steadier figure than wall time under load",
        "versions": versions(("dask", "distributed")), "runs": rows,
        "task_cost": {"runs": scan, "seconds_per_task_wall": round(per_task, 4),
                      "seconds_per_task_worker_cpu": round(per_task_cpu, 4)},
        "peak_rss_mb": {"client": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, "workers": rss},
        "six_bit_extrapolation": {"steps": six["steps"], "cpu_seconds_per_step": per_step, "rows": extrapolation}})


def overhead_only(reps=5):
    """The Dask overhead on the 5-bit grid as ``reps`` interleaved pairs (in-process on 2 threads,
    then a 2-worker cluster), medians of the per-pair ratios (a shared machine's speed drifts by
    20% between minutes: the pairs see the same drift); merged into the results file."""
    import json
    import statistics

    from distributed import Client, LocalCluster

    from benchmarks._common import RESULTS

    with open(os.path.join(RESULTS, "classes_dask.json")) as fh:
        old = json.load(fh)
    count_classes(spec_of(2), progress=False)  # compile / load the kernels
    pairs = []
    with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address="127.0.0.1:0") as cluster, \
            Client(cluster) as client:
        on_dask(client, 2)  # warm up the workers
        for _ in range(reps):
            local, a = in_process(5, 2)
            prior, b = on_dask(client, 5)
            assert same(prior, local)
            pairs.append({"in_process": a, "dask": b, "overhead_cpu": round(b["worker_cpu_s"] / a["cpu_s"] - 1, 3),
                          "overhead_cpu_with_client": round((b["worker_cpu_s"] + b["client_cpu_s"]) / a["cpu_s"] - 1, 3),
                          "overhead_wall": round(b["wall_s"] / a["wall_s"] - 1, 3)})
    payload = {k: v for k, v in old.items() if k not in ("benchmark", "machine")}
    payload["overhead_5bit"] = {
        "pairs": pairs, "blocks": pairs[0]["dask"]["blocks"],
        **{f"median_{k}": statistics.median(p[k] for p in pairs)
           for k in ("overhead_cpu", "overhead_cpu_with_client", "overhead_wall")},
        "median_in_process_wall_s": statistics.median(p["in_process"]["wall_s"] for p in pairs),
        "median_dask_wall_s": statistics.median(p["dask"]["wall_s"] for p in pairs)}
    write_results("classes_dask", payload)


def six_only():
    """The 6-bit run alone, merged into the results file of an earlier full run."""
    import json

    from distributed import Client, LocalCluster

    from benchmarks._common import RESULTS

    with open(os.path.join(RESULTS, "classes_dask.json")) as fh:
        old = json.load(fh)
    rows = []
    count_classes(spec_of(2), progress=False)  # compile / load the kernels
    with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address="127.0.0.1:0") as cluster, \
            Client(cluster) as client:
        on_dask(client, 2)  # warm up the workers
        six_bit(client, rows)
        rss = worker_rss_mb(client)
    payload = {k: v for k, v in old.items() if k not in ("benchmark", "machine")}
    payload["runs"] = [r for r in old["runs"] if r["grid_bits"] != 6] + rows
    payload["peak_rss_mb"]["six_bit"] = {"client": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                                         "workers": rss}
    write_results("classes_dask", payload)


if __name__ == "__main__":
    main()

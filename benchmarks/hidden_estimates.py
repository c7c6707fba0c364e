"""Calibration of the class counters' up-front estimates (writes benchmarks/results/hidden_estimates.json).

    python benchmarks/hidden_estimates.py            # run every CALIBRATION network (~10 min on 2 cores)
    python benchmarks/hidden_estimates.py --reuse    # recompute the estimates of the recorded runs only

Each network of :data:`CALIBRATION` is counted in a fresh subprocess (after a warm-up that
loads the numba kernels) on every core; recorded: wall and CPU seconds, the load average,
peak RSS, functions, classes and the counter's work, beside the up-front estimate of
:func:`~enumerate.counting.hidden.estimate_hidden` (one hidden layer) or
:func:`~enumerate.counting.deep.estimate_deep` (two): estimated classes, seconds and bytes,
and the ratios measured / estimate. The seconds estimate is CPU seconds over the cores, so
the time ratio is taken on CPU time / cores (the wall time on a shared machine is larger).
``--reuse`` keeps the measured figures and recomputes the estimates, to refit the constants
without counting again; the rows of ``fc:5,4,1`` and ``fc:7,3,1`` come from
benchmarks/results/hidden.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, "results", "hidden_estimates.json")

CHILD = r"""
import json, os, resource, sys, time
sys.path.insert(0, sys.argv[6])
from enumerate import NetworkSpec
from enumerate.counting.dispatch import count_prior
for warm in ("fc:2,2,1", "fc:2,2,2,1", "fc:4,1,1,1"):                        # load the kernels (table and box paths)
    count_prior(NetworkSpec.parse(warm, "-1,0,1"), "classes", progress=False)
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
arch, q, act, dom, zl = sys.argv[1:6]
spec = NetworkSpec.parse(arch, q, act, dom, zl)
t = time.perf_counter()
c0 = os.times()
prior = count_prior(spec, "classes", progress=False, force=True)
seconds = time.perf_counter() - t
c1 = os.times()
cpu = (c1.user - c0.user) + (c1.system - c0.system) + (c1.children_user - c0.children_user) + (
    c1.children_system - c0.children_system)
rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
h = prior.meta.get("hidden") or prior.meta["deep"]
print(json.dumps({"functions": prior.num_functions, "classes": prior.num_classes, "multisets": h["multisets"],
                  "seconds": seconds, "cpu_seconds": cpu, "peak_rss_mib": rss / 1024, "warm_rss_mib": base / 1024,
                  "load_average": os.getloadavg(), "cores": os.cpu_count()}))
"""

#: (arch, Q, activation, domain, zero label): one and two hidden layers, every code path
CALIBRATION = [
    ("fc:3,5,1", "-1,0,1", "sign", "01", "-1"),
    ("fc:4,3,1", "-1,0,1", "sign", "01", "-1"),
    ("fc:4,4,1", "-1,0,1", "sign", "01", "-1"),
    ("fc:4,3,1", "-1,0,1", "relu", "01", "-1"),
    ("fc:5,2,1", "-1,0,1", "sign", "01", "-1"),
    ("sfc:5,2,1", "-1,0,1", "sign", "01", "-1"),
    ("fc:5,2,1", "-1,0,1", "sign", "pm1", "-1"),
    ("fc:5,2,1", "-1,0,1", "relu", "01", "-1"),
    ("fc:5,3,1", "-1,0,1", "sign", "01", "-1"),
    ("fc:5,3,1", "-1,0,1", "sign", "01", "0"),
    ("fc:6,2,1", "-1,0,1", "sign", "01", "-1"),
    ("fc:6,2,1", "-1,0,1", "sign", "pm1", "-1"),
    ("fc:7,2,1", "-1,0,1", "sign", "01", "-1"),
    ("fc:6,3,1", "-1,0,1", "sign", "01", "-1"),
    ("sfc:7,2,1", "-1,0,1", "sign", "01", "-1"),
    ("fc:7,2,1", "-1,0,1", "relu", "01", "-1"),
    ("fc:7,2,1", "-1,0,1", "sign", "pm1", "-1"),
    ("fc:3,3,2,1", "-1,0,1", "sign", "01", "-1"),
    ("fc:4,2,2,1", "-1,0,1", "sign", "01", "-1"),
    ("fc:3,4,2,1", "-1,0,1", "sign", "01", "-1"),
    ("fc:4,3,2,1", "-1,0,1", "sign", "01", "-1"),
]
#: measured rows taken from benchmarks/results/hidden.json (too long to repeat here)
FROM_HIDDEN = [("fc:5,4,1", "sign", "01"), ("fc:7,3,1", "sign", "01"), ("fc:5,3,2,1", "sign", "01")]


def measure(arch, q, act, dom, zl):
    p = subprocess.run(["nice", "-n", "10", sys.executable, "-c", CHILD, arch, q, act, dom, zl,
                        os.path.dirname(HERE)], capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"{arch}: {p.stderr[-500:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def estimate(row):
    """The up-front estimate of ``row``'s network and the ratios measured / estimate."""
    from enumerate import NetworkSpec
    from enumerate.counting.deep import deep_supported, estimate_deep
    from enumerate.counting.hidden import estimate_hidden

    spec = NetworkSpec.parse(row["arch"], row["q"], row["act"], row["domain"], row["zero_label"])
    est = estimate_deep(spec) if deep_supported(spec) else estimate_hidden(spec)
    cores = row.get("cores") or 2
    return {"estimate": {"table_classes": est["table_classes"], "seconds": round(est["seconds"], 2),
                         "bytes": est["bytes"]},
            "classes_over_estimate": round(row["classes"] / est["table_classes"], 3),
            "cpu_per_core_over_estimate": round(row["cpu_seconds"] / cores / est["seconds"], 3),
            "rss_over_estimate": round(row["peak_rss_mib"] * 2**20 / est["bytes"], 3)}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reuse", action="store_true", help="recompute the estimates of the recorded runs only")
    ap.add_argument("--only", nargs="*", default=None, help="architectures to (re)measure")
    ap.add_argument("--out", default=RESULTS)
    args = ap.parse_args(argv)
    sys.path.insert(0, os.path.dirname(HERE))
    from benchmarks._common import machine
    from enumerate._support.files import atomic_write_json

    old = {}
    if os.path.exists(args.out):
        with open(args.out) as fh:
            old = {(r["arch"], r["act"], r["domain"], r["zero_label"]): r for r in json.load(fh)["runs"]}
    rows = []
    for arch, q, act, dom, zl in CALIBRATION:
        key = (arch, act, dom, zl)
        if key in old and (args.reuse or (args.only is not None and arch not in args.only)):
            row = {k: v for k, v in old[key].items() if k in ("arch", "q", "act", "domain", "zero_label", "measured")}
        else:
            row = {"arch": arch, "q": q, "act": act, "domain": dom, "zero_label": zl,
                   "measured": measure(arch, q, act, dom, zl)}
        rows.append(row)
        atomic_write_json(args.out, {"schema": "benchmarks.hidden_estimates/1", "machine": machine(), "runs": rows})
        print(f"{arch} {act} {dom} {zl}: {row['measured']['cpu_seconds']:.1f} s CPU, "
              f"{row['measured']['peak_rss_mib']:.0f} MiB", file=sys.stderr, flush=True)
    with open(os.path.join(HERE, "results", "hidden.json")) as fh:
        hidden = {(r["arch"], r["act"], r["domain"]): r for r in json.load(fh)["runs"]}
    for key in FROM_HIDDEN:
        r = hidden[key]
        rows.append({"arch": r["arch"], "q": r["q"], "act": r["act"], "domain": r["domain"],
                     "zero_label": r["zero_label"], "from": "hidden.json",
                     "measured": {k: r[k] for k in ("functions", "classes", "multisets", "seconds", "cpu_seconds",
                                                    "peak_rss_mib", "load_average")}})
    for row in rows:
        row.update(estimate({**row, **row["measured"]}))
        print(f"{row['arch']:12} {row['act']:5} {row['domain']:4} {row['zero_label']:3} classes x"
              f"{row['classes_over_estimate']:<7} cpu/core x{row['cpu_per_core_over_estimate']:<7} "
              f"rss x{row['rss_over_estimate']}", file=sys.stderr)
    atomic_write_json(args.out, {"schema": "benchmarks.hidden_estimates/1", "machine": machine(), "runs": rows})
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

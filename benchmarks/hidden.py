"""Benchmark of the hidden-layer class counter (writes benchmarks/results/hidden.json).

    python benchmarks/hidden.py [--quick] [--only ARCH ...] [--limit SECONDS] [--summary]

Every network runs in a fresh subprocess, after a warm-up call that loads the numba
kernels; the peak RSS is the larger of the process's and its counting child's (long runs
count in a forked child). Recorded per network: functions, classes, multisets visited,
seconds (wall and CPU, with the load average at the end), peak RSS and the up-front
estimate. ``--summary`` also writes the compact summary of ``fc:7,3,1`` that the docs page
reads (benchmarks/hidden_summary.py). The targets of issue 20 (Q = {-1,0,1}, sign,
{0,1}^d, zero-label -1 unless stated):

    fc:5,3,1 < 10 s; fc:6,2,1 < 5 s; fc:7,2,1 < 30 s; fc:6,3,1, fc:5,4,1 < 10 min;
    fc:7,3,1 < 30 min; sfc:7,2,1, fc:7,2,1 relu, fc:7,2,1 on pm1 < 5 min each;
    two hidden layers: fc:4,3,2,1, sfc:4,3,2,1, fc:5,3,2,1 (< 10 min each).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, "results", "hidden.json")
SUMMARY = os.path.join(HERE, "results", "hidden_summary.json")
#: the networks --summary summarises (the docs page reads them)
SUMMARIZED = {("fc:7,3,1", "sign", "01")}

CHILD = r"""
import json, os, resource, sys, time
sys.path.insert(0, sys.argv[7])
from benchmarks.hidden_summary import summarize
from enumerate import NetworkSpec
from enumerate.counting.dispatch import count_prior
for warm in ("fc:2,2,1", "fc:2,2,2,1", "fc:4,1,1,1"):                        # load the kernels (table and box paths)
    count_prior(NetworkSpec.parse(warm, "-1,0,1"), "classes", progress=False)
arch, q, act, dom, zl = sys.argv[1:6]
spec = NetworkSpec.parse(arch, q, act, dom, zl)
t = time.perf_counter()
prior = count_prior(spec, "classes", progress=False, force=True)   # one or two hidden layers
seconds = time.perf_counter() - t
load = os.getloadavg()
use = [resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
cpu = sum(u.ru_utime + u.ru_stime for u in use)
rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
h = prior.meta.get("hidden") or prior.meta["deep"]
work = {k: h[k] for k in ("unit_vectors", "orbits", "tuples", "leaves", "outputs") if k in h}
if "deep" in prior.meta:
    work["layer1_classes"] = h["classes"]
print(json.dumps({"arch": arch, "q": q, "act": act, "domain": dom, "zero_label": zl, "settings": str(spec.total),
                  "functions": prior.num_functions, "classes": prior.num_classes, "multisets": h["multisets"], **work,
                  "enumeration_group_order": h["enumeration_group_order"], "estimate": h["estimate"],
                  "covered_equals_total": prior.covered == spec.total, "seconds": seconds,
                  "peak_rss_mib": rss / 1024, "cpu_seconds": cpu, "load_average": load,
                  "summary": summarize(prior) if sys.argv[6] == "1" else None}))
"""

#: (arch, Q, activation, domain, zero label, target seconds)
TARGETS = [
    ("fc:5,3,1", "-1,0,1", "sign", "01", "-1", 10),
    ("fc:6,2,1", "-1,0,1", "sign", "01", "-1", 5),
    ("fc:7,2,1", "-1,0,1", "sign", "01", "-1", 30),
    ("fc:6,3,1", "-1,0,1", "sign", "01", "-1", 600),
    ("fc:5,4,1", "-1,0,1", "sign", "01", "-1", 600),
    ("fc:7,3,1", "-1,0,1", "sign", "01", "-1", 1800),
    ("sfc:7,2,1", "-1,0,1", "sign", "01", "-1", 300),
    ("fc:7,2,1", "-1,0,1", "relu", "01", "-1", 300),
    ("fc:7,2,1", "-1,0,1", "sign", "pm1", "-1", 300),
    # two hidden layers (enumerate.counting.deep)
    ("fc:4,3,2,1", "-1,0,1", "sign", "01", "-1", 600),
    ("sfc:4,3,2,1", "-1,0,1", "sign", "01", "-1", 600),
    ("fc:5,3,2,1", "-1,0,1", "sign", "01", "-1", 600),
]
QUICK = {"fc:5,3,1", "fc:6,2,1", "fc:7,2,1"}


def run(arch, q, act, dom, zl, limit, summary=False):
    try:
        p = subprocess.run([sys.executable, "-c", CHILD, arch, q, act, dom, zl, "1" if summary else "0",
                            os.path.dirname(HERE)], capture_output=True, text=True, timeout=limit + 60)
    except subprocess.TimeoutExpired:
        return {"arch": arch, "q": q, "act": act, "domain": dom, "zero_label": zl, "over_limit": True}
    if p.returncode != 0:
        print(p.stderr, file=sys.stderr)
        return {"arch": arch, "q": q, "act": act, "domain": dom, "zero_label": zl, "error": p.stderr[-500:]}
    return json.loads(p.stdout.strip().splitlines()[-1])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="only the three quick targets (a smoke run)")
    ap.add_argument("--only", nargs="*", default=None, help="architectures to run (default: every target)")
    ap.add_argument("--limit", type=float, default=2400.0, help="kill a run after this many seconds (default 2400)")
    ap.add_argument("--out", default=RESULTS)
    ap.add_argument("--summary", action="store_true",
                    help=f"also write the summary of fc:7,3,1 (benchmarks/hidden_summary.py) to {SUMMARY}")
    args = ap.parse_args(argv)
    sys.path.insert(0, os.path.dirname(HERE))
    from benchmarks._common import machine
    from enumerate._support.files import atomic_write_json

    old = []
    if os.path.exists(args.out):
        with open(args.out) as fh:
            old = json.load(fh).get("runs", [])
    rows = {(r["arch"], r["act"], r["domain"]): r for r in old}
    for arch, q, act, dom, zl, target in TARGETS:
        if (args.quick and arch not in QUICK) or (args.only and arch not in args.only):
            continue
        res = dict(run(arch, q, act, dom, zl, args.limit, args.summary and (arch, act, dom) in SUMMARIZED),
                   target_seconds=target)
        summary = res.pop("summary", None)
        if summary is not None:
            atomic_write_json(SUMMARY, summary)
            print(f"wrote {SUMMARY}", file=sys.stderr)
        res["meets_target"] = "seconds" in res and res["seconds"] < target
        rows[(arch, act, dom)] = res
        print(f"{arch} {act} {dom}: " + (f"{res['seconds']:.1f} s, {res['peak_rss_mib']:.0f} MiB, "
                                         f"{res['functions']:,} functions in {res['classes']:,} classes"
                                         if "seconds" in res else "failed"), file=sys.stderr, flush=True)
    out = {"schema": "benchmarks.hidden/1", "machine": machine(), "finished": time.strftime("%Y-%m-%dT%H:%M:%S"),
           "runs": list(rows.values())}
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    atomic_write_json(args.out, out)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Results that scale: time and peak memory of the columnar priors (packed tables, counts in arrays).

    python benchmarks/results.py               # every case (~5 min on 2 cores)
    python benchmarks/results.py --quick       # the 10^7-function memory/lookup case only
    python benchmarks/results.py --big 100000000   # the synthetic prior at 10^8 functions (~2.5 GB)

Each case runs in its own child process (address space capped at 6 GiB), which reports its
wall time, CPU time and peak resident set size (``wait4``). Cases:

* brute force ``fc:7,1`` on the 3-bit grid Q = {-1, -2/3, ..., 4/3} (7,985,071 functions) to
  ``.npz`` and to JSON, through the command line (wall and CPU time: on a loaded machine
  the wall time includes waiting for a core), and the JSON file loaded back (streamed);
* that file loaded, turned into class form by the numba orbit pass, and compared with the
  perceptron class counter (a second method at full size); saved and loaded as Parquet
  when pyarrow is installed;
* a synthetic prior of N two-valued 128-point tables: bytes per function held, and the time
  of ``count`` / ``probability`` of one table (wall and CPU microseconds per call).

Writes benchmarks/results/results.json. Targets: brute to npz < 10 s and < 1.5 GB, to JSON
< 2 GB (and read back < 2 GB), < 40 bytes per function plus the packed table, one lookup < 10 microseconds.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from benchmarks._common import write_results  # noqa: E402

GRID = "-1,-2/3,-1/3,0,1/3,2/3,1,4/3"
CAP = 6 * 2**30


def _cap():
    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))


def run(argv, cwd):
    """(wall s, cpu s, peak RSS bytes, exit code, last stdout line) of one child process."""
    t = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=_cap)
    out, err = proc.communicate()
    wall = time.perf_counter() - t
    # communicate() reaps the child; its rusage is the difference of RUSAGE_CHILDREN maxima
    # only when it is the largest so far, so measure each case in a fresh interpreter instead
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    lines = out.decode().strip().splitlines()
    return {"wall_s": round(wall, 2), "exit": proc.returncode, "stdout": lines[-1] if lines else "",
            "stderr": err.decode().strip().splitlines()[-1:] if proc.returncode else [],
            "children_cpu_s": round(ru.ru_utime + ru.ru_stime, 2)}


def measured(argv, cwd):
    """Run ``argv`` under a fresh wrapper so that its peak RSS is its own."""
    wrapper = ("import os, resource, subprocess, sys, time, json\n"
               "t = time.perf_counter(); p = subprocess.run(sys.argv[1:], capture_output=True)\n"
               "ru = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
               "print(p.stdout.decode().strip().splitlines()[-1] if p.stdout.strip() else '', file=sys.stderr)\n"
               "print(json.dumps({'wall_s': round(time.perf_counter() - t, 2), 'cpu_s': round(ru.ru_utime + ru.ru_stime, 2),"
               " 'peak_rss_bytes': ru.ru_maxrss * 1024, 'exit': p.returncode,"
               " 'out': p.stdout.decode().strip().splitlines()[-1:], 'err': p.stderr.decode().strip().splitlines()[-1:]}))\n")
    proc = subprocess.run([sys.executable, "-c", wrapper, *argv], cwd=cwd, capture_output=True, preexec_fn=_cap)
    return json.loads(proc.stdout.decode().strip().splitlines()[-1])


def child_compare(path):
    """(in a child) load the brute-force file, class form by the numba pass, class counter, compare."""
    from enumerate import FunctionPrior, NetworkSpec
    from enumerate.counting.perceptron import count_classes
    from enumerate.results.memory import peak_rss_bytes

    out = {}
    t = time.perf_counter()
    prior = FunctionPrior.load(path)
    out["load_s"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    classes = prior.to_classes()
    out["to_classes_s"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    counter = count_classes(NetworkSpec.parse("fc:7,1", GRID), progress=False, force=True)
    out["class_counter_s"] = round(time.perf_counter() - t, 2)
    out["num_functions"], out["num_classes"] = prior.num_functions, classes.num_classes
    out["brute_equals_class_counter"] = bool(classes == counter and prior == counter)
    t = time.perf_counter()
    out["expanded_equals_brute"] = bool(counter.expand() == prior)
    out["expand_s"] = round(time.perf_counter() - t, 2)
    try:
        import pyarrow  # noqa: F401 (the optional extra)
    except ImportError:
        pass
    else:
        pq = os.path.join(os.path.dirname(path), "p.parquet")
        t = time.perf_counter()
        prior.save(pq)
        out["parquet_save_s"] = round(time.perf_counter() - t, 2)
        t = time.perf_counter()
        out["parquet_equals_npz"] = bool(FunctionPrior.load(pq) == prior)
        out["parquet_load_s"] = round(time.perf_counter() - t, 2)
        out["parquet_bytes"] = os.path.getsize(pq)
    out["peak_rss_bytes"] = peak_rss_bytes()
    print(json.dumps(out))


def child_synthetic(n_functions, queries=20000):
    """(in a child) a prior of ``n_functions`` 128-point tables built in table order: memory and lookups."""
    import numpy as np
    from numba import njit

    from enumerate import FunctionPrior, NetworkSpec
    from enumerate.results import _store_kernels as K
    from enumerate.results.memory import peak_rss_bytes
    from enumerate.results.table_store import TableStore

    @njit(cache=False)
    def fill(tables, counts, seed):
        x = np.uint64(seed)
        for i in range(tables.shape[0]):
            x ^= x << np.uint64(13)
            x ^= x >> np.uint64(7)
            x ^= x << np.uint64(17)
            # strictly increasing sort keys: row order is table order
            tables[i, 0, 0] = ~K._reverse((np.uint64(i) << np.uint64(26)) | (x >> np.uint64(38)))
            tables[i, 0, 1] = ~K._reverse(x)
            counts[i] = np.int64(1 + (x % np.uint64(1000)))

    def rss_now():
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    spec = NetworkSpec.parse("fc:7,2,1", "-1,0,1")  # 128 points, |Q|^P < 2^63
    before = rss_now()
    tables = np.empty((n_functions, 1, 2), np.uint64)
    counts = np.empty(n_functions, np.int64)
    fill(tables, counts, 88172645463325252)
    prior = FunctionPrior(spec, TableStore(tables, counts, 128))
    held = rss_now() - before
    assert K.order_state(tables) == 1
    rng = np.random.default_rng(1)
    rows = rng.integers(0, n_functions, queries)
    present = prior.store.strings(rows=rows)
    absent = ["".join(rng.choice(["+", "-"], 128)) for _ in range(200)]
    out = {"functions": n_functions, "table_bytes": int(tables.nbytes), "held_bytes": int(held),
           "bytes_per_function_beyond_table": round((held - tables.nbytes) / n_functions, 2)}
    for name, fn in (("count", prior.count), ("probability", prior.probability)):
        fn(present[0])  # builds the prefix index once
        t, c = time.perf_counter(), time.process_time()
        for s in present:
            fn(s)
        out[f"{name}_us"] = round((time.perf_counter() - t) / len(present) * 1e6, 2)
        out[f"{name}_cpu_us"] = round((time.process_time() - c) / len(present) * 1e6, 2)  # a loaded machine waits
    assert all(prior.count(s) == int(counts[r]) for s, r in zip(present[:1000], rows[:1000].tolist()))
    t = time.perf_counter()
    misses = sum(prior.count(s) == 0 for s in absent)
    out["count_absent_us"] = round((time.perf_counter() - t) / len(absent) * 1e6, 2)
    out["absent_found_absent"] = misses
    t = time.perf_counter()
    top = prior.top(10)
    out["top10_s"] = round(time.perf_counter() - t, 3)
    out["top10_max_count"] = top[0][1]
    out["peak_rss_bytes"] = peak_rss_bytes()
    print(json.dumps(out))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="only the 10^7-function synthetic case")
    ap.add_argument("--big", type=int, default=10**7, help="functions of the synthetic prior (default 10^7)")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child_compare(args.child[1]) if args.child[0] == "compare" else child_synthetic(int(args.child[1]))
    me = os.path.abspath(__file__)
    payload = {"cap_bytes": CAP}
    with tempfile.TemporaryDirectory() as tmp:
        if not args.quick:
            cli = [sys.executable, "-m", "enumerate", "prior", "--arch", "fc:7,1", f"--q={GRID}", "--method", "brute",
                   "--force", "--quiet"]
            subprocess.run(cli + ["--out", "warm.npz"], cwd=tmp, capture_output=True, env={**os.environ, "PYTHONPATH": ROOT})
            payload["brute_npz"] = measured(cli + ["--out", "p.npz"], tmp)
            payload["brute_json"] = measured(cli + ["--out", "p.json"], tmp)
            payload["npz_bytes"] = os.path.getsize(os.path.join(tmp, "p.npz"))
            payload["json_bytes"] = os.path.getsize(os.path.join(tmp, "p.json"))
            load = "from enumerate import FunctionPrior; print(FunctionPrior.load('p.json').num_functions)"
            payload["json_load"] = measured([sys.executable, "-c", load], tmp)  # streamed, every check
            res = measured([sys.executable, me, "--child", "compare", os.path.join(tmp, "p.npz")], tmp)
            payload["compare"] = {**res, **json.loads(res["out"][0])} if res["out"] else res
        res = measured([sys.executable, me, "--child", "synthetic", str(args.big)], tmp)
        payload["synthetic"] = {**res, **json.loads(res["out"][0])} if res["out"] else res
    print(json.dumps(payload, indent=1))
    write_results("results", payload)


if __name__ == "__main__":
    main()

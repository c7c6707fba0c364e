"""Benchmark of the class counter on the peers' 7-input perceptron (writes benchmarks/results/simplicity.json).

    python benchmarks/simplicity.py [--max-bits 5] [--lz-bits 3] [--no-float]

For b = 2..max-bits: ``fc:7,1`` on {0,1}^7 with the peers' b-bit grid (s = floor((2^b-1)/2),
values (k-s)/s). Each row: settings, functions, classes, counting time, time to write
the ``.npz``, its size, a check that the file loads back with the same totals, and an
expansion check (200 random classes: orbit listed element by element = class size,
canonical table = the orbit's minimum). The
analyses the docs draw (rank-frequency fit and a log-spaced sample of the curve, P(t),
and for b <= lz-bits P(f) against K_LZ) are stored with each row. The float64-versus-
exact demonstration on the 3-bit grid (both summation orders) also enumerates every
setting exactly: a second, brute-force count of the 3-bit function number.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks._common import write_results  # noqa: E402


def row(bits, lz_bits):
    import numpy as np

    from enumerate import NetworkSpec
    from enumerate.counting.perceptron import count_classes
    from enumerate.results.prior import FunctionPrior
    from enumerate.analysis.simplicity import lz_profile, ones_distribution, peer_grid, rank_frequency

    spec = NetworkSpec.parse("fc:7,1", peer_grid(bits), "sign", "01")
    t0 = time.perf_counter()
    prior = count_classes(spec)
    t1 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "prior.npz")
        prior.save(path)
        t2 = time.perf_counter()
        size = os.path.getsize(path)
        back = FunctionPrior.load(path)
        loads_back = back.covered == spec.total and back.num_functions == prior.num_functions
    # an independent expansion check on a sample of classes: each class's orbit, listed
    # element by element, has the kernel's class size and the stored table as its minimum
    rng = np.random.default_rng(bits)
    sample = rng.choice(prior.num_classes, size=min(200, prior.num_classes), replace=False)
    expansion_ok = True
    for i in sample.tolist():
        rep = prior.representatives(i, i + 1)[0]
        orbit = prior.group.orbit(rep)
        expansion_ok &= len(orbit) == prior.sizes[i] and orbit[0] == rep
    rf = rank_frequency(prior)
    firsts = np.array([r["first_rank"] for r in rf["runs"]])
    ranks = np.unique(np.geomspace(1, rf["num_functions"], 120).round().astype(np.int64))
    at = np.searchsorted(firsts, ranks, side="right") - 1
    out = {
        "bits": bits, "q": [str(v) for v in spec.q.values], "settings": spec.total,
        "functions": prior.num_functions, "classes": prior.num_classes,
        "count_s": round(t1 - t0, 3), "write_s": round(t2 - t1, 3), "end_to_end_s": round(t2 - t0, 3),
        "npz_bytes": size, "loads_back": bool(loads_back),
        "expansion_check": {"classes_sampled": len(sample), "ok": bool(expansion_ok)},
        "power_law": rf["power_law"], "distinct_counts": len(rf["runs"]),
        "rank_sample": {"rank": ranks.tolist(), "P": [rf["runs"][i]["count"] / spec.total for i in at]},
        "ones": {str(t): float(p) for t, p in ones_distribution(prior).items()},
    }
    if bits <= lz_bits:
        t3 = time.perf_counter()
        lz = lz_profile(prior)
        out["lz"] = {"by_K": lz["by_K"], "bound": lz["bound"], "points": lz["points"],
                     "seconds": round(time.perf_counter() - t3, 3)}
    print(f"b={bits}: {prior.num_functions:,} functions, {prior.num_classes:,} classes, "
          f"count {t1 - t0:.2f} s, write {t2 - t1:.2f} s, {size:,} bytes", file=sys.stderr)
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--max-bits", type=int, default=5)
    p.add_argument("--lz-bits", type=int, default=3)
    p.add_argument("--no-float", action="store_true")
    args = p.parse_args(argv)
    from enumerate import NetworkSpec
    from enumerate.counting.perceptron import count_classes
    from enumerate.analysis.simplicity import float_vs_exact, peer_grid

    count_classes(NetworkSpec.parse("fc:3,1", peer_grid(2)))  # compile the kernels
    float_vs_exact(2, dim=2)
    rows = [row(b, args.lz_bits) for b in range(2, args.max_bits + 1)]
    payload = {"note": "wall times on a 2-core machine shared with other engineers' jobs (load ~8): "
                       "upper bounds of what an idle machine does", "rows": rows}
    if not args.no_float:
        payload["float_vs_exact"] = []
        for first in (False, True):
            t = time.perf_counter()
            r = float_vs_exact(3, bias_first=first)
            r["seconds"] = round(time.perf_counter() - t, 3)
            payload["float_vs_exact"].append(r)
            print(f"float64 ({r['summation']}): {r}", file=sys.stderr)
    write_results("simplicity", payload)


if __name__ == "__main__":
    main()

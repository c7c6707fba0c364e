"""Benchmark of the continuous-weight sampler (writes benchmarks/results/continuous.json).

    python benchmarks/continuous.py [--quick]

Draws per second of :func:`enumerate.analysis.continuous.equivalence_probability` (numba kernel,
one thread) for two-layer students on 16 Gaussian points in d = 3, against the same
computation in plain numpy: a Python loop over draws (one numpy forward pass each), and a
batched numpy version (a block of draws at once). All three count the same event; the
numba and numpy hit rates are compared (different random streams, so they agree only
within sampling error). Each rate is the best of three repeats after a warm-up.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks._common import write_results  # noqa: E402
from enumerate.analysis.continuous import equivalence_probability, gaussian_data, teacher_labels  # noqa: E402

TEACHER = [0.9, -0.4, 0.3, -0.2, 0.8, 0.5, 0.1, -0.3, 0.7, -0.6, 0.1]  # width 2, d = 3


def numpy_loop(X, t, width, draws, rng):
    d = X.shape[1]
    hits = 0
    for _ in range(draws):
        th = rng.uniform(-1, 1, width * (d + 2) + 1)
        W, b = th[: width * d].reshape(width, d), th[width * d: width * (d + 1)]
        v, c = th[width * (d + 1): -1], th[-1]
        z = X @ W.T + b
        f = np.where(z > 0, z, 0.1 * z) @ v + c
        hits += bool(np.all(np.where(f > 0, 1, -1) == t))
    return hits


def numpy_batch(X, t, width, draws, rng, block=4096):
    d = X.shape[1]
    hits = 0
    for s in range(0, draws, block):
        n = min(block, draws - s)
        th = rng.uniform(-1, 1, (n, width * (d + 2) + 1))
        W, b = th[:, : width * d].reshape(n, width, d), th[:, width * d: width * (d + 1)]
        v, c = th[:, width * (d + 1): -1], th[:, -1]
        z = np.einsum("nkd,md->nmk", W, X) + b[:, None, :]
        f = np.einsum("nmk,nk->nm", np.where(z > 0, z, 0.1 * z), v) + c[:, None]
        hits += int(np.all(np.where(f > 0, 1, -1) == t[None, :], axis=1).sum())
    return hits


def rate(fn, draws):
    best = 0.0
    for _ in range(3):
        t0 = time.perf_counter()
        hits = fn(draws)
        best = max(best, draws / (time.perf_counter() - t0))
    return best, hits


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer draws (a smoke run)")
    args = ap.parse_args(argv)
    X = gaussian_data(16, 3, seed=0)
    t = teacher_labels(TEACHER, X, 2, "leaky:1/10")
    n_numba, n_loop, n_batch = (20_000, 2_000, 20_000) if args.quick else (2_000_000, 50_000, 1_000_000)
    rows = []
    for width in (2, 4, 8):
        equivalence_probability(X, t, width, "leaky:1/10", "box:1", samples=100, seed=0)  # compile
        rng = np.random.default_rng(0)
        r_numba, h_numba = rate(lambda n: equivalence_probability(X, t, width, "leaky:1/10", "box:1", samples=n,
                                                                   seed=1).hits, n_numba)
        r_loop, h_loop = rate(lambda n: numpy_loop(X, t, width, n, rng), n_loop)
        r_batch, h_batch = rate(lambda n: numpy_batch(X, t, width, n, rng), n_batch)
        rows.append({"width": width, "numba_draws_per_s": r_numba, "numpy_loop_draws_per_s": r_loop,
                     "numpy_batch_draws_per_s": r_batch, "speedup_vs_loop": r_numba / r_loop,
                     "speedup_vs_batch": r_numba / r_batch,
                     "hit_rates": {"numba": h_numba / n_numba, "numpy_loop": h_loop / n_loop,
                                   "numpy_batch": h_batch / n_batch}})
        print(rows[-1], file=sys.stderr)
    write_results("continuous", {
        "task": "P(student labels == teacher labels on 16 Gaussian points, d = 3), leaky:1/10, box:1 prior",
        "draws": {"numba": n_numba, "numpy_loop": n_loop, "numpy_batch": n_batch},
        "threads": 1, "quick": args.quick, "rows": rows})


if __name__ == "__main__":
    main()

"""A compact, JSON-ready summary of an exact prior on {0,1}^d (the docs page
"Hidden layers on 7 inputs, exactly" reads it; ``benchmarks/hidden.py --summary`` writes
the one of ``fc:7,3,1`` to benchmarks/results/hidden_summary.json, a few tens of kB).

Exact parts (integers as strings, fractions as "p/q"): settings, functions reached, the
count spectrum binned on log-spaced ranks, the functions and the mass whose probability
is at least 1e-10, and rho~ of a few narrow teachers. Sampled parts (the probabilities
are exact, the choice of functions is random): K_LZ and log10 P(f) (binned) of functions
drawn uniformly among the reached ones, and the K_LZ of functions drawn by probability mass.

    python benchmarks/hidden_summary.py fc:7,2,1      # print the summary of one network
"""

from __future__ import annotations

import json
import math
import sys
from fractions import Fraction

import numpy as np

#: narrow teachers on {0,1}^d: name -> the table's value at x (x[i] is input i)
TEACHERS = {
    "x1": lambda x: x[0],
    "x1 and x2": lambda x: x[0] and x[1],
    "x1 or x2": lambda x: x[0] or x[1],
    "majority(x1, x2, x3)": lambda x: x[0] + x[1] + x[2] >= 2,
    "x1 xor x2": lambda x: x[0] != x[1],
    "x1 and (x2 or x3)": lambda x: x[0] and (x[1] or x[2]),
}
#: the smallest probability a 10^10-sample run sees (about once)
SAMPLE_FLOOR = Fraction(1, 10**10)


def teacher_table(name, d):
    """The table string of a teacher on {0,1}^d (point p: input i is bit d-1-i of p)."""
    f = TEACHERS[name]
    return "".join("+" if f([(p >> (d - 1 - i)) & 1 for i in range(d)]) else "-" for p in range(1 << d))


def _rank_bins(spectrum, total, points):
    """log10 P at log-spaced ranks (the rank-probability curve, exact up to the log)."""
    runs = sorted(spectrum.items(), reverse=True)
    counts = np.array([float(c) for c, _ in runs])
    firsts = np.cumsum([0] + [m for _, m in runs[:-1]]) + 1
    n = int(sum(m for _, m in runs))
    ranks = np.unique(np.geomspace(1, n, points).round()).astype(np.int64)
    at = counts[np.searchsorted(firsts, ranks, side="right") - 1]
    return {"rank": ranks.tolist(), "log10_P": (np.log10(at) - math.log10(total)).round(5).tolist()}


def _bins2(k, logp, width=0.25):
    """The sampled (K_LZ, log10 P) pairs as a histogram: log10 P rounded down to ``width``."""
    lo = np.floor(logp / width) * width
    pairs, hits = np.unique(np.stack([k.round(3), lo.round(3)]), axis=1, return_counts=True)
    return {"K": pairs[0].tolist(), "log10_P_floor": pairs[1].tolist(), "functions": hits.tolist(), "width": width}


def _permuted(codes, d, rng):
    """Each row (a table on {0,1}^d) with its inputs permuted at random."""
    pts = np.arange(1 << d)
    out = np.empty_like(codes)
    for r in range(len(codes)):
        perm = rng.permutation(d)
        src = np.zeros_like(pts)
        for i in range(d):  # image input i reads input perm[i]
            src |= ((pts >> (d - 1 - i)) & 1) << (d - 1 - perm[i])
        out[r] = codes[r, src]
    return out


def _draw(prior, weights, samples, rng):
    """K_LZ and count of ``samples`` functions: classes drawn by ``weights``, a uniform
    member of each (a uniform random input permutation of its canonical table)."""
    from enumerate.analysis.complexity import lz_complexities
    from enumerate.core.cube import unpack_tables

    p = weights / weights.sum()
    idx = np.sort(rng.choice(len(p), size=samples, p=p))
    d = prior.spec.domain.dim
    reps = unpack_tables(prior.tables[idx], 1 << d)  # only the drawn classes: 12M strings would not fit
    codes = np.frombuffer("".join(reps).encode("ascii"), np.uint8).reshape(samples, 1 << d)
    if prior.group.flips:
        raise ValueError("the summary draws members by input permutations: use the 01 domain")
    return lz_complexities(_permuted(codes, d, rng)), prior.counts_by_class[idx]


def summarize(prior, samples=20000, points=300, seed=1):
    """The summary of a class prior on the ``01`` cube (see the module docstring)."""
    spec = prior.spec
    d = spec.domain.dim
    total = prior.total
    spectrum = prior.count_spectrum()
    above_f = sum(m for c, m in spectrum.items() if c * SAMPLE_FLOOR.denominator >= total)
    above_m = Fraction(sum(c * m for c, m in spectrum.items() if c * SAMPLE_FLOOR.denominator >= total), total)
    rng = np.random.default_rng(seed)
    sizes = prior.sizes.astype(np.float64)
    counts = prior.counts_by_class
    k_u, c_u = _draw(prior, sizes, samples, rng)
    k_m, _ = _draw(prior, sizes * counts.astype(np.float64), samples, rng)
    top = prior.classes(1)[0]
    teachers = {}
    for name in TEACHERS:
        rho = prior.probability(teacher_table(name, d))
        teachers[name] = {"rho": f"{rho.numerator}/{rho.denominator}",
                          "C": (-math.log(rho) if rho else None)}
    return {"arch": str(spec.arch), "q": spec.q.name, "act": str(spec.act), "domain": spec.domain.kind,
            "zero_label": spec.zero_label, "settings": str(total), "functions": str(prior.num_functions),
            "classes": prior.num_classes, "all_functions": str(2 ** (1 << d)),
            "top": {"table": top[0], "class_size": top[1], "count": str(top[2])},
            "rank_probability": _rank_bins(spectrum, total, points),
            "floor": {"probability": f"1/{SAMPLE_FLOOR.denominator}", "functions_above": str(above_f),
                      "mass_above": f"{above_m.numerator}/{above_m.denominator}"},
            "uniform_sample": _bins2(k_u, np.log10(c_u.astype(np.float64)) - math.log10(total)),
            "mass_sample": dict(zip(["K", "functions"], [a.tolist() for a in np.unique(k_m.round(3), return_counts=True)])),
            "teachers": teachers, "samples": samples}


def main(argv=None):
    from enumerate import NetworkSpec
    from enumerate.counting.hidden import count_hidden
    from enumerate.counting.perceptron import count_classes

    argv = sys.argv[1:] if argv is None else argv
    spec = NetworkSpec.parse(argv[0], "-1,0,1", "sign", "01")
    prior = count_hidden(spec) if len(spec.arch.widths) == 3 else count_classes(spec)
    s = summarize(prior)
    print(json.dumps({k: v for k, v in s.items() if k not in ("rank_probability", "uniform_sample")}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

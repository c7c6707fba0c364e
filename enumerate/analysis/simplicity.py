"""Simplicity bias, exactly: the analyses behind the figures of the simplicity-bias papers.

Every analysis reads an exact prior (a :class:`~enumerate.results.prior.FunctionPrior` or a
:class:`~enumerate.results.classes.ClassPrior`) and returns plain JSON-ready data; floats appear
only in fits and logs.

* :func:`rank_frequency`: P(f) against rank (run-length form) and a power-law fit.
* :func:`lz_profile`: for every K_LZ value, how many functions and their largest and
  smallest P(f), and the fitted upper bound P <= 2^-(a K + b).
* :func:`ones_distribution`: P(t), t = number of ``+`` points, exactly (Fractions).
* :func:`float_vs_exact`: the perceptron on a grid labelled in float64 as a
  double-precision enumerator would, against the exact labels.

>>> from enumerate import NetworkSpec
>>> from enumerate.counting.perceptron import count_classes
>>> prior = count_classes(NetworkSpec.parse("fc:3,1", peer_grid(2), "sign", "01"))
>>> dist = ones_distribution(prior)
>>> sum(dist.values()), dist[0]
(Fraction(1, 1), Fraction(7, 64))
>>> rank_frequency(prior)["runs"][0]
{'count': 81, 'tables': 1, 'first_rank': 1}
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from .._support.child import run_in_child

from .complexity import lz_complexities
from ..core.spec import QSet, parse_q

__all__ = ["peer_grid", "rank_frequency", "lz_profile", "ones_distribution", "float_vs_exact", "float_demo_cost", "analyze"]


def peer_grid(bits) -> QSet:
    """The peers' b-bit weight grid: s = floor((2^b - 1) / 2), values (k - s) / s, k = 0..2^b-1
    (``--q peer:B``, :func:`~enumerate.core.spec.parse_q`).

    >>> [str(v) for v in peer_grid(3).values]
    ['-1', '-2/3', '-1/3', '0', '1/3', '2/3', '1', '4/3']
    """
    return parse_q(f"peer:{bits}")


def _spectrum(prior):
    return sorted(prior.count_spectrum().items(), reverse=True)


def rank_frequency(prior, points=200):
    """P(f) against rank r (ranks 1..num_functions, most probable first).

    Returns ``runs`` (one per distinct count: the count, how many tables have it, the
    first rank), and a least-squares fit of log10 P = log10 A - alpha log10 r on
    ``points`` log-spaced ranks (a power law P ~ A r^-alpha; floats).
    """
    runs, rank = [], 1
    for c, m in _spectrum(prior):
        runs.append({"count": int(c), "tables": int(m), "first_rank": rank})
        rank += m
    N = rank - 1
    firsts = np.array([r["first_rank"] for r in runs], dtype=np.float64)
    logp = np.array([math.log10(r["count"]) - math.log10(prior.total) for r in runs])
    ranks = np.unique(np.geomspace(1, N, points).round())
    at = logp[np.searchsorted(firsts, ranks, side="right") - 1]
    fit = {}
    if len(ranks) >= 2:
        slope, icpt = np.polyfit(np.log10(ranks), at, 1)
        fit = {"alpha": float(-slope), "log10_A": float(icpt)}
    return {"num_functions": N, "runs": runs, "power_law": fit}


def _lz_pairs(prior):
    """{(s, count): number of functions} with s = c(x) + c(reversed x) (K = log2(n) s / 2)."""
    from ..results.prior import ClassPrior
    from .complexity import orbit_lz_histogram

    pairs = {}

    def add(c, codes):
        ks, mult = np.unique(lz_complexities(codes), return_counts=True)
        for k, m in zip(ks.tolist(), mult.tolist()):
            key = (round(2 * k / math.log2(codes.shape[1])), c)
            pairs[key] = pairs.get(key, 0) + m

    n = len(prior.spec.domain)
    if not isinstance(prior, ClassPrior):
        by_count = {}
        for t, c in prior.counts.items():
            by_count.setdefault(c, []).append(t)
        for c, ts in by_count.items():
            add(c, _codes(ts, n))
        return pairs
    from ..counting.kernels.perceptron import orbit_sizes, run_labels

    d = prior.spec.domain.dim
    keys = prior.tables.reshape(len(prior.tables), -1)
    fast = np.zeros(len(keys), bool)
    if not prior.group.flips:  # where the runs' permutations are the whole stabilizer
        fast = orbit_sizes(keys, d, 1, False) == prior.sizes
    reps = prior.representatives()
    counts = prior.counts_by_class.tolist()
    idx = np.flatnonzero(fast)
    if len(idx):
        hist = orbit_lz_histogram(_codes([reps[i] for i in idx], n), run_labels(keys[idx], d, 1), d)
        for i, row in zip(idx.tolist(), hist):
            for s_, m in zip(np.flatnonzero(row).tolist(), row[row > 0].tolist()):
                pairs[(s_, counts[i])] = pairs.get((s_, counts[i]), 0) + m
    for i in np.flatnonzero(~fast).tolist():
        add(counts[i], _codes(prior.group.orbit(reps[i]), n))
    return pairs


def _codes(tables, n):
    return np.frombuffer("".join(tables).encode("ascii"), np.uint8).reshape(len(tables), n)


def lz_profile(prior):
    """P(f) against K_LZ over every function (classes are expanded one at a time).

    Returns ``points``: one per (K, count) pair with the number of functions; ``by_K``:
    per K the number of functions and the largest and smallest log2 P; and ``bound``:
    log2 P <= -(a K + b), a from a least-squares line through the per-K maxima, b the
    smallest offset that bounds every function (Dingle et al. 2018).
    """
    if prior.spec.zero_label == "0":
        raise ValueError("K_LZ is defined for two-valued tables")
    T, half_log_n = math.log2(prior.total), math.log2(len(prior.spec.domain)) / 2
    points = [{"K": s_ * half_log_n, "log2_P": math.log2(c) - T, "functions": m}
              for (s_, c), m in sorted(_lz_pairs(prior).items())]
    by_K = {}
    for p in points:
        e = by_K.setdefault(p["K"], {"K": p["K"], "functions": 0, "max_log2_P": -math.inf, "min_log2_P": math.inf})
        e["functions"] += p["functions"]
        e["max_log2_P"] = max(e["max_log2_P"], p["log2_P"])
        e["min_log2_P"] = min(e["min_log2_P"], p["log2_P"])
    rows = sorted(by_K.values(), key=lambda e: e["K"])
    bound = {}
    if len(rows) >= 2:
        K = np.array([r["K"] for r in rows])
        top = np.array([r["max_log2_P"] for r in rows])
        slope, _ = np.polyfit(K, top, 1)
        a = float(-slope)
        b = float(min(-a * k - t for k, t in zip(K, top)))
        bound = {"a": a, "b": b}
    return {"points": points, "by_K": rows, "bound": bound}


def ones_distribution(prior) -> dict:
    """{t: P(t)}: the exact probability that a random setting computes a table with t ``+`` points."""
    from ..results.prior import ClassPrior

    mass = {}
    if isinstance(prior, ClassPrior):
        reps = prior.representatives()
        items = zip((r.count("+") for r in reps), prior.sizes.tolist(), prior.counts_by_class.tolist())
    else:
        items = ((t.count("+"), 1, c) for t, c in prior.counts.items())
    for t, size, c in items:
        mass[t] = mass.get(t, 0) + size * int(c)
    return {t: Fraction(m, prior.total) for t, m in sorted(mass.items())}


#: settings labelled per second by the float-vs-exact kernel (about 3.5e5 on a busy 2-core machine)
FLOAT_DEMO_RATE = 3e5
#: float-vs-exact runs estimated above this many seconds label in a child process
CHILD_SECONDS = 2.0


def _float_kernel(*args):
    from .kernels.simplicity import float_vs_exact as kernel

    return kernel(*args)


def float_demo_cost(bits, dim):
    """The cost of :func:`float_vs_exact` stated up front (a
    :class:`~enumerate.counting.budget.Cost`): every setting labelled twice, and two sets of
    tables, each at most min(settings, 2^(2^dim)), in hash maps that double.

    >>> cost = float_demo_cost(10, 8)
    >>> cost.work, cost.seconds > 3600
    ('labels 1,237,940,039,285,380,274,899,124,224 settings exactly and in float64', True)
    """
    from ..counting.budget import Cost

    settings = (2**bits) ** (dim + 1)
    tables = min(settings, 2 ** (2**dim), 2**62)
    words = -(-(2**dim) // 64) + 1
    return Cost("float-demo", f"labels {settings:,} settings exactly and in float64", settings / FLOAT_DEMO_RATE,
                2 * 2 * 2 * tables * words * 8 + 2**20)


def float_vs_exact(bits, dim=7, bias_first=False):
    """The perceptron ``fc:dim,1`` on {0,1}^dim with the peers' ``bits``-bit grid, every
    setting labelled exactly and in float64 (``z += w_i * x_i`` in input order, the bias
    last, or first with ``bias_first``).

    Returns the number of settings whose table changes, the exact and float function
    counts, and the functions lost (exact, never produced in float) and gained.

    >>> r = float_vs_exact(2, dim=3)
    >>> r["changed_settings"], r["exact_functions"], r["float_functions"]
    (0, 75, 75)
    """
    s = (2**bits - 1) // 2
    num = np.arange(2**bits, dtype=np.int64) - s
    args = (num, float(s), dim, bias_first)
    # a long run labels in a child process: Ctrl-C ends it at once (inside numba it was ignored, or crashed)
    seconds = float_demo_cost(bits, dim).seconds
    changed, exact, flt = _float_kernel(*args) if seconds <= CHILD_SECONDS else run_in_child(_float_kernel, *args)
    E, F = {bytes(r) for r in exact}, {bytes(r) for r in flt}
    return {"bits": bits, "dim": dim, "settings": (2**bits) ** (dim + 1), "summation": "bias first" if bias_first
            else "inputs in order, bias last", "changed_settings": int(changed), "exact_functions": len(E),
            "float_functions": len(F), "lost": len(E - F), "gained": len(F - E)}


def analyze(prior, lz=True):
    """Every analysis of ``prior`` as one JSON-ready dict (``lz=False`` skips K_LZ)."""
    from ..results.prior import ClassPrior

    out = {
        "spec": prior.spec.to_json(),
        "method": prior.method,
        "settings": prior.total,
        "functions": prior.num_functions,
        "classes": prior.num_classes if isinstance(prior, ClassPrior) else None,
        "rank_frequency": rank_frequency(prior),
        "ones": {str(t): [p.numerator, p.denominator] for t, p in ones_distribution(prior).items()},
        "uniform_ones_law": f"1/{2 ** prior.spec.domain.dim}",
    }
    if lz:
        out["lz"] = lz_profile(prior)
    return out

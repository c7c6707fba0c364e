"""The expected test error of a random interpolator against student width, exactly.

A *random interpolator* is what guess and check returns: parameters drawn uniformly from
Q^P, kept when the network fits the training set S (N i.i.d. uniform points labelled by
a fixed target). Its expected test error E_S E_(h~P_S) L_D(h) is an exact fraction
(:meth:`enumerate.analysis.posterior.PosteriorFamily.expected_error`). :func:`width_curve`
computes it for students ``fc:d,w,1`` of growing width w learning one fixed narrow
teacher, the quantized counterpart of a double-descent curve at fixed N.

The *interpolation threshold* of a width is read off its prior: ``shatter`` is the
largest k such that every set of k domain points is shattered (every labelling of it is
realized), so the student interpolates *any* labels on N points iff N <= shatter.

>>> pts = width_curve([1, 2], [2], arch="fc:2,{},1", teacher=("fc:2,1,1", "1,1,-1,1,0"))
>>> [(p.width, p.params, p.num_functions, p.shatter, round(float(p.expected_error[2]), 4)) for p in pts]
[(1, 5, 14, 3, 0.2974), (2, 9, 15, 3, 0.2892)]
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

__all__ = ["WidthPoint", "width_curve", "shatter_number", "brute_expected_error"]


@dataclass(frozen=True)
class WidthPoint:
    """One student width: its parameter count, number of realized functions, shattering
    number, rho~ of the target and the exact expected test error for each N."""

    width: int
    arch: str
    params: int
    num_functions: int
    shatter: int
    rho: Fraction
    expected_error: dict


def shatter_number(tables, n) -> int:
    """The largest k such that every k-subset of the n points is shattered by ``tables``.

    >>> shatter_number(["--", "-+", "+-", "++"], 2), shatter_number(["--", "++"], 2)
    (2, 1)
    """
    tables = list(tables)
    best = 0
    for k in range(1, n + 1):
        for U in itertools.combinations(range(n), k):
            if len({tuple(t[i] for i in U) for t in tables}) < 2**k:
                return best
        best = k
    return best


def width_curve(widths, sizes, *, arch="fc:3,{},1", teacher=("fc:3,1,1", "1,1,1,-1,1,0"), q="-1,0,1",
                act="sign", domain="01", method="auto") -> list[WidthPoint]:
    """Exact E_S E_(h~P_S) L_D(h) of the random interpolator for each width and each N.

    Parameters
    ----------
    widths : iterable of int
        Student hidden widths, substituted into ``arch`` (a format string).
    sizes : iterable of int
        Training-set sizes N (i.i.d. uniform draws from the domain).
    teacher : (str, str)
        The teacher's architecture and parameters (canonical order); it labels the data.
    q, act, domain : str
        The quantization set, activation and domain of every student.
    method : str
        The exact counter (``count_prior``'s ``"auto"``, ``"fast"`` or ``"brute"``).

    Returns
    -------
    list of WidthPoint
    """
    from enumerate import NetworkSpec, count_prior
    from enumerate.analysis.posterior import PosteriorFamily
    from enumerate.core.teacher import make_teacher

    out = []
    for w in widths:
        spec = NetworkSpec.parse(arch.format(w), q, act, domain)
        prior = count_prior(spec, method, progress=False)
        target = make_teacher(spec, *teacher)
        fam = PosteriorFamily.of(prior, target)
        errs = {int(N): fam.expected_error(int(N)) for N in sizes}
        out.append(WidthPoint(int(w), arch.format(w), spec.num_params, prior.num_functions,
                              shatter_number(prior.counts, fam.n), fam.rho, errs))
    return out


def brute_expected_error(counts, target, N) -> Fraction:
    """E_S E_(h~P_S) L_D(h) by listing all |X|^N training sequences (uniform D).

    An independent computation for tests: ``counts`` maps each table to its number of
    parameter settings; for every sequence S the posterior keeps the tables equal to
    ``target`` on S, and the error of a table is its fraction of disagreements.

    >>> brute_expected_error({"++": 1, "+-": 1, "--": 2}, "+-", 1)
    Fraction(7, 24)
    """
    n = len(target)
    loss = {t: Fraction(sum(a != b for a, b in zip(t, target)), n) for t in counts}
    total = Fraction(0)
    for S in itertools.product(range(n), repeat=N):
        fit = {t: c for t, c in counts.items() if all(t[i] == target[i] for i in S)}
        total += sum(c * loss[t] for t, c in fit.items()) / sum(fit.values())
    return total / n**N

"""Label noise: typical (random) versus narrowest interpolators, exactly.

Training labels are flipped with probability eps (:mod:`enumerate.analysis.noisy`). Two learners
that interpolate S whenever the width-W student can:

* the *random interpolator*: the width-W student's prior conditioned on fitting S;
* the *narrowest interpolator*: among the tables consistent with S, those of the smallest
  minimal width (SAT minimal teachers, :mod:`proofs.sat.minteacher`), one drawn uniformly.

Their clean error E_S[L_D | S interpolable] is compared with eps and 2 eps (1 - eps) (the
clean error of a learner that reproduces an independent noisy copy of the labels: its
error against noisy labels is then 2 eps (1 - eps)). Claims:

* ``label-noise-zero``: eps = 0 gives exactly the noise-free curve (every realizable
  target, N <= n_max), interpolable with probability 1.
* ``label-noise-narrowest``: the SAT minimal widths and the exact priors agree: the
  width-W student realizes exactly the tables of minimal width <= W (two methods). Its
  figures are the clean errors of both interpolators against eps and 2 eps (1 - eps).

>>> check_zero(CONFIGS["small"][:1], n_max=3).passed
True
>>> check_zero(CONFIGS["small"][:1], n_max=3, eps=Fraction(1, 100)).passed
False
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from fractions import Fraction

from .posterior import CONFIGS, families
from .registry import ClaimResult, claim

__all__ = ["check_zero", "check_narrowest", "Regime", "interpolator_errors", "regime", "CONFIGS", "NARROW"]

ZERO = "eps = 0: the noisy curve is the noise-free curve (interpolable w.p. 1, same fit probability and error)"
NARROW = ("SAT minimal widths = exact supports: the width-W student realizes exactly the tables of minimal width "
          "<= W; figures: clean error of random vs narrowest interpolators against eps and 2 eps (1 - eps)")

#: (pattern, Q, target, widths, eps values, N values) of the comparison per sweep
SWEEPS = {
    "small": ("fc:2,W,1", "-1,0,1", "---+", (1, 2), (Fraction(1, 10), Fraction(1, 5)), (4,)),
    "default": ("fc:3,W,1", "-1,0,1", "---+-+++", (1, 2, 3),
                (Fraction(1, 10), Fraction(1, 5)), (8, 16)),
    "full": ("fc:3,W,1", "-1,0,1", "---+-+++", (1, 2, 3, 4),
             (Fraction(1, 20), Fraction(1, 10), Fraction(1, 5), Fraction(1, 4)), (4, 8, 12, 16)),
}


def check_zero(configs, n_max=8, eps=Fraction(0)) -> ClaimResult:
    """``label-noise-zero`` over ``configs`` (``eps`` is injectable so a test sees FAIL)."""
    from enumerate.analysis.noisy import NoisyFamily

    cases, bad = 0, None
    for cfg in configs:
        for t, fam in families(cfg):
            if "0" in t:
                continue
            for pt, q in zip(fam.curve(n_max), NoisyFamily(fam, eps).curve(n_max)):
                cases += 1
                got = (q.fit_probability, q.interpolable_probability, q.expected_error)
                if got != (pt.fit_probability, 1, pt.expected_error) and bad is None:
                    bad = f"{cfg}, target {t}, N={pt.n}: noisy {got} != noise-free {pt.fit_probability}, {pt.expected_error}"
    return ClaimResult("label-noise-zero", ZERO, cases, bad is None, {"configs": len(configs)}, bad)


@dataclass(frozen=True)
class Regime:
    """Clean errors E_S[L_D | S interpolable] of both interpolators at one (W, eps, N)."""

    width: int
    eps: Fraction
    n: int
    interpolable: Fraction
    random: Fraction
    narrowest: Fraction

    def row(self):
        return {"W": self.width, "eps": str(self.eps), "N": self.n, "P(interpolable)": float(self.interpolable),
                "random": float(self.random), "narrowest": float(self.narrowest),
                "2eps(1-eps)": float(2 * self.eps * (1 - self.eps)),
                "random regime": regime(self.random, self.eps), "narrowest regime": regime(self.narrowest, self.eps)}


def regime(err, eps) -> str:
    """Where a clean error sits: ``below eps``, ``eps..2eps(1-eps)`` or ``above 2eps(1-eps)``.

    >>> regime(Fraction(1, 20), Fraction(1, 10)), regime(Fraction(1, 2), Fraction(1, 10))
    ('below eps', 'above 2eps(1-eps)')
    """
    if err < eps:
        return "below eps"
    return "eps..2eps(1-eps)" if err <= 2 * eps * (1 - eps) else "above 2eps(1-eps)"


@functools.lru_cache(maxsize=None)
def _min_widths(pattern, q, max_width):
    from ..sat.minteacher import min_width_all

    return {t: m.width for t, m in min_width_all(None, pattern, q, max_width=max_width).items()}


def _narrowest(noisy_levels, N):
    """E_S[L | interpolable] of the narrowest interpolator, levels = NoisyFamily per width."""
    top = noisy_levels[-1]
    num, den = top.code_probabilities(N)
    arrays = [lv.code_arrays() for lv in noisy_levels]
    interp, err = 0, Fraction(0)
    for c, p in enumerate(num.tolist()):
        if not p:
            continue
        for fit, errc, _n in arrays:
            f = int(fit[c])
            if f:
                interp += p
                err += Fraction(p * int(errc[c]), f)
                break
    if not interp:
        return None, Fraction(0)
    return err / interp / top.W, Fraction(interp, den)


def interpolator_errors(pattern, q, target, widths, eps_values, n_values, min_widths=None):
    """[:class:`Regime`] for every (W, eps, N): random vs narrowest interpolator (exact).

    ``min_widths`` maps every table to its minimal width (default: SAT minimal teachers).

    >>> rows = interpolator_errors("fc:2,W,1", "-1,0,1", "---+", (1,), (Fraction(1, 10),), (2,))
    >>> round(float(rows[0].random), 4), rows[0].narrowest
    (0.3292, Fraction(121, 382))
    """
    from enumerate.analysis.noisy import NoisyFamily
    from enumerate.analysis.posterior import PosteriorFamily

    from ..bound_checks import prior_of
    from ..sat.minteacher import arch_with_width

    widths = sorted(widths)
    mw = min_widths or _min_widths(pattern, q, max(widths))
    out = []
    for W in widths:
        prior = prior_of(_spec(arch_with_width(pattern, W), q))
        levels = []
        for w in range(1, W + 1):
            masks = {}
            for t, m in mw.items():
                if m is not None and m <= w:
                    k = sum(1 << i for i, (a, b) in enumerate(zip(t, target)) if a != b)
                    masks[k] = masks.get(k, 0) + 1
            levels.append(PosteriorFamily(len(target), masks, sum(masks.values()), target))
        for eps in eps_values:
            rnd = NoisyFamily(PosteriorFamily.of(prior, target), eps)
            nl = [NoisyFamily(f, eps) for f in levels]
            for N in n_values:
                pt = rnd.point(N)
                narrow, interp = _narrowest(nl, N)
                if interp != pt.interpolable_probability:  # the same sets S interpolate (survives python -O)
                    raise AssertionError(f"interpolable probability {interp} != {pt.interpolable_probability}")
                out.append(Regime(W, eps, N, interp, pt.expected_error, narrow))
    return out


def _spec(arch, q):
    from enumerate import NetworkSpec

    return NetworkSpec.parse(arch, q, "sign", "01")


def check_narrowest(sweep="small", shift=0) -> ClaimResult:
    """``label-noise-narrowest``; ``shift`` adds to every SAT minimal width (a test injects 1: FAIL)."""
    from ..bound_checks import prior_of
    from ..sat.minteacher import arch_with_width

    pattern, q, target, widths, eps_values, n_values = SWEEPS[sweep]
    mw = {t: (None if w is None else w + shift) for t, w in _min_widths(pattern, q, max(widths)).items()}
    cases, bad = 0, None
    for W in widths:
        support = set(prior_of(_spec(arch_with_width(pattern, W), q)).counts)
        for t, m in mw.items():
            cases += 1
            if (t in support) != (m is not None and m <= W) and bad is None:
                bad = f"{arch_with_width(pattern, W)}: table {t} has SAT minimal width {m} but " \
                      f"{'is' if t in support else 'is not'} in the exact prior's support"
    figures = {"tables x widths": cases}
    if bad is None:
        for r in interpolator_errors(pattern, q, target, widths, eps_values, n_values, mw):
            figures[f"random/narrowest W={r.width} eps={r.eps} N={r.n}"] = (
                f"{float(r.random):.3f}/{float(r.narrowest):.3f} ({regime(r.random, r.eps)})")
    return ClaimResult("label-noise-narrowest", NARROW, cases, bad is None, figures, bad)


@claim("label-noise-zero", ZERO)
def _zero(sweep):
    return check_zero(CONFIGS[sweep], {"small": 6, "default": 8, "full": 16}[sweep])


@claim("label-noise-narrowest", NARROW)
def _narrow(sweep):
    return check_narrowest(sweep)

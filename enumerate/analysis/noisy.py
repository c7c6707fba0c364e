"""Exact guess-and-check posteriors under label noise (no teacher need fit the labels).

Model: N training points x_1..x_N drawn i.i.d. from the data distribution D; each keeps
the target's label t(x) with probability 1 - eps, else gets the opposite label
(independently, eps rational). The *random interpolator* is the prior conditioned on
fitting S; it is defined when some setting fits S ("S is interpolable").

What makes the averages over S exact and cheap: a training set enters only through, for
every domain point, whether it was drawn with its clean label only (state 0), with the
flipped label only (state 1) or not at all (state 2). A point drawn with *both* labels
makes S non-interpolable (a function has one value per point). So S is summarized by a
ternary code c in {0, 1, 2}^|X| (digit i = state of point i, code = sum c_i 3^i), and a
function h by its own ternary code (digit 0: h(x) = t(x), 1: h(x) = -t(x), 2: h(x) = 0
under zero-label rule ``0``). Then

* fit(c) = #settings with h = t on the state-0 points and h = -t on the state-1 points:
  one "up" transform over the 3^|X| codes (state 2 = sum of the three function states);
* P(code c) for N draws: each draw is one of 2|X| outcomes (x, clean) with probability
  w(x)(1 - eps) and (x, flipped) with w(x) eps; P(the distinct outcomes are exactly c)
  = sum over codes c' below c of (-1)^(#points dropped) q(c')^N (inclusion-exclusion,
  a Moebius transform), q(c') the probability of the outcomes c' allows. For uniform D
  it depends only on (#state-0, #state-1) points.

Reported per N (exact fractions): ``fit_probability`` = E_S[P(h fits S)];
``interpolable_probability`` = P_S(some setting fits S); ``expected_error`` =
E_S[E_(h~P_S) L_D(h) | S interpolable], L_D the *clean* error against the target; and
``noisy_error``, the same with the error against fresh noisy labels. With eps = 0 these
are exactly the noise-free curve of :class:`~enumerate.analysis.posterior.PosteriorFamily`.

>>> from enumerate import NetworkSpec, count_prior
>>> from enumerate.analysis.posterior import PosteriorFamily
>>> prior = count_prior(NetworkSpec.parse("fc:2,1", "-1,0,1", "sign", "01"), progress=False)
>>> noisy = NoisyFamily(PosteriorFamily.of(prior, "---+"), "1/10")
>>> pt = noisy.point(2)
>>> pt.interpolable_probability, pt.expected_error
(Fraction(191, 200), Fraction(719419, 2337840))
>>> NoisyFamily(PosteriorFamily.of(prior, "---+"), 0).point(2).expected_error   # the noise-free curve
Fraction(79, 288)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

import numpy as np

from ..results.io import fraction_str
from ..core.validate import check_sample_size, parse_rate
from ..core.spec import SpecError

__all__ = ["MAX_NOISY_POINTS", "NoisyFamily", "NoisyCurvePoint", "noisy_curve", "parse_noise"]

#: the exact sums run over 3^|X| ternary codes: refused above this many domain points
MAX_NOISY_POINTS = 12
_INT64_SAFE = 2**62


def parse_noise(eps, argument="--label-noise") -> Fraction:
    """The noise rate as an exact Fraction in [0, 1] (int, Fraction or a string like ``1/10``;
    a Python float is refused, by the one rule of :func:`~enumerate.core.validate.parse_rational`).

    >>> parse_noise("1/10"), parse_noise(0)
    (Fraction(1, 10), Fraction(0, 1))
    """
    return parse_rate(eps, argument, "noise rate")


@dataclass(frozen=True)
class NoisyCurvePoint:
    """Exact noisy learning-curve values at N draws (see the module docstring).

    ``expected_error`` and ``noisy_error`` are None when no training set of size N is
    interpolable (``interpolable_probability`` = 0).
    """

    n: int
    fit_probability: Fraction
    interpolable_probability: Fraction
    expected_error: Fraction | None
    noisy_error: Fraction | None

    def to_json(self):
        keys = ("fit_probability", "interpolable_probability", "expected_error", "noisy_error")
        vals = {k: getattr(self, k) for k in keys}
        out = {"n": self.n, **{k: None if v is None else fraction_str(v) for k, v in vals.items()}}
        out["decimal"] = {k: None if v is None else float(v) for k, v in vals.items()}
        return out


class NoisyFamily:
    """The random interpolators of one prior and one target under label noise ``eps``.

    Parameters
    ----------
    family : PosteriorFamily
        The noise-free family (prior, target table in ``+``/``-``, data distribution D).
    eps : Fraction, int or str
        The probability that a training label is flipped, in [0, 1].

    >>> from enumerate.analysis.posterior import PosteriorFamily
    >>> fam = NoisyFamily(PosteriorFamily.uniform_functions("+-"), "1/4")
    >>> fam.point(1).expected_error      # the seen point: wrong w.p. 1/4; the other: a coin flip
    Fraction(3, 8)
    """

    def __init__(self, family, eps):
        self.family = family
        self.eps = parse_noise(eps)
        self.n = family.n
        self.check_target(family.target)
        self.E, self.e = self.eps.denominator, self.eps.numerator
        self.total, self.W, self.a = family.total, family.W, family.a
        self.uniform = family.uniform

    @staticmethod
    def check_target(table):
        """Refuse a target with 0 labels or more than ``MAX_NOISY_POINTS`` points.

        >>> NoisyFamily.check_target("+-0")
        Traceback (most recent call last):
        ...
        enumerate.SpecError: target: '+-0': label noise flips + and -; the target may not contain 0
        """
        if set(table) - set("+-"):
            raise SpecError("target", f"{table!r}: label noise flips + and -; the target may not contain 0")
        if len(table) > MAX_NOISY_POINTS:
            raise SpecError("--domain", f"exact noisy curves sum over 3^|X| codes: at most {MAX_NOISY_POINTS} "
                                        f"points (got {len(table)})")

    # ---- the 3^n arrays (built once)
    def _codes(self):
        """{function code: count}, the digit of point i being 0 agree, 1 opposite, 2 zero."""
        prior = getattr(self.family, "prior", None)
        if prior is None or prior.spec.zero_label != "0":  # +- tables: the disagreement mask is the code
            pow3 = [3**i for i in range(self.n)]
            return {sum(pow3[i] for i in range(self.n) if m >> i & 1): c for m, c in self.family.mask_counts.items()}
        t = self.family.target
        out = {}
        for h, c in prior.counts.items():
            code = sum((0 if a == b else (2 if a == "0" else 1)) * 3**i for i, (a, b) in enumerate(zip(h, t)))
            out[code] = out.get(code, 0) + c
        return out

    @cached_property
    def _arrays(self):
        n, E, e = self.n, self.E, self.e
        big = self.total * self.W * E >= _INT64_SAFE
        dt = object if big else np.int64
        H = np.zeros(3**n, dtype=dt)
        for code, c in self._codes().items():
            H[code] = c
        a = list(self.a)
        zero = [0] * n
        clean = _sums3(zero, a, a, dt)  # clean-loss numerator (over W) of a function code
        noisy = _sums3([x * e for x in a], [x * (E - e) for x in a], [x * E for x in a], dt)  # over W E
        q = _sums3([x * (E - e) for x in a], [x * e for x in a], zero, object)  # P(one draw allowed), over W E
        na = _sums3([1] * n, zero, zero, np.int64)
        nb = _sums3(zero, [1] * n, zero, np.int64)
        fit = _up3(H.copy(), n)
        errc = _up3(H * clean, n)
        errn = _up3(H * noisy, n)
        ok = np.flatnonzero(fit != 0)
        keys = {}
        gid = np.empty(len(ok), dtype=np.int64)
        for j, key in enumerate(zip(na[ok].tolist(), nb[ok].tolist(), fit[ok].tolist())):
            gid[j] = keys.setdefault(key, len(keys))
        order = np.argsort(gid, kind="stable")
        starts = np.flatnonzero(np.r_[True, np.diff(gid[order]) != 0]) if len(ok) else np.zeros(0, np.int64)
        ok = ok[order]
        return dict(
            H=H, q=q, ok=ok, starts=starts, gkeys=list(keys), fit=fit, errc=errc, errn=errn,
            sizes=_group(np.ones(len(ok), dtype=np.int64), starts),
            errc_sum=_group(errc[ok], starts), errn_sum=_group(errn[ok], starts))

    # ---- exact values at N
    def _set_probabilities(self, N):
        """Per group of codes: the exact P(S has that code), summed with the group's numerators."""
        d = self._arrays
        n, E, e = self.n, self.E, self.e
        if self.uniform:
            den = (n * E) ** N
            pab = {}
            for a, b, _f in d["gkeys"]:
                if (a, b) not in pab:
                    pab[a, b] = Fraction(sum((-1) ** (a - i + b - j) * math.comb(a, i) * math.comb(b, j)
                                             * (i * (E - e) + j * e) ** N
                                             for i in range(a + 1) for j in range(b + 1)), den)
            per = [pab[a, b] for a, b, _f in d["gkeys"]]
            return per, None
        return None, self.code_probabilities(N)[0][d["ok"]]

    def code_probabilities(self, N):
        """(numerators, denominator): the exact P(S has code c) for every ternary code c.

        >>> from enumerate.analysis.posterior import PosteriorFamily
        >>> num, den = NoisyFamily(PosteriorFamily.uniform_functions("+"), "1/4").code_probabilities(2)
        >>> [f"{x}/{den}" for x in num]       # clean only, flipped only, never drawn
        ['9/16', '1/16', '0/16']
        """
        return _moebius3(self._arrays["q"] ** check_sample_size(N), self.n), (self.W * self.E) ** N

    def code_arrays(self):
        """Per ternary code c of a training set: (fit count, fit-weighted clean-loss numerators
        over W, fit-weighted noisy-loss numerators over W E), numpy arrays of length 3^|X|."""
        d = self._arrays
        return d["fit"], d["errc"], d["errn"]

    def point(self, N) -> NoisyCurvePoint:
        """The exact :class:`NoisyCurvePoint` at N draws."""
        N = check_sample_size(N)
        d = self._arrays
        WE = self.W * self.E
        fitp = Fraction(int(sum(d["H"].astype(object) * d["q"] ** N)), self.total * WE**N)
        per, P = self._set_probabilities(N)
        interp, ec, en = Fraction(0), Fraction(0), Fraction(0)
        if per is not None:
            for (_a, _b, f), p, k, sc, sn in zip(d["gkeys"], per, d["sizes"], d["errc_sum"], d["errn_sum"]):
                if p:
                    interp += p * k
                    ec += p * Fraction(sc, f)
                    en += p * Fraction(sn, f)
        else:
            den = Fraction(WE) ** N
            Po = P.astype(object)
            pk = _group(Po, d["starts"])
            pc = _group(Po * d["errc"][d["ok"]].astype(object), d["starts"])
            pn = _group(Po * d["errn"][d["ok"]].astype(object), d["starts"])
            for (_a, _b, f), k, sc, sn in zip(d["gkeys"], pk, pc, pn):
                interp += Fraction(k) / den
                ec += Fraction(sc, f) / den
                en += Fraction(sn, f) / den
        if interp == 0:
            return NoisyCurvePoint(N, fitp, interp, None, None)
        return NoisyCurvePoint(N, fitp, interp, ec / interp / self.W, en / interp / WE)

    def curve(self, n_max):
        """:class:`NoisyCurvePoint` for every N in 0..n_max."""
        return [self.point(N) for N in range(check_sample_size(n_max, "--n-max") + 1)]


def noisy_curve(prior, target, eps, n_max, weights=None):
    """Exact noisy learning curve (a list of :class:`NoisyCurvePoint`, N = 0..n_max).

    >>> from enumerate import NetworkSpec, count_prior
    >>> prior = count_prior(NetworkSpec.parse("fc:2,1", "-1,0,1", "sign", "01"), progress=False)
    >>> [str(p.interpolable_probability) for p in noisy_curve(prior, "---+", "1/2", 2)]
    ['1', '1', '7/8']
    """
    from .posterior import PosteriorFamily

    return NoisyFamily(PosteriorFamily.of(prior, target, weights), eps).curve(n_max)


# --------------------------------------------------------------------------- ternary transforms


def _sums3(v0, v1, v2, dtype):
    """Array over 3^n codes: entry = sum_i v_(digit i)[i] (code = sum digit_i 3^i)."""
    out = np.zeros(1, dtype=dtype)
    for x0, x1, x2 in zip(v0, v1, v2):
        out = np.concatenate([out + x0, out + x1, out + x2])
    return out


def _up3(values, n):
    """In place: state 2 of every digit becomes the sum of states 0, 1 and 2."""
    for i in range(n):
        v = values.reshape(-1, 3, 3**i)
        v[:, 2, :] += v[:, 0, :] + v[:, 1, :]
    return values


def _moebius3(values, n):
    """In place: the inclusion-exclusion over dropped points (state 0 or 1 -> minus state 2)."""
    for i in range(n):
        v = values.reshape(-1, 3, 3**i)
        v[:, 0, :] -= v[:, 2, :]
        v[:, 1, :] -= v[:, 2, :]
    return values


def _group(values, starts):
    return np.add.reduceat(values.astype(object), starts).tolist() if len(values) else []

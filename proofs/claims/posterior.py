"""The posterior-sampling claims, checked exactly against guess-and-check posteriors.

For every configuration of a sweep and *every* function the student realizes as the
target (every teacher's table is among them), with S = N i.i.d. draws from D:

* ``posterior-tail``: E_S[P_(h~P_S)(L_D(h) > eps)] <= (1 - eps)^N / rho~ for every eps
  in [0, 1). The left side only changes at the loss levels l of the functions, so the
  check at every positive level l of P(L_D >= l) <= (1 - l)^N / rho~ (the limit
  eps -> l from below) covers every eps exactly.
* ``posterior-expected-error``: E_S E_(h~P_S) L_D(h) <= (C~ + 1)/N, decided exactly
  (interval arithmetic on the logarithm, precision raised until decided).
* ``posterior-kl``: KL(P_S || P) = -ln P(fits S) <= C~ for *every* training set S
  (i.e. P(fits S) >= rho~, exact), equality at S = X.
* ``posterior-lemma`` (the paper's sample-size lemma): if N >= (C~ + 3 ln(2/delta))/eps then
  P_(S, h~P_S)(L_D(h) < eps) >= 1 - delta; checked at N0 = ceil(...) and the next |X|
  sizes, and compared with the smallest N at which the exact curve gets there.

>>> r = check_tail(CONFIGS["small"][:1], n_max=4)
>>> r.passed, r.cases
(True, 255)
>>> check_tail(CONFIGS["small"][:1], n_max=4, bound=lambda l, N, rho: (1 - l) ** N * rho).passed
False
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from fractions import Fraction

from .registry import ClaimResult, claim

__all__ = ["Config", "CONFIGS", "check_tail", "check_expected_error", "check_kl", "check_lemma", "le_log",
           "families"]

TAIL = "E_S[P_(h~P_S)(L_D(h) > eps)] <= (1-eps)^N / rho~ (every eps, every realizable target)"
ERR = "E_S E_(h~P_S) L_D(h) <= (C~ + 1)/N"
KL = "KL(P_S || P) = -ln P(fits S) <= C~ for every training set S"
LEMMA = "N >= (C~ + 3 ln(2/delta))/eps  =>  P_(S,h~P_S)(L_D(h) < eps) >= 1 - delta (sample-size lemma)"


@dataclass(frozen=True)
class Config:
    arch: str
    q: str = "-1,0,1"
    act: str = "sign"
    domain: str = "01"
    zero_label: str = "-1"
    weights: tuple | None = None  # data distribution D (Fractions as strings); None: uniform

    def spec(self):
        from enumerate import NetworkSpec

        return NetworkSpec.parse(self.arch, self.q, self.act, self.domain, self.zero_label)

    def __str__(self):
        w = "" if self.weights is None else f" D=({','.join(self.weights)})"
        return f"{self.arch} Q={self.q} {self.act} {self.domain} zl={self.zero_label}{w}"


_W4 = ("1/2", "1/4", "1/8", "1/8")
_SMALL = [Config("fc:2,1"), Config("fc:2,2,1"), Config("fc:3,1,1"), Config("fc:2,2,1", weights=_W4)]
_DEFAULT = _SMALL + [
    Config("fc:3,2,1"),
    Config("fc:2,2,1", act="relu", zero_label="0"),
    Config("fc:3,1,1", domain="pm1", zero_label="+1"),
    Config("sfc:2,1,1"),
    Config("fc:3,1,1", weights=("1/4", "1/4", "1/8", "1/8", "1/16", "1/16", "1/16", "1/16")),
]
_FULL = _DEFAULT + [Config("fc:3,3,1"), Config("fc:4,1,1"), Config("fc:3,2,1", act="relu")]
CONFIGS = {"small": _SMALL, "default": _DEFAULT, "full": _FULL}
N_MAX = {"small": 12, "default": 20, "full": 32}

_FAMS: dict = {}


def families(cfg):
    """[(target, PosteriorFamily)] for every function the student of ``cfg`` realizes (cached)."""
    if cfg not in _FAMS:
        from enumerate.analysis.posterior import PosteriorFamily

        from ..bound_checks import prior_of

        prior = prior_of(cfg.spec())
        w = None if cfg.weights is None else tuple(Fraction(x) for x in cfg.weights)
        _FAMS[cfg] = [(t, PosteriorFamily.of(prior, t, w)) for t, _c in prior.ranked()]
    return _FAMS[cfg]


def le_log(x: Fraction, y: Fraction) -> bool:
    """Exactly decide x <= ln(y) for rationals x and y > 0.

    ln(y) is irrational unless y = 1 (Lindemann), so interval arithmetic at rising
    precision always decides, except x = 0, y = 1 (equal).

    >>> le_log(Fraction(0), Fraction(1)), le_log(Fraction(69314718, 10**8), Fraction(2))
    (True, True)
    >>> le_log(Fraction(69314719, 10**8), Fraction(2))
    False
    """
    from mpmath import iv

    x, y = Fraction(x), Fraction(y)
    if y <= 0:
        raise ValueError("y must be > 0")
    if y == 1:
        return x <= 0
    prec = 64
    old = iv.prec
    try:
        while prec <= 1 << 16:
            iv.prec = prec
            d = iv.log(iv.mpf(y.numerator) / iv.mpf(y.denominator)) - iv.mpf(x.numerator) / iv.mpf(x.denominator)
            if d.a > 0:
                return True
            if d.b < 0:
                return False
            prec *= 2
    finally:
        iv.prec = old
    raise ArithmeticError(f"could not decide {x} <= ln({y})")  # pragma: no cover


def _fmt(x, digits=4):
    return f"{float(x):.{digits}g}"


def _result(name, statement, cases, bad, figures):
    return ClaimResult(name, statement, cases, bad is None, figures, bad)


def check_tail(configs, n_max=12, bound=None) -> ClaimResult:
    """posterior-tail over ``configs`` for N = 0..n_max; ``bound(l, N, rho)`` is the
    right-hand side (injectable, so a test can see FAIL)."""
    bound = bound or (lambda l, N, rho: (1 - l) ** N / rho)
    cases, bad, ratios = 0, None, []
    for cfg in configs:
        for t, fam in families(cfg):
            for l in [x for x in fam.loss_levels() if x > 0]:
                for N in range(n_max + 1):
                    lhs = fam.tail_probability(N, l)
                    rhs = bound(l, N, fam.rho)
                    cases += 1
                    if lhs > rhs and bad is None:
                        bad = f"{cfg}, target {t}, N={N}, eps->{l}: {lhs} > {rhs}"
                    if lhs > 0:
                        ratios.append(rhs / lhs)
    return _result("posterior-tail", TAIL, cases, bad, {
        "configs": len(configs),
        "min bound/value": _fmt(min(ratios)) if ratios else "-",
        "median bound/value": _fmt(statistics.median(ratios)) if ratios else "-",
    })


def check_expected_error(configs, n_max=12, factor=1) -> ClaimResult:
    """posterior-expected-error over ``configs`` for N = 1..n_max (exact decisions);
    ``factor`` multiplies the bound (a test injects a wrong one, e.g. 1/2, and sees FAIL)."""
    factor = Fraction(factor)
    cases, bad, ratios = 0, None, []
    for cfg in configs:
        for t, fam in families(cfg):
            for N in range(1, n_max + 1):
                e = fam.expected_error(N)
                cases += 1
                # e <= factor (C + 1)/N  <=>  N e / factor - 1 <= ln(1/rho)
                if not le_log(N * e / factor - 1, 1 / fam.rho) and bad is None:
                    bad = (f"{cfg}, target {t}, N={N}: E[error] = {e} > {factor} (C~+1)/N = "
                           f"{float(factor) * (fam.complexity + 1) / N:.6g}")
                if e > 0:
                    ratios.append((fam.complexity + 1) / N / float(e))
    return _result("posterior-expected-error", ERR, cases, bad, {
        "configs": len(configs),
        "min bound/value": _fmt(min(ratios)) if ratios else "-",
        "median bound/value": _fmt(statistics.median(ratios)) if ratios else "-",
    })


def check_kl(configs, kl_at=None, factor=1) -> ClaimResult:
    """posterior-kl: P(fits S) >= rho~ for every training set S (every subset U of X);
    ``factor`` multiplies rho~ (a test injects a wrong bound, e.g. 2, and sees FAIL)."""
    factor = Fraction(factor)
    cases, bad, gaps = 0, None, []
    for cfg in configs:
        for t, fam in families(cfg):
            fits = fam._dense["fit"].tolist()
            cases += len(fits)
            low = min(fits)
            if low < factor * fam.target_count and bad is None:
                U = fits.index(low)
                bad = (f"{cfg}, target {t}, S = points of mask {U:b}: P(fits S) = {low}/{fam.total} < "
                       f"{factor} rho~ = {factor * fam.rho}")
            if kl_at is not None:
                gaps.append(fam.complexity - fam.expected_kl(kl_at(fam.n)))
    figs = {"configs": len(configs), "sets S checked": cases, "tight at": "S = X (KL = C~)"}
    if gaps:
        figs["min C~ - E_S KL at N=|X|"] = _fmt(min(gaps))
    return _result("posterior-kl", KL, cases, bad, figs)


def check_lemma(configs, eps=(Fraction(1, 4), Fraction(1, 2)), delta=(Fraction(1, 10), Fraction(1, 4)),
                extra=None, sample_size=None) -> ClaimResult:
    """The sample-size lemma at N0 = ceil((C~ + 3 ln(2/delta))/eps) and the next ``extra``
    (default |X|) sizes; reports N0 over the smallest N the exact curve needs.
    ``sample_size(rho, eps, delta)`` replaces the lemma's N0 (tests inject a wrong one).

    >>> check_lemma(CONFIGS["small"][:1], sample_size=lambda rho, e, d: 0).passed
    False
    """
    from enumerate.analysis.posterior import lemma_sample_size

    sample_size = sample_size or lemma_sample_size
    cases, bad, over, margins = 0, None, [], []
    for cfg in configs:
        for t, fam in families(cfg):
            for e in eps:
                for d in delta:
                    N0 = sample_size(fam.rho, e, d)
                    for N in range(N0, N0 + (fam.n if extra is None else extra) + 1):
                        tail = fam.tail_probability(N, e)  # P(L >= eps) = 1 - P(L < eps)
                        cases += 1
                        if tail > d and bad is None:
                            bad = f"{cfg}, target {t}, eps={e}, delta={d}, N={N} >= N0={N0}: P(L >= eps) = {tail} > delta"
                        if N == N0:
                            margins.append(float(d - tail))
                    # the smallest N where the exact curve gets there (None: not by N0, the lemma failed)
                    need = next((N for N in range(0, N0 + 1) if fam.tail_probability(N, e) <= d), None)
                    if need is not None:
                        over.append(N0 / max(need, 1))
    return _result("posterior-lemma", LEMMA, cases, bad, {
        "configs": len(configs),
        "N0 / exact N needed (min)": _fmt(min(over), 3) if over else "-",
        "(median)": _fmt(statistics.median(over), 3) if over else "-",
        "min delta - P(L>=eps) at N0": _fmt(min(margins)),
    })


@claim("posterior-tail", TAIL)
def _tail(sweep):
    return check_tail(CONFIGS[sweep], N_MAX[sweep])


@claim("posterior-expected-error", ERR)
def _err(sweep):
    return check_expected_error(CONFIGS[sweep], N_MAX[sweep])


@claim("posterior-kl", KL)
def _kl(sweep):
    return check_kl(CONFIGS[sweep], kl_at=lambda n: n)


@claim("posterior-lemma", LEMMA)
def _lemma(sweep):
    return check_lemma(CONFIGS[sweep])

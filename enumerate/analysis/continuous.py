"""Monte Carlo teacher equivalence for two-layer networks with continuous weights.

The student is f(x) = sum_j v_j sigma(w_j . x + b_j) + c with ``width`` hidden neurons,
sigma = ``sign`` or leaky ReLU (``leaky:SLOPE``), label +1 iff f(x) > 0. Every parameter
(canonical order: W row-major, b, v, c) is drawn i.i.d. from a :class:`WeightPrior`:
uniform in a box [-r, r] (as the guess-and-check literature samples), Gaussian N(0, s^2),
or uniform on a finite quantization set Q (to compare with the exact counts).

Results are *estimates*, never exact values:

* :func:`equivalence_probability` -- plain Monte Carlo of rho~ = P(student's labels ==
  teacher's labels on every point of X), with an exact Clopper-Pearson interval (the
  binomial tail inverted by bisection on the regularized incomplete beta function,
  evaluated by mpmath at 30 significant digits);
* :func:`importance_equivalence` -- importance sampling around the teacher, for when plain
  sampling sees no hits: with probability ``lam`` a draw copies the teacher into a random
  injective embedding of its neurons (each centred parameter, with probability ``tau``,
  from a kernel around its teacher value: Gaussian of width ``spread``, or the exact value
  for quantized priors; the outgoing weights of the other neurons centred at 0), else it
  is a prior draw. The weight p(theta)/q(theta) is exact for this mixture (it averages over
  every embedding) and at most 1/(1 - lam); the interval is the normal (CLT) interval of
  the weighted mean, labelled as such.

Quantized priors run on an integer lattice (Q scaled by the lcm of its denominators, the
leaky slope by its denominator): every sum is an integer below 2^53, exact in float64, so
no tie is decided by rounding; they need integer data points (the ``01``/``pm1`` cubes).

>>> import numpy as np
>>> X = np.array([[-1, -1], [-1, 1], [1, -1], [1, 1]], dtype=float)
>>> t = teacher_labels([1, 1, -1, 1, 0], X, width=1)            # AND of two +-1 inputs
>>> r = equivalence_probability(X, t, width=2, prior="q:-1,0,1", samples=20000, seed=1)
>>> r.low < 856 / 19683 < r.high                                # the exact rho~
True
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..core.spec import SpecError, parse_activation, parse_q
from .kernels.continuous import importance, labels_match, plain

__all__ = ["WeightPrior", "MCEstimate", "clopper_pearson", "teacher_labels", "equivalence_probability",
           "importance_equivalence", "angular_margin", "gaussian_data", "cube"]

CHUNK = 1 << 14  # draws per seeded chunk: results do not depend on how chunks are run
_KIND = {"box": 0, "gauss": 1, "q": 2}


# --------------------------------------------------------------------------- priors and data


@dataclass(frozen=True)
class WeightPrior:
    """``box:R`` (uniform on [-R, R]), ``gauss:S`` (N(0, S^2)) or ``q:VALUES`` (uniform on a
    quantization set, any :func:`~enumerate.core.spec.parse_q` form: ``q:-1,0,1``, ``q:grid:3``).

    >>> WeightPrior.parse("q:grid:1").values, WeightPrior.parse("box:1").scale
    ((Fraction(-1, 1), Fraction(1, 1)), 1.0)
    """

    kind: str
    scale: float = 1.0
    values: tuple = ()

    @classmethod
    def parse(cls, text):
        if isinstance(text, cls):
            return text
        kind, _, rest = str(text).partition(":")
        if kind == "q":
            return cls("q", 1.0, tuple(parse_q(rest, "--prior").values))
        if kind in ("box", "gauss"):
            try:
                s = float(Fraction(rest))
            except (ValueError, ZeroDivisionError):
                s = -1.0
            if s > 0:
                return cls(kind, s)
        raise SpecError("--prior", f"{text!r}: use box:R, gauss:S (R, S > 0) or q:Q (e.g. q:-1,0,1, q:grid:3)")

    @property
    def lattice(self) -> int:
        """The integer scale of a quantized prior (1 for continuous priors)."""
        return math.lcm(*(v.denominator for v in self.values)) if self.values else 1

    def arrays(self):
        """(kind code, scale, values on the lattice as float64)."""
        D = self.lattice
        return _KIND[self.kind], float(self.scale), np.array([float(v * D) for v in self.values] or [0.0])


def cube(d, kind="pm1"):
    """The 2^d points of {-1, +1}^d (``pm1``) or {0, 1}^d (``01``), in domain order.

    >>> cube(2).tolist()
    [[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]]
    """
    lo = -1.0 if kind == "pm1" else 0.0
    return np.array(list(itertools.product((lo, 1.0), repeat=d)))


def gaussian_data(m, d, seed=0):
    """m synthetic points from N(0, I_d) (seeded).

    >>> gaussian_data(3, 2).shape
    (3, 2)
    """
    return np.random.default_rng(seed).standard_normal((m, d))


def _act(act):
    a = parse_activation(act)
    if a.name == "sign":
        return 0, 0.0, 1.0
    if a.name == "leaky":
        return 1, float(a.slope.numerator), float(a.slope.denominator)
    raise SpecError("--act", f"{act!r}: the continuous sampler supports sign and leaky:SLOPE")


def _check_lattice(prior, X, d, width, act):
    if prior.kind != "q":
        return
    if not np.all(X == np.round(X)):
        raise SpecError("--domain", "quantized priors need integer data points (01 or pm1 cubes)")
    qmax = max(abs(v) for v in prior.values) * prior.lattice
    _c, sp, sq = _act(act)
    bound = qmax * (d * float(np.abs(X).max(initial=1)) + 1) * max(sp, sq, 1) * (width + 1) * qmax * prior.lattice
    if bound >= 2**53:
        raise SpecError("--prior", "the integer lattice of this quantized prior passes 2^53; use fewer bits")


# --------------------------------------------------------------------------- kernels


# --------------------------------------------------------------------------- intervals and results


def clopper_pearson(k, n, alpha=1e-3):
    """The exact (Clopper-Pearson) two-sided 1 - alpha interval for k hits in n trials.

    The bounds solve P(Bin(n, p) >= k) = alpha/2 and P(Bin(n, p) <= k) = alpha/2 for p:
    bisection (100 halvings) on the binomial CDF, summed in float64 from log-gamma terms
    with a log-sum-exp (relative error about 1e-12, far below any interval width reported).

    >>> lo, hi = clopper_pearson(0, 1000, 0.05)
    >>> lo, round(hi, 5)                    # the "rule of three": about 3.7/n
    (0.0, 0.00368)
    >>> [round(x, 4) for x in clopper_pearson(5, 10, 0.05)]
    [0.1871, 0.8129]
    """
    if not 0 <= k <= n or n < 1:
        raise SpecError("samples", "need 0 <= hits <= samples and samples >= 1")
    i = np.arange(k + 1, dtype=float)
    logc = math.lgamma(n + 1) - np.array([math.lgamma(x + 1) + math.lgamma(n - x + 1) for x in range(k + 1)])

    def cdf(m, p):  # P(Bin(n, p) <= m)
        t = logc[: m + 1] + i[: m + 1] * math.log(p) + (n - i[: m + 1]) * math.log1p(-p)
        top = t.max()
        return math.exp(top) * float(np.exp(t - top).sum())

    def solve(m, target):  # the p with cdf(m, p) = target (cdf decreases in p)
        lo, hi = 0.0, 1.0
        for _ in range(100):
            mid = (lo + hi) / 2
            if cdf(m, mid) > target:
                lo = mid
            else:
                hi = mid
        return (lo + hi) / 2

    low = 0.0 if k == 0 else solve(k - 1, 1 - alpha / 2)
    high = 1.0 if k == n else solve(k, alpha / 2)
    return low, high


@dataclass(frozen=True)
class MCEstimate:
    """A Monte Carlo estimate of rho~ (never exact): ``mean`` in [``low``, ``high``].

    ``kind`` says which interval: ``clopper-pearson`` (exact binomial, level 1 - alpha) or
    ``importance-sampling normal`` (mean +- z standard errors). ``weight_mean`` (importance
    sampling) estimates E_q[p/q] = 1: a check on the weights; ``ess`` is the effective
    number of hits (sum w)^2 / sum w^2. The normal interval is only asymptotic: when most
    equivalent students are not near the teacher, their mass is found only by the rare
    prior draws of the mixture, and a run that sees too few of them understates both the
    estimate and its error (compare with plain sampling; a small ``ess`` against ``hits``
    is the warning sign).
    """

    mean: float
    low: float
    high: float
    samples: int
    hits: int
    kind: str
    weight_mean: float | None = None
    ess: float | None = None

    @property
    def complexity(self):
        """-ln(mean), the estimated C~ (inf without hits)."""
        return math.inf if self.mean <= 0 else -math.log(self.mean)

    def contains(self, value) -> bool:
        return self.low <= float(value) <= self.high

    def to_json(self):
        return {k: getattr(self, k) for k in ("mean", "low", "high", "samples", "hits", "kind", "weight_mean", "ess")}


# --------------------------------------------------------------------------- public estimators


def teacher_labels(params, X, width, act="sign"):
    """The teacher's labels (+1 / -1) on the rows of X (params in canonical order).

    >>> teacher_labels([1, 1, -1, 1, 0], cube(2), width=1).tolist()
    [-1, -1, -1, 1]
    """
    X = np.asarray(X, dtype=float)
    theta = np.array([float(Fraction(p)) for p in params])
    if len(theta) != width * (X.shape[1] + 2) + 1:
        raise SpecError("--teacher-params", f"need {width * (X.shape[1] + 2) + 1} parameters for width {width}")
    code, sp, sq = _act(act)
    bm = 1.0 if code == 0 else sq
    out = np.empty(len(X), dtype=np.int8)
    for x in range(len(X)):
        one = np.array([1], dtype=np.int8)
        out[x] = 1 if labels_match(theta, X[x:x + 1], one, width, code, sp, sq, bm) else -1
    return out


def _setup(X, target, width, act, prior):
    X = np.ascontiguousarray(X, dtype=float)
    target = np.asarray(target, dtype=np.int8)
    if X.ndim != 2 or len(target) != len(X) or not set(np.unique(target).tolist()) <= {-1, 1}:
        raise SpecError("target", "need one label (+1 or -1) per data point")
    if width < 1:
        raise SpecError("--width", "need width >= 1")
    prior = WeightPrior.parse(prior)
    _check_lattice(prior, X, X.shape[1], width, act)
    code, sp, sq = _act(act)
    kind, scale, qv = prior.arrays()
    D = prior.lattice
    bm = 1.0 if code == 0 else sq * D  # the output bias on the lattice of v * sigma(z)
    return X, target, prior, (code, sp, sq, bm, kind, scale, qv)


def _chunks(samples):
    return [min(CHUNK, samples - s) for s in range(0, samples, CHUNK)]


def equivalence_probability(X, target, width, act="sign", prior="box:1", samples=100_000, seed=0, alpha=1e-3):
    """Plain Monte Carlo estimate of rho~ with the exact Clopper-Pearson 1 - alpha interval.

    Parameters
    ----------
    X : array (m, d)
        The data points (a finite domain, or a Gaussian sample).
    target : array of +1 / -1
        The teacher's labels on X (:func:`teacher_labels`).
    width, act, prior
        The student: hidden width, ``sign`` or ``leaky:SLOPE``, a :class:`WeightPrior` text.
    samples, seed
        Draws and seed (chunk c of ``CHUNK`` draws uses seed ``seed * 100003 + c``).

    >>> r = equivalence_probability(cube(2), [-1, -1, -1, 1], 1, samples=1000, seed=0)
    >>> r.kind, r.samples, r.low <= r.mean <= r.high
    ('clopper-pearson', 1000, True)
    """
    X, target, _prior, (code, sp, sq, bm, kind, scale, qv) = _setup(X, target, width, act, prior)
    if samples < 1:
        raise SpecError("--samples", "need at least one draw")
    hits = sum(plain(seed * 100003 + c, n, X, target, width, code, sp, sq, bm, kind, scale, qv)
               for c, n in enumerate(_chunks(samples)))
    lo, hi = clopper_pearson(hits, samples, alpha)
    return MCEstimate(hits / samples, lo, hi, samples, hits, "clopper-pearson")


def importance_equivalence(X, target, width, teacher, teacher_width, act="sign", prior="box:1", samples=100_000,
                           seed=0, lam=0.5, tau=0.9, spread=0.1, z=4.0):
    """Importance-sampling estimate of rho~ around a teacher (see the module docstring).

    ``teacher`` are the teacher's parameters (canonical order, width ``teacher_width`` <=
    ``width``); for a quantized prior they must lie in Q.

    >>> from fractions import Fraction as F
    >>> r = importance_equivalence(cube(2), [-1, -1, -1, 1], 2, [1, 1, -1, 1, 0], 1,
    ...                            prior="q:-1,0,1", samples=20000, seed=2)
    >>> r.contains(F(856, 19683)), abs(r.weight_mean - 1) < 0.05
    (True, True)
    """
    X, target, pr, (code, sp, sq, bm, kind, scale, qv) = _setup(X, target, width, act, prior)
    if not 0 <= lam < 1 or not 0 <= tau <= 1 or spread <= 0:
        raise SpecError("--lam", "need 0 <= lam < 1, 0 <= tau <= 1 and spread > 0")
    centres, has = _embeddings(pr, [Fraction(p) for p in teacher], X.shape[1], width, teacher_width)
    out = np.zeros(4)
    for c, n in enumerate(_chunks(samples)):
        importance(seed * 100003 + c, n, X, target, width, code, sp, sq, bm, kind, scale, qv, centres, has,
                    lam, tau, spread, out)
    mean = out[0] / samples
    se = math.sqrt(max(out[1] / samples - mean * mean, 0.0) / samples)
    return MCEstimate(float(mean), float(max(0.0, mean - z * se)), float(mean + z * se), samples, int(out[3]),
                      "importance-sampling normal", float(out[2] / samples),
                      float(out[0] ** 2 / out[1]) if out[1] > 0 else 0.0)


def _embeddings(prior, teacher, d, width, tw):
    """(centres, has): per injective map of teacher neurons into student neurons, the centre
    of every parameter on the prior's lattice, and whether it has one."""
    if not 1 <= tw <= width or len(teacher) != tw * (d + 2) + 1:
        raise SpecError("--teacher-params", f"need a teacher of width 1..{width} with {tw * (d + 2) + 1} parameters")
    D = prior.lattice
    if prior.kind == "q" and not set(teacher) <= set(prior.values):
        raise SpecError("--teacher-params", "a quantized prior needs teacher parameters in Q")
    P = width * (d + 2) + 1
    zero_ok = prior.kind != "q" or 0 in prior.values
    maps = list(itertools.permutations(range(width), tw))
    centres = np.zeros((len(maps), P))
    has = np.zeros((len(maps), P), dtype=np.bool_)
    for e, pi in enumerate(maps):
        for t, j in enumerate(pi):
            for i in range(d):
                centres[e, j * d + i] = float(teacher[t * d + i] * D)
            centres[e, width * d + j] = float(teacher[tw * d + t] * D)
            centres[e, width * (d + 1) + j] = float(teacher[tw * (d + 1) + t] * D)
            has[e, [j * d + i for i in range(d)] + [width * d + j, width * (d + 1) + j]] = True
        for j in set(range(width)) - set(pi):
            has[e, width * (d + 1) + j] = zero_ok  # silence the other neurons
        centres[e, P - 1] = float(teacher[-1] * D)
        has[e, P - 1] = True
    return centres, has


def angular_margin(params, X, width):
    """The teacher's angular margin on X: the smallest angle (radians) between a point (x, 1)
    and the hyperplane {(w_j, b_j) . (x, 1) = 0} of a hidden neuron j, i.e. how far a point
    must turn to change a teacher neuron's sign (0 if a point lies on a hyperplane).

    >>> round(angular_margin([1, 1, -1, 1, 0], cube(2), 1), 4)     # asin(1/3)
    0.3398
    """
    X = np.asarray(X, dtype=float)
    d = X.shape[1]
    theta = np.array([float(Fraction(p)) for p in params])
    Wt = theta[: width * d].reshape(width, d)
    b = theta[width * d: width * (d + 1)]
    A = np.hstack([Wt, b[:, None]])
    Xa = np.hstack([X, np.ones((len(X), 1))])
    cos = np.abs(Xa @ A.T) / (np.linalg.norm(Xa, axis=1)[:, None] * np.linalg.norm(A, axis=1)[None, :])
    return float(np.arcsin(np.clip(cos, 0, 1)).min())

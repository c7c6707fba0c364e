"""Exact guess-and-check posteriors, learning curves and optimal-set volumes.

Guess and check draws parameters uniformly and keeps them when the network fits the
training set S. The induced posterior over functions is

    P_S(h) = P(h) 1[h fits S] / P(fits S),   P(fits S) = P_theta(h_theta fits S),

where P(fits S) is the *optimal-set volume*: the fraction of parameter space that
interpolates S. Two facts make every average over S ~ D^N exact:

* a function enters only through its *disagreement set* D(h) = {x : h(x) != t(x)} with
  the target t (a bitmask over the domain: bit i is domain point i), so the prior
  collapses to a histogram A[m] = #settings whose function disagrees exactly on m;
* S enters only through its set U of distinct points. For N i.i.d. draws from weights
  w, P(distinct set = U) = sum_{V subset U} (-1)^{|U|-|V|} w(V)^N (inclusion-exclusion),
  which is |U|! S(N, |U|) / |X|^N when D is uniform (S = Stirling numbers of the second
  kind).

Then P(fits U) = sum_{m disjoint from U} A[m] / |Q|^P is a subset sum (a zeta transform
over 2^|X| masks), and E_S[F(U)] = sum_U P(U) F(U) is a finite exact sum. "Fits" means
equal labels on every training point (under zero-label rule ``0`` a ``0`` is its own
label). L_D(h) = w(D(h)) is the test error against the target.

Exact sums are refused above ``MAX_EXACT_POINTS`` domain points; :meth:`PosteriorFamily.estimate`
then gives a Monte Carlo estimate over S (each S's posterior is still exact), clearly
labelled as an estimate with a confidence interval.

>>> from enumerate import NetworkSpec, count_prior
>>> prior = count_prior(NetworkSpec.parse("fc:2,1", "-1,0,1", "sign", "01"), progress=False)
>>> fam = PosteriorFamily.of(prior, "---+")            # the AND function as target
>>> fam.rho, fam.fit_probability(0), fam.expected_error(0)
(Fraction(1, 27), Fraction(1, 1), Fraction(11, 27))
>>> [str(p.expected_error) for p in fam.curve(3)]
['11/27', '25/72', '79/288', '1553/7488']
>>> PosteriorFamily.uniform_functions("---+").expected_error(2)   # (1/2)(1 - 1/4)^2
Fraction(9, 32)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

import numpy as np

from ..results.io import fraction_str
from ..core.spec import SpecError
from ..core.validate import check_indices, check_sample_size, check_table, check_weights, parse_rate

__all__ = [
    "MAX_EXACT_POINTS",
    "curve_cost",
    "PosteriorFamily",
    "Posterior",
    "CurvePoint",
    "Estimate",
    "posterior",
    "learning_curve",
    "surjections",
    "distinct_set_probability",
    "wilson_interval",
    "lemma_sample_size",
]

#: exact sums over training sets run over 2^|X| masks: refused above this many points
MAX_EXACT_POINTS = 20
_INT64_SAFE = 2**62


# --------------------------------------------------------------------------- combinatorics


def surjections(n: int, k: int) -> int:
    """k! S(n, k): the number of maps from n draws onto a fixed set of k points.

    Exact, by inclusion-exclusion: sum_j (-1)^(k-j) C(k, j) j^n.

    >>> [surjections(4, k) for k in range(5)]
    [0, 1, 14, 36, 24]
    >>> surjections(0, 0)
    1
    """
    if n < 0 or k < 0:
        raise ValueError("n and k must be >= 0")
    return sum((-1) ** (k - j) * math.comb(k, j) * j**n for j in range(k + 1))


def distinct_set_probability(U, N: int, weights) -> Fraction:
    """P(the distinct points of N i.i.d. draws are exactly the set U).

    ``U`` is an iterable of point indices, ``weights`` a sequence of Fractions (the data
    distribution). Inclusion-exclusion over the subsets V of U: sum (-1)^{|U|-|V|} w(V)^N.

    >>> from fractions import Fraction as F
    >>> distinct_set_probability({0, 1}, 3, [F(1, 3)] * 3)   # 2! S(3,2) / 3^3
    Fraction(2, 9)
    """
    U = sorted(set(U))
    w = [Fraction(weights[i]) for i in U]
    total = Fraction(0)
    for bits in range(1 << len(U)):
        wv = sum((w[i] for i in range(len(U)) if bits >> i & 1), Fraction(0))
        total += (-1) ** (len(U) - bin(bits).count("1")) * wv**N
    return total


# --------------------------------------------------------------------------- estimates


def wilson_interval(mean: float, samples: int, z: float):
    """Wilson score interval of a mean of values in [0, 1] (conservative for non-0/1 values,
    whose variance is at most mean (1 - mean)).

    >>> lo, hi = wilson_interval(0.5, 100, 2.0)
    >>> round(lo, 3), round(hi, 3)
    (0.402, 0.598)
    """
    if samples <= 0:
        return 0.0, 1.0
    p, m = min(max(mean, 0.0), 1.0), samples
    den = 1 + z * z / m
    centre = (p + z * z / (2 * m)) / den
    half = z * math.sqrt(p * (1 - p) / m + z * z / (4 * m * m)) / den
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Estimate:
    """A Monte Carlo *estimate* (never an exact result): mean and a confidence interval.

    The interval is Wilson's score interval at ``z`` standard deviations (the quantities
    estimated are means of values in [0, 1]).

    Examples
    --------
    >>> e = Estimate.of_mean(0.25, 400, z=3.0)
    >>> e.contains(0.25), e.contains(0.5), e.kind
    (True, False, 'monte-carlo estimate')
    """

    mean: float
    low: float
    high: float
    samples: int
    z: float
    kind: str = "monte-carlo estimate"

    @classmethod
    def of_mean(cls, mean, samples, z):
        lo, hi = wilson_interval(mean, samples, z)
        return cls(float(mean), lo, hi, int(samples), float(z))

    def contains(self, value) -> bool:
        return self.low <= float(value) <= self.high

    def to_json(self):
        return {"kind": self.kind, "mean": self.mean, "low": self.low, "high": self.high,
                "samples": self.samples, "z": self.z}

    def __str__(self):
        return f"{self.mean:.6g} [{self.low:.6g}, {self.high:.6g}] ({self.kind}, {self.samples} samples, z={self.z:g})"


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class CurvePoint:
    """Exact learning-curve values at one training-set size ``n`` (N i.i.d. draws).

    ``expected_error`` = E_S E_(h~P_S) L_D(h); ``fit_probability`` = E_S[P_theta(fits S)];
    ``tail`` maps each requested eps to E_S[P_(h~P_S)(L_D(h) >= eps)] (or ``> eps``).
    ``expected_kl`` = E_S[KL(P_S || P)] = E_S[-ln P(fits S)] (a float report: logs).

    Examples
    --------
    >>> from enumerate import NetworkSpec, count_prior
    >>> prior = count_prior(NetworkSpec.parse("fc:2,1", "-1,0,1"), progress=False)
    >>> point = learning_curve(prior, "---+", 2)[2]
    >>> point.n, point.expected_error, point.fit_probability
    (2, Fraction(79, 288), Fraction(43, 108))
    """

    n: int
    expected_error: Fraction
    fit_probability: Fraction
    tail: dict = field(default_factory=dict)
    expected_kl: float | None = None

    def to_json(self):
        out = {"n": self.n, "expected_error": fraction_str(self.expected_error),
               "fit_probability": fraction_str(self.fit_probability)}
        if self.tail:
            out["tail"] = {fraction_str(e): fraction_str(v) for e, v in self.tail.items()}
        if self.expected_kl is not None:
            out["expected_kl"] = self.expected_kl
        return out


@dataclass(frozen=True)
class Posterior:
    """The exact posterior for one training set (its set of distinct points).

    ``fit_count`` settings fit S; ``fit_probability`` = fit_count / |Q|^P is the
    optimal-set volume; ``expected_error`` = E_(h~P_S) L_D(h); ``kl`` = KL(P_S || P)
    = -ln P(fits S) (float); ``probabilities`` (when built from a prior) maps each
    fitting table to its exact posterior probability.

    Examples
    --------
    >>> from enumerate import NetworkSpec, count_prior
    >>> prior = count_prior(NetworkSpec.parse("fc:2,1", "-1,0,1"), progress=False)
    >>> post = posterior(prior, "---+", [0, 3])
    >>> post.fit_count, post.fit_probability, sum(post.probabilities.values())
    (4, Fraction(4, 27), Fraction(1, 1))
    """

    training: tuple
    fit_count: int
    total: int
    expected_error: Fraction
    probabilities: dict | None = None
    _tail_counts: tuple = ()

    @property
    def fit_probability(self) -> Fraction:
        return Fraction(self.fit_count, self.total)

    @property
    def kl(self) -> float:
        return math.log(self.total) - math.log(self.fit_count)


# --------------------------------------------------------------------------- the family


class PosteriorFamily:
    """The guess-and-check posteriors of one prior and one target, for every S.

    Build it with :meth:`of` (a :class:`~enumerate.results.prior.FunctionPrior` and a target
    table) or :meth:`uniform_functions` (the baseline: the uniform prior over all label
    tables, no parameter redundancy). ``weights`` is the data distribution D on the
    domain (Fractions; default: the domain's weights, else uniform).

    Examples
    --------
    >>> from enumerate import NetworkSpec, count_prior
    >>> prior = count_prior(NetworkSpec.parse("fc:2,1", "-1,0,1"), progress=False)
    >>> fam = PosteriorFamily.of(prior, "---+")
    >>> fam.rho, fam.given([3]).fit_probability, fam.expected_error(1)
    (Fraction(1, 27), Fraction(10, 27), Fraction(25, 72))
    """

    def __init__(self, n, mask_counts, total, target, weights=None, source="network"):
        self.n = int(n)
        self.mask_counts = {int(m): int(c) for m, c in mask_counts.items() if c}
        self.total = int(total)
        self.target = target
        self.source = source
        if weights is None:
            self.weights = (Fraction(1, self.n),) * self.n
            self.uniform = True
        else:
            w = check_weights(weights, self.n)
            self.weights = w
            self.uniform = len(set(w)) == 1
        self.W = math.lcm(*(x.denominator for x in self.weights))
        self.a = tuple(int(x * self.W) for x in self.weights)  # loss numerators per point

    # ---- construction
    @classmethod
    def of(cls, prior, target, weights=None) -> "PosteriorFamily":
        """From an exact prior and a target table (or a :class:`~enumerate.core.teacher.Teacher`)."""
        table = target if isinstance(target, str) else target.table
        check_table(table, len(prior.spec.domain), prior.spec.zero_label, "target")
        if not prior.is_complete:
            raise SpecError("prior", "the prior is partial (a shard): count every setting first")
        masks = {}
        for t, c in prior.counts.items():
            m = _mask(t, table)
            masks[m] = masks.get(m, 0) + c
        if weights is None:
            weights = prior.spec.domain.weights
        fam = cls(len(table), masks, prior.total, table, weights, "network")
        fam.prior = prior
        return fam

    @classmethod
    def uniform_functions(cls, target, weights=None, alphabet="+-") -> "PosteriorFamily":
        """The baseline: every table over ``alphabet`` equally likely (no redundancy).

        Only for domains of at most ``MAX_EXACT_POINTS`` points (it lists 2^|X| masks).
        """
        n = len(target)
        if n > MAX_EXACT_POINTS:
            raise SpecError("--domain", f"the uniform baseline lists 2^{n} functions; at most {MAX_EXACT_POINTS} points")
        eq = [1 if c in alphabet else 0 for c in target]
        ne = [len(alphabet) - e for e in eq]
        masks = {}
        for m in range(1 << n):
            c = 1
            for i in range(n):
                c *= ne[i] if m >> i & 1 else eq[i]
            masks[m] = c
        return cls(n, masks, len(alphabet) ** n, target, weights, f"uniform over {len(alphabet)}^{n} tables")

    # ---- simple facts
    @property
    def target_count(self) -> int:
        """Settings computing the target exactly (the empty disagreement set)."""
        return self.mask_counts.get(0, 0)

    @property
    def rho(self) -> Fraction:
        """rho~ = P(h == target)."""
        return Fraction(self.target_count, self.total)

    @property
    def complexity(self) -> float:
        """C~ = -ln rho~ (float report; ``inf`` if the target is unrealizable)."""
        c = self.target_count
        return math.inf if c == 0 else math.log(self.total) - math.log(c)

    def loss(self, mask) -> Fraction:
        """L_D of a function with disagreement set ``mask``."""
        return Fraction(sum(self.a[i] for i in range(self.n) if mask >> i & 1), self.W)

    def loss_levels(self):
        """The distinct test errors of the functions with positive prior mass, ascending."""
        return sorted({self.loss(m) for m in self.mask_counts})

    def _need_realizable(self):
        if self.target_count == 0:
            raise SpecError("target", f"{self.target} is not realized by any setting ({self.source}): "
                            "the posterior is undefined once S covers the domain; use a realizable target")

    # ---- one training set
    def training_mask(self, training) -> int:
        """Bitmask of a training set given as point indices, or as points of the domain."""
        spec = getattr(getattr(self, "prior", None), "spec", None)
        points = spec.domain.points if spec is not None else None
        return sum(1 << i for i in check_indices(training, self.n, points))

    def given(self, training, tables=False) -> Posterior:
        """The exact posterior for one training set (indices or points; repeats are harmless)."""
        U = self.training_mask(training)
        fit = sum(c for m, c in self.mask_counts.items() if not m & U)
        if fit == 0:
            raise SpecError("training", "no parameter setting fits this training set: the posterior is undefined")
        err = sum(Fraction(c) * self.loss(m) for m, c in self.mask_counts.items() if not m & U) / fit
        probs = None
        if tables:
            prior = getattr(self, "prior", None)
            if prior is None:
                raise SpecError("tables", "per-table posteriors need a family built from a prior")
            idx = [i for i in range(self.n) if U >> i & 1]
            probs = {t: Fraction(c, fit) for t, c in prior.counts.items() if all(t[i] == self.target[i] for i in idx)}
        pts = tuple(i for i in range(self.n) if U >> i & 1)
        return Posterior(pts, fit, self.total, err, probs)

    # ---- dense per-set arrays (exact sums)
    def _check_exact(self):
        if self.n > MAX_EXACT_POINTS:
            raise SpecError("--domain", f"exact sums over training sets need |X| <= {MAX_EXACT_POINTS} points "
                            f"(got {self.n}); use PosteriorFamily.estimate (Monte Carlo over S)")

    @cached_property
    def _dense(self):
        self._check_exact()
        n, size = self.n, 1 << self.n
        big = self.total * self.W >= _INT64_SAFE
        dt = object if big else np.int64
        A = np.zeros(size, dtype=dt)
        for m, c in self.mask_counts.items():
            A[m] = c
        a_of = np.zeros(size, dtype=np.int64)
        for i in range(n):
            a_of[1 << i] = self.a[i]
        a_of = _zeta(a_of, n)  # loss numerator of every mask
        pop = _zeta(_singletons((1,) * n, n), n)  # |U| of every mask
        fit = _zeta(A.copy(), n)[::-1].copy()  # fit[U] = sum of A[m] over m disjoint from U
        # group the sets U by (|U|, fit[U]): every per-set ratio has denominator fit[U]
        keys = {}
        gid = np.empty(size, dtype=np.int64)
        for U, key in enumerate(zip(pop.tolist(), fit.tolist())):
            gid[U] = keys.setdefault(key, len(keys))
        order = np.argsort(gid, kind="stable")
        starts = np.flatnonzero(np.r_[True, np.diff(gid[order]) != 0])
        gkeys = list(keys)  # in id order == sorted group order
        return dict(A=A, a_of=a_of, pop=pop, fit=fit, order=order, starts=starts, gkeys=gkeys, dtype=dt)

    def _per_set(self, which, eps=None, strict=False):
        """Numerators per training set U (denominator: fit[U], or total for 'fit'); cached."""
        key = (which, None if eps is None else parse_rate(eps, "eps", "loss threshold"), strict)
        cache = self.__dict__.setdefault("_per_set_cache", {})
        if key not in cache:
            cache[key] = self._per_set_uncached(which, eps, strict)
        return cache[key]

    def _per_set_uncached(self, which, eps, strict):
        d = self._dense
        if which == "fit":
            return d["fit"]
        A, a_of = d["A"], d["a_of"]
        if which == "err":
            B = A * a_of.astype(d["dtype"]) if d["dtype"] is object else A * a_of
        else:  # tail
            eps = Fraction(eps)
            lhs = a_of.astype(object) * eps.denominator
            rhs = eps.numerator * self.W
            sel = np.array([(x > rhs) if strict else (x >= rhs) for x in lhs.tolist()], dtype=bool)
            B = np.where(sel, A, 0).astype(d["dtype"])
        return _zeta(B.copy(), self.n)[::-1].copy()

    def _group_sums(self, num, weight=None):
        """Per group (|U|, fit[U]): sum over its sets of num[U] * weight[U] (exact ints)."""
        d = self._dense
        vals = num.astype(object) if weight is None else num.astype(object) * weight
        vals = vals[d["order"]]
        return np.add.reduceat(vals, d["starts"]).tolist() if len(vals) else []

    def _expect(self, N, num, per_set_den):
        """E_S[num[U] / den(U)] for N i.i.d. draws; den(U) = fit[U] or the constant total."""
        d = self._dense
        n = self.n
        if self.uniform:
            cache = self.__dict__.setdefault("_by_size_cache", {})
            hit = cache.get((id(num), per_set_den))
            if hit is None or hit[0] is not num:
                by_size = [Fraction(0)] * (n + 1)
                for (k, f), s in zip(d["gkeys"], self._group_sums(num)):
                    if s:
                        by_size[k] += Fraction(s, f if per_set_den else self.total)
                hit = cache[(id(num), per_set_den)] = (num, by_size)
            by_size = hit[1]
            return sum((Fraction(surjections(N, k), n**N) * v for k, v in enumerate(by_size) if v), Fraction(0))
        M = _mobius(_zeta(_singletons(self.a, n), n).astype(object) ** N, n)  # W^N P(U)
        sums = self._group_sums(num, M)
        out = Fraction(0)
        for (k, f), s in zip(d["gkeys"], sums):
            if s:
                out += Fraction(s, f if per_set_den else self.total)
        return out / Fraction(self.W) ** N

    # ---- averages over S ~ D^N (exact)
    def fit_probability(self, N) -> Fraction:
        """E_S[P_theta(h_theta fits S)]: the expected optimal-set volume, exact."""
        return self._expect(check_sample_size(N), self._per_set("fit"), per_set_den=False)

    def expected_error(self, N) -> Fraction:
        """E_S E_(h~P_S) L_D(h), exact."""
        self._need_realizable()
        return self._expect(check_sample_size(N), self._per_set("err"), per_set_den=True) / self.W

    def tail_probability(self, N, eps, strict=False) -> Fraction:
        """P_(S, h~P_S)(L_D(h) >= eps) (``> eps`` with ``strict``), exact."""
        self._need_realizable()
        return self._expect(check_sample_size(N), self._per_set("tail", eps, strict), per_set_den=True)

    def set_distribution(self, N):
        """{|U|: P(|distinct set| = |U|)}, and per set U the exact P(distinct set = U)
        as a list indexed by mask (small domains; for tests and reports)."""
        self._check_exact()
        n = self.n
        if self.uniform:
            per = [Fraction(surjections(N, bin(U).count("1")), n**N) for U in range(1 << n)]
        else:
            M = _mobius(_zeta(_singletons(self.a, n), n).astype(object) ** check_sample_size(N), n)
            per = [Fraction(int(x), self.W**N) for x in M.tolist()]
        return per

    def expected_kl(self, N) -> float:
        """E_S[KL(P_S || P)] = E_S[-ln P(fits S)] (float report)."""
        per = self.set_distribution(N)
        fit = self._dense["fit"].tolist()
        lt = math.log(self.total)
        return float(sum(float(p) * (lt - math.log(f)) for p, f in zip(per, fit) if p and f))

    def min_fit_probability(self) -> Fraction:
        """min over all training sets of P(fits S) (attained at S = X: that is rho~)."""
        return Fraction(int(min(self._dense["fit"].tolist())), self.total)

    def curve(self, n_max, eps=(), strict=False, kl=False):
        """Exact :class:`CurvePoint` for every N in 0..n_max."""
        n_max = check_sample_size(n_max, "--n-max")
        self._need_realizable()
        fitn, errn = self._per_set("fit"), self._per_set("err")
        tails = {parse_rate(e, "eps", "loss threshold"): self._per_set("tail", e, strict) for e in eps}
        out = []
        for N in range(n_max + 1):
            out.append(CurvePoint(
                N,
                self._expect(N, errn, True) / self.W,
                self._expect(N, fitn, False),
                {e: self._expect(N, t, True) for e, t in tails.items()},
                self.expected_kl(N) if kl else None,
            ))
        return out

    # ---- Monte Carlo over S (labelled estimates)
    def estimate(self, N, samples=2000, seed=0, z=3.0, eps=()):
        """Monte Carlo estimates over S of the curve values at N (for large domains).

        Each sampled S gets its exact posterior quantities; only the average over S is
        estimated. Returns ``{"expected_error": Estimate, "fit_probability": Estimate,
        "tail": {eps: Estimate}}``.
        """
        N = check_sample_size(N)
        self._need_realizable()
        rng = np.random.default_rng(seed)
        masks = list(self.mask_counts)
        counts = np.array([self.mask_counts[m] for m in masks], dtype=object)
        D = np.zeros((self.n, len(masks)), dtype=bool)  # D[x, f]: function f disagrees at x
        for j, m in enumerate(masks):
            for i in range(self.n):
                if m >> i & 1:
                    D[i, j] = True
        lossnum = np.array([sum(self.a[i] for i in range(self.n) if m >> i & 1) for m in masks], dtype=object)
        weighted = counts * lossnum
        eps = [parse_rate(e, "eps", "loss threshold") for e in eps]
        tail_sel = {e: np.array([Fraction(int(x), self.W) >= e for x in lossnum.tolist()], dtype=bool) for e in eps}
        p = None if self.uniform else np.array([float(x) for x in self.weights])
        errs, fits, tails = [], [], {e: [] for e in eps}
        for _ in range(samples):
            pts = np.unique(rng.choice(self.n, size=N, p=p)) if N else np.zeros(0, dtype=np.int64)
            ok = ~D[pts].any(axis=0) if len(pts) else np.ones(len(masks), dtype=bool)
            f = int(counts[ok].sum())
            fits.append(f / self.total)
            errs.append(float(Fraction(int(weighted[ok].sum()), self.W * f)))
            for e in eps:
                tails[e].append(float(Fraction(int(counts[ok & tail_sel[e]].sum()), f)))
        mk = lambda xs: Estimate.of_mean(float(np.mean(xs)), samples, z)  # noqa: E731
        return {"expected_error": mk(errs), "fit_probability": mk(fits), "tail": {e: mk(v) for e, v in tails.items()}}


# --------------------------------------------------------------------------- helpers


def _mask(table, target) -> int:
    m = 0
    for i, (a, b) in enumerate(zip(table, target)):
        if a != b:
            m |= 1 << i
    return m


def _singletons(a, n):
    out = np.zeros(1 << n, dtype=np.int64)
    for i in range(n):
        out[1 << i] = a[i]
    return out


def _zeta(values, n):
    """In place: values[m] <- sum of values[s] over the subsets s of m."""
    for i in range(n):
        v = values.reshape(-1, 2, 1 << i)
        v[:, 1, :] += v[:, 0, :]
    return values


def _mobius(values, n):
    """In place: the inverse of :func:`_zeta` (alternating sums over subsets)."""
    for i in range(n):
        v = values.reshape(-1, 2, 1 << i)
        v[:, 1, :] -= v[:, 0, :]
    return values


# --------------------------------------------------------------------------- conveniences


def posterior(prior, target, training, weights=None) -> Posterior:
    """The exact posterior P_S over tables for one training set (indices or points).

    >>> from enumerate import NetworkSpec, count_prior
    >>> prior = count_prior(NetworkSpec.parse("fc:2,1", "-1,0,1", "sign", "01"), progress=False)
    >>> post = posterior(prior, "---+", [3])      # one example: (1, 1) -> +
    >>> post.fit_probability, sorted(post.probabilities.items())[:2]
    (Fraction(10, 27), [('++++', Fraction(2, 5)), ('++-+', Fraction(1, 10))])
    """
    return PosteriorFamily.of(prior, target, weights).given(training, tables=True)


#: seconds per (row, row) pair of an exact curve: its numbers grow with n, so the work is
#: quadratic in n_max (measured: fc:2,2,1 on 4 points, 27 s for n_max = 2000)
CURVE_SECONDS_PER_PAIR = 1e-5


def curve_cost(spec, n_max):
    """The cost of an exact learning curve up to ``n_max``, stated before the work as a
    :class:`~enumerate.counting.budget.Cost`: the exact values' digits grow with n, so time
    and memory grow with n_max squared (and with log |X|).

    >>> from enumerate import NetworkSpec
    >>> spec = NetworkSpec.parse("fc:2,2,1", "-1,0,1")
    >>> curve_cost(spec, 2000).describe(), curve_cost(spec, 10**9).seconds > 3600
    ('~40 s and ~32 MiB', True)
    """
    from ..counting.budget import Cost

    rows = check_sample_size(n_max, "--n-max") + 1
    digits = max(1.0, math.log2(max(len(spec.domain), 2)) / 2)
    return Cost("curve", f"computes {rows:,} exact points of the learning curve",
                CURVE_SECONDS_PER_PAIR * rows * rows * digits, int(8 * rows * rows * digits) + 2**20)


def learning_curve(prior, target, n_max, eps=(), weights=None):
    """Exact learning curve (a list of :class:`CurvePoint`, N = 0..n_max).

    Examples
    --------
    >>> from enumerate import NetworkSpec, count_prior
    >>> prior = count_prior(NetworkSpec.parse("fc:2,1", "-1,0,1"), progress=False)
    >>> [str(p.expected_error) for p in learning_curve(prior, "---+", 3)]
    ['11/27', '25/72', '79/288', '1553/7488']
    """
    return PosteriorFamily.of(prior, target, weights).curve(n_max, eps)


def lemma_sample_size(rho, eps, delta) -> int:
    """The paper's sample-size lemma: the smallest integer N >= (-ln rho~ + 3 ln(2/delta)) / eps.

    Decided exactly (sympy evaluates the logarithms to whatever precision the ceiling
    needs).

    >>> from fractions import Fraction as F
    >>> lemma_sample_size(F(1, 8), F(1, 4), F(1, 10))
    45
    """
    import sympy

    r, e, d = (sympy.Rational(Fraction(x).numerator, Fraction(x).denominator) for x in (rho, eps, delta))
    if not (0 < r <= 1 and 0 < e <= 1 and 0 < d < 1):
        raise SpecError("lemma", "need 0 < rho <= 1, 0 < eps <= 1, 0 < delta < 1")
    return max(0, int(sympy.ceiling((-sympy.log(r) + 3 * sympy.log(2 / d)) / e)))

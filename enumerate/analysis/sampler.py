"""A real guess-and-check sampler: draw parameter settings uniformly, keep those that fit S.

Every draw is a uniform setting of the whole network (each hidden unit's (weights, bias,
scale) digit uniform in its range, each readout weight and the readout bias uniform in
Q), evaluated in exact integer arithmetic by the brute-force enumerator's numba kernels
(:mod:`enumerate.counting.kernels.brute`), on every core. Results are *estimates*: the acceptance
rate estimates the optimal-set volume P(fits S), the mean test error of the accepted
settings estimates E_(h~P_S) L_D(h); both come with Wilson confidence intervals
(:class:`~enumerate.analysis.posterior.Estimate`). The tests check them against the exact numbers
of :mod:`enumerate.analysis.posterior`.

>>> from enumerate import NetworkSpec
>>> spec = NetworkSpec.parse("fc:2,1", "-1,0,1", "sign", "01")
>>> res = guess_and_check(spec, "---+", [3], tries=20000, seed=1)
>>> res.acceptance.contains(Fraction(10, 27)), res.tries
(True, 20000)
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .._support.cores import workers
from .kernels.sampler import guess_check, sample_labels
from .posterior import Estimate
from ..core.spec import SpecError
from ..core.validate import check_indices, check_table, check_weights

__all__ = ["guess_and_check", "guess_and_check_curve", "sample_tables", "SamplerResult"]

_ZL = {"-1": 0, "+1": 1, "0": 2}


# --------------------------------------------------------------------------- kernels


# --------------------------------------------------------------------------- problem


class _Net:
    """The kernel arrays of a spec (shared with the brute-force enumerator)."""

    def __init__(self, spec):
        from ..counting.brute import KernelProblem

        try:
            self.p = KernelProblem(spec)
        except OverflowError:
            raise SpecError("--arch", "a hidden unit has >= 2^63 parameter settings; too wide for the sampler") from None
        self.spec = spec

    def args(self, acts):
        p = self.p
        return (p.radix[: len(p.unit_layer)], p.unit_layer, p.unit_chan, p.qi, p.gi, p.scaled, acts, p.npos,
                p.kern, p.strd, p.cin, p.bias_mult, p.clamp, p.act_code, p.lpos, p.lneg, p.H, p.last_c, p.last_n,
                p.pool, p.F, p.out_bm, p.zl, p.nX)


def _target_labels(spec, target):
    table = target if isinstance(target, str) else target.table
    check_table(table, len(spec.domain), spec.zero_label, "target")
    return table, np.array([{"+": 1, "-": -1, "0": 0}[c] for c in table], dtype=np.int8)


def _weights(spec, weights):
    w = weights if weights is not None else spec.domain.weights
    n = len(spec.domain)
    w = (Fraction(1, n),) * n if w is None else check_weights(w, n)
    W = math.lcm(*(x.denominator for x in w))
    return w, W, np.array([int(x * W) for x in w], dtype=np.int64)


def _train_indices(spec, training):
    return np.array(check_indices(training, len(spec.domain), spec.domain.points), dtype=np.int64)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class SamplerResult:
    """Guess-and-check outcome (estimates, not exact numbers).

    ``tries`` draws, ``accepted`` of them fit S; ``acceptance`` estimates P(fits S);
    ``test_error`` estimates E_(h~P_S) L_D(h) from the accepted draws (None if none);
    ``losses`` are the accepted draws' exact test errors.

    Examples
    --------
    >>> from enumerate import NetworkSpec
    >>> res = guess_and_check(NetworkSpec.parse("fc:1,1", "-1,0,1"), "-+", [0, 1], tries=2000, seed=3)
    >>> res.tries, res.acceptance.contains(Fraction(1, 9)), all(x == 0 for x in res.losses)
    (2000, True, True)
    """

    tries: int
    accepted: int
    acceptance: Estimate
    test_error: Estimate | None
    losses: tuple

    def to_json(self):
        return {"tries": self.tries, "accepted": self.accepted, "acceptance": self.acceptance.to_json(),
                "test_error": self.test_error and self.test_error.to_json()}


def guess_and_check(spec, target, training, *, tries=100_000, max_accept=0, seed=0, z=3.0, weights=None,
                    threads=None) -> SamplerResult:
    """Draw ``tries`` uniform settings (split over ``threads``), keep those that fit S.

    Parameters
    ----------
    spec : NetworkSpec
    target : str or Teacher
        The labels of the training set (a truth table).
    training : iterable of int or points
        The training set S (repeats do not matter).
    tries : int
        Draws in total; with ``max_accept > 0`` each thread stops after that many accepts.
    seed : int
        Thread i uses seed ``seed * 1000 + i``: a run is reproducible for a fixed thread count.
    z : float
        Width of the Wilson intervals in standard deviations.
    weights : sequence of Fractions or None
        The data distribution for the test error (default: the domain's, else uniform).
    threads : int or None
        Worker threads (``None``: every core).

    Returns
    -------
    SamplerResult

    Examples
    --------
    >>> from enumerate import NetworkSpec
    >>> res = guess_and_check(NetworkSpec.parse("fc:2,1", "-1,0,1"), "---+", [3], tries=5000, seed=2)
    >>> res.acceptance.contains(Fraction(10, 27)), res.tries
    (True, 5000)
    """
    if tries < 1:
        raise SpecError("tries", "need at least one draw")
    table, tlab = _target_labels(spec, target)
    _w, W, lossnum = _weights(spec, weights)
    train = _train_indices(spec, training)
    net = _Net(spec)
    k = min(workers(threads), tries)
    share = [tries // k + (1 if i < tries % k else 0) for i in range(k)]
    cap = [s if max_accept <= 0 else min(s, max_accept) for s in share]
    bufs = [np.zeros(c, dtype=np.int64) for c in cap]

    def work(i):
        return guess_check(seed * 1000 + i, share[i], max_accept, train, tlab, lossnum,
                            *net.args(net.p.acts.copy()), bufs[i])

    with ThreadPoolExecutor(k) as pool:
        out = list(pool.map(work, range(k)))
    made = sum(t for t, _a in out)
    acc = sum(a for _t, a in out)
    losses = tuple(Fraction(int(v), W) for (_t, a), b in zip(out, bufs) for v in b[:a])
    acceptance = Estimate.of_mean(acc / made, made, z)
    err = Estimate.of_mean(float(sum(losses) / len(losses)), len(losses), z) if losses else None
    return SamplerResult(made, acc, acceptance, err, losses)


def guess_and_check_curve(spec, target, N, *, sets=1000, max_tries=1_000_000, seed=0, z=3.0, weights=None):
    """Monte Carlo learning-curve point at N: the paper's algorithm, run ``sets`` times.

    For each of ``sets`` training sets S ~ D^N (labelled by ``target``), draw settings
    until one fits S and record its test error: the mean estimates E_S E_(h~P_S) L_D(h).
    The first draw of each S fits with probability exactly E_S[P(fits S)], so the
    first-draw acceptance rate estimates the expected optimal-set volume.

    Returns ``{"expected_error": Estimate, "fit_probability": Estimate, "draws": int,
    "gave_up": int}`` (``gave_up`` counts sets with no fit within ``max_tries``; those
    sets are left out of the error estimate, which is then biased: it is reported).

    Examples
    --------
    >>> from enumerate import NetworkSpec
    >>> out = guess_and_check_curve(NetworkSpec.parse("fc:2,1", "-1,0,1"), "---+", 1, sets=300, seed=1)
    >>> out["expected_error"].contains(Fraction(25, 72)), out["gave_up"]
    (True, 0)
    """
    table, tlab = _target_labels(spec, target)
    w, W, lossnum = _weights(spec, weights)
    if N < 0:
        raise SpecError("N", "training-set size must be >= 0")
    net = _Net(spec)
    rng = np.random.default_rng(seed)
    p = np.array([float(x) for x in w])
    acts = net.p.acts.copy()
    buf = np.zeros(1, dtype=np.int64)
    errs, first, draws, gave_up = [], 0, 0, 0
    for j in range(sets):
        train = np.unique(rng.choice(len(w), size=N, p=p)).astype(np.int64) if N else np.zeros(0, np.int64)
        t, a = guess_check(seed * 100_003 + j, max_tries, 1, train, tlab, lossnum, *net.args(acts), buf)
        draws += t
        if a:
            errs.append(buf[0] / W)
            first += t == 1
        else:
            gave_up += 1
    return {
        "expected_error": Estimate.of_mean(float(np.mean(errs)) if errs else 0.0, len(errs), z),
        "fit_probability": Estimate.of_mean(first / sets, sets, z),
        "draws": draws,
        "gave_up": gave_up,
    }


def sample_tables(spec, draws, seed=0):
    """Truth tables of ``draws`` uniform parameter settings (a Monte Carlo prior sample).

    >>> from enumerate import NetworkSpec
    >>> len(sample_tables(NetworkSpec.parse("fc:2,1", "-1,0,1", "sign", "01"), 5))
    5
    """
    from ..core.forward import tables

    net = _Net(spec)
    out = np.zeros((int(draws), net.p.nX), dtype=np.int8)
    sample_labels(seed, out, *net.args(net.p.acts.copy()))
    return tables(out)

"""Claims ``linear-dynamics-*``: the Advani & Saxe (2017) linear teacher-student dynamics.

The model and equations are stated in :mod:`proofs.linear_dynamics`. Checked:

* ``linear-dynamics-solution`` (sympy): eq. (4) solves the decoupled flow (3) with the
  right initial value; its Gaussian average is the bracket of eq. (1); a zero
  eigenvalue keeps sigma_w^2 + sigma_w0^2; the test error of a weight error a is
  |a|^2/N + sigma_eps^2.
* ``linear-dynamics-simulation`` (numpy, seeded): plain gradient descent on random
  instances; on each instance the mean generalization error over many teachers, starts
  and noise draws matches eq. (1) on that instance's own eigenvalues, and the mean over
  instances matches the Marchenko-Pastur average. Tolerance: 4 standard errors of the
  simulated mean plus 1% (the Euler step, dt = 0.01 tau / lambda_max) for eq. (1),
  plus 5% (finite N) for Marchenko-Pastur.
* ``linear-dynamics-spectrum``: the spectrum of X X^T has exactly N - P zero
  eigenvalues (a fraction max(0, 1 - alpha)); the nonzero ones follow the
  Marchenko-Pastur law (Kolmogorov distance <= 6/m for m nonzero eigenvalues, where
  the rigid spectrum gives about 3/m); the quadrature of the law has
  mass 1, mean alpha and second moment alpha (1 + alpha).
* ``linear-dynamics-asymptotics``: at t -> inf the Marchenko-Pastur average equals the
  closed form :func:`~proofs.linear_dynamics.error_at_infinity` (relative 1e-6), which
  matches the exact finite-N inverse-Wishart expectation on random instances
  (4 standard errors), peaks at alpha = 1 (alpha-distance d times E_g -> sigma_eps^2)
  and there E_g(t) grows without bound; at the best early-stopping time E_g is finite
  for every alpha, between the per-mode oracle bound and min(E_g(0), E_g(inf)).

Each checker takes the formulas as arguments, so a test can inject a wrong one and see
FAIL.

>>> check_solution().passed
True
"""

from __future__ import annotations

import numpy as np

from .. import linear_dynamics as ld
from .registry import ClaimResult, claim

__all__ = ["PARAMS", "check_solution", "check_simulation", "check_spectrum", "check_asymptotics"]

#: the variances used by the numerical claims: sigma_w^2, sigma_w0^2, sigma_eps^2, tau
PARAMS = dict(sigma_w2=1.0, sigma_w0_2=0.5, sigma_eps2=0.25, tau=1.0)

SOLUTION = "eq. (4) solves tau z' = (zbar - z) lambda + eps sqrt(lambda); its average is eq. (1) (sympy)"
SIMULATION = "gradient descent follows eq. (1) on each instance's spectrum, and the Marchenko-Pastur average over instances"
SPECTRUM = "spectrum of X X^T: fraction max(0, 1-alpha) of zeros, the rest Marchenko-Pastur"
ASYMPTOTICS = "E_g(t->inf) closed form, infinite peak at alpha = 1; E_g at the best stopping time finite for every alpha"

_SIM = {"small": dict(n=30, instances=4, repeats=150, alphas=(0.5, 2.0)),
        "default": dict(n=40, instances=8, repeats=200, alphas=(0.5, 0.8, 2.0)),
        "full": dict(n=50, instances=8, repeats=200, alphas=(0.25, 0.5, 0.8, 1.25, 2.0, 4.0))}
_SPEC = {"small": 200, "default": 400, "full": 1000}
_ALPHAS = (0.25, 0.5, 0.8, 1.0, 1.25, 2.0, 4.0)
_TIMES = (0.0, 0.5, 2.0, 4.0)


def _result(name, statement, cases, bad, figures):
    return ClaimResult(name, statement, cases, bad is None, figures, bad)


def check_solution(solution=None, formula=None) -> ClaimResult:
    """``linear-dynamics-solution``; ``solution`` / ``formula`` as in
    :func:`proofs.linear_dynamics.derivation` (inject a wrong one to see FAIL)."""
    res = ld.derivation(solution, formula)
    bad = next((f"{k}: residual {v} != 0" for k, v in res.items() if v != 0), None)
    return _result("linear-dynamics-solution", SOLUTION, len(res), bad, {"residuals": "all 0" if bad is None else "nonzero"})


def check_simulation(sweep="small", formula=ld.generalization_error, mp_formula=ld.mp_generalization_error,
                     seed=2017) -> ClaimResult:
    """``linear-dynamics-simulation``; ``formula(t, eigenvalues, **PARAMS)`` is eq. (1) and
    ``mp_formula(t, alpha, **PARAMS)`` its Marchenko-Pastur average."""
    cfg = _SIM[sweep]
    rng = np.random.default_rng(seed)
    n, cases, bad, worst, worst_mp = cfg["n"], 0, None, 0.0, 0.0
    times = np.array(_TIMES)
    for alpha in cfg["alphas"]:
        p = int(round(alpha * n))
        means = []
        for k in range(cfg["instances"]):
            X = ld.random_data(n, p, rng)
            mean, sem = ld.simulate_gradient_descent(X, times, rng=rng, repeats=cfg["repeats"], **PARAMS)
            ratio, msg = _compare(mean, sem, formula(times, ld.spectrum(X), **PARAMS), 0.01, "eq. (1)")
            worst, bad = max(worst, ratio), bad or (msg and f"N={n} alpha={alpha} instance {k}, {msg}")
            means.append(mean)
        means = np.array(means)
        sem = means.std(axis=0, ddof=1) / np.sqrt(len(means))
        ratio, msg = _compare(means.mean(axis=0), sem, mp_formula(times, alpha, **PARAMS), 0.05, "Marchenko-Pastur")
        worst_mp, bad = max(worst_mp, ratio), bad or (msg and f"N={n} alpha={alpha} instance average, {msg}")
        cases += len(times) * (len(means) + 1)
    return _result("linear-dynamics-simulation", SIMULATION, cases, bad, {
        "N": n, "alphas": ",".join(map(str, cfg["alphas"])),
        "max |sim - eq.(1)| / tol": f"{worst:.3g}", "max |avg - MP| / tol": f"{worst_mp:.3g}"})


def _compare(mean, sem, pred, rel, what):
    """(max |mean - pred| / tol, a failure message or None) with tol = 4 sem + rel * pred."""
    err = np.abs(mean - pred) / (4 * sem + rel * pred)
    j = int(np.argmax(err))
    msg = f"t={_TIMES[j]}: simulated {mean[j]:.5f} vs {what} {pred[j]:.5f}" if err[j] > 1 else None
    return float(err[j]), msg


def check_spectrum(sweep="small", cdf=ld.mp_cdf, seed=1) -> ClaimResult:
    """``linear-dynamics-spectrum``; ``cdf(lam, alpha)`` is the Marchenko-Pastur
    distribution function (zero mass included)."""
    n = _SPEC[sweep]
    rng = np.random.default_rng(seed)
    cases, bad, worst = 0, None, 0.0
    for alpha in _ALPHAS:
        p = int(round(alpha * n))
        lam = ld.spectrum(ld.random_data(n, p, rng))
        zeros = int(np.sum(lam == 0))
        zero_mass = float(cdf(np.zeros(1), alpha)[0])
        cases += 1
        if zeros != max(0, n - p) or abs(zero_mass - max(0.0, 1 - alpha)) > 1e-12:
            bad = bad or f"alpha={alpha}: {zeros} zero eigenvalues of {n} (expected {max(0, n - p)}), law's zero mass {zero_mass}"
        nz = np.sort(lam[lam > 0])
        mass = 1 - zero_mass
        F = (np.asarray(cdf(nz, alpha)) - zero_mass) / mass  # the law of a nonzero eigenvalue
        m = len(nz)
        ks = float(max(np.max(np.arange(1, m + 1) / m - F), np.max(F - np.arange(m) / m)))
        worst = max(worst, ks * m)
        cases += 1
        if ks > 6 / m and bad is None:
            bad = f"alpha={alpha} N={n}: Kolmogorov distance {ks:.4f} > 6/{m} (m = nonzero eigenvalues)"
        moments = [float(ld.mp_average(lambda x, k=k: x**k, alpha)) for k in (0, 1, 2)]
        cases += 1
        if not np.allclose(moments, [1.0, alpha, alpha * (1 + alpha)], rtol=1e-9) and bad is None:
            bad = f"alpha={alpha}: quadrature moments {moments} != [1, alpha, alpha (1 + alpha)]"
    return _result("linear-dynamics-spectrum", SPECTRUM, cases, bad, {
        "N": n, "alphas": len(_ALPHAS), "max m * Kolmogorov distance": f"{worst:.3g} (allowed 6)"})


def check_asymptotics(sweep="small", at_infinity=ld.error_at_infinity, formula=ld.mp_generalization_error,
                      seed=3) -> ClaimResult:
    """``linear-dynamics-asymptotics``; ``at_infinity(alpha, ...)`` is the closed form at
    t -> inf and ``formula(t, alpha, ...)`` the Marchenko-Pastur average of eq. (1)."""
    kw = {k: v for k, v in PARAMS.items() if k != "tau"}
    A, s2 = kw["sigma_w2"] + kw["sigma_w0_2"], kw["sigma_eps2"]
    cases, bad = 0, None

    def fail(msg):
        nonlocal bad
        bad = bad or msg

    # 1. closed form vs quadrature at t = inf, including close to the peak
    grid = [a for a in np.round(np.arange(0.1, 4.01, 0.1), 10) if a != 1.0] + [0.99, 0.999, 1.001, 1.01]
    for a in grid:
        nodes = int(min(200_000, max(400, 40 / abs(a - 1))))
        q = float(formula(np.inf, a, nodes=nodes, **PARAMS))
        c = float(at_infinity(a, **kw))
        cases += 1
        if not abs(q - c) <= 1e-6 * abs(c):
            fail(f"alpha={a}: quadrature E_g(inf) = {q:.8g} vs closed form {c:.8g}")
    # 2. the finite-N expectation over instances (inverse-Wishart means) vs random instances
    rng = np.random.default_rng(seed)
    n = 60 if sweep == "small" else 120
    for a in (0.5, 2.0):
        p = int(a * n)
        vals = np.array([float(ld.generalization_error(np.inf, ld.spectrum(ld.random_data(n, p, rng)), **PARAMS))
                         for _ in range(40)])
        exact = A * max(0, n - p) / n + s2 * (p / (n - p - 1) if p < n else n / (p - n - 1)) + s2
        cases += 1
        if abs(vals.mean() - exact) > 4 * vals.std(ddof=1) / np.sqrt(len(vals)):
            fail(f"N={n} alpha={a}: instances' E_g(inf) {vals.mean():.5f} vs inverse-Wishart mean {exact:.5f}")
        if abs(exact - at_infinity(a, **kw)) > 0.15 * exact:
            fail(f"alpha={a}: finite-N mean {exact:.5f} far from the limit {at_infinity(a, **kw):.5f}")
    # 3. the peak at alpha = 1: d * E_g(1 +- d) -> sigma_eps^2, maximum of the grid next to 1
    for d in (1e-2, 1e-3):
        for a in (1 - d, 1 + d):
            cases += 1
            if abs(d * float(at_infinity(a, **kw)) - s2) > 2 * d * (A + 2 * s2):
                fail(f"alpha={a}: d * E_g(inf) = {d * at_infinity(a, **kw):.6g}, expected -> sigma_eps^2 = {s2}")
    vals = {a: float(at_infinity(a, **kw)) for a in grid}
    top = max(vals, key=vals.get)
    cases += 1
    if abs(top - 1) > 1e-3 + 1e-12:
        fail(f"E_g(inf) is largest at alpha={top}, not next to alpha = 1")
    cases += 1
    if np.isfinite(at_infinity(1.0, **kw)):
        fail("E_g(inf) is finite at alpha = 1 with noise")
    grow = formula(np.array([1e2, 1e4, 1e6]), 1.0, nodes=20_000, **PARAMS)
    cases += 1
    if not (grow[1] > 5 * grow[0] and grow[2] > 5 * grow[1]):
        fail(f"at alpha = 1, E_g(t) at t = 1e2, 1e4, 1e6 = {grow} does not grow without bound")
    # 4. the best early-stopping time
    worst_gap = 0.0
    for a in _ALPHAS + (0.999, 1.001):
        t, e = ld.best_stopping(a, **PARAMS)
        lo = ld.oracle_bound(a, **kw)
        e0 = float(formula(0.0, a, **PARAMS))
        einf = float(at_infinity(a, **kw))
        near = formula(np.array([t * 0.9, t * 1.1]), a, **PARAMS)
        cases += 1
        if not (np.isfinite(e) and lo - 1e-9 <= e <= min(e0, einf) + 1e-12 and np.all(near >= e - 1e-12)):
            fail(f"alpha={a}: best stopping t*={t:.4g}, E_g={e:.6g} not in [oracle {lo:.6g}, "
                 f"min(E_g(0), E_g(inf)) = {min(e0, einf):.6g}] or not a local minimum")
        worst_gap = max(worst_gap, e - lo)
    e1 = ld.best_stopping(1.0, **PARAMS)[1]
    return _result("linear-dynamics-asymptotics", ASYMPTOTICS, cases, bad, {
        "E_g(t*) at alpha=1": f"{e1:.4g}", "max E_g(t*) - oracle": f"{worst_gap:.3g}"})


@claim("linear-dynamics-solution", SOLUTION)
def _solution(sweep):
    return check_solution()


@claim("linear-dynamics-simulation", SIMULATION)
def _simulation(sweep):
    return check_simulation(sweep)


@claim("linear-dynamics-spectrum", SPECTRUM)
def _spectrum(sweep):
    return check_spectrum(sweep)


@claim("linear-dynamics-asymptotics", ASYMPTOTICS)
def _asymptotics(sweep):
    return check_asymptotics(sweep)

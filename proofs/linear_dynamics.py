"""Gradient-descent dynamics of a linear teacher-student model (Advani & Saxe 2017).

Model (Advani & Saxe, "High-dimensional dynamics of generalization error in neural
networks", 2017, arXiv:1710.03667): ``X`` is an N x P data matrix (N features, P samples, entries
N(0, 1/N)), alpha = P/N; the teacher is y = w_bar X + eps with w_bar ~ N(0, sigma_w^2 I)
and label noise eps ~ N(0, sigma_eps^2); the student y^ = w X starts from
w(0) ~ N(0, sigma_w0^2 I) and follows the gradient flow tau w' = (y - w X) X^T.

In the eigenbasis of X X^T = V diag(lambda) V^T (w = z V^T) the flow decouples into

    tau z_i' = (z_bar_i - z_i) lambda_i + eps_i sqrt(lambda_i)                      (3)

with the solution

    z_bar_i - z_i(t) = (z_bar_i - z_i(0)) e^(-lambda_i t/tau)
                       - eps_i / sqrt(lambda_i) (1 - e^(-lambda_i t/tau)),          (4)

and the generalization error (test error on a fresh x and fresh noise, averaged over
teacher, initialisation and training noise) is

    E_g(t) = (1/N) sum_i [(sigma_w^2 + sigma_w0^2) e^(-2 lambda_i t/tau)
                          + sigma_eps^2/lambda_i (1 - e^(-lambda_i t/tau))^2] + sigma_eps^2.   (1)

A zero eigenvalue is a *frozen* direction: gradient descent never moves it, its term
stays sigma_w^2 + sigma_w0^2 (the lambda -> 0 limit of the bracket). For N, P -> inf
the eigenvalues follow the Marchenko-Pastur law of ratio alpha, with a point mass
max(0, 1 - alpha) at zero; averaging (1) over it gives the typical-dataset curve.

This module holds the formulas (numpy, vectorised), the Marchenko-Pastur law, the
closed forms at t -> inf, the best early-stopping time, a plain numpy gradient-descent
simulation and the sympy derivation; :mod:`proofs.claims.linear_dynamics` checks them.

>>> import numpy as np
>>> generalization_error([0.0, np.inf], [0.0, 1.0], sigma_w2=1.0, sigma_eps2=0.25).round(4).tolist()
[1.25, 0.875]
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "generalization_error",
    "mode_error",
    "spectrum",
    "random_data",
    "mp_edges",
    "mp_density",
    "mp_zero_mass",
    "mp_cdf",
    "mp_average",
    "mp_generalization_error",
    "error_at_infinity",
    "best_stopping",
    "oracle_bound",
    "simulate_gradient_descent",
    "derivation",
]

_NODES = 400  # midpoint-rule nodes for Marchenko-Pastur averages


# --------------------------------------------------------------------------- eq. (1)


def mode_error(t, lam, *, sigma_w2=1.0, sigma_w0_2=0.0, sigma_eps2=0.0, tau=1.0):
    """<(z_bar_i - z_i(t))^2> for eigenvalues ``lam`` >= 0 and times ``t`` (broadcast).

    The bracket of eq. (1): (sigma_w^2 + sigma_w0^2) e^(-2 lam t/tau)
    + sigma_eps^2/lam (1 - e^(-lam t/tau))^2; at lam = 0 (frozen direction) it is
    sigma_w^2 + sigma_w0^2. ``t`` may be ``inf``.

    >>> float(mode_error(1.0, 0.0, sigma_w2=2.0)), float(mode_error(float("inf"), 4.0, sigma_eps2=1.0))
    (2.0, 0.25)
    """
    t, lam = np.broadcast_arrays(np.asarray(t, dtype=float), np.asarray(lam, dtype=float))
    if np.any(lam < 0):
        raise ValueError("eigenvalues must be >= 0")
    if np.any(t < 0):
        raise ValueError("times must be >= 0")
    frozen = lam == 0
    safe = np.where(frozen, 1.0, lam)
    x = np.where(frozen, 0.0, safe * t / tau)
    decay = np.exp(-2 * x)
    grown = -np.expm1(-x)  # 1 - e^(-x), accurate for small x
    return (sigma_w2 + sigma_w0_2) * decay + np.where(frozen, 0.0, sigma_eps2 * grown**2 / safe)


def generalization_error(t, eigenvalues, *, sigma_w2=1.0, sigma_w0_2=0.0, sigma_eps2=0.0, tau=1.0):
    """E_g(t) of eq. (1) on a given spectrum, vectorised over ``t``.

    Parameters
    ----------
    t : float or array_like
        Times (>= 0, ``inf`` allowed); the result has the shape of ``t``.
    eigenvalues : array_like
        The N eigenvalues of X X^T (>= 0; zeros are the frozen subspace).
    sigma_w2, sigma_w0_2, sigma_eps2 : float
        Variances of the teacher weights, the initial student weights and the noise.
    tau : float
        Time constant of the gradient flow.

    Returns
    -------
    numpy.ndarray
        (1/N) sum_i mode_error(t, lambda_i) + sigma_eps^2.

    Examples
    --------
    >>> generalization_error([0.0, 1.0], [1.0], sigma_w2=1.0).round(4).tolist()   # e^(-2 t)
    [1.0, 0.1353]
    """
    lam = np.asarray(eigenvalues, dtype=float).ravel()
    if lam.size == 0:
        raise ValueError("need at least one eigenvalue")
    t = np.asarray(t, dtype=float)
    per = mode_error(t[..., None], lam, sigma_w2=sigma_w2, sigma_w0_2=sigma_w0_2, sigma_eps2=sigma_eps2, tau=tau)
    return per.mean(axis=-1) + sigma_eps2


# --------------------------------------------------------------------------- data


def random_data(n, p, rng):
    """An N x P data matrix with i.i.d. N(0, 1/N) entries.

    >>> random_data(3, 5, np.random.default_rng(0)).shape
    (3, 5)
    """
    return rng.standard_normal((n, p)) / np.sqrt(n)


def spectrum(X):
    """The eigenvalues of X X^T, ascending; those below a rounding threshold are set to 0.

    The threshold is N * max(N, P) * machine epsilon * lambda_max: X X^T of rank P < N
    has exactly N - P zero eigenvalues, which floating point returns as tiny numbers.

    >>> spectrum(np.array([[1.0, 0.0], [0.0, 0.0]])).tolist()
    [0.0, 1.0]
    """
    X = np.asarray(X, dtype=float)
    lam = np.linalg.eigvalsh(X @ X.T)
    cut = X.shape[0] * max(X.shape) * np.finfo(float).eps * max(lam[-1], 1e-300)
    return np.where(lam <= cut, 0.0, lam)


# --------------------------------------------------------------------------- Marchenko-Pastur


def mp_edges(alpha):
    """The support (lambda_-, lambda_+) = ((1 - sqrt(alpha))^2, (1 + sqrt(alpha))^2).

    >>> [float(x) for x in mp_edges(4.0)]
    [1.0, 9.0]
    """
    s = float(alpha) ** 0.5
    return (1 - s) ** 2, (1 + s) ** 2


def mp_zero_mass(alpha):
    """The point mass at 0 of the Marchenko-Pastur law: max(0, 1 - alpha).

    >>> mp_zero_mass(0.25), mp_zero_mass(2.0)
    (0.75, 0.0)
    """
    return max(0.0, 1.0 - float(alpha))


def mp_density(lam, alpha):
    """The continuous part of the Marchenko-Pastur density of X X^T (ratio alpha = P/N):

    rho(lambda) = sqrt((lambda_+ - lambda)(lambda - lambda_-)) / (2 pi lambda) on the
    support, 0 elsewhere. It integrates to min(1, alpha); the rest is the zero mass.

    >>> round(float(mp_density(2.0, 1.0)), 6)   # sqrt(2 * 2) / (4 pi)
    0.159155
    """
    lo, hi = mp_edges(alpha)
    lam = np.asarray(lam, dtype=float)
    inside = (lam > lo) & (lam < hi) & (lam > 0)
    val = np.sqrt(np.clip((hi - lam) * (lam - lo), 0, None)) / (2 * np.pi * np.where(inside, lam, 1.0))
    return np.where(inside, val, 0.0)


def _mp_nodes(alpha, nodes=_NODES):
    """Quadrature of the continuous part: lambda = m - r cos(theta), theta in (0, pi).

    With this substitution sqrt((lambda_+ - lambda)(lambda - lambda_-)) d lambda
    = r^2 sin^2(theta) d theta, and the integrand is a smooth even 2 pi-periodic function
    of theta, so the midpoint rule converges spectrally. The weights include the density."""
    lo, hi = mp_edges(alpha)
    m, r = (hi + lo) / 2, (hi - lo) / 2
    theta = (np.arange(nodes) + 0.5) * np.pi / nodes
    lam = m - r * np.cos(theta)
    weights = (np.pi / nodes) * r**2 * np.sin(theta) ** 2 / (2 * np.pi * lam)
    return lam, weights


def mp_average(f, alpha, nodes=_NODES):
    """Integral of f(lambda) over the Marchenko-Pastur law (zero mass included).

    ``f`` maps an array of eigenvalues (last axis) to values of the same shape.

    >>> round(float(mp_average(lambda lam: lam, 2.0)), 10)   # the mean eigenvalue is alpha
    2.0
    >>> round(float(mp_average(lambda lam: np.ones_like(lam), 0.5)), 10)
    1.0
    """
    lam, w = _mp_nodes(alpha, nodes)
    out = np.sum(f(lam) * w, axis=-1)
    z = mp_zero_mass(alpha)
    if z:
        out = out + z * f(np.zeros(1))[..., 0]
    return out


def mp_cdf(lam, alpha, nodes=4000):
    """The Marchenko-Pastur distribution function P(eigenvalue <= lam) (numerical).

    >>> [round(float(x), 4) for x in mp_cdf([0.0, 1.0, 9.0], 0.5)]
    [0.5, 0.788, 1.0]
    """
    lo, hi = mp_edges(alpha)
    m, r = (hi + lo) / 2, (hi - lo) / 2
    theta = np.linspace(0, np.pi, nodes + 1)
    g = r**2 * np.sin(theta) ** 2 / (2 * np.pi * (m - r * np.cos(theta)).clip(1e-300))
    g[0] = 0.0 if lo > 0 else g[1]  # at alpha = 1 the integrand tends to a finite limit
    cum = np.concatenate([[0.0], np.cumsum((g[1:] + g[:-1]) / 2 * np.diff(theta))])
    cum *= min(1.0, float(alpha)) / cum[-1]  # remove the (tiny) trapezoid error in the total
    lam = np.asarray(lam, dtype=float)
    th = np.arccos(np.clip((m - lam) / r, -1, 1))
    cont = np.interp(th, theta, cum)
    return np.where(lam < 0, 0.0, mp_zero_mass(alpha) + np.where(lam < lo, 0.0, cont))


def mp_generalization_error(t, alpha, *, sigma_w2=1.0, sigma_w0_2=0.0, sigma_eps2=0.0, tau=1.0, nodes=_NODES):
    """Eq. (1) averaged over the Marchenko-Pastur law (a typical data set), vectorised over t.

    >>> round(float(mp_generalization_error(0.0, 0.5, sigma_w2=1.0, sigma_w0_2=0.5)), 10)
    1.5
    """
    t = np.asarray(t, dtype=float)
    f = lambda lam: mode_error(t[..., None], lam, sigma_w2=sigma_w2, sigma_w0_2=sigma_w0_2,  # noqa: E731
                                sigma_eps2=sigma_eps2, tau=tau)
    return mp_average(f, alpha, nodes) + sigma_eps2


def error_at_infinity(alpha, *, sigma_w2=1.0, sigma_w0_2=0.0, sigma_eps2=0.0):
    """The t -> inf limit of the Marchenko-Pastur-averaged E_g, in closed form.

    Only the frozen directions keep their initial error and every other one converges to
    the noise fit sigma_eps^2/lambda, with the mean of 1/lambda over the nonzero part
    equal to alpha/(1 - alpha) (alpha < 1) or 1/(alpha - 1) (alpha > 1):

    E_g(inf) = (sigma_w^2 + sigma_w0^2) max(0, 1 - alpha) + sigma_eps^2 alpha/(1 - alpha) + sigma_eps^2
    for alpha < 1, sigma_eps^2/(alpha - 1) + sigma_eps^2 for alpha > 1, infinite at
    alpha = 1 when sigma_eps > 0 (the double-descent peak).

    >>> error_at_infinity(0.5, sigma_eps2=0.0), error_at_infinity(3.0, sigma_eps2=1.0)
    (0.5, 1.5)
    """
    a = float(alpha)
    frozen = (sigma_w2 + sigma_w0_2) * mp_zero_mass(a)
    if a == 1.0:
        return np.inf if sigma_eps2 > 0 else frozen
    noise = a / (1 - a) if a < 1 else 1 / (a - 1)
    return frozen + sigma_eps2 * noise + sigma_eps2


def best_stopping(alpha, *, sigma_w2=1.0, sigma_w0_2=0.0, sigma_eps2=0.0, tau=1.0, t_max=1e6):
    """The early-stopping time t* minimising the Marchenko-Pastur-averaged E_g, and E_g(t*).

    A log-spaced scan of t = 0 and [1e-3, t_max] * tau, refined by golden-section search
    between the scan neighbours of the smallest value.

    >>> t, e = best_stopping(1.0, sigma_eps2=0.5)
    >>> bool(0 < t < 100), round(float(e), 3)
    (True, 1.009)
    """
    ts = np.concatenate([[0.0], np.geomspace(1e-3, t_max, 241)]) * tau
    kw = dict(sigma_w2=sigma_w2, sigma_w0_2=sigma_w0_2, sigma_eps2=sigma_eps2, tau=tau)
    es = mp_generalization_error(ts, alpha, **kw)
    k = int(np.argmin(es))
    lo, hi = np.log(ts[max(k - 1, 1)]), np.log(ts[min(k + 1, len(ts) - 1)])
    g = (np.sqrt(5) - 1) / 2
    f = lambda u: float(mp_generalization_error(np.exp(u), alpha, **kw))  # noqa: E731
    a, b = lo + (1 - g) * (hi - lo), lo + g * (hi - lo)
    fa, fb = f(a), f(b)
    for _ in range(60):
        if fa <= fb:
            hi, b, fb = b, a, fa
            a = lo + (1 - g) * (hi - lo)
            fa = f(a)
        else:
            lo, a, fa = a, b, fb
            b = lo + g * (hi - lo)
            fb = f(b)
    u = (lo + hi) / 2
    t_best, e_best = float(np.exp(u)), f(u)
    if es[k] < e_best:  # the minimum sits at a scan end (t = 0 or t_max)
        t_best, e_best = float(ts[k]), float(es[k])
    return t_best, e_best


def oracle_bound(alpha, *, sigma_w2=1.0, sigma_w0_2=0.0, sigma_eps2=0.0):
    """A lower bound on E_g at any single stopping time: every mode stopped at its own best time.

    Mode lambda is best at e^(-lambda t/tau) = s^2 / (s^2 + lambda A) (A = sigma_w^2 +
    sigma_w0^2, s^2 = sigma_eps^2), where its error is A s^2 / (s^2 + lambda A) (A at
    lambda = 0); the bound is its Marchenko-Pastur average plus sigma_eps^2.

    >>> round(float(oracle_bound(2.0, sigma_eps2=0.0)), 6)   # no noise: every mode learns fully
    0.0
    """
    A = sigma_w2 + sigma_w0_2
    if sigma_eps2 == 0:
        return A * mp_zero_mass(alpha)
    return float(mp_average(lambda lam: A * sigma_eps2 / (sigma_eps2 + lam * A), alpha)) + sigma_eps2


# --------------------------------------------------------------------------- simulation


def simulate_gradient_descent(X, times, *, rng, repeats=100, sigma_w2=1.0, sigma_w0_2=0.0, sigma_eps2=0.0,
                              tau=1.0, step=None):
    """Plain gradient descent on the squared error for fixed data ``X``, many draws at once.

    Each of ``repeats`` rows draws its own teacher w_bar, start w(0) and training noise,
    then runs w <- w + (dt/tau) (y - w X) X^T. The generalization error of a row at time t
    is its exact expected test error on a fresh x ~ N(0, I/N) and fresh noise,
    |w_bar - w|^2 / N + sigma_eps^2. ``step`` is dt/tau (default 0.01 / lambda_max).

    Returns
    -------
    mean, sem : numpy.ndarray
        The mean over rows at each of ``times`` (snapped to the step grid) and its
        standard error.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = random_data(20, 40, rng)
    >>> m, s = simulate_gradient_descent(X, [0.0, 5.0], rng=rng, repeats=50)
    >>> bool(abs(m[0] - 1.0) < 4 * s[0]) and bool(m[1] < m[0])
    True
    """
    X = np.asarray(X, dtype=float)
    n, _p = X.shape
    cov = X @ X.T
    lam_max = float(np.linalg.eigvalsh(cov)[-1])
    eta = 0.01 / lam_max if step is None else float(step)
    w_bar = rng.standard_normal((repeats, n)) * np.sqrt(sigma_w2)
    w = rng.standard_normal((repeats, n)) * np.sqrt(sigma_w0_2)
    y = w_bar @ X + rng.standard_normal((repeats, X.shape[1])) * np.sqrt(sigma_eps2)
    target = y @ X.T  # the gradient is (y - w X) X^T = y X^T - w X X^T
    steps = np.rint(np.asarray(times, dtype=float) / tau / eta).astype(int)
    mean, sem = np.empty(len(steps)), np.empty(len(steps))
    done = 0
    for j in np.argsort(steps):
        for _ in range(steps[j] - done):
            w += eta * (target - w @ cov)
        done = max(done, steps[j])
        err = np.sum((w_bar - w) ** 2, axis=1) / n + sigma_eps2
        mean[j], sem[j] = err.mean(), err.std(ddof=1) / np.sqrt(repeats)
    return mean, sem


# --------------------------------------------------------------------------- sympy


def derivation(solution=None, formula=None):
    """The symbolic checks of the derivation, as a dict of sympy residuals (0 = holds).

    * ``"ode"``: eq. (4) substituted into eq. (3), simplified;
    * ``"initial"``: eq. (4) at t = 0 minus (z_bar - z(0));
    * ``"average"``: <(z_bar - z(t))^2> over independent centred Gaussians
      z_bar ~ N(0, sigma_w^2), z(0) ~ N(0, sigma_w0^2), eps ~ N(0, sigma_eps^2), minus the
      bracket of eq. (1);
    * ``"frozen"``: the lambda -> 0 limit of the bracket minus (sigma_w^2 + sigma_w0^2);
    * ``"test_error"``: E[(a.x + eps)^2] for x ~ N(0, I/N) in N = 3 dimensions minus
      |a|^2/N - sigma_eps^2 (the first line of eq. (5)).

    ``solution(zbar, z0, eps, lam, t, tau)`` returns z_bar - z(t) and ``formula(A, s2,
    lam, t, tau)`` the bracket of eq. (1) (A = sigma_w^2 + sigma_w0^2, s2 = sigma_eps^2);
    a wrong one gives a nonzero residual.

    >>> {k: str(v) for k, v in derivation().items()}
    {'ode': '0', 'initial': '0', 'average': '0', 'frozen': '0', 'test_error': '0'}
    """
    import sympy as sp

    t, tau, lam = sp.symbols("t tau lambda", positive=True)
    zbar, z0, eps = sp.symbols("zbar z0 epsilon", real=True)
    sw2, sw02, se2 = sp.symbols("sigma_w2 sigma_w0_2 sigma_eps2", positive=True)
    solution = solution or _eq4
    formula = formula or _eq1_bracket
    u = solution(zbar, z0, eps, lam, t, tau)
    z = zbar - u
    ode = sp.simplify(tau * sp.diff(z, t) - ((zbar - z) * lam + eps * sp.sqrt(lam)))
    initial = sp.simplify(u.subs(t, 0) - (zbar - z0))
    var = {zbar: sw2, z0: sw02, eps: se2}
    average = sp.simplify(_gaussian_mean(sp.expand(u**2), var) - formula(sw2 + sw02, se2, lam, t, tau))
    frozen = sp.simplify(sp.limit(formula(sw2 + sw02, se2, lam, t, tau), lam, 0) - (sw2 + sw02))
    n = 3
    a = sp.symbols(f"a0:{n}", real=True)
    x = sp.symbols(f"x0:{n}", real=True)
    xvar = {xi: sp.Rational(1, n) for xi in x}
    test = sp.expand((sum(ai * xi for ai, xi in zip(a, x)) + eps) ** 2)
    test_error = sp.simplify(_gaussian_mean(test, {**xvar, eps: se2}) - sum(ai**2 for ai in a) / n - se2)
    return {"ode": ode, "initial": initial, "average": average, "frozen": frozen, "test_error": test_error}


def _eq4(zbar, z0, eps, lam, t, tau):
    import sympy as sp

    e = sp.exp(-lam * t / tau)
    return (zbar - z0) * e - eps / sp.sqrt(lam) * (1 - e)


def _eq1_bracket(A, s2, lam, t, tau):
    import sympy as sp

    return A * sp.exp(-2 * lam * t / tau) + s2 / lam * (1 - sp.exp(-lam * t / tau)) ** 2


def _gaussian_mean(expr, variances):
    """E[expr] for a polynomial in independent centred Gaussians with the given variances."""
    import sympy as sp

    gens = list(variances)
    poly = sp.Poly(expr, *gens)
    total = 0
    for powers, coeff in poly.terms():
        term = coeff
        for g, k in zip(gens, powers):
            if k % 2:
                term = 0
                break
            term *= sp.factorial2(k - 1) * variances[g] ** (k // 2)
        total += term
    return total

"""The linear teacher-student dynamics (issue 13): formulas, claims that can fail, and the
exact width curve of random interpolators against an independent brute force."""

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs.claims import linear_dynamics as cld
from proofs import linear_dynamics as ld
from proofs.claims.registry import all_claims
from proofs.width_curve import brute_expected_error, shatter_number, width_curve

KW = dict(sigma_w2=1.3, sigma_w0_2=0.4, sigma_eps2=0.2, tau=0.7)


def _eq1_loop(t, lam, sigma_w2, sigma_w0_2, sigma_eps2, tau):
    """Eq. (1) written term by term with math.exp (frozen directions by their definition)."""
    total = 0.0
    for x in lam:
        if x == 0:
            total += sigma_w2 + sigma_w0_2
        else:
            e = math.exp(-x * t / tau)
            total += (sigma_w2 + sigma_w0_2) * e * e + sigma_eps2 / x * (1 - e) ** 2
    return total / len(lam) + sigma_eps2


def test_generalization_error_matches_a_plain_loop_and_is_vectorised():
    rng = np.random.default_rng(0)
    lam = np.concatenate([[0.0, 0.0], rng.uniform(0.01, 5, 9)])
    ts = np.array([[0.0, 0.1], [1.0, 30.0]])
    got = ld.generalization_error(ts, lam, **KW)
    assert got.shape == ts.shape
    want = [[_eq1_loop(t, lam, **KW) for t in row] for row in ts]
    assert np.allclose(got, want, rtol=1e-12)


def test_frozen_directions_are_the_small_eigenvalue_limit_and_t_inf():
    for t in (0.5, 7.0):
        frozen = ld.generalization_error(t, [0.0], **KW)
        tiny = ld.generalization_error(t, [1e-12], **KW)
        assert frozen == pytest.approx(KW["sigma_w2"] + KW["sigma_w0_2"] + KW["sigma_eps2"])
        assert tiny == pytest.approx(frozen, rel=1e-9)
    # t = inf: frozen directions keep A, the others converge to sigma_eps^2 / lambda
    got = ld.generalization_error(np.inf, [0.0, 2.0], **KW)
    assert got == pytest.approx((1.7 + 0.2 / 2) / 2 + 0.2)
    with pytest.raises(ValueError):
        ld.generalization_error(1.0, [-0.1, 1.0])


def test_spectrum_has_n_minus_p_zeros_and_mp_cdf_matches_density():
    X = ld.random_data(30, 12, np.random.default_rng(5))
    lam = ld.spectrum(X)
    assert int(np.sum(lam == 0)) == 18 and np.all(lam[lam > 0] > 1e-3)
    # the distribution function against a direct fine Riemann sum of the density
    for alpha in (0.5, 1.0, 3.0):
        lo, hi = ld.mp_edges(alpha)
        x = np.linspace(lo, hi, 400_001)[1:]
        dens = ld.mp_density(x, alpha)
        cum = ld.mp_zero_mass(alpha) + np.cumsum(dens) * (x[1] - x[0])
        for q in (0.25, 0.5, 0.75):
            v = lo + q * (hi - lo)
            assert ld.mp_cdf(v, alpha) == pytest.approx(np.interp(v, x, cum), abs=2e-3)


def test_error_at_infinity_closed_form_against_quadrature():
    for alpha in (0.3, 0.7, 1.6, 3.0):
        q = ld.mp_generalization_error(np.inf, alpha, nodes=4000, **KW)
        c = ld.error_at_infinity(alpha, **{k: v for k, v in KW.items() if k != "tau"})
        assert q == pytest.approx(c, rel=1e-8)


def test_the_linear_claims_are_registered():
    names = [n for n in all_claims() if n.startswith("linear-dynamics")]
    assert names == ["linear-dynamics-solution", "linear-dynamics-simulation", "linear-dynamics-spectrum",
                     "linear-dynamics-asymptotics"]


def test_solution_claim_passes_and_fails_on_wrong_formulas():
    assert cld.check_solution().passed
    import sympy as sp

    def wrong_sign(zbar, z0, eps, lam, t, tau):  # the noise term with the wrong sign
        e = sp.exp(-lam * t / tau)
        return (zbar - z0) * e + eps / sp.sqrt(lam) * (1 - e)

    def wrong_decay(A, s2, lam, t, tau):  # e^(-lambda t/tau) instead of e^(-2 lambda t/tau)
        return A * sp.exp(-lam * t / tau) + s2 / lam * (1 - sp.exp(-lam * t / tau)) ** 2

    r = cld.check_solution(solution=wrong_sign)
    assert not r.passed and r.counterexample.startswith("ode")
    r = cld.check_solution(formula=wrong_decay)
    assert not r.passed and r.counterexample.startswith("average")


def test_simulation_claim_passes_and_fails_on_wrong_formulas():
    assert cld.check_simulation("small").passed
    no_square = lambda t, lam, **kw: ld.generalization_error(t / 2, lam, **kw)  # noqa: E731 (e^(-lambda t))
    assert not cld.check_simulation("small", formula=no_square).passed
    no_noise = lambda t, a, **kw: ld.mp_generalization_error(t, a, **{**kw, "sigma_eps2": 0.0})  # noqa: E731
    r = cld.check_simulation("small", mp_formula=no_noise)
    assert not r.passed and "Marchenko-Pastur" in r.counterexample


def test_spectrum_claim_passes_and_fails_on_a_wrong_law():
    assert cld.check_spectrum("small").passed
    scaled = lambda lam, alpha: ld.mp_cdf(np.asarray(lam) * 1.1, alpha)  # noqa: E731
    r = cld.check_spectrum("small", cdf=scaled)
    assert not r.passed and "Kolmogorov" in r.counterexample
    no_zeros = lambda lam, alpha: ld.mp_cdf(lam, max(alpha, 1.0))  # noqa: E731
    assert not cld.check_spectrum("small", cdf=no_zeros).passed


def test_asymptotics_claim_passes_and_fails_on_wrong_formulas():
    r = cld.check_asymptotics("small")
    assert r.passed, r.counterexample

    def squared_peak(alpha, *, sigma_w2, sigma_w0_2, sigma_eps2):  # 1/(alpha-1)^2 instead of 1/(alpha-1)
        a = float(alpha)
        if a == 1:
            return np.inf
        frozen = (sigma_w2 + sigma_w0_2) * max(0.0, 1 - a)
        return frozen + sigma_eps2 * (a / (1 - a) ** 2 if a < 1 else 1 / (a - 1) ** 2) + sigma_eps2

    assert not cld.check_asymptotics("small", at_infinity=squared_peak).passed
    no_peak = lambda alpha, **kw: ld.error_at_infinity(alpha, **{**kw, "sigma_eps2": 0.0})  # noqa: E731
    assert not cld.check_asymptotics("small", at_infinity=no_peak).passed


def test_shatter_number():
    every = ["".join(p) for p in itertools.product("+-", repeat=3)]
    assert shatter_number(every, 3) == 3
    assert shatter_number(["+++"], 3) == 0
    assert shatter_number([t for t in every if t != "---"], 3) == 2


@pytest.mark.parametrize("N", [1, 2, 3])
def test_width_curve_against_brute_force_over_training_sequences(N):
    pts = width_curve([1, 2], [N], method="brute")
    for p in pts:
        from enumerate import NetworkSpec, count_prior
        from enumerate.core.teacher import make_teacher

        spec = NetworkSpec.parse(p.arch, "-1,0,1", "sign", "01")
        prior = count_prior(spec, "fast", progress=False)  # a second counter for the brute-force side
        table = make_teacher(spec, "fc:3,1,1", "1,1,1,-1,1,0").table
        want = brute_expected_error(prior.counts, table, N)
        assert p.expected_error[N] == want and isinstance(want, Fraction)
        # a different target gives a different number (the comparison can fail)
        assert brute_expected_error(prior.counts, "--++-+++", N) != want

_pos = st.floats(0.01, 5.0)


@settings(max_examples=60, deadline=None)
@given(lam=st.lists(st.one_of(st.just(0.0), _pos), min_size=1, max_size=6), sw=_pos, s0=_pos, se=_pos,
       tau=st.floats(0.1, 3.0), t=st.floats(0.0, 50.0))
def test_eq1_properties(lam, sw, s0, se, tau, t):
    kw = dict(sigma_w2=sw, sigma_w0_2=s0, sigma_eps2=se, tau=tau)
    e = float(ld.generalization_error(t, lam, **kw))
    assert e >= se - 1e-12  # the noise floor E_g >= sigma_eps^2
    # each mode lies between its best value A s^2/(s^2 + lambda A) and max(A, s^2/lambda)
    A = sw + s0
    per = ld.mode_error(t, np.array(lam), **kw)
    low = np.array([A * se / (se + x * A) for x in lam])
    high = np.array([A if x == 0 else max(A, se / x) for x in lam])
    assert np.all(per >= low * (1 - 1e-9) - 1e-12) and np.all(per <= high * (1 + 1e-9) + 1e-12)
    # without noise the error only falls with time
    clean = {**kw, "sigma_eps2": 0.0}
    assert ld.generalization_error(t + 1.0, lam, **clean) <= ld.generalization_error(t, lam, **clean) + 1e-12

"""Second methods for counts beyond brute force.

The fast counter's priors of specs brute force cannot enumerate here (up to 1e20
settings) are checked two independent ways:

* **statistics**: a million uniform parameter settings through the vectorized numpy
  forward pass (:func:`enumerate.core.forward.labels`, no code shared with the fast counter);
  every table's frequency must lie within a Bernstein bound of its exact probability,
  chosen so that a correct prior fails with probability below 1e-9 (union bound over the
  tables), and no sampled table may lie outside the exact support;
* **pyganak**: projected model counts (probabilistically exact) of individual tables.

Each check is shown to fail on a wrong prior.
"""

import math

import numpy as np
import pytest

from enumerate import NetworkSpec, count_prior
from enumerate.core.forward import labels, tables
from enumerate.core.lattice import IntegerPlan

#: specs beyond brute force here (the brute-force budget is 1e11 settings)
BEYOND = [
    ("fc:3,5,1", "-1,0,1", "sign", "01", "-1"),  # 2.5e12 settings
    ("fc:2,4,3,1", "-1,0,1", "sign", "01", "-1"),  # 6.2e14, two hidden layers
    ("cnn:1x5/4k2s2/flat", "-1,0,1", "relu", "01", "0"),  # 1.0e10 (brute force: minutes), three labels
    ("sfc:2,3,2,1", "-1,0,1", "sign", "pm1", "+1"),  # 1.5e12, scaled
]
SAMPLES = 1_000_000
FAILURE = 1e-9  # chance that a correct prior fails the statistical check (all tables together)


def sample_histogram(spec, n=SAMPLES, seed=0, batch=100_000):
    """{table: frequency} of ``n`` uniform settings through the numpy forward pass."""
    rng = np.random.default_rng(seed)
    plan = IntegerPlan.of(spec)
    radix = np.array([len(spec.scales) if s else len(spec.q) for s in spec.layout.scale_mask()])
    pw = 3 ** np.arange(len(spec.domain), dtype=np.int64)
    keys, counts = [], []
    for lo in range(0, n, batch):
        rows = rng.integers(0, radix, size=(min(batch, n - lo), len(radix)))
        k, c = np.unique((labels(spec, rows, plan).astype(np.int64) + 1) @ pw, return_counts=True)
        keys.append(k)
        counts.append(c)
    k, inv = np.unique(np.concatenate(keys), return_inverse=True)
    c = np.bincount(inv.reshape(-1), weights=np.concatenate(counts)).astype(np.int64)
    lab = (k[:, None] // pw) % 3 - 1
    return dict(zip(tables(lab.astype(np.int8)), c.tolist()))


def bernstein_radius(n, p, tables_count, failure=FAILURE):
    """t with P(|Bin(n, p) - n p| >= t) <= failure / tables_count (Bernstein's inequality)."""
    L = math.log(2 * tables_count / failure)
    return L / 3 + math.sqrt((L / 3) ** 2 + 2 * n * p * (1 - p) * L)


def statistical_check(prior, hist, n):
    """The first violation found, or None: a sampled table outside the exact support, or
    a frequency farther from n P(h) than the Bernstein radius."""
    outside = sorted(set(hist) - set(prior.counts))
    if outside:
        return f"sampled table {outside[0]} has exact count 0"
    T = prior.num_functions
    for t, c in prior.counts.items():
        p = c / prior.total  # a float only for the tolerance; the count itself is exact
        k = hist.get(t, 0)
        if abs(k - n * p) > bernstein_radius(n, p, T):
            return f"table {t}: {k} of {n} samples, exact probability {c}/{prior.total}"
    return None


@pytest.fixture(scope="module")
def beyond():
    out = {}
    for arch, q, act, dom, zl in BEYOND:
        spec = NetworkSpec.parse(arch, q, act, dom, zl)
        assert spec.total > 10**10  # beyond brute force in the time of a test
        out[arch] = (count_prior(spec, "fast", progress=False), sample_histogram(spec))
    return out


@pytest.mark.parametrize("arch", [b[0] for b in BEYOND])
def test_fast_counts_agree_with_a_million_samples(beyond, arch):
    prior, hist = beyond[arch]
    assert prior.is_complete
    assert statistical_check(prior, hist, SAMPLES) is None


def test_statistical_check_can_fail(beyond):
    prior, hist = beyond["fc:3,5,1"]
    ranked = prior.ranked()
    # swap the counts of the most likely table and one a quarter as likely
    (top, c_top), (other, c_other) = ranked[0], next(r for r in ranked if r[1] <= ranked[0][1] // 4)
    wrong = type(prior)(prior.spec, {**prior.counts, top: c_other, other: c_top}, "wrong")
    assert "table" in statistical_check(wrong, hist, SAMPLES)
    # a table the prior says is impossible
    missing = type(prior)(prior.spec, {t: c for t, c in prior.counts.items() if t != ranked[-1][0]}, "wrong")
    assert statistical_check(missing, {**hist, ranked[-1][0]: 1}, SAMPLES).startswith("sampled table")


#: (arch, Q, act, domain, table) beyond brute force, counted by pyganak in seconds
#: (tests/proofs/test_sat_count.py covers fc:2,6,1 table ---+ and fc:1,14,1 sign)
PYGANAK = [
    ("fc:2,6,1", "-1,0,1", "sign", "01", "-++-"),
    ("fc:1,12,1", "-1,0,1", "relu", "01", "+-"),
    ("sfc:1,8,1", "-1,0,1", "sign", "01", "-+"),
]


@pytest.mark.parametrize("arch,q,act,dom,table", PYGANAK)
def test_pyganak_agrees_with_the_fast_counter_beyond_brute_force(arch, q, act, dom, table):
    from proofs.sat.count import sat_count

    spec = NetworkSpec.parse(arch, q, act, dom)
    assert spec.total > 10**11
    fast = count_prior(spec, "fast", progress=False)
    assert sat_count(spec, table).count == fast.count(table)

"""FunctionPrior: exact queries, JSON round trip, merge."""

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings

from enumerate import NetworkSpec, SpecError, count_prior
from enumerate.counting.brute import count_brute
from enumerate.results.prior import FunctionPrior
from enumerate.core.teacher import make_teacher

from enumerate.testing import specs


@settings(max_examples=20, deadline=None)
@given(specs(max_settings=5000))
def test_json_round_trip_is_lossless(tmp_path_factory, spec):
    prior = count_brute(spec, progress=False)
    path = tmp_path_factory.mktemp("p") / "prior.json"
    prior.save(path)
    back = FunctionPrior.load(path)
    assert back.spec == prior.spec and back.counts == prior.counts and back.total == prior.total


def test_probabilities_are_exact_and_sum_to_one():
    prior = count_prior(NetworkSpec.parse("fc:2,2,1", "-1,0,1", "relu", "01", "0"), progress=False)
    assert sum(prior.probability(t) for t in prior.counts) == 1
    assert all(isinstance(prior.probability(t), Fraction) for t in prior.counts)


def test_entropy_and_neg_log_prob():
    prior = count_prior(NetworkSpec.parse("fc:1,1", "-1,0,1", "sign", "01"), progress=False)
    # counts 5, 2, 1, 1 of 9
    expected = -sum(c / 9 * math.log(c / 9) for c in (5, 2, 1, 1))
    assert prior.entropy() == pytest.approx(expected)
    assert prior.neg_log_prob("--") == pytest.approx(math.log(9 / 5))
    assert prior.neg_log_prob("+-") == pytest.approx(math.log(9))


def test_unrealizable_table_has_probability_zero():
    prior = count_prior(NetworkSpec.parse("fc:2,1", "-1,0,1", "sign", "01"), progress=False)
    # XOR is not a threshold function
    assert prior.probability("-++-") == 0 and prior.neg_log_prob("-++-") == math.inf


def test_bad_table_is_refused():
    prior = count_prior(NetworkSpec.parse("fc:2,1", "-1,0,1", "sign", "01"), progress=False)
    for bad in ["-+", "-+0-", "abcd"]:
        with pytest.raises(SpecError, match="^table:"):
            prior.probability(bad)


def test_rho_of_a_teacher_equals_its_table_probability():
    spec = NetworkSpec.parse("fc:2,3,1", "-1,0,1", "sign", "01")
    prior = count_prior(spec, "brute", progress=False)
    teacher = make_teacher(spec, "fc:2,1,1", "1,1,-1,1,0")
    assert prior.rho(teacher) == prior.probability(teacher.table) == Fraction(prior.counts["---+"], 3**13)


def test_merge_requires_the_same_spec():
    a = count_prior(NetworkSpec.parse("fc:1,1", "-1,0,1"), progress=False)
    b = count_prior(NetworkSpec.parse("fc:1,1", "-1,0,1", "relu"), progress=False)
    with pytest.raises(ValueError):
        a.merge(b)
    assert a.merge(a).covered == 2 * a.total

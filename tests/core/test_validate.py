"""One validation of each kind of value (numbers, tables, weights, training sets), used everywhere."""

from fractions import Fraction
import pytest
from enumerate import Domain, NetworkSpec, QSet, SpecError, count_prior
from enumerate.core.validate import check_indices, check_table, check_weights


def test_floats_are_refused_everywhere():
    with pytest.raises(SpecError, match="^q: floats are refused.*give .1/10.$"):
        QSet((0.1, 1))
    with pytest.raises(SpecError, match="^domain: floats are refused"):
        Domain("custom", ((0.5, 1),))
    with pytest.raises(SpecError, match="^weights: floats are refused"):
        Domain("custom", ((0,), (1,)), (0.5, 0.5))
    with pytest.raises(SpecError, match="^q: floats are refused"):
        NetworkSpec.parse("fc:1,1", [0.1, 1])
    assert QSet(("1/10", 1)).values[0] == Fraction(1, 10)  # strings are exact


def test_one_validation_for_tables_weights_and_training_sets():
    assert check_table("+-0", 3, "0") == "+-0"
    for bad in ("+-", "+-x", 3, "+-0"):
        with pytest.raises(SpecError, match="^table:"):
            check_table(bad, 3, "-1")
    with pytest.raises(SpecError, match="^weights:"):
        check_weights(["1/2", "1/3"], 2)
    with pytest.raises(SpecError, match="^weights:"):
        check_weights([Fraction(3, 2), Fraction(-1, 2)], 2)
    assert check_indices([3, (0, 1), 3], 4, ((0, 0), (0, 1), (1, 0), (1, 1))) == [1, 3]
    for bad in ([4], [-1], ["a"], [True], [(2, 2)], 5):
        with pytest.raises(SpecError, match="^training:"):
            check_indices(bad, 4, ((0, 0), (0, 1), (1, 0), (1, 1)))


def test_every_table_check_goes_through_check_table():
    """The posterior, the sampler and the SAT encoder all reject a bad table the same way."""
    from enumerate.analysis.posterior import PosteriorFamily
    from enumerate.analysis.sampler import guess_and_check
    from proofs.sat.encode import encode

    spec = NetworkSpec.parse("fc:2,1", "-1,0,1")
    prior = count_prior(spec, progress=False)
    for call in (lambda: PosteriorFamily.of(prior, "+-+"), lambda: guess_and_check(spec, "+-+", [0], tries=10),
                 lambda: encode(spec).table_lits("+-+"), lambda: prior.count("+-+")):
        with pytest.raises(SpecError, match="'\\+-\\+': need 4 characters from \\+ - \\(domain order\\)"):
            call()

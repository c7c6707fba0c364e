"""enumerate.testing for users' property tests: one-line specs in falsifying examples,
architecture families and input dimensions, custom domains, permute_inputs (issue 18, part 4)."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enumerate import NetworkSpec, SpecError, count_prior
from enumerate.testing import architectures, permute_inputs, reference_prior, specs, tables


def test_a_falsifying_example_prints_the_spec_on_one_line(capsys):
    @settings(max_examples=20, deadline=None, database=None)
    @given(specs(families=["fc"], max_settings=100))
    def wrong(spec):
        assert spec.arch.input_dim > 5

    with pytest.raises(AssertionError) as err:
        wrong()
    out = capsys.readouterr().out + "\n".join(getattr(err.value, "__notes__", []))
    line = next(x for x in out.splitlines() if "NetworkSpec" in x)
    assert line.strip().startswith("spec=<NetworkSpec fc:") and "Fraction" not in out


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_specs_draw_the_families_and_input_dimensions_asked_for(data):
    family = data.draw(st.sampled_from(["fc", "sfc", "cnn", "scnn"]))
    lo = data.draw(st.integers(1, 3))
    hi = data.draw(st.integers(lo, 4))
    spec = data.draw(specs(families=[family], input_dims=(lo, hi), max_settings=3_000))
    assert spec.arch.kind == family and lo <= spec.arch.input_dim <= hi and spec.total <= 3_000


def test_architectures_input_dims_cover_the_range():
    dims = {NetworkSpec.parse(a, "-1,1").arch.input_dim for a in architectures(input_dims=(2, 5))}
    assert dims == {2, 3, 4, 5}
    with pytest.raises(SpecError, match="input_dims"):
        architectures(input_dims=(3, 1))


POINTS = [[0, 0, 1], [1, "1/2", 0], [2, 2, 2], [-1, 0, 0]]


@settings(max_examples=15, deadline=None)
@given(specs(domains=[POINTS, "01"], max_settings=2_000))
def test_specs_draw_architectures_that_fit_a_custom_domain(spec):
    if spec.domain.kind == "custom":
        assert spec.arch.input_dim == 3 and len(spec.domain) == 4
    assert count_prior(spec, "brute", progress=False).counts == reference_prior(spec).counts


def test_specs_refuse_a_domain_no_architecture_fits():
    with pytest.raises(SpecError, match="fits the domains"):
        specs(domains=[[[0] * 9, [1] * 9]], families=["fc"], max_settings=100)


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_permuting_inputs_keeps_counts_of_fully_connected_networks(data):
    """The symmetry property permute_inputs exists for, checked against brute force."""
    spec = data.draw(specs(families=["fc", "sfc"], input_dims=(2, 3), max_settings=3_000))
    perm = data.draw(st.permutations(range(spec.arch.input_dim)))
    prior = count_prior(spec, "brute", progress=False)
    table = data.draw(tables(spec))
    assert prior.count(table) == prior.count(permute_inputs(table, perm, spec))


def test_permute_inputs_against_a_direct_evaluation():
    """Second method: the table of x -> f(x[perm]) evaluated point by point."""
    f = lambda x: "+" if 2 * x[0] + x[1] - x[2] > 0 else "-"  # noqa: E731
    pts = list(itertools.product((0, 1), repeat=3))
    table = "".join(f(x) for x in pts)
    for perm in itertools.permutations(range(3)):
        assert permute_inputs(table, perm, "01") == "".join(f(tuple(x[k] for k in perm)) for x in pts)
    assert permute_inputs(table, (0, 1, 2), "01") == table
    assert permute_inputs(table, (1, 0, 2), "01") != table  # the check sees a wrong permutation


@pytest.mark.parametrize("args, argument", [
    (("+-+-", (0, 0), "01"), "perm"),
    (("+-+", (1, 0), "01"), "table"),
    (("+-", (1, 0), NetworkSpec.parse("fc:2,1", "-1,1", domain=[[0, 1], [2, 3]]).domain), "domain"),
])
def test_permute_inputs_bad_input_names_the_parameter(args, argument):
    with pytest.raises(SpecError) as err:
        permute_inputs(*args)
    assert err.value.argument == argument

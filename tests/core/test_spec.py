"""Specs: parsing, normalization, the named Q families, and clear errors."""



from enumerate import parse_arch, parse_q
from enumerate.core.lattice import IntegerPlan
from enumerate.core.spec import parse_domain
from fractions import Fraction
import pytest
from enumerate import Architecture, Domain, NetworkSpec, SpecError
from enumerate.cli import main
from enumerate.core.spec import ConvLayer
from tests.helpers import one_line_error


def test_int_family_and_explicit_list_agree():
    assert parse_q("int:2").values == parse_q("2,1,0,-1,-2").values


def test_minifloat_has_every_finite_value_once():
    q = parse_q("minifloat:2,1")
    assert len(q) == 2 ** (1 + 2 + 1) - 1  # +0 and -0 merge
    assert [str(v) for v in q.values if v > 0] == ["1/2", "1", "3/2", "2", "3", "4", "6"]
    assert q.has_zero and all(-v in q.values for v in q.values)


def test_grid_family_has_no_zero():
    q = parse_q("grid:3")
    assert len(q) == 8 and not q.has_zero
    assert q.values[0] == -1 and q.values[-1] == 1 and q.values[3] == Fraction(-1, 7)


@pytest.mark.parametrize("bits", [2, 3, 5, 10])
def test_peer_family_is_the_peers_grid(bits):
    # second method: the grid written out from its definition, (k - s) / s with s = floor((2^B - 1) / 2)
    s = (2**bits - 1) // 2
    q = parse_q(f"peer:{bits}")
    assert q.values == tuple(Fraction(k - s, s) for k in range(2**bits))
    assert q.has_zero and len(q) == 2**bits and q.values[-1] == Fraction(s + 1, s)
    assert parse_q(f" peer:{bits} ").values == q.values
    assert parse_q(f"peer:{bits}", "--scale-q") == q


@pytest.mark.parametrize("text", ["peer:1", "peer:11", "peer:x", "peer:3,1", "peer:"])
def test_bad_peer_grid_is_one_clear_line(text):
    with pytest.raises(SpecError, match=r"^q: .*peer:"):
        parse_q(text)


def test_decimals_are_exact():
    assert parse_q("0.1,-0.25").values == (Fraction(-1, 4), Fraction(1, 10))


@pytest.mark.parametrize("text,arg", [
    ("", "q"), ("1,1", "q"), ("int:0", "q"), ("foo:3", "q"), ("1,x", "q"), ("minifloat:9,1", "q"),
])
def test_bad_q_names_the_argument(text, arg):
    with pytest.raises(SpecError) as err:
        parse_q(text)
    assert str(err.value).startswith(arg + ":") and "\n" not in str(err.value)


@pytest.mark.parametrize("text", ["fc:3", "fc:3,2", "fc:0,1", "xx:3,1", "fc", "cnn:1x4/2k5/flat", "cnn:1x4/2k2/max",
                                  "cnn:1x4/flat", "fc:a,1"])
def test_bad_arch_is_one_line_naming_the_argument(text):
    with pytest.raises(SpecError) as err:
        parse_arch(text)
    assert str(err.value).startswith("arch:") and "\n" not in str(err.value)


def test_arch_round_trips_through_its_string():
    for s in ["fc:3,4,1", "sfc:2,6,2,1", "cnn:1x4/2k2s1/flat", "scnn:2x5/3k2s2/1k1s1/sum"]:
        assert str(parse_arch(s)) == s
    assert str(parse_arch("cnn:4/2k2/flat")) == "cnn:1x4/2k2s1/flat"


def test_domains():
    assert parse_domain("01", 3).points[3] == (0, 1, 1)
    assert parse_domain("pm1", 2).points == ((-1, -1), (-1, 1), (1, -1), (1, 1))
    with pytest.raises(SpecError, match="domain: points have dimension 1"):
        parse_domain("[[0], [1]]", 2)
    with pytest.raises(SpecError, match="domain: the domain has no points"):
        Domain("custom", ())
    with pytest.raises(SpecError, match="listed twice"):
        parse_domain("[[0], [0]]", 1)


def test_spec_json_round_trip():
    spec = NetworkSpec.parse("sfc:2,2,1", "minifloat:2,0", "leaky:1/4", "[[0, 1], ['1/2', 2]]", "0", "0,1")
    assert NetworkSpec.from_json(spec.to_json()) == spec


def test_activation_errors():
    for bad in ["tanh", "leaky", "relu:2", "leaky:-1"]:
        with pytest.raises(SpecError, match="^act:"):
            NetworkSpec.parse("fc:1,1", "-1,0,1", bad)


def test_zero_label_error():
    for bad in ("2", "", "+0", "one", True):
        with pytest.raises(SpecError, match="^zero_label:"):
            NetworkSpec.parse("fc:1,1", "-1,0,1", zero_label=bad)
    # users type 1 for +1 (defect 7)
    assert NetworkSpec.parse("fc:1,1", "-1,0,1", zero_label="1").zero_label == "+1"


def test_scale_set_only_for_scaled_families():
    with pytest.raises(SpecError, match="^scale_q:"):
        NetworkSpec.parse("fc:1,1,1", "-1,0,1", scale_q="0,1")
    spec = NetworkSpec.parse("sfc:1,2,1", "-1,0,1", scale_q="0,1")
    assert spec.total == 3 ** (2 * 2 + 3) * 2**2


def test_total_is_q_to_the_p():
    spec = NetworkSpec.parse("fc:3,4,1", "-1,0,1")
    assert spec.num_params == 21 and spec.total == 3**21
    spec = NetworkSpec.parse("cnn:2x4/3k2s2/flat", "int:2")
    # conv: 3 * (2 * 2) weights + 3 biases; readout: 3 channels x 2 positions + 1
    assert spec.num_params == 12 + 3 + 6 + 1 and spec.total == 5**22


def test_lattice_refuses_overflow():
    with pytest.raises(SpecError, match="2\\^62"):
        IntegerPlan.of(NetworkSpec.parse("fc:3,3,3,3,3,3,3,1", "1/1000003,1/999983,1/1000033,1000", "identity"))


def test_stride_zero_is_a_one_line_error(tmp_path, capsys):
    out = tmp_path / "p.json"
    assert main(["prior", "--arch", "cnn:1x4/2k2s0/flat", "--q=-1,0,1", "--out", str(out)]) == 2
    assert "stride" in one_line_error(capsys, "--arch")
    assert not out.exists()
    with pytest.raises(SpecError, match="^arch:.*stride"):  # built directly, too
        Architecture("cnn", in_channels=1, in_length=4, convs=(ConvLayer(2, 2, 0),))

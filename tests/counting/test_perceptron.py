"""Class-form priors: the symmetry-reduced perceptron counter against brute force,
canonical representatives against a search of the whole orbit, compact .npz I/O."""

import itertools
import json
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enumerate import NetworkSpec, SpecError, count_prior
from enumerate.counting.brute import count_brute
from enumerate.results.prior import ClassPrior
from enumerate.cli import main
from enumerate.core.cube import CubeGroup, order_columns, pack_tables, unpack_tables
from enumerate.counting.perceptron import count_classes
from enumerate.results.prior import FunctionPrior

QS = ["-1,0,1", "-1,1", "0,1,2", "-2,-1,0,1/2,1", "-1,-1/3,1/3,1", "-1,-2/3,-1/3,0,1/3,2/3,1,4/3", "-1/2,0,1/2,3/2"]


@st.composite
def perceptrons(draw, max_total=40_000):
    d = draw(st.integers(1, 4))
    q = draw(st.sampled_from(QS))
    domain, zl = draw(st.sampled_from(["01", "pm1"])), draw(st.sampled_from(["-1", "+1", "0"]))
    while d > 1 and len(q.split(",")) ** (d + 1) > max_total:
        d -= 1
    return NetworkSpec.parse(f"fc:{d},1", q, "sign", domain, zl)


@settings(max_examples=40, deadline=None)
@given(perceptrons())
def test_class_counter_equals_brute_force_class_by_class(spec):
    brute = count_brute(spec, progress=False)
    classes = count_classes(spec)
    # every table's count, the same classes (canonical = smallest string of the orbit,
    # found by searching the orbit) and the same class sizes
    assert classes.expand().counts == brute.counts
    assert classes.classes() == brute.to_classes().classes()
    assert classes.covered == spec.total and classes.num_functions == brute.num_functions
    assert classes.count_spectrum() == brute.count_spectrum()


@pytest.mark.parametrize("arch,q,domain", [("fc:5,1", "-1,-2/3,-1/3,0,1/3,2/3,1,4/3", "01"),
                                           ("fc:5,1", "int:2", "pm1"), ("fc:6,1", "-1,0,1,2", "01")])
def test_class_counter_equals_brute_force_on_larger_cubes(arch, q, domain):
    spec = NetworkSpec.parse(arch, q, "sign", domain)
    assert count_classes(spec).expand().counts == count_brute(spec, progress=False).counts


# OEIS A000609: number of threshold functions of n or fewer variables
@pytest.mark.parametrize("n,K,expected", [(4, 5, 1882), (5, 9, 94572)])
def test_class_counter_realizes_every_threshold_function(n, K, expected):
    assert count_classes(NetworkSpec.parse(f"fc:{n},1", f"int:{K}", "sign", "pm1")).num_functions == expected


def test_peer_3bit_grid_gives_the_exact_function_count():
    # the published exact count on this grid (a double-precision enumerator reports 7,433,126)
    spec = NetworkSpec.parse("fc:7,1", "-1,-2/3,-1/3,0,1/3,2/3,1,4/3", "sign", "01")
    prior = count_classes(spec)
    assert prior.num_functions == 7_985_071
    assert prior.covered == 8**8
    # any member of a class finds the class count through the canonical form
    rep, size, count = prior.classes(top=40)[-1]
    member = prior.group.orbit(rep)[-1]
    assert member != rep and prior.count(member) == count and size > 1


def test_counts_of_any_table_go_through_the_canonical_form():
    spec = NetworkSpec.parse("fc:3,1", "-1,0,1/2,1", "sign", "pm1")
    brute, classes = count_brute(spec, progress=False), count_classes(spec)
    for bits in itertools.product("+-", repeat=8):
        t = "".join(bits)
        assert classes.count(t) == brute.count(t)
        assert classes.probability(t) == brute.probability(t)
    with pytest.raises(SpecError, match="^table:"):
        classes.count("++")


def test_top_and_summary_expand_only_what_they_need():
    spec = NetworkSpec.parse("fc:4,1", "-1,0,1", "sign", "01")
    brute, classes = count_brute(spec, progress=False), count_classes(spec)
    assert classes.top(7) == brute.ranked()[:7]
    assert classes.ranked() == brute.ranked()
    assert classes.rank_frequency() == brute.rank_frequency()
    assert classes.entropy() == pytest.approx(brute.entropy())
    assert "classes" in classes.summary(3)


def test_orbits_and_canonical_forms_by_hand():
    g = CubeGroup(2, "01")
    assert g.orbit("+---") == ["+---"] and g.orbit("-+--") == ["-+--", "--+-"]
    f = CubeGroup(2, "pm1", flips=True)
    assert f.size == 8 and f.orbit("+---") == ["+---", "-+--", "--+-", "---+"]
    assert f.canonical("---+") == "+---"


def test_invariance_is_required_to_form_classes():
    spec = NetworkSpec.parse("fc:2,1", "-1,0,1")
    counts = dict(count_brute(spec, progress=False).counts)
    counts["-+--"] += 1  # no longer invariant under swapping the inputs
    with pytest.raises(ValueError, match="not invariant"):
        ClassPrior.from_tables(spec, counts)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.text(alphabet="+-0", min_size=5, max_size=5), min_size=1, max_size=20))
def test_packing_round_trips_and_orders_like_strings(tables):
    zl = "0" if any("0" in t for t in tables) else "-1"
    packed = pack_tables(tables, zl)
    assert unpack_tables(packed, 5) == tables
    order = np.lexsort(order_columns(packed)[::-1])
    assert [tables[i] for i in order] == sorted(tables)


# --------------------------------------------------------------------------- I/O


@settings(max_examples=15, deadline=None)
@given(perceptrons(max_total=5000))
def test_npz_round_trip_is_lossless(tmp_path_factory, spec):
    folder = tmp_path_factory.mktemp("npz")
    classes = count_classes(spec)
    classes.save(folder / "c.npz")
    back = FunctionPrior.load(folder / "c.npz")
    assert isinstance(back, ClassPrior) and back.spec == spec
    assert back.classes() == classes.classes() and back.counts == classes.counts
    flat = classes.expand()
    flat.save(folder / "t.npz")
    again = FunctionPrior.load(folder / "t.npz")
    assert isinstance(again, FunctionPrior) and again.counts == flat.counts


def test_counts_beyond_int64_are_stored_exactly(tmp_path):
    spec = NetworkSpec.parse("fc:2,40,1", "-1,0,1")  # 3^161 settings
    big = [3**100 + 1, 2**64, 5]
    prior = ClassPrior(spec, pack_tables(["++++", "-+--", "----"], "-1"), [1, 2, 1], big)
    prior.save(tmp_path / "big.npz")
    back = FunctionPrior.load(tmp_path / "big.npz")
    assert back.classes() == prior.classes() and back.covered == 3**100 + 1 + 2**65 + 5
    header = json.loads(str(np.load(tmp_path / "big.npz", allow_pickle=False)["header"]))
    assert header["count_spectrum"] == {str(3**100 + 1): 1, str(2**64): 2, "5": 1}


def test_json_always_carries_the_count_spectrum(tmp_path):
    prior = count_prior(NetworkSpec.parse("fc:1,1", "-1,0,1"), progress=False)
    prior.save(tmp_path / "p.json")
    data = json.loads((tmp_path / "p.json").read_text())
    assert data["num_functions"] == 4 and data["count_spectrum"] == {"5": 1, "2": 1, "1": 2}


def _malformed(tmp_path):
    good = tmp_path / "good.npz"
    count_classes(NetworkSpec.parse("fc:3,1", "-1,0,1")).save(good)
    arrays = dict(np.load(good, allow_pickle=False))
    out = {}
    (tmp_path / "garbage.npz").write_bytes(b"PK\x03\x04 not really a zip")
    out["garbage"] = tmp_path / "garbage.npz"
    (tmp_path / "text.json").write_text("{not json")
    out["text"] = tmp_path / "text.json"
    (tmp_path / "fields.json").write_text('{"schema": "enumerate.prior/1", "spec": {}}')
    out["fields"] = tmp_path / "fields.json"
    np.savez(tmp_path / "pickled.npz", **{**arrays, "counts": np.array([object()], dtype=object)})
    out["pickled"] = tmp_path / "pickled.npz"
    header = json.loads(str(arrays["header"]))
    header["covered"] += 1
    np.savez(tmp_path / "lying.npz", **{**arrays, "header": np.array(json.dumps(header))})
    out["lying"] = tmp_path / "lying.npz"
    np.savez(tmp_path / "short.npz", **{k: v for k, v in arrays.items() if k != "sizes"})
    out["short"] = tmp_path / "short.npz"
    out["good"] = good
    return out


def test_malformed_files_are_refused_with_one_line(tmp_path):
    files = _malformed(tmp_path)
    assert FunctionPrior.load(files.pop("good")).covered == 3**4
    for name, path in files.items():
        with pytest.raises(SpecError) as err:
            FunctionPrior.load(path)
        assert str(err.value).startswith("prior:") and "\n" not in str(err.value), name


def test_cli_writes_a_class_npz(tmp_path, capsys):
    out = tmp_path / "p.npz"
    assert main(["prior", "--arch", "fc:4,1", "--q", "-1,0,1/2,1", "--domain", "pm1", "--quiet", "--out", str(out)]) == 0
    assert "functions" in capsys.readouterr().out
    back = FunctionPrior.load(out)
    spec = NetworkSpec.parse("fc:4,1", "-1,0,1/2,1", "sign", "pm1")
    assert back.method == "classes" and back.counts == count_brute(spec, progress=False).counts
    assert main(["prior", "--arch", "fc:4,1", "--q", "-1,0,1", "--method", "nope"]) == 2


def test_auto_picks_the_class_counter_for_perceptrons():
    assert count_prior(NetworkSpec.parse("fc:4,1", "-1,0,1"), "auto", progress=False).method == "classes"
    assert count_prior(NetworkSpec.parse("fc:2,2,1", "-1,0,1"), "auto", progress=False).method == "fast"
    # the class counters cover one and two hidden layers too (equal to brute force); deeper nets they refuse
    for arch in ("fc:2,2,1", "fc:2,2,2,1"):
        hidden = NetworkSpec.parse(arch, "-1,0,1")
        assert count_prior(hidden, "classes").expand().counts == count_prior(hidden, "brute", progress=False).counts
    with pytest.raises(SpecError, match="^method"):
        count_prior(NetworkSpec.parse("fc:2,2,2,2,1", "-1,0,1"), "classes")
    assert Fraction(1, 3**5) <= count_prior(NetworkSpec.parse("fc:4,1", "-1,0,1"), "auto").probability("-" * 16)


# --------------------------------------------------------------------------- cost, budget, Ctrl-C


def test_class_counter_states_its_cost_and_refuses_beyond_the_budget(tmp_path, capsys):
    from enumerate.counting.budget import BudgetError
    from enumerate.counting.perceptron import SECONDS_PER_STEP, estimate_classes

    small = NetworkSpec.parse("fc:3,1", "-1,0,1", "sign", "pm1")  # Q = -Q on pm1: multisets of -|w|
    assert estimate_classes(small) == {"sorted_weight_vectors": 4, "steps": 12, "seconds": 12 * SECONDS_PER_STEP}
    huge = NetworkSpec.parse("fc:7,1", "int:31", "sign", "01")
    with pytest.raises(BudgetError, match="force=True"):
        count_classes(huge)
    with pytest.raises(BudgetError):
        count_prior(huge, "auto", progress=False)
    out = tmp_path / "p.npz"
    assert main(["prior", "--arch", "fc:7,1", "--q", "int:31", "--quiet", "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--force" in err[0] and "sorted weight vectors" in err[0] and not out.exists()
    # a tight budget refuses even a small spec: the check is real, not a constant
    with pytest.raises(BudgetError):
        count_classes(small, max_seconds=1e-6)
    assert count_classes(small, max_seconds=1e-6, force=True).covered == small.total


def test_a_json_out_too_large_for_a_class_prior_is_refused_before_the_work(tmp_path, capsys, monkeypatch):
    import enumerate.counting.perceptron as perceptron

    def never(*args, **kwargs):
        raise AssertionError("counted before refusing the output")

    monkeypatch.setattr(perceptron, "count_classes", never)
    out = tmp_path / "p.json"
    argv = ["prior", "--arch", "fc:7,1", "--q", "-1,-2/3,-1/3,0,1/3,2/3,1,4/3", "--quiet", "--out", str(out)]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert "--out" in err and ".npz" in err and "16,777,216" in err and not out.exists()
    # a small class prior still goes to JSON
    monkeypatch.undo()
    assert main(["prior", "--arch", "fc:3,1", "--q", "-1,0,1", "--quiet", "--out", str(out)]) == 0
    assert FunctionPrior.load(out).total == 81

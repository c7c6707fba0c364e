"""Simplicity-bias analyses: class-wise results against the expanded prior, the float
demonstration against the exact counters, and the command."""

import itertools
import json
from fractions import Fraction

import pytest

from enumerate import NetworkSpec
from enumerate.counting.brute import count_brute
from enumerate.cli import main
from enumerate.counting.perceptron import count_classes
from enumerate.analysis.simplicity import float_vs_exact, lz_profile, ones_distribution, peer_grid, rank_frequency


@pytest.mark.parametrize("arch,q,domain", [("fc:4,1", "peer:3", "01"), ("fc:5,1", "-1,0,1,2", "01"),
                                           ("fc:4,1", "-1,0,1", "pm1"), ("fc:3,1", "-1,0,1/2", "pm1")])
def test_analyses_of_classes_equal_those_of_the_expanded_prior(arch, q, domain):
    spec = NetworkSpec.parse(arch, peer_grid(3) if q == "peer:3" else q, "sign", domain)
    classes = count_classes(spec)
    flat = count_brute(spec, progress=False)
    # K_LZ: orbits enumerated by arrangements of the symmetric runs vs every table
    assert lz_profile(classes) == lz_profile(flat)
    assert ones_distribution(classes) == ones_distribution(flat)
    assert rank_frequency(classes) == rank_frequency(flat)


def test_ones_distribution_is_exact():
    prior = count_classes(NetworkSpec.parse("fc:3,1", "-1,0,1"))
    dist = ones_distribution(prior)
    assert sum(dist.values()) == 1
    # t = 8 (always +): b > 0 and every w.x + b > 0
    always = sum(1 for w in itertools.product((-1, 0, 1), repeat=4)
                 if all(sum(wi * xi for wi, xi in zip(w[:3], x)) + w[3] > 0
                        for x in itertools.product((0, 1), repeat=3)))
    assert dist[8] == Fraction(always, 81)


def test_rank_frequency_runs_cover_every_function():
    prior = count_classes(NetworkSpec.parse("fc:5,1", peer_grid(2)))
    rf = rank_frequency(prior)
    assert sum(r["tables"] for r in rf["runs"]) == prior.num_functions == rf["num_functions"]
    assert sum(r["tables"] * r["count"] for r in rf["runs"]) == prior.total
    assert rf["power_law"]["alpha"] > 0


def test_float_labels_agree_on_a_binary_grid_and_not_on_thirds():
    two = float_vs_exact(2, dim=4)        # -1, 0, 1, 2 are exact in float64
    assert two["changed_settings"] == 0 and two["lost"] == two["gained"] == 0
    three = float_vs_exact(3, dim=4)      # thirds are not
    assert three["changed_settings"] > 0
    # its exact branch is a brute-force count: the class counter must agree
    assert three["exact_functions"] == count_classes(NetworkSpec.parse("fc:4,1", peer_grid(3))).num_functions


def test_command_writes_summary_and_figures(tmp_path, capsys):
    assert main(["simplicity", "--arch", "fc:4,1", "--q", "peer:3", "--out-dir", str(tmp_path), "--float-demo"]) == 0
    assert {p.name for p in tmp_path.iterdir()} == {"summary.json", "rank.png", "lz.png", "ones.png"}
    data = json.loads((tmp_path / "summary.json").read_text())
    assert data["functions"] == data["float_vs_exact"]["exact_functions"]
    assert sum(Fraction(n, d) for n, d in data["ones"].values()) == 1
    capsys.readouterr()


@pytest.mark.parametrize("argv,arg", [
    (["--q", "peer:1", "--out-dir", "."], "--q"),
    (["--q", "peer:3", "--out-dir", "/proc/version/x"], "--out-dir"),  # under a file: cannot be made
    (["--q", "-1,0,1", "--out-dir", ".", "--float-demo"], "--float-demo"),
    (["--q", "-1,0,1", "--out-dir", ".", "--zero-label", "0"], "--zero-label"),
])
def test_command_refuses_bad_input_in_one_line(argv, arg, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["simplicity", "--arch", "fc:3,1", *argv]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"python -m enumerate: error: {arg}:") and "\n" not in err
    assert list(tmp_path.iterdir()) == []

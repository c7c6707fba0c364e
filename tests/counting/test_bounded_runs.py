"""Every run is bounded: ``auto`` picks the cheaper method by time and memory, the fast
counter stops itself before it could pass its memory budget, and huge or unreachable
requests are refused at once in one line (exit 2, no file)."""

import pytest

import enumerate.counting.fast as fast
from enumerate import NetworkSpec, count_prior
from enumerate._support.errors import approx
from enumerate.cli import main
from enumerate.counting.budget import BudgetError
from enumerate.counting.dispatch import choose_method
from enumerate.counting.fast import count_fast, estimate_fast
from tests.helpers import one_line_error

MANY = ",".join(str(i) for i in range(-500, 500))  # 1000 values: the fast counter would hold 10^9 vectors


def test_the_fast_estimate_bounds_a_depth_one_count_by_its_settings():
    spec = NetworkSpec.parse("fc:2,1", MANY)
    est = estimate_fast(spec)
    assert est["rows"] == 1000**3 and est["bytes"] > 4 * 2**30  # it was 0 bytes, and the run grew past 11 GB
    with pytest.raises(BudgetError, match="^force: the fast counter on fc:2,1 .* above the budget"):
        count_fast(spec, progress=False)
    small = NetworkSpec.parse("fc:2,1", "-1,0,1")
    assert estimate_fast(small)["rows"] == 27 and count_fast(small, progress=False).total == 27


def test_auto_picks_the_cheaper_method_by_time_and_memory(monkeypatch):
    assert choose_method(NetworkSpec.parse("fc:2,1", MANY)) == "brute"
    assert choose_method(NetworkSpec.parse("fc:2,2,1", "-1,0,1")) == "fast"  # both quick: the fast counter
    assert choose_method(NetworkSpec.parse("fc:4,1", "-1,0,1")) == "classes"
    # a fast counter estimated slower than brute force (and not quick) gives way to brute force
    spec = NetworkSpec.parse("fc:2,3,1", "-1,0,1")
    monkeypatch.setattr(fast, "SECONDS_PER_READOUT", 100.0)
    assert choose_method(spec) == "brute"
    assert count_prior(spec, progress=False).method == "brute"


def test_the_fast_counter_stops_itself_at_its_memory_budget(capsys, monkeypatch):
    # fc:4,5,1: the estimate passes, but a readout power grows past the budget (the run was
    # killed at 24 GB): the kernel stops once the power holds more vectors than the budget allows
    # (--method auto now takes the hidden-layer counter here: estimated ~75 s and ~0.3 GiB)
    assert main(["prior", "--arch", "fc:4,5,1", "--q=-1,0,1", "--method", "fast", "--quiet"]) == 2
    err = one_line_error(capsys, "--force")
    assert "grew past" in err and "memory budget of 4 GiB" in err
    # an estimate that says 0 bytes (as the old one did) does not let a run pass its budget
    spec = NetworkSpec.parse("fc:2,3,1", "-1,0,1")
    honest = estimate_fast(spec)
    monkeypatch.setattr(fast, "estimate_fast", lambda spec: {**honest, "bytes": 0})
    with pytest.raises(BudgetError, match="memory budget of 0 MiB"):
        count_fast(spec, progress=False, max_bytes=10_000)
    assert count_fast(spec, progress=False, max_bytes=10_000, force=True).total == spec.total


def test_auto_runs_a_large_q_perceptron_by_brute_force_within_budget(capsys, tmp_path):
    out = tmp_path / "p.json"
    assert main(["prior", "--arch", "fc:1,1", "--q", MANY, "--quiet", "--out", str(out)]) == 0
    assert out.exists()


def test_a_message_about_an_astronomic_count_is_formatted(capsys, tmp_path):
    out = tmp_path / "p.json"
    assert main(["prior", "--arch", "fc:20,1000,1", "--q=-1,0,1", "--out", str(out)]) == 2
    err = one_line_error(capsys, "--method")
    assert "e+10497 settings" in err and not out.exists()


def test_approx_formats_ints_past_the_string_conversion_limit():
    assert approx(3**30000) == "4.34e+14313"
    assert approx(10**5000) == "1.00e+5000" and approx(10**5000 - 1) == "9.99e+4999"
    assert approx(-(2 * 10**400)) == "-2.00e+400"


def test_an_invalid_dask_port_is_refused_at_once(capsys, tmp_path):
    out = tmp_path / "p.json"
    assert main(["prior", "--arch", "fc:2,1", "--q=-1,0,1", "--method", "brute", "--dask",
                 "tcp://127.0.0.1:99999", "--out", str(out)]) == 2
    assert "port 99999 is not in 1..65535" in one_line_error(capsys, "--dask") and not out.exists()
    assert main(["prior", "--arch", "fc:2,1", "--q=-1,0,1", "--method", "brute", "--dask", "host:80x"]) == 2
    assert "is not a number" in one_line_error(capsys, "--dask")

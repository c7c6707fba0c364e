"""Every command states its cost up front and refuses above the budget without --force
(exit 2, one line, nothing written); long float-demo labelling ends on Ctrl-C."""

import multiprocessing
import os
import select
import signal
import threading

import pytest

import enumerate.analysis.simplicity as simplicity
from enumerate import NetworkSpec
from enumerate.analysis.posterior import curve_cost
from enumerate.analysis.simplicity import float_demo_cost, float_vs_exact
from enumerate.cli import main
from tests.helpers import one_line_error


def test_curve_states_the_cost_of_a_huge_n_max_and_refuses_it(tmp_path, capsys):
    out = tmp_path / "c.json"
    argv = ["curve", "--arch", "fc:2,2,1", "--q=-1,0,1", "--teacher-table=---+", "--quiet", "--out", str(out)]
    assert main([*argv, "--n-max", "1000000000"]) == 2
    err = one_line_error(capsys, "--force")
    assert "1,000,000,001 exact points" in err and "pass --force" in err and not out.exists()
    assert main([*argv, "--n-max", "3"]) == 0 and out.exists()
    spec = NetworkSpec.parse("fc:2,2,1", "-1,0,1")
    assert curve_cost(spec, 20000).seconds > 3600 > curve_cost(spec, 3).seconds  # quadratic in n_max


def test_simplicity_float_demo_states_its_size_and_refuses_it(tmp_path, capsys):
    assert main(["simplicity", "--arch", "fc:8,1", "--q", "peer:10", "--float-demo", "--out-dir", str(tmp_path)]) == 2
    err = one_line_error(capsys, "--force")
    assert "float-demo" in err and "settings" in err and "pass --force" in err
    assert os.listdir(tmp_path) == []
    assert float_demo_cost(2, 3).seconds < 1 and float_demo_cost(10, 8).bytes > 4 * 2**30


def test_simplicity_of_a_network_out_of_reach_is_refused(tmp_path, capsys):
    assert main(["simplicity", "--arch", "fc:20,1", "--q", "peer:10", "--out-dir", str(tmp_path)]) == 2
    assert "out of reach" in one_line_error(capsys, "--arch") and os.listdir(tmp_path) == []


_STARTED = []  # the write end of a pipe: the blocked float-demo kernel says it has started


def _blocked_float_kernel(*args):
    os.write(_STARTED[0], b"started")
    threading.Event().wait()


def test_ctrl_c_ends_a_long_float_demo_and_its_child(monkeypatch):
    # the child's kernel cannot finish; Ctrl-C comes once the child has started, not after a time
    monkeypatch.setattr(simplicity, "CHILD_SECONDS", -1.0)
    monkeypatch.setattr(simplicity, "_float_kernel", _blocked_float_kernel)
    read, write = os.pipe()
    _STARTED[:] = [write]
    seen = []

    def interrupt_once_started():
        ready, _, _ = select.select([read], [], [], 300)  # a hang guard, not a timing check
        seen.append(os.read(read, 7) if ready else b"")
        os.kill(os.getpid(), signal.SIGINT)

    waiter = threading.Thread(target=interrupt_once_started)
    waiter.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            float_vs_exact(2, dim=3)
    finally:
        waiter.join()
        os.close(read)
        os.close(write)
        _STARTED.clear()
    assert seen == [b"started"] and multiprocessing.active_children() == []
    monkeypatch.undo()
    monkeypatch.setattr(simplicity, "CHILD_SECONDS", -1.0)  # the child gives the same answer as inline
    in_child = float_vs_exact(3, dim=3)
    monkeypatch.undo()
    assert in_child == float_vs_exact(3, dim=3) and in_child["exact_functions"] == 104

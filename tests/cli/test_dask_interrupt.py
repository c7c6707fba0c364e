"""Ctrl-C during a Dask run prints one line (no page of distributed logging), saves the
checkpoint it names and leaves no worker process behind (issue 18)."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.helpers import ROOT

pytest.importorskip("distributed")

#: a Dask brute-force run whose client blocks after its first finished shard (it says so on
#: stdout, then waits on stdin): the test interrupts a run that cannot finish, not a timer
_BLOCKED_DASK_RUN = """
import sys
import enumerate.counting.distributed as dd

count = dd.count_distributed

def blocked_after_one_shard(*args, **kwargs):
    def hook(_i, finished, _n):
        if finished == 1:
            print("shard finished", flush=True)
            sys.stdin.read()
    return count(*args, on_shard=hook, **kwargs)

dd.count_distributed = blocked_after_one_shard
from enumerate.cli import main
sys.exit(main(["prior", "--arch", "fc:2,2,1", "--q=-1,0,1", "--method", "brute", "--dask",
               "--checkpoint", sys.argv[1], "--quiet"]))
"""


def _session_processes(sid):
    """Processes still alive in session ``sid`` (the child and everything it started)."""
    alive = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":  # field 6 of stat: the session id
            alive.append(int(pid))
    return alive


def test_ctrl_c_during_a_dask_run_is_one_line_and_leaves_no_worker(tmp_path):
    ckpt = tmp_path / "run.ckpt.json"
    proc = subprocess.Popen([sys.executable, "-c", _BLOCKED_DASK_RUN, str(ckpt)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            start_new_session=True)
    try:
        assert proc.stdout.readline() == "shard finished\n", proc.stderr.read()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=300)  # a hang guard only
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, err
    line = err.strip()
    assert line.count("\n") == 0, err
    assert line.startswith("python -m enumerate: interrupted after") and f"progress saved in {ckpt}" in line
    assert len(json.loads(ckpt.read_text())["progress"]["done"]) >= 1  # the finished shard is kept
    # the local cluster's workers end with the client (waited for as a state; 120 s guard a hang only)
    deadline = time.monotonic() + 120
    while _session_processes(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _session_processes(proc.pid) == []

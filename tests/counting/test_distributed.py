"""Brute force on Dask: the same counts as in-process, through worker loss, client interrupts and
an external ``dask scheduler`` / ``dask worker`` cluster."""

import json
import os
import re
import socket
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings

from enumerate import NetworkSpec, SpecError, count_prior
from enumerate.counting.brute import count_brute, count_steps, total_steps
from enumerate.cli import main
from tests.counting.dask_helpers import kill_one_worker, stop_after
from enumerate.counting.distributed import ShardPlan, count_distributed, merge_counts, shard_plan
from enumerate.testing import specs

distributed = pytest.importorskip("distributed")

#: 3^13 = 1.6M settings: enough shards to interrupt mid-run (the hooks make the timing deterministic)
MEDIUM = NetworkSpec.parse("fc:2,3,1", "-1,0,1", "sign", "01")
SMALL = ["--arch", "fc:2,2,1", "--q=-1,0,1"]


@pytest.fixture(scope="module")
def medium_counts():
    return count_brute(MEDIUM, progress=False).counts


def test_shards_partition_the_steps():
    spec = NetworkSpec.parse("fc:2,2,1", "-1,0,1")
    plan = shard_plan(spec, 7)
    cuts = [plan.bounds(i) for i in range(plan.shards)]
    assert cuts[0][0] == 0 and cuts[-1][1] == total_steps(spec)
    assert all(a[1] == b[0] and a[0] < a[1] for a, b in zip(cuts, cuts[1:]))
    whole = merge_counts(*(count_steps(spec, a, b) for a, b in cuts))
    assert whole == count_brute(spec, progress=False).counts
    # a wrong cut (one shard left out) is visible
    assert merge_counts(*(count_steps(spec, a, b) for a, b in cuts[1:])) != whole
    assert shard_plan(spec, 10**9).shards == total_steps(spec)  # never an empty shard


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=specs(max_settings=20_000))
def test_counts_equal_the_in_process_method(client, spec):
    prior = count_prior(spec, "brute", scheduler=client, progress=False, shards=5)
    assert prior.counts == count_brute(spec, progress=False).counts
    assert prior.meta["workers"] == 2 and prior.meta["shards"] == min(5, total_steps(spec))


def test_a_custom_domain_and_scale_set_travel_to_the_workers_exactly(client, capsys):
    spec = NetworkSpec.parse("sfc:2,2,1", "-1,0,1/2", "leaky:1/3", '[[0, 1], ["1/2", -1], [-1, "3/4"]]', "0", "-1,1")
    prior = count_distributed(spec, client, shards=12, progress=True)
    assert prior.counts == count_brute(spec, progress=False).counts
    assert re.search(r"100%.*\b12(\.0)?/12(\.0)? .*shard", capsys.readouterr().err)  # a bar over finished shards


def test_a_worker_killed_mid_run_changes_nothing(client, medium_counts):
    before = set(client.scheduler_info()["workers"])
    killed = []
    kill_one = kill_one_worker(client, killed)
    prior = count_distributed(MEDIUM, client, shards=40, progress=False, on_shard=kill_one)
    assert killed and prior.counts == medium_counts
    client.wait_for_workers(2, timeout=60)
    assert killed[0] in before and set(client.scheduler_info()["workers"]) != before  # the nanny replaced it


def test_an_interrupted_client_resumes_from_its_checkpoint(client, tmp_path, medium_counts):
    ckpt = tmp_path / "run.ckpt.json"
    with pytest.raises(KeyboardInterrupt):
        count_distributed(MEDIUM, client, shards=16, checkpoint=str(ckpt), progress=False, on_shard=stop_after(5))
    data = json.loads(ckpt.read_text())
    plan, done = ShardPlan(**data["progress"]["plan"]), data["progress"]["done"]
    assert len(done) == 5 and plan.shards == 16
    # the saved counts are exactly those of the finished shards: nothing lost, nothing twice
    assert data["counts"] == merge_counts(*(count_steps(MEDIUM, *plan.bounds(i)) for i in done))
    resumed = []
    prior = count_distributed(MEDIUM, client, shards=16, checkpoint=str(ckpt), progress=False,
                              on_shard=lambda i, *_: resumed.append(i))
    assert prior.counts == medium_counts
    assert sorted(resumed) == sorted(set(range(16)) - set(done))  # only the missing shards ran
    assert not ckpt.exists()


def test_a_periodic_checkpoint_survives_a_crashed_client(client, tmp_path, medium_counts):
    ckpt = tmp_path / "run.ckpt.json"
    crash = stop_after(9, RuntimeError("client lost"))  # not Ctrl-C: only the periodic checkpoints are on disk
    with pytest.raises(RuntimeError):
        count_distributed(MEDIUM, client, shards=16, checkpoint=str(ckpt), checkpoint_every=0, progress=False,
                          on_shard=crash)
    assert len(json.loads(ckpt.read_text())["progress"]["done"]) == 8  # saved after each shard up to the crash
    assert count_distributed(MEDIUM, client, shards=16, checkpoint=str(ckpt), progress=False).counts == medium_counts


def test_checkpoints_are_tied_to_spec_and_plan(client, tmp_path):
    spec = NetworkSpec.parse("fc:2,2,1", "-1,0,1")
    ckpt = tmp_path / "c.json"
    with pytest.raises(KeyboardInterrupt):
        count_distributed(spec, client, shards=6, checkpoint=str(ckpt), progress=False, on_shard=stop_after(2))
    with pytest.raises(SpecError, match="plan of 6 shards"):
        count_distributed(spec, client, shards=7, checkpoint=str(ckpt), progress=False)
    with pytest.raises(SpecError, match="another network"):
        count_distributed(spec.with_arch("fc:2,3,1"), client, shards=6, checkpoint=str(ckpt), progress=False)
    data = json.loads(ckpt.read_text())
    data["counts"][next(iter(data["counts"]))] += 1
    ckpt.write_text(json.dumps(data))
    with pytest.raises(SpecError, match="digest"):
        count_distributed(spec, client, shards=6, checkpoint=str(ckpt), progress=False)
    from enumerate.counting.checkpoint import digest

    data["digest"] = digest({k: v for k, v in data.items() if k != "digest"})  # an edit that fixes the digest too
    ckpt.write_text(json.dumps(data))
    with pytest.raises(SpecError, match="inconsistent"):
        count_distributed(spec, client, shards=6, checkpoint=str(ckpt), progress=False)


def test_cli_errors_are_one_line(capsys):
    assert main(["prior", *SMALL, "--method", "fast", "--dask", "tcp://127.0.0.1:1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--dask: the fast counter runs in-process only" in err
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        assert main(["prior", *SMALL, "--method", "brute", "--dask", f"tcp://127.0.0.1:{_free_port()}"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--dask: cannot reach a Dask scheduler at tcp://127.0.0.1:" in err
    assert main(["prior", *SMALL, "--method", "brute", "--dask", "somewhere"]) == 2
    assert "--dask: 'somewhere': give a scheduler address" in capsys.readouterr().err
    assert main(["prior", *SMALL, "--method", "brute", "--threads", "2", "--dask", "tcp://127.0.0.1:1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--threads: sets the in-process threads" in err


def test_dask_without_a_value_starts_a_local_cluster_on_127_0_0_1(capsys, monkeypatch):
    started = []

    class Spy(distributed.LocalCluster):  # the real LocalCluster, its addresses recorded
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.wait_for_workers(len(self.worker_spec))  # workers register a moment after the cluster starts
            started.append([self.scheduler_address, *self.scheduler_info["workers"], self.dashboard_link])

    monkeypatch.setattr(distributed, "LocalCluster", Spy)
    assert main(["prior", *SMALL, "--method", "brute", "--dask", "--quiet", "--top", "1"]) == 0
    assert "19,683 settings" in capsys.readouterr().out
    [addresses] = started
    assert len(addresses) == 2 + (os.cpu_count() or 1)
    assert all(a.split("//")[1].startswith("127.0.0.1:") for a in addresses), addresses


def test_without_dask_nothing_imports_it():
    code = ("import sys; from enumerate.cli import main; "
            "assert main(['prior', '--arch', 'fc:2,1', '--q=-1,0,1', '--method', 'brute', '--quiet']) == 0; "
            "assert not {'dask', 'distributed'} & set(sys.modules), 'dask was imported'")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_external_dask_scheduler_and_worker_give_the_same_counts(tmp_path):
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    dask_cli = [os.path.join(os.path.dirname(sys.executable), "dask")]
    procs = [subprocess.Popen([*dask_cli, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        procs.append(subprocess.Popen([*dask_cli, "worker", address, "--nworkers", "1", "--nthreads", "2",
                                       "--host", "127.0.0.1", "--no-dashboard"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        with distributed.Client(address, timeout=60) as c:
            c.wait_for_workers(1, timeout=60)
        out = tmp_path / "prior.json"
        assert main(["prior", *SMALL, "--method", "brute", "--dask", address, "--quiet", "--out", str(out)]) == 0
        data = json.loads(out.read_text())
        counts = {f["table"]: f["count"] for f in data["functions"]}
        assert counts == count_brute(NetworkSpec.parse("fc:2,2,1", "-1,0,1"), progress=False).counts
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()

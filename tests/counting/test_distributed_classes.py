"""The perceptron class counter on a local Dask cluster: the same classes as in-process,
and the faults (a killed worker, a killed client resumed, damaged checkpoints).

Second methods: the in-process class counter (itself checked against brute force), and the
partials of the finished blocks recomputed in the test. No test waits for a time: the
faults are injected by hooks at given numbers of finished blocks.
"""

import json

import numpy as np
import pytest

from enumerate import NetworkSpec, SpecError, count_prior
from enumerate.cli import main
from tests.counting.dask_helpers import kill_one_worker, stop_after
from enumerate.counting.distributed import ShardPlan
from enumerate.counting.distributed import merge_stores
from enumerate.counting.distributed_classes import CHECKPOINT_SCHEMA, count_classes_distributed
from enumerate.counting.perceptron import count_classes, count_range

distributed = pytest.importorskip("distributed")

#: 210 sorted weight vectors x 5 biases: enough blocks to interrupt mid-run
MEDIUM = NetworkSpec.parse("fc:6,1", "-1,-1/2,0,1/2,1", "sign", "01")


@pytest.fixture(scope="module")
def medium():
    return count_classes(MEDIUM, threads=1)


def _same(a, b):
    return (np.array_equal(a.tables, b.tables) and np.array_equal(a.sizes, b.sizes)
            and np.array_equal(a.counts_by_class, b.counts_by_class))


@pytest.mark.parametrize("arch,q,domain,zl,blocks", [("fc:4,1", "-1,-1/3,1/3,1", "01", "-1", 7),
                                                     ("fc:3,1", "-2,-1,0,1/2,1", "pm1", "0", 5),
                                                     ("fc:5,1", "-1,0,1", "pm1", "+1", 3)])
def test_classes_equal_the_in_process_counter(client, arch, q, domain, zl, blocks):
    spec = NetworkSpec.parse(arch, q, "sign", domain, zl)
    prior = count_classes_distributed(spec, client, blocks=blocks, progress=False)
    assert _same(prior, count_classes(spec, threads=1))
    assert prior.meta["workers"] == 2 and prior.meta["blocks"] == blocks and prior.method == "classes"


def test_auto_and_classes_run_on_dask_or_say_why_not(client):
    spec = NetworkSpec.parse("fc:4,1", "-1,0,1")
    for method in ("auto", "classes"):
        prior = count_prior(spec, method, scheduler=client, progress=False, blocks=4)
        assert prior.meta["blocks"] == 4 and _same(prior, count_classes(spec))
    with pytest.raises(SpecError, match="dask: method=.auto. picks the fast counter for this network"):
        count_prior(NetworkSpec.parse("fc:2,2,1", "-1,0,1"), "auto", scheduler=client)
    with pytest.raises(SpecError, match="dask: method=.auto. picks the two-hidden-layer class counter"):
        count_prior(NetworkSpec.parse("fc:3,2,2,1", "-1,0,1"), "auto", scheduler=client)
    with pytest.raises(SpecError, match="dask: the fast counter runs in-process only"):
        count_prior(NetworkSpec.parse("fc:2,2,1", "-1,0,1"), "fast", scheduler=client)


def test_a_worker_killed_mid_run_changes_nothing(client, medium):
    before = set(client.scheduler_info()["workers"])
    killed = []
    kill_one = kill_one_worker(client, killed)
    prior = count_classes_distributed(MEDIUM, client, blocks=30, progress=False, on_block=kill_one)
    assert killed and _same(prior, medium)
    client.wait_for_workers(2, timeout=60)
    assert killed[0] in before and set(client.scheduler_info()["workers"]) != before  # the nanny replaced it


def _header(path):
    with np.load(path, allow_pickle=False) as z:
        return json.loads(str(z["header"]))


def test_an_interrupted_client_resumes_from_its_checkpoint(client, tmp_path, medium):
    from enumerate.counting.checkpoint import load_checkpoint

    ckpt = tmp_path / "run.ckpt"
    with pytest.raises(KeyboardInterrupt):
        count_classes_distributed(MEDIUM, client, blocks=16, checkpoint=str(ckpt), progress=False,
                                  on_block=stop_after(5))
    progress = _header(ckpt)["progress"]
    plan, done = ShardPlan(**progress["plan"]), progress["done"]
    assert len(done) == 5 and plan.shards == 16
    # the saved partial is exactly that of the finished blocks: nothing lost, nothing twice
    _, store = load_checkpoint(str(ckpt), CHECKPOINT_SCHEMA, MEDIUM, lambda p: sum(
        count_range(MEDIUM, *plan.bounds(i)).covered() for i in p["done"]))
    expected = merge_stores(*(count_range(MEDIUM, *plan.bounds(i)) for i in done))
    assert np.array_equal(store.tables, expected.tables) and np.array_equal(store.counts, expected.counts)
    resumed = []
    prior = count_classes_distributed(MEDIUM, client, blocks=16, checkpoint=str(ckpt), progress=False,
                                      on_block=lambda i, *_: resumed.append(i))
    assert _same(prior, medium)
    assert sorted(resumed) == sorted(set(range(16)) - set(done))  # only the missing blocks ran
    assert not ckpt.exists()


def test_a_periodic_checkpoint_survives_a_crashed_client(client, tmp_path, medium):
    ckpt = tmp_path / "run.ckpt"
    with pytest.raises(RuntimeError):
        count_classes_distributed(MEDIUM, client, blocks=16, checkpoint=str(ckpt), checkpoint_every=0,
                                  progress=False, on_block=stop_after(9, RuntimeError("client lost")))
    assert len(_header(ckpt)["progress"]["done"]) == 8  # saved after each block up to the crash
    assert _same(count_classes_distributed(MEDIUM, client, blocks=16, checkpoint=str(ckpt), progress=False), medium)


def _rewrite(path, header=None, counts=None):
    """Rewrite a columnar checkpoint with a changed header and/or counts."""
    from enumerate._support.files import atomic_write_npz

    with np.load(path, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    if header is not None:
        arrays["header"] = np.array(json.dumps(header))
    if counts is not None:
        arrays["counts"] = counts
    atomic_write_npz(path, arrays)


def test_damaged_or_foreign_checkpoints_are_refused(client, tmp_path):
    from enumerate.counting.checkpoint import digest
    from enumerate.results.files import content_digest
    from enumerate.results.io import words_count
    from enumerate.results.table_store import TableStore

    spec = NetworkSpec.parse("fc:4,1", "-1,-1/3,1/3,1")
    ckpt = tmp_path / "c.ckpt"
    with pytest.raises(KeyboardInterrupt):
        count_classes_distributed(spec, client, blocks=6, checkpoint=str(ckpt), progress=False,
                                  on_block=stop_after(2))
    good = ckpt.read_bytes()
    with pytest.raises(SpecError, match="plan of 6 blocks"):
        count_classes_distributed(spec, client, blocks=7, checkpoint=str(ckpt), progress=False)
    with pytest.raises(SpecError, match="another network"):
        count_classes_distributed(NetworkSpec.parse("fc:4,1", "-1,-1/3,1/3,1", "sign", "01", "+1"), client, blocks=6, checkpoint=str(ckpt), progress=False)
    header = _header(ckpt)
    with np.load(ckpt, allow_pickle=False) as z:
        tables, words = z["tables"], z["counts"].copy()
    words[0, 0] += 1  # one count more: the content digest no longer matches
    _rewrite(ckpt, counts=words)
    with pytest.raises(SpecError, match="digest"):
        count_classes_distributed(spec, client, blocks=6, checkpoint=str(ckpt), progress=False)
    # an edit that fixes both digests too: the counts no longer cover the settings of the finished blocks
    store = TableStore(tables, words_count(words), len(spec.domain))
    body = {k: v for k, v in header.items() if k != "digest"}
    body["content"] = content_digest(spec, store)
    _rewrite(ckpt, header={**body, "digest": digest(body)})
    with pytest.raises(SpecError, match="inconsistent"):
        count_classes_distributed(spec, client, blocks=6, checkpoint=str(ckpt), progress=False)
    ckpt.write_bytes(good[: len(good) // 2])  # a truncated file
    with pytest.raises(SpecError, match="truncated or not a checkpoint"):
        count_classes_distributed(spec, client, blocks=6, checkpoint=str(ckpt), progress=False)
    ckpt.write_bytes(good)  # the undamaged file still resumes
    assert _same(count_classes_distributed(spec, client, blocks=6, checkpoint=str(ckpt), progress=False),
                 count_classes(spec))


def test_cli_classes_on_dask_errors_are_one_line(capsys):
    args = ["prior", "--arch", "fc:4,1", "--q=-1,0,1", "--method", "classes"]
    assert main([*args, "--dask", "tcp://127.0.0.1:99999"]) == 2  # refused before any connection
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--dask: 'tcp://127.0.0.1:99999': port 99999 is not in 1..65535" in err
    assert main(["prior", "--arch", "fc:3,2,2,1", "--q=-1,0,1", "--out", "x.npz", "--dask", "tcp://127.0.0.1:1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--dask: --method auto picks the two-hidden-layer class counter" in err


def test_ctrl_c_in_a_cli_class_count_on_dask_is_one_line(capsys, monkeypatch, tmp_path):
    import contextlib

    import enumerate.counting.distributed as dc  # run_class_blocks connects and runs the tasks

    @contextlib.contextmanager
    def fake_connect(scheduler, workers):
        yield None

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(dc, "connect", fake_connect)
    monkeypatch.setattr(dc, "check_workers", lambda client, warm_up: None)
    monkeypatch.setattr(dc, "run_keyed", interrupted)
    out = tmp_path / "p.npz"
    assert main(["prior", "--arch", "fc:4,1", "--q=-1,0,1", "--method", "classes", "--dask", "--out", str(out)]) == 130
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "interrupted after" in err and not out.exists()

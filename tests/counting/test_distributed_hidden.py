"""The hidden-layer class counter on a local Dask cluster: the same classes as in-process,
and the faults (a killed worker, a killed client resumed, damaged checkpoints, Ctrl-C).

Second methods: the in-process hidden-layer counter (itself checked against brute force
and the fast counter in test_hidden.py), the partials of the finished blocks recomputed
in the test, and the closed formula of the settings per chunk against the partials'
sums. No test waits for a time: the faults are injected by hooks at given numbers of
finished blocks.
"""

import json

import numpy as np
import pytest

from enumerate import NetworkSpec, SpecError, count_prior
from enumerate.cli import main
from enumerate.counting.distributed import ShardPlan, merge_stores
from enumerate.counting.distributed_hidden import (CHECKPOINT_SCHEMA, block_partial, count_hidden_distributed,
                                                   hidden_block_plan)
from enumerate.counting.hidden import HiddenUnits, chunk_settings, count_hidden
from tests.counting.dask_helpers import kill_one_worker, stop_after

distributed = pytest.importorskip("distributed")

#: 53 chunks, a fraction of a second in-process: enough blocks to interrupt mid-run
MEDIUM = NetworkSpec.parse("fc:5,2,1", "-1,0,1", "sign", "01")


@pytest.fixture(scope="module")
def medium():
    return count_hidden(MEDIUM, progress=False, threads=1)


def _same(a, b):
    return (np.array_equal(a.tables, b.tables) and np.array_equal(a.sizes, b.sizes)
            and list(a.counts_by_class) == list(b.counts_by_class))


@pytest.mark.parametrize("arch,q,act,domain,zl,sq,blocks", [
    ("fc:3,2,1", "-1,0,1", "sign", "01", "-1", None, 5),
    ("sfc:3,2,1", "-1,0,1", "sign", "01", "-1", "-1/2,1", 4),
    ("fc:3,2,1", "-1,0,1", "relu", "pm1", "+1", None, 3),
    ("fc:3,2,1", "-1,0,1", "sign", "pm1", "0", None, 6),
])
def test_classes_equal_the_in_process_counter(client, arch, q, act, domain, zl, sq, blocks):
    spec = NetworkSpec.parse(arch, q, act, domain, zl, scale_q=sq)
    prior = count_hidden_distributed(spec, client, blocks=blocks, progress=False)
    assert _same(prior, count_hidden(spec, progress=False, threads=1))
    assert prior.meta["workers"] == 2 and prior.meta["blocks"] == min(blocks, prior.meta["chunks"])
    assert prior.method == "classes" and prior.covered == spec.total


def test_any_block_count_gives_the_same_prior(client, medium):
    chunks = HiddenUnits(MEDIUM).num_orbits
    for blocks in (1, 7, chunks, 10 * chunks):
        prior = count_hidden_distributed(MEDIUM, client, blocks=blocks, progress=False)
        assert _same(prior, medium) and prior.meta["blocks"] == min(blocks, chunks)


def test_blocks_partition_the_chunks_and_their_settings_have_a_closed_form():
    units = HiddenUnits(MEDIUM)
    plan, blocks = hidden_block_plan(MEDIUM, 7, units)
    assert sorted(a for b in blocks for a in b) == list(range(units.num_orbits)) and len(blocks) == plan.shards == 7
    assert hidden_block_plan(MEDIUM, None, units) == hidden_block_plan(MEDIUM)  # the spec alone decides
    settings = chunk_settings(MEDIUM, units)
    assert sum(settings) == MEDIUM.total
    parts = [block_partial(MEDIUM, units, b) for b in blocks]  # each checks its sum against the formula
    assert [p.covered() for p in parts] == [sum(settings[a] for a in b) for b in blocks]
    # the formula sees a wrong one: a chunk's settings moved to its neighbour
    wrong = settings[:]
    wrong[0], wrong[1] = wrong[0] + 1, wrong[1] - 1
    assert any(p.covered() != sum(wrong[a] for a in b) for p, b in zip(parts, blocks))


def _force_residues(on):
    """Make the partials count modulo primes (as past 2^63) in this process, or stop."""
    import enumerate.counting.distributed_hidden as dh
    from enumerate.counting import fast

    dh.primes_for = (lambda total: fast.primes_for(2**80)) if on else fast.primes_for


def test_partials_counted_modulo_primes_give_the_same_exact_ints(client, medium):
    """The path of |Q|^P >= 2^63 (a spec past it that is cheap to count has tens of seconds of
    work): residues per partial, exact ints by the CRT, merged as Python ints on the cluster."""
    client.run(_force_residues, True)
    try:
        prior = count_hidden_distributed(MEDIUM, client, blocks=5, progress=False)
    finally:
        client.run(_force_residues, False)
    assert _same(prior, medium)
    units = HiddenUnits(MEDIUM)
    _force_residues(True)
    try:
        exact = block_partial(MEDIUM, units, [0, 3])
    finally:
        _force_residues(False)
    plain = block_partial(MEDIUM, units, [0, 3])
    assert exact.exact and not plain.exact and exact == plain


def test_auto_and_classes_run_on_dask_or_say_why_not(client):
    for arch, method in (("fc:3,2,1", "classes"), ("fc:6,1,1", "auto"), ("fc:6,1,1", "classes")):
        spec = NetworkSpec.parse(arch, "-1,0,1")
        prior = count_prior(spec, method, scheduler=client, progress=False, blocks=3)
        assert prior.meta["blocks"] == 3 and _same(prior, count_hidden(spec, progress=False))
    with pytest.raises(SpecError, match="dask: method=.auto. picks the two-hidden-layer class counter for this "
                                        "network, which runs in-process only"):
        count_prior(NetworkSpec.parse("fc:3,2,2,1", "-1,0,1"), "auto", scheduler=client)


def test_a_worker_killed_mid_run_changes_nothing(client, medium):
    before = set(client.scheduler_info()["workers"])
    killed = []
    prior = count_hidden_distributed(MEDIUM, client, blocks=30, progress=False,
                                     on_block=kill_one_worker(client, killed))
    assert killed and _same(prior, medium)
    client.wait_for_workers(2, timeout=60)
    assert killed[0] in before and set(client.scheduler_info()["workers"]) != before  # the nanny replaced it


def _header(path):
    with np.load(path, allow_pickle=False) as z:
        return json.loads(str(z["header"]))


def test_an_interrupted_client_resumes_from_its_checkpoint(client, tmp_path, medium):
    ckpt = tmp_path / "run.ckpt"
    with pytest.raises(KeyboardInterrupt):
        count_hidden_distributed(MEDIUM, client, blocks=12, checkpoint=str(ckpt), progress=False,
                                 on_block=stop_after(4))
    progress = _header(ckpt)["progress"]
    plan, done = ShardPlan(**progress["plan"]), progress["done"]
    assert len(done) == 4 and plan.shards == 12
    # the saved partial is exactly that of the finished blocks: nothing lost, nothing twice
    from enumerate.counting.checkpoint import load_checkpoint

    units = HiddenUnits(MEDIUM)
    blocks = hidden_block_plan(MEDIUM, 12, units)[1]
    parts = [block_partial(MEDIUM, units, blocks[i]) for i in done]
    _, store = load_checkpoint(str(ckpt), CHECKPOINT_SCHEMA, MEDIUM, lambda p: sum(x.covered() for x in parts))
    expected = merge_stores(*parts)
    assert np.array_equal(store.tables, expected.tables) and np.array_equal(store.counts, expected.counts)
    resumed = []
    prior = count_hidden_distributed(MEDIUM, client, blocks=12, checkpoint=str(ckpt), progress=False,
                                     on_block=lambda i, *_: resumed.append(i))
    assert _same(prior, medium)
    assert sorted(resumed) == sorted(set(range(12)) - set(done))  # only the missing blocks ran
    assert not ckpt.exists()


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


def test_damaged_or_foreign_checkpoints_are_refused(client, tmp_path, medium):
    from enumerate.counting.checkpoint import digest
    from enumerate.results.files import content_digest
    from enumerate.results.io import words_count
    from enumerate.results.table_store import TableStore

    ckpt = tmp_path / "c.ckpt"
    with pytest.raises(KeyboardInterrupt):
        count_hidden_distributed(MEDIUM, client, blocks=6, checkpoint=str(ckpt), progress=False,
                                 on_block=stop_after(2))
    good = ckpt.read_bytes()
    with pytest.raises(SpecError, match="plan of 6 blocks"):
        count_hidden_distributed(MEDIUM, client, blocks=7, checkpoint=str(ckpt), progress=False)
    with pytest.raises(SpecError, match="another network"):
        count_hidden_distributed(NetworkSpec.parse("fc:5,2,1", "-1,0,1", "sign", "01", "+1"), client, blocks=6,
                                 checkpoint=str(ckpt), progress=False)
    header = _header(ckpt)
    with np.load(ckpt, allow_pickle=False) as z:
        tables, words = z["tables"], z["counts"].copy()
    words[0, 0] += 1  # one count more: the content digest no longer matches
    _rewrite(ckpt, counts=words)
    with pytest.raises(SpecError, match="digest"):
        count_hidden_distributed(MEDIUM, client, blocks=6, checkpoint=str(ckpt), progress=False)
    # an edit that fixes both digests too: the totals no longer cover the settings of the finished blocks' chunks
    store = TableStore(tables, words_count(words), len(MEDIUM.domain))
    body = {k: v for k, v in header.items() if k != "digest"}
    body["content"] = content_digest(MEDIUM, store)
    _rewrite(ckpt, header={**body, "digest": digest(body)})
    with pytest.raises(SpecError, match="inconsistent"):
        count_hidden_distributed(MEDIUM, client, blocks=6, checkpoint=str(ckpt), progress=False)
    # a progress claiming one block more (digest fixed): its chunks' settings are not in the totals
    ckpt.write_bytes(good)
    body = {k: v for k, v in header.items() if k != "digest"}
    body["progress"] = {**body["progress"], "done": sorted(set(range(6)) - set(body["progress"]["done"]))[:1]
                        + body["progress"]["done"]}
    _rewrite(ckpt, header={**body, "digest": digest(body)})
    with pytest.raises(SpecError, match="inconsistent"):
        count_hidden_distributed(MEDIUM, client, blocks=6, checkpoint=str(ckpt), progress=False)
    ckpt.write_bytes(good[: len(good) // 2])  # a truncated file
    with pytest.raises(SpecError, match="truncated or not a checkpoint"):
        count_hidden_distributed(MEDIUM, client, blocks=6, checkpoint=str(ckpt), progress=False)
    ckpt.write_bytes(good)  # the undamaged file still resumes
    assert _same(count_hidden_distributed(MEDIUM, client, blocks=6, checkpoint=str(ckpt), progress=False), medium)


def test_cli_hidden_on_dask_errors_are_one_line(capsys):
    args = ["prior", "--arch", "fc:3,2,1", "--q=-1,0,1", "--method", "classes"]
    assert main([*args, "--dask", "tcp://127.0.0.1:99999"]) == 2  # refused before any connection
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--dask: 'tcp://127.0.0.1:99999': port 99999 is not in 1..65535" in err
    assert main(["prior", "--arch", "fc:3,2,2,1", "--q=-1,0,1", "--out", "x.npz", "--dask", "tcp://127.0.0.1:1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--dask: --method auto picks the two-hidden-layer class counter" in err


def test_ctrl_c_in_a_cli_hidden_count_on_dask_is_one_line(capsys, monkeypatch, tmp_path):
    import contextlib

    import enumerate.counting.distributed as dh  # run_class_blocks connects and runs the tasks

    @contextlib.contextmanager
    def fake_connect(scheduler, workers):
        yield None

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(dh, "connect", fake_connect)
    monkeypatch.setattr(dh, "check_workers", lambda client, warm_up: None)
    monkeypatch.setattr(dh, "run_keyed", interrupted)
    out = tmp_path / "p.npz"
    assert main(["prior", "--arch", "fc:3,2,1", "--q=-1,0,1", "--method", "classes", "--dask", "--out", str(out)]) == 130
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "interrupted after" in err and not out.exists()

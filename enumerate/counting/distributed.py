"""Brute force on a Dask cluster: the same exact counts, surviving worker loss.

The enumeration steps of :mod:`enumerate.counting.brute` are cut by a fixed :class:`ShardPlan` into
contiguous ranges. Each shard is one pure task, keyed by the spec, the plan and the shard id,
that carries only the spec (as JSON data) and two integers, and returns a partial histogram as
arrays (a :class:`~enumerate.results.table_store.TableStore`: packed tables in table order,
int64 counts). Finished shards are merged on the cluster by a tree reduction of sorted merges;
merging adds exact integers, so retries and any merge order give the same counts. A checkpoint
(atomic JSON) holds the finished shard ids and their merged counts, so a killed client resumes
with nothing lost or counted twice. Dask is imported only here, only when asked for.

>>> plan = ShardPlan(total_steps=10, shards=4)
>>> [plan.bounds(i) for i in range(plan.shards)]
[(0, 2), (2, 5), (5, 7), (7, 10)]
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import os
import time
from dataclasses import asdict, dataclass

from .brute import CHECKPOINT_SCHEMA as INPROCESS_SCHEMA
from .brute import DASK_CHECKPOINT_SCHEMA as CHECKPOINT_SCHEMA
from .brute import DEFAULT_MAX_SETTINGS, check_budget, count_steps, count_steps_store, total_steps
from .._support import cores
from .checkpoint import load_checkpoint, remove_checkpoint, save_checkpoint
from ..results.prior import FunctionPrior
from ..results.table_store import TableStore
from .._support.progress import progress_bar
from ..core.spec import NetworkSpec, SpecError

__all__ = ["ShardPlan", "shard_plan", "count_distributed", "connect", "merge_counts", "merge_stores", "run_keyed",
           "check_workers", "spec_from_text", "finished_tasks", "keyed_tasks", "run_class_blocks", "SHARD_SETTINGS",
           "CHECKPOINT_SCHEMA"]

#: target settings per shard: about a second of one core (benchmarks/dask.py measures the per-task cost)
SHARD_SETTINGS = 2**26
#: fewest / most shards of a default plan (load balance on small runs / scheduler load on huge ones)
MIN_SHARDS, MAX_SHARDS = 64, 100_000
#: partial histograms per merge task of the tree reduction
FAN_IN = 8


@dataclass(frozen=True)
class ShardPlan:
    """``shards`` contiguous step ranges covering ``[0, total_steps)``; shard ``i`` is ``bounds(i)``."""

    total_steps: int
    shards: int

    def bounds(self, i):
        """The step range ``(start, stop)`` of shard ``i``."""
        return i * self.total_steps // self.shards, (i + 1) * self.total_steps // self.shards


def shard_plan(spec, shards=None) -> ShardPlan:
    """The shard plan of ``spec``: ``shards`` shards, or about :data:`SHARD_SETTINGS` settings each.

    The default depends on the spec only (not on the cluster), so a checkpoint stays valid
    when the cluster grows or shrinks between runs.

    >>> from enumerate import NetworkSpec
    >>> shard_plan(NetworkSpec.parse("fc:2,1", "-1,0,1", "sign", "01"))   # fewer steps than MIN_SHARDS
    ShardPlan(total_steps=9, shards=9)
    """
    steps = total_steps(spec)
    if shards is None:
        shards = min(max(math.ceil(spec.total / SHARD_SETTINGS), MIN_SHARDS), MAX_SHARDS)
    elif not isinstance(shards, int) or shards < 1:
        raise SpecError("shards", f"{shards!r}: need a positive integer")
    return ShardPlan(steps, min(shards, steps))


def merge_counts(*parts) -> dict:
    """The sum of partial histograms (exact Python ints).

    >>> merge_counts({"+-": 2, "--": 1}, {"--": 3})
    {'+-': 2, '--': 4}
    """
    out = {}
    for part in parts:
        for t, c in part.items():
            out[t] = out.get(t, 0) + int(c)
    return out


@functools.lru_cache(maxsize=8)
def spec_from_text(spec_text):
    """The spec of its JSON text (cached: a worker parses each spec once)."""
    return NetworkSpec.from_json(json.loads(spec_text))


def merge_stores(*parts):
    """The sum of partial priors held as :class:`~enumerate.results.table_store.TableStore`
    arrays: a sorted merge, exact in any order.

    >>> from enumerate.results.table_store import TableStore
    >>> a, b = TableStore.from_dict({"+-": 2, "--": 1}, 2), TableStore.from_dict({"--": 3}, 2)
    >>> merge_stores(a, b).to_dict()
    {'+-': 2, '--': 4}
    """
    parts = [p for p in parts if p is not None]
    while len(parts) > 1:  # pairs, then pairs of pairs: each row is copied about log2(len(parts)) times
        parts = [parts[i].merge(parts[i + 1]) if i + 1 < len(parts) else parts[i] for i in range(0, len(parts), 2)]
    return parts[0]


def _shard_task(spec_text, start, stop):
    """One shard on a worker: plain data in (the spec as JSON text and a step range), arrays out."""
    return count_steps_store(spec_from_text(spec_text), start, stop)


def _warm_up():
    """Load (or compile) the numba kernels in a worker once, before the first shard."""
    count_steps(NetworkSpec.parse("fc:1,1", "-1,1"), 0, 1)
    return os.getpid()


def _import_distributed():
    try:
        import distributed
    except ImportError:
        raise SpecError("--dask", "needs Dask distributed: pip install 'qnet-priors[dask]'") from None
    return distributed


@contextlib.contextmanager
def connect(scheduler="local", workers=None):
    """A ``distributed.Client`` for ``scheduler``, closed on exit unless it was given.

    ``scheduler`` is a ``Client`` (used as is), an address like ``"tcp://host:8786"`` or
    ``"host:8786"``, or ``"local"``: a LocalCluster listening on 127.0.0.1 only, with
    ``workers`` worker processes (default: one per core) of one thread each. An unreachable
    scheduler raises :class:`SpecError` naming ``--dask``.

    >>> with connect("nowhere") as client:
    ...     pass
    Traceback (most recent call last):
    enumerate.SpecError: dask: 'nowhere': give a scheduler address like tcp://HOST:8786, or no value for a local cluster
    """
    if isinstance(scheduler, str) and scheduler != "local":
        _check_address(scheduler)
    distributed = _import_distributed()
    if isinstance(scheduler, distributed.Client):
        yield scheduler
        return
    if not isinstance(scheduler, str):
        scheduler = getattr(scheduler, "scheduler_address", scheduler)  # a LocalCluster or similar
    with contextlib.ExitStack() as stack:
        if scheduler == "local":
            import logging

            # silence_logs: an interrupted run ends in one line, not the workers' shutdown logging
            cluster = stack.enter_context(distributed.LocalCluster(
                host="127.0.0.1", n_workers=cores.workers(workers), threads_per_worker=1,
                processes=True, dashboard_address="127.0.0.1:0", silence_logs=logging.CRITICAL))
            address = cluster.scheduler_address
        elif isinstance(scheduler, str) and ("://" in scheduler or scheduler.rpartition(":")[2].isdigit()):
            address = scheduler
        else:
            raise SpecError("--dask", f"{scheduler!r}: give a scheduler address like tcp://HOST:8786, or no value "
                                      "for a local cluster")
        try:
            client = stack.enter_context(distributed.Client(address))
        except (OSError, TimeoutError, ValueError) as exc:
            raise SpecError("--dask", f"cannot reach a Dask scheduler at {address}: "
                                      f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
        try:
            yield client
        except KeyboardInterrupt:
            _mute_distributed()  # the teardown of an interrupted run logs CRITICAL lost comms: one line instead
            raise


def _mute_distributed():
    """Silence every ``distributed`` logger (their shutdown complaints after Ctrl-C)."""
    import logging

    for name in [n for n in logging.root.manager.loggerDict if n.split(".")[0] == "distributed"] + ["distributed"]:
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)


def _check_address(address):
    """Refuse at once an address whose port is not a number in 1..65535 (before any connection).

    >>> _check_address("tcp://127.0.0.1:99999")
    Traceback (most recent call last):
    ...
    enumerate.SpecError: dask: 'tcp://127.0.0.1:99999': port 99999 is not in 1..65535
    >>> _check_address("tcp://10.0.0.5:8786")
    """
    rest = address.partition("://")[2] if "://" in address else address
    host, sep, port = rest.rpartition(":")
    if sep and host and not port.startswith("["):
        if not port.isdigit():
            raise SpecError("--dask", f"{address[:80]!r}: port {port[:20]!r} is not a number")
        if not 1 <= int(port) <= 65535:
            raise SpecError("--dask", f"{address[:80]!r}: port {int(port)} is not in 1..65535")


def finished_tasks(progress, plan, unit="shards"):
    """The finished task ids of a checkpoint's ``progress``, checked against ``plan`` (a
    dataclass with ``shards`` tasks): ``ValueError`` for another plan or ids that are not
    distinct task ids of the plan.

    >>> finished_tasks({"plan": {"total_steps": 9, "shards": 3}, "done": [2, 0]}, ShardPlan(9, 3))
    [2, 0]
    >>> finished_tasks({"plan": {"total_steps": 9, "shards": 3}, "done": [2, 2]}, ShardPlan(9, 3), "blocks")
    Traceback (most recent call last):
    ...
    ValueError: its finished blocks are not distinct block ids of the plan
    """
    if progress["plan"] != asdict(plan):
        raise ValueError(f"it was written for a plan of {progress['plan'].get('shards')} {unit}, not "
                         f"{plan.shards}: pass the same {unit}")
    done = progress["done"]
    if not all(isinstance(i, int) and not isinstance(i, bool) and 0 <= i < plan.shards for i in done) \
            or len(set(done)) != len(done):
        raise ValueError(f"its finished {unit} are not distinct {unit[:-1]} ids of the plan")
    return done


def keyed_tasks(name, spec_text, plan, todo, func, args):
    """The pure keyed tasks ``{key: (id, func, spec_text, *args(id))}`` of :func:`run_keyed`
    for the task ids ``todo``: a key names the counter, the spec and the plan, so equal work
    has equal keys (a retried or resubmitted task is the same task).

    >>> tasks = keyed_tasks("demo", "{}", ShardPlan(9, 3), {2, 0}, len, lambda i: (i, i + 1))
    >>> [(key.rsplit("-", 1)[1], task[0], task[2:]) for key, task in tasks.items()]
    [('0', 0, ('{}', 0, 1)), ('2', 2, ('{}', 2, 3))]
    """
    from dask.base import tokenize

    token = tokenize(spec_text, asdict(plan))
    return {f"enumerate-{name}-{token}-{i}": (i, func, spec_text, *args(i)) for i in sorted(todo)}


def _load_checkpoint(path, spec, plan):
    """(finished shard ids, counts) from a checkpoint of this spec and plan (verified by
    :func:`~enumerate.counting.checkpoint.load_checkpoint`)."""

    def covered(progress):
        done = finished_tasks(progress, plan, "shards")
        return sum(plan.bounds(i)[1] - plan.bounds(i)[0] for i in done) * len(spec.q)

    progress, counts = load_checkpoint(path, CHECKPOINT_SCHEMA, spec, covered,
                                       {INPROCESS_SCHEMA: "was written by an in-process run: resume it without --dask"})
    return set(progress["done"]), counts


class _Tree:
    """A streaming tree reduction on the cluster: every FAN_IN partials at a level become one merge task."""

    def __init__(self, client, retries, merge=merge_counts, empty=dict):
        self.client, self.retries, self.levels = client, retries, []
        self.merge, self.empty = merge, empty

    def add(self, future, level=0):
        if level == len(self.levels):
            self.levels.append([])
        parts = self.levels[level]
        parts.append(future)
        if len(parts) == FAN_IN:
            self.levels[level] = []
            self.add(self.client.submit(self.merge, *parts, retries=self.retries), level + 1)

    def collect(self):
        """Merge everything added so far, bring it to the client, and start a new tree."""
        parts = [f for level in self.levels for f in level]
        self.levels = []
        if not parts:
            return self.empty()
        return (self.client.submit(self.merge, *parts, retries=self.retries) if len(parts) > 1 else parts[0]).result()


def check_workers(client, warm_up):
    """Run ``warm_up`` on every worker (loads the kernels); a worker without this package is one line."""
    try:
        client.run(warm_up)
    except ImportError as exc:
        raise SpecError("--dask", f"a Dask worker cannot import this package ({exc}): install qnet-priors "
                                  "on every worker") from None


def run_class_blocks(name, spec, plan, done, base, func, args, *, scheduler, workers, warm_up, checkpoint, schema,
                     checkpoint_every, retries, progress, on_block):
    """The blocks of a class counter's ``plan`` not in ``done`` as keyed tasks (:func:`keyed_tasks`)
    on a cluster, their partial :class:`~enumerate.results.table_store.TableStore` merged with
    ``base`` (a resumed checkpoint's), a checkpoint of schema ``schema`` written every
    ``checkpoint_every`` seconds and on Ctrl-C; returns ``(store, workers seen)``. The
    perceptron and hidden-layer counters' Dask paths share it."""
    spec_text = json.dumps(spec.to_json(), sort_keys=True)  # a spec is plain data: it round-trips through JSON
    n = len(spec.domain)
    with connect(scheduler, workers) as client:
        check_workers(client, warm_up)
        tasks = keyed_tasks(name, spec_text, plan, set(range(plan.shards)) - done, func, args)

        def save(store, finished):
            save_checkpoint(checkpoint, schema, spec,
                            {"plan": asdict(plan), "done": sorted(done | set(finished))}, store, columnar=True)

        bar = progress_bar(total=plan.shards, desc=f"dask classes {spec.arch}", enabled=progress, unit="block")
        bar.update(len(done))
        try:
            store = run_keyed(client, tasks, merge=merge_stores, base=base,
                              empty=lambda: TableStore.empty(n, spec.zero_label), save=save if checkpoint else None,
                              save_every=checkpoint_every, retries=retries, bar=bar,
                              on_task=None if on_block is None else
                              (lambda i, k: on_block(i, len(done) + k, plan.shards)))
        finally:
            bar.close()
        return store, len(client.scheduler_info().get("workers", {}))


def run_keyed(client, tasks, *, merge, base, empty=dict, save=None, save_every=30.0, retries=3, bar=None, on_task=None):
    """Run the pure keyed ``tasks`` (``{key: (id, func, *args)}``) and merge their results.

    The finished results are merged on the cluster by a tree of ``merge`` tasks (an exact,
    associative and commutative sum: the order does not matter). Every ``save_every``
    seconds and on Ctrl-C, ``save(merged, finished ids)`` is called with the merge of
    ``base`` and everything finished so far (the checkpoint); ``empty()`` is the merge of
    nothing. Returns the merge of ``base``
    and every result. ``on_task(id, finished)`` is called after each task.
    """
    from distributed import as_completed

    ids = {key: task[0] for key, task in tasks.items()}
    # only as_completed and then the merge tree hold the futures: a merged task's result is released
    pending = as_completed([client.submit(*task[1:], key=key, retries=retries) for key, task in tasks.items()])
    tree, fresh, done = _Tree(client, retries, merge, empty), [], []
    last_save = time.perf_counter()

    def checkpoint():
        nonlocal base, fresh, last_save
        base = merge(base, tree.collect())
        done.extend(fresh)
        fresh = []
        save(base, list(done))
        last_save = time.perf_counter()

    try:
        for future in pending:
            if future.status == "error":
                future.result()  # raises the task's error
            i = ids[future.key]
            tree.add(future)
            fresh.append(i)
            del future
            if bar is not None:
                bar.update(1)
            if on_task is not None:
                on_task(i, len(done) + len(fresh))
            if save is not None and time.perf_counter() - last_save >= save_every:
                checkpoint()
    except KeyboardInterrupt:
        if save is not None:
            checkpoint()
        raise
    finally:
        pending.clear()
    return merge(base, tree.collect())


def count_distributed(spec, scheduler="local", *, shards=None, checkpoint=None, checkpoint_every=30.0, retries=3,
                      progress=None, max_settings=DEFAULT_MAX_SETTINGS, force=False, workers=None, on_shard=None):
    """Count every parameter setting of ``spec`` by brute force on a Dask cluster.

    Parameters
    ----------
    spec : NetworkSpec
    scheduler : distributed.Client, str or LocalCluster
        ``"local"``: a LocalCluster on 127.0.0.1 (``workers`` processes, default one per core);
        an address ``"tcp://host:8786"``; or a ``Client`` the caller owns.
    shards : int or None
        Number of shards (default: :func:`shard_plan`). A resumed run needs the same plan.
    checkpoint : path or None
        Resume from this file if it exists; write it every ``checkpoint_every`` seconds and on
        Ctrl-C; removed when the run completes.
    retries : int
        Task retries after an error (a lost worker's tasks are rescheduled by Dask anyway).
    progress : bool or None
        Progress bar over finished shards on stderr (None: only on a terminal).
    max_settings, force
        Size budget, as in :func:`enumerate.counting.brute.count_brute`.
    on_shard : callable or None
        Called in the client as ``on_shard(shard_id, finished, shards)`` after each shard.

    Returns
    -------
    FunctionPrior
        Identical counts to the in-process brute force.

    Examples
    --------
    >>> from distributed import Client, LocalCluster
    >>> from enumerate import NetworkSpec
    >>> spec = NetworkSpec.parse("fc:2,1", "-1,0,1", "sign", "01")
    >>> with LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster, Client(cluster) as client:
    ...     prior = count_distributed(spec, client, progress=False)
    >>> prior.num_functions, prior.total, prior.meta["shards"]
    (13, 27, 9)
    """
    check_budget(spec, max_settings, force)
    spec_text = json.dumps(spec.to_json(), sort_keys=True)  # a spec is plain data: it round-trips through JSON
    plan = shard_plan(spec, shards)
    done, base = set(), TableStore.empty(len(spec.domain), spec.zero_label)
    if checkpoint and os.path.exists(checkpoint):
        done, base = _load_checkpoint(checkpoint, spec, plan)
        base = TableStore.from_dict(base, len(spec.domain), spec.zero_label)
    t0 = time.perf_counter()
    with connect(scheduler, workers) as client:
        check_workers(client, _warm_up)
        tasks = keyed_tasks("shard", spec_text, plan, set(range(plan.shards)) - done, _shard_task, plan.bounds)

        def save(counts, finished):
            save_checkpoint(checkpoint, CHECKPOINT_SCHEMA, spec, {"plan": asdict(plan), "done": sorted(done | set(finished))},
                            counts)

        bar = progress_bar(total=plan.shards, desc=f"dask {spec.arch}", enabled=progress, unit="shard")
        bar.update(len(done))
        try:
            counts = run_keyed(client, tasks, merge=merge_stores, base=base, empty=lambda: None,
                               save=save if checkpoint else None,
                               save_every=checkpoint_every, retries=retries, bar=bar,
                               on_task=None if on_shard is None else
                               (lambda i, n: on_shard(i, len(done) + n, plan.shards)))
        finally:
            bar.close()
        nworkers = len(client.scheduler_info().get("workers", {}))
    if counts.covered() != spec.total:  # every shard exactly once: a cheap exactness invariant
        raise RuntimeError(f"distributed run covered {counts.covered()} of {spec.total} settings")
    if checkpoint:
        remove_checkpoint(checkpoint)  # a failure is a warning: the result is complete
    meta = {"elapsed_s": time.perf_counter() - t0, "shards": plan.shards, "workers": nworkers}
    return FunctionPrior(spec, counts, "brute", meta)

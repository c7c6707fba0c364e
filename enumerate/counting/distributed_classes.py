"""The perceptron class counter on a Dask cluster: blocks of sorted weight vectors as keyed tasks.

The class counter's own enumeration (:mod:`enumerate.counting.sorted_vectors`) is cut by a
fixed plan (:func:`~enumerate.counting.perceptron.block_plan`) into rank ranges. Each block
is one pure task, keyed by the spec, the plan and the block id, that carries the spec (as
JSON text) and two integers and returns a partial class prior in columnar form (a
:class:`~enumerate.results.table_store.TableStore` of regular representatives with the
settings they stand for). Partials merge by sorted merges that add counts, in a tree on
the cluster, so retries, a lost worker and any merge order give the same integers. A
checkpoint (an atomic ``.npz``, :mod:`enumerate.counting.checkpoint`) holds the finished
block ids and their merged partial; it is used again only if its counts cover exactly the
settings of its blocks, computed by a closed formula
(:func:`~enumerate.counting.sorted_vectors.block_settings`). Dask is imported only here,
only when asked for.
"""

from __future__ import annotations

import os
import time

from .._support.errors import SpecError
from ..core.spec import NetworkSpec
from ..results.table_store import TableStore
from .budget import DEFAULT_MAX_SECONDS
from .checkpoint import load_checkpoint, remove_checkpoint
from .distributed import finished_tasks, run_class_blocks, spec_from_text
from .perceptron import block_plan, check_classes_budget, class_prior, count_range, kernel_args
from .sorted_vectors import block_settings

__all__ = ["count_classes_distributed", "TASK_STEPS", "CHECKPOINT_SCHEMA"]

#: (vector, bias) steps per task: about a second of one core (benchmarks/classes_dask.py
#: measures the per-task cost)
TASK_STEPS = 2**24
#: the checkpoint schema of a Dask class count
CHECKPOINT_SCHEMA = "enumerate.classes-dask-checkpoint/1"


def _block_task(spec_text, start, stop):
    """One block on a worker: plain data in (the spec as JSON text and a rank range), a partial out."""
    return count_range(spec_from_text(spec_text), start, stop)


def _warm_up():
    """Load (or compile) the class counter's kernels in a worker once, before the first block."""
    count_range(NetworkSpec.parse("fc:1,1", "-1,1"), 0, 1)
    return os.getpid()


def _load(path, spec, plan):
    """(finished block ids, merged partial) from a checkpoint of this spec and plan."""
    args = kernel_args(spec)
    weights = [2 if args[6] and v != 0 else 1 for v in args[0].tolist()]

    def covered(progress):
        done = finished_tasks(progress, plan, "blocks")
        return sum(block_settings([plan.bounds(i) for i in done], weights, spec.arch.input_dim, len(spec.q)))

    progress, store = load_checkpoint(path, CHECKPOINT_SCHEMA, spec, covered)
    if isinstance(store, dict):
        raise SpecError("--checkpoint", f"{path} is not a {CHECKPOINT_SCHEMA} checkpoint; delete {path} to start over")
    return set(progress["done"]), store


def count_classes_distributed(spec, scheduler="local", *, blocks=None, checkpoint=None, checkpoint_every=30.0,
                              retries=3, progress=None, force=False, max_seconds=DEFAULT_MAX_SECONDS, workers=None,
                              on_block=None):
    """The exact class prior of a perceptron ``fc:d,1`` counted on a Dask cluster.

    Parameters
    ----------
    spec : NetworkSpec
        A spec :func:`~enumerate.counting.perceptron.classes_supported` accepts.
    scheduler : distributed.Client, str or LocalCluster
        As in :func:`~enumerate.counting.distributed.count_distributed`.
    blocks : int or None
        Number of blocks (default: about :data:`TASK_STEPS` steps each, at least 16). A
        resumed run needs the same plan; the default depends on the spec only.
    checkpoint : path or None
        Resume from this file if it exists; write it every ``checkpoint_every`` seconds and
        on Ctrl-C (an ``.npz`` whatever its name); removed when the run completes.
    retries : int
        Task retries after an error (a lost worker's tasks are rescheduled by Dask anyway).
    progress : bool or None
        Progress bar over finished blocks on stderr (None: only on a terminal).
    force, max_seconds
        The budget of :func:`~enumerate.counting.perceptron.check_classes_budget` (one core).
    on_block : callable or None
        Called in the client as ``on_block(block_id, finished, blocks)`` after each block.

    Returns
    -------
    ClassPrior
        Identical to :func:`~enumerate.counting.perceptron.count_classes`.

    Examples
    --------
    >>> from distributed import Client, LocalCluster
    >>> from enumerate import NetworkSpec
    >>> spec = NetworkSpec.parse("fc:3,1", "-1,0,1", "sign", "01")
    >>> with LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster, Client(cluster) as client:
    ...     prior = count_classes_distributed(spec, client, blocks=4, progress=False)
    >>> prior.num_functions, prior.total, prior.meta["blocks"]
    (47, 81, 4)
    """
    est = check_classes_budget(spec, force=force, max_seconds=max_seconds)
    plan = block_plan(spec, blocks, TASK_STEPS)
    done, base = set(), TableStore.empty(len(spec.domain), spec.zero_label)
    if checkpoint and os.path.exists(checkpoint):
        done, base = _load(checkpoint, spec, plan)
    t0 = time.perf_counter()
    store, nworkers = run_class_blocks("classes", spec, plan, done, base, _block_task, plan.bounds, scheduler=scheduler,
                                       workers=workers, warm_up=_warm_up, checkpoint=checkpoint,
                                       schema=CHECKPOINT_SCHEMA, checkpoint_every=checkpoint_every, retries=retries,
                                       progress=progress, on_block=on_block)
    meta = {"elapsed_s": time.perf_counter() - t0, "sorted_weight_vectors": est["sorted_weight_vectors"],
            "blocks": plan.shards, "workers": nworkers}
    prior = class_prior(spec, store, meta)  # raises unless every setting was counted exactly once
    if checkpoint:
        remove_checkpoint(checkpoint)  # a failure is a warning: the result is complete
    return prior

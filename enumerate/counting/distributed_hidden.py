"""The one-hidden-layer class counter on a Dask cluster: blocks of chunks as keyed tasks.

The hidden-layer counter (:mod:`enumerate.counting.hidden`) visits the multisets of the
hidden units' contribution vectors chunk by chunk: chunk a holds the multisets whose first
(smallest) orbit is a. A fixed plan (:func:`hidden_block_plan`, depending on the spec
only) groups the chunks into blocks of about equal estimated work. Each block is one pure
task, keyed by the spec, the plan and the block id, that carries the spec (as JSON text)
and the block's chunk ids and returns a partial class prior in columnar form
(:func:`block_partial`: a :class:`~enumerate.results.table_store.TableStore` of classes in
a canonical form, one per orbit, with their exact class totals: a partial covers at most
|Q|^P settings, so its residues give exact integers by the Chinese remainder theorem).
Partials merge by sorted merges that add totals, in a tree on the cluster, so retries, a
lost worker and any merge order give the same integers. The classes are brought to their
smallest strings, and their sizes computed, once at the end in the client.

A checkpoint (an atomic ``.npz``, :mod:`enumerate.counting.checkpoint`) holds the finished
block ids and their merged partial; it is used again only if its totals cover exactly the
settings of its blocks' chunks, a closed formula
(:func:`~enumerate.counting.hidden.chunk_settings`). Dask is imported only when a run starts.

>>> from enumerate import NetworkSpec
>>> plan, blocks = hidden_block_plan(NetworkSpec.parse("fc:2,2,1", "-1,0,1"), blocks=3)
>>> plan, sorted(a for b in blocks for a in b) == list(range(plan.total_steps))
(ShardPlan(total_steps=14, shards=3), True)
"""

from __future__ import annotations

import functools
import math
import os
import time

from .._support.errors import SpecError
from ..core.spec import NetworkSpec
from ..results.table_store import TableStore, exact_counts
from .budget import DEFAULT_MAX_SECONDS
from .checkpoint import load_checkpoint, remove_checkpoint
from .distributed import ShardPlan, finished_tasks, run_class_blocks, spec_from_text
from .fast import from_residues, primes_for
from .hidden import (HiddenUnits, check_hidden_budget, chunk_settings, chunk_work, class_prior,
                     count_chunks, smallest_strings)

__all__ = ["count_hidden_distributed", "hidden_block_plan", "block_partial", "TASK_SECONDS", "MIN_BLOCKS",
           "CHECKPOINT_SCHEMA"]

#: estimated seconds of one core per block (the estimate of :func:`~enumerate.counting.hidden.estimate_hidden`
#: is an upper one; benchmarks/hidden_dask.py measures the blocks)
TASK_SECONDS = 2.0
#: seconds per (table x point) of the default plan: a plan must depend on the spec only (a
#: checkpoint is tied to it), so its rate is fixed here, not refitted with the counter's
#: estimate (:func:`~enumerate.counting.hidden.estimate_hidden`)
PLAN_SECONDS = 1.25e-7
#: fewest blocks of a default plan (when there are that many chunks)
MIN_BLOCKS = 16
#: the checkpoint schema of a Dask hidden-layer class count
CHECKPOINT_SCHEMA = "enumerate.hidden-dask-checkpoint/1"


def hidden_block_plan(spec, blocks=None, units=None):
    """The hidden-layer counter's chunks grouped into blocks: ``(plan, chunk ids per block)``.

    ``plan`` is a :class:`~enumerate.counting.distributed.ShardPlan` of ``total_steps`` =
    chunks into ``shards`` = blocks: ``blocks`` of them, or by default about
    :data:`TASK_SECONDS` of estimated work each (at least :data:`MIN_BLOCKS`, at most one
    per chunk). Chunks go, largest first, to the block with the least work so far (exact
    integer estimates, :func:`~enumerate.counting.hidden.chunk_work`, ties to the lowest
    block id): the grouping depends on the spec and the number of blocks only. A block
    cannot be smaller than its largest chunk.

    >>> from enumerate import NetworkSpec
    >>> hidden_block_plan(NetworkSpec.parse("fc:2,2,1", "-1,0,1"), blocks=2)[1]
    [[1, 2, 4, 7, 10, 11, 12], [0, 3, 5, 6, 8, 9, 13]]
    """
    import heapq

    units = units or HiddenUnits(spec)
    k = spec.arch.widths[1]
    work = chunk_work(units, k)
    chunks = len(work)
    if blocks is None:
        G, n = units.group.size, len(spec.domain)
        seconds = sum(work) / G * len(spec.q) * n * PLAN_SECONDS
        blocks = max(MIN_BLOCKS, math.ceil(seconds / TASK_SECONDS))
    elif isinstance(blocks, bool) or not isinstance(blocks, int) or blocks < 1:
        raise SpecError("blocks", f"{blocks!r}: need a positive integer")
    blocks = min(blocks, chunks)
    heap = [(0, b) for b in range(blocks)]
    out = [[] for _ in range(blocks)]
    for a in sorted(range(chunks), key=lambda a: (-work[a], a)):
        load, b = heapq.heappop(heap)
        out[b].append(a)
        heapq.heappush(heap, (load + work[a], b))
    return ShardPlan(chunks, blocks), [sorted(b) for b in out]


def block_partial(spec, units, chunks, threads=1):
    """The partial class prior of the chunks ``chunks``: a
    :class:`~enumerate.results.table_store.TableStore` of classes in their canonical form
    (:func:`~enumerate.counting.hidden.count_chunks`) with exact class totals, checked to
    cover exactly the settings of the chunks (:func:`~enumerate.counting.hidden.chunk_settings`).

    >>> from enumerate import NetworkSpec
    >>> spec = NetworkSpec.parse("fc:2,2,1", "-1,0,1")
    >>> units = HiddenUnits(spec)
    >>> a, b = block_partial(spec, units, [0, 2]), block_partial(spec, units, range(3, units.num_orbits))
    >>> a.covered() + b.covered() + block_partial(spec, units, [1]).covered() == spec.total
    True
    """
    mods = primes_for(spec.total)
    keys, totals, _ = count_chunks(spec, units, mods, list(chunks), lambda w: None, threads)
    big = mods[0] != 0  # past 2^63: exact Python ints (merges add them without a wrap)
    counts = exact_counts(from_residues(totals, mods), True) if big else totals[:, 0].copy()
    P = 2 if spec.zero_label == "0" else 1
    store = TableStore.from_unsorted(keys.reshape(len(keys), P, keys.shape[1] // P), counts, len(spec.domain),
                                     big=big or None)
    want = sum(chunk_settings(spec, units)[a] for a in chunks)
    if store.covered() != want:  # an internal invariant, never expected to fire
        raise AssertionError(f"chunks {list(chunks)[:5]}... covered {store.covered()} of their {want} settings")
    return store


@functools.lru_cache(maxsize=2)
def _units(spec_text):
    """The unit vectors and the group's element table of a spec, built once per worker."""
    units = HiddenUnits(spec_from_text(spec_text))
    units.elements()
    return units


def _block_task(spec_text, chunks):
    """One block on a worker: plain data in (the spec as JSON text and chunk ids), a partial out."""
    return block_partial(spec_from_text(spec_text), _units(spec_text), chunks)


def _warm_up():
    """Load (or compile) the hidden-layer counter's kernels in a worker once, before the first block."""
    spec = NetworkSpec.parse("fc:2,2,1", "-1,1")
    block_partial(spec, HiddenUnits(spec), [0])
    return os.getpid()


def _load(path, spec, units, plan, blocks):
    """(finished block ids, merged partial) from a checkpoint of this spec and plan."""
    settings = chunk_settings(spec, units)

    def covered(progress):
        done = finished_tasks(progress, plan, "blocks")
        return sum(settings[a] for i in done for a in blocks[i])

    progress, store = load_checkpoint(path, CHECKPOINT_SCHEMA, spec, covered)
    if isinstance(store, dict):
        raise SpecError("--checkpoint", f"{path} is not a {CHECKPOINT_SCHEMA} checkpoint; delete {path} to start over")
    return set(progress["done"]), store


def count_hidden_distributed(spec, scheduler="local", *, blocks=None, checkpoint=None, checkpoint_every=30.0,
                             retries=3, progress=None, force=False, max_seconds=DEFAULT_MAX_SECONDS, workers=None,
                             threads=None, on_block=None):
    """The exact class prior of a one-hidden-layer network ``fc:d,k,1`` / ``sfc:d,k,1``
    counted on a Dask cluster.

    Parameters
    ----------
    spec : NetworkSpec
        A spec :func:`~enumerate.counting.hidden.hidden_supported` accepts.
    scheduler : distributed.Client, str or LocalCluster
        As in :func:`~enumerate.counting.distributed.count_distributed`.
    blocks : int or None
        Number of blocks (default: :func:`hidden_block_plan`). A resumed run needs the same
        plan; the default depends on the spec only.
    checkpoint : path or None
        Resume from this file if it exists; write it every ``checkpoint_every`` seconds and
        on Ctrl-C (an ``.npz`` whatever its name); removed when the run completes.
    retries : int
        Task retries after an error (a lost worker's tasks are rescheduled by Dask anyway).
    progress : bool or None
        Progress bar over finished blocks on stderr (None: only on a terminal).
    force, max_seconds
        The budget of :func:`~enumerate.counting.hidden.check_hidden_budget` (in-process).
    threads : int or None
        Client threads bringing the classes to their smallest strings at the end.
    on_block : callable or None
        Called in the client as ``on_block(block_id, finished, blocks)`` after each block.

    Returns
    -------
    ClassPrior
        Identical to :func:`~enumerate.counting.hidden.count_hidden`.

    Examples
    --------
    >>> from distributed import Client, LocalCluster
    >>> from enumerate import NetworkSpec
    >>> spec = NetworkSpec.parse("fc:2,2,1", "-1,0,1", "sign", "01")
    >>> with LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster, Client(cluster) as client:
    ...     prior = count_hidden_distributed(spec, client, blocks=4, progress=False)
    >>> prior.num_functions, prior.total, prior.meta["blocks"]
    (15, 19683, 4)
    """
    units = HiddenUnits(spec)
    est = check_hidden_budget(spec, force=force, max_seconds=max_seconds, units=units)
    plan, assignment = hidden_block_plan(spec, blocks, units)
    done, base = set(), TableStore.empty(len(spec.domain), spec.zero_label)
    if checkpoint and os.path.exists(checkpoint):
        done, base = _load(checkpoint, spec, units, plan, assignment)
    t0 = time.perf_counter()
    store, nworkers = run_class_blocks("hidden", spec, plan, done, base, _block_task, lambda i: (assignment[i],),
                                       scheduler=scheduler, workers=workers, warm_up=_warm_up, checkpoint=checkpoint,
                                       schema=CHECKPOINT_SCHEMA, checkpoint_every=checkpoint_every, retries=retries,
                                       progress=progress, on_block=on_block)
    t1 = time.perf_counter()
    keys = store.tables.reshape(len(store), -1).copy()
    sizes = smallest_strings(spec, units, keys, threads)  # the classes' smallest strings, once
    meta = {"elapsed_s": time.perf_counter() - t0, "canonical_s": time.perf_counter() - t1, "blocks": plan.shards,
            "chunks": plan.total_steps, "workers": nworkers,
            "hidden": {"unit_vectors": units.num_vectors, "orbits": units.num_orbits,
                       "enumeration_group_order": units.group.size,
                       "estimate": {"seconds": est["seconds"], "bytes": est["bytes"], "multisets": est["multisets"]}}}
    # raises unless every setting was counted exactly once
    prior = class_prior(spec, keys, sizes, store.counts, None, meta, units.full, "hidden-layer class counter on Dask")
    if checkpoint:
        remove_checkpoint(checkpoint)  # a failure is a warning: the result is complete
    return prior

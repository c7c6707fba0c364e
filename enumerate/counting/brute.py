"""Brute-force enumeration of every parameter setting, in numba, on every core.

The work is a range of *steps* (one step = one setting of everything but the readout
bias, whose |Q| values are looped innermost). A shard is a contiguous step range; each
shard is cut into one piece per thread; thread-local counters merge by adding. After
whole shards a checkpoint (``next_step`` + counts so far) can be written atomically;
a resumed run starts at ``next_step``, so no shard is lost or counted twice.

>>> from enumerate import NetworkSpec
>>> prior = count_brute(NetworkSpec.parse("fc:2,1", "-1,0,1", "sign", "01"), progress=False)
>>> prior.num_functions, prior.total   # 13 of the 14 threshold functions need only weights in {-1,0,1}
(13, 27)
"""

from __future__ import annotations

import functools
import math
import os
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from .._support.cores import workers
from .._support.errors import SpecError, approx
from .._support.progress import progress_bar
from ..core.lattice import IntegerPlan
from ..results.memory import peak_rss_meta
from ..results.prior import FunctionPrior
from .budget import BudgetError, Cost, check_cost
from .checkpoint import load_checkpoint, remove_checkpoint, save_checkpoint

__all__ = ["count_brute", "count_steps", "count_steps_store", "total_steps", "KernelProblem", "estimate_brute", "check_budget",
           "estimate_seconds", "DEFAULT_MAX_SETTINGS", "SECONDS_PER_SETTING", "CHECKPOINT_SCHEMA",
           "DASK_CHECKPOINT_SCHEMA"]

#: seconds per setting on one thread, a fixed part plus a part per domain point, for the
#: histogram path (tables of at most DIRECT_BITS bits) and the sorted-buffer path; measured
#: by ``benchmarks/brute.py`` (its ``calibration`` rows: 0.84-1.34x on 4 to 1,024 points)
SECONDS_PER_SETTING = {"direct": (2.0e-8, 1.5e-9), "sorted": (1.5e-7, 2.2e-9)}
#: runs above this many settings need ``force=True``
DEFAULT_MAX_SETTINGS = 10**11
DIRECT_BITS = 22
CHECKPOINT_SCHEMA = "enumerate.checkpoint/3"  # /3: one checkpoint format with a digest
DASK_CHECKPOINT_SCHEMA = "enumerate.dask-checkpoint/2"


def estimate_seconds(spec, threads=None) -> float:
    """Seconds brute force takes on ``threads`` threads, from :data:`SECONDS_PER_SETTING`.

    >>> from enumerate import NetworkSpec
    >>> spec = NetworkSpec.parse("fc:7,1", "-1,-2/3,-1/3,0,1/3,2/3,1,4/3", "sign", "01")
    >>> round(estimate_seconds(spec, threads=1), 1)      # 16,777,216 settings; measured 7.0 s
    7.2
    """
    n = len(spec.domain)
    path = "direct" if n * (2 if spec.zero_label == "0" else 1) <= DIRECT_BITS else "sorted"
    fixed, per_point = SECONDS_PER_SETTING[path]
    return spec.total * (fixed + per_point * n) / workers(threads)


def estimate_brute(spec, threads=None) -> Cost:
    """The cost of :func:`count_brute` stated up front: settings, time
    (:func:`estimate_seconds`), and peak memory bounded from above (each thread's row buffer,
    the sorted tables of every thread and their merge, each holding at most
    min(settings, tables) rows).

    >>> from enumerate import NetworkSpec
    >>> cost = estimate_brute(NetworkSpec.parse("fc:2,2,1", "-1,0,1"), threads=2)
    >>> cost.work, cost.bytes
    ('visits 19,683 settings', 256)
    """
    threads = workers(threads)
    n = len(spec.domain)
    table_bits = n * (2 if spec.zero_label == "0" else 1)
    if table_bits <= DIRECT_BITS:
        need = threads * 8 * 2**table_bits
    else:
        row = 8 * (-(-n // 64) * (2 if spec.zero_label == "0" else 1) + 1)
        space = (3 if spec.zero_label == "0" else 2) ** n
        per_thread = -(-spec.total // threads)
        buffer = min(per_thread, BUFFER_BYTES // row) * row
        need = threads * buffer + (min(spec.total, threads * space) + min(spec.total, space)) * row
    return Cost("brute", f"visits {spec.total:,} settings", estimate_seconds(spec, threads), need)


def check_budget(spec, max_settings=DEFAULT_MAX_SETTINGS, force=False, threads=None) -> Cost:
    """The brute-force cost (:func:`estimate_brute`), refused by
    :func:`~enumerate.counting.budget.check_cost` above the budget or above
    ``max_settings`` settings, unless ``force``."""
    total = spec.total
    if total >= 2**62:
        err = BudgetError("--method", f"brute force over {approx(total)} settings is out of reach (at most 2^62)")
        err.unsupported = "brute"  # count_prior adds which method can count it
        raise err
    over = f"the size budget of {max_settings:,} settings" if total > max_settings else None
    return check_cost(spec, estimate_brute(spec, threads), force=force, over=over)


class KernelProblem:
    """The numeric arrays the numba kernels need, built once from a spec (shared with the sampler)."""

    def __init__(self, spec):
        plan = IntegerPlan.of(spec)
        arch = spec.arch
        shapes = arch.hidden_shapes()
        nq, ng = len(spec.q), len(spec.scales)
        self.nX = len(spec.domain)
        self.qi = np.array(plan.qi, dtype=np.int64)
        self.gi = np.array(plan.gi or (1,), dtype=np.int64)
        self.scaled = arch.scaled
        radix, ulayer, uchan = [], [], []
        for l, (c, m, k, s, cin, _nin) in enumerate(shapes):
            r = nq ** (cin * k + 1) * (ng if arch.scaled else 1)
            for j in range(c):
                radix.append(r)
                ulayer.append(l)
                uchan.append(j)
        self.F = arch.readout_fan_in
        radix += [nq] * self.F
        self.radix = np.array(radix, dtype=np.int64)
        self.total_steps = math.prod(radix)
        self.unit_layer = np.array(ulayer, dtype=np.int64)
        self.unit_chan = np.array(uchan, dtype=np.int64)

        def arr(i):
            return np.array([sh[i] for sh in shapes] or [0], dtype=np.int64)

        self.npos, self.kern, self.strd, self.cin = arr(1), arr(2), arr(3), arr(4)
        self.bias_mult = np.array(plan.bias_mult or (0,), dtype=np.int64)
        self.clamp = np.array(plan.clamp or (0,), dtype=np.int64)
        self.act_code, self.lpos, self.lneg = plan.act_code, plan.leaky_pos, plan.leaky_neg
        self.H = len(shapes)
        self.last_c, self.last_n = arch.last_hidden()
        self.pool = arch.is_conv and arch.readout == "sum"
        self.out_bm = plan.out_bias_mult
        self.zl = {"-1": 0, "+1": 1, "0": 2}[spec.zero_label]
        maxc = max([arch.input_dim if not arch.is_conv else arch.in_channels] + [sh[0] for sh in shapes])
        maxn = max([1 if not arch.is_conv else arch.in_length] + [sh[1] for sh in shapes])
        acts = np.zeros((self.H + 1, maxc, maxn, self.nX), dtype=np.int64)
        X = np.array(plan.xi, dtype=np.int64)
        n0 = arch.in_length if arch.is_conv else 1
        c0 = arch.in_channels if arch.is_conv else arch.input_dim
        acts[0, :c0, :n0, :] = X.T.reshape(c0, n0, self.nX)
        self.acts = acts
        self.table_bits = self.nX * (2 if self.zl == 2 else 1)
        self.direct = self.table_bits <= DIRECT_BITS
        self.nwords = (1 if self.direct else -(-self.nX // 64) * (2 if self.zl == 2 else 1))
        self.pad = _key_padding(self.nX, self.nwords, self.zl)

    def new_state(self, settings=None):
        """A thread's counters: ``settings`` bounds how many it will see (it sizes the row buffer)."""
        if self.direct:
            none = np.zeros((1, 2), dtype=np.uint64)
            return _State(np.zeros(2**self.table_bits, dtype=np.int64), none, none, self.acts.copy())
        K = self.nwords
        row = 8 * (K + 1)
        cache = np.zeros((_combiner_rows(K), K + 1), dtype=np.uint64)
        want = len(cache) + 2 * len(self.qi) + (self.total_steps * len(self.qi) if settings is None else settings)
        rows = max(len(cache) + 2 * len(self.qi), min(want, BUFFER_BYTES // row))
        return _State(np.zeros(1, dtype=np.int64), cache, np.zeros((rows, K + 1), dtype=np.uint64), self.acts.copy())

    def run(self, state, start, stop):
        from .kernels.brute import run_range

        while True:
            step, state.nbuf = run_range(
                start, stop, self.radix, self.unit_layer, self.unit_chan, self.qi, self.gi, self.scaled, state.acts,
                self.npos, self.kern, self.strd, self.cin, self.bias_mult, self.clamp, self.act_code, self.lpos,
                self.lneg, self.H, self.last_c, self.last_n, self.pool, self.F, self.out_bm, self.zl, self.nX,
                self.direct, state.hist, state.cache, state.buf, state.nbuf, self.pad)
            if step >= stop:
                return
            self.flush(state)
            start = step

    def flush(self, state, drain=False):
        """Sort the state's row buffer and merge it into the state's sorted rows (and, with
        ``drain``, the combiner too)."""
        from ..results import _store_kernels as SK
        from .kernels.brute import drain_combiner

        K = self.nwords
        for last in ((False, True) if drain else (False,)):
            if last:
                if state.nbuf + len(state.cache) > len(state.buf):
                    self.flush(state)
                state.nbuf = drain_combiner(state.cache, state.buf, state.nbuf, K)
            if state.nbuf == 0:
                continue
            SK.sort_rows(state.buf, state.nbuf, K)
            m = SK.rle_rows(state.buf, state.nbuf, K)
            part = state.buf[:m].copy()
            state.nbuf = 0
            state.rows = part if state.rows is None else SK.merge_rows(state.rows, part, K)

    def store(self, states, release=False):
        """Merge thread states into a :class:`~enumerate.results.table_store.TableStore`:
        each state's buffer is sorted into its rows (the states in parallel: the kernels
        release the GIL), the rows are merged as sort keys and turned into tables once;
        ``release`` frees the buffers."""
        from ..results import _store_kernels as SK
        from ..results.table_store import TableStore

        P = 2 if self.zl == 2 else 1
        if self.direct:
            hist = states[0].hist.copy() if len(states) == 1 else sum(s.hist for s in states)
            return TableStore.from_histogram(hist, self.nX, P)
        if len(states) > 1:
            with ThreadPoolExecutor(len(states)) as pool:
                list(pool.map(lambda st: self.flush(st, drain=True), states))
        else:
            for st in states:
                self.flush(st, drain=True)
        rows = None
        for st in states:
            if release:
                st.buf = st.cache = None
            if st.rows is not None:
                rows = st.rows if rows is None else SK.merge_rows(rows, st.rows, self.nwords)
            if release:
                st.rows = None
        if rows is None:
            return TableStore.empty(self.nX, "0" if P == 2 else "-1")
        return TableStore(*SK.tables_of_keys(rows, len(rows), self.nX, P), self.nX)


BUFFER_BYTES = 1 << 28  # one thread's row buffer at most (it is sorted in place when full)


def _combiner_rows(K):
    """Rows of the combiner: about 128 kB (it stays in the L2 cache), a power of two."""
    return 1 << max(4, (2**17 // (8 * (K + 1))).bit_length() - 1)


class _State:
    """One thread's counters: a direct histogram, or a combiner, a row buffer and the sorted result so far."""

    __slots__ = ("hist", "cache", "buf", "nbuf", "acts", "rows")

    def __init__(self, hist, cache, buf, acts):
        self.hist, self.cache, self.buf, self.acts = hist, cache, buf, acts
        self.nbuf, self.rows = 0, None


@functools.lru_cache(maxsize=8)
def _problem(spec):
    return KernelProblem(spec)


def total_steps(spec) -> int:
    """Number of enumeration steps of ``spec``; one step covers ``len(spec.q)`` settings.

    >>> from enumerate import NetworkSpec
    >>> total_steps(NetworkSpec.parse("fc:2,1", "-1,0,1", "sign", "01"))   # 3 readout weights x 3 of the 2 others
    9
    """
    return _problem(spec).total_steps


def count_steps_store(spec, start, stop):
    """The partial histogram of steps ``[start, stop)`` on one thread, as a
    :class:`~enumerate.results.table_store.TableStore` (the arrays a distributed shard
    hands back; shards merge by a sorted merge).

    >>> from enumerate import NetworkSpec
    >>> spec = NetworkSpec.parse("fc:2,1", "-1,0,1", "sign", "01")
    >>> part = count_steps_store(spec, 0, 4)
    >>> part.covered(), part.to_dict() == count_steps(spec, 0, 4)
    (12, True)
    """
    prob = _problem(spec)
    if not 0 <= start <= stop <= prob.total_steps:
        raise ValueError(f"steps [{start}, {stop}) outside [0, {prob.total_steps})")
    state = prob.new_state((stop - start) * len(spec.q))
    prob.run(state, start, stop)
    return prob.store([state], release=True)


def count_steps(spec, start, stop) -> dict:
    """The partial histogram ``{table: settings}`` of steps ``[start, stop)``, on one thread.

    A pure function of its arguments (a shard of a distributed run); shards merge by adding.

    >>> from enumerate import NetworkSpec
    >>> spec = NetworkSpec.parse("fc:2,1", "-1,0,1", "sign", "01")
    >>> a, b = count_steps(spec, 0, 4), count_steps(spec, 4, 9)
    >>> sum(a.values()) + sum(b.values()) == spec.total
    True
    """
    return count_steps_store(spec, start, stop).to_dict()


def _key_padding(n, K, zl):
    """The sort-key bits of the points past ``n`` in each of the ``K`` key words (they read ``-``)."""
    pad = np.zeros(K, dtype=np.uint64)
    per = 32 if zl == 2 else 64
    for p in range(n, K * per):
        w, j = divmod(p, per)
        pad[w] |= np.uint64(1 << (62 - 2 * j if zl == 2 else 63 - j))
    return pad


def _cuts(lo, hi, parts):
    """``parts + 1`` integer cut points from ``lo`` to ``hi``, as even as possible (exact for
    any size; float ``linspace`` cuts shift above 2^53).

    >>> _cuts(0, 10, 3)
    [0, 3, 6, 10]
    """
    return [lo + (hi - lo) * i // parts for i in range(parts + 1)]


def _load_checkpoint(path, spec, steps):
    """(next_step, counts, elapsed_s) from a checkpoint of this spec and step range
    (verified by :func:`~enumerate.counting.checkpoint.load_checkpoint`)."""
    nq = len(spec.q)

    def covered(progress):
        if progress["steps"] != list(steps):
            raise ValueError(f"it was written for steps {progress['steps']}, not {list(steps)}")
        nxt = progress["next_step"]
        if isinstance(nxt, bool) or not isinstance(nxt, int) or not steps[0] <= nxt <= steps[1]:
            raise ValueError(f"next step {nxt!r} outside {steps[0]}..{steps[1]}")
        if not isinstance(progress["elapsed_s"], (int, float)) or progress["elapsed_s"] < 0:
            raise ValueError("bad elapsed time")
        return (nxt - steps[0]) * nq

    progress, counts = load_checkpoint(path, CHECKPOINT_SCHEMA, spec, covered,
                                       {DASK_CHECKPOINT_SCHEMA: "was written by a Dask run: resume it with --dask"})
    return progress["next_step"], counts, float(progress["elapsed_s"])


def count_brute(spec, *, progress=None, checkpoint=None, threads=None, max_settings=DEFAULT_MAX_SETTINGS,
                force=False, checkpoint_every=30.0, steps=None):
    """Count every parameter setting of ``spec`` by brute force.

    Parameters
    ----------
    spec : NetworkSpec
    progress : bool or None
        Progress bar on stderr (None: only when stderr is a terminal).
    checkpoint : path or None
        Resume from this file if it exists; write it every ``checkpoint_every`` seconds
        and on Ctrl-C; removed when the run completes.
    threads : int or None
        Worker threads (default: all cores).
    max_settings, force
        Runs above ``max_settings`` settings raise :class:`BudgetError` unless ``force``.
    steps : (int, int) or None
        Count only this step range (a shard); the result is a partial prior.

    Returns
    -------
    FunctionPrior
    """
    check_budget(spec, max_settings, force, threads)
    prob = KernelProblem(spec)
    nq = len(spec.q)
    lo, hi = steps if steps is not None else (0, prob.total_steps)
    if not 0 <= lo <= hi <= prob.total_steps:
        raise SpecError("steps", f"need 0 <= start <= stop <= {prob.total_steps}, got {lo}..{hi}")
    done, resumed, before = lo, None, 0.0
    if checkpoint and os.path.exists(checkpoint):
        done, resumed, before = _load_checkpoint(checkpoint, spec, (lo, hi))
        resumed = FunctionPrior(spec, resumed).store  # the arrays: merged by a sorted merge
    threads = workers(threads)
    states = [prob.new_state(-(-(hi - done) // threads) * nq + 64 * nq) for _ in range(threads)]
    t0 = time.perf_counter()
    last_save = t0
    shard = threads * 256

    def save():
        counts = prob.store(states)
        if resumed is not None:
            counts = counts.merge(resumed)
        save_checkpoint(checkpoint, CHECKPOINT_SCHEMA, spec,
                        {"steps": [lo, hi], "next_step": done, "elapsed_s": before + time.perf_counter() - t0}, counts)

    bar = progress_bar(total=(hi - lo) * nq, desc=f"brute {spec.arch}", enabled=progress, unit="setting",
                       initial=(done - lo) * nq)
    with ThreadPoolExecutor(threads) as pool:
        while done < hi:
            stop = min(hi, done + shard)
            cuts = _cuts(done, stop, threads)
            ts = time.perf_counter()
            futures = [pool.submit(prob.run, st, int(a), int(b)) for st, a, b in zip(states, cuts[:-1], cuts[1:]) if b > a]
            interrupted = False
            for f in futures:
                # Ctrl-C reaches this (main) thread; the workers finish their pieces regardless,
                # so the shard in flight is complete when we stop and is counted exactly once
                while True:
                    try:
                        f.result()
                        break
                    except KeyboardInterrupt:
                        interrupted = True
                        if f.done():
                            break
            bar.update((stop - done) * nq)
            done = stop
            if interrupted:
                if checkpoint:
                    save()
                bar.close()
                raise KeyboardInterrupt
            if time.perf_counter() - ts < 0.5:
                shard *= 2
            if checkpoint and time.perf_counter() - last_save > checkpoint_every and done < hi:
                save()
                last_save = time.perf_counter()
    bar.close()
    store = prob.store(states, release=True)
    states.clear()
    if resumed is not None:
        store = store.merge(resumed)
    if checkpoint:
        remove_checkpoint(checkpoint)  # a failure is a warning: the result is complete
    elapsed = before + time.perf_counter() - t0  # a resumed run counts the time before the interruption too
    return FunctionPrior(spec, store, "brute", {"elapsed_s": elapsed, "steps": [lo, hi], **peak_rss_meta()})

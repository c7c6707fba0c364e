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
from ..core.forward import tables
from ..core.lattice import IntegerPlan
from ..results.memory import peak_rss_meta
from ..results.prior import FunctionPrior
from .budget import BudgetError, Cost, check_cost
from .checkpoint import load_checkpoint, remove_checkpoint, save_checkpoint

__all__ = ["count_brute", "count_steps", "total_steps", "KernelProblem", "estimate_brute", "check_budget",
           "estimate_seconds", "DEFAULT_MAX_SETTINGS", "NOMINAL_RATE", "CHECKPOINT_SCHEMA",
           "DASK_CHECKPOINT_SCHEMA"]

#: settings per second assumed for time estimates (measured: see benchmarks/brute.py)
NOMINAL_RATE = 1.0e8
#: runs above this many settings need ``force=True``
DEFAULT_MAX_SETTINGS = 10**11
DIRECT_BITS = 22
CHECKPOINT_SCHEMA = "enumerate.checkpoint/3"  # /3: one checkpoint format with a digest
DASK_CHECKPOINT_SCHEMA = "enumerate.dask-checkpoint/2"


def estimate_seconds(settings: int) -> float:
    return settings / NOMINAL_RATE


def estimate_brute(spec, threads=None) -> Cost:
    """The cost of :func:`count_brute` stated up front: settings, time at
    :data:`NOMINAL_RATE`, and peak memory bounded from above (each thread's counter holds
    at most min(settings, tables) rows).

    >>> from enumerate import NetworkSpec
    >>> cost = estimate_brute(NetworkSpec.parse("fc:2,2,1", "-1,0,1"), threads=2)
    >>> cost.work, cost.bytes
    ('visits 19,683 settings', 256)
    """
    threads = workers(threads)
    n = len(spec.domain)
    table_bits = n * (2 if spec.zero_label == "0" else 1)
    if table_bits <= DIRECT_BITS:
        per_thread = 8 * 2**table_bits
    else:
        words = -(-n // 64) * (2 if spec.zero_label == "0" else 1)
        rows = min(spec.total, (3 if spec.zero_label == "0" else 2) ** n)
        per_thread = 2 * 8 * (words + 1) * rows  # the hash map doubles when it grows
    return Cost("brute", f"visits {spec.total:,} settings", estimate_seconds(spec.total), threads * per_thread)


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

    def new_state(self):
        hist = np.zeros(2**self.table_bits if self.direct else 1, dtype=np.int64)
        cap = 1 if self.direct else 1024
        return [hist, np.zeros((cap, self.nwords + 1), dtype=np.uint64), 0, self.acts.copy()]

    def run(self, state, start, stop):
        from .kernels.brute import run_range

        hist, tab, nused, acts = state
        state[1:3] = run_range(
            start, stop, self.radix, self.unit_layer, self.unit_chan, self.qi, self.gi, self.scaled, acts,
            self.npos, self.kern, self.strd, self.cin, self.bias_mult, self.clamp, self.act_code, self.lpos,
            self.lneg, self.H, self.last_c, self.last_n, self.pool, self.F, self.out_bm, self.zl, self.nX,
            self.direct, hist, tab, nused)

    def store(self, states, release=False):
        """Merge thread states into a :class:`~enumerate.results.table_store.TableStore`
        (each state's map is sorted and merged in turn; ``release`` frees it after)."""
        from ..results.table_store import TableStore

        P = 2 if self.zl == 2 else 1
        if self.direct:
            hist = states[0][0].copy() if len(states) == 1 else sum(s[0] for s in states)
            return TableStore.from_histogram(hist, self.nX, P)

        def parts():
            for st in states:
                part = TableStore.hashmap_rows(st[1], P)
                if release:
                    st[1] = np.zeros((1, self.nwords + 1), np.uint64)
                yield part

        return TableStore.from_parts(parts(), self.nX, "0" if P == 2 else "-1")

    def tables(self, states):
        """Merge thread states into {table: count} (Python ints)."""
        bit = np.arange(self.nX)
        if self.direct:
            hist = sum(s[0] for s in states)
            keys = np.nonzero(hist)[0]
            pos = (keys[:, None] >> bit) & 1
            zero = (keys[:, None] >> (self.nX + bit)) & 1
            return dict(zip(_tables(pos, zero), (int(c) for c in hist[keys])))
        half = self.nwords // 2 if self.zl == 2 else self.nwords
        shift = (bit & 63).astype(np.uint64)
        out = {}
        for _h, tab, _n, _a in states:
            used = tab[:, -1] != 0
            words, counts = tab[used, :-1], tab[used, -1]
            pos = (words[:, bit >> 6] >> shift) & np.uint64(1)
            zero = (words[:, half + (bit >> 6)] >> shift) & np.uint64(1) if self.zl == 2 else np.zeros_like(pos)
            for t, c in zip(_tables(pos, zero), counts):
                out[t] = out.get(t, 0) + int(c)
        return out


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


def count_steps(spec, start, stop) -> dict:
    """The partial histogram ``{table: settings}`` of steps ``[start, stop)``, on one thread.

    A pure function of its arguments (a shard of a distributed run); shards merge by adding.

    >>> from enumerate import NetworkSpec
    >>> spec = NetworkSpec.parse("fc:2,1", "-1,0,1", "sign", "01")
    >>> a, b = count_steps(spec, 0, 4), count_steps(spec, 4, 9)
    >>> sum(a.values()) + sum(b.values()) == spec.total
    True
    """
    prob = _problem(spec)
    if not 0 <= start <= stop <= prob.total_steps:
        raise ValueError(f"steps [{start}, {stop}) outside [0, {prob.total_steps})")
    state = prob.new_state()
    prob.run(state, start, stop)
    return prob.tables([state])


def _tables(pos_bits, zero_bits):
    """Table strings of bit-plane rows: label +1 where pos, 0 where zero, -1 otherwise."""
    return tables(2 * pos_bits.astype(np.int8) + zero_bits.astype(np.int8) - 1)


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
    done, resumed, before = lo, {}, 0.0
    if checkpoint and os.path.exists(checkpoint):
        done, resumed, before = _load_checkpoint(checkpoint, spec, (lo, hi))
    threads = workers(threads)
    states = [prob.new_state() for _ in range(threads)]
    t0 = time.perf_counter()
    last_save = t0
    shard = threads * 256

    def save():
        counts = prob.tables(states)
        for t, c in resumed.items():
            counts[t] = counts.get(t, 0) + c
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
    del states
    if resumed:
        store = store.merge(FunctionPrior(spec, resumed).store)
    if checkpoint:
        remove_checkpoint(checkpoint)  # a failure is a warning: the result is complete
    elapsed = before + time.perf_counter() - t0  # a resumed run counts the time before the interruption too
    return FunctionPrior(spec, store, "brute", {"elapsed_s": elapsed, "steps": [lo, hi], **peak_rss_meta()})

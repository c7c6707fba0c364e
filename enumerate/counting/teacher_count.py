"""Exact teacher equivalence for wide students: the settings that compute ONE table.

The full prior of a wide student has too many tables to build; the number of settings
computing one given table h* (the teacher's) does not need them. For a 2-layer net
(``fc:d,W,1`` or ``sfc:d,W,1``) the output on the domain is ``c + sum_j u_j`` where the
``u_j`` are the W hidden units' i.i.d. contribution vectors (readout weight times the
unit's output on every point, with exact integer multiplicities) and ``c`` is the readout
bias. The table is h* exactly when every coordinate of that sum lies in an interval (a
half-line for a ``+`` or a ``-`` point, the value 0 for a ``0`` point under zero-label
rule 0). So the count is the mass of a box under a W-fold convolution:

* **the dense chain** (when the ceil(W/2)-unit value box fits :data:`CHAIN_CELLS`: every
  ``fc:2`` width to 64, ``fc:3`` to 8): one prime at a time, the powers U^k are dense
  arrays over their boxes (:func:`~enumerate.counting.kernels.teacher_count.box_step`);
  width 2k - 1 is U^k against the cumulative array of U^(k-1), width 2k is U^k against
  that of U^k with the readout bias folded in -- a sweep is one chain
  (:meth:`TeacherCounter.counts`);
* **meet in the middle**: the units are split into a left part (the bias and W - r
  units) and a right part (r units). The right part's distribution is made dense on its
  value box and summed cumulatively along every axis (upward on the ``+`` axes,
  downward on the ``-`` axes), so the right part's mass in the box a left vector needs
  is one array read (every prime's residue of a cell side by side: one pass for all
  primes; the left states sorted by cell, so that the reads walk the array forward);
* **clipping**: while the left part grows, a coordinate whose outcome is already
  decided whatever the remaining units add is clamped, and a state that can no longer
  match is dropped;
* **symmetry**: the permutations of the domain points induced by permuting (and on
  ``pm1`` with Q = -Q, negating) the inputs leave the unit distribution invariant; those
  that also fix h* act on the left part's states, which are kept one per orbit (with
  the orbit's total count).

Off the chain, the right part's size r is the largest at most W/2 whose dense box fits
:data:`DENSE_CELLS` (built on the dense chain); when r = W/2 the left part needs no
clipping and its powers are shared between widths (:class:`TeacherCounter` for sweeps).
Counts are exact: int64 below 2^63, otherwise residues modulo primes of up to 56 bits
(a residue times the unit's number of settings stays below 2^61) and the Chinese
remainder theorem (|Q|^P bounds every count).

>>> from enumerate import NetworkSpec
>>> spec = NetworkSpec.parse("fc:2,3,1", "-1,0,1")
>>> from enumerate import count_prior
>>> teacher_count(spec, "---+") == count_prior(spec, progress=False).count("---+")
True
>>> teacher_count(NetworkSpec.parse("fc:2,12,1", "-1,0,1"), "---+") > 2**63   # exact past int64
True
"""

from __future__ import annotations

import math
import sys
from collections import Counter
from fractions import Fraction

import numpy as np

from .._support.errors import SpecError

__all__ = ["teacher_count", "teacher_rho", "TeacherCounter", "estimate_teacher_count", "teacher_count_supported",
           "DENSE_CELLS", "check_budget"]

#: cells of the right half's dense cumulative array (int64, one prime at a time)
DENSE_CELLS = 2**26
#: cells of one array of the dense chain (int64, one prime at a time; three are alive at once)
CHAIN_CELLS = 2**26
#: bytes of the hash map of the clipped route's last hashed step: above it, that step's table
#: is built and finished in parts (2, 4, ..., by the coordinate sum of the unclipped new state,
#: so each state-type pair is made once), one at a time
PART_BYTES = 2**31
#: the most parts the last hashed table is cut into: from there on a part's map grows past PART_BYTES
MAX_PARTS = 1024
#: states per kernel call (a fraction of a second each: Ctrl-C is seen within about a second)
CHUNK_STATES = 200_000
#: state-type pairs per second of the hashed steps assumed by the estimate (numba, one core,
#: clipping and orbit canonicalization included; measured 3e6-6e6 on fc:3 with 2 primes, 7e6 on
#: fc:4,7,1 since a state's new keys touch their map rows before the inserts)
PAIRS_PER_SECOND = 6.0e6
#: rates of the dense chain assumed by the estimate (per prime; measured on fc:2, 49^4 cells):
#: cell-type pairs of a box step, cell-terms of a cumulative array, cells of a finish
BOX_PAIRS_PER_SECOND = 6.0e8
CUMULATE_PER_SECOND = 2.0e8
FINISH_PER_SECOND = 1.0e8
DEFAULT_MAX_SECONDS = 3600.0
DEFAULT_MAX_BYTES = 4 * 2**30


def _primes(total, cmax):
    """Primes whose product exceeds ``total`` ([0]: plain int64 below 2^63), each below
    2^62 / cmax so that a residue times a unit's count of settings ``cmax`` fits in int64.

    >>> _primes(10**5, 81), [p.bit_length() for p in _primes(3**100, 81)]
    ([0], [54, 54, 54])
    """
    if total < 2**63:
        return [0]
    from sympy import prevprime

    bits = min(56, 61 - int(cmax).bit_length())
    out, prod, p = [], 1, 2**bits
    while prod <= total:
        p = prevprime(p)
        out.append(p)
        prod *= p
    return out


def teacher_count_supported(spec) -> bool:
    """True for the networks :func:`teacher_count` handles: 2-layer FC/SFC nets.

    >>> from enumerate import NetworkSpec
    >>> teacher_count_supported(NetworkSpec.parse("fc:3,9,1", "-1,0,1")), teacher_count_supported(
    ...     NetworkSpec.parse("cnn:1x4/2k2s1/flat", "-1,0,1"))
    (True, False)
    """
    return not spec.arch.is_conv and len(spec.arch.widths) == 3


def _conditions(table, zero_label, n):
    """Per point: (kind, tau): kind 0 means f >= tau, 1 means f <= tau, 2 means f == tau."""
    if len(table) != n:
        raise SpecError("table", f"the table has {len(table)} symbols, the domain {n} points")
    allowed = "+-0" if zero_label == "0" else "+-"
    bad = set(table) - set(allowed)
    if bad:
        raise SpecError("table", f"symbol {sorted(bad)[0]!r} is not allowed under zero-label {zero_label} "
                                 f"(allowed: {', '.join(allowed)})")
    plus = {"-1": 1, "+1": 0, "0": 1}[zero_label]
    minus = {"-1": 0, "+1": -1, "0": -1}[zero_label]
    kind = np.array([{"+": 0, "-": 1, "0": 2}[t] for t in table], np.int64)
    tau = np.array([{"+": plus, "-": minus, "0": 0}[t] for t in table], np.int64)
    return kind, tau


class _TooLarge(Exception):
    """A part of the last hashed step's table would pass :data:`PART_BYTES`."""


class TeacherCounter:
    """The exact count of one table in 2-layer students of one family at many widths.

    The unit distribution, the symmetry and the shared powers of the meet in the middle
    are kept between calls, so a sweep over widths costs little more than its widest
    student.

    Parameters
    ----------
    spec : NetworkSpec
        A 2-layer FC or SFC student; its hidden width is the widest asked for (it fixes
        the primes of the residue arithmetic).
    table : str
        The table whose settings are counted (one symbol per domain point).
    progress : bool or None
        A progress bar on stderr (None: only on a terminal).

    Examples
    --------
    >>> from enumerate import NetworkSpec
    >>> tc = TeacherCounter(NetworkSpec.parse("fc:2,4,1", "-1,0,1"), "---+")
    >>> [tc.count(w) for w in (1, 2)]
    [2, 316]
    """

    def __init__(self, spec, table, progress=None):
        from .fast import UnitModel as _Model

        if not teacher_count_supported(spec):
            raise SpecError("--arch", f"the teacher-equivalence counter handles 2-layer fc/sfc students, not {spec.arch}")
        self.spec = spec
        self.table = table
        self.show = sys.stderr.isatty() if progress is None else progress
        model = _Model(spec)
        self.n = n = model.nX
        self.kind, self.tau = _conditions(table, spec.zero_label, n)
        vecs, cnts = model.unit_outputs(model.inputs(), 0)
        contrib = Counter()
        for v, c in zip(vecs.tolist(), cnts[:, 0].tolist()):
            for q in model.qi:
                contrib[tuple(q * a for a in v)] += int(c)
        self.tu = np.array(sorted(contrib), np.int64).reshape(-1, n)
        self.tcount = [contrib[tuple(row)] for row in self.tu.tolist()]
        ob = model.plan.out_bias_mult
        self.bu = np.array([[q * ob] * n for q in model.qi], np.int64)
        self.umin, self.umax = self.tu.min(axis=0), self.tu.max(axis=0)
        self.width = spec.arch.widths[1]
        # every count residue times the unit's total settings stays below 2^61 (the dense chain's lazy sums)
        self.mods = np.array(_primes(spec.total, sum(self.tcount)), np.int64)
        self.perms = self._symmetry(model)
        vmax = int(np.abs(self.bu).max(initial=0)) + self.width * int(np.abs(self.tu).max(initial=0)) + 2
        self.bits = 8 if vmax < 127 else 16 if vmax < 2**15 - 1 else 32
        self.off = 1 << (self.bits - 1)
        self.kw = -(-n // (64 // self.bits))
        self._left = {}  # k -> unclipped left power (orbit representatives)
        self._g = None  # (r, the right half's cumulative arrays)
        #: the hashed route's work so far: state-type pairs of the steps, state-row lookups of
        #: the finishes and the largest state table (what :func:`estimate_teacher_count` predicts)
        self.work = {"pairs": 0, "lookups": 0, "states": 0, "parts": 1}

    # ------------------------------------------------------------------ setup

    def _symmetry(self, model):
        """Point permutations fixing the unit distribution and the table (identity first)."""
        from .fast import point_permutations as _point_perms

        ident = np.arange(self.n, dtype=np.int64)[None, :]
        perms = _point_perms(model)
        if perms is None:
            return ident
        keep = [g for g in perms.tolist() if all(self.table[g[i]] == self.table[i] for i in range(self.n))]
        dist = dict(zip(map(tuple, self.tu.tolist()), self.tcount))
        for g in keep:  # invariance of the unit distribution: the orbit DP relies on it
            if any(dist.get(tuple(v[g[i]] for i in range(self.n))) != c for v, c in dist.items()):
                raise AssertionError("teacher counter: a point permutation does not preserve the unit distribution")
        keep = sorted(set(map(tuple, keep)) - {tuple(range(self.n))})
        return np.array([list(range(self.n))] + [list(g) for g in keep], np.int64)

    def _res(self, values):
        return np.array([[v if p == 0 else v % p for p in self.mods.tolist()] for v in values],
                        np.int64).reshape(len(values), len(self.mods))

    def _zero(self):
        from .kernels.teacher_count import pack

        key = np.zeros(self.kw, np.uint64)
        pack(np.zeros(self.n, np.int64), self.bits, self.off, key)
        return key[None, :], self._res([1]), False

    def _exact(self, res):
        from .fast import from_residues as _exact

        return _exact(np.asarray(res, np.int64).reshape(1, -1), self.mods)[0]

    # ------------------------------------------------------------------ one step

    def _step(self, states, tu, tc, perms, clip=None, bar=None, jobs=None, limit=False):
        """States after one more unit (types ``tu``, count residues ``tc``); ``jobs`` (from
        :meth:`_part_jobs`): only the pairs of one part, as (state range, type indices);
        ``limit``: :class:`_TooLarge` when the part's map would pass :data:`PART_BYTES`."""
        self.work["pairs"] += (len(states[0]) * len(tu) if jobs is None
                               else sum((i1 - i0) * len(idx) for i0, i1, idx in jobs))
        out = self._step_states(states, tu, tc, perms, clip, bar, jobs, limit)
        self.work["states"] = max(self.work["states"], len(out[0]))
        return out

    def _step_states(self, states, tu, tc, perms, clip, bar, jobs=None, limit=False):
        from .kernels.fast import interruptible as _interruptible
        from .._support.hashmap import grow
        from .kernels.teacher_count import new_table, step_rows

        keys, cnts, reduced = states
        if clip is None and not reduced:
            dense = self._dense_step(keys, cnts, tu, tc)
            if dense is not None:
                if bar is not None:
                    bar.update(len(keys))
                return dense + (False,)
        big = np.int64(2**40)
        if clip is None:
            dlo = clo = np.full(self.n, -big)
            dhi = chi = np.full(self.n, big)
        else:
            dlo, dhi, clo, chi = clip
        cap = 1 << max(10, int(4 * len(keys) + 2 * len(tu)).bit_length())  # a step grows the states a little
        if jobs is not None:  # a part's map starts no larger than a part may grow (a 2^20-row map is always allowed)
            cap = min(cap, 1 << max(20, (PART_BYTES // (8 * (self.kw + len(self.mods)))).bit_length() - 1))
        tab = new_table(cap, self.kw, len(self.mods))
        used = 0
        for i0, i1, idx in [(0, len(keys), None)] if jobs is None else jobs:
            jtu, jtc = (tu, tc) if idx is None else (np.ascontiguousarray(tu[idx]), np.ascontiguousarray(tc[idx]))
            s = i0
            while s < i1:
                e = min(i1, s + CHUNK_STATES)
                s2, used = _interruptible((e - s) * len(jtu), step_rows, keys, cnts, s, e, jtu, jtc, self.mods, dlo,
                                          dhi, clo, chi, perms, self.bits, self.off, tab, used, tab.shape[0] // 2)
                if s2 < e or 2 * used + 2 * len(jtu) > tab.shape[0]:
                    if limit and 2 * tab.nbytes > PART_BYTES:
                        raise _TooLarge
                    tab = grow(tab, self.kw, 0)
                if bar is not None:
                    bar.update(s2 - s)
                s = s2
        tab = tab[tab[:, 0] != 0]
        out = tab[:, self.kw:]
        for r, p in enumerate(self.mods.tolist()):
            if p:
                out[:, r] %= p
        return np.ascontiguousarray(tab[:, :self.kw]).view(np.uint64), np.ascontiguousarray(out), reduced or len(perms) > 1

    def _dense_step(self, keys, cnts, tu, tc):
        """The unclipped step through a dense accumulator over the next value box (one
        prime at a time, writes streaming type by type); None when the box is too large."""
        from .kernels.fast import interruptible as _interruptible
        from .kernels.teacher_count import bounds, box_keys, dense_accumulate, flat_index, mark

        lo, hi = bounds(keys, self.bits, self.off, self.n)
        lo, hi = lo + tu.min(axis=0), hi + tu.max(axis=0)
        size = hi - lo + 1
        cells = int(np.prod(size.astype(np.float64)))
        if cells > DENSE_CELLS:
            return None
        strides = np.ones(self.n, np.int64)
        for i in range(self.n - 2, -1, -1):
            strides[i] = strides[i + 1] * size[i + 1]
        idx = flat_index(keys, self.bits, self.off, lo, strides)
        order = np.argsort(idx, kind="stable")
        idx, cnts = idx[order], cnts[order]
        # idx is taken from the new least corner, so x + u sits at idx(x) + sum_i u_i stride_i
        shifts = (tu * strides).sum(axis=1).astype(np.int64)
        occ = np.zeros(cells, np.uint8)
        mark(idx, shifts, occ)
        live = np.nonzero(occ)[0]
        del occ
        out = np.empty((len(live), len(self.mods)), np.int64)
        for r, p in enumerate(self.mods.tolist()):
            acc = np.zeros(cells, np.int64)
            _interruptible(len(idx) * len(tu), dense_accumulate, idx, np.ascontiguousarray(cnts[:, r]), shifts,
                           np.ascontiguousarray(tc[:, r]), acc, p)
            col = acc[live]
            out[:, r] = col % p if p else col
        return box_keys(live, lo, size, strides, self.bits, self.off, self.kw), out

    def _units(self):
        return self.tu, self._res(self.tcount)

    @staticmethod
    def _power(cache, k, step, zero):
        """The sum of k units from the nearest cached power below; a cache keeps the two
        highest powers only (a sweep moves upward; a lower width starts afresh)."""
        if k not in cache:
            j = max([i for i in cache if i < k], default=0)
            states = cache[j] if j else zero
            for i in range(j + 1, k + 1):
                states = step(states)
                cache[i] = states
                for old in sorted(cache)[:-2]:
                    del cache[old]
        return cache[k]

    def _left_power(self, k, bar=None):
        """The sum of k units (no bias, no clipping): every vector while the dense steps
        run, one state per orbit after a hashed step."""
        tu, tc = self._units()
        return self._power(self._left, k, lambda st: self._step(st, tu, tc, self.perms, bar=bar), self._zero())

    def _clip(self, rem_min, rem_max):
        """(dlo, dhi, clo, chi) for a left state when the rest adds [rem_min, rem_max]."""
        big = np.int64(2**40)
        ge, le, eq = self.kind == 0, self.kind == 1, self.kind == 2
        dlo = np.where(ge | eq, self.tau - rem_max, -big)
        dhi = np.where(le | eq, self.tau - rem_min, big)
        chi = np.where(ge, self.tau - rem_min, big)
        clo = np.where(le, self.tau - rem_max, -big)
        return dlo.astype(np.int64), dhi.astype(np.int64), clo.astype(np.int64), chi.astype(np.int64)

    # ------------------------------------------------------------------ the count

    def right_size(self, w) -> int:
        """The right half's units r for width ``w``: the largest r <= w/2 whose dense box fits."""
        r = w // 2
        while r > 0 and math.prod(int(r * (a - b) + 1) for a, b in zip(self.umax, self.umin)) > DENSE_CELLS:
            r -= 1
        return r

    def plan(self, w):
        """(r, shared, k_left) of the hashed route at width ``w``: the right part's units, whether
        the left part is the shared unclipped power (r = w/2; the readout bias read by the
        finish) or clipped for this width (the bias its first step, its last unit read by the
        finish), and the left part's units."""
        r = self.right_size(w)
        return r, r == w // 2, w - r

    def count(self, w) -> int:
        """The exact number of settings of the width-``w`` student computing the table."""
        from .._support.progress import progress_bar

        if not 1 <= w <= self.width:
            raise SpecError("width", f"{w} is outside 1..{self.width} (the counter was built for width {self.width})")
        if self.chained(w):
            return self.counts([w])[w]
        r, shared, k_left = self.plan(w)
        with progress_bar(w + 1, f"teacher {self.spec.arch.kind}:{self.n}pts w={w}", enabled=self.show,
                          unit="state") as bar:
            btc = self._res([1] * len(self.bu))
            if shared:  # shared, unclipped left powers; the readout bias is added by the finish
                left, bias = self._left_power(k_left, bar), self.bu
            else:  # clipped left part, fresh for this width
                tu, tc = self._units()
                rmin, rmax = r * self.umin, r * self.umax
                left = self._step(self._zero(), self.bu, btc, self.perms,
                                  self._clip(k_left * self.umin + rmin, k_left * self.umax + rmax))
                # the left part's last unit is read in the finish (one lookup per state and type)
                # instead of hashed: its states, the most numerous but one, are never stored
                before = 1
                for k in range(1, k_left - 1):
                    rest = k_left - k
                    before = len(left[0])
                    left = self._step(left, tu, tc, self.perms,
                                      self._clip(rest * self.umin + rmin, rest * self.umax + rmax), bar)
                if k_left < 2:
                    return self._finish(left, tu, r, tc)
                # the last hashed step, the largest table: in parts when its map passes PART_BYTES; the
                # first guess grows the table by the last step's ratio (a map holds a row per two slots)
                clip = self._clip(self.umin + rmin, self.umax + rmax)
                guess = len(left[0]) ** 2 / max(before, 1) * 16 * (self.kw + len(self.mods))
                nparts = 1 << max(0, math.ceil(math.log2(max(guess / PART_BYTES, 1.0))))
                left = self._by_sum(left)
                while True:
                    try:
                        total = sum(self._finish(self._step(left, tu, tc, self.perms, clip, jobs=jobs,
                                                            limit=nparts < MAX_PARTS), tu, r, tc)
                                    for jobs in self._part_jobs(left, tu, nparts))
                        break
                    except _TooLarge:
                        nparts *= 2
                self.work["parts"] = nparts
                return total
            return self._finish(left, bias, r)

    def _sums(self, keys):
        """The coordinate sums of packed states."""
        dt = {8: np.uint8, 16: np.uint16, 32: np.uint32}[self.bits]
        vals = keys.view(dt).reshape(len(keys), keys.shape[1] * (64 // self.bits))[:, :self.n]
        return vals.astype(np.int64).sum(axis=1) - self.n * self.off

    def _by_sum(self, states):
        """The states in the order of their coordinate sums (a part's jobs are ranges of it)."""
        keys, cnts, reduced = states
        order = np.argsort(self._sums(keys), kind="stable")
        return np.ascontiguousarray(keys[order]), np.ascontiguousarray(cnts[order]), reduced

    def _part_jobs(self, states, tu, nparts):
        """Per part, the jobs (state range, type indices): the pairs whose unclipped new state
        has a coordinate sum assigned to the part, the sums dealt to the parts by their pairs
        (largest first, to the lightest part); every pair is made once."""
        sums = self._sums(states[0])
        svals, starts = np.unique(sums, return_index=True)
        ends = np.append(starts[1:], len(sums))
        tsum = tu.sum(axis=1)
        tvals = np.unique(tsum)
        tidx = {int(v): np.nonzero(tsum == v)[0] for v in tvals.tolist()}
        weight = Counter()
        for sv, a, b in zip(svals.tolist(), starts.tolist(), ends.tolist()):
            for tv, idx in tidx.items():
                weight[sv + tv] += (b - a) * len(idx)
        load, where = [0] * nparts, {}
        for tot, w in sorted(weight.items(), key=lambda kv: -kv[1]):
            j = min(range(nparts), key=load.__getitem__)
            where[tot] = j
            load[j] += w
        jobs = [[] for _ in range(nparts)]
        for sv, a, b in zip(svals.tolist(), starts.tolist(), ends.tolist()):
            per = {}
            for tv, idx in tidx.items():
                per.setdefault(where[sv + tv], []).append(idx)
            for j, parts in per.items():
                jobs[j].append((a, b, np.sort(np.concatenate(parts))))
        return jobs

    # ------------------------------------------------------------------ the dense chain

    def _box(self, k):
        """Least corner and size of the value box of a k-unit sum."""
        return (k * self.umin).astype(np.int64), (k * (self.umax - self.umin) + 1).astype(np.int64)

    def chained(self, w) -> bool:
        """True when width ``w`` runs on the dense chain: the ceil(w/2)-unit box fits
        :data:`CHAIN_CELLS`."""
        return math.prod(self._box(-(-w // 2))[1].tolist()) <= CHAIN_CELLS

    def counts(self, widths) -> dict:
        """Exact counts at several widths on the dense chain (:meth:`chained` widths), one
        prime at a time: the powers U^k of the unit distribution as dense arrays over
        their value boxes (one :func:`box_step` per k), width 2k - 1 as U^k against the
        cumulative array of U^(k-1) and width 2k as U^k against that of U^k (readout bias
        folded in where the box allows). ``self.seconds`` gets each width's share of the
        time (its steps and its finish, over every prime).

        >>> from enumerate import NetworkSpec
        >>> TeacherCounter(NetworkSpec.parse("fc:2,4,1", "-1,0,1"), "---+").counts([1, 2, 4])
        {1: 2, 2: 316, 4: 2959416}
        """
        import time

        from .._support.progress import progress_bar
        from .kernels.fast import interruptible as _interruptible
        from .kernels.teacher_count import box_finish, box_step

        ws = sorted({int(w) for w in widths})
        bad = [w for w in ws if not 1 <= w <= self.width or not self.chained(w)]
        if bad:
            raise SpecError("width", f"{bad[0]} is outside 1..{self.width} or too wide for the dense chain")
        top = -(-ws[-1] // 2) if ws else 0
        want = set(ws)
        res = {w: [] for w in ws}
        self.seconds = {w: 0.0 for w in ws}
        tu = np.ascontiguousarray(self.tu)
        with progress_bar(len(self.mods) * (top + 1), f"teacher {self.spec.arch.kind}:{self.n}pts chain",
                          enabled=self.show, unit="step") as bar:
            for p in self.mods.tolist():
                tc = np.array([c % p if p else c for c in self.tcount], np.int64)
                clock = time.perf_counter()

                def finish(w, U, k, G):
                    nonlocal clock
                    llo, lsize = self._box(k)
                    glo, gsize, bias, garr = G
                    s0, s1, s2 = _interruptible(len(U), box_finish, U, lsize, llo, garr, gsize, glo, self.kind,
                                                self.tau, bias, p)
                    res[w].append(int(s0) if p == 0 else (int(s0) + (int(s1) << 28) + (int(s2) << 56)) % p)
                    now = time.perf_counter()
                    self.seconds[w] += now - clock
                    clock = now

                U, G = np.ones(1, np.int64), None
                for k in range(top + 1):
                    if k and 2 * k - 1 in want:
                        finish(2 * k - 1, U, k, G)
                    if 2 * k in want or 2 * k + 1 in want:
                        G = None
                        G = self._box_cumulative(U, k, p)
                    if k and 2 * k in want:
                        finish(2 * k, U, k, G)
                    if k < top:
                        _, isize = self._box(k)
                        _, osize = self._box(k + 1)
                        out = np.zeros(math.prod(osize.tolist()), np.int64)
                        _interruptible(len(U) * len(tu), box_step, U, isize, tu, tc, self.umin, out, osize)
                        if p:
                            out %= p
                        U = out
                    bar.update(1)
                del U, G
        return {w: self._exact(res[w]) for w in ws}

    def _box_cumulative(self, U, k, p):
        """(least corner, size, bias rows, array): the cumulative array of the k-unit
        power ``U``, with the readout bias folded in when its box fits."""
        from .kernels.fast import interruptible as _interruptible
        from .kernels.teacher_count import box_step, cumulate

        lo, size = self._box(k)
        bmin, bmax = self.bu.min(axis=0), self.bu.max(axis=0)
        fsize = (size + bmax - bmin).astype(np.int64)
        if math.prod(fsize.tolist()) <= CHAIN_CELLS:
            g = np.zeros(math.prod(fsize.tolist()), np.int64)
            _interruptible(len(U) * len(self.bu), box_step, U, size, np.ascontiguousarray(self.bu),
                           np.ones(len(self.bu), np.int64), bmin.astype(np.int64), g, fsize)
            if p:
                g %= p
            lo, size, bias = (lo + bmin).astype(np.int64), fsize, np.zeros((1, self.n), np.int64)
        else:
            g, bias = U.copy(), self.bu
        strides = np.ones(self.n, np.int64)
        for i in range(self.n - 2, -1, -1):
            strides[i] = strides[i + 1] * size[i + 1]
        _interruptible(len(g), cumulate, g, size, strides, self.kind, p)
        return lo, size, bias, g

    def _box_power(self, r, p):
        """The r-unit power of the unit distribution as a dense box (residues mod ``p``)."""
        from .kernels.fast import interruptible as _interruptible
        from .kernels.teacher_count import box_step

        tc = np.array([c % p if p else c for c in self.tcount], np.int64)
        U = np.ones(1, np.int64)
        for k in range(r):
            _, isize = self._box(k)
            _, osize = self._box(k + 1)
            out = np.zeros(math.prod(osize.tolist()), np.int64)
            _interruptible(len(U) * len(self.tu), box_step, U, isize, np.ascontiguousarray(self.tu), tc, self.umin,
                           out, osize)
            if p:
                out %= p
            U = out
        return U

    def _cumulative(self, r):
        """The right half's cumulative array (cells, R): the residues of a cell side by side,
        int32 when every prime is below 2^31 (built on the dense chain, one prime at a time),
        cached for the widths of a sweep that share r."""
        from .kernels.fast import interruptible as _interruptible
        from .kernels.teacher_count import cumulate

        if self._g is not None and self._g[0] == r:
            return self._g[1:]
        self._g = None
        ylo, ysize = self._box(r)
        strides = np.ones(self.n, np.int64)
        for i in range(self.n - 2, -1, -1):
            strides[i] = strides[i + 1] * ysize[i + 1]
        small = all(p < 2**31 for p in self.mods.tolist())
        garr = None
        for ri, p in enumerate(self.mods.tolist()):
            g = self._box_power(r, p)
            _interruptible(len(g), cumulate, g, ysize, strides, self.kind, p)
            if garr is None:
                garr = np.empty((len(g), len(self.mods)), np.int32 if small else np.int64)
            garr[:, ri] = g
            del g
        self._g = (r, ylo, ysize, strides, garr)
        return self._g[1:]

    def _finish(self, left, rows, r, wts=None):
        """sum over the left states and the ``rows`` (readout bias values, or the unit types
        of the left part's last unit with their count residues ``wts``) of the right part's
        mass in the orthant the table needs: one pass for every prime, the states in the
        order of their row-major cell (:func:`_cell_order`)."""
        from .kernels.fast import interruptible as _interruptible
        from .kernels.teacher_count import finish_rows

        lk, lc, _ = left
        ylo, ysize, strides, garr = self._cumulative(r)
        wts = self._res([1] * len(rows)) if wts is None else wts
        self.work["lookups"] += len(lk) * len(rows)
        order = _cell_order(lk, self.bits, self.off, self.n)
        if order is not None:
            lk, lc = np.ascontiguousarray(lk[order]), np.ascontiguousarray(lc[order])
            del order
        sums = _interruptible(len(lk) * len(rows), finish_rows, lk, lc, self.mods, self.bits, self.off, self.kind,
                              self.tau, rows, wts, ylo, ysize, strides, garr)
        res = [int(s0) if p == 0 else (int(s0) + (int(s1) << 28) + (int(s2) << 56)) % p
               for p, (s0, s1, s2) in zip(self.mods.tolist(), sums.tolist())]
        return self._exact(res)


def _cell_order(keys, bits, off, n):
    """The order of the packed states by their row-major cell in their bounding box (the
    first coordinate slowest, as in the right half's array), or None when the box has 2^62
    cells or more. The finish's reads then walk the cumulative array forward.

    >>> import numpy as np
    >>> from enumerate.counting.kernels.teacher_count import pack
    >>> keys = np.zeros((3, 1), np.uint64)
    >>> for row, y in zip(keys, ([1, 0], [0, 1], [0, 0])):
    ...     pack(np.array(y, np.int64), 8, 128, row)
    >>> _cell_order(keys, 8, 128, 2).tolist()
    [2, 1, 0]
    """
    from .kernels.teacher_count import bounds, flat_index

    if len(keys) < 2:
        return None
    lo, hi = bounds(keys, bits, off, n)
    size = hi - lo + 1
    if math.prod(float(x) for x in size.tolist()) >= 2.0**62:
        return None
    strides = np.ones(n, np.int64)
    for i in range(n - 2, -1, -1):
        strides[i] = strides[i + 1] * size[i + 1]
    return np.argsort(flat_index(keys, bits, off, lo, strides), kind="stable")


def teacher_count(spec, table, *, progress=None, force=False, max_seconds=DEFAULT_MAX_SECONDS,
                  max_bytes=DEFAULT_MAX_BYTES) -> int:
    """The exact number of parameter settings of ``spec`` computing ``table``.

    Parameters
    ----------
    spec : NetworkSpec
        A 2-layer FC or SFC student (``fc:d,W,1``, ``sfc:d,W,1``), any Q, activation,
        domain and zero-label rule the integer lattice supports.
    table : str
        One symbol per domain point (``+``, ``-``; ``0`` under zero-label rule 0).
    progress : bool or None
        A progress bar on stderr (None: only on a terminal).
    force, max_seconds, max_bytes
        The cost is estimated first (:func:`estimate_teacher_count`); above the budget
        the run raises :class:`~enumerate.brute.BudgetError` unless ``force``.

    Returns
    -------
    int
        Equal to ``count_prior(spec).count(table)``.

    Examples
    --------
    >>> from enumerate import NetworkSpec
    >>> teacher_count(NetworkSpec.parse("sfc:2,2,1", "-1,0,1"), "---+")
    1912
    """
    check_budget(spec, force, max_seconds, max_bytes, table)
    return TeacherCounter(spec, table, progress).count(spec.arch.widths[1])


def teacher_rho(spec, table, **kwargs) -> Fraction:
    """rho~ = P(h == table) as an exact fraction (keywords as :func:`teacher_count`).

    >>> from enumerate import NetworkSpec
    >>> teacher_rho(NetworkSpec.parse("fc:2,2,1", "-1,0,1"), "---+")
    Fraction(316, 19683)
    """
    return Fraction(teacher_count(spec, table, **kwargs), spec.total)


#: the estimate runs the hashed route's real steps (real clipping and symmetry) while the
#: next one has at most this many state-type pairs (a few seconds: on fc:4,8,1 it measures four
#: unit steps and predicts 16 parts, as the run makes), and extrapolates after
MEASURE_PAIRS = 40_000_000
#: state-row lookups per second of a finish, counted once per prime (measured on fc:4, 16 points,
#: two primes in one pass: 1.4e8; a lookup reads one cell of the right part's cumulative array,
#: the states sorted by cell so that the reads walk it forward)
LOOKUPS_PER_SECOND = 1.2e8
#: extra finish lookups of the last hashed table in parts: a clipped state reached from new sums
#: of several parts is a row of each (measured +8% on fc:4,6,1 in 16 parts, +29% on fc:4,7,1 in 32)
PART_LOOKUPS = 1.3


def _window(tc, k, rem_min, rem_max):
    """Values per coordinate of a clipped state after k units and the readout bias: the k-unit
    box cut to what the remaining units can still change (the same window for every kind)."""
    lo = np.maximum(k * tc.umin + tc.bu.min(axis=0), tc.tau - rem_max)  # below: dropped or clamped
    hi = np.minimum(k * tc.umax + tc.bu.max(axis=0), tc.tau - rem_min)  # above: clamped or dropped
    return math.prod(float(max(0, x)) for x in (hi - lo + 1).tolist())


def _hashed_work(tc, w):
    """(pairs, lookups, sizes): the hashed route's state-type pairs, finish lookups (per
    prime) and state-table sizes at width ``w``, following :meth:`TeacherCounter.count`
    step by step. Steps run for real (clipping and the table's symmetry included) while the
    next one has at most :data:`MEASURE_PAIRS` pairs; later sizes are extrapolated as a power
    of k fitted to the last two measured ones, capped by the multisets of unit types and by
    the clipped value window over the symmetry."""
    K, G = len(tc.tu), len(tc.perms)
    r, shared, k_left = tc.plan(w)
    tu, tcr = tc._units()
    if shared:
        states, steps, rows = tc._zero(), k_left, len(tc.bu)
        clip = lambda k: None  # noqa: E731
        cap = lambda k: min(float(math.comb(K + k - 1, k)),  # noqa: E731
                            math.prod(float(k * x + 1) for x in (tc.umax - tc.umin).tolist()))
        step = lambda st, k: tc._step(st, tu, tcr, tc.perms)  # noqa: E731
    else:
        rmin, rmax = r * tc.umin, r * tc.umax
        clip = lambda k: tc._clip((k_left - k) * tc.umin + rmin, (k_left - k) * tc.umax + rmax)  # noqa: E731
        states = tc._step(tc._zero(), tc.bu, tc._res([1] * len(tc.bu)), tc.perms, clip(0))
        steps, rows = k_left - 1, K
        cap = lambda k: min(float(math.comb(K + k - 1, k)) * len(tc.bu),  # noqa: E731
                            _window(tc, k, (k_left - k) * tc.umin + rmin, (k_left - k) * tc.umax + rmax) / G)
        step = lambda st, k: tc._step(st, tu, tcr, tc.perms, clip(k))  # noqa: E731
    pairs = tc.work["pairs"]
    sizes, measured = [float(len(states[0]))], 1
    for k in range(1, steps + 1):
        pairs += sizes[-1] * K
        if measured == k and sizes[-1] * K <= MEASURE_PAIRS:
            states = step(states, k)
            sizes.append(float(len(states[0])))
            measured += 1
            continue
        if k >= 3:
            a = math.log(max(sizes[-1] / max(sizes[-2], 1.0), 1.0)) / math.log((k - 1) / (k - 2))
            grown = sizes[-1] * (k / (k - 1)) ** a
        else:
            grown = sizes[-1] * K
        sizes.append(max(1.0, min(grown, cap(k))))
    return pairs, sizes[-1] * rows, sizes


def _chain_cost(tc, w):
    """(seconds, bytes) of width ``w`` on the dense chain (a lone width: its own powers)."""
    K, R = len(tc.tu), len(tc.mods)
    cells = lambda k: math.prod(tc._box(k)[1].tolist())  # noqa: E731
    top, b = -(-w // 2), w // 2
    steps = sum(cells(k) for k in range(top)) * K
    fold = math.prod((tc._box(b)[1] + tc.bu.max(axis=0) - tc.bu.min(axis=0)).tolist())
    if fold > CHAIN_CELLS:
        fold = cells(b)
    seconds = R * (steps / BOX_PAIRS_PER_SECOND + fold * (len(tc.bu) + tc.n) / CUMULATE_PER_SECOND
                   + cells(top) * 2 / FINISH_PER_SECOND)
    return seconds, 8 * (cells(top) + 2 * max(fold, cells(top)))


def estimate_teacher_count(spec, table=None) -> dict:
    """The work of :func:`teacher_count`, estimated up front: ``route`` ("chain" or
    "hashed"), ``states`` (the largest state table), ``pairs`` (state-type pairs),
    ``seconds`` and ``bytes``; on the hashed route also ``lookups`` (finish lookups per
    prime), ``sizes`` (the state tables step by step) and ``parts`` (the last hashed table's
    parts of at most :data:`PART_BYTES` of map; their duplicate states add
    :data:`PART_LOOKUPS` to the lookups).

    On the dense chain the cost is exact arithmetic on known box sizes. On the hashed
    route the steps of :meth:`TeacherCounter.count` run for real, with the clipping and
    the symmetry of ``table`` (default: the constant table, whose symmetry is the largest:
    pass the real table for an honest figure), while the next one has at most
    :data:`MEASURE_PAIRS` pairs; later ones are extrapolated (:func:`_hashed_work`). The
    work counts match :attr:`TeacherCounter.work` within 1.5x where the measured steps
    reach the step before the largest table (``tests/counting/test_teacher_count.py``);
    the seconds use measured rates (:data:`PAIRS_PER_SECOND`, :data:`LOOKUPS_PER_SECOND`,
    :data:`BOX_PAIRS_PER_SECOND`).

    >>> from enumerate import NetworkSpec
    >>> est = estimate_teacher_count(NetworkSpec.parse("fc:2,64,1", "-1,0,1"))
    >>> est["route"], est["right"], 1 < est["seconds"] < 3600
    ('chain', 32, True)
    """
    if table is None:
        table = "-" * len(spec.domain) if spec.zero_label != "+1" else "+" * len(spec.domain)
    tc = TeacherCounter(spec, table, False)
    w = tc.width
    K = len(tc.tu)
    G = len(tc.perms)
    row = 8 * (tc.kw + len(tc.mods))
    if tc.chained(w):
        seconds, nbytes = _chain_cost(tc, w)
        return {"route": "chain", "right": w // 2, "left": -(-w // 2), "types": K, "symmetry": 1,
                "states": float(math.prod(tc._box(-(-w // 2))[1].tolist())), "pairs": 0.0, "seconds": seconds,
                "bytes": int(nbytes)}
    r, shared, k_left = tc.plan(w)
    span = (tc.umax - tc.umin).tolist()
    pairs, lookups, sizes = _hashed_work(tc, w)
    peak = max(sizes)
    cells = math.prod(int(r * x + 1) for x in span)
    box_pairs = sum(math.prod(int(k * x + 1) for x in span) for k in range(r)) * K
    # a pair's cost grows with the points (the unit added) and the symmetry (the canonical
    # form compares about two coordinates per permutation); the rate is measured at n + 2G ~ 64
    per_pair = (tc.n + 2 * G) / 64
    R = len(tc.mods)
    # the last hashed table in parts (as in TeacherCounter.count: a map holds a state per two rows)
    parts = 1 if shared or len(sizes) < 2 else 1 << max(0, math.ceil(math.log2(max(2 * sizes[-1] * row / PART_BYTES,
                                                                                         1.0))))
    if parts > 1:
        lookups *= PART_LOOKUPS
    return {"route": "hashed", "right": r, "left": k_left, "types": K, "symmetry": G, "states": peak,
            "pairs": pairs, "lookups": lookups, "sizes": sizes, "parts": parts,
            "seconds": (pairs * per_pair / PAIRS_PER_SECOND + R * lookups * tc.n / 16 / LOOKUPS_PER_SECOND
                        + R * (box_pairs / BOX_PAIRS_PER_SECOND + cells * (tc.n + 2) / CUMULATE_PER_SECOND)),
            # the last hashed table of the clipped route is built in parts of at most PART_BYTES of map
            # grown; a part's map starts at 4 rows per state of the step's input (beside the input)
            "bytes": int(max(4 * (peak if shared else max(max(sizes[:-1]), min(sizes[-1], PART_BYTES / row))) * row,
                             0 if shared or len(sizes) < 2 else
                             ((1 << int(4 * sizes[-2] + 2 * K).bit_length()) + sizes[-2]) * row)
                         + cells * 8 * (R + 1))}


def check_budget(spec, force=False, max_seconds=DEFAULT_MAX_SECONDS, max_bytes=DEFAULT_MAX_BYTES, table=None):
    """Raise :class:`~enumerate.brute.BudgetError` above the budget (unless ``force``);
    returns the estimate (``table``: as :func:`estimate_teacher_count`)."""
    from .budget import BudgetError, fmt_seconds as _fmt_seconds

    if not teacher_count_supported(spec):
        raise SpecError("--arch", f"the teacher-equivalence counter handles 2-layer fc/sfc students, not {spec.arch}")
    est = estimate_teacher_count(spec, table)
    if not force and (est["seconds"] > max_seconds or est["bytes"] > max_bytes):
        raise BudgetError("--force", f"the teacher counter on {spec.arch} is estimated at up to "
                          f"~{_fmt_seconds(est['seconds'])} and ~{est['bytes'] / 2**30:.3g} GiB "
                          f"({est['states']:.3g} states), above the budget of {_fmt_seconds(max_seconds)} and "
                          f"{max_bytes / 2**30:.3g} GiB; pass --force to run it")
    return est

"""Exact rho~ by projected model counting (pyganak), and model enumeration (python-sat).

The count of settings realizing a truth table is the number of models of "network
computes the table" projected on the one-hot parameter variables (the *sampling set*;
without it the Tseitin and cardinality auxiliaries would be counted too). pyganak's
binding exposes only ``verbose`` and ``seed``: its cache hashing is probabilistic
(failure chance about 1e-9 per run, no switch in the binding), so we fix the seed, silence
its output at the file-descriptor level, and treat the count as a second method: the
tests compare it with enumeration (:func:`enumerate.count_prior`) on every case both run.

>>> from enumerate import NetworkSpec
>>> spec = NetworkSpec.parse("fc:2,1", "-1,0,1", "step", "01")
>>> r = sat_count(spec, "---+")
>>> r.count, r.rho
(1, Fraction(1, 27))
>>> sorted(enumerate_settings(spec, "---+"))
[(2, 2, 0)]
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from dataclasses import dataclass, field
from fractions import Fraction

from .encode import check_cnf_budget, encode

__all__ = ["SatCount", "sat_count", "projected_count", "enumerate_settings", "quiet_fd", "SOLVER", "PROBABILISTIC"]

#: what a pyganak count guarantees; stated wherever a SAT count is reported
PROBABILISTIC = ("probabilistically exact: pyganak's default mode hashes its component cache, so a count "
                 "is wrong with probability about 1e-9 per run; it is a second method, checked against "
                 "enumeration, never the only one")

#: the CDCL solver used for satisfiability (python-sat name)
SOLVER = "cadical195"


@contextlib.contextmanager
def quiet_fd():
    """Send file descriptors 1 and 2 to /dev/null (C++ libraries print there directly)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # pragma: no cover - closed streams
            pass
    saved = [os.dup(1), os.dup(2)]
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        os.dup2(null, 2)
        yield
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in saved + [null]:
            os.close(fd)


def projected_count(clauses, nv: int, sampling, seed: int = 0) -> int:
    """Number of assignments to ``sampling`` that extend to a model of ``clauses``
    (probabilistically exact: see :data:`PROBABILISTIC`).

    >>> projected_count([[1, 2], [-3, 1]], 3, [1, 2])
    3
    """
    import pyganak

    sampling = sorted(set(int(v) for v in sampling))
    if not sampling:
        raise ValueError("the sampling set must not be empty")
    with quiet_fd():
        counter = pyganak.Counter(verbose=0, seed=seed)
        counter.new_vars(nv)
        counter.add_clauses(clauses)
        counter.set_sampling_set(sampling)
        return int(counter.count())


@dataclass
class SatCount:
    """Result of :func:`sat_count`: the ``count`` of settings computing ``table``,
    probabilistically exact (see :data:`PROBABILISTIC`)."""

    spec: object
    table: str
    count: int
    variables: int
    clauses: int
    sampling: int
    seconds: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.spec.total

    @property
    def rho(self) -> Fraction:
        """rho~ = count / ``|Q|^P``, exact."""
        return Fraction(self.count, self.total)


def sat_count(spec, table: str, seed: int = 0, *, force: bool = False) -> SatCount:
    """Count the settings of ``spec`` computing ``table`` by projected model counting
    (probabilistically exact: see :data:`PROBABILISTIC`).

    The CNF's size is estimated first (:func:`~proofs.sat.encode.check_cnf_budget`); above
    the budget a :class:`~enumerate.BudgetError` unless ``force``.
    """
    check_cnf_budget(spec, "SAT", force=force)
    t0 = time.perf_counter()
    enc = encode(spec)
    enc.assert_table(table)
    c = enc.circuit
    sampling = enc.param_vars
    t1 = time.perf_counter()
    n = projected_count(c.clauses, c.nv, sampling, seed=seed)
    t2 = time.perf_counter()
    return SatCount(spec, table, n, c.nv, len(c.clauses), len(sampling),
                    {"encode": round(t1 - t0, 4), "count": round(t2 - t1, 4)})


def enumerate_settings(spec, table: str, limit: int | None = None) -> set:
    """Every setting (tuple of value indices, canonical order) computing ``table``, found by
    SAT solving with blocking clauses on the parameter variables. Tiny cases only."""
    from pysat.solvers import Solver

    enc = encode(spec)
    enc.assert_table(table)
    found = set()
    with Solver(name=SOLVER, bootstrap_with=enc.circuit.clauses) as s:
        while s.solve():
            model = s.get_model()
            found.add(enc.decode_indices(model))
            if limit is not None and len(found) >= limit:
                break
            s.add_clause(enc.block(model))
    return found

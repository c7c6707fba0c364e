"""The registry of checkable claims.

A claim module defines one or more checkers with the :func:`claim` decorator::

    @claim("fc-embedding", "rho~ >= Q^-K_FC for every FC teacher (paper Thm. 5.1)")
    def check(sweep: str) -> ClaimResult: ...

``sweep`` is ``"small"`` (the test run: seconds), ``"default"`` (``python -m proofs``)
or ``"full"`` (everything the counters can do). A checker must be able to fail: it
returns ``passed=False`` with the smallest counterexample it found.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Callable

__all__ = ["ClaimResult", "Claim", "claim", "all_claims", "CLAIM_MODULES", "SWEEPS"]

SWEEPS = ("small", "default", "full")

#: modules that register claims (imported on demand by :func:`all_claims`)
CLAIM_MODULES: list[str] = []
CLAIM_MODULES.append("proofs.claims.posterior")  # posterior-sampling claims (issue 6)
CLAIM_MODULES.append("proofs.claims.headline_forms")  # sympy headline forms (issue 4)
CLAIM_MODULES.append("proofs.claims.sfc_vs_fc")  # K_SFC vs K_FC (issue 4)
CLAIM_MODULES.append("proofs.claims.embedding_count")  # networkx embeddings / Aut (issue 4)
CLAIM_MODULES.append("proofs.claims.embedding_union")  # counted union of embedding events (issue 4)
CLAIM_MODULES.append("proofs.claims.fc_embedding")  # FC bounds vs exact (issue 4)
CLAIM_MODULES.append("proofs.claims.sfc_embedding")  # SFC bounds vs exact (issue 4)
CLAIM_MODULES.append("proofs.claims.cnn_embedding")  # CNN/SCNN bounds vs exact (issue 4)
CLAIM_MODULES.append("proofs.claims.sat")  # SAT soundness of the constructions, pyganak counts (issue 5)
CLAIM_MODULES.append("proofs.claims.linear_dynamics")  # Advani & Saxe linear dynamics (issue 13)
CLAIM_MODULES.append("proofs.claims.label_noise")  # label noise: random vs narrowest interpolators (issue 14)
CLAIM_MODULES.append("proofs.claims.width_slope")  # C~ per added student neuron, exact (issue 22)
CLAIM_MODULES.append("proofs.claims.sfc_vs_fc_exact")  # FC vs SFC depth-3 students, exact (issue 22)


@dataclass
class ClaimResult:
    """Outcome of one claim over a sweep of configurations.

    Examples
    --------
    >>> r = ClaimResult("demo", "1 + 1 = 2", cases=1, passed=True, figures={"time": "0.0s"})
    >>> r.to_json()["result"], r.counterexample
    ('PASS', None)
    """

    name: str
    statement: str
    cases: int
    passed: bool
    figures: dict = field(default_factory=dict)  # e.g. {"tightness min": "1.0", ...}
    counterexample: str | None = None

    def to_json(self):
        return {
            "claim": self.name,
            "statement": self.statement,
            "cases": self.cases,
            "result": "PASS" if self.passed else "FAIL",
            "figures": {k: str(v) for k, v in self.figures.items()},
            "counterexample": self.counterexample,
        }


@dataclass(frozen=True)
class Claim:
    """A registered claim: its name, statement and ``check(sweep) -> ClaimResult``.

    Examples
    --------
    >>> c = all_claims()["fc-embedding"]
    >>> c.name, c.check("small").passed
    ('fc-embedding', True)
    """

    name: str
    statement: str
    check: Callable[[str], ClaimResult]


_REGISTRY: dict[str, Claim] = {}


def claim(name: str, statement: str):
    """Register ``check(sweep) -> ClaimResult`` under ``name`` (a decorator).

    Examples
    --------
    >>> @claim("demo-arithmetic", "2 + 2 = 4")
    ... def check(sweep):
    ...     return ClaimResult("demo-arithmetic", "2 + 2 = 4", cases=1, passed=2 + 2 == 4)
    >>> all_claims()["demo-arithmetic"].check("small").passed
    True
    >>> del _REGISTRY["demo-arithmetic"]
    """

    def deco(fn):
        _REGISTRY[name] = Claim(name, statement, fn)
        return fn

    return deco


def all_claims() -> dict[str, Claim]:
    """Every registered claim, in registration order (importing the claim modules).

    Examples
    --------
    >>> "fc-embedding" in all_claims()
    True
    """
    for mod in CLAIM_MODULES:
        importlib.import_module(mod)
    return dict(_REGISTRY)

"""Claims checked with SAT / #SAT (registered in :data:`proofs.claims.registry.CLAIM_MODULES`).

* ``sat-soundness``: the FC / SFC / CNN / SCNN embedding constructions are sound for
  every teacher at once (UNSAT, label and real-output versions) on the documented list
  :data:`proofs.sat.sound.SOUND_CASES`, and every deliberately broken variant is SAT with
  a counterexample the reference evaluator confirms.
* ``sat-model-count``: pyganak's projected model count equals the enumeration count.
"""

from __future__ import annotations

import time

from enumerate import NetworkSpec, SpecError, count_prior

from .registry import ClaimResult, claim
from ..sat.count import sat_count
from ..sat.sound import BROKEN, check_construction, sound_cases

STATEMENT_SOUND = ("the embedding constructions (FC: copied weights + zeroed outgoing weights; SFC: copied "
                   "neurons + zero scales) agree with every teacher on every point (UNSAT); broken ones are SAT")
STATEMENT_COUNT = ("pyganak projected model count of the CNF (probabilistically exact, failure chance about 1e-9) "
                   "== enumeration count of settings realizing the table")


@claim("sat-soundness", STATEMENT_SOUND)
def check_soundness(sweep: str, as_sound=None) -> ClaimResult:
    """``as_sound``: a broken variant (one of ``BROKEN``) passed off as the construction
    (a test injects it and sees FAIL where it applies)."""
    t0 = time.perf_counter()
    cases = passed = broken_sat = 0
    worst, cex = 0.0, None
    for s, t, q, act, zl, maps in sound_cases(sweep):
        spec = NetworkSpec.parse(s, q, act, "01", zl)
        for compare in ("label", "output"):
            try:
                r = check_construction(spec, t, maps=maps, compare=compare, broken=as_sound)
            except SpecError:  # the injected variant does not apply to this family
                continue
            cases += 1
            worst = max(worst, r.seconds)
            if r.sound:
                passed += 1
            elif cex is None:
                cex = f"{s} <- {t} {q} {act} zero-label {zl} ({compare}): {r.counterexample}"
        for b in BROKEN:
            try:
                r = check_construction(spec, t, maps=maps, broken=b)
            except SpecError:  # the variant does not apply to this family
                continue
            cases += 1
            if not r.sound:
                passed += 1
                broken_sat += 1
            elif cex is None:
                cex = f"broken variant {b} of {s} <- {t} {q} {act} came out UNSAT"
    return ClaimResult("sat-soundness", STATEMENT_SOUND, cases, passed == cases,
                       {"sound UNSAT + broken SAT": f"{passed}/{cases}", "broken SAT": broken_sat,
                        "slowest": f"{worst:.2f}s", "time": f"{time.perf_counter() - t0:.1f}s"}, cex)


#: (arch, Q, activation, domain, zero-label) of the count sweep
COUNT_CASES = {
    "small": [("fc:2,1,1", "-1,0,1", "sign", "01", "-1"), ("sfc:2,1,1", "-1,0,1", "relu", "pm1", "0")],
    "default": [("fc:2,2,1", "-1,0,1", "sign", "01", "-1"), ("fc:2,1,1", "-1,-1/2,0,1/2,1", "relu", "01", "+1"),
                ("sfc:2,1,1", "-1,0,1", "step", "pm1", "0"), ("cnn:1x3/1k2s1/flat", "int:1", "sign", "01", "-1")],
}
COUNT_CASES["full"] = COUNT_CASES["default"] + [("fc:2,3,1", "-1,0,1", "relu", "01", "-1"),
                                                ("scnn:1x3/1k2s1/sum", "int:1", "sign", "01", "0")]


@claim("sat-model-count", STATEMENT_COUNT)
def check_count(sweep: str, counter=None) -> ClaimResult:
    """``counter(spec, table) -> int`` replaces the pyganak count (a test injects a wrong one)."""
    counter = counter or (lambda spec, table: sat_count(spec, table).count)
    t0 = time.perf_counter()
    cases, bad = 0, None
    everything = sweep == "full"
    for arch, q, act, dom, zl in COUNT_CASES[sweep]:
        spec = NetworkSpec.parse(arch, q, act, dom, zl)
        prior = count_prior(spec, "brute", progress=False)
        ranked = prior.ranked()
        picks = ranked if everything else [ranked[0], ranked[len(ranked) // 2], ranked[-1]]
        if sweep != "small":  # plus one unrealizable table, if the domain has one
            from ..sat.minteacher import all_tables

            picks += [(t, 0) for t in all_tables(spec) if t not in prior.counts][:1]
        for table, n in picks:
            cases += 1
            got = counter(spec, table)
            if got != n and bad is None:
                bad = f"{arch} {q} {act} {dom} zero-label {zl} table {table}: pyganak {got}, enumeration {n}"
    return ClaimResult("sat-model-count", STATEMENT_COUNT, cases, bad is None,
                       {"time": f"{time.perf_counter() - t0:.1f}s"}, bad)

"""``python -m proofs``: run the claims and print a table; or run a tool subcommand.

    python -m proofs                      # every claim, default sweep
    python -m proofs CLAIM [CLAIM ...]    # some claims
    python -m proofs --sweep small --json claims.json
    python -m proofs TOOL ...             # a subcommand registered in SUBCOMMANDS

Exit code 0 if every claim passes, 1 if any fails, 2 on bad input.
"""

from __future__ import annotations

import importlib
import sys
import time

from enumerate._support.files import check_writable, write_json
from enumerate.cli.parser import ArgParser, run_command
from enumerate.core.spec import SpecError

from ..claims.registry import SWEEPS, all_claims

__all__ = ["main", "run", "SUBCOMMANDS", "format_table"]

#: tool subcommands: name -> "module:function" where function(argv) -> exit code
SUBCOMMANDS: dict[str, str] = {
    "sat-count": "proofs.cli.sat:sat_count_main",  # exact rho~ by pyganak projected model counting
    "min-teacher": "proofs.cli.sat:min_teacher_main",  # the narrowest teacher realizing a table
    "sound": "proofs.cli.sat:sound_main",  # soundness of the embedding constructions by SAT
    "bound": "proofs.cli.bound:bound_main",  # exact rho~ and its lower bounds for one (student, teacher) pair
}


def format_table(results) -> str:
    rows = [("claim", "cases", "result", "figures")]
    for r in results:
        figs = ", ".join(f"{k} {v}" for k, v in r.figures.items())
        rows.append((r.name, str(r.cases), "PASS" if r.passed else "FAIL", figs))
    w = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [f"{a:<{w[0]}}  {b:>{w[1]}}  {c:<{w[2]}}  {d}" for a, b, c, d in rows]
    lines.insert(1, "-" * max(len(line) for line in lines))
    for r in results:
        if not r.passed and r.counterexample:
            lines.append(f"counterexample for {r.name}: {r.counterexample}")
    return "\n".join(lines)


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in SUBCOMMANDS:
        mod, fn = SUBCOMMANDS[argv[0]].split(":")
        return getattr(importlib.import_module(mod), fn)(argv[1:])
    claims = all_claims()
    p = ArgParser(prog="python -m proofs", description="Check the paper's claims against exact counts.")
    p.add_argument("claims", nargs="*", metavar="CLAIM", help=f"claims to run (default: all): {', '.join(claims)}")
    p.add_argument("--sweep", default="default", help=f"how many configurations: {', '.join(SWEEPS)}")
    p.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    p.add_argument("--list", action="store_true", help="list the claims and subcommands, then exit")
    return run_command("python -m proofs", p, lambda args: _run_claims(args, claims), argv)


def _run_claims(args, claims) -> int:
    if args.sweep not in SWEEPS:
        raise SpecError("--sweep", f"{args.sweep!r}; allowed: {', '.join(SWEEPS)}")
    unknown = [c for c in args.claims if c not in claims]
    if unknown:
        raise SpecError("CLAIM", f"unknown {unknown[0]!r}; allowed: {', '.join(claims)} or a subcommand: {', '.join(SUBCOMMANDS)}")
    check_writable(args.json, "--json")
    if args.list:
        for c in claims.values():
            print(f"{c.name}: {c.statement}")
        for name in SUBCOMMANDS:
            print(f"{name}: subcommand (python -m proofs {name} --help)")
        return 0
    results = []
    t0 = time.perf_counter()
    for name in args.claims or list(claims):
        c = claims[name]
        t = time.perf_counter()
        r = c.check(args.sweep)
        r.figures.setdefault("time", f"{time.perf_counter() - t:.1f}s")
        results.append(r)
    print(format_table(results))
    print(f"{sum(r.passed for r in results)}/{len(results)} claims pass ({time.perf_counter() - t0:.1f} s, sweep {args.sweep})")
    if args.json:
        write_json(args.json, {"schema": "proofs.claims/1", "sweep": args.sweep,
                                "claims": [r.to_json() for r in results]}, "--json")
    return 0 if all(r.passed for r in results) else 1


def run():
    sys.exit(main())

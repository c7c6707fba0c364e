"""``python -m proofs``: run the claims and print a table; or run a tool subcommand.

    python -m proofs                      # every claim, default sweep
    python -m proofs CLAIM [CLAIM ...]    # some claims
    python -m proofs --sweep small --json claims.json
    python -m proofs TOOL ...             # a subcommand of COMMANDS

Exit code 0 if every claim passes, 1 if any fails, 2 on bad input. Each subcommand is a
module of this package with ``HELP``, ``add_arguments(parser)`` and ``run(args)``, listed
once in :data:`COMMANDS` (the command table of ``python -m enumerate`` works the same way).
"""

from __future__ import annotations

import sys
import time

from enumerate._support.files import check_writable, write_json
from enumerate.cli.parser import ArgParser, command_module, run_command
from enumerate.core.spec import SpecError

from ..claims.registry import SWEEPS, all_claims

__all__ = ["main", "run", "COMMANDS", "format_table"]

PROG = "python -m proofs"

#: subcommand name -> module of this package that defines it (the one command table)
COMMANDS = {
    "bound": "bound",  # exact rho~ and its lower bounds for one (student, teacher) pair
    "sat-count": "sat_count",  # exact rho~ by pyganak projected model counting
    "min-teacher": "min_teacher",  # the narrowest teacher realizing a table
    "sound": "sound",  # soundness of the embedding constructions by SAT
    "width-sweep": "width_sweep",  # exact rho~ of one teacher against student width
}


def format_table(results, width=88) -> str:
    """The claims as a table, one row each, with the figures wrapped under it to ``width``.

    >>> from proofs.claims.registry import ClaimResult
    >>> print(format_table([ClaimResult("c", "holds", 12, True, {"pairs": 3, "time": "0.1s"})]))
    claim  cases  result
    --------------------
    c         12  PASS
        pairs 3, time 0.1s
    """
    import textwrap

    rows = [("claim", "cases", "result")] + [(r.name, str(r.cases), "PASS" if r.passed else "FAIL") for r in results]
    w = [max(len(row[i]) for row in rows) for i in range(3)]
    head = f"{'claim':<{w[0]}}  {'cases':>{w[1]}}  {'result':<{w[2]}}"
    lines = [head, "-" * len(head)]
    for r, (a, b, c) in zip(results, rows[1:]):
        lines.append(f"{a:<{w[0]}}  {b:>{w[1]}}  {c:<{w[2]}}".rstrip())
        figs = ", ".join(f"{k} {v}" for k, v in r.figures.items())
        if figs:
            lines += textwrap.wrap(figs, width, initial_indent="    ", subsequent_indent="    ", break_on_hyphens=False)
    for r in results:
        if not r.passed and r.counterexample:
            lines.append(f"counterexample for {r.name}: {r.counterexample}")
    return "\n".join(lines)


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in COMMANDS:
        name = argv[0]
        mod = command_module(__name__, COMMANDS, name)
        sub = ArgParser(prog=f"{PROG} {name}", description=mod.HELP)
        mod.add_arguments(sub)
        return run_command(f"{PROG} {name}", sub, mod.run, argv[1:])
    claims = all_claims()
    commands = ", ".join(COMMANDS)
    p = ArgParser(prog=PROG, description="Check the paper's claims against exact counts.",
                  epilog=f"subcommands (python -m proofs NAME --help): {commands}")
    p.add_argument("claims", nargs="*", metavar="CLAIM", help=f"claims to run (default: all): {', '.join(claims)}")
    p.add_argument("--sweep", default="default", help=f"how many configurations: {', '.join(SWEEPS)}")
    p.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    p.add_argument("--list", action="store_true", help="list the claims and subcommands, then exit")
    return run_command(PROG, p, lambda args: _run_claims(args, claims), argv)


def _run_claims(args, claims) -> int:
    if args.sweep not in SWEEPS:
        raise SpecError("--sweep", f"{args.sweep!r}; allowed: {', '.join(SWEEPS)}")
    unknown = [c for c in args.claims if c not in claims]
    if unknown:
        raise SpecError("CLAIM", f"unknown {unknown[0]!r}; allowed: {', '.join(claims)} or a subcommand: {', '.join(COMMANDS)}")
    check_writable(args.json, "--json")
    if args.list:
        for c in claims.values():
            print(f"{c.name}: {c.statement}")
        for name in COMMANDS:
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

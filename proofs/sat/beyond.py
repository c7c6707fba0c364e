"""rho~ beyond enumeration: pyganak counts on students with 1e11 to 1e29 settings.

pyganak counts are probabilistically exact (:data:`proofs.sat.count.PROBABILISTIC`); each
row records that, and the fast exact counter is the second method wherever it applies.

``python -m proofs.sat.beyond --out benchmarks/results/sat_beyond.json`` measures every case of
:data:`BEYOND_CASES` (count, rho~, CNF size, seconds) and, where the structured exact
counter of :mod:`enumerate.counting.fast` supports the spec, compares with its count (the second
method). Brute force would need |Q|^P / 1e8 seconds at least (centuries for 1e20).
"""

from __future__ import annotations

import sys
import time

from enumerate import NetworkSpec
from enumerate.results.io import fraction_str

from .count import PROBABILISTIC, sat_count

__all__ = ["BEYOND_CASES", "run_case", "main"]

#: (arch, Q, activation, domain, table)
BEYOND_CASES = (
    ("fc:2,6,1", "int:1", "sign", "01", "---+"),
    ("fc:2,8,1", "int:1", "sign", "01", "---+"),
    ("fc:1,14,1", "int:1", "sign", "01", "-+"),
    ("fc:1,14,1", "int:1", "relu", "01", "-+"),
    ("sfc:1,11,1", "int:1", "sign", "01", "-+"),
    ("fc:1,16,1", "int:1", "sign", "01", "+-"),
    ("fc:1,20,1", "int:1", "step", "01", "-+"),
    ("fc:1,12,1", "int:2", "sign", "pm1", "+-"),
)


def run_case(arch, q, act, domain, table, fast=True) -> dict:
    spec = NetworkSpec.parse(arch, q, act, domain)
    r = sat_count(spec, table)
    row = {"arch": arch, "q": q, "act": act, "domain": domain, "table": table, "settings": spec.total,
           "count": r.count, "rho": fraction_str(r.rho), "variables": r.variables,
           "clauses": r.clauses, "seconds": round(r.seconds["encode"] + r.seconds["count"], 2),
           "fast_count": None, "fast_seconds": None}
    if fast:
        try:
            from enumerate.counting.fast import count_fast, fast_supported
        except ModuleNotFoundError:  # pragma: no cover - optional engine part
            return row
        if fast_supported(spec):
            t = time.perf_counter()
            row["fast_count"] = count_fast(spec, progress=False).count(table)
            row["fast_seconds"] = round(time.perf_counter() - t, 2)
    return row


def main(argv=None) -> int:
    """``python -m proofs.sat.beyond [--out FILE] [--no-fast]``; bad input is one line, exit 2."""
    from enumerate.cli.parser import ArgParser, check_out, run_command

    p = ArgParser(prog="python -m proofs.sat.beyond", description=__doc__.splitlines()[0])
    p.add_argument("--out", default=None, help="write the rows as JSON")
    p.add_argument("--no-fast", action="store_true", help="skip the comparison with the fast exact counter")

    def run(args):
        check_out(args.out)
        return _measure(args)

    return run_command("python -m proofs.sat.beyond", p, run, sys.argv[1:] if argv is None else argv)


def _measure(args) -> int:
    from enumerate._support.files import write_json

    rows = []
    for case in BEYOND_CASES:
        row = run_case(*case, fast=not args.no_fast)
        rows.append(row)
        agree = "" if row["fast_count"] is None else ("  fast: agree" if row["fast_count"] == row["count"] else "  fast: DIFFER")
        print(f"{case[0]:<12} {case[1]:<6} {case[2]:<5} {row['settings']:.3e} settings  table {case[4]}: "
              f"count {row['count']}  ({row['seconds']} s){agree}", flush=True)
    if args.out:
        write_json(args.out, {"schema": "proofs.sat-beyond/1", "exactness": PROBABILISTIC, "rows": rows})
    return 0 if all(r["fast_count"] in (None, r["count"]) for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())

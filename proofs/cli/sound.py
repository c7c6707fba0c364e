"""``python -m proofs sound``: the embedding constructions are sound (UNSAT), exit 1 with a counterexample.

Bad input prints one line ``python -m proofs sound: error: ARGUMENT: ...`` and returns 2
without writing any file; results are written atomically after the work (``--out``).
"""

from __future__ import annotations

from enumerate._support.errors import SpecError
from enumerate._support.files import write_json
from enumerate.cli.args import add_student_args, student_spec
from enumerate.cli.parser import check_out
from enumerate.results.io import versions

__all__ = ["HELP", "add_arguments", "run"]

HELP = "SAT check of the embedding construction for all teachers at once (UNSAT = sound)."


def add_arguments(p):
    from ..sat.sound import BROKEN

    add_student_args(p)
    g = p.add_argument_group("construction")
    g.add_argument("--teacher", required=True, help="teacher architecture (same family, narrower)")
    g.add_argument("--construction", default=None, help="fc | sfc (default: fc for fc/cnn, sfc for sfc/scnn)")
    g.add_argument("--broken", default=None, help=f"deliberately break it: {' | '.join(BROKEN)}")
    g.add_argument("--maps", default="first", help="embedding: first (teacher neuron j -> student j) | last")
    g.add_argument("--compare", default="label", help="label (the paper's event) | output (same real f on X)")
    g.add_argument("--share", action="store_true", help="share variables/gates with the teacher (smaller CNF)")
    p.add_argument("--force", action="store_true",
                   help="build a CNF above the size budget (5,000,000 clauses, estimated; the size is stated first)")
    p.add_argument("--out", default=None, help="write the result as JSON")


def run(args):
    from ..sat.encode import check_supported
    from ..sat.sound import check_construction

    spec = student_spec(args)
    check_supported(spec)
    if args.maps not in ("first", "last"):
        raise SpecError("--maps", f"{args.maps!r}; allowed: first, last")
    check_out(args.out)
    r = check_construction(spec, args.teacher, args.construction, args.broken, args.maps, args.compare, args.share,
                           force=args.force)
    rep = dict(r.to_json(), schema="proofs.sound/1", spec=spec.to_json(), versions=versions(("python-sat", "pyganak")))
    if args.out:
        write_json(args.out, rep)
    what = f"{r.construction} construction of {r.teacher} in {r.student}" + (f" (broken: {r.broken})" if r.broken else "")
    if r.sound:
        print(f"UNSAT: the {what} agrees with every teacher on every point "
              f"({r.variables} variables, {r.clauses} clauses, {r.seconds:.2f} s)")
        return 0
    cex = r.counterexample
    print(f"SAT: the {what} can disagree with its teacher")
    print(f"  teacher params {','.join(cex['teacher_params'])} -> table {cex['teacher_table']}")
    print(f"  student params {','.join(cex['student_params'])} -> table {cex['student_table']}")
    print(f"  first disagreement at domain point {cex['point']}")
    return 1

"""Soundness of the paper's embedding constructions, for all teachers at once, by SAT.

The teacher's parameters are free variables; the student's parameters are tied to them
by the construction (copied parameters *share* the teacher's one-hot variables, zeroed
ones are the constant 0, the rest are free). The formula

    student in the embedding set  AND  student and teacher disagree on some domain point

is UNSAT iff the construction is sound for every teacher of that architecture over Q.

* ``fc`` construction (fc, cnn): copy the teacher's weights between embedded neurons
  (channels: every tap) and its biases; set to 0 every weight from a non-embedded
  neuron (channel) into an embedded one, including the readout.
* ``sfc`` construction (sfc, scnn): copy the embedded neurons (weights from embedded
  neurons, bias, scale); set the scale of every non-embedded neuron to 0.

Deliberately broken variants (``broken=``) must come out SAT, with a counterexample that
:func:`enumerate.core.reference.truth_table` confirms: ``keep-outgoing`` leaves one zeroed
weight free, ``keep-scale`` leaves one zero scale free, ``free-bias`` leaves one copied
bias free.

>>> from enumerate import NetworkSpec
>>> student = NetworkSpec.parse("fc:2,2,1", "-1,0,1", "sign", "01")
>>> check_construction(student, "fc:2,1,1").sound
True
>>> r = check_construction(student, "fc:2,1,1", broken="keep-outgoing")
>>> r.sound, r.counterexample["student_table"] != r.counterexample["teacher_table"]
(False, True)
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from enumerate.core.layout import ParamLayout
from enumerate.core.reference import forward, truth_table
from enumerate.core.spec import SpecError, parse_arch
from enumerate.core.teacher import check_fits_student

from .circuit import Circuit
from .count import SOLVER
from .encode import check_cnf_budget, constant_param, encode

__all__ = ["roles", "check_construction", "SoundResult", "BROKEN", "SOUND_CASES", "sound_cases"]

BROKEN = ("keep-outgoing", "keep-scale", "free-bias")

#: the documented architectures checked by the sweep: (student, teacher)
SOUND_CASES = (
    ("fc:2,2,1", "fc:2,1,1"),
    ("fc:2,3,1", "fc:2,2,1"),
    ("fc:3,2,1", "fc:3,1,1"),
    ("fc:2,2,2,1", "fc:2,1,1,1"),
    ("fc:2,3,2,1", "fc:2,2,1,1"),
    ("sfc:2,2,1", "sfc:2,1,1"),
    ("sfc:2,3,1", "sfc:2,2,1"),
    ("sfc:2,2,2,1", "sfc:2,1,1,1"),
    ("sfc:2,3,2,1", "sfc:2,1,2,1"),
    ("cnn:1x3/2k2s1/flat", "cnn:1x3/1k2s1/flat"),
    ("cnn:1x4/2k2s2/sum", "cnn:1x4/1k2s2/sum"),
    ("scnn:1x3/2k2s1/flat", "scnn:1x3/1k2s1/flat"),
    ("scnn:1x4/2k2s2/sum", "scnn:1x4/1k2s2/sum"),
)


def sound_cases(sweep: str = "default"):
    """(student arch, teacher arch, Q, activation, zero-label, maps) of a sweep."""
    acts = ("sign", "step", "relu")
    out = []
    for s, t in SOUND_CASES:
        for act in acts:
            out.append((s, t, "-1,0,1", act, "-1", "first"))
    if sweep == "small":
        return [c for c in out if c[0] in ("fc:2,2,1", "sfc:2,2,1", "cnn:1x3/2k2s1/flat", "scnn:1x3/2k2s1/flat")]
    for s, t in SOUND_CASES[:2] + SOUND_CASES[5:7]:
        out.append((s, t, "-1,-1/2,0,1/2,1", "relu", "0", "last"))
        out.append((s, t, "-1,0,1", "sign", "+1", "last"))
    if sweep == "full":
        for s, t in SOUND_CASES:
            out.append((s, t, "int:2", "relu", "0", "last"))
    return out


def _maps(student, teacher, maps):
    """Injective maps teacher channel -> student channel, per hidden layer."""
    s_ch = [sh[0] for sh in student.hidden_shapes()]
    t_ch = [sh[0] for sh in teacher.hidden_shapes()]
    if maps in (None, "first"):
        return [list(range(t)) for t in t_ch]
    if maps == "last":
        return [[s - 1 - j for j in range(t)] for s, t in zip(s_ch, t_ch)]
    maps = [list(m) for m in maps]
    if len(maps) != len(s_ch) or any(len(m) != t or len(set(m)) != t or not all(0 <= v < s for v in m)
                                     for m, s, t in zip(maps, s_ch, t_ch)):
        raise SpecError("--maps", "need one injective list of student channels per hidden layer")
    return maps


def roles(student_arch, teacher_arch, construction=None, maps=None):
    """Role of every student parameter (canonical order): ``("copy", teacher_index)``,
    ``("zero",)`` or ``("free",)``.

    >>> roles(parse_arch("fc:1,2,1"), parse_arch("fc:1,1,1"))
    [('copy', 0), ('free',), ('copy', 1), ('free',), ('copy', 2), ('zero',), ('copy', 3)]
    """
    s, t = parse_arch(student_arch), parse_arch(teacher_arch, "--teacher")
    check_fits_student(t, s)
    construction = construction or ("sfc" if s.scaled else "fc")
    if construction not in ("fc", "sfc") or (construction == "sfc") != s.scaled:
        raise SpecError("--construction", f"{construction!r}: use fc for fc/cnn students and sfc for sfc/scnn")
    pis = _maps(s, t, maps)
    slay, tlay = ParamLayout.of(s), ParamLayout.of(t)
    out = [("free",)] * slay.size
    prev_pi = list(range(s.in_channels if s.is_conv else s.widths[0]))
    prev_emb = set(prev_pi)
    for l, ((c, _m, k, _st, cin, _n), (tc, _tm, _tk, _tst, tcin, _tn)) in enumerate(
            zip(s.hidden_shapes(), t.hidden_shapes()), start=1):
        pi = pis[l - 1]
        W, tW = slay.group(f"W{l}"), tlay.group(f"W{l}")
        for j in range(tc):
            for i in range(cin):
                for tap in range(k):
                    sidx = W.offset + (pi[j] * cin + i) * k + tap
                    if i in prev_emb:
                        ti = prev_pi.index(i)
                        out[sidx] = ("copy", tW.offset + (j * tcin + ti) * k + tap)
                    elif construction == "fc":
                        out[sidx] = ("zero",)
            out[slay.group(f"b{l}").offset + pi[j]] = ("copy", tlay.group(f"b{l}").offset + j)
            if s.scaled:
                out[slay.group(f"gamma{l}").offset + pi[j]] = ("copy", tlay.group(f"gamma{l}").offset + j)
        if s.scaled:
            for j in set(range(c)) - set(pi):
                out[slay.group(f"gamma{l}").offset + j] = ("zero",)
        prev_pi, prev_emb = pi, set(pi)
    L = s.depth
    c_last, n_last = s.last_hidden()
    n = 1 if (s.is_conv and s.readout == "sum") else n_last
    W, tW = slay.group(f"W{L}"), tlay.group(f"W{L}")
    for ch in range(c_last):
        for pos in range(n):
            if ch in prev_emb:
                out[W.offset + ch * n + pos] = ("copy", tW.offset + prev_pi.index(ch) * n + pos)
            elif construction == "fc":
                out[W.offset + ch * n + pos] = ("zero",)
    out[slay.group(f"b{L}").offset] = ("copy", tlay.group(f"b{L}").offset)
    return out


def _break(role_list, broken, layout):
    if broken is None:
        return role_list, None
    if broken not in BROKEN:
        raise SpecError("--broken", f"{broken!r}; allowed: {', '.join(BROKEN)}")
    mask = layout.scale_mask()
    names = [g.name for g in layout.groups for _ in range(g.size)]
    for i, r in enumerate(role_list):
        hit = (broken == "keep-outgoing" and r[0] == "zero" and not mask[i]) or \
              (broken == "keep-scale" and r[0] == "zero" and mask[i]) or \
              (broken == "free-bias" and r[0] == "copy" and names[i].startswith("b"))
        if hit:
            out = list(role_list)
            out[i] = ("free",)
            return out, i
    raise SpecError("--broken", f"{broken!r} does not apply to this construction (no such parameter)")


@dataclass
class SoundResult:
    """Outcome of :func:`check_construction`. ``sound`` is True iff the formula is UNSAT."""

    student: str
    teacher: str
    construction: str
    broken: str | None
    sound: bool
    counterexample: dict | None
    variables: int
    clauses: int
    seconds: float
    compare: str = "label"
    pinned: dict = field(default_factory=dict)

    def to_json(self):
        return {k: getattr(self, k) for k in ("student", "teacher", "construction", "broken", "sound",
                                              "compare", "pinned", "variables", "clauses", "seconds",
                                              "counterexample")}


def check_construction(student_spec, teacher_arch, construction=None, broken=None, maps=None,
                       compare="label", share=False, solver=SOLVER, *, force=False) -> SoundResult:
    """SAT-check the embedding construction of ``teacher_arch`` into ``student_spec``.

    ``compare`` is ``"label"`` (disagree on a label) or ``"output"`` (different real
    output f(x) somewhere: the stricter statement). A SAT answer is decoded and confirmed
    with the reference evaluator before it is returned.

    By default the student gets its own variables and gates (a *miter*: copies are
    equivalence clauses, zeros unit clauses), so the SAT solver proves the equality.
    ``share=True`` instead reuses the teacher's variables and lets constant folding and
    structural hashing do most of the work (a smaller formula, same answer).

    The formula's size is estimated first (:func:`~proofs.sat.encode.check_cnf_budget`);
    above the budget a :class:`~enumerate.BudgetError` unless ``force``.
    """
    from pysat.solvers import Solver

    t0 = time.perf_counter()
    spec = student_spec
    if compare not in ("label", "output"):
        raise SpecError("--compare", f"{compare!r}; allowed: label, output")
    tarch = parse_arch(teacher_arch, "--teacher")
    construction = construction or ("sfc" if spec.arch.scaled else "fc")
    role_list = roles(spec.arch, tarch, construction, maps)
    role_list, broke = _break(role_list, broken, spec.layout)
    tspec = spec.with_arch(tarch)
    check_cnf_budget(spec, "SAT", networks=(tspec,), force=force)
    mask = spec.layout.scale_mask()
    for i, r in enumerate(role_list):
        if r[0] == "zero" and not (spec.scales if mask[i] else spec.q).has_zero:
            which = "--scale-q" if mask[i] else "--q"
            raise SpecError(which, "the construction needs 0 in the set (zeroed parameters)")
    c = Circuit()
    teacher = encode(tspec, c)
    if share:
        rows = []
        for i, r in enumerate(role_list):
            vals = (spec.scales if mask[i] else spec.q).values
            rows.append(teacher.params[r[1]] if r[0] == "copy" else constant_param(vals, 0) if r[0] == "zero" else None)
        student = encode(spec, c, rows)
    else:
        # a miter: fresh student variables and gates, tied to the teacher only by clauses
        c.scope = 1
        student = encode(spec, c)
        for i, r in enumerate(role_list):
            row = student.params[i]
            if r[0] == "copy":
                for a, b in zip(row, teacher.params[r[1]]):
                    c.add_clauses([[-a, b], [a, -b]])
            elif r[0] == "zero":
                c.add_clause([row[(spec.scales if mask[i] else spec.q).values.index(0)]])
    npts = len(spec.domain)
    if compare == "label":
        c.add_clause([student.differs(teacher, x) for x in range(npts)])
    else:
        if (student.plan.bias_mult[:1], student.plan.out_bias_mult) != (teacher.plan.bias_mult[:1], teacher.plan.out_bias_mult):
            raise AssertionError("student and teacher lattices differ")  # pragma: no cover
        c.add_clause([student.output_differs(teacher, x) for x in range(npts)])
    pinned = {"copy": sum(r[0] == "copy" for r in role_list), "zero": sum(r[0] == "zero" for r in role_list),
              "free": sum(r[0] == "free" for r in role_list)}
    with Solver(name=solver, bootstrap_with=c.clauses) as s:
        sat = s.solve()
        model = s.get_model() if sat else None
    cex = None
    if sat:
        sp, tp = student.decode(model), teacher.decode(model)
        st, tt = truth_table(spec, sp), truth_table(tspec, tp)
        fs, ft = forward(spec, sp), forward(tspec, tp)
        if (compare == "label" and st == tt) or (compare == "output" and fs == ft):
            raise AssertionError("SAT model does not disagree under the reference evaluator")  # encoding bug
        for i, r in enumerate(role_list):  # the model really lies in the (broken) embedding set
            if (r[0] == "copy" and sp[i] != tp[r[1]]) or (r[0] == "zero" and sp[i] != 0):
                raise AssertionError("SAT model violates the construction")  # pragma: no cover
        cex = {"teacher_params": [str(v) for v in tp], "student_params": [str(v) for v in sp],
               "teacher_table": tt, "student_table": st,
               "point": next(i for i in range(npts) if (st[i] != tt[i] if compare == "label" else fs[i] != ft[i])),
               "freed_param": broke}
    return SoundResult(str(spec.arch), str(tarch), construction, broken, not sat, cex, c.nv, len(c.clauses),
                       round(time.perf_counter() - t0, 4), compare, pinned)

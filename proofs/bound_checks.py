"""The shared checker behind the family claims: exact rho~ >= multi >= single.

For every (student, teacher architecture) pair of a sweep and every teacher setting of
that architecture (grouped by :func:`proofs.teachers.teacher_groups`), compare, as exact
integers (settings counts; divide by |Q|^P for probabilities):

* exact count of the teacher's table in the student's prior (``count_prior(spec, "auto")``)
* >= the multi-embedding bound n_emb / |Aut| * Q^(P-K) (irreducible teachers)
* >= the single-embedding bound Q^(P-K) (every teacher).

The bound functions are arguments, so a test can inject a wrong one and see FAIL. For
reducible teachers the multi-embedding formula is not claimed; how often it would still
hold is reported.

>>> from enumerate import NetworkSpec
>>> pairs = [(NetworkSpec.parse("fc:1,2,1", "-1,0,1"), "fc:1,1,1")]
>>> r = check_family("demo", "demo", pairs)
>>> r.passed, r.cases
(True, 81)
>>> r = check_family("demo", "demo", pairs, multi=lambda t, aut: t.multi_count(aut) * 27)
>>> r.passed, r.counterexample.split(";")[0]
(False, 'student fc:1,2,1, teacher fc:1,1,1 params [-1, 0, -1, 0]')
"""

from __future__ import annotations

import statistics
from fractions import Fraction

from .check import bound_report, default_multi, default_single
from .claims.registry import ClaimResult
from .teachers import teacher_groups

__all__ = ["prior_of", "check_family", "default_single", "default_multi", "ratio_figures", "fc_pairs", "conv_pairs",
           "SWEEP_Q"]

_PRIORS: dict = {}


def prior_of(spec):
    """The exact prior of ``spec`` (``count_prior(spec, "auto")``), cached per spec.

    The fast counter behind ``"auto"`` is itself tested against brute force
    (tests/test_fast.py); an error in it fails the claim loudly rather than being hidden."""
    if spec not in _PRIORS:
        from enumerate import count_prior

        _PRIORS[spec] = count_prior(spec, "auto", progress=False)
    return _PRIORS[spec]


def _fmt(x: Fraction) -> str:
    return f"{float(x):.3g}"


def ratio_figures(prefix, ratios) -> dict:
    """{prefix min/median/max: ...} of exact/bound ratios (Fractions)."""
    if not ratios:
        return {}
    ratios = sorted(ratios)
    return {f"{prefix} min/med/max": f"{_fmt(ratios[0])}/{_fmt(statistics.median_low(ratios))}/{_fmt(ratios[-1])}"}


def _params(ps):
    return "[" + ", ".join(str(p) for p in ps) + "]"


def check_family(name, statement, pairs, single=default_single, multi=default_multi) -> ClaimResult:
    """Check exact >= multi (irreducible) >= single over ``pairs`` of (student spec,
    teacher arch string or Architecture) for every teacher setting, with
    :func:`proofs.check.bound_report`; the smallest counterexample is reported.

    Examples
    --------
    >>> from enumerate import NetworkSpec
    >>> r = check_family("demo", "demo", [(NetworkSpec.parse("fc:1,1,1", "-1,0,1"), "fc:1,1,1")])
    >>> r.passed, r.cases
    (True, 81)
    """
    pairs = sorted(pairs, key=lambda p: (p[0].total, str(p[0].arch), str(p[1])))
    cases, fails = 0, []
    tight_single, tight_multi = [], []
    reducible, reducible_over = 0, 0
    for student, tarch in pairs:
        tspec = student.with_arch(tarch)
        prior = prior_of(student)
        for g in teacher_groups(tspec):
            r = bound_report(student, tspec.arch, g.example, g.table, prior.count(g.table), g.irreducible, g.aut,
                             single=single, multi=multi, method=prior.method)
            exact, s, m = r.count, r.single_count, r.multi_count
            cases += g.teachers
            where = f"student {student.arch}, teacher {tspec.arch} params {_params(g.example)}; table {g.table}"
            if not r.holds:
                what = f"exact {exact} >= multi {m} >= single {s}" if g.irreducible else f"exact {exact} >= single {s}"
                fails.append((g.index, f"{where}: {what} fails (of |Q|^P = {r.total}; "
                                       + (f"|Aut| = {g.aut})" if g.irreducible else "reducible)")))
            if g.irreducible:
                tight_multi.append(Fraction(exact, m) if m else Fraction(0))
            else:
                reducible += g.teachers
                reducible_over += g.teachers * (exact < r.multi_formula)
            tight_single.append(Fraction(exact, s) if s else Fraction(0))
        if fails:  # the smallest student that fails; its first failing teacher
            break
    figures = {"pairs": len(pairs)}
    figures.update(ratio_figures("exact/multi", tight_multi))
    figures.update(ratio_figures("exact/single", tight_single))
    figures["reducible teachers (multi formula > exact)"] = f"{reducible} ({reducible_over})"
    return ClaimResult(name, statement, cases, not fails, figures, min(fails)[1] if fails else None)


# --------------------------------------------------------------------------- sweeps

#: Q of every sweep (the paper's smallest quantization with 0)
SWEEP_Q = "-1,0,1"


def fc_pairs(kind, d0s, max_width, depth, student_limit, teacher_limit, teacher_width=2, act="sign"):
    """(student spec, teacher arch) for every FC/SFC student of the given depth with
    input widths ``d0s`` and hidden widths <= ``max_width`` (at most ``student_limit``
    settings), and every teacher of hidden widths <= ``teacher_width`` that fits (at most
    ``teacher_limit`` settings: every one of them is enumerated)."""
    import itertools

    from enumerate import NetworkSpec

    out = []
    for d0 in d0s:
        for ws in itertools.product(range(1, max_width + 1), repeat=depth - 1):
            s = NetworkSpec.parse(f"{kind}:{d0}," + ",".join(map(str, ws)) + ",1", SWEEP_Q, act)
            if s.total > student_limit:
                continue
            for ts in itertools.product(*(range(1, min(teacher_width, w) + 1) for w in ws)):
                t = s.with_arch(f"{kind}:{d0}," + ",".join(map(str, ts)) + ",1")
                if t.total <= teacher_limit:
                    out.append((s, t.arch))
    return out


def conv_pairs(templates, max_channels, student_limit, teacher_limit, teacher_channels=2, act="sign"):
    """Like :func:`fc_pairs` for CNN/SCNN: ``templates`` are arch strings with one ``{}``
    per conv layer for its channel count (e.g. ``"cnn:1x3/{}k2s1/flat"``)."""
    import itertools

    from enumerate import NetworkSpec

    out = []
    for tpl in templates:
        n = tpl.count("{}")
        for cs in itertools.product(range(1, max_channels + 1), repeat=n):
            s = NetworkSpec.parse(tpl.format(*cs), SWEEP_Q, act)
            if s.total > student_limit:
                continue
            for ts in itertools.product(*(range(1, min(teacher_channels, c) + 1) for c in cs)):
                t = s.with_arch(tpl.format(*ts))
                if t.total <= teacher_limit:
                    out.append((s, t.arch))
    return out

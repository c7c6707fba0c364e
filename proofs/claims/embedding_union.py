"""Claim ``embedding-union``: the union of the embedding events, counted, equals the
multi-embedding formula for irreducible teachers.

Paper (stated in docs/theory.md): for an irreducible teacher two embedding events intersect
only when they differ by an automorphism of the teacher, so the union of all events has
exactly

    prod_(hidden l) d_l!/(d_l - d*_l)! / |Aut(theta*)| * Q^(P - K)

settings (K = K_FC, K_SFC, K_CNN or K_SCNN). Here the union is *counted* (exact union of
cylinders, :func:`proofs.structured.union_size`), not taken from the formula, and compared:
equality for every irreducible teacher; for reducible teachers the union can only be
smaller (union bound) and the cases where it is strictly smaller are the counterexample
table (:func:`reducible_table`). For students with at most 3^10 settings the union is
also counted by testing every setting, and every setting in it must compute the
teacher's truth table (the construction is correct), for about a dozen teachers per pair.

Sweeps (Q = {-1,0,1}, sign, domain {0,1}^d_0; every teacher setting when the teacher has
at most 3^7 (small), 3^5 (default), 3^11 (full) settings, else 120 / 48 / 400 settings
evenly spaced in canonical order):

* small:   fc:1,{1,2,3},1, sfc:1,{1,2},1, cnn:1x3/{1,2}k2s1/flat, teachers of widths <= 2
* default: FC/SFC depth 2 (d_0 <= 2, widths <= 6) and depth 3 (widths <= 3; sfc:2,6,2,1),
           CNN/SCNN with one or two conv layers, channels <= 3
* full:    the default pairs with more teachers
"""

from __future__ import annotations


from enumerate import NetworkSpec
from enumerate.core.forward import all_settings, index_to_params

from ..bound_checks import SWEEP_Q, conv_pairs, fc_pairs
from ..bounds import terms
from ..embedding import count_automorphisms_brute, is_irreducible
from .registry import ClaimResult, claim
from ..structured import embedding_events, radices, union_count, union_count_brute, union_tables

NAME = "embedding-union"
STATEMENT = "counted |union of embedding events| = n_emb/|Aut| Q^(P-K) for irreducible teachers (<= for reducible)"


def pairs(sweep):
    if sweep == "small":
        return (fc_pairs("fc", (1,), 3, 2, 3**10, 3**9) + fc_pairs("sfc", (1,), 2, 2, 3**10, 3**9)
                + conv_pairs(("cnn:1x3/{}k2s1/flat",), 2, 3**11, 3**11))
    big = 3**40
    out = (fc_pairs("fc", (1, 2), 6, 2, big, 3**11) + fc_pairs("fc", (1, 2), 3, 3, big, 3**15)
           + fc_pairs("sfc", (1, 2), 6, 2, big, 3**11) + fc_pairs("sfc", (1, 2), 3, 3, big, 3**19)
           + conv_pairs(("cnn:1x3/{}k2s1/flat", "cnn:1x4/{}k2s1/sum", "cnn:1x4/{}k2s1/{}k2s1/flat",
                         "scnn:1x3/{}k2s1/flat", "scnn:1x4/{}k2s1/{}k2s1/sum"), 3, big, 3**15))
    s = NetworkSpec.parse("sfc:2,6,2,1", SWEEP_Q)
    return out + [(s, s.with_arch("sfc:2,1,2,1").arch), (s.with_arch("fc:2,6,2,1"), s.with_arch("fc:2,1,2,1").arch)]


def teacher_settings(tspec, sweep):
    """Index rows of the teachers checked: all, or ``SAMPLE[sweep]`` evenly spaced."""
    limit, n = LIMIT[sweep], SAMPLE[sweep]
    if tspec.total <= limit:
        return all_settings(tspec)
    step = tspec.total // n
    return [all_settings(tspec, i, i + 1)[0] for i in range(0, tspec.total, step)][:n]


#: teachers with at most this many settings are checked exhaustively ...
LIMIT = {"small": 3**7, "default": 3**5, "full": 3**11}
#: ... the others at this many evenly spaced settings
SAMPLE = {"small": 120, "default": 48, "full": 400}


def check(sweep="default", formula=None, brute_limit=3**10) -> ClaimResult:
    """Run the claim; ``formula(terms, aut)`` is the claimed union size in settings
    (default n_emb // |Aut| * Q^(P-K); inject a wrong one to see FAIL)."""
    formula = formula or (lambda t, aut: t.multi_count(aut))
    ps = sorted(pairs(sweep), key=lambda p: (p[0].total, str(p[0].arch), str(p[1])))
    cases, fails, irr, red, red_less, brute = 0, [], 0, 0, 0, 0
    for student, tarch in ps:
        tspec = student.with_arch(tarch)
        tm = terms(student, tarch)
        rad = radices(student)
        rows = teacher_settings(tspec, sweep)
        every = max(1, len(rows) // 12)  # brute-check about a dozen teachers per pair
        for k, row in enumerate(rows):
            params = index_to_params(tspec, row)
            aut = count_automorphisms_brute(tspec, params)
            events = embedding_events(student, tspec, params)
            got = union_count(events, rad)
            want = formula(tm, aut)
            cases += 1
            where = f"student {student.arch}, teacher {tarch} params [{', '.join(map(str, params))}]"
            if is_irreducible(tspec, params):
                irr += 1
                if got != want:
                    fails.append(f"{where}: counted union {got} != formula {want} (|Aut| = {aut}, irreducible)")
            else:
                red += 1
                red_less += got < want
                if got > want:
                    fails.append(f"{where}: counted union {got} > formula {want} (|Aut| = {aut}, reducible)")
            if student.total <= brute_limit and k % every == 0:
                brute += 1
                n = union_count_brute(student, events)
                tabs = union_tables(student, events)
                from enumerate.core.reference import truth_table

                table = truth_table(tspec, params)
                if n != got or set(tabs) != {table}:
                    fails.append(f"{where}: union by cylinders {got}, by testing every setting {n}; tables {tabs} (teacher {table})")
            if fails:
                break
        if fails:
            break
    figures = {"pairs": len(ps), "irreducible teachers": irr,
               "reducible union < formula": f"{red_less}/{red}", "brute-checked": brute}
    return ClaimResult(NAME, STATEMENT, cases, not fails, figures, fails[0] if fails else None)


def reducible_table(student_arch, teacher_arch, q=SWEEP_Q, limit=10):
    """Rows (teacher params, |Aut|, formula, counted union) for reducible teachers whose
    union is strictly smaller than the formula: the counterexample table."""
    student = NetworkSpec.parse(student_arch, q)
    tspec = student.with_arch(teacher_arch)
    tm = terms(student, tspec.arch)
    rows = []
    for row in all_settings(tspec):
        params = index_to_params(tspec, row)
        if is_irreducible(tspec, params):
            continue
        aut = count_automorphisms_brute(tspec, params)
        got = union_count(embedding_events(student, tspec, params), radices(student))
        if got < tm.multi_count(aut):
            rows.append(([str(p) for p in params], aut, tm.multi_count(aut), got))
            if len(rows) >= limit:
                break
    return rows


@claim(NAME, STATEMENT)
def run(sweep):
    return check(sweep)

"""Claim ``embedding-count``: embeddings and automorphisms, counted on graphs.

Paper (stated in docs/theory.md): the number of distinct embeddings of a teacher of widths
d* into a student of widths d (inputs and output fixed) is

    prod_(hidden l) d_l! / (d_l - d*_l)!     (channels c_l, c*_l for CNNs)

and the multi-embedding bound divides it by |Aut(theta*)|, the number of permutations
of the teacher's hidden units that leave its parameters unchanged. Checked:

* the sympy formula (:func:`proofs.bounds.n_embeddings`) equals the number of
  layer-preserving subgraph monomorphisms of the teacher's layered graph into the
  student's, found by networkx (:func:`proofs.embedding.count_embeddings_nx`);
* |Aut| from automorphisms of the weighted teacher graph (networkx VF2) equals the
  brute-force count over neuron permutations, per setting and vectorized.

Sweeps: arch pairs FC/SFC depth 2 (d_0 <= 2, widths <= 4 (small: 3)) and depth 3
(widths <= 3 (small: 2)), CNN/SCNN templates with channels <= 3, teachers of widths /
channels <= 2; automorphisms for every setting of teachers with at most 3^6 (small: 3^5)
settings, else 60 (small: 20) evenly spaced settings.
"""

from __future__ import annotations

from enumerate.core.forward import all_settings, index_to_params

from ..bound_checks import conv_pairs, fc_pairs
from ..bounds import n_embeddings
from ..embedding import count_automorphisms_brute, count_automorphisms_nx, count_embeddings_nx, units
from .registry import ClaimResult, claim
from ..teachers import aut_counts

NAME = "embedding-count"
STATEMENT = "#subgraph monomorphisms (networkx) = prod d_l!/(d_l-d*_l)!; |Aut| (networkx VF2) = brute force over neuron permutations"

BIG = 3**60


def pairs(sweep):
    w2, w3 = (3, 2) if sweep == "small" else (4, 3)
    out = []
    for kind in ("fc", "sfc"):
        out += fc_pairs(kind, (1, 2), w2, 2, BIG, BIG) + fc_pairs(kind, (1, 2), w3, 3, BIG, BIG)
    out += conv_pairs(("cnn:1x3/{}k2s1/flat", "cnn:1x4/{}k2s1/{}k2s1/sum", "scnn:2x3/{}k2s1/{}k2s1/flat"), 3, BIG, BIG)
    return out


def _formula(student_arch, teacher_arch):
    return int(n_embeddings(units(student_arch), units(teacher_arch)))


def check(sweep="default", formula=_formula, aut=count_automorphisms_nx) -> ClaimResult:
    """Run the claim; ``formula(student_arch, teacher_arch)`` is the claimed number of
    embeddings and ``aut(teacher_spec, params)`` the graph-side |Aut| (inject wrong ones
    to see FAIL)."""
    ps = sorted(pairs(sweep), key=lambda p: (p[0].num_params, str(p[0].arch), str(p[1])))
    fails, cases = [], 0
    max_emb = 0
    for s, t in ps:
        cases += 1
        got, want = count_embeddings_nx(s.arch, t), formula(s.arch, t)
        max_emb = max(max_emb, got)
        if got != want:
            fails.append(f"student {s.arch}, teacher {t}: {got} monomorphisms (networkx) != formula {want}")
            break
    limit, n = (3**5, 20) if sweep == "small" else (3**6, 60) if sweep == "default" else (3**8, 300)
    teachers = {s.with_arch(t) for s, t in ps}
    aut_hist = {}
    for tspec in sorted(teachers, key=lambda x: (x.num_params, str(x.arch))):
        if fails:
            break
        if tspec.total <= limit:
            rows = all_settings(tspec)
        else:
            rows = all_settings(tspec)[:: tspec.total // n] if tspec.total <= 3**12 else \
                [all_settings(tspec, i, i + 1)[0] for i in range(0, tspec.total, tspec.total // n)]
        import numpy as np

        rows = np.asarray(rows)
        vec = aut_counts(tspec, rows)
        for row, v in zip(rows, vec.tolist()):
            params = index_to_params(tspec, row)
            a, b = aut(tspec, params), count_automorphisms_brute(tspec, params)
            cases += 1
            aut_hist[a] = aut_hist.get(a, 0) + 1
            if not a == b == v:
                fails.append(f"teacher {tspec.arch} params [{', '.join(map(str, params))}]: |Aut| networkx {a}, "
                             f"brute force {b}, vectorized {v}")
                break
    figures = {"arch pairs": len(ps), "max embeddings": max_emb, "teacher archs": len(teachers),
               "|Aut| histogram": " ".join(f"{k}:{v}" for k, v in sorted(aut_hist.items()))}
    return ClaimResult(NAME, STATEMENT, cases, not fails, figures, fails[0] if fails else None)


@claim(NAME, STATEMENT)
def run(sweep):
    return check(sweep)

"""Checks of the paper's claims against exact counts (``python -m proofs`` runs them all).

The public API for proof scripts: every name in ``__all__`` (loaded on first use, so
``from proofs import check_bounds`` does not import sympy, networkx or the SAT tools
before they are needed).

>>> from enumerate import NetworkSpec, make_teacher
>>> from proofs import check_bounds
>>> student = NetworkSpec.parse("fc:2,2,1", "-1,0,1")
>>> r = check_bounds(student, make_teacher(student, "fc:2,1,1", "1,1,-1,1,0"))
>>> r.rho, r.single, r.holds
(Fraction(316, 19683), Fraction(1, 729), True)
"""

from enumerate._support.lazy import lazy_exports

#: public name -> module of this package that defines it
_LAZY = {
    "BoundReport": "check",
    "check_bounds": "check",
    "bound_report": "check",
    "Claim": "registry",
    "ClaimResult": "registry",
    "all_claims": "registry",
    "claim": "registry",
    "check_family": "bound_checks",
    "Terms": "bounds",
    "terms": "bounds",
    "TeacherGroup": "teachers",
    "teacher_groups": "teachers",
    "count_automorphisms_brute": "embedding",
    "count_embeddings": "embedding",
    "embedding_event": "embedding",
    "is_irreducible": "embedding",
}

__all__ = sorted(_LAZY)


__getattr__, __dir__ = lazy_exports(globals(), __name__, _LAZY)

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

from enumerate._support.aliases import install as _install_aliases
from enumerate._support.lazy import lazy_exports

#: public name -> module of this package that defines it
_LAZY = {
    "BoundReport": "check",
    "check_bounds": "check",
    "bound_report": "check",
    "Claim": "claims.registry",
    "ClaimResult": "claims.registry",
    "all_claims": "claims.registry",
    "claim": "claims.registry",
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

#: module paths of earlier releases (shown in their docs) -> where the module lives now
MOVED = {
    "registry": "claims.registry",
    "claim_embedding_union": "claims.embedding_union",
    "claim_label_noise": "claims.label_noise",
    "claim_linear_dynamics": "claims.linear_dynamics",
}
_install_aliases(__name__, MOVED)

"""The pinned SAT stack works as the project uses it (python-sat dev pin + its PB backend)."""

import itertools


def test_pysat_pb_backend_imports_and_encodes_exactly():
    from pysat.pb import PBEnc
    from pysat.solvers import Solver

    lits, weights, bound = [1, 2, 3, 4], [1, 2, 3, 2], 4
    cnf = PBEnc.atmost(lits=lits, weights=weights, bound=bound, top_id=4)
    models = set()
    with Solver(name="g3", bootstrap_with=cnf.clauses) as s:
        for m in s.enum_models():
            models.add(tuple(v > 0 for v in m[:4]))
            s.add_clause([-v for v in m[:4]])  # project on the four literals
    expected = {bits for bits in itertools.product([False, True], repeat=4)
                if sum(w for w, b in zip(weights, bits) if b) <= bound}
    assert models == expected

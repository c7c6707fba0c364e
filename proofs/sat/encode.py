"""CNF of a quantized network evaluated on every domain point.

Encoding choices (documented in ``docs/sat.md``):

* **Parameters: one-hot over Q.** Parameter ``i`` gets one Boolean per value of Q (or of
  the scale set for a scale), with an exactly-one constraint (``pysat.card``, pairwise for
  |Q| <= 8, sequential counter above). One-hot makes "weight times input" a selection
  among constants, and a parameter assignment corresponds to exactly one setting, so the
  number of models projected on these variables is the number of settings.
* **Arithmetic: integer-exact.** Values are scaled to integers with
  :class:`enumerate.core.lattice.IntegerPlan` (the same lattice as the numpy forward pass).
  Products are :class:`~proofs.sat.circuit.Choice` selections, sums are ripple-carry adder
  trees on exactly as many bits as their bounds need (no overflow is possible).
* **Activations:** ``sign`` and ``step`` become one or two literals (z > 0, z < 0),
  ``relu`` masks the bit-vector with "not negative", ``identity`` passes it on. Other
  activations are refused with a :class:`~enumerate.SpecError`.
* **Label** at each point under the zero-label rule: literals for f > 0, f < 0, f = 0.

Every auxiliary variable is a Tseitin function of the parameters.

>>> from enumerate import NetworkSpec
>>> spec = NetworkSpec.parse("fc:2,1,1", "-1,0,1", "sign", "01")
>>> enc = encode(spec)
>>> enc.assert_table("---+")
>>> from pysat.solvers import Solver
>>> with Solver(name="cadical195", bootstrap_with=enc.circuit.clauses) as s:
...     s.solve()
...     params = enc.decode(s.get_model())
True
>>> from enumerate.core.reference import truth_table
>>> truth_table(spec, params)
'---+'
"""

from __future__ import annotations

import math
from fractions import Fraction

from pysat.card import CardEnc, EncType

from enumerate.core.lattice import IntegerPlan
from enumerate.counting.budget import Cost, check_cost
from enumerate.core.spec import SpecError
from enumerate.core.validate import check_table
from enumerate.core.validate import table_chars as _table_chars

from .circuit import FALSE, TRUE, Circuit, Choice

__all__ = ["encode", "NetworkEncoding", "SUPPORTED_ACTS", "check_supported", "table_chars", "constant_param",
           "estimate_clauses", "check_cnf_budget", "MAX_CLAUSES"]

SUPPORTED_ACTS = ("sign", "step", "relu", "identity")

#: the size budget of one CNF: above it (estimated), ``force=True`` / ``--force`` is needed
MAX_CLAUSES = 5_000_000
#: measured cost of building one clause in Python (20-60 us on a loaded 2-core machine) and
#: of holding it (a list of a few ints)
_SECONDS_PER_CLAUSE = 40e-6
_BYTES_PER_CLAUSE = 160


def estimate_clauses(spec) -> int:
    """The number of clauses :func:`encode` writes for ``spec``, estimated without building
    them (a formula over the domain points, the layer shapes and the integer lattice's bit
    widths: 0.47 to 3.3 times the real count over 300 random dense specs, up to 17 times on conv
    layers; a guard against a formula that cannot be built, not a forecast).

    >>> from enumerate import NetworkSpec
    >>> spec = NetworkSpec.parse("fc:4,3,1", "-1,0,1", "sign", "01")
    >>> est, real = estimate_clauses(spec), len(encode(spec).circuit.clauses)
    >>> 1 / 2 <= est / real <= 2
    True
    >>> estimate_clauses(NetworkSpec.parse("fc:20,30,1", "int:100", "sign", "01")) > 10**9
    True
    """
    arch, nq = spec.arch, len(spec.q)
    qbits = max(abs(v.numerator) * (spec.q.denominator // v.denominator) for v in spec.q.values).bit_length() + 1
    wide = spec.act.name in ("relu", "identity")  # activations that stay multi-bit
    shapes = list(arch.hidden_shapes())

    d = spec.domain.dim

    def one_point(nonzero, bits):
        total, fan = 0, nonzero
        for l, (ch, m, k, _s, cin, _n) in enumerate(shapes, start=1):
            taps = cin * k * (nonzero / d if l == 1 else 1)  # a zero input drops its product
            terms = (taps if arch.is_conv or l > 1 else fan) + 1
            out_bits = bits + qbits + math.ceil(math.log2(terms))
            total += ch * m * terms * (nq * bits * 6 if wide and l > 1 else nq + 6 * out_bits)
            fan = ch * m
            bits = out_bits if wide else bits
        if arch.is_conv and arch.readout == "sum":  # each channel summed over its positions first
            total += fan * 6 * (bits + math.ceil(math.log2(fan)))
            fan = shapes[-1][0]
        terms = fan + 1
        return int(total) + terms * (nq * bits * 6 if wide and shapes else nq + 6 * (bits + qbits + math.ceil(math.log2(terms))))

    if spec.domain.kind == "01":  # a cube: the points by their number of nonzero coordinates, no loop over 2^d
        groups = {(k, 1): math.comb(d, k) for k in range(d + 1)}
    elif spec.domain.kind == "pm1":
        groups = {(d, 1): 2**d}
    else:
        groups = {}
        for x in IntegerPlan.of(spec).xi:
            key = (sum(1 for c in x if c != 0), max(1, max(abs(int(c)) for c in x).bit_length()))
            groups[key] = groups.get(key, 0) + 1
    points = sum(n * one_point(*key) for key, n in groups.items())
    return points + spec.layout.size * nq * 3


def check_cnf_budget(spec, what, *, networks=(), force=False, max_clauses=MAX_CLAUSES) -> Cost:
    """The cost of encoding ``spec`` (and the other ``networks`` in the same formula) as a
    :class:`~enumerate.counting.budget.Cost`; above ``max_clauses`` (estimated) a
    :class:`~enumerate.BudgetError` unless ``force``. ``what`` names the check (``"SAT"``).

    The solver's or model counter's own time is not part of the estimate: it is not
    predictable from the formula's size (exponential in the worst case).

    >>> from enumerate import NetworkSpec
    >>> check_cnf_budget(NetworkSpec.parse("fc:2,1", "-1,0,1"), "SAT").details["clauses"] < 1000
    True
    >>> check_cnf_budget(NetworkSpec.parse("fc:9,20,1", "int:50"), "SAT")
    Traceback (most recent call last):
    ...
    enumerate.BudgetError: force: the SAT counter on fc:9,20,1 builds a CNF of ~... clauses on 512 points before the solver starts, estimated at ~... and ~... GiB, above the size budget of 5,000,000 clauses; pass force=True to run it
    """
    clauses = sum(estimate_clauses(s) for s in (spec, *networks))
    cost = Cost(what, f"builds a CNF of ~{clauses:,} clauses on {len(spec.domain):,} points before the solver starts",
                seconds=clauses * _SECONDS_PER_CLAUSE, bytes=clauses * _BYTES_PER_CLAUSE,
                details={"clauses": clauses})
    over = f"the size budget of {max_clauses:,} clauses" if clauses > max_clauses else None
    return check_cost(spec, cost, force=force, over=over, max_seconds=math.inf, max_bytes=math.inf)


def check_supported(spec):
    """Raise SpecError if the SAT encoding does not cover ``spec``'s activation."""
    if spec.act.name not in SUPPORTED_ACTS:
        raise SpecError("--act", f"the SAT encoding supports {', '.join(SUPPORTED_ACTS)}, not {spec.act}")


def table_chars(spec) -> str:
    """The characters a truth table of ``spec`` may use."""
    return _table_chars(spec.zero_label)


class NetworkEncoding:
    """The CNF of one network on every domain point (inside a shared :class:`Circuit`).

    Attributes
    ----------
    spec, plan : the network and its integer lattice.
    params : list of lists of literals, ``params[i][k]`` true iff parameter ``i`` (canonical
        order) takes value number ``k`` of Q (of the scale set for a scale).
    outputs : the integer output ``f(x)`` (scaled) per domain point, as BitVecs.
    pos, neg, zero : literals per domain point: f(x) > 0, f(x) < 0, f(x) = 0.
    """

    def __init__(self, circuit, spec, plan, params, outputs):
        self.circuit, self.spec, self.plan, self.params = circuit, spec, plan, params
        self.outputs = outputs
        self.pos = [circuit.is_pos(o) for o in outputs]
        self.neg = [circuit.is_neg(o) for o in outputs]
        self.zero = [circuit.is_zero(o) for o in outputs]

    # ------------------------------------------------------------------ labels
    def label_lit(self, point: int, char: str) -> int:
        """Literal that is true iff the label at ``point`` is ``char`` (+, - or 0)."""
        rule = self.spec.zero_label
        if char not in table_chars(self.spec):
            raise SpecError("table", f"character {char!r} is not a label under zero-label rule {rule}")
        if rule == "-1":
            return self.pos[point] if char == "+" else -self.pos[point]
        if rule == "+1":
            return -self.neg[point] if char == "+" else self.neg[point]
        return {"+": self.pos, "-": self.neg, "0": self.zero}[char][point]

    def table_lits(self, table: str) -> list:
        """One literal per point: the network computes ``table`` iff all are true."""
        check_table(table, len(self.spec.domain), self.spec.zero_label, "--teacher-table")
        return [self.label_lit(i, ch) for i, ch in enumerate(table)]

    def assert_table(self, table: str):
        """Add unit clauses: the network computes ``table``."""
        for lit in self.table_lits(table):
            self.circuit.add_clause([lit])

    def differs(self, other: "NetworkEncoding", point: int) -> int:
        """Literal: this network and ``other`` (same zero-label rule) label ``point`` differently."""
        c = self.circuit
        rule = self.spec.zero_label
        if rule == "-1":
            return c.xor(self.pos[point], other.pos[point])
        if rule == "+1":
            return c.xor(self.neg[point], other.neg[point])
        return c.or_(c.xor(self.pos[point], other.pos[point]), c.xor(self.neg[point], other.neg[point]))

    def output_differs(self, other: "NetworkEncoding", point: int) -> int:
        """Literal: the scaled integer outputs differ at ``point`` (needs the same lattice)."""
        c = self.circuit
        diff = c.add(self.outputs[point], c.neg(other.outputs[point]))
        return -c.is_zero(diff)

    # ------------------------------------------------------------------ parameters
    @property
    def param_vars(self) -> list:
        """Every non-constant parameter literal (the projection set for counting)."""
        return sorted({abs(l) for row in self.params for l in row if l not in (TRUE, FALSE)})

    def value_sets(self):
        mask = self.spec.layout.scale_mask()
        return [(self.spec.scales if sc else self.spec.q).values for sc in mask]

    def decode(self, model) -> list:
        """Parameter values (Fractions, canonical order) of a SAT model."""
        true = {l for l in model if l > 0} | {TRUE}
        out = []
        for row, vals in zip(self.params, self.value_sets()):
            hits = [k for k, l in enumerate(row) if (l in true if l > 0 else -l not in true)]
            if len(hits) != 1:
                raise AssertionError(f"model is not one-hot on a parameter: {hits}")
            out.append(vals[hits[0]])
        return out

    def decode_indices(self, model) -> tuple:
        """Like :meth:`decode`, as indices into Q / the scale set."""
        return tuple(v.index(x) for v, x in zip(self.value_sets(), self.decode(model)))

    def block(self, model) -> list:
        """Clause excluding the parameter setting of ``model`` (for model enumeration)."""
        idx = self.decode_indices(model)
        return [-row[k] for row, k in zip(self.params, idx) if row[k] not in (TRUE, FALSE)]

    def pin(self, params) -> list:
        """Unit clauses fixing every parameter to ``params`` (values in canonical order)."""
        out = []
        for row, vals, p in zip(self.params, self.value_sets(), params):
            out.append([row[vals.index(Fraction(p))]])
        return out


def constant_param(values, value) -> list:
    """A parameter row fixed to ``value``: TRUE at its index, FALSE elsewhere."""
    k = list(values).index(Fraction(value))
    return [TRUE if i == k else FALSE for i in range(len(values))]


def encode(spec, circuit=None, params=None) -> NetworkEncoding:
    """Encode ``spec`` on every domain point into ``circuit`` (a new one by default).

    ``params`` optionally gives, per parameter, a row of literals to use (shared with
    another network, or constants from :func:`constant_param`); ``None`` entries get fresh
    one-hot variables with an exactly-one constraint.
    """
    check_supported(spec)
    c = circuit or Circuit()
    plan = IntegerPlan.of(spec)
    lay, arch = spec.layout, spec.arch
    mask = lay.scale_mask()
    rows = []
    given = params if params is not None else [None] * lay.size
    if len(given) != lay.size:
        raise ValueError(f"expected {lay.size} parameter rows, got {len(given)}")
    for i, sc in enumerate(mask):
        nvals = len(spec.scales if sc else spec.q)
        if given[i] is not None:
            if len(given[i]) != nvals:
                raise ValueError(f"parameter {i}: expected {nvals} literals")
            rows.append(list(given[i]))
            continue
        lits = c.new_vars(nvals)
        kind = EncType.pairwise if nvals <= 8 else EncType.seqcounter
        enc = CardEnc.equals(lits=lits, bound=1, top_id=c.nv, encoding=kind)
        c.nv = max(c.nv, enc.nv)
        c.add_clauses(enc.clauses)
        rows.append(lits)

    def group(name):
        g = lay.group(name)
        vals = plan.gi if g.is_scale else plan.qi
        return [Choice(tuple((l, v) for l, v in zip(rows[g.offset + j], vals) if v != 0 and l != FALSE))
                for j in range(g.size)]

    groups = {g.name: group(g.name) for g in lay.groups}
    act = spec.act.name
    outputs = []
    for x in plan.xi:
        if arch.is_conv:
            n0 = arch.in_length
            a = [[x[ch * n0 + t] for t in range(n0)] for ch in range(arch.in_channels)]
        else:
            a = [[xi] for xi in x]
        for l, (ch, m, k, s, cin, _nin) in enumerate(arch.hidden_shapes(), start=1):
            W, b = groups[f"W{l}"], groups[f"b{l}"]
            gamma = groups.get(f"gamma{l}") if arch.scaled else None
            new = []
            for j in range(ch):
                row = []
                for t in range(m):
                    terms = [c.times(b[j], plan.bias_mult[l - 1])]
                    for i in range(cin):
                        for tap in range(k):
                            terms.append(c.times(W[(j * cin + i) * k + tap], a[i][t * s + tap]))
                    z = c.sum(terms)
                    if act in ("sign", "step"):
                        pos = c.is_pos(z)
                        pairs = [(pos, 1)] + ([(c.is_neg(z), -1)] if act == "sign" else [])
                        v = c.choice(pairs)
                    elif act == "relu":
                        v = c.mask(z, -c.is_neg(z))
                    else:
                        v = z
                    if gamma is not None:
                        v = c.times(gamma[j], v)
                    row.append(v)
                new.append(row)
            a = new
        L = arch.depth
        vw, vb = groups[f"W{L}"], groups[f"b{L}"][0]
        if arch.is_conv and arch.readout == "sum":
            feats = [c.sum(row) for row in a]
        else:
            feats = [val for row in a for val in row]
        terms = [c.times(vb, plan.out_bias_mult)] + [c.times(w, f) for w, f in zip(vw, feats)]
        outputs.append(c.sum(terms))
    return NetworkEncoding(c, spec, plan, rows, outputs)

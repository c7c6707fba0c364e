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

from fractions import Fraction

from pysat.card import CardEnc, EncType

from enumerate.core.lattice import IntegerPlan
from enumerate.core.spec import SpecError
from enumerate.core.validate import check_table
from enumerate.core.validate import table_chars as _table_chars

from .circuit import FALSE, TRUE, Circuit, Choice

__all__ = ["encode", "NetworkEncoding", "SUPPORTED_ACTS", "check_supported", "table_chars", "constant_param"]

SUPPORTED_ACTS = ("sign", "step", "relu", "identity")


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

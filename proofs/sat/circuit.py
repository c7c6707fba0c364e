"""A tiny Boolean-circuit builder: Tseitin gates, two's-complement bit-vectors, adders.

Every gate is defined by a full equivalence (``y <-> AND(...)`` etc.), so every auxiliary
variable is a function of the inputs: a model of the CNF is fixed by its inputs, and a
projected model count over the inputs is the count of input assignments. Gates are
hashed structurally (the same gate is built once) and constants are folded, so the
CNF stays small. Literal ``TRUE`` (variable 1, forced by a unit clause) and ``FALSE = -1``
stand for constants.

Integers are :class:`BitVec` (two's complement, least significant bit first) that carry
exact bounds ``lo <= value <= hi``; every sum is computed on just enough bits to hold its
bound, so nothing ever overflows. A :class:`Choice` is an integer that takes value ``v``
when its literal is true, for a list of mutually exclusive literals (value 0 when none
is), the natural form of a one-hot parameter times a constant.

>>> c = Circuit()
>>> x = c.choice([(c.new_var(), 3), (c.new_var(), -2)])
>>> y = c.add(c.to_bitvec(x), c.const(5))
>>> (y.lo, y.hi, len(y.bits))
(3, 8, 5)
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Circuit", "BitVec", "Choice", "TRUE", "FALSE", "width_for"]

TRUE = 1
FALSE = -1


def width_for(lo: int, hi: int) -> int:
    """Fewest two's-complement bits holding every integer in [lo, hi].

    >>> width_for(0, 0), width_for(-1, 1), width_for(0, 8), width_for(-9, 0)
    (1, 2, 5, 5)
    """
    w = 1
    while not (-(1 << (w - 1)) <= lo and hi <= (1 << (w - 1)) - 1):
        w += 1
    return w


@dataclass(frozen=True)
class BitVec:
    """Two's-complement integer: ``bits`` (literals, LSB first) with bounds ``lo..hi``."""

    bits: tuple
    lo: int
    hi: int


@dataclass(frozen=True)
class Choice:
    """Integer equal to ``v`` when literal ``l`` is true, for exclusive pairs ``(l, v)``;
    0 when no literal is true. Values are distinct and nonzero."""

    pairs: tuple

    @property
    def lo(self) -> int:
        return min([0] + [v for _, v in self.pairs])

    @property
    def hi(self) -> int:
        return max([0] + [v for _, v in self.pairs])


class Circuit:
    """A CNF under construction: ``clauses`` (lists of ints) over variables ``1..nv``."""

    def __init__(self):
        self.nv = 1
        self.clauses = [[TRUE]]
        self._gates = {}
        #: gates are shared only within one scope: encode two networks in different scopes
        #: to make the solver (not the structural hashing) prove them equal
        self.scope = 0

    # ------------------------------------------------------------------ variables
    def new_var(self) -> int:
        self.nv += 1
        return self.nv

    def new_vars(self, n: int) -> list:
        return [self.new_var() for _ in range(n)]

    def add_clause(self, clause):
        clause = [int(l) for l in clause]
        if TRUE in clause:
            return
        self.clauses.append([l for l in clause if l != FALSE])

    def add_clauses(self, clauses):
        for cl in clauses:
            self.add_clause(cl)

    # ------------------------------------------------------------------ gates
    def and_(self, *lits) -> int:
        """Literal equivalent to the conjunction of ``lits``."""
        s = set()
        for l in lits:
            if l == FALSE or -l in s:
                return FALSE
            if l != TRUE:
                s.add(l)
        if not s:
            return TRUE
        if len(s) == 1:
            return next(iter(s))
        key = (self.scope, "and", frozenset(s))
        y = self._gates.get(key)
        if y is None:
            y = self.new_var()
            for l in s:
                self.clauses.append([-y, l])
            self.clauses.append([y] + [-l for l in s])
            self._gates[key] = y
        return y

    def or_(self, *lits) -> int:
        return -self.and_(*(-l for l in lits))

    def xor(self, a: int, b: int) -> int:
        if a in (TRUE, FALSE):
            return -b if a == TRUE else b
        if b in (TRUE, FALSE):
            return -a if b == TRUE else a
        if a == b:
            return FALSE
        if a == -b:
            return TRUE
        flip = (a < 0) != (b < 0)
        a, b = sorted((abs(a), abs(b)))
        key = (self.scope, "xor", a, b)
        y = self._gates.get(key)
        if y is None:
            y = self.new_var()
            self.clauses += [[-y, a, b], [-y, -a, -b], [y, -a, b], [y, a, -b]]
            self._gates[key] = y
        return -y if flip else y

    def maj(self, a: int, b: int, c: int) -> int:
        """Majority of three literals (the carry of a full adder)."""
        for x, y, z in ((a, b, c), (b, a, c), (c, a, b)):
            if x == TRUE:
                return self.or_(y, z)
            if x == FALSE:
                return self.and_(y, z)
        for x, y, z in ((a, b, c), (a, c, b), (b, c, a)):
            if x == y:
                return x
            if x == -y:
                return z
        key = (self.scope, "maj", frozenset((a, b, c)))
        y = self._gates.get(key)
        if y is None:
            y = self.new_var()
            self.clauses += [[-a, -b, y], [-a, -c, y], [-b, -c, y], [a, b, -y], [a, c, -y], [b, c, -y]]
            self._gates[key] = y
        return y

    # ------------------------------------------------------------------ integers
    def const(self, value: int) -> BitVec:
        w = width_for(value, value)
        return BitVec(tuple(TRUE if (value >> i) & 1 else FALSE for i in range(w)), value, value)

    def choice(self, pairs) -> Choice:
        """A :class:`Choice` from exclusive ``(literal, value)`` pairs (merging equal values)."""
        by_value = {}
        for lit, v in pairs:
            if v != 0 and lit != FALSE:
                by_value.setdefault(int(v), []).append(lit)
        return Choice(tuple((self.or_(*ls), v) for v, ls in sorted(by_value.items())))

    def to_bitvec(self, x) -> BitVec:
        """A :class:`BitVec` of an int, a :class:`Choice` or a :class:`BitVec`."""
        if isinstance(x, BitVec):
            return x
        if isinstance(x, int):
            return self.const(x)
        lo, hi = x.lo, x.hi
        w = width_for(lo, hi)
        bits = tuple(self.or_(*[l for l, v in x.pairs if (v >> i) & 1]) for i in range(w))
        return BitVec(bits, lo, hi)

    @staticmethod
    def resize(x: BitVec, w: int) -> tuple:
        """The low ``w`` bits of ``x``, sign-extended if needed (value mod 2^w)."""
        bits = x.bits
        return bits[:w] if len(bits) >= w else bits + (bits[-1],) * (w - len(bits))

    def add(self, x: BitVec, y: BitVec) -> BitVec:
        """Ripple-carry sum on exactly the bits its bounds need (never overflows)."""
        lo, hi = x.lo + y.lo, x.hi + y.hi
        w = width_for(lo, hi)
        a, b = self.resize(x, w), self.resize(y, w)
        carry, out = FALSE, []
        for i in range(w):
            out.append(self.xor(self.xor(a[i], b[i]), carry))
            if i + 1 < w:
                carry = self.maj(a[i], b[i], carry)
        return BitVec(tuple(out), lo, hi)

    def sum(self, terms) -> BitVec:
        """Sum of ints, Choices and BitVecs by a balanced adder tree."""
        const = sum(t for t in terms if isinstance(t, int))
        vecs = [self.to_bitvec(t) for t in terms if not isinstance(t, int)]
        if const or not vecs:
            vecs.append(self.const(const))
        while len(vecs) > 1:
            vecs = [self.add(vecs[i], vecs[i + 1]) if i + 1 < len(vecs) else vecs[i] for i in range(0, len(vecs), 2)]
        return vecs[0]

    def neg(self, x: BitVec) -> BitVec:
        """-x (two's complement: invert and add one)."""
        w = width_for(-x.hi, -x.lo)
        inv = BitVec(tuple(-b for b in self.resize(x, w)), -x.hi - 1, -x.lo - 1)
        return self.add(inv, self.const(1))

    def shift(self, x: BitVec, s: int) -> BitVec:
        return BitVec((FALSE,) * s + x.bits, x.lo << s, x.hi << s)

    def mul_const(self, x: BitVec, k: int) -> BitVec:
        """k * x by shift-and-add."""
        if k == 0:
            return self.const(0)
        parts = [self.shift(x, s) for s in range(abs(k).bit_length()) if (abs(k) >> s) & 1]
        y = self.sum(parts)
        return self.neg(y) if k < 0 else y

    def mask(self, x: BitVec, lit: int) -> BitVec:
        """x if ``lit`` else 0."""
        return BitVec(tuple(self.and_(b, lit) for b in x.bits), min(x.lo, 0), max(x.hi, 0))

    def merge_exclusive(self, vecs) -> BitVec:
        """Sum of BitVecs of which at most one is nonzero in any model (a bitwise OR)."""
        if not vecs:
            return self.const(0)
        lo, hi = min(v.lo for v in vecs), max(v.hi for v in vecs)
        w = width_for(lo, hi)
        cols = [self.resize(v, w) for v in vecs]
        return BitVec(tuple(self.or_(*[c[i] for c in cols]) for i in range(w)), lo, hi)

    def times(self, w: Choice, a):
        """Product of a :class:`Choice` (a one-hot parameter) and an int, Choice or BitVec."""
        if isinstance(a, int):
            return self.choice([(l, v * a) for l, v in w.pairs])
        if isinstance(a, Choice):
            return self.choice([(self.and_(l1, l2), v1 * v2) for l1, v1 in w.pairs for l2, v2 in a.pairs])
        return self.merge_exclusive([self.mask(self.mul_const(a, v), l) for l, v in w.pairs])

    # ------------------------------------------------------------------ signs
    def is_neg(self, x) -> int:
        x = self.to_bitvec(x)
        return x.bits[-1]

    def is_zero(self, x) -> int:
        x = self.to_bitvec(x)
        return -self.or_(*x.bits)

    def is_pos(self, x) -> int:
        return self.and_(-self.is_neg(x), -self.is_zero(x))

"""The paper's lower bounds on rho~ as sympy expressions (docs/theory.md).

Widths are sequences ``d = (d_0, d_1, ..., d_L)`` with ``d_L = 1`` (FC/SFC) or channel
sequences ``c = (c_0, ..., c_{L-1}, 1)`` with kernels ``k = (k_1, ..., k_{L-1})`` and a
readout fan-in ``r`` (CNN/SCNN). Entries may be ints or sympy symbols: the same
functions give the symbolic formulas and, fed with the numbers of a spec, the exact
values the claims compare with counts (:func:`terms`).

Pinned counts (parameters an embedding event fixes), split into Q-parameters and scales:

* FC   K_FC   = sum_{l=1..L} d*_l (d_{l-1} + 1)
* SFC  K_SFC  = M(d*) + sum_{hidden l} d_l          (M = FC parameter count)
* CNN  K_CNN  = sum_{conv l} c*_l (k_l c_{l-1} + 1) + r + 1
* SCNN K_SCNN = sum_{conv l} [c*_l (k_l c*_{l-1} + 2) + (c_l - c*_l)] + r* + 1

Single embedding: rho~ >= Q^-K. Multi embedding (irreducible teacher):
rho~ >= prod_l c_l!/(c_l - c*_l)! / |Aut(theta*)| * Q^-K.

>>> d, ds = (2, 6, 2, 1), (2, 1, 2, 1)
>>> k_fc(d, ds), k_sfc(d, ds)          # SFC pins fewer than FC (docs/theory.md)
(20, 18)
>>> n_embeddings(d, ds)
12
>>> L2 = width_symbols(2); sp.expand(k_sfc(*L2) - k_fc(*L2))   # never in 2-layer nets
ds_1
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

__all__ = [
    "Q", "QS", "EPS", "DELTA",
    "width_symbols", "fc_params", "sfc_params", "cnn_params", "scnn_params",
    "k_fc", "k_sfc", "k_sfc_parts", "k_cnn", "k_scnn", "k_scnn_parts",
    "n_embeddings", "single_bound", "multi_bound", "sample_complexity", "sample_complexity_bound",
    "headline_fc", "headline_sfc", "HeadlineProof", "prove_headline", "prove_headline_general",
    "fc_minus_sfc", "Terms", "terms",
]

#: |Q|, the number of quantization levels, and |Q_s|, the size of the scale set
Q = sp.Symbol("Q", positive=True, integer=True)
QS = sp.Symbol("Q_s", positive=True, integer=True)
EPS = sp.Symbol("epsilon", positive=True)
DELTA = sp.Symbol("delta", positive=True)


def width_symbols(L: int):
    """Symbolic student and teacher widths of a depth-L FC net: ``(d, ds)`` with
    d_0 = d*_0 and d_L = d*_L = 1.

    >>> width_symbols(2)
    ((d_0, d_1, 1), (d_0, ds_1, 1))
    """
    d0 = sp.Symbol("d_0", positive=True, integer=True)
    d = (d0,) + tuple(sp.Symbol(f"d_{l}", positive=True, integer=True) for l in range(1, L)) + (sp.Integer(1),)
    ds = (d0,) + tuple(sp.Symbol(f"ds_{l}", positive=True, integer=True) for l in range(1, L)) + (sp.Integer(1),)
    return d, ds


def _S(x):
    return sp.sympify(x)


# --------------------------------------------------------------------------- parameter counts


def fc_params(d):
    """M(d) = sum_l d_l (d_{l-1} + 1)."""
    return sp.Add(*(_S(d[l]) * (d[l - 1] + 1) for l in range(1, len(d))))


def sfc_params(d):
    """(Q-parameters, scales) of an SFC net: (M(d), sum_{hidden l} d_l)."""
    return fc_params(d), sp.Add(*(_S(x) for x in d[1:-1]))


def cnn_params(c, k, r):
    """sum_{conv l} c_l (k_l c_{l-1} + 1) + r + 1 (r: readout fan-in)."""
    return sp.Add(*(_S(c[l]) * (k[l - 1] * c[l - 1] + 1) for l in range(1, len(c) - 1))) + r + 1


def scnn_params(c, k, r):
    """(Q-parameters, scales) of an SCNN: (CNN count, sum_{conv l} c_l)."""
    return cnn_params(c, k, r), sp.Add(*(_S(x) for x in c[1:-1]))


# --------------------------------------------------------------------------- pinned counts


def k_fc(d, ds):
    """K_FC = sum_{l=1..L} d*_l (d_{l-1} + 1)."""
    return sp.Add(*(_S(ds[l]) * (d[l - 1] + 1) for l in range(1, len(d))))


def k_sfc_parts(d, ds):
    """(pinned Q-parameters, pinned scales) = (M(d*), sum_{hidden l} d_l): teacher
    scales d*_l plus zero scales d_l - d*_l."""
    return fc_params(ds), sp.Add(*(_S(x) for x in d[1:-1]))


def k_sfc(d, ds):
    """K_SFC = M(d*) + sum_{hidden l} d_l."""
    return sum(k_sfc_parts(d, ds))


def k_cnn(c, cs, k, r):
    """K_CNN = sum_{conv l} c*_l (k_l c_{l-1} + 1) + r + 1 (r: the student's readout fan-in)."""
    return sp.Add(*(_S(cs[l]) * (k[l - 1] * c[l - 1] + 1) for l in range(1, len(c) - 1))) + r + 1


def k_scnn_parts(c, cs, k, rs):
    """(pinned Q-parameters, pinned scales) of an SCNN: (sum c*_l (k_l c*_{l-1} + 1) + r* + 1,
    sum_{conv l} c_l) with r* the teacher's readout fan-in."""
    return cnn_params(cs, k, rs), sp.Add(*(_S(x) for x in c[1:-1]))


def k_scnn(c, cs, k, rs):
    """K_SCNN = sum_{conv l} [c*_l (k_l c*_{l-1} + 2) + (c_l - c*_l)] + r* + 1."""
    return sum(k_scnn_parts(c, cs, k, rs))


def n_embeddings(u, us):
    """prod_{hidden l} u_l! / (u_l - u*_l)! (falling factorials; u = widths or channels)."""
    return sp.Mul(*(sp.ff(u[l], us[l]) for l in range(1, len(u) - 1)))


# --------------------------------------------------------------------------- bounds


def single_bound(k_weights, k_scales=0, q=Q, qs=None):
    """Q^-K_w * Q_s^-K_s (one embedding event)."""
    qs = q if qs is None else qs
    return _S(q) ** (-_S(k_weights)) * _S(qs) ** (-_S(k_scales))


def multi_bound(k_weights, k_scales, n_emb, aut, q=Q, qs=None):
    """n_emb / |Aut| * Q^-K_w * Q_s^-K_s (the union of the embedding events)."""
    return _S(n_emb) / aut * single_bound(k_weights, k_scales, q, qs)


def sample_complexity(rho, eps=EPS, delta=DELTA):
    """N = (-ln rho~ + 3 ln(2/delta)) / eps (the paper's sample-size lemma)."""
    return (-sp.log(rho) + 3 * sp.log(2 / _S(delta))) / eps


def sample_complexity_bound(k_weights, k_scales, n_emb, aut, q=Q, qs=None, eps=EPS, delta=DELTA):
    """The sample complexity that the multi-embedding bound guarantees:
    (K_w ln Q + K_s ln Q_s - ln(n_emb/|Aut|) + 3 ln(2/delta)) / eps."""
    qs = q if qs is None else qs
    return (k_weights * sp.log(q) + k_scales * sp.log(qs) - sp.log(_S(n_emb) / aut) + 3 * sp.log(2 / _S(delta))) / eps


# --------------------------------------------------------------------------- headline forms


def headline_fc(d, ds):
    """sum_l (d*_l d_{l-1} + d*_l): the paper's O(log Q * ...) for vanilla FC."""
    return sp.Add(*(_S(ds[l]) * d[l - 1] + ds[l] for l in range(1, len(d))))


def headline_sfc(d, ds):
    """sum_l (d*_l d*_{l-1} + 2 d_l): the paper's form with batch-norm-like scaling."""
    return sp.Add(*(_S(ds[l]) * ds[l - 1] + 2 * _S(d[l]) for l in range(1, len(d))))


@dataclass(frozen=True)
class HeadlineProof:
    """headline - K as a polynomial in d*_l >= 1 and the excess widths e_l = d_l - d*_l >= 0.

    The pinned count is at most its headline form when every coefficient of the gap is
    nonnegative (all variables are nonnegative)."""

    depth: int
    fc_gap: sp.Expr
    sfc_gap: sp.Expr
    fc_holds: bool
    sfc_holds: bool


def _nonneg_poly(expr, syms) -> bool:
    expr = sp.expand(expr)
    if expr == 0:
        return True
    return all(c >= 0 for c in sp.Poly(expr, *syms).coeffs())


def prove_headline(L: int) -> HeadlineProof:
    """Symbolic proof, for depth L, that K_FC <= headline_fc and K_SFC <= headline_sfc.

    >>> p = prove_headline(3)
    >>> p.fc_gap, p.sfc_gap, p.fc_holds and p.sfc_holds
    (0, e_1 + e_2 + 1, True)
    """
    d, ds = width_symbols(L)
    e = tuple(sp.Symbol(f"e_{l}", nonnegative=True, integer=True) for l in range(1, L))
    sub = {d[l]: ds[l] + e[l - 1] for l in range(1, L)}
    syms = [ds[0], *ds[1:-1], *e]
    fc_gap = sp.expand((headline_fc(d, ds) - k_fc(d, ds)).subs(sub))
    sfc_gap = sp.expand((headline_sfc(d, ds) - k_sfc(d, ds)).subs(sub))
    return HeadlineProof(L, fc_gap, sfc_gap, _nonneg_poly(fc_gap, syms), _nonneg_poly(sfc_gap, syms))


def prove_headline_general():
    """The same for every depth L, termwise with indexed symbols.

    Writes each sum over l = 1..L as the sum over l = 1..L-1 plus its l = L term and
    checks, with sympy, that (i) the FC summands of headline and K_FC are identical and
    (ii) headline_sfc - K_SFC = sum_{l=1}^{L-1} (d_l - d*_l) + 2 d_L - d*_L, which is
    >= 1 when d*_l <= d_l and d_L = d*_L = 1. Returns ``(fc_ok, sfc_ok, sfc_gap)``.

    >>> prove_headline_general()
    (True, True, Sum(d[l] - ds[l], (l, 1, L - 1)) + 1)
    """
    d, ds = sp.IndexedBase("d"), sp.IndexedBase("ds")
    l, L = sp.symbols("l L", integer=True, positive=True)
    # FC: one summand each over l = 1..L
    fc_ok = sp.expand((ds[l] * d[l - 1] + ds[l]) - ds[l] * (d[l - 1] + 1)) == 0
    # SFC: headline summand h_l over 1..L; K_SFC = sum_{1..L} ds_l (ds_{l-1} + 1) + sum_{1..L-1} d_l
    h = ds[l] * ds[l - 1] + 2 * d[l]
    kcore = ds[l] * (ds[l - 1] + 1)
    inner = sp.expand(h - kcore - d[l])  # summand over l = 1..L-1
    last = sp.expand((h - kcore).subs(l, L))  # the l = L term
    claimed_inner, claimed_last = d[l] - ds[l], 2 * d[L] - ds[L]
    sfc_ok = sp.expand(inner - claimed_inner) == 0 and sp.expand(last - claimed_last) == 0
    gap = sp.Sum(claimed_inner, (l, 1, L - 1)) + claimed_last.subs({d[L]: 1, ds[L]: 1})
    return fc_ok, sfc_ok, gap


def fc_minus_sfc(L: int):
    """K_FC - K_SFC for depth L in the excess widths e_l = d_l - d*_l:
    sum_{l=1}^{L-2} (d*_{l+1} - 1) e_l - sum_{hidden l} d*_l. SFC pins fewer parameters
    only when this is positive (never for L = 2).

    >>> fc_minus_sfc(2), fc_minus_sfc(3)
    (-ds_1, -ds_1 + ds_2*e_1 - ds_2 - e_1)
    """
    d, ds = width_symbols(L)
    e = tuple(sp.Symbol(f"e_{l}", nonnegative=True, integer=True) for l in range(1, L))
    sub = {d[l]: ds[l] + e[l - 1] for l in range(1, L)}
    return sp.expand((k_fc(d, ds) - k_sfc(d, ds)).subs(sub))


# --------------------------------------------------------------------------- numbers for a spec


@dataclass(frozen=True)
class Terms:
    """The bound's ingredients for one (student, teacher architecture) pair, evaluated
    from the sympy formulas: parameter counts, pinned counts (Q-parameters / scales),
    number of embeddings, |Q| and |Q_s|.

    Examples
    --------
    >>> from enumerate import NetworkSpec
    >>> s = NetworkSpec.parse("fc:1,2,1", "-1,0,1")
    >>> t = terms(s, s.with_arch("fc:1,1,1").arch)
    >>> t.k, t.n_emb, t.single_count(), t.multi_rho(1)
    (5, 2, 9, Fraction(2, 243))
    """

    family: str
    p_weights: int
    p_scales: int
    k_weights: int
    k_scales: int
    n_emb: int
    q: int
    qs: int

    @property
    def k(self) -> int:
        return self.k_weights + self.k_scales

    @property
    def total(self) -> int:
        return self.q**self.p_weights * self.qs**self.p_scales

    def single_count(self) -> int:
        """Settings in one embedding event: Q^(P_w - K_w) * Q_s^(P_s - K_s)."""
        return self.q ** (self.p_weights - self.k_weights) * self.qs ** (self.p_scales - self.k_scales)

    def multi_count(self, aut: int) -> int:
        """Settings in the union for an irreducible teacher: n_emb / |Aut| * single."""
        if self.n_emb % aut:
            raise ValueError(f"|Aut| = {aut} does not divide the {self.n_emb} embeddings")
        return self.n_emb // aut * self.single_count()

    def single_rho(self) -> Fraction:
        return Fraction(self.single_count(), self.total)

    def multi_rho(self, aut: int) -> Fraction:
        return Fraction(self.multi_count(aut), self.total)


def terms(student, teacher_arch) -> Terms:
    """Evaluate the formulas for a student spec and a teacher architecture.

    >>> from enumerate import NetworkSpec
    >>> t = terms(NetworkSpec.parse("sfc:2,6,2,1", "-1,0,1"), NetworkSpec.parse("sfc:2,1,2,1", "-1,0,1").arch)
    >>> t.k_weights, t.k_scales, t.n_emb, t.single_rho()
    (10, 8, 12, Fraction(1, 387420489))
    """
    from .embedding import require_zero, units

    require_zero(student)
    a, ta = student.arch, teacher_arch
    u, us = units(a), units(ta)
    if a.is_conv:
        k = [sh[2] for sh in a.hidden_shapes()]
        if a.scaled:
            pw, ps = scnn_params(u, k, a.readout_fan_in)
            kw, ks = k_scnn_parts(u, us, k, ta.readout_fan_in)
        else:
            pw, ps = cnn_params(u, k, a.readout_fan_in), 0
            kw, ks = k_cnn(u, us, k, a.readout_fan_in), 0
    elif a.scaled:
        pw, ps = sfc_params(u)
        kw, ks = k_sfc_parts(u, us)
    else:
        pw, ps = fc_params(u), 0
        kw, ks = k_fc(u, us), 0
    return Terms(a.kind, int(pw), int(ps), int(kw), int(ks), int(n_embeddings(u, us)),
                 len(student.q), len(student.scales))


def log_q(x) -> float:
    """ln of a positive Fraction or int, as a float report."""
    x = Fraction(x)
    return math.log(x.numerator) - math.log(x.denominator)

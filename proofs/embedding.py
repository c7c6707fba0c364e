"""Teacher and student as layered graphs: embeddings, automorphisms, embedding events.

Every architecture is read as a stack of *unit layers*: layer 0 is the input (d_0
inputs, or c_0 input channels), layers 1..L-1 are the hidden neurons (FC/SFC) or
channels (CNN/SCNN), layer L is the single output. Layer l's weights are indexed
``W_l[i, j, t]``: unit i of layer l, unit j of layer l-1, tap t (FC: one tap; conv:
kernel taps; flat CNN readout: one "tap" per position of the last feature map).
This matches the canonical parameter order of :mod:`enumerate.core.layout`.

Two independent views of the same combinatorics:

* graph view (networkx): :func:`skeleton` / :func:`weighted_graph`; embeddings are
  layer-preserving subgraph monomorphisms of the teacher skeleton into the student's
  (:func:`count_embeddings_nx`), and |Aut(theta*)| counts the automorphisms of the
  weighted teacher graph (:func:`count_automorphisms_nx`);
* parameter view: a permutation of the hidden units per layer moves parameter
  positions (:func:`param_permutation`); |Aut(theta*)| is the number of such
  permutations leaving the parameter vector unchanged (:func:`count_automorphisms_brute`).

:func:`embedding_event` builds the paper's embedding construction as a partial
assignment of the student's parameters (value indices into Q / the scale set).

>>> from enumerate import NetworkSpec
>>> s = NetworkSpec.parse("fc:2,3,1", "-1,0,1")
>>> t = NetworkSpec.parse("fc:2,2,1", "-1,0,1")
>>> count_embeddings_nx(s.arch, t.arch), count_embeddings(s.arch, t.arch)
(6, 6)
>>> theta = [1, 1, 1, 1, 0, 0, 1, 1, 0]   # two identical hidden neurons
>>> count_automorphisms_nx(t, theta), count_automorphisms_brute(t, theta)
(2, 2)
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from fractions import Fraction

import networkx as nx
from networkx.algorithms.isomorphism import DiGraphMatcher

from enumerate.core.spec import SpecError

__all__ = [
    "UnitLayer",
    "unit_layers",
    "units",
    "skeleton",
    "weighted_graph",
    "count_embeddings",
    "count_embeddings_nx",
    "embeddings",
    "param_permutation",
    "unit_permutations",
    "count_automorphisms_brute",
    "count_automorphisms_nx",
    "is_irreducible",
    "embedding_event",
    "require_zero",
]


@dataclass(frozen=True)
class UnitLayer:
    """Layer l of the unit view: ``units`` x ``in_units`` x ``taps`` weights at ``w_off``
    (row-major), biases at ``b_off``, scales at ``g_off`` (None if unscaled)."""

    units: int
    in_units: int
    taps: int
    w_off: int
    b_off: int
    g_off: int | None

    def w(self, i, j, t=0) -> int:
        return self.w_off + (i * self.in_units + j) * self.taps + t


def unit_layers(arch) -> list[UnitLayer]:
    """The unit layers 1..L of an architecture (index 0 of the list is layer 1).

    >>> from enumerate.core.spec import parse_arch
    >>> [(u.units, u.in_units, u.taps) for u in unit_layers(parse_arch("cnn:1x4/2k2s1/flat"))]
    [(2, 1, 2), (1, 2, 3)]
    """
    from enumerate.core.layout import ParamLayout

    lay = ParamLayout.of(arch)
    out = []
    shapes = arch.hidden_shapes()
    for l, (c, _m, k, _s, cin, _n) in enumerate(shapes, start=1):
        g = lay.group(f"gamma{l}").offset if arch.scaled else None
        out.append(UnitLayer(c, cin, k, lay.group(f"W{l}").offset, lay.group(f"b{l}").offset, g))
    L = arch.depth
    c_last, n_last = arch.last_hidden() if shapes else (arch.input_dim, 1)
    taps = n_last if (arch.is_conv and arch.readout == "flat") else 1
    out.append(UnitLayer(1, c_last, taps, lay.group(f"W{L}").offset, lay.group(f"b{L}").offset, None))
    return out


def units(arch) -> tuple:
    """Units per layer (c_0, c_1, ..., c_{L-1}, 1): widths for FC, channels for CNN.

    >>> from enumerate.core.spec import parse_arch
    >>> units(parse_arch("sfc:2,6,2,1")), units(parse_arch("scnn:2x3/3k2s1/sum"))
    ((2, 6, 2, 1), (2, 3, 1))
    """
    ul = unit_layers(arch)
    return (ul[0].in_units,) + tuple(u.units for u in ul)


def require_zero(spec):
    """Raise :class:`SpecError` unless 0 is in Q (and in the scale set): the paper's
    constructions pin parameters to 0."""
    if not spec.q.has_zero:
        raise SpecError("--q", f"the bound checks need 0 in Q (the paper's assumption); Q = {{{spec.q.name}}} has no 0")
    if spec.arch.scaled and not spec.scales.has_zero:
        raise SpecError("--scale-q", f"the bound checks need 0 in the scale set; {{{spec.scales.name}}} has no 0")


# --------------------------------------------------------------------------- graphs


def _fixed(l, L, i):
    return i if l in (0, L) else None


def skeleton(arch) -> nx.DiGraph:
    """The unweighted layered graph: node (l, i), edges between consecutive layers.

    Input and output nodes carry ``pin`` = their index (an embedding fixes them)."""
    u = units(arch)
    L = len(u) - 1
    G = nx.DiGraph()
    for l, n in enumerate(u):
        for i in range(n):
            G.add_node((l, i), layer=l, pin=_fixed(l, L, i))
    for l in range(1, L + 1):
        G.add_edges_from(((l - 1, j), (l, i)) for i in range(u[l]) for j in range(u[l - 1]))
    return G


def weighted_graph(spec, params) -> nx.DiGraph:
    """The teacher as a weighted graph: edge (l-1, j) -> (l, i) carries the tuple of its
    taps ``w``; node (l, i) carries its ``bias`` and ``scale`` (hidden, scaled only)."""
    params = [Fraction(p) for p in params]
    if len(params) != spec.num_params:
        raise SpecError("--teacher-params", f"expected {spec.num_params} parameters, got {len(params)}")
    G = skeleton(spec.arch)
    for l, ul in enumerate(unit_layers(spec.arch), start=1):
        for i in range(ul.units):
            G.nodes[(l, i)]["bias"] = params[ul.b_off + i]
            G.nodes[(l, i)]["scale"] = params[ul.g_off + i] if ul.g_off is not None else None
            for j in range(ul.in_units):
                G.edges[(l - 1, j), (l, i)]["w"] = tuple(params[ul.w(i, j, t)] for t in range(ul.taps))
    return G


def _node_match(a, b):
    return a["layer"] == b["layer"] and a["pin"] == b["pin"] and a.get("bias") == b.get("bias") and a.get("scale") == b.get("scale")


def count_embeddings_nx(student_arch, teacher_arch) -> int:
    """Embeddings of the teacher into the student, counted as layer-preserving subgraph
    monomorphisms (inputs and output fixed) of the skeletons, with networkx."""
    S, T = skeleton(student_arch), skeleton(teacher_arch)
    gm = DiGraphMatcher(S, T, node_match=lambda a, b: a["layer"] == b["layer"] and a["pin"] == b["pin"])
    return sum(1 for _ in gm.subgraph_monomorphisms_iter())


def count_embeddings(student_arch, teacher_arch) -> int:
    """prod over hidden layers of c_l! / (c_l - c*_l)! (direct product, no graphs).

    Examples
    --------
    >>> from enumerate import parse_arch
    >>> count_embeddings(parse_arch("fc:2,6,2,1"), parse_arch("fc:2,1,2,1"))
    12
    """
    su, tu = units(student_arch), units(teacher_arch)
    return math.prod(math.perm(a, b) for a, b in zip(su[1:-1], tu[1:-1]))


def embeddings(student_arch, teacher_arch):
    """Every embedding as a tuple of injective maps, one per hidden layer
    (``pi[l-1][a]`` = student unit of teacher unit a in layer l)."""
    su, tu = units(student_arch), units(teacher_arch)
    per_layer = [list(itertools.permutations(range(a), b)) for a, b in zip(su[1:-1], tu[1:-1])]
    return itertools.product(*per_layer)


def count_automorphisms_nx(spec, params) -> int:
    """|Aut(theta*)|: automorphisms of the weighted teacher graph (networkx VF2)."""
    G = weighted_graph(spec, params)
    gm = DiGraphMatcher(G, G, node_match=_node_match, edge_match=lambda a, b: a["w"] == b["w"])
    return sum(1 for _ in gm.isomorphisms_iter())


# --------------------------------------------------------------------------- parameter view


def unit_permutations(arch):
    """Every tuple of per-hidden-layer permutations (the candidate automorphisms)."""
    u = units(arch)
    return itertools.product(*(itertools.permutations(range(n)) for n in u[1:-1]))


def param_permutation(arch, sigma) -> list[int]:
    """Where each parameter position goes when hidden unit i of layer l becomes unit
    ``sigma[l-1][i]``: theta'[perm[p]] = theta[p]."""
    ul = unit_layers(arch)
    L = len(ul)
    ident = lambda n: tuple(range(n))  # noqa: E731
    sig = [ident(ul[0].in_units)] + [tuple(s) for s in sigma] + [(0,)]
    size = ul[-1].b_off + 1
    perm = list(range(size))
    for l, u in enumerate(ul, start=1):
        so, si = sig[l], sig[l - 1]
        for i in range(u.units):
            perm[u.b_off + i] = u.b_off + so[i]
            if u.g_off is not None:
                perm[u.g_off + i] = u.g_off + so[i]
            for j in range(u.in_units):
                for t in range(u.taps):
                    perm[u.w(i, j, t)] = u.w(so[i], si[j], t)
    if l != L:  # an internal invariant (python -O must not strip it)
        raise AssertionError(f"permutation covers {l} of {L} layers")
    return perm


def count_automorphisms_brute(spec, params) -> int:
    """|Aut(theta*)| by brute force: permutations of the hidden units (per layer) that
    leave the parameter vector unchanged.

    Examples
    --------
    >>> from enumerate import NetworkSpec
    >>> t = NetworkSpec.parse("fc:1,2,1", "-1,0,1")
    >>> count_automorphisms_brute(t, [1, 1, 0, 0, 1, 1, 0]), count_automorphisms_brute(t, [1, -1, 0, 0, 1, 1, 0])
    (2, 1)
    """
    params = [Fraction(p) for p in params]
    n = 0
    for sigma in unit_permutations(spec.arch):
        perm = param_permutation(spec.arch, sigma)
        n += all(params[perm[p]] == params[p] for p in range(len(params)))
    return n


def is_irreducible(spec, params) -> bool:
    """The condition under which distinct embedding events are equal or disjoint.

    Unscaled families (fc, cnn): every hidden teacher unit has a nonzero outgoing weight.
    Scaled families (sfc, scnn): every hidden teacher scale is nonzero (the embedding
    pins the non-embedded scales to 0, so different image sets are disjoint events).

    >>> from enumerate import NetworkSpec
    >>> t = NetworkSpec.parse("fc:2,2,1", "-1,0,1")
    >>> is_irreducible(t, [1, 1, 1, 1, 0, 0, 1, 0, 0]), is_irreducible(t, [1, 1, 1, 1, 0, 0, 1, 1, 0])
    (False, True)
    """
    params = [Fraction(p) for p in params]
    ul = unit_layers(spec.arch)
    for l in range(len(ul) - 1):
        u, nxt = ul[l], ul[l + 1]
        for j in range(u.units):
            if spec.arch.scaled:
                if params[u.g_off + j] == 0:
                    return False
            elif all(params[nxt.w(i, j, t)] == 0 for i in range(nxt.units) for t in range(nxt.taps)):
                return False
    return True


def embedding_event(student, teacher, teacher_params, pi) -> dict:
    """The embedding construction for maps ``pi`` as a partial assignment
    {student parameter position: value index (into Q, or the scale set for scales)}.

    FC/CNN (paper Fig. 1b): embedded units copy the teacher's incoming weights and bias;
    weights from non-embedded units into embedded ones are 0; the readout weights of
    non-embedded units are 0. SFC/SCNN (Fig. 1c): embedded units copy weights from
    embedded units, bias and scale; every non-embedded unit gets scale 0.
    Parameters not in the dict are free.

    >>> from enumerate import NetworkSpec
    >>> s, t = NetworkSpec.parse("fc:1,2,1", "-1,0,1"), NetworkSpec.parse("fc:1,1,1", "-1,0,1")
    >>> embedding_event(s, t, [1, 0, 1, -1], ((1,),))   # values as indices into (-1, 0, 1)
    {1: 2, 3: 1, 4: 1, 5: 2, 6: 0}
    """
    require_zero(student)
    su, tu = unit_layers(student.arch), unit_layers(teacher.arch)
    scaled = student.arch.scaled
    q, g = student.q, student.scales
    qz = q.index(0)
    tp = [Fraction(p) for p in teacher_params]
    L = len(su)
    maps = [tuple(range(su[0].in_units))] + [tuple(p) for p in pi] + [(0,)]
    ev = {}
    for l in range(1, L + 1):
        S, T = su[l - 1], tu[l - 1]
        inv = {s: a for a, s in enumerate(maps[l - 1])}
        for a in range(T.units):
            s = maps[l][a]
            for j in range(S.in_units):
                for t in range(S.taps):
                    if j in inv:
                        ev[S.w(s, j, t)] = q.index(tp[T.w(a, inv[j], t)])
                    elif not scaled:
                        ev[S.w(s, j, t)] = qz
            ev[S.b_off + s] = q.index(tp[T.b_off + a])
            if scaled and l < L:
                ev[S.g_off + s] = g.index(tp[T.g_off + a])
        if scaled and l < L:
            for s in set(range(S.units)) - set(maps[l]):
                ev[S.g_off + s] = g.index(0)
    return dict(sorted(ev.items()))

"""Truth tables on the cube domains: bit-packing and the symmetry group of the inputs.

On ``{0,1}^d`` or ``{-1,+1}^d`` (points in ``itertools.product`` order, input 0 most
significant) permuting the inputs maps the domain to itself, and on ``{-1,+1}^d`` so
does flipping an input's sign. A group element acts on a table by ``(T . g)[p] =
T[g(p)]``. The canonical representative of an orbit is its smallest table string in
byte order (``+`` < ``-`` < ``0``).

Packed tables are uint64 arrays (..., P, nw): plane 0 has bit p set when point p is
``+``, plane 1 (only under zero-label rule ``0``) when it is ``0``; nw = ceil(|X|/64).

>>> g = CubeGroup(2, "01")
>>> g.size, g.orbit("-+--")          # x1 and not x0  ->  x0 and not x1
(2, ['-+--', '--+-'])
>>> g.canonical("--+-"), CubeGroup(2, "pm1", flips=True).orbit_size("+---")
('-+--', 4)
>>> unpack_tables(pack_tables(["+-0-", "0++-"], "0"), 4)
['+-0-', '0++-']
"""

from __future__ import annotations

import itertools
import math

import numpy as np

__all__ = ["CubeGroup", "pack_tables", "unpack_tables", "order_columns", "symmetry_group"]

#: largest |G| * |X| for which orbits are listed element by element
MAX_ORBIT_WORK = 200_000_000


_REV8 = np.array([int(f"{b:08b}"[::-1], 2) for b in range(256)], np.uint8)


def _planes(zero_label):
    return 2 if zero_label == "0" else 1


def pack_tables(tables, zero_label):
    """Bit-pack table strings (all of one length n) into a uint64 array (N, P, nw)."""
    tables = list(tables)
    n = len(tables[0]) if tables else 1
    nw = (n + 63) // 64
    chars = np.frombuffer("".join(tables).encode("ascii"), np.uint8).reshape(len(tables), n)
    out = np.zeros((len(tables), _planes(zero_label), nw), np.uint64)
    for plane, ch in enumerate("+0"[: _planes(zero_label)]):
        bits = np.zeros((len(tables), nw * 64), np.uint8)
        bits[:, :n] = chars == ord(ch)
        out[:, plane, :] = np.packbits(bits.reshape(len(tables), nw, 64), axis=2, bitorder="little").view("<u8")[..., 0]
    return out


def unpack_tables(packed, n):
    """Table strings of a packed uint64 array (N, P, nw) of n-point tables."""
    packed = np.ascontiguousarray(packed, dtype="<u8")
    N, P, nw = packed.shape
    bits = np.unpackbits(packed.view(np.uint8).reshape(N, P, nw * 8), axis=2, bitorder="little")[:, :, :n]
    chars = np.full((N, n), ord("-"), np.uint8)
    chars[bits[:, 0] == 1] = ord("+")
    if P == 2:
        chars[bits[:, 1] == 1] = ord("0")
    return [row.tobytes().decode("ascii") for row in chars]


def order_columns(packed):
    """Key columns (most significant first) whose lexicographic order is the string order.

    For two-valued tables: bit-reversed, complemented words (``+`` < ``-``); with a third
    value the tables are compared as base-3 digit strings.

    >>> t = ["-+", "++", "+-", "--"]
    >>> cols = order_columns(pack_tables(t, "-1"))
    >>> [t[i] for i in np.lexsort(cols[::-1])] == sorted(t)
    True
    """
    packed = np.ascontiguousarray(packed, dtype=np.uint64)
    N, P, nw = packed.shape
    if P == 1:  # point 0 is bit 0 of byte 0: reverse the bits of each byte, read big-endian
        rev = _REV8[packed[:, 0].view(np.uint8).reshape(N, nw, 8)]
        rev = np.ascontiguousarray(rev).view(">u8")[..., 0].astype(np.uint64)
        return [~rev[:, w] for w in range(nw)]
    n = nw * 64
    bits = np.unpackbits(packed.view(np.uint8).reshape(N, P, nw * 8), axis=2, bitorder="little")
    digit = np.where(bits[:, 1] == 1, 2, np.where(bits[:, 0] == 1, 0, 1)).astype(np.int64)  # + 0, - 1, 0 2
    cols = []
    for lo in range(0, n, 39):
        chunk = digit[:, lo : lo + 39]
        cols.append(chunk @ (3 ** np.arange(chunk.shape[1] - 1, -1, -1, dtype=np.int64)))
    return cols


class CubeGroup:
    """Input permutations (and, with ``flips``, sign flips) acting on tables of the cube.

    Parameters
    ----------
    dim : int
    kind : {"01", "pm1"}
    flips : bool
        Include the sign flips of the inputs (only meaningful on ``pm1``).
    """

    def __init__(self, dim, kind, flips=False):
        if kind not in ("01", "pm1"):
            raise ValueError(f"cube groups act on 01 or pm1 domains, not {kind!r}")
        self.dim, self.kind, self.flips = dim, kind, bool(flips and kind == "pm1")
        self.n = 2**dim
        self.size = math.factorial(dim) * (2**dim if self.flips else 1)
        self._perms = None

    def __repr__(self):
        return f"CubeGroup({self.dim}, {self.kind!r}, flips={self.flips})"

    def __eq__(self, other):
        return isinstance(other, CubeGroup) and (self.dim, self.kind, self.flips) == (other.dim, other.kind, other.flips)

    def __hash__(self):
        return hash((self.dim, self.kind, self.flips))

    def to_json(self):
        return {"inputs": "permutations", "signs": "flips" if self.flips else "fixed", "order": self.size}

    def elements(self):
        """int array (|G|, |X|): element g maps point p to point g[p]."""
        if self._perms is None:
            if self.size * self.n > MAX_ORBIT_WORK:
                raise ValueError(f"the group of order {self.size:,} is too large to list")
            d = self.dim
            bits = (np.arange(self.n)[:, None] >> np.arange(d - 1, -1, -1)[None, :]) & 1  # (n, d), input 0 first
            out = []
            for sigma in itertools.permutations(range(d)):
                moved = bits[:, list(sigma)]
                for mask in range(2**d if self.flips else 1):
                    flip = (mask >> np.arange(d - 1, -1, -1)) & 1
                    out.append(((moved ^ flip) << np.arange(d - 1, -1, -1)).sum(axis=1))
            self._perms = np.array(out, dtype=np.int32)
        return self._perms

    def _codes(self, table):
        if not isinstance(table, str) or len(table) != self.n:
            raise ValueError(f"need a table of {self.n} characters")
        return np.frombuffer(table.encode("ascii"), np.uint8)

    def orbit(self, table):
        """Every distinct table in the orbit of ``table``, in string order."""
        images = self._codes(table)[self.elements()]
        uniq = np.unique(images.view(f"S{self.n}").ravel())
        return [u.decode("ascii") for u in uniq.tolist()]

    def canonical(self, table) -> str:
        """The smallest table string in the orbit of ``table``."""
        images = self._codes(table)[self.elements()]
        return np.sort(images.view(f"S{self.n}").ravel())[0].decode("ascii")

    def orbit_size(self, table) -> int:
        """Number of distinct tables in the orbit of ``table``."""
        return len(self.orbit(table))


def symmetry_group(spec):
    """The input symmetry group that leaves the prior of ``spec`` invariant, or None.

    Permuting the inputs of an FC/SFC network (its first-layer columns) maps settings to
    settings on the cube domains; on ``pm1`` with Q = -Q flipping an input's sign
    (negating a first-layer column) does too.

    >>> from enumerate import NetworkSpec
    >>> symmetry_group(NetworkSpec.parse("fc:3,1", "-1,0,1", "sign", "pm1"))
    CubeGroup(3, 'pm1', flips=True)
    >>> symmetry_group(NetworkSpec.parse("cnn:1x3/1k2s1/flat", "-1,0,1")) is None
    True
    """
    if spec.arch.kind not in ("fc", "sfc") or spec.domain.kind not in ("01", "pm1"):
        return None
    q = spec.q.values
    sym = sorted(-v for v in q) == list(q)
    return CubeGroup(spec.domain.dim, spec.domain.kind, flips=spec.domain.kind == "pm1" and sym)

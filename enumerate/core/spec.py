"""Validated, frozen specifications: domain, quantization set, activation, architecture.

Every object here is immutable and hashable, built either directly or from the
short strings the command line uses (``parse_arch("fc:3,4,1")``, ``parse_q("int:1")``...).
Invalid input raises :class:`SpecError`, whose message is one line naming the
argument and what is allowed.

Examples
--------
>>> spec = NetworkSpec.parse(arch="fc:2,2,1", q="-1,0,1", act="sign", domain="01")
>>> spec.num_params, spec.total
(9, 19683)
>>> [str(v) for v in parse_q("minifloat:2,0").values]
['-4', '-2', '-1', '0', '1', '2', '4']
"""

from __future__ import annotations

import itertools
import json
import math
import os
from dataclasses import dataclass, field
from fractions import Fraction

from .._support.errors import SpecError
from .validate import check_weights, parse_rational

__all__ = [
    "SpecError",
    "Domain",
    "QSet",
    "Activation",
    "ConvLayer",
    "Architecture",
    "require_spec",
    "NetworkSpec",
    "parse_rational",
    "parse_q",
    "parse_domain",
    "parse_activation",
    "parse_arch",
    "ZERO_LABELS",
    "parse_zero_label",
]

ZERO_LABELS = ("-1", "+1", "0")
#: spellings users type for the zero-label rules
_ZERO_LABEL_ALIASES = {"-1": "-1", "+1": "+1", "1": "+1", "0": "0"}


def parse_zero_label(text, argument="--zero-label") -> str:
    """The zero-label rule ``"-1"``, ``"+1"`` or ``"0"``; ``1`` is read as ``+1``.

    >>> parse_zero_label("1"), parse_zero_label(-1), parse_zero_label("+1")
    ('+1', '-1', '+1')
    """
    key = str(text).strip() if not isinstance(text, bool) else ""
    if key not in _ZERO_LABEL_ALIASES:
        raise SpecError(argument, f"{str(text)[:40]!r}; allowed: -1, +1 (or 1), 0")
    return _ZERO_LABEL_ALIASES[key]




def _fmt(v: Fraction) -> str:
    return str(v)


def _short(text, limit=60) -> str:
    """``repr(text)``, cut to about ``limit`` characters (a 100 kB argument is not echoed)."""
    text = str(text)
    return repr(text) if len(text) <= limit else f"{text[:limit - 20]!r}...({len(text):,} characters)"


# --------------------------------------------------------------------------- Q


@dataclass(frozen=True)
class QSet:
    """A finite set of rationals, sorted ascending; every parameter is uniform on it.

    ``name`` keeps the family it came from (``int:1``, ``minifloat:2,1``, ``grid:3``
    or the explicit list).

    Examples
    --------
    >>> q = QSet((1, 0, Fraction(-1, 2)))
    >>> q.values, q.name, len(q), q.has_zero
    ((Fraction(-1, 2), Fraction(0, 1), Fraction(1, 1)), '-1/2,0,1', 3, True)
    """

    values: tuple
    name: str = ""

    def __post_init__(self):
        vals = tuple(parse_rational(v, "--q") for v in self.values)
        if not vals:
            raise SpecError("--q", "the quantization set is empty")
        if len(set(vals)) != len(vals):
            dup = sorted(v for v in set(vals) if vals.count(v) > 1)[0]
            raise SpecError("--q", f"value {dup} is listed twice; Q is a set")
        object.__setattr__(self, "values", tuple(sorted(vals)))
        if not self.name:
            object.__setattr__(self, "name", ",".join(map(_fmt, self.values)))

    def __len__(self):
        return len(self.values)

    @property
    def has_zero(self) -> bool:
        return Fraction(0) in self.values

    @property
    def denominator(self) -> int:
        """Least common denominator of the values."""
        return math.lcm(*(v.denominator for v in self.values))

    def index(self, value) -> int:
        return self.values.index(Fraction(value))

    def to_json(self):
        return {"name": self.name, "values": [_fmt(v) for v in self.values]}


def _minifloat(e_bits: int, m_bits: int):
    bias = 2 ** (e_bits - 1) - 1
    pos = set()
    for e in range(2**e_bits):
        for m in range(2**m_bits):
            frac = Fraction(m, 2**m_bits)
            if e == 0:
                v = frac * Fraction(2) ** (1 - bias)
            else:
                v = (1 + frac) * Fraction(2) ** (e - bias)
            pos.add(v)
    return sorted({-v for v in pos} | pos)


def parse_q(text, argument="--q") -> QSet:
    """Parse a quantization set.

    Forms: explicit list ``"-1,0,1/2"``; ``"int:K"`` = {-K..K}; ``"minifloat:E,M"`` =
    every value of a sign / E-bit exponent / M-bit mantissa format with subnormals,
    no codes reserved for inf/NaN and +0 = -0 (so 2^(1+E+M) - 1 values);
    ``"grid:B"`` = (k - (2^B-1)/2) / ((2^B-1)/2) for k = 0..2^B-1 (no zero);
    ``"peer:B"`` = the peers' B-bit grid (k - s) / s for k = 0..2^B-1, s = floor((2^B-1)/2)
    (with zero, one more positive value than negative ones; 2 <= B <= 10).

    >>> len(parse_q("int:2")), len(parse_q("minifloat:2,1")), parse_q("grid:1").values
    (5, 15, (Fraction(-1, 1), Fraction(1, 1)))
    >>> [str(v) for v in parse_q("peer:2").values]
    ['-1', '0', '1', '2']
    """
    if isinstance(text, QSet):
        return text
    try:
        return _parse_q(text, argument)
    except SpecError as exc:  # QSet checks its values as --q
        raise exc.naming(argument) from None


def _parse_q(text, argument):
    if not isinstance(text, str):
        if not hasattr(text, "__iter__"):
            raise TypeError(f"{argument}: give Q as a string like '-1,0,1' or 'int:2', or a list of "
                            f"numbers, not {type(text).__name__}")
        return QSet(tuple(parse_rational(v, argument) for v in text))
    s = text.strip()
    if not s:
        raise SpecError(argument, "empty; use a list like -1,0,1 or int:K, minifloat:E,M, grid:B, peer:B")
    family, _, rest = s.partition(":")
    if _ and family in ("int", "minifloat", "grid", "peer"):
        try:
            nums = [int(x) for x in rest.split(",")]
        except ValueError:
            raise SpecError(argument, f"{s!r}: expected integers after '{family}:'") from None
        if family == "int":
            if len(nums) != 1 or not 1 <= nums[0] <= 1000:
                raise SpecError(argument, f"{s!r}: use int:K with 1 <= K <= 1000")
            return QSet(tuple(range(-nums[0], nums[0] + 1)), name=s)
        if family == "minifloat":
            if len(nums) != 2 or not (1 <= nums[0] <= 5 and 0 <= nums[1] <= 5):
                raise SpecError(argument, f"{s!r}: use minifloat:E,M with 1 <= E <= 5, 0 <= M <= 5")
            return QSet(tuple(_minifloat(*nums)), name=s)
        if family == "peer":
            if len(nums) != 1 or not 2 <= nums[0] <= 10:
                raise SpecError(argument, f"{s!r}: use peer:B with 2 <= B <= 10")
            half = (2 ** nums[0] - 1) // 2
            return QSet(tuple(Fraction(k - half, half) for k in range(2 ** nums[0])), name=f"peer-grid:{nums[0]}")
        if len(nums) != 1 or not 1 <= nums[0] <= 10:
            raise SpecError(argument, f"{s!r}: use grid:B with 1 <= B <= 10")
        n = 2 ** nums[0] - 1
        return QSet(tuple(Fraction(2 * k - n, n) for k in range(n + 1)), name=s)
    if ":" in s:
        raise SpecError(argument, f"unknown family {family!r}; use int:K, minifloat:E,M, grid:B, peer:B or a list")
    return QSet(tuple(parse_rational(v, argument) for v in s.split(",")))


# --------------------------------------------------------------------------- domain


@dataclass(frozen=True)
class Domain:
    """An ordered finite list of input points with rational coordinates.

    ``kind`` is ``"01"``, ``"pm1"`` or ``"custom"``. ``weights`` (optional) is a data
    distribution on the points (Fractions summing to 1); ``None`` means uniform.

    Examples
    --------
    >>> d = parse_domain("pm1", 2)
    >>> d.kind, len(d), [tuple(map(int, p)) for p in d.points]
    ('pm1', 4, [(-1, -1), (-1, 1), (1, -1), (1, 1)])
    """

    kind: str
    points: tuple
    weights: tuple | None = None

    def __post_init__(self):
        if not self.points:
            raise SpecError("--domain", "the domain has no points")
        built = self.kind in ("01", "pm1") and isinstance(self.points, tuple) and all(
            type(c) is Fraction for c in self.points[0])  # a cube from Domain.boolean: 2^20 points take no parsing
        if not built and not all(isinstance(p, (tuple, list)) for p in self.points):
            raise SpecError("--domain", "every point must be a list of coordinates")
        pts = self.points if built else tuple(tuple(parse_rational(c, "--domain") for c in p) for p in self.points)
        dims = {len(pts[0])} if built else {len(p) for p in pts}
        if len(dims) != 1:
            raise SpecError("--domain", f"points have different dimensions {sorted(dims)}")
        if 0 in dims:
            raise SpecError("--domain", "points must have at least one coordinate")
        if self.kind not in ("01", "pm1") and len(set(pts)) != len(pts):  # cube points are distinct
            raise SpecError("--domain", "a point is listed twice")
        object.__setattr__(self, "points", pts)
        if self.weights is not None:
            object.__setattr__(self, "weights", check_weights(self.weights, len(pts)))

    @property
    def dim(self) -> int:
        return len(self.points[0])

    def __len__(self):
        return len(self.points)

    @classmethod
    def boolean(cls, dim: int, kind: str = "01") -> "Domain":
        """{0,1}^dim (``"01"``) or {-1,+1}^dim (``"pm1"``) in itertools.product order.

        >>> Domain.boolean(2, "pm1").points[1]
        (Fraction(-1, 1), Fraction(1, 1))
        """
        lo = Fraction(0 if kind == "01" else -1)
        return cls(kind, tuple(itertools.product((lo, Fraction(1)), repeat=dim)))  # Fractions: no parsing

    def to_json(self):
        out = {"kind": self.kind}
        if self.kind == "custom":
            out["points"] = [[_fmt(c) for c in p] for p in self.points]
        else:
            out["dim"] = self.dim
        if self.weights is not None:
            out["weights"] = [_fmt(w) for w in self.weights]
        return out

    @classmethod
    def from_json(cls, data) -> "Domain":
        w = data.get("weights")
        if data["kind"] == "custom":
            return cls("custom", tuple(tuple(parse_rational(c) for c in p) for p in data["points"]), w and tuple(map(Fraction, w)))
        d = cls.boolean(data["dim"], data["kind"])
        return d if w is None else cls(d.kind, d.points, tuple(map(Fraction, w)))


def parse_domain(text, dim: int, argument="--domain") -> Domain:
    """``"01"``, ``"pm1"``, a JSON list of points, or a path to a JSON file of points.

    >>> len(parse_domain("01", 3)), parse_domain("[[0, 1], ['1/2', 2]]", 2).kind
    (8, 'custom')
    """
    if isinstance(text, Domain):
        dom = text
    elif text in ("01", "pm1"):
        if not 1 <= dim <= 20:
            raise SpecError(argument, f"boolean domains need 1 <= input dimension <= 20, got {dim}")
        return Domain.boolean(dim, text)
    else:
        raw = text
        if isinstance(text, str):
            s = text.strip()
            if s.startswith("["):
                try:
                    raw = json.loads(s.replace("'", '"'))
                except json.JSONDecodeError as exc:
                    raise SpecError(argument, f"not valid JSON ({exc.msg})") from None
            elif os.path.isfile(s):
                try:
                    with open(s) as fh:
                        raw = json.load(fh)
                except (OSError, json.JSONDecodeError, UnicodeDecodeError) as exc:
                    why = "not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else exc
                    raise SpecError(argument, f"cannot read points from {s!r} ({why})") from None
            else:
                raise SpecError(argument, f"{s!r}: use 01, pm1, a JSON list of points or a JSON file")
        if not isinstance(raw, (list, tuple)) or not all(isinstance(p, (list, tuple)) for p in raw):
            raise SpecError(argument, "custom domain must be a list of points (lists of numbers)")
        dom = Domain("custom", tuple(tuple(parse_rational(c, argument) for c in p) for p in raw))
    if dom.dim != dim:
        raise SpecError(argument, f"points have dimension {dom.dim} but the network takes {dim} inputs")
    return dom


# --------------------------------------------------------------------------- activation

_ACTS = ("sign", "relu", "leaky", "step", "hardtanh", "identity")


@dataclass(frozen=True)
class Activation:
    """A pointwise activation: ``sign`` (sign(0)=0), ``relu``, ``leaky`` (rational
    ``slope``), ``step`` (1 if z>0 else 0), ``hardtanh`` (clip to [-1,1]), ``identity``.

    >>> Activation("leaky", Fraction(1, 4))(Fraction(-2))
    Fraction(-1, 2)
    """

    name: str
    slope: Fraction = Fraction(0)

    def __post_init__(self):
        if self.name not in _ACTS:
            raise SpecError("--act", f"unknown activation {self.name!r}; allowed: sign, relu, leaky:SLOPE, step, hardtanh, identity")
        object.__setattr__(self, "slope", Fraction(self.slope))
        if self.name == "leaky" and self.slope < 0:
            raise SpecError("--act", "leaky slope must be >= 0")

    def __call__(self, z: Fraction) -> Fraction:
        n = self.name
        if n == "sign":
            return Fraction((z > 0) - (z < 0))
        if n == "relu":
            return max(z, Fraction(0))
        if n == "leaky":
            return z if z > 0 else self.slope * z
        if n == "step":
            return Fraction(int(z > 0))
        if n == "hardtanh":
            return min(max(z, Fraction(-1)), Fraction(1))
        return z

    @property
    def zero_at_zero(self) -> bool:
        """sigma(0) == 0 (true for every built-in activation)."""
        return self(Fraction(0)) == 0

    @property
    def is_odd(self) -> bool:
        """sigma(-z) == -sigma(z) for all z (sign, hardtanh, identity, leaky with slope 1)."""
        return self.name in ("sign", "hardtanh", "identity") or (self.name == "leaky" and self.slope == 1)

    def __str__(self):
        return f"leaky:{self.slope}" if self.name == "leaky" else self.name


def parse_activation(text, argument="--act") -> Activation:
    """``sign``, ``relu``, ``leaky:1/10``, ``step``, ``hardtanh``, ``identity``.

    Examples
    --------
    >>> act = parse_activation("leaky:1/10")
    >>> str(act), act(Fraction(-5))
    ('leaky:1/10', Fraction(-1, 2))
    """
    if isinstance(text, Activation):
        return text
    name, _, slope = str(text).strip().partition(":")
    if name == "leaky":
        if not slope:
            raise SpecError(argument, "leaky needs a slope, e.g. leaky:1/10")
        return Activation("leaky", parse_rational(slope, argument))
    if slope:
        raise SpecError(argument, f"{name!r} takes no parameter")
    return Activation(name)


# --------------------------------------------------------------------------- architecture


@dataclass(frozen=True)
class ConvLayer:
    """A 1-D convolution: ``channels`` outputs, ``kernel`` taps, ``stride``, no padding."""

    channels: int
    kernel: int
    stride: int = 1


@dataclass(frozen=True)
class Architecture:
    """Network shape.

    ``kind`` is ``fc``, ``sfc``, ``cnn`` or ``scnn``. For ``fc``/``sfc`` the ``widths`` are
    (d_0, ..., d_L) with d_L = 1. For ``cnn``/``scnn`` the input is ``in_channels`` x
    ``in_length`` (a flat input x is read channel-major: x[c * in_length + t]), ``convs``
    are the conv layers and ``readout`` is ``flat`` (a linear map from the flattened last
    feature map) or ``sum`` (sum over positions, then a linear map).

    Every model is stored internally as a list of :meth:`layers`, each a 1-D conv
    (an FC layer is a conv of length 1).

    Examples
    --------
    >>> a = parse_arch("cnn:2x3/4k2s1/flat")
    >>> a.input_dim, a.depth, a.last_hidden(), a.readout_fan_in
    (6, 2, (4, 2), 8)
    """

    kind: str
    widths: tuple = ()
    in_channels: int = 0
    in_length: int = 0
    convs: tuple = ()
    readout: str = "flat"

    def __post_init__(self):
        # every check before any shape is computed (a stride of 0 would divide by zero)
        def ints(*xs):
            return all(isinstance(x, int) and not isinstance(x, bool) for x in xs)

        if self.kind not in ("fc", "sfc", "cnn", "scnn"):
            raise SpecError("--arch", f"unknown kind {self.kind!r}; {_ARCH_HELP}")
        if not self.is_conv:
            w = tuple(self.widths)
            if len(w) < 2 or not ints(*w) or w[-1] != 1 or min(w) < 1:
                raise SpecError("--arch", f"{self.kind}:{','.join(map(str, w))}: need at least two positive "
                                "integer widths ending in 1")
            if max(w) > MAX_WIDTH or len(w) > MAX_WIDTH:
                raise SpecError("--arch", f"widths and depth are limited to {MAX_WIDTH}")
            object.__setattr__(self, "widths", w)
            return
        if not ints(self.in_channels, self.in_length) or self.in_channels < 1 or self.in_length < 1:
            raise SpecError("--arch", "input channels and length must be integers >= 1")
        if not self.convs:
            raise SpecError("--arch", f"a {self.kind} needs at least one conv layer; {_ARCH_HELP}")
        if self.readout not in ("flat", "sum"):
            raise SpecError("--arch", f"readout {self.readout!r}; allowed: flat, sum")
        sizes = [self.in_channels, self.in_length, len(self.convs)]
        sizes += [x for cv in self.convs for x in (cv.channels, cv.kernel, cv.stride) if ints(x)]
        if max(sizes) > MAX_WIDTH:
            raise SpecError("--arch", f"channels, lengths, kernels, strides and depth are limited to {MAX_WIDTH}")
        n = self.in_length
        for cv in self.convs:
            if not ints(cv.channels, cv.kernel, cv.stride) or min(cv.channels, cv.kernel, cv.stride) < 1:
                raise SpecError("--arch", f"{cv.channels}k{cv.kernel}s{cv.stride}: channels, kernel and stride "
                                "must be integers >= 1")
            if cv.kernel > n:
                raise SpecError("--arch", f"kernel {cv.kernel} is longer than its input length {n}")
            n = (n - cv.kernel) // cv.stride + 1
        object.__setattr__(self, "convs", tuple(self.convs))

    @property
    def scaled(self) -> bool:
        return self.kind in ("sfc", "scnn")

    @property
    def is_conv(self) -> bool:
        return self.kind in ("cnn", "scnn")

    @property
    def input_dim(self) -> int:
        return self.widths[0] if not self.is_conv else self.in_channels * self.in_length

    @property
    def depth(self) -> int:
        """Number of weight layers L (readout included)."""
        return len(self.widths) - 1 if not self.is_conv else len(self.convs) + 1

    def hidden_shapes(self):
        """(channels, length, kernel, stride, in_channels, in_length) per hidden layer."""
        out = []
        if not self.is_conv:
            for l in range(1, len(self.widths) - 1):
                out.append((self.widths[l], 1, 1, 1, self.widths[l - 1], 1))
            return out
        c, n = self.in_channels, self.in_length
        for cv in self.convs:
            m = (n - cv.kernel) // cv.stride + 1
            out.append((cv.channels, m, cv.kernel, cv.stride, c, n))
            c, n = cv.channels, m
        return out

    def last_hidden(self):
        """(channels, length) of the feature map feeding the readout."""
        if not self.is_conv:
            return self.widths[-2], 1
        sh = self.hidden_shapes()
        return sh[-1][0], sh[-1][1]

    @property
    def readout_fan_in(self) -> int:
        c, n = self.last_hidden()
        return c * n if (self.readout == "flat" or not self.is_conv) else c

    def __str__(self):
        if not self.is_conv:
            return f"{self.kind}:" + ",".join(map(str, self.widths))
        convs = "/".join(f"{cv.channels}k{cv.kernel}s{cv.stride}" for cv in self.convs)
        return f"{self.kind}:{self.in_channels}x{self.in_length}/{convs}/{self.readout}"


#: the most parameters a network may have (|Q|^P is computed exactly)
MAX_PARAMS = 100_000
#: the largest width / channel count / length / depth an architecture may have
MAX_WIDTH = 1000
_ARCH_HELP = "use fc:D0,D1,...,1 or sfc:..., or cnn:CxN/CkKsS/.../flat|sum (e.g. cnn:1x4/2k2s1/flat)"


def parse_arch(text, argument="--arch") -> Architecture:
    """Parse an architecture string.

    >>> parse_arch("fc:3,4,1").widths
    (3, 4, 1)
    >>> a = parse_arch("scnn:1x5/2k2s1/sum"); (a.hidden_shapes(), a.readout)
    ([(2, 4, 2, 1, 1, 5)], 'sum')
    """
    if isinstance(text, Architecture):
        return text
    s = str(text).strip()
    kind, sep, rest = s.partition(":")
    if not sep or kind not in ("fc", "sfc", "cnn", "scnn"):
        raise SpecError(argument, f"{s!r}: {_ARCH_HELP}")
    if kind in ("fc", "sfc"):
        try:
            widths = tuple(int(x) for x in rest.split(","))
        except ValueError:
            raise SpecError(argument, f"{s!r}: widths must be integers; {_ARCH_HELP}") from None
        try:
            return Architecture(kind, widths=widths)
        except SpecError as exc:
            raise SpecError(argument, f"{_short(s)}: {exc.message.split(': ', 1)[-1]}") from None
    parts = rest.split("/")
    if len(parts) < 3 or parts[-1] not in ("flat", "sum"):
        raise SpecError(argument, f"{s!r}: {_ARCH_HELP}")
    try:
        cin, _, nin = parts[0].partition("x")
        c, n = (int(cin), int(nin)) if nin else (1, int(cin))
        convs = []
        for p in parts[1:-1]:
            ch, _, ks = p.partition("k")
            k, _, st = ks.partition("s")
            convs.append(ConvLayer(int(ch), int(k), int(st) if st else 1))
    except ValueError:
        raise SpecError(argument, f"{s!r}: {_ARCH_HELP}") from None
    try:
        arch = Architecture(kind, in_channels=c, in_length=n, convs=tuple(convs), readout=parts[-1])
    except SpecError as exc:
        raise SpecError(argument, f"{s!r}: {str(exc).split(': ', 1)[1]}") from None
    return arch


# --------------------------------------------------------------------------- whole spec


@dataclass(frozen=True, repr=False)
class NetworkSpec:
    """Everything that defines the induced prior over functions.

    ``scale_q`` is the set the SFC/SCNN scales are drawn from (``None``: the same as ``q``).
    ``zero_label`` decides the label at f(x) = 0: ``"-1"`` (label + iff f > 0),
    ``"+1"`` (+ iff f >= 0) or ``"0"`` (a third value, table character ``0``).

    Examples
    --------
    >>> spec = NetworkSpec.parse("sfc:2,3,1", "-1,0,1", "relu", "01", "0", scale_q="0,1")
    >>> spec.num_params, spec.total == 3**13 * 2**3, len(spec.domain)
    (16, True, 4)
    """

    arch: Architecture
    q: QSet
    act: Activation
    domain: Domain
    zero_label: str = "-1"
    scale_q: QSet | None = field(default=None)

    def __post_init__(self):
        object.__setattr__(self, "zero_label", parse_zero_label(self.zero_label))
        if self.layout.size > MAX_PARAMS:
            raise SpecError("--arch", f"{self.arch} has {self.layout.size:,} parameters; at most {MAX_PARAMS:,}")
        if self.domain.dim != self.arch.input_dim:
            raise SpecError("--domain", f"points have dimension {self.domain.dim} but the network takes {self.arch.input_dim} inputs")
        if self.scale_q is not None and not self.arch.scaled:
            raise SpecError("--scale-q", f"only scaled architectures (sfc, scnn) take a scale set, not {self.arch.kind}")

    def describe(self) -> str:
        """The spec on one line: architecture, Q, scale set (if any), activation, domain and
        zero-label rule (``z-1``, ``z+1``, ``z0``); a custom domain shows its points when short.

        >>> NetworkSpec.parse("fc:1,1", "-1,0,1").describe()
        'fc:1,1 Q=-1,0,1 sign 01 z-1'
        >>> NetworkSpec.parse("sfc:1,1,1", "-1,1", "relu", [[0], [2]], "0", "1,2")
        <NetworkSpec sfc:1,1,1 Q=-1,1 S=1,2 relu [[0],[2]] z0>
        """
        dom = self.domain
        if dom.kind == "custom":
            shown = "[" + ",".join("[" + ",".join(map(_fmt, p)) + "]" for p in dom.points) + "]"
            where = shown if len(shown) <= 40 else f"custom({len(dom)} points in {dom.dim}-d)"
        else:
            where = dom.kind
        if dom.weights is not None:
            where += " weighted"
        scales = "" if self.scale_q is None else f" S={self.scale_q.name}"
        return f"{self.arch} Q={self.q.name}{scales} {self.act} {where} z{self.zero_label}"

    def __repr__(self):
        return f"<NetworkSpec {self.describe()}>"

    def _repr_pretty_(self, p, cycle):  # hypothesis and IPython print the one line too
        p.text(repr(self))

    @classmethod
    def parse(cls, arch, q, act="sign", domain="01", zero_label="-1", scale_q=None) -> "NetworkSpec":
        """Build a spec from command-line style strings (or already-built parts)."""
        a = parse_arch(arch)
        return cls(
            arch=a,
            q=parse_q(q),
            act=parse_activation(act),
            domain=parse_domain(domain, a.input_dim),
            zero_label=parse_zero_label(zero_label),
            scale_q=None if scale_q is None else parse_q(scale_q, "--scale-q"),
        )

    @property
    def scales(self) -> QSet:
        """The set the scales are drawn from."""
        return self.scale_q if self.scale_q is not None else self.q

    @property
    def layout(self):
        from .layout import ParamLayout

        return ParamLayout.of(self.arch)

    @property
    def num_params(self) -> int:
        return self.layout.size

    @property
    def total(self) -> int:
        """Number of parameter settings, ``|Q|^P`` (scales counted with the scale set)."""
        lay = self.layout
        return len(self.q) ** lay.num_weights * len(self.scales) ** lay.num_scales

    def with_arch(self, arch) -> "NetworkSpec":
        """The same Q, activation, domain and zero-label rule on another architecture."""
        a = parse_arch(arch)
        if a.scaled != self.arch.scaled and self.scale_q is not None:
            return NetworkSpec(a, self.q, self.act, self.domain, self.zero_label, None)
        return NetworkSpec(a, self.q, self.act, self.domain, self.zero_label, self.scale_q if a.scaled else None)

    def to_json(self):
        return {
            "arch": str(self.arch),
            "q": self.q.to_json(),
            "scale_q": None if self.scale_q is None else self.scale_q.to_json(),
            "act": str(self.act),
            "domain": self.domain.to_json(),
            "zero_label": self.zero_label,
            "num_params": self.num_params,
            "conventions": {
                "domain_order": "itertools.product, first coordinate most significant; 01: 0<1, pm1: -1<+1",
                "table": "one character per point in domain order: + - 0",
                "zero_label": {"-1": "+ iff f(x) > 0", "+1": "+ iff f(x) >= 0", "0": "f(x) = 0 gives 0"}[self.zero_label],
                "param_order": "layer by layer; W row-major (conv: out, in, tap), then b, then gamma",
                "cnn_input": "x[c * length + t]",
                "sigma_at_zero": str(self.act(Fraction(0))),
            },
        }

    @classmethod
    def from_json(cls, data) -> "NetworkSpec":
        return cls(
            arch=parse_arch(data["arch"]),
            q=QSet(tuple(map(Fraction, data["q"]["values"])), data["q"]["name"]),
            act=parse_activation(data["act"]),
            domain=Domain.from_json(data["domain"]),
            zero_label=data["zero_label"],
            scale_q=None if data.get("scale_q") is None else QSet(tuple(map(Fraction, data["scale_q"]["values"])), data["scale_q"]["name"]),
        )


def require_spec(value, where, parameter="spec"):
    """``value`` if it is a :class:`NetworkSpec`, else a ``TypeError`` saying how to build one.

    >>> require_spec("fc:3,3,1", "count_prior")
    Traceback (most recent call last):
    ...
    TypeError: count_prior: spec must be a NetworkSpec, not str; build one with NetworkSpec.parse('fc:3,3,1', '-1,0,1')
    """
    if not isinstance(value, NetworkSpec):
        example = value if isinstance(value, str) and len(value) < 40 else "fc:2,1"
        raise TypeError(f"{where}: {parameter} must be a NetworkSpec, not {type(value).__name__}; build one with "
                        f"NetworkSpec.parse({example!r}, '-1,0,1')")
    return value

"""Helpers for property tests of exact priors: hypothesis strategies, an independent
reference evaluator and assertions with readable failure messages.

Install with the ``testing`` extra (``pip install "qnet-priors[testing]"``): the
strategies need `hypothesis <https://hypothesis.readthedocs.io>`_, imported when a
strategy is built (the reference evaluator and the assertions work without it).

A user's property test::

    from hypothesis import given, settings
    from enumerate import count_prior
    from enumerate.testing import specs, assert_priors_equal

    @settings(max_examples=20, deadline=None)
    @given(specs(max_settings=5_000))
    def test_fast_equals_brute(spec):
        assert_priors_equal(count_prior(spec, "fast", progress=False),
                            count_prior(spec, "brute", progress=False))

>>> from enumerate import NetworkSpec
>>> spec = NetworkSpec.parse("fc:1,1", "-1,0,1")
>>> sorted(reference_prior(spec).counts.items())
[('++', 2), ('+-', 1), ('-+', 1), ('--', 5)]
"""

from __future__ import annotations

import itertools
import json
from fractions import Fraction

from .results.prior import FunctionPrior
from .core.reference import truth_table
from .core.spec import Domain, NetworkSpec, SpecError, parse_domain
from .core.teacher import make_teacher

__all__ = [
    "FAMILIES",
    "ACTIVATIONS",
    "Q_SETS",
    "DOMAINS",
    "ZERO_LABELS",
    "REFERENCE_MAX_SETTINGS",
    "architectures",
    "specs",
    "teachers",
    "tables",
    "permute_inputs",
    "reference_prior",
    "assert_priors_equal",
    "assert_bound_holds",
]

#: architecture families, activations, quantization sets, domains and zero-label rules drawn by :func:`specs`
FAMILIES = ("fc", "sfc", "cnn", "scnn")
ACTIVATIONS = ("sign", "relu", "leaky:1/3", "step", "hardtanh", "identity")
Q_SETS = ("-1,0,1", "-1,1", "-1,-1/2,0,1/2,1", "0,1,2", "grid:2", "-2,0,1/3", "-1,0,1,2")
DOMAINS = ("01", "pm1")
ZERO_LABELS = ("-1", "+1", "0")

#: :func:`reference_prior` refuses specs with more parameter settings than this
REFERENCE_MAX_SETTINGS = 10_000


def _hypothesis():
    try:
        from hypothesis import strategies
    except ModuleNotFoundError:  # pragma: no cover - depends on the installation
        raise ModuleNotFoundError(
            'enumerate.testing strategies need hypothesis: pip install "qnet-priors[testing]"', name="hypothesis"
        ) from None
    return strategies


def _choices(argument, given):
    given = (given,) if isinstance(given, str) else tuple(given)
    if not given:
        raise SpecError(argument, "need at least one option")
    return given


def _dims(input_dims):
    """``input_dims`` as a range of input dimensions (``None``: the default sizes)."""
    if input_dims is None:
        return None
    if isinstance(input_dims, int) and not isinstance(input_dims, bool):
        input_dims = (input_dims, input_dims)
    try:
        lo, hi = (int(x) for x in input_dims)
    except (TypeError, ValueError):
        raise SpecError("input_dims", f"{input_dims!r}: give an int or a (min, max) pair") from None
    if not 1 <= lo <= hi <= 8:
        raise SpecError("input_dims", f"{input_dims!r}: need 1 <= min <= max <= 8")
    return range(lo, hi + 1)


def architectures(families=FAMILIES, input_dims=None):
    """The small architectures :func:`specs` draws from, as strings (fixed order).

    FC/SFC: 1 to 3 inputs, up to two hidden layers of width 1 or 2. CNN/SCNN: 1 or 2
    input channels of length 2 or 3, one conv layer of 1 or 2 channels, every kernel
    and stride 1 or 2, flat or sum readout.

    Parameters
    ----------
    families : sequence of str
        Any of ``"fc"``, ``"sfc"``, ``"cnn"``, ``"scnn"``.
    input_dims : int or (int, int), optional
        Only networks with this many inputs (a ``(min, max)`` range, at most 8): FC/SFC
        inputs ``min..max``, CNN/SCNN channels x length in the range (length 1 to 8).

    Returns
    -------
    list of str

    Examples
    --------
    >>> architectures(["fc"])[:4]
    ['fc:1,1', 'fc:1,1,1', 'fc:1,2,1', 'fc:1,1,1,1']
    >>> architectures(["fc", "cnn"], input_dims=(4, 4))[:2], len(architectures(["cnn"], 4))
    (['fc:4,1', 'fc:4,1,1'], 40)
    """
    families = _choices("families", families)
    bad = [f for f in families if f not in FAMILIES]
    if bad:
        raise SpecError("families", f"unknown family {bad[0]!r}; allowed: {', '.join(FAMILIES)}")
    dims = _dims(input_dims)
    out = []
    for d0 in dims or (1, 2, 3):
        for hidden in itertools.chain([()], itertools.product((1, 2), repeat=1), itertools.product((1, 2), repeat=2)):
            widths = ",".join(map(str, (d0, *hidden, 1)))
            out += [f"{kind}:{widths}" for kind in ("fc", "sfc") if kind in families and (hidden or kind == "fc")]
    shapes = [(c0, n0) for c0 in (1, 2) for n0 in (2, 3)] if dims is None else \
        [(c0, d // c0) for d in dims for c0 in (1, 2) if d % c0 == 0]
    for kind, (c0, n0), c1, readout in itertools.product(("cnn", "scnn"), shapes, (1, 2), ("flat", "sum")):
        if kind in families:
            out += [f"{kind}:{c0}x{n0}/{c1}k{k}s{s}/{readout}" for k in range(1, min(n0, 3) + 1) for s in (1, 2)]
    return out


def specs(*, families=FAMILIES, activations=ACTIVATIONS, q_sets=Q_SETS, domains=DOMAINS, zero_labels=ZERO_LABELS,
          max_settings=60_000, input_dims=None):
    """A hypothesis strategy over valid :class:`~enumerate.NetworkSpec` of every family.

    Parameters
    ----------
    families : sequence of str
        Architecture families to draw from (``fc``, ``sfc``, ``cnn``, ``scnn``); see
        :func:`architectures`.
    activations : sequence of str
        Activations, as on the command line (``sign``, ``relu``, ``leaky:1/3`` ...).
    q_sets : sequence of str
        Quantization sets (``-1,0,1``, ``grid:2`` ...); SFC/SCNN scales use the same set.
    domains : sequence
        ``01``, ``pm1`` and custom domains (a list of points, or its JSON text); with a
        custom domain only architectures with as many inputs as its points have
        coordinates are drawn.
    zero_labels : sequence of str
        Zero-label rules: ``-1``, ``+1``, ``0``.
    max_settings : int
        Only specs with at most this many parameter settings |Q|^P.
    input_dims : int or (int, int), optional
        Only networks with this many inputs (see :func:`architectures`).

    Returns
    -------
    hypothesis.strategies.SearchStrategy
        Draws a ``NetworkSpec``; shrinks towards the first family, activation, Q,
        domain and zero-label rule listed and the smallest architecture.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, deadline=None)
    ... @given(specs(families=["cnn"], max_settings=1000))
    ... def check(spec):
    ...     assert spec.arch.kind == "cnn" and spec.total <= 1000
    >>> check()
    >>> @settings(max_examples=5, deadline=None)
    ... @given(specs(domains=[[[0, 0], [1, 2], ["1/2", -1]]], max_settings=1000))
    ... def on_points(spec):
    ...     assert spec.arch.input_dim == 2 and len(spec.domain) == 3
    >>> on_points()
    """
    st = _hypothesis()
    families = _choices("families", families)
    archs = architectures(families, input_dims)
    domains = _domains(domains)
    # NetworkSpec.parse order: q, act, zero label
    choices = [_choices(name, value) for name, value in (("q_sets", q_sets), ("activations", activations),
                                                             ("zero_labels", zero_labels))]
    # validate every option now: a bad one is the caller's mistake, not a failing example
    for i, options in enumerate(choices):
        for option in options:
            NetworkSpec.parse("fc:1,1", *(option if j == i else c[0] for j, c in enumerate(choices[:2])),
                              zero_label=option if i == 2 else choices[2][0])

    def fit(arch, domain, q):
        try:
            spec = NetworkSpec.parse(arch, q, domain=domain)
        except SpecError:  # the domain has another dimension than the network's input
            return False
        return spec.total <= max_settings

    # (q, domain) -> the architectures that fit both
    fits = {(q, d): [a for a in archs if fit(a, d, q)] for q in choices[0] for d in domains}
    fits = {key: a for key, a in fits.items() if a}
    if not fits:
        raise SpecError("max_settings", f"no architecture of {', '.join(families)} fits the domains with at most "
                                        f"{max_settings:,} settings")

    @st.composite
    def draw_spec(draw):
        q, domain = draw(st.sampled_from(list(fits)))
        act, zl = (draw(st.sampled_from(c)) for c in choices[1:])
        return NetworkSpec.parse(draw(st.sampled_from(fits[q, domain])), q, act, domain, zl)

    return draw_spec()


def _domains(domains):
    """The domains :func:`specs` draws from, as hashable values parse_domain accepts."""
    if isinstance(domains, str) or (isinstance(domains, (list, tuple)) and domains
                                    and all(isinstance(p, (list, tuple)) and p and
                                            not isinstance(p[0], (list, tuple)) for p in domains)):
        domains = [domains]  # one domain (a name, or one list of points)
    out = []
    for d in _choices("domains", domains):
        if isinstance(d, str) and d.strip() in ("01", "pm1"):
            out.append(d.strip())
            continue
        points = json.loads(d.replace("'", '"')) if isinstance(d, str) else d
        dim = len(points[0]) if isinstance(points, (list, tuple)) and points and \
            isinstance(points[0], (list, tuple)) else 0
        dom = parse_domain(points if dim else d, dim, "domains")
        out.append(json.dumps([[str(c) for c in p] for p in dom.points]))
    return tuple(dict.fromkeys(out))


def teachers(spec):
    """A hypothesis strategy over teachers for the student ``spec``: an architecture of the
    same family, as deep and with the same input, no wider than the student, and
    parameters drawn from Q (scales from the scale set).

    Parameters
    ----------
    spec : NetworkSpec
        The student.

    Returns
    -------
    hypothesis.strategies.SearchStrategy
        Draws a :class:`~enumerate.Teacher` (built by :func:`~enumerate.make_teacher`).

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from enumerate import NetworkSpec
    >>> student = NetworkSpec.parse("fc:2,3,1", "-1,0,1")
    >>> @settings(max_examples=5, deadline=None)
    ... @given(teachers(student))
    ... def check(t):
    ...     assert t.spec.arch.widths[1] <= 3 and len(t.table) == 4
    >>> check()
    """
    st = _hypothesis()
    arch = spec.arch
    if arch.is_conv:
        convs = "/".join("{}" + f"k{c.kernel}s{c.stride}" for c in arch.convs)
        template = f"{arch.kind}:{arch.in_channels}x{arch.in_length}/{convs}/{arch.readout}"
        sizes = [c.channels for c in arch.convs]
    else:
        template = f"{arch.kind}:{arch.widths[0]}," + "{}," * (len(arch.widths) - 2) + "1"
        sizes = list(arch.widths[1:-1])

    @st.composite
    def draw_teacher(draw):
        narrow = [draw(st.integers(1, n)) for n in sizes]
        tspec = spec.with_arch(template.format(*narrow))
        values = [draw(st.sampled_from((tspec.scales if is_scale else tspec.q).values))
                  for is_scale in tspec.layout.scale_mask()]
        return make_teacher(spec, tspec.arch, values)

    return draw_teacher()


def tables(spec):
    """A hypothesis strategy over truth tables of ``spec``: one character per domain
    point, ``+``/``-`` (and ``0`` under zero-label rule ``0``).

    Parameters
    ----------
    spec : NetworkSpec

    Returns
    -------
    hypothesis.strategies.SearchStrategy
        Draws a ``str`` of length ``len(spec.domain)``.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from enumerate import NetworkSpec
    >>> @settings(max_examples=5)
    ... @given(tables(NetworkSpec.parse("fc:2,1", "-1,0,1", zero_label="0")))
    ... def check(table):
    ...     assert len(table) == 4 and set(table) <= set("+-0")
    >>> check()
    """
    st = _hypothesis()
    chars = "+-0" if spec.zero_label == "0" else "+-"
    n = len(spec.domain)
    return st.text(alphabet=chars, min_size=n, max_size=n)


def permute_inputs(table, perm, domain) -> str:
    """The truth table of ``x -> f(x[perm])``: ``table`` (of ``f``) with its inputs permuted.

    Entry ``i`` of the result is the entry of ``table`` at the point whose coordinate
    ``k`` is coordinate ``perm[k]`` of point ``i``. For a network whose input layer is
    fully connected, permuting the inputs permutes the first-layer weights, so the prior
    gives both tables the same count: a symmetry property to test.

    Parameters
    ----------
    table : str
        One character per point of ``domain``, in domain order.
    perm : sequence of int
        A permutation of ``0..d-1`` (``d`` the points' dimension).
    domain : Domain, NetworkSpec or str
        The domain (a spec's domain; ``"01"``/``"pm1"`` of dimension ``len(perm)``). Every
        permuted point must be in it.

    Returns
    -------
    str

    Examples
    --------
    >>> from enumerate import NetworkSpec, count_prior
    >>> permute_inputs("-+--", (1, 0), "01")  # + at x = (0, 1) becomes + at (1, 0)
    '--+-'
    >>> prior = count_prior(NetworkSpec.parse("fc:2,2,1", "-1,0,1"), progress=False)
    >>> prior.count("-+--") == prior.count(permute_inputs("-+--", (1, 0), prior.spec))
    True
    """
    if isinstance(domain, NetworkSpec):
        domain = domain.domain
    perm = tuple(perm)
    if not isinstance(domain, Domain):
        domain = parse_domain(domain, len(perm), "domain")
    if sorted(perm) != list(range(domain.dim)):
        raise SpecError("perm", f"{perm!r}: need a permutation of 0..{domain.dim - 1}")
    if not isinstance(table, str) or len(table) != len(domain):
        raise SpecError("table", f"need one character per domain point ({len(domain)}), got {table!r}")
    index = {p: i for i, p in enumerate(domain.points)}
    out = []
    for p in domain.points:
        q = tuple(p[k] for k in perm)
        if q not in index:
            raise SpecError("domain", f"the permuted point {tuple(map(str, q))} is not in the domain")
        out.append(table[index[q]])
    return "".join(out)


def reference_prior(spec, max_settings=REFERENCE_MAX_SETTINGS) -> FunctionPrior:
    """The exact prior by an independent, obviously-correct evaluator.

    Every parameter setting (``itertools.product`` over Q, and the scale set for scales)
    is run through the reference forward pass in exact ``Fraction`` arithmetic with plain
    Python loops (:func:`enumerate.core.reference.truth_table`), sharing no code with the
    numba kernels or the fast counter. Slow by design: for small specs only.

    Parameters
    ----------
    spec : NetworkSpec
    max_settings : int
        Refuse specs with more parameter settings than this.

    Returns
    -------
    FunctionPrior
        With ``method == "reference"``.

    Raises
    ------
    SpecError
        When ``spec.total`` exceeds ``max_settings``.

    Examples
    --------
    >>> from enumerate import NetworkSpec
    >>> reference_prior(NetworkSpec.parse("fc:2,1", "-1,0,1")).num_functions
    13
    >>> reference_prior(NetworkSpec.parse("fc:3,2,1", "-1,0,1"))
    Traceback (most recent call last):
    ...
    enumerate.SpecError: spec: fc:3,2,1 has 177,147 parameter settings; reference_prior evaluates at most 10,000 (use count_prior)
    """
    if spec.total > max_settings:
        raise SpecError("spec", f"{spec.arch} has {spec.total:,} parameter settings; reference_prior evaluates at most "
                                f"{max_settings:,} (use count_prior)")
    ranges = [spec.scales.values if is_scale else spec.q.values for is_scale in spec.layout.scale_mask()]
    counts: dict = {}
    for params in itertools.product(*ranges):
        t = truth_table(spec, params)
        counts[t] = counts.get(t, 0) + 1
    return FunctionPrior(spec, counts, "reference")


def _describe(prior):
    return f"{prior.method} prior of {prior.spec.arch}"


def assert_priors_equal(a, b):
    """Assert that two priors have the same spec and the same count for every table.

    Parameters
    ----------
    a, b : FunctionPrior

    Raises
    ------
    AssertionError
        Naming the first differing table (in string order), its count in each prior and
        how many tables differ; or what differs between the specs.

    Examples
    --------
    >>> from enumerate import NetworkSpec, count_prior
    >>> spec = NetworkSpec.parse("fc:1,1", "-1,0,1")
    >>> assert_priors_equal(count_prior(spec, "fast"), reference_prior(spec))
    >>> relu = count_prior(NetworkSpec.parse("fc:1,1", "-1,0,1", "relu"))
    >>> assert_priors_equal(count_prior(NetworkSpec.parse("fc:1,1", "-1,0,1", "identity")), relu)
    Traceback (most recent call last):
    ...
    AssertionError: priors differ: the specs differ in act: identity != relu
    >>> b = reference_prior(spec); b.counts["++"] += 1; b.counts["--"] -= 1
    >>> assert_priors_equal(count_prior(spec, "fast"), b)
    Traceback (most recent call last):
    ...
    AssertionError: priors differ at table '++' (first of 2 differing tables): count 2 in a (fast prior of fc:1,1), count 3 in b (reference prior of fc:1,1)
    """
    if a.spec != b.spec:
        ja, jb = a.spec.to_json(), b.spec.to_json()
        diff = [f"{k}: {ja[k]} != {jb[k]}" for k in ja if ja[k] != jb.get(k) and k != "conventions"]
        raise AssertionError(f"priors differ: the specs differ in {'; '.join(diff) or 'conventions'}")
    differ = sorted(t for t in set(a.counts) | set(b.counts) if a.counts.get(t, 0) != b.counts.get(t, 0))
    if differ:
        t = differ[0]
        raise AssertionError(
            f"priors differ at table {t!r} (first of {len(differ)} differing tables): count {a.counts.get(t, 0):,} "
            f"in a ({_describe(a)}), count {b.counts.get(t, 0):,} in b ({_describe(b)})")


def assert_bound_holds(prior_or_report, teacher=None, bound=None):
    """Assert that a lower bound on the teacher-equivalence probability holds exactly.

    Two forms:

    * ``assert_bound_holds(prior, teacher, bound)``: ``prior.rho(teacher) >= bound``
      (``bound`` a ``Fraction``, ``teacher`` a :class:`~enumerate.Teacher` or a table);
    * ``assert_bound_holds(report)``: a report with a ``holds`` attribute, such as
      the :class:`proofs.BoundReport` of :func:`proofs.check_bounds`; the failure
      message is the report.

    Parameters
    ----------
    prior_or_report : FunctionPrior or report
    teacher : Teacher or str, optional
    bound : Fraction, optional

    Raises
    ------
    AssertionError
        With the table, the exact rho~ and the bound.

    Examples
    --------
    >>> from fractions import Fraction
    >>> from enumerate import NetworkSpec, count_prior
    >>> prior = count_prior(NetworkSpec.parse("fc:1,1", "-1,0,1"))
    >>> assert_bound_holds(prior, "+-", Fraction(1, 9))
    >>> assert_bound_holds(prior, "+-", Fraction(1, 8))
    Traceback (most recent call last):
    ...
    AssertionError: bound fails for table '+-': exact rho~ = 1/9 (0.111111) < bound 1/8 (0.125)
    """
    if teacher is None and bound is None:
        report = prior_or_report
        if not report.holds:
            raise AssertionError(f"bound fails:\n{report}")
        return
    if teacher is None or bound is None:
        raise TypeError("assert_bound_holds(prior, teacher, bound) needs all three (or a single report)")
    rho, bound = prior_or_report.rho(teacher), Fraction(bound)
    if rho < bound:
        table = teacher if isinstance(teacher, str) else teacher.table
        raise AssertionError(f"bound fails for table {table!r}: exact rho~ = {rho} ({float(rho):.6g}) < bound "
                             f"{bound} ({float(bound):.6g})")

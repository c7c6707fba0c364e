"""Teacher networks: a narrow network of the student's family with fixed parameters.

>>> from enumerate import NetworkSpec
>>> student = NetworkSpec.parse("fc:2,3,1", "-1,0,1", "sign", "01")
>>> t = make_teacher(student, "fc:2,1,1", "1,1,-1,1,0")
>>> t.table, t.spec.num_params
('---+', 5)
"""

from __future__ import annotations

from dataclasses import dataclass

from .reference import forward, label
from .spec import NetworkSpec, SpecError, parse_arch, parse_rational, require_spec

__all__ = ["Teacher", "make_teacher", "check_fits_student"]


@dataclass(frozen=True)
class Teacher:
    """A teacher: its spec (the student's Q, activation, domain, zero-label rule on the
    teacher's architecture), its parameters (Fractions, canonical order) and its table.

    Examples
    --------
    >>> from enumerate import NetworkSpec
    >>> t = make_teacher(NetworkSpec.parse("fc:2,3,1", "-1,0,1"), "fc:2,1,1", [1, 1, -1, 1, 0])
    >>> str(t.spec.arch), t.table, [str(f) for f in t.outputs]
    ('fc:2,1,1', '---+', ['-1', '0', '0', '1'])
    """

    spec: NetworkSpec
    params: tuple
    table: str
    outputs: tuple  # the real outputs f(x), for the stricter "same f on X" comparison

    def to_json(self):
        return {"arch": str(self.spec.arch), "params": [str(p) for p in self.params], "table": self.table}


def check_fits_student(teacher_arch, student_arch, argument="teacher"):
    """Raise SpecError (naming ``argument``) unless the teacher is a narrower member of the
    student's family."""
    t, s = teacher_arch, student_arch
    if t.kind != s.kind:
        raise SpecError(argument, f"teacher family {t.kind} differs from the student's {s.kind}")
    if not t.is_conv:
        if len(t.widths) != len(s.widths) or t.widths[0] != s.widths[0]:
            raise SpecError(argument, f"teacher {t} must have the student's depth and input width ({s})")
        if any(a > b for a, b in zip(t.widths, s.widths)):
            raise SpecError(argument, f"teacher widths {t.widths} exceed the student's {s.widths}")
        return
    same = (t.in_channels, t.in_length, t.readout, [(c.kernel, c.stride) for c in t.convs]) == (
        s.in_channels, s.in_length, s.readout, [(c.kernel, c.stride) for c in s.convs])
    if not same or len(t.convs) != len(s.convs):
        raise SpecError(argument, f"teacher {t} must have the student's input, kernels, strides and readout ({s})")
    if any(a.channels > b.channels for a, b in zip(t.convs, s.convs)):
        raise SpecError(argument, f"teacher channels exceed the student's ({t} vs {s})")


def make_teacher(student: NetworkSpec, arch, params) -> Teacher:
    """Build and evaluate a teacher network for the student ``student``.

    Parameters
    ----------
    student : NetworkSpec
        The teacher gets its Q, scale set, activation, domain and zero-label rule.
    arch : str or Architecture
        The teacher's architecture: the student's family, depth and input, no wider.
    params : str or sequence
        Its parameters in canonical order, each in Q (scales in the scale set): a comma
        string (``"1,-1,0"``) or a sequence of values.

    Returns
    -------
    Teacher

    Raises
    ------
    SpecError
        When the architecture does not fit the student or a parameter is not allowed
        (naming the parameter: ``arch`` or ``params``).
    TypeError
        When ``student`` is not a NetworkSpec.

    Examples
    --------
    >>> from enumerate import NetworkSpec
    >>> student = NetworkSpec.parse("fc:2,3,1", "-1,0,1")
    >>> make_teacher(student, "fc:2,1,1", "1,1,0,1,0").table
    '-+++'
    >>> make_teacher(student, "fc:2,4,1", "1,1,0,1,0")
    Traceback (most recent call last):
    ...
    enumerate.SpecError: arch: teacher widths (2, 4, 1) exceed the student's (2, 3, 1)
    >>> make_teacher(student, "fc:2,1,1", [1, 0.5, 0, 1, 0])
    Traceback (most recent call last):
    ...
    enumerate.SpecError: params: floats are refused (most decimals have no exact binary value); give '1/2'
    """
    require_spec(student, "make_teacher", "student")
    tarch = parse_arch(arch, "arch")
    check_fits_student(tarch, student.arch, "arch")
    tspec = student.with_arch(tarch)
    if isinstance(params, str):
        params = [p for p in params.split(",") if p.strip()]
    if not hasattr(params, "__iter__"):
        raise TypeError(f"make_teacher: params must be a comma string like '1,0,-1' or a sequence of numbers, "
                        f"not {type(params).__name__}")
    vals = [parse_rational(p, "params") for p in params]
    lay = tspec.layout
    if len(vals) != lay.size:
        names = ", ".join(f"{g.name}{list(g.shape)}" for g in lay.groups)
        raise SpecError("params", f"teacher {tarch} takes {lay.size} parameters ({names}), got {len(vals)}")
    for i, (v, is_scale) in enumerate(zip(vals, lay.scale_mask())):
        allowed = tspec.scales if is_scale else tspec.q
        if v not in allowed.values:
            what = "scale set" if is_scale else "Q"
            raise SpecError("params", f"parameter {i} = {v} is not in the {what} {{{allowed.name}}}")
    outs = forward(tspec, vals)
    table = "".join(label(f, tspec.zero_label) for f in outs)
    return Teacher(tspec, tuple(vals), table, tuple(outs))

"""The one validation of each kind of user-given value: numbers (:func:`parse_rational`),
truth tables, data weights and training sets. Every module that accepts one of these calls the function here, so the
rule and the error message are the same everywhere.

>>> check_table("+-", 2, "-1")
'+-'
>>> check_table("+0", 2, "-1")
Traceback (most recent call last):
...
enumerate.SpecError: table: '+0': need 2 characters from + - (domain order)
>>> check_weights(["1/2", "1/4", "1/4"], 3)
(Fraction(1, 2), Fraction(1, 4), Fraction(1, 4))
>>> check_indices([2, 0, 2], 3)
[0, 2]
"""

from __future__ import annotations

import re
from fractions import Fraction

from .._support.errors import SpecError

__all__ = ["parse_rational", "parse_rate", "table_chars", "check_table", "check_weights", "check_indices", "check_sample_size",
           "MAX_EXPONENT"]

#: decimal exponents beyond this are refused (``1e999999999`` would take hours to expand)
MAX_EXPONENT = 10_000
_EXPONENT = re.compile(r"[eE]([+-]?\d+)\s*$")


def parse_rational(text, argument="value"):
    """Parse ``"3"``, ``"-1/2"``, ``"0.25"`` (or an int/Fraction) into an exact Fraction.

    The one rule for numbers everywhere (Q, scale sets, domain points, weights, slopes):
    Python floats are refused, every one (even 0.5, which is exact in binary): most decimals
    have no exact binary value (``Fraction(0.1)`` is not 1/10), and one rule is easier to
    keep than a list of exceptions. Give a string (``"0.1"``, ``"1/2"``), an int or a Fraction.

    >>> parse_rational("0.25"), parse_rational("-3/6")
    (Fraction(1, 4), Fraction(-1, 2))
    >>> parse_rational(0.1, "--q")
    Traceback (most recent call last):
    ...
    enumerate.SpecError: q: floats are refused (most decimals have no exact binary value); give '1/10'
    """
    if isinstance(text, (int, Fraction)) and not isinstance(text, bool):
        return Fraction(text)
    if isinstance(text, float):
        try:
            exact = str(Fraction(repr(text)))
            hint = f"give '{exact if len(exact) <= 24 else repr(text)}'"
        except (ValueError, OverflowError):  # nan, inf
            hint = "give a string like '1/10' or '0.1'"
        raise SpecError(argument, f"floats are refused (most decimals have no exact binary value); {hint}")
    s = str(text).strip()
    m = _EXPONENT.search(s)
    if m and abs(int(m.group(1))) > MAX_EXPONENT:
        raise SpecError(argument, f"{s[:40]!r}: decimal exponents must be within +-{MAX_EXPONENT}")
    try:
        return Fraction(s)
    except (ValueError, ZeroDivisionError):
        raise SpecError(argument, f"{s[:40]!r} is not a rational number (examples: 2, -1/2, 0.25)") from None


def parse_rate(value, argument="eps", what="rate") -> Fraction:
    """A rate in [0, 1] (a noise rate, an error threshold) as an exact Fraction, by the one
    rule for numbers of :func:`parse_rational` (a Python float is refused the same way).

    >>> parse_rate("1/10"), parse_rate(0)
    (Fraction(1, 10), Fraction(0, 1))
    >>> parse_rate(2, "eps")
    Traceback (most recent call last):
    ...
    enumerate.SpecError: eps: 2: need a rational rate in [0, 1], e.g. 1/10
    >>> parse_rate(0.1, "eps")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    enumerate.SpecError: eps: floats are refused ...
    """
    if value is None or isinstance(value, bool):
        raise SpecError(argument, f"{value!r}: need a rational {what} in [0, 1], e.g. 1/10")
    r = parse_rational(value, argument)
    if not 0 <= r <= 1:
        raise SpecError(argument, f"{str(value)[:40]}: need a rational {what} in [0, 1], e.g. 1/10")
    return r


def table_chars(zero_label) -> str:
    """The characters a truth table may use under a zero-label rule (``"-1"``, ``"+1"``, ``"0"``).

    >>> table_chars("0"), table_chars("+1")
    ('+-0', '+-')
    """
    return "+-0" if zero_label == "0" else "+-"


def check_table(table, n, zero_label, argument="table") -> str:
    """``table`` if it is a string of ``n`` characters from :func:`table_chars`, else
    :class:`SpecError` naming ``argument``."""
    chars = table_chars(zero_label)
    if not isinstance(table, str) or len(table) != n or not set(table) <= set(chars):
        raise SpecError(argument, f"{table!r}: need {n} characters from {' '.join(chars)} (domain order)")
    return table


def check_weights(weights, n, argument="--weights") -> tuple:
    """A data distribution on ``n`` points: exact nonnegative rationals summing to 1.

    Floats are refused (0.1 is not 1/10); strings like ``"1/3"`` or ``"0.25"`` are exact.
    """
    if isinstance(weights, (str, bytes)) or not hasattr(weights, "__iter__"):
        raise SpecError(argument, f"need a list of {n} nonnegative weights summing to 1")
    w = tuple(parse_rational(x, argument) for x in weights)
    if len(w) != n or any(x < 0 for x in w) or sum(w) != 1:
        raise SpecError(argument, f"need {n} nonnegative weights (one per point) summing to 1, got {len(w)}"
                        f" summing to {sum(w)}")
    return w


def check_indices(training, n, points=None, argument="training") -> list:
    """Sorted distinct point indices of a training set given as indices in ``0..n-1`` or,
    when ``points`` (the domain's points) is given, as points of the domain."""
    if isinstance(training, (str, bytes)) or not hasattr(training, "__iter__"):
        raise SpecError(argument, "give the training set as a list of point indices")
    out = set()
    for s in training:
        if hasattr(s, "__index__") and not isinstance(s, bool):
            i = int(s.__index__())
        elif points is not None and isinstance(s, (tuple, list)):
            try:
                key = tuple(Fraction(c) for c in s)
            except (TypeError, ValueError):
                key = None
            if key not in points:
                raise SpecError(argument, f"point {s!r} is not in the domain")
            i = points.index(key)
        else:
            raise SpecError(argument, f"{s!r}: give training points as indices 0..{n - 1}"
                            + (" or as points of the domain" if points is not None else ""))
        if not 0 <= i < n:
            raise SpecError(argument, f"index {i} outside the domain 0..{n - 1}")
        out.add(i)
    return sorted(out)


def check_sample_size(N, argument="N") -> int:
    """A training-set size: an integer >= 0 (numpy integers too), else :class:`SpecError`.

    >>> check_sample_size(3)
    3
    >>> check_sample_size(2.0)
    Traceback (most recent call last):
    ...
    enumerate.SpecError: N: training-set size must be an integer >= 0, got 2.0
    """
    if isinstance(N, bool) or not hasattr(N, "__index__") or N < 0:
        raise SpecError(argument, f"training-set size must be an integer >= 0, got {N!r}")
    return int(N)

"""The one error type of bad user input, and number formatting safe inside its messages.

>>> str(SpecError("--q", "value 2 is listed twice"))
'--q: value 2 is listed twice'
>>> approx(10**400), approx(123456), approx(2.5e-7)
('1.00e+400', '1.23e+05', '2.50e-07')
"""

from __future__ import annotations

__all__ = ["SpecError", "approx"]


class SpecError(ValueError):
    """Invalid user input; ``str(err)`` is one line naming the argument.

    Examples
    --------
    >>> err = SpecError("--q", "the quantization set is empty")
    >>> err.argument, str(err)
    ('--q', '--q: the quantization set is empty')
    """

    def __init__(self, argument, message):
        self.argument = argument
        super().__init__(f"{argument}: {message}")


# its public home is the package: tracebacks and doctests name it enumerate.SpecError
SpecError.__module__ = "enumerate"


def approx(x) -> str:
    """``x`` in 3-digit scientific notation, for any int (floats overflow beyond ~1e308)."""
    if isinstance(x, int) and not isinstance(x, bool) and abs(x) >= 10**300:
        digits = str(abs(x))
        mant = int(digits[:3]) / 100
        return f"{'-' if x < 0 else ''}{mant:.2f}e+{len(digits) - 1}"
    return f"{float(x):.2e}"

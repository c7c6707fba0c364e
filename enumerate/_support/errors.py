"""The one error type of bad user input, and number formatting safe inside its messages.

>>> str(SpecError("--q", "value 2 is listed twice"))
'--q: value 2 is listed twice'
>>> str(SpecError("--arch", f"'fc:{'1' * 100000},1' is too wide"))
"--arch: 'fc:111111111111111111111111111111111111...(100,007 characters) is too wide"
>>> approx(10**400), approx(123456), approx(2.5e-7), approx(-3**20000)
('1.00e+400', '1.23e+05', '2.50e-07', '-2.66e+9542')
"""

from __future__ import annotations

import re

__all__ = ["SpecError", "approx"]

#: a word this long in a message (an echoed 100 kB argument) is cut to its start and its length
_LONG = re.compile(r"\S{%d,}" % 81)


def _cut(m) -> str:
    word = m.group()
    return f"{word[:40]}...({len(word):,} characters)"


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
        self.message = message = _LONG.sub(_cut, str(message))
        super().__init__(f"{argument}: {message}")

    def naming(self, argument) -> "SpecError":
        """The same error about another argument (a value parsed for ``--scale-q`` by the
        code that checks ``--q``; a Python parameter checked by a command-line rule).

        >>> str(SpecError("--q", "value 2 is listed twice").naming("--scale-q"))
        '--scale-q: value 2 is listed twice'
        """
        if argument == self.argument:
            return self
        err = type(self)(argument, self.message)
        err.__dict__.update({k: v for k, v in self.__dict__.items() if k not in ("argument", "message")})
        return err


# its public home is the package: tracebacks and doctests name it enumerate.SpecError
SpecError.__module__ = "enumerate"


def approx(x) -> str:
    """``x`` in 3-digit scientific notation, for any int (floats overflow beyond ~1e308)."""
    if isinstance(x, int) and not isinstance(x, bool) and abs(x) >= 10**300:
        a = abs(x)  # no str(a): ints past 4300 digits refuse it; the exponent from the bit length
        e = int((a.bit_length() - 1) * 0.30102999566398120)
        while 10 ** (e + 1) <= a:
            e += 1
        while 10**e > a:
            e -= 1
        mant = a // 10 ** (e - 2)  # the leading three digits
        return f"{'-' if x < 0 else ''}{mant // 100}.{mant % 100:02d}e+{e}"
    return f"{float(x):.2e}"

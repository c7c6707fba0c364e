"""The one error type of bad user input, and number formatting safe inside its messages.

A message is written once, in the words of the command line (``--q``, ``pass --force``); it
speaks two ways. From Python, ``str(err)`` names the parameter (``q``, ``pass force=True``);
the command line prints :meth:`SpecError.cli` (the flags as written).

>>> str(SpecError("--q", "value 2 is listed twice"))
'q: value 2 is listed twice'
>>> SpecError("--scale-q", "too big; pass --force to run it, or use --method fast").cli()
'--scale-q: too big; pass --force to run it, or use --method fast'
>>> str(SpecError("--scale-q", "too big; pass --force to run it, or use --method fast"))
"scale_q: too big; pass force=True to run it, or use method='fast'"
>>> str(SpecError("--arch", f"'fc:{'1' * 100000},1' is too wide"))
"arch: 'fc:111111111111111111111111111111111111...(100,007 characters) is too wide"
>>> approx(10**400), approx(123456), approx(2.5e-7), approx(-3**20000)
('1.00e+400', '1.23e+05', '2.50e-07', '-2.66e+9542')
"""

from __future__ import annotations

import re

__all__ = ["SpecError", "approx", "python_words"]

#: a word this long in a message (an echoed 100 kB argument) is cut to its start and its length
_LONG = re.compile(r"\S{%d,}" % 81)

#: a flag in a message: ``--name`` not inside a word or a table (``'--+-'``); ``--method NAME`` whole
_FLAG = re.compile(r"(?<![\w+-])--(method (?:auto|brute|fast|classes)\b|[a-z][a-z0-9]*(?:-[a-z0-9]+)*)")


def _python_word(m) -> str:
    flag = m.group(1)
    if flag == "force":
        return "force=True"
    if flag.startswith("method "):
        return f"method={flag[7:]!r}"
    return flag.replace("-", "_")


def python_words(text: str) -> str:
    """``text`` with each command-line flag as the Python parameter it stands for.

    >>> python_words("--teacher-params: give 6 values; pass --force to run it")
    'teacher_params: give 6 values; pass force=True to run it'
    >>> python_words("table '--+-' is not realized; use --method brute; --method and --dask go together")
    "table '--+-' is not realized; use method='brute'; method and dask go together"
    """
    return _FLAG.sub(_python_word, text)


def _cut(m) -> str:
    word = m.group()
    return f"{word[:40]}...({len(word):,} characters)"


class SpecError(ValueError):
    """Invalid user input; ``str(err)`` is one line naming the Python parameter,
    :meth:`cli` the same line naming the command-line flag.

    Examples
    --------
    >>> err = SpecError("--q", "the quantization set is empty")
    >>> err.argument, err.parameter, str(err)
    ('--q', 'q', 'q: the quantization set is empty')
    >>> err.cli()
    '--q: the quantization set is empty'
    """

    def __init__(self, argument, message):
        self.argument = argument
        self.message = message = _LONG.sub(_cut, str(message))
        self.parameter = re.sub(r"^--", "", str(argument)).replace("-", "_") if str(argument).startswith("--") else argument
        super().__init__(f"{self.parameter}: {python_words(message)}")

    def cli(self) -> str:
        """The one line in the words of the command line (``--q: ...; pass --force ...``)."""
        return f"{self.argument}: {self.message}"

    def naming(self, argument) -> "SpecError":
        """The same error about another argument (a value parsed for ``--scale-q`` by the
        code that checks ``--q``; a Python parameter checked by a command-line rule).

        >>> SpecError("--q", "value 2 is listed twice").naming("--scale-q").cli()
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

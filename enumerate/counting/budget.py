"""The one budget rule of every counting method.

Each counter states its cost up front as a :class:`Cost` (the work in words, seconds and
peak bytes, both estimated from above where the counter can); :func:`check_cost` refuses a
run above the budget with one message shape, naming ``--force``:

``--force: the METHOD counter on ARCH WORK, estimated at ~TIME and ~MEM, above the budget
of TIME and MEM; pass --force to run it``

>>> from enumerate import NetworkSpec
>>> spec = NetworkSpec.parse("fc:2,2,1", "-1,0,1")
>>> cost = Cost("brute", "visits 19,683 settings", seconds=2e-4, bytes=2**20)
>>> check_cost(spec, cost) is cost
True
>>> check_cost(spec, cost, max_seconds=1e-5)
Traceback (most recent call last):
...
enumerate.BudgetError: force: the brute counter on fc:2,2,1 visits 19,683 settings, estimated at ~0 s and ~1 MiB, above the budget of 0 s and 4 GiB; pass force=True to run it
>>> check_cost(spec, cost, max_seconds=1e-5, force=True).seconds
0.0002
"""

from __future__ import annotations

from dataclasses import dataclass

from .._support.errors import SpecError

__all__ = ["BudgetError", "Cost", "check_cost", "fmt_seconds", "fmt_bytes", "DEFAULT_MAX_SECONDS",
           "DEFAULT_MAX_BYTES", "AUTO_QUICK_SECONDS"]

#: the default time budget of every method: above it, ``force=True`` (``--force``) is needed
DEFAULT_MAX_SECONDS = 3600.0
#: the default memory budget of every method (estimated peak bytes)
DEFAULT_MAX_BYTES = 4 * 2**30


#: ``auto`` keeps the fast counter when its estimate is below this many seconds
AUTO_QUICK_SECONDS = 1.0


class BudgetError(SpecError):
    """A run larger than the budget was asked for without ``force``.

    Examples
    --------
    >>> from enumerate import NetworkSpec, count_prior
    >>> try:
    ...     count_prior(NetworkSpec.parse("fc:2,2,1", "-1,0,1"), "brute", max_settings=1000)
    ... except BudgetError as err:
    ...     print(type(err).__name__, isinstance(err, SpecError), "19,683" in str(err))
    BudgetError True True
    """


BudgetError.__module__ = "enumerate"  # its public home (tracebacks name enumerate.BudgetError)


@dataclass(frozen=True)
class Cost:
    """A counter's cost, stated before the work.

    Parameters
    ----------
    method : str
        The counter (``"brute"``, ``"fast"``, ``"class"``).
    work : str
        What it visits, in words (``"visits 36 sorted weight vectors x 3 biases"``).
    seconds : float
        Estimated wall time.
    bytes : int or None
        Estimated peak memory (``None``: the method has no memory estimate yet; only its
        time is budgeted).
    details : dict
        The counter's own figures (rows, readouts, ...), recorded in the result's ``meta``.
    """

    method: str
    work: str
    seconds: float
    bytes: int | None
    details: dict | None = None

    def describe(self) -> str:
        """``~TIME and ~MEM`` (for messages and progress notes).

        >>> Cost("fast", "", 90.0, 3 * 2**30).describe(), Cost("class", "", 90.0, None).describe()
        ('~90 s and ~3 GiB', '~90 s')
        """
        memory = "" if self.bytes is None else f" and ~{fmt_bytes(self.bytes)}"
        return f"~{fmt_seconds(self.seconds)}{memory}"


def check_cost(spec, cost, *, force=False, max_seconds=DEFAULT_MAX_SECONDS, max_bytes=DEFAULT_MAX_BYTES,
               over=None) -> Cost:
    """``cost`` if it is within the budget (or ``force``), else :class:`BudgetError`.

    ``over`` names a method's own extra budget that the run exceeds (brute force's
    ``max_settings``: ``"the size budget of 1,000 settings"``); ``None`` if it does not.
    """
    too_big = cost.bytes is not None and cost.bytes > max_bytes
    if not force and (over or cost.seconds > max_seconds or too_big):
        memory = "" if cost.bytes is None else f" and {fmt_bytes(max_bytes)}"
        budget = over or f"the budget of {fmt_seconds(max_seconds)}{memory}"
        raise BudgetError("--force", f"the {cost.method} counter on {spec.arch} {cost.work}, estimated at "
                                     f"{cost.describe()}, above {budget}; pass --force to run it")
    return cost


def fmt_seconds(s: float) -> str:
    """A duration in the largest fitting unit.

    >>> fmt_seconds(42.0), fmt_seconds(3600.0), fmt_seconds(1e12)
    ('42 s', '60 min', '3.17e+04 years')
    """
    if s < 120:
        return f"{s:.0f} s"
    if s < 7200:
        return f"{s / 60:.0f} min"
    if s < 2 * 86400:
        return f"{s / 3600:.1f} h"
    return f"{s / 86400 / 365.25:.3g} years" if s > 365 * 86400 else f"{s / 86400:.1f} days"


def fmt_bytes(b: float) -> str:
    """A size in MiB below 1 GiB, else GiB (3 significant digits).

    >>> fmt_bytes(5 * 2**20), fmt_bytes(2**40)
    ('5 MiB', '1.02e+03 GiB')
    """
    if b < 2**30:
        return f"{b / 2**20:.0f} MiB"
    return f"{b / 2**30:.3g} GiB"

"""Progress bars on stderr: shown only on a terminal, never with ``quiet``."""

from __future__ import annotations

import sys

__all__ = ["progress_bar"]


class _Silent:
    def update(self, n=1):
        pass

    def set_postfix_str(self, s):
        pass

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def progress_bar(total, desc, enabled=None, unit="it", initial=0):
    """A tqdm bar, or a silent stand-in when ``enabled`` is False (or None and stderr is not a tty).

    ``unit`` is a whole word (``"setting"``, ``"multiset"``): tqdm shows rates as
    ``unit/s``, and an abbreviation like ``ms`` would read as milliseconds. ``initial``
    is the work already done (a resumed run), so rate and ETA count only this run.

    >>> with progress_bar(10, "demo", enabled=False) as bar:
    ...     bar.update(3)
    """
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return _Silent()
    from tqdm import tqdm

    # scaled units (1.2G) for large totals only: a count of 12 shards reads as 12, not 12.0
    return tqdm(total=total, desc=desc, unit=unit, unit_scale=total >= 10_000, file=sys.stderr,
                dynamic_ncols=True, initial=initial)

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


def progress_bar(total, desc, enabled=None, unit="it"):
    """A tqdm bar, or a silent stand-in when ``enabled`` is False (or None and stderr is not a tty)."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return _Silent()
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, unit_scale=True, file=sys.stderr, dynamic_ncols=True)

"""How many worker threads or processes a run uses by default: every core.

>>> import os
>>> workers(3), workers(None) == (os.cpu_count() or 1)
(3, True)
"""

from __future__ import annotations

import os

__all__ = ["workers"]


def workers(n=None) -> int:
    """``n`` if given, else the number of cores (at least 1)."""
    return max(1, n or os.cpu_count() or 1)

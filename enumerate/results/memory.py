"""Measured memory of a run, recorded in a result's ``meta``.

>>> meta = peak_rss_meta()
>>> sorted(meta), meta["peak_rss_bytes"] > 0
(['peak_rss_bytes'], True)
"""

from __future__ import annotations

import sys

__all__ = ["peak_rss_bytes", "peak_rss_meta"]


def peak_rss_bytes() -> int:
    """Peak resident set size of this process so far, in bytes (0 where unknown)."""
    try:
        import resource
    except ImportError:  # not on Windows
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)


def peak_rss_meta() -> dict:
    """``{"peak_rss_bytes": ...}`` for a result's ``meta`` (the process peak at the end of the run)."""
    return {"peak_rss_bytes": peak_rss_bytes()}

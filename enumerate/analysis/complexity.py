"""Complexity measures of truth tables, as in the simplicity-bias literature.

* :func:`lz_complexity`: for a table x of n points (``+``/``-`` as two symbols),
  K(x) = log2(n) (c(x) + c(reversed x)) / 2, where c is the Lempel-Ziv (1976) phrase count
  computed by the Kaspar-Schuster scan; K = log2(n) for a constant table. This is the
  convention of Dingle, Camargo & Louis (2018) and Valle-Perez, Camargo & Louis (2019),
  so figures are comparable with theirs.
* :func:`ones`: t, the number of ``+`` points.
* :func:`average_sensitivity`: on a cube domain, the mean over points of the number of
  inputs whose flip changes the label.

>>> lz_phrases("0001101001000101")      # 0 . 001 . 10 . 100 . 1000 . 101
6
>>> lz_complexity("++++"), lz_complexity("+-+-")   # constant: log2(4); c = 3 both ways
(2.0, 6.0)
>>> ones("+-++"), average_sensitivity("-+++")   # OR of two inputs
(3, 1.0)
"""

from __future__ import annotations

import numpy as np

from .kernels.complexity import lz_rows, orbit_lz_histogram, phrases

__all__ = ["lz_phrases", "lz_complexity", "ones", "average_sensitivity", "lz_complexities", "orbit_lz_histogram"]


def _codes(tables):
    if isinstance(tables, str):
        tables = [tables]
    tables = list(tables)
    n = len(tables[0])
    return np.frombuffer("".join(tables).encode("ascii"), np.uint8).reshape(len(tables), n)


def lz_phrases(s) -> int:
    """c(s): the Lempel-Ziv (1976) phrase count of a string (Kaspar-Schuster scan)."""
    return int(phrases(_codes(s)[0], len(s), 1, 0))


def lz_complexity(table) -> float:
    """K_LZ of a table string: log2(n) (c(x) + c(reversed x)) / 2; log2(n) if constant."""
    return float(lz_rows(_codes(table))[0])


def lz_complexities(codes):
    """K_LZ of many tables at once: ``codes`` is a uint8 array (N, n) of characters
    (or a list of table strings); returns float64 (N,).

    >>> lz_complexities(["++--", "+-+-"]).tolist()
    [6.0, 6.0]
    """
    if not isinstance(codes, np.ndarray):
        codes = _codes(codes)
    return lz_rows(np.ascontiguousarray(codes, np.uint8))


def ones(table) -> int:
    """t: the number of ``+`` points of a table."""
    return table.count("+")


def average_sensitivity(table) -> float:
    """Mean over the 2^d points of a cube table of the number of inputs whose flip
    changes the label (any of ``+ - 0``). Needs a table of 2^d characters.
    """
    n = len(table)
    d = n.bit_length() - 1
    if n != 2**d or n < 2:
        raise ValueError(f"average sensitivity needs a cube table (2^d characters), not {n}")
    codes = _codes(table)[0]
    idx = np.arange(n)
    flips = sum(int((codes != codes[idx ^ (1 << k)]).sum()) for k in range(d))
    return flips / n



"""Reading and writing prior results: JSON (small) and compact ``.npz`` (large).

JSON (``enumerate.prior/1``) lists every table with its count. The ``.npz`` form
(``enumerate.prior-npz/1``) stores bit-packed tables (uint64 planes, see
:mod:`enumerate.core.cube`), exact counts as little-endian 64-bit limbs (so counts beyond
2^63 stay exact), class sizes for class-form priors, and a JSON ``header`` with the same
fields as the JSON file (spec, conventions, versions, ``num_functions``,
``count_spectrum``). Files are loaded with ``allow_pickle=False``: a result from someone
else is data, never code. A malformed file raises a one-line :class:`SpecError`.

>>> import os, tempfile
>>> from enumerate import NetworkSpec, count_prior
>>> prior = count_prior(NetworkSpec.parse("fc:1,1", "-1,0,1"), progress=False)
>>> path = os.path.join(tempfile.mkdtemp(), "p.npz")
>>> prior.save(path)
>>> header, spec, tables, counts, sizes = read_npz(path)
>>> header["form"], list(counts) == [c for _, c in prior.items()]     # in table order
('tables', True)
"""

from __future__ import annotations

import json
import os
from fractions import Fraction

import numpy as np

from .._support.files import atomic_write_npz
from ..core.spec import NetworkSpec, SpecError

__all__ = ["SCHEMA", "NPZ_SCHEMA", "fraction_str", "versions",
           "count_words", "words_count", "spectrum_json", "write_npz", "read_npz", "bad_file"]

SCHEMA = "enumerate.prior/1"
NPZ_SCHEMA = "enumerate.prior-npz/1"


def fraction_str(x) -> str:
    """An exact probability as the JSON string ``"p/q"`` (always with a denominator).

    >>> fraction_str(Fraction(2, 4)), fraction_str(1)
    ('1/2', '1/1')
    """
    x = Fraction(x)
    return f"{x.numerator}/{x.denominator}"


def versions(extra=()):
    """Versions of this package and of the libraries a result depends on (plus ``extra``)."""
    import platform

    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for pkg in ("qnet-priors", "numpy", "numba", *extra):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = None
    return out


def count_words(counts):
    """Exact non-negative ints as little-endian uint64 limbs, shape (N, k).

    >>> count_words([5, 2**64 + 3]).tolist()
    [[5, 0], [3, 1]]
    """
    if isinstance(counts, np.ndarray) and counts.dtype == np.int64:
        return counts.astype(np.uint64)[:, None]
    counts = [int(c) for c in counts]
    k = max(1, max((c.bit_length() for c in counts), default=1) + 63 >> 6)
    mask = (1 << 64) - 1
    return np.array([[(c >> (64 * i)) & mask for i in range(k)] for c in counts], dtype=np.uint64).reshape(len(counts), k)


def words_count(words):
    """The counts of :func:`count_words` back: int64 array if they fit, else Python ints.

    >>> words_count(count_words([5, 2**64 + 3]))
    [5, 18446744073709551619]
    """
    words = np.asarray(words, dtype=np.uint64)
    if words.shape[1] == 1 and (words[:, 0] < 2**63).all():
        return words[:, 0].astype(np.int64)
    return [sum(int(w) << (64 * i) for i, w in enumerate(row)) for row in words.tolist()]


def spectrum_json(spectrum):
    """``{count: number of tables}`` as JSON (decimal string keys, largest count first)."""
    return {str(c): int(m) for c, m in sorted(spectrum.items(), reverse=True)}


def write_npz(path, header, tables, counts, sizes=None):
    """Write a packed prior: ``header`` (dict), tables (N, P, nw) uint64, exact counts."""
    arrays = {"header": np.array(json.dumps(header)), "tables": np.ascontiguousarray(tables, np.uint64),
              "counts": count_words(counts)}
    if sizes is not None:
        arrays["sizes"] = np.asarray(sizes, np.int64)
    atomic_write_npz(path, arrays)


def bad_file(path, why):
    return SpecError("prior", f"{os.fspath(path)!r} is not a valid prior file ({why})")


def read_npz(path):
    try:
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
    except Exception as exc:  # a damaged file fails anywhere in zip, zlib or the .npy header: one line
        why = str(exc).splitlines()[0] if str(exc) else ""
        raise bad_file(path, f"unreadable npz: {type(exc).__name__}: {why}"[:300]) from None
    try:
        header = json.loads(str(arrays["header"]))
        tables, counts = arrays["tables"], arrays["counts"]
    except (KeyError, ValueError) as exc:
        raise bad_file(path, f"missing or unreadable part {exc}"[:300]) from None
    if not isinstance(header, dict) or header.get("schema") != NPZ_SCHEMA:
        raise bad_file(path, f"schema is not {NPZ_SCHEMA}")
    if tables.dtype != np.uint64 or tables.ndim != 3 or counts.dtype != np.uint64 or counts.ndim != 2 \
            or len(counts) != len(tables) or counts.shape[1] < 1:
        raise bad_file(path, "tables/counts have the wrong type or shape")
    try:
        spec = NetworkSpec.from_json(header["spec"])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise bad_file(path, f"bad spec: {exc}"[:300]) from None
    n = len(spec.domain)
    if tables.shape[1:] != (2 if spec.zero_label == "0" else 1, (n + 63) // 64):
        raise bad_file(path, "table planes do not match the spec")
    sizes = arrays.get("sizes")
    if header.get("form") == "classes":
        if sizes is None or sizes.dtype != np.int64 or sizes.shape != (len(tables),):
            raise bad_file(path, "class sizes missing or malformed")
    elif header.get("form") != "tables":
        raise bad_file(path, "form must be tables or classes")
    return header, spec, tables, words_count(counts), sizes

"""Loading a saved prior only after every invariant holds.

A prior file is someone's data: before it becomes a prior, its spec must parse, every
table must be a valid table of the spec's domain (right length, allowed labels, no
stray bits), no table may appear twice, every count must be a positive integer, the
counts must cover at most ``total`` settings, the header's ``total``, ``covered``,
``num_functions`` (``num_classes``) and ``count_spectrum`` must match the data, class
sizes must lie between 1 and the order of the group, and a recorded ``digest`` must be
the digest of the content. Anything else is one :class:`~enumerate.SpecError` line.

>>> from enumerate import NetworkSpec, count_prior
>>> data = count_prior(NetworkSpec.parse("fc:1,1", "-1,0,1"), progress=False).to_json()
>>> data["functions"][0]["count"] = 6
>>> parse_json_prior(data)
Traceback (most recent call last):
...
enumerate.SpecError: prior: the counts cover 10 settings, more than the spec's 9
"""

from __future__ import annotations

import numpy as np

from .._support.errors import SpecError

__all__ = ["parse_json_prior", "check_packed", "check_against_header", "bad"]


def bad(why, where="prior"):
    """The one-line error of an invalid prior file."""
    return SpecError("prior", f"{where} is not a valid prior ({why})" if where != "prior" else why)


def _int(value, what, where):
    if type(value) is not int:
        raise bad(f"{what} must be an integer, not {value!r}"[:200], where)
    return value


def check_packed(tables, n, where="prior"):
    """Refuse packed tables with bits past point ``n - 1`` or a point both ``+`` and ``0``."""
    if len(tables) == 0:
        return
    pad = n % 64
    if pad and (tables[:, :, -1] >> np.uint64(pad)).any():
        raise bad(f"a table has bits beyond its {n} points", where)
    if tables.shape[1] == 2 and (tables[:, 0, :] & tables[:, 1, :]).any():
        raise bad("a table marks a point both + and 0", where)


def check_against_header(spec, store, header, where="prior", group=None):
    """The invariants shared by every form: counts positive, totals and header fields match."""
    from .io import spectrum_json
    from .files import content_digest

    counts = store.counts
    if len(counts) and (min(counts.tolist()) if store.exact else int(counts.min())) < 1:
        raise bad("a count is not a positive integer", where)
    if store.sizes is not None and len(store.sizes):
        if int(store.sizes.min()) < 1 or (group is not None and int(store.sizes.max()) > group.size):
            raise bad(f"a class size is outside 1..{group.size if group else 'the group order'}", where)
    total, covered = spec.total, store.covered()
    if _int(header.get("total", total), "total", where) != total:
        raise bad(f"total is {header['total']} in the header but {total} for the spec", where)
    if covered > total:
        raise bad(f"the counts cover {covered} settings, more than the spec's {total}", where)
    if "covered" in header and _int(header["covered"], "covered", where) != covered:
        raise bad(f"covered is {header['covered']} in the header but the counts add up to {covered}", where)
    for key, value in (("num_functions", store.num_tables()), ("num_classes", len(store) if store.sizes is not None else None)):
        if value is not None and key in header and _int(header[key], key, where) != value:
            raise bad(f"{key} is {header[key]} in the header but the data has {value}", where)
    if "count_spectrum" in header and header["count_spectrum"] != spectrum_json(store.spectrum()):
        raise bad("the header's count_spectrum does not match the counts", where)
    if "method" in header and not isinstance(header["method"], str):
        raise bad("method must be a string", where)
    form = "classes" if store.sizes is not None else "tables"
    if "digest" in header and header["digest"] != content_digest(spec, store, form):
        raise bad("the content digest does not match (the file was changed)", where)


def parse_json_prior(data, where="prior"):
    """(spec, store, method, meta) of a parsed JSON prior, all invariants checked (the parts
    of a :class:`~enumerate.results.prior.FunctionPrior`)."""
    from ..core.cube import pack_tables
    from .io import SCHEMA
    from ..core.spec import NetworkSpec
    from ..core.validate import table_chars
    from .table_store import TableStore, exact_counts

    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        got = data.get("schema") if isinstance(data, dict) else type(data).__name__
        raise SpecError("prior", f"not a {SCHEMA} file (schema {got!r})"[:200])
    try:
        spec = NetworkSpec.from_json(data["spec"])
    except SpecError as exc:
        raise bad(f"bad spec: {exc}", where) from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise bad(f"bad spec: {type(exc).__name__} {exc}"[:200], where) from None
    functions = data.get("functions")
    if not isinstance(functions, list):
        raise bad("functions must be a list", where)
    n, chars = len(spec.domain), set(table_chars(spec.zero_label))
    tables, counts = [], []
    for f in functions:
        if not isinstance(f, dict) or not isinstance(f.get("table"), str):
            raise bad(f"a function entry is not {{'table': str, 'count': int}}: {f!r}"[:200], where)
        t = f["table"]
        if len(t) != n or not set(t) <= chars:
            raise bad(f"table {t[:80]!r} is not {n} characters from {' '.join(sorted(chars))}", where)
        tables.append(t)
        counts.append(_int(f.get("count"), f"the count of {t[:80]!r}", where))
        if counts[-1] < 1:
            raise bad(f"the count of {t[:80]!r} is {counts[-1]}, not a positive integer", where)
    big = spec.total >= 2**63 or any(c >= 2**63 for c in counts)
    packed = pack_tables(tables, spec.zero_label) if tables else TableStore.empty(n, spec.zero_label).tables
    store = TableStore.from_unsorted(packed, exact_counts(counts, big), n)
    if len(store) != len(tables):
        raise bad("a table is listed twice", where)
    check_against_header(spec, store, data, where)
    meta = {k: data[k] for k in ("elapsed_s",) if k in data}
    method = data.get("method", "brute")
    if not isinstance(method, str):
        raise bad("method must be a string", where)
    return spec, store, method, meta

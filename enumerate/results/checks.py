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

__all__ = ["parse_json_prior", "read_json_prior", "check_packed", "check_against_header", "bad"]


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


class _Entries:
    """The ``functions`` of a JSON prior, checked and packed ``CHUNK`` entries at a time.

    Entries arrive as (table, count, entry) from a parsed dict or from a stream; until the
    spec is known (:meth:`bind`) they wait unpacked. Each chunk is checked in bulk; when a
    check fails, the entries are walked one by one to name the first bad one."""

    CHUNK = 1 << 15

    def __init__(self, where):
        self.where, self.spec = where, None
        self.tables, self.counts, self.entries = [], [], []
        self.packed, self.packed_counts = [], []

    def add(self, table, count, entry):
        self.tables.append(table)
        self.counts.append(count)
        self.entries.append(entry)
        if self.spec is not None and len(self.tables) >= self.CHUNK:
            self._flush()

    def bind(self, spec):
        self.spec = spec
        self._flush()

    def _flush(self):
        from ..core.cube import pack_tables
        from ..core.validate import table_chars

        tables, counts = self.tables, self.counts
        if not tables:
            return
        n, chars = len(self.spec.domain), table_chars(self.spec.zero_label)
        packed = None
        if all(type(t) is str for t in tables) and set(map(len, tables)) == {n} and all(type(c) is int for c in counts) \
                and min(counts) >= 1:
            try:
                text = np.frombuffer("".join(tables).encode("ascii"), np.uint8)
            except UnicodeEncodeError:
                text = None
            if text is not None and np.isin(text, np.frombuffer(chars.encode(), np.uint8)).all():
                packed = pack_tables(tables, self.spec.zero_label)
        if packed is None:
            self._name_the_bad_entry(n, set(chars))
        self.packed.append(packed)
        self.packed_counts.append(np.array(counts, np.int64) if max(counts) < 2**63 else counts)
        self.tables, self.counts, self.entries = [], [], []

    def _name_the_bad_entry(self, n, chars):
        where = self.where
        for t, c, f in zip(self.tables, self.counts, self.entries):
            if not isinstance(t, str):
                raise bad(f"a function entry is not {{'table': str, 'count': int}}: {f!r}"[:200], where)
            if len(t) != n or not set(t) <= chars:
                raise bad(f"table {t[:80]!r} is not {n} characters from {' '.join(sorted(chars))}", where)
            _int(c, f"the count of {t[:80]!r}", where)
            if c < 1:
                raise bad(f"the count of {t[:80]!r} is {c}, not a positive integer", where)
        raise AssertionError("a chunk failed its bulk check but no entry is bad")  # pragma: no cover

    def store(self):
        """The :class:`~enumerate.results.table_store.TableStore` of every entry (a table twice is refused)."""
        from .table_store import TableStore, exact_counts

        self._flush()
        n = len(self.spec.domain)
        if not self.packed:
            return TableStore.empty(n, self.spec.zero_label)
        big = self.spec.total >= 2**63 or any(isinstance(c, list) for c in self.packed_counts)
        if big:
            counts = exact_counts([c for part in self.packed_counts for c in list(part)], True)
        else:
            counts = np.concatenate(self.packed_counts)
        num = sum(len(p) for p in self.packed)
        store = TableStore.from_unsorted(np.concatenate(self.packed), counts, n)
        self.packed = self.packed_counts = None
        if len(store) != num:
            raise bad("a table is listed twice", self.where)
        return store


def _spec_of(data, where):
    """The spec of a JSON prior's header, after its schema is checked."""
    from ..core.spec import NetworkSpec
    from .io import SCHEMA

    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        got = data.get("schema") if isinstance(data, dict) else type(data).__name__
        raise SpecError("prior", f"not a {SCHEMA} file (schema {got!r})"[:200])
    try:
        return NetworkSpec.from_json(data["spec"])
    except SpecError as exc:
        raise bad(f"bad spec: {exc}", where) from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise bad(f"bad spec: {type(exc).__name__} {exc}"[:200], where) from None


def _finish(spec, store, header, where):
    """(spec, store, method, meta): the header checked against the store."""
    check_against_header(spec, store, header, where)
    meta = {k: header[k] for k in ("elapsed_s",) if k in header}
    method = header.get("method", "brute")
    if not isinstance(method, str):
        raise bad("method must be a string", where)
    return spec, store, method, meta


def parse_json_prior(data, where="prior"):
    """(spec, store, method, meta) of a parsed JSON prior, all invariants checked (the parts
    of a :class:`~enumerate.results.prior.FunctionPrior`)."""
    spec = _spec_of(data, where)
    functions = data.get("functions")
    if not isinstance(functions, list):
        raise bad("functions must be a list", where)
    entries = _Entries(where)
    entries.bind(spec)
    for f in functions:
        if isinstance(f, dict):
            entries.add(f.get("table"), f.get("count"), f)
        else:
            entries.add(None, None, f)
    return _finish(spec, entries.store(), data, where)


def read_json_prior(fh, where="prior"):
    """:func:`parse_json_prior` of the JSON prior in the binary file ``fh``, streamed: the
    functions are parsed (ijson), checked and packed a chunk at a time, so a file of
    millions of functions is never held as Python objects. The header keys may come in any
    order (a prior written by this package has them before the functions).

    >>> import io, json
    >>> from enumerate import NetworkSpec, count_prior
    >>> text = json.dumps(count_prior(NetworkSpec.parse("fc:1,1", "-1,0,1"), progress=False).to_json())
    >>> spec, store, method, meta = read_json_prior(io.BytesIO(text.encode()))
    >>> store.to_dict()
    {'++': 2, '+-': 1, '-+': 1, '--': 5}
    >>> read_json_prior(io.BytesIO(text.replace('"count": 5', '"count": 5.0').encode()))
    Traceback (most recent call last):
    ...
    enumerate.SpecError: prior: the count of '--' must be an integer, not Decimal('5.0')
    """
    import ijson
    from ijson.common import ObjectBuilder

    events = ijson.basic_parse(fh, use_float=False, buf_size=1 << 20)

    def value(first):
        """The JSON value that starts with the event ``first`` (containers built whole)."""
        ev, val = first
        if ev not in ("start_map", "start_array"):
            return val
        builder, depth = ObjectBuilder(), 0
        while True:
            builder.event(ev, val)
            depth += ev in ("start_map", "start_array")
            depth -= ev in ("end_map", "end_array")
            if depth == 0:
                return builder.value
            ev, val = next(events)

    header, entries, functions = {}, _Entries(where), None
    first = next(events, ("end", None))
    if first[0] != "start_map":
        _spec_of(value(first), where)  # not an object: the one-line schema refusal
    for ev, key in events:
        if ev == "end_map":
            break
        if key != "functions":
            header[key] = value(next(events))
            if entries.spec is None and "schema" in header and "spec" in header:
                entries.bind(_spec_of(header, where))
            continue
        ev, val = next(events)
        if ev != "start_array":
            functions = value((ev, val))  # not a list: refused below, after the schema
            continue
        functions = []
        for ev, val in events:
            if ev == "end_array":
                break
            if ev != "start_map":
                entries.add(None, None, value((ev, val)))
                continue
            table = count = None
            for ev, k in events:
                if ev == "end_map":
                    break
                v = value(next(events))
                if k == "table":
                    table = v
                elif k == "count":
                    count = v
            entries.add(table, count, {"table": table, "count": count})
    spec = _spec_of(header, where)
    if not isinstance(functions, list):
        raise bad("functions must be a list", where)
    if entries.spec is None:
        entries.bind(spec)
    return _finish(spec, entries.store(), header, where)

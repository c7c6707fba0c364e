"""Writing priors: ``.npz`` (packed arrays) and JSON streamed a chunk of tables at a time.

A JSON prior of millions of functions is written without ever holding its text: the
header fields first, then the functions in rank order, one line each. Both forms carry a
``digest`` of their content (:func:`content_digest`), checked again on load.

>>> import json, os, tempfile
>>> from enumerate import NetworkSpec, count_prior
>>> prior = count_prior(NetworkSpec.parse("fc:1,1", "-1,0,1"), progress=False)
>>> path = os.path.join(tempfile.mkdtemp(), "p.json")
>>> prior.save(path)
>>> data = json.load(open(path)); data["functions"][0], data["digest"] == content_digest(prior.spec, prior.store)
({'table': '--', 'count': 5}, True)
"""

from __future__ import annotations

import hashlib
import json

import numpy as np

__all__ = ["content_digest", "save_tables", "write_json_stream", "JSON_CHUNK"]

#: functions formatted per write
JSON_CHUNK = 1 << 15


def content_digest(spec, store, form="tables") -> str:
    """``sha256:...`` of the spec, the form and the arrays (tables in table order, counts as
    64-bit limbs, class sizes): the same for a prior whatever file it was saved to.

    >>> from enumerate import NetworkSpec
    >>> from enumerate.results.table_store import TableStore
    >>> spec = NetworkSpec.parse("fc:1,1", "-1,0,1")
    >>> a = content_digest(spec, TableStore.from_dict({"--": 5, "++": 4}, 2))
    >>> a == content_digest(spec, TableStore.from_dict({"++": 4, "--": 5}, 2)), a[:7]
    (True, 'sha256:')
    >>> a == content_digest(spec, TableStore.from_dict({"++": 4, "--": 4}, 2))
    False
    """
    from .io import count_words

    h = hashlib.sha256()
    h.update(json.dumps({"spec": spec.to_json(), "form": form}, sort_keys=True).encode())
    h.update(np.ascontiguousarray(store.tables, "<u8").tobytes())
    h.update(np.ascontiguousarray(count_words(store.counts), "<u8").tobytes())
    if store.sizes is not None:
        h.update(np.ascontiguousarray(store.sizes, "<i8").tobytes())
    return "sha256:" + h.hexdigest()


def write_json_stream(fh, header, store, rows=None):
    """Write ``header`` plus ``"functions": [...]`` (rows of ``store`` in the order ``rows``)
    to the binary file ``fh``, formatting ``JSON_CHUNK`` functions at a time."""
    fh.write(b"{\n")
    for k, v in header.items():
        fh.write(f" {json.dumps(k)}: {json.dumps(v)},\n".encode())
    fh.write(b' "functions": [')
    rows = np.arange(len(store)) if rows is None else rows
    sep = "\n"
    for lo in range(0, len(rows), JSON_CHUNK):
        part = rows[lo : lo + JSON_CHUNK]
        text = ",\n".join(f'  {{"table": "{t}", "count": {c}}}'
                          for t, c in zip(store.strings(rows=part), store.counts[part].tolist()))
        fh.write((sep + text).encode())
        sep = ",\n"
    fh.write(b"\n ]\n}\n")


def save_tables(prior, path):
    """Save a :class:`~enumerate.results.prior.FunctionPrior` as ``.npz``, Parquet or streamed JSON."""
    from .._support.files import atomic_write
    from .io import NPZ_SCHEMA, write_npz

    store = prior.store
    header = prior.header()
    header["digest"] = content_digest(prior.spec, store)
    if str(path).endswith(".npz"):
        header.update(schema=NPZ_SCHEMA, form="tables")
        return write_npz(path, header, store.tables, store.counts)
    if str(path).endswith(".parquet"):
        from .parquet import write_parquet

        header.update(form="tables")
        return write_parquet(path, header, store)
    atomic_write(path, ".json", lambda fh: write_json_stream(fh, header, store, store.rank_order()))

"""Priors as Parquet files, for pandas, polars and DuckDB (optional: ``pip install qnet-priors[parquet]``).

Schema (``enumerate.prior-parquet/1``): one row per table (function form) or per class
(class form, the canonical representative), in table order:

========== ======================= =====================================================
column     type                    meaning
========== ======================= =====================================================
table      string                  the truth table, one character per domain point
count      int64, or string        settings computing the table (exact; a decimal string
                                   column when a count can reach 2^63)
class_size int64 (class form only) tables in the class
========== ======================= =====================================================

The file's key-value metadata ``qnet_priors`` holds the JSON header of the ``.npz`` form
(spec, form, total, covered, counts spectrum, content digest ...). Loading checks every
invariant the other forms check (:mod:`enumerate.results.checks`). Written a row group of
``ROW_GROUP`` tables at a time, through a temporary file and a rename.

>>> import os, tempfile
>>> from enumerate import FunctionPrior, NetworkSpec, count_prior
>>> prior = count_prior(NetworkSpec.parse("fc:1,1", "-1,0,1"), progress=False)
>>> path = os.path.join(tempfile.mkdtemp(), "p.parquet")
>>> try:
...     import pyarrow                                   # the optional extra
... except ImportError:
...     pyarrow = None
>>> pyarrow is None or (prior.save(path) or FunctionPrior.load(path) == prior)
True
>>> is_parquet(path), is_parquet("p.npz")
(True, False)
"""

from __future__ import annotations

import json
import os

import numpy as np

__all__ = ["PARQUET_SCHEMA", "ROW_GROUP", "write_parquet", "read_parquet", "is_parquet"]

PARQUET_SCHEMA = "enumerate.prior-parquet/1"
#: tables per row group (and per write)
ROW_GROUP = 1 << 16
_META = b"qnet_priors"


def _pyarrow():
    from .._support.errors import SpecError

    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise SpecError("--out", "Parquet files need pyarrow: pip install 'qnet-priors[parquet]'") from None
    return pa, pq


def is_parquet(path) -> bool:
    """True when ``path`` names a Parquet file (by its extension)."""
    return os.fspath(path).endswith(".parquet")


def write_parquet(path, header, store):
    """Write ``store`` (a :class:`~enumerate.results.table_store.TableStore`) with ``header``
    (its JSON header: schema, spec, form, digest ...) as Parquet."""
    from .._support.files import atomic_write

    pa, pq = _pyarrow()
    header = {**header, "schema": PARQUET_SCHEMA}
    fields = [pa.field("table", pa.string(), nullable=False),
              pa.field("count", pa.string() if store.exact else pa.int64(), nullable=False)]
    if store.sizes is not None:
        fields.append(pa.field("class_size", pa.int64(), nullable=False))
    schema = pa.schema(fields, metadata={_META: json.dumps(header).encode()})

    def write(fh):
        with pq.ParquetWriter(fh, schema) as writer:
            for lo in range(0, max(len(store), 1), ROW_GROUP):
                hi = lo + ROW_GROUP
                counts = store.counts[lo:hi]
                cols = [pa.array(store.strings(lo, hi), pa.string()),
                        pa.array([str(c) for c in counts.tolist()], pa.string()) if store.exact
                        else pa.array(counts, pa.int64())]
                if store.sizes is not None:
                    cols.append(pa.array(store.sizes[lo:hi], pa.int64()))
                writer.write_table(pa.Table.from_arrays(cols, schema=schema))

    atomic_write(path, ".parquet", write)


def read_parquet(path):
    """``(header, spec, tables, counts, sizes)`` of a Parquet prior, the tables packed and
    checked (length, labels); counts as int64 or a list of Python ints. The caller checks
    the invariants shared by every form."""
    from ..core.cube import pack_tables
    from ..core.spec import NetworkSpec
    from .io import bad_file

    pa, pq = _pyarrow()
    import pyarrow.compute as pc

    try:
        pf = pq.ParquetFile(path)
        meta = pf.schema_arrow.metadata or {}
        header = json.loads(meta[_META].decode())
        data = pf.read()
    except Exception as exc:  # a damaged file fails anywhere in thrift, pages or JSON: one line
        why = str(exc).splitlines()[0] if str(exc) else ""
        raise bad_file(path, f"unreadable Parquet: {type(exc).__name__}: {why}"[:300]) from None
    if not isinstance(header, dict) or header.get("schema") != PARQUET_SCHEMA:
        raise bad_file(path, f"schema is not {PARQUET_SCHEMA}")
    try:
        spec = NetworkSpec.from_json(header["spec"])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise bad_file(path, f"bad spec: {exc}"[:300]) from None
    form = header.get("form")
    want = ["table", "count"] + (["class_size"] if form == "classes" else [])
    if form not in ("tables", "classes") or data.column_names != want:
        raise bad_file(path, f"columns must be {want} for form {form!r}")
    n = len(spec.domain)
    table = data.column("table")
    if table.type != pa.string() or table.null_count:
        raise bad_file(path, "column table must hold strings")
    labels = "+\\-0" if spec.zero_label == "0" else "+\\-"
    if len(table) and not (pc.all(pc.equal(pc.utf8_length(table), n)).as_py()
                           and pc.all(pc.match_substring_regex(table, f"^[{labels}]*$")).as_py()):
        raise bad_file(path, f"a table is not {n} characters of {labels.replace(chr(92), '')}")
    tables = np.zeros((len(table), 2 if spec.zero_label == "0" else 1, (n + 63) // 64), np.uint64)
    for lo in range(0, len(table), ROW_GROUP):  # packed a row group at a time: no list of every string
        tables[lo : lo + ROW_GROUP] = pack_tables(table.slice(lo, ROW_GROUP).to_pylist(), spec.zero_label)
    count = data.column("count")
    if count.null_count:
        raise bad_file(path, "a count is missing")
    if count.type == pa.int64():
        counts = count.to_numpy()
    elif count.type == pa.string():
        if len(count) and not pc.all(pc.match_substring_regex(count, "^[1-9][0-9]*$")).as_py():
            raise bad_file(path, "a count is not a positive decimal integer")
        counts = [int(c) for c in count.to_pylist()]
    else:
        raise bad_file(path, "column count must be int64 or decimal strings")
    sizes = None
    if form == "classes":
        col = data.column("class_size")
        if col.type != pa.int64() or col.null_count:
            raise bad_file(path, "column class_size must be int64")
        sizes = col.to_numpy()
    return header, spec, tables, counts, sizes

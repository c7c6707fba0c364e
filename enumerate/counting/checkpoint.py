"""Checkpoints of long counts: written atomically, used only after they prove themselves.

One format for every resumable run (in-process brute force, Dask shards and blocks): a JSON
object with the ``schema``, the ``spec``, the run's own ``progress`` (which steps or shards
are done), the partial ``counts`` and a ``digest`` (SHA-256 of the rest). Counts given as a
columnar :class:`~enumerate.results.table_store.TableStore` (millions of tables) are written
as an ``.npz`` instead: the same fields in a JSON ``header`` whose ``content`` is the digest
of the arrays (:func:`~enumerate.results.files.content_digest`). :func:`load_checkpoint`
applies one rule to both, and refuses, in one line that says how to start over, a file that

* is not JSON, has another schema, or was written for another spec;
* does not match its digest (an edited or damaged file);
* holds a count that is not a positive integer, or a table that is not a valid table
  of the spec's domain (packed tables: also not sorted and distinct);
* has counts that do not add up to exactly the settings its progress covers (the caller's
  ``covered(progress)`` says how many; it raises ``ValueError`` for an impossible progress).

>>> import os, tempfile
>>> from enumerate import NetworkSpec
>>> spec = NetworkSpec.parse("fc:1,1", "-1,0,1")
>>> path = os.path.join(tempfile.mkdtemp(), "ck.json")
>>> save_checkpoint(path, "demo/1", spec, {"done": 1}, {"--": 5, "++": 2, "+-": 1, "-+": 1})
>>> load_checkpoint(path, "demo/1", spec, lambda progress: 9 * progress["done"])  # tables in table order
({'done': 1}, {'++': 2, '+-': 1, '-+': 1, '--': 5})
>>> save_checkpoint(path, "demo/1", spec, {"done": 1}, {"--": 6, "++": 2, "+-": 1, "-+": 1})
>>> load_checkpoint(path, "demo/1", spec, lambda progress: 9 * progress["done"])  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
enumerate.SpecError: checkpoint: ... is inconsistent (its counts cover 10 settings, its progress 9); delete ... to start over
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys

import numpy as np

from .._support.errors import SpecError
from .._support.files import atomic_write, atomic_write_npz, write_output
from ..core.validate import check_table
from ..results.checks import check_packed
from ..results.files import content_digest
from ..results.io import count_words, words_count
from ..results.table_store import TableStore, exact_counts

__all__ = ["save_checkpoint", "load_checkpoint", "digest", "remove_checkpoint", "removed_after_success"]

_DEFERRED = []  # the lists of checkpoints to remove once the caller's result is safe (innermost last)


def digest(body) -> str:
    """SHA-256 of the canonical JSON of ``body`` (sorted keys, no spaces).

    >>> digest({"b": 1, "a": [2]}) == digest({"a": [2], "b": 1})
    True
    """
    return hashlib.sha256(_canonical(body).encode()).hexdigest()


def save_checkpoint(path, schema, spec, progress, counts, *, columnar=False):
    """Write a checkpoint atomically: ``progress`` (JSON data) and ``counts`` ({table: int} or a
    :class:`~enumerate.results.table_store.TableStore`).

    By default the file is the canonical JSON of the body, streamed a chunk of tables at a
    time and hashed as it is written, with the digest last; ``columnar=True`` writes an
    ``.npz`` (packed tables and exact count words, the header's ``content`` the arrays' digest),
    for the millions of classes of a class count.
    """
    if not isinstance(counts, TableStore):
        counts = TableStore.from_dict(counts, len(spec.domain), spec.zero_label)
    if columnar:
        body = {"schema": schema, "spec": spec.to_json(), "progress": progress, "content": content_digest(spec, counts)}
        body = json.loads(json.dumps(body))
        arrays = {"header": np.array(json.dumps({**body, "digest": digest(body)})), "tables": counts.tables,
                  "counts": count_words(counts.counts)}
        write_output(lambda p: atomic_write_npz(p, arrays), path, "--checkpoint")
        return
    rest = json.loads(json.dumps({"progress": progress, "schema": schema, "spec": spec.to_json()}))
    tail = _canonical(rest)[1:]  # '"progress":...,"schema":...,"spec":...}'

    def write(fh):
        h = hashlib.sha256()

        def put(text):
            data = text.encode()
            h.update(data)
            fh.write(data)

        put('{"counts":{')
        for lo in range(0, len(counts), CHUNK):
            sep = "," if lo else ""
            put(sep + ",".join(f'"{t}":{c}' for t, c in zip(counts.strings(lo, lo + CHUNK),
                                                            counts.counts[lo : lo + CHUNK].tolist())))
        put("}," + tail[:-1])
        h.update(b"}")  # the canonical body ends here; the digest follows it in the file
        fh.write(f',"digest":"{h.hexdigest()}"}}'.encode())

    write_output(lambda p: atomic_write(p, ".json", write), path, "--checkpoint")


#: tables written per chunk of a checkpoint
CHUNK = 1 << 16


def _canonical(body) -> str:
    return json.dumps(body, sort_keys=True, separators=(",", ":"))


def _read_npz(path, spec, refuse):
    """(header, store) of a columnar checkpoint; the arrays' types and shapes checked."""
    try:
        with np.load(path, allow_pickle=False) as z:
            data = json.loads(str(z["header"]))
            tables, words = z["tables"], z["counts"]
    except Exception as exc:  # a damaged file fails anywhere in zip, zlib or the .npy header: one line
        why = str(exc).splitlines()[0][:80] if str(exc) else ""
        raise refuse(f"is truncated or not a checkpoint ({type(exc).__name__}: {why})") from None
    n = len(spec.domain)
    shape = (2 if spec.zero_label == "0" else 1, (n + 63) // 64)
    if tables.dtype != np.uint64 or tables.ndim != 3 or words.dtype != np.uint64 or words.ndim != 2 \
            or len(words) != len(tables) or words.shape[1] < 1 or (len(tables) and tables.shape[1:] != shape):
        raise refuse("holds tables or counts of the wrong type or shape")
    counts = words_count(words)
    return data, TableStore(tables, exact_counts(counts, not isinstance(counts, np.ndarray)), n)


def _covered_store(store, refuse) -> int:
    """The settings a columnar checkpoint's counts cover, once its tables and counts are valid."""
    from ..results._store_kernels import order_state  # numba: loaded when a columnar checkpoint is read
    if len(store) and (min(store.counts.tolist()) if store.exact else int(store.counts.min())) < 1:
        raise refuse("holds a count that is not a positive integer")
    try:
        check_packed(store.tables, store.n, "it")
    except SpecError:
        raise refuse(f"holds a table that is not a table of the {store.n}-point domain") from None
    if len(store) and order_state(store.tables) != 1:
        raise refuse("holds tables that are not sorted and distinct")
    return store.covered()


def load_checkpoint(path, schema, spec, covered, other_schemas=None):
    """``(progress, counts)`` of a checkpoint that holds every invariant, else a one-line
    :class:`~enumerate.SpecError` naming ``--checkpoint``. ``counts`` is a dict, or a
    :class:`~enumerate.results.table_store.TableStore` for a columnar (``.npz``) checkpoint.

    Parameters
    ----------
    path : str
    schema : str
        The schema this run writes.
    spec : NetworkSpec
    covered : callable
        ``covered(progress) -> int``: the settings a valid progress has counted; raises
        ``ValueError`` (or ``KeyError``/``TypeError``) for a progress this run cannot resume.
    other_schemas : dict, optional
        ``{schema: reason}`` for files of a related run (named in the refusal).
    """
    how = f"delete {path} to start over"

    def refuse(why):
        return SpecError("--checkpoint", f"{path} {why}; {how}")

    try:
        with open(path, "rb") as fh:
            raw = fh.read()
        columnar = raw[:4] == b"PK\x03\x04"  # an .npz (zip) file
        if not columnar:
            data = json.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise refuse(f"is truncated or not a checkpoint ({str(exc).splitlines()[0][:80]})") from None
    del raw
    if columnar:
        data, counts = _read_npz(path, spec, refuse)
    if not isinstance(data, dict):
        raise refuse("is not a checkpoint")
    if data.get("schema") in (other_schemas or {}):
        raise refuse(other_schemas[data["schema"]])
    if data.get("schema") != schema:
        raise refuse(f"is not a {schema} checkpoint")
    body = {k: v for k, v in data.items() if k != "digest"}
    if data.get("digest") != digest(body):
        raise refuse("does not match its digest (edited or damaged)")
    if data.get("spec") != json.loads(json.dumps(spec.to_json())):
        raise refuse("was written for another network specification")
    if columnar and data.get("content") != content_digest(spec, counts):  # the arrays' digest
        raise refuse("does not match its digest (edited or damaged)")
    if columnar:
        total = _covered_store(counts, refuse)
    else:
        counts, n = data.get("counts"), len(spec.domain)
        if not isinstance(counts, dict):
            raise refuse("has no counts")
        for table, count in counts.items():
            if isinstance(count, bool) or not isinstance(count, int) or count < 1:  # a run saves no zero counts
                raise refuse(f"holds a count {str(count)[:40]!r} that is not a positive integer")
            try:
                check_table(table, n, spec.zero_label)
            except SpecError:
                raise refuse(f"holds {table[:40]!r}, not a table of the {n}-point domain") from None
        total = sum(counts.values())
    try:
        expected = covered(data.get("progress"))
    except (ValueError, KeyError, TypeError) as exc:
        raise refuse(f"cannot be resumed by this run ({exc})") from None
    if total != expected:
        raise refuse(f"is inconsistent (its counts cover {total} settings, its progress {expected})")
    return data["progress"], counts


def remove_checkpoint(path) -> bool:
    """Delete the checkpoint of a finished run (or, inside :func:`removed_after_success`,
    once the caller's block has succeeded). A file that cannot be deleted is a one-line
    warning on stderr, never an error: the result is complete. True if the file is gone.

    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> remove_checkpoint(os.path.join(folder, "none.json"))
    True
    >>> remove_checkpoint(folder)  # a folder cannot be unlinked: a warning on stderr
    False
    """
    if _DEFERRED:
        _DEFERRED[-1].append(path)
        return True
    try:
        os.unlink(path)
    except FileNotFoundError:
        return True
    except OSError as exc:
        print(f"warning: --checkpoint: cannot delete {os.fspath(path)!r} ({exc.strerror or exc}); the run is "
              "complete; delete it by hand", file=sys.stderr)
        return False
    return True


@contextlib.contextmanager
def removed_after_success():
    """Keep the checkpoints that finished runs remove inside the block until the block
    succeeds (the command line writes ``--out`` first): a crash before the result is
    safe keeps the checkpoint to resume from.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "ck.json")
    >>> open(path, "w").close()
    >>> with removed_after_success():
    ...     _ = remove_checkpoint(path)
    ...     print(os.path.exists(path))
    True
    >>> os.path.exists(path)
    False
    """
    pending = []
    _DEFERRED.append(pending)
    try:
        yield
    finally:
        _DEFERRED.remove(pending)
    for path in pending:
        remove_checkpoint(path)

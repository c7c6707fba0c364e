"""Checkpoints of long counts: written atomically, used only after they prove themselves.

One format for every resumable run (in-process brute force, Dask shards): a JSON object
with the ``schema``, the ``spec``, the run's own ``progress`` (which steps or shards are
done), the partial ``counts`` and a ``digest`` (SHA-256 of the rest). :func:`load_checkpoint`
refuses, in one line that says how to start over, a file that

* is not JSON, has another schema, or was written for another spec;
* does not match its digest (an edited or damaged file);
* holds a count that is not a positive integer, or a table that is not a valid table
  of the spec's domain;
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

from .._support.errors import SpecError
from .._support.files import atomic_write
from ..core.validate import check_table
from ..results.table_store import TableStore

__all__ = ["save_checkpoint", "load_checkpoint", "digest", "remove_checkpoint", "removed_after_success"]

_DEFERRED = []  # the lists of checkpoints to remove once the caller's result is safe (innermost last)


def digest(body) -> str:
    """SHA-256 of the canonical JSON of ``body`` (sorted keys, no spaces).

    >>> digest({"b": 1, "a": [2]}) == digest({"a": [2], "b": 1})
    True
    """
    return hashlib.sha256(_canonical(body).encode()).hexdigest()


def save_checkpoint(path, schema, spec, progress, counts):
    """Write a checkpoint atomically: ``progress`` (JSON data) and ``counts`` ({table: int}
    or a :class:`~enumerate.results.table_store.TableStore`, streamed a chunk of tables at
    a time: the file is the canonical JSON of the body, hashed as it is written, with the
    digest last)."""
    if not isinstance(counts, TableStore):
        counts = TableStore.from_dict(counts, len(spec.domain), spec.zero_label)
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

    try:
        atomic_write(path, ".json", write)
    except OSError as exc:
        raise SpecError("--checkpoint", f"cannot write {os.fspath(path)!r} ({exc.strerror or exc})") from None


#: tables written per chunk of a checkpoint
CHUNK = 1 << 16


def _canonical(body) -> str:
    return json.dumps(body, sort_keys=True, separators=(",", ":"))


def load_checkpoint(path, schema, spec, covered, other_schemas=None):
    """``(progress, counts)`` of a checkpoint that holds every invariant, else a one-line
    :class:`~enumerate.SpecError` naming ``--checkpoint``.

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
            data = json.loads(fh.read().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise refuse(f"is truncated or not a checkpoint ({str(exc).splitlines()[0][:80]})") from None
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
    try:
        expected = covered(data.get("progress"))
    except (ValueError, KeyError, TypeError) as exc:
        raise refuse(f"cannot be resumed by this run ({exc})") from None
    if sum(counts.values()) != expected:
        raise refuse(f"is inconsistent (its counts cover {sum(counts.values())} settings, its progress {expected})")
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

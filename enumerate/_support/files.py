"""Writing files: never half-written, and failures reported as one line naming the argument.

* :func:`check_writable` refuses, before any work, a path that cannot be written;
* :func:`atomic_write` / :func:`atomic_write_json` write a temporary file beside the
  target and rename it; a symbolic link is written through (its target is replaced, the
  link stays a link);
* :func:`write_output` / :func:`write_json` report a late failure as a one-line
  :class:`~enumerate.SpecError` naming the argument (``--out``, ``--checkpoint``).

>>> import json, os, tempfile
>>> path = os.path.join(tempfile.mkdtemp(), "x.json")
>>> write_json(path, {"a": 1})
>>> json.load(open(path))
{'a': 1}
"""

from __future__ import annotations

import json
import os
import tempfile

from .errors import SpecError

__all__ = ["target", "check_writable", "atomic_write", "atomic_write_json", "atomic_write_npz", "write_output", "write_json"]


def check_writable(path, argument):
    """Refuse, before any work, a file path that cannot be written: its folder must exist
    and accept a new file (tested by creating and removing one), and the path must not
    be a directory or a special file.

    >>> check_writable("/nonexistent-folder/x.json", "--out")
    Traceback (most recent call last):
    ...
    enumerate.SpecError: out: directory '/nonexistent-folder' does not exist
    """
    if path is None:
        return
    path = os.fspath(path)
    if not path.strip():
        raise SpecError(argument, "empty file name")
    if os.path.islink(path) and not os.path.exists(path):  # written through: its target's folder must exist
        linked = os.path.join(os.path.dirname(os.path.abspath(path)), os.readlink(path))
        if not os.path.isdir(os.path.dirname(os.path.abspath(linked))):
            raise SpecError(argument, f"{path!r} is a link to {os.readlink(path)!r}, whose directory does not exist")
    path = target(path)
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise SpecError(argument, f"directory {folder!r} does not exist")
    if os.path.isdir(path):
        raise SpecError(argument, f"{path!r} is a directory; give a file name")
    if os.path.exists(path) and not os.path.isfile(path):
        raise SpecError(argument, f"{path!r} is not a regular file")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    except OSError as exc:
        raise SpecError(argument, f"cannot write in {folder!r} ({exc.strerror or exc})") from None
    os.close(fd)
    os.unlink(tmp)


def target(path) -> str:
    """The file a write to ``path`` changes: ``path`` itself, or the file a symbolic link
    (or a chain of them) points to.

    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> os.symlink("real.json", os.path.join(folder, "link.json"))
    >>> target(os.path.join(folder, "link.json")) == os.path.join(os.path.realpath(folder), "real.json")
    True
    """
    path = os.fspath(path)
    return os.path.realpath(path) if os.path.islink(path) else path


def atomic_write(path, suffix, write):
    """Call ``write(fh)`` on a temporary binary file next to ``path``, then rename it to
    ``path``: the file is never half-written. A symbolic link is written through: its
    target gets the new content and the link stays."""
    path = target(path)
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=suffix)
    except OSError as exc:  # name the file asked for, not the temporary one
        raise type(exc)(exc.errno, exc.strerror, path) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the usual mode
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def atomic_write_json(path, data):
    """Write JSON to ``path`` via a temporary file and a rename: never half-written."""
    atomic_write(path, ".json", lambda fh: fh.write((json.dumps(data, indent=1) + "\n").encode()))


def atomic_write_npz(path, arrays):
    """Write a compressed ``.npz`` of ``arrays`` via a temporary file and a rename
    (deflate level 1: packed tables hardly compress further, and level 6 took 3 s per 100 MB)."""
    import zipfile

    import numpy as np

    def write(fh):
        with zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            for name, arr in arrays.items():
                with zf.open(name + ".npy", "w", force_zip64=True) as member:
                    np.lib.format.write_array(member, np.asanyarray(arr), allow_pickle=False)

    atomic_write(path, ".npz", write)


def write_output(save, path, argument="--out"):
    """``save(path)``, with a failure to write reported as one line naming ``argument``."""
    try:
        save(path)
    except OSError as exc:
        raise SpecError(argument, f"cannot write {os.fspath(path)!r} ({exc.strerror or exc})") from None


def write_json(path, data, argument="--out"):
    """:func:`atomic_write_json` through :func:`write_output`."""
    write_output(lambda p: atomic_write_json(p, data), path, argument)

"""Command-line plumbing shared by ``python -m enumerate`` and ``python -m proofs``.

Every command is a function ``main(argv) -> exit code`` built from these pieces:

* :class:`ArgParser` turns every argparse complaint into a :class:`UsageError` that names
  the argument (``--top: invalid int value: 'x'``), and ``--help`` into exit code 0;
* :func:`run_command` parses, runs the handler and turns bad input into ONE line
  ``PROG: error: ARGUMENT: what is allowed`` on stderr with exit code 2, and Ctrl-C into
  one line with exit code 130;
* :func:`check_out` / :func:`check_writable` refuse an output path before any work,
  :func:`write_json` writes atomically (never a partial file) and reports a late failure
  as one line, too.

>>> p = ArgParser(prog="demo")
>>> _ = p.add_argument("--top", type=int_at_least(0), default=3)
>>> run_command("demo", p, lambda args: print(args.top) or 0, ["--top", "5"])
5
0
>>> try:
...     p.parse_args(["--top=-5"])
... except UsageError as exc:
...     print(exc)
--top: must be an integer >= 0, got '-5'
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time

from .._support.errors import SpecError

__all__ = ["UsageError", "ArgParser", "glue_dash_values", "run_command", "int_at_least", "check_out",
           "check_writable", "atomic_write", "atomic_write_json", "write_json", "write_output", "DASH_VALUE_OPTIONS"]


class UsageError(SpecError):
    """A malformed command line (unknown option, missing or malformed value)."""


class _Exit(Exception):
    def __init__(self, status):
        self.status = status


_REQUIRED = re.compile(r"the following arguments are required: (.*)")
_ARGUMENT = re.compile(r"argument ([^:]+): (.*)")
_UNRECOGNIZED = re.compile(r"unrecognized arguments: (\S*)")
_AMBIGUOUS = re.compile(r"ambiguous option: (\S+?)(=\S*)? (could match .*)")


def _usage_error(message) -> UsageError:
    """argparse's message as ``ARGUMENT: problem`` (the argument first, as everywhere)."""
    if m := _REQUIRED.match(message):
        names = [n.strip() for n in m.group(1).split(",")]
        also = f" (also missing: {', '.join(names[1:])})" if len(names) > 1 else ""
        return UsageError(names[0].split("/")[0], f"is required{also}; see --help")
    if m := _ARGUMENT.match(message):
        return UsageError(m.group(1).split("/")[0], m.group(2))
    if m := _UNRECOGNIZED.match(message):
        return UsageError(m.group(1)[:60], "unrecognized argument; see --help for the allowed ones")
    if m := _AMBIGUOUS.match(message):
        return UsageError(m.group(1), m.group(3))
    return UsageError("usage", message)


class ArgParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors raise :class:`UsageError` (one line, exit 2)
    and whose ``--help`` returns from :func:`run_command` with exit code 0."""

    def error(self, message):
        raise _usage_error(message)

    def exit(self, status=0, message=None):
        if message:
            print(message, file=sys.stderr, end="")
        raise _Exit(status)


def int_at_least(lo):
    """An argparse ``type``: an integer >= ``lo``, or a one-line error naming the bound.

    >>> int_at_least(1)("3")
    3
    """

    def parse(text):
        try:
            v = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be an integer >= {lo}, got {text[:40]!r}") from None
        if v < lo:
            raise argparse.ArgumentTypeError(f"must be an integer >= {lo}, got {text[:40]!r}")
        return v

    parse.__name__ = f"integer >= {lo}"
    return parse


#: options whose values may start with "-" (Q like -1,0,1, tables like -++-, parameters)
DASH_VALUE_OPTIONS = ("--q", "--scale-q", "--teacher-params", "--teacher-table", "--table", "--zero-label")


def glue_dash_values(argv):
    """Rewrite ``--q -1,0,1`` as ``--q=-1,0,1`` so argparse does not take the value for an option.

    >>> glue_dash_values(["--q", "-1,0,1", "--arch", "fc:1,1"])
    ['--q=-1,0,1', '--arch', 'fc:1,1']
    """
    out, i = [], 0
    while i < len(argv):
        if argv[i] in DASH_VALUE_OPTIONS and i + 1 < len(argv):
            out.append(f"{argv[i]}={argv[i + 1]}")
            i += 2
        else:
            out.append(argv[i])
            i += 1
    return out


def run_command(prog, parser, handler, argv):
    """Parse ``argv`` and run ``handler(args)``.

    Returns the handler's exit code; bad input (:class:`SpecError`) prints one line
    ``PROG: error: ARGUMENT: ...`` on stderr and returns 2; Ctrl-C prints one line and
    returns 130 (naming the checkpoint, if one was saved).
    """
    t0 = time.perf_counter()
    args = None
    try:
        args = parser.parse_args(glue_dash_values([str(a) for a in argv]))
        return handler(args)
    except _Exit as exc:
        return exc.status
    except SpecError as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        ckpt = getattr(args, "checkpoint", None)
        saved = f"; progress saved in {ckpt}: run the same command to resume" if ckpt and os.path.exists(ckpt) else ""
        print(f"{prog}: interrupted after {time.perf_counter() - t0:.1f} s{saved}", file=sys.stderr)
        return 130


def check_writable(path, argument):
    """Refuse, before any work, a file path that cannot be written: its folder must exist
    and accept a new file (tested by creating and removing one), and the path must not
    be a directory or a special file.

    >>> check_writable("/nonexistent-folder/x.json", "--out")
    Traceback (most recent call last):
    ...
    enumerate.core.spec.SpecError: --out: directory '/nonexistent-folder' does not exist
    """
    if path is None:
        return
    path = os.fspath(path)
    if not path.strip():
        raise SpecError(argument, "empty file name")
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


def check_out(path):
    """:func:`check_writable` for ``--out``."""
    check_writable(path, "--out")


def atomic_write(path, suffix, write):
    """Call ``write(fh)`` on a temporary binary file next to ``path``, then rename it to
    ``path``: the file is never half-written."""
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=suffix)
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


def write_output(save, path, argument="--out"):
    """``save(path)``, with a failure to write reported as one line naming ``argument``."""
    try:
        save(path)
    except OSError as exc:
        raise SpecError(argument, f"cannot write {os.fspath(path)!r} ({exc.strerror or exc})") from None


def write_json(path, data, argument="--out"):
    """:func:`atomic_write_json` through :func:`write_output`."""
    write_output(lambda p: atomic_write_json(p, data), path, argument)

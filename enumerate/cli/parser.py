"""Command-line plumbing shared by ``python -m enumerate`` and ``python -m proofs``.

Every command is a function ``main(argv) -> exit code`` built from these pieces:

* :class:`ArgParser` turns every argparse complaint into a :class:`UsageError` that names
  the argument (``--top: invalid int value: 'x'``), and ``--help`` into exit code 0;
* :func:`run_command` parses, runs the handler and turns bad input into ONE line
  ``PROG: error: ARGUMENT: what is allowed`` on stderr with exit code 2, and Ctrl-C into
  one line with exit code 130;
* :func:`check_out` refuses an output path before any work (files are written by
  :mod:`enumerate._support.files`: atomically, a late failure reported as one line).

>>> p = ArgParser(prog="demo")
>>> _ = p.add_argument("--top", type=int_at_least(0), default=3)
>>> run_command("demo", p, lambda args: print(args.top) or 0, ["--top", "5"])
5
0
>>> try:
...     p.parse_args(["--top=-5"])
... except UsageError as exc:
...     print(exc.cli())
--top: must be an integer >= 0, got '-5'
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
import time

from .._support.errors import SpecError
from .._support.files import check_writable

__all__ = ["UsageError", "ArgParser", "glue_dash_values", "run_command", "int_at_least", "check_out",
           "command_module", "add_commands", "DASH_VALUE_OPTIONS", "fit_advice"]


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
        print(f"{prog}: error: {fit_advice(exc, _command_parser(parser, args)).cli()}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        ckpt = getattr(args, "checkpoint", None)
        saved = f"; progress saved in {ckpt}: run the same command to resume" if ckpt and os.path.exists(ckpt) else ""
        print(f"{prog}: interrupted after {time.perf_counter() - t0:.1f} s{saved}", file=sys.stderr)
        return 130


def _command_parser(parser, args):
    """The parser of the command that ran (a subcommand's own parser, which has its options)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and getattr(args, "command", None) in action.choices:
            return action.choices[args.command]
    return parser


_FORCE = re.compile(r"; pass --force to run it$")
_METHOD = re.compile(r"; use --method \w+$")


def fit_advice(exc, parser) -> SpecError:
    """``exc`` as this command can act on it: advice naming an option the command lacks
    (``pass --force`` on a command without ``--force``, ``use --method fast`` without
    ``--method``) becomes what the user can change instead.

    >>> p = ArgParser(prog="demo")
    >>> _ = p.add_argument("--arch")
    >>> print(fit_advice(SpecError("--force", "fc:9,9,1 is above the budget; pass --force to run it"), p).cli())
    --arch: fc:9,9,1 is above the budget; this command has no --force: choose a smaller network
    """
    options = {opt for action in parser._actions for opt in action.option_strings}
    message, argument = exc.message, exc.argument
    if "--force" not in options and _FORCE.search(message):
        message = _FORCE.sub("; this command has no --force: choose a smaller network", message)
        argument = "--arch" if argument == "--force" else argument
    if "--method" not in options and _METHOD.search(message):
        message = _METHOD.sub("; this command has no --method: choose a smaller network", message)
    if "--method" not in options and argument == "--method":
        argument = "--arch"
    if (message, argument) == (exc.message, exc.argument):
        return exc
    return SpecError(argument, message)


def check_out(path):
    """:func:`check_writable` for ``--out``."""
    check_writable(path, "--out")


def command_module(package, table, name):
    """The module of command ``name`` in a command table (``{name: module of package}``);
    it defines ``HELP``, ``add_arguments(parser)`` and ``run(args) -> exit code``."""
    return importlib.import_module(f"{package}.{table[name]}")


def add_commands(parser, package, table):
    """One subparser per command of ``table`` (``args.run`` is the command's ``run``;
    ``args.command`` its name, ``None`` when none was given)."""
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=ArgParser)
    for name in table:
        mod = command_module(package, table, name)
        cmd = sub.add_parser(name, help=mod.HELP, description=mod.HELP)
        mod.add_arguments(cmd)
        cmd.set_defaults(run=mod.run)
    return sub

"""Command line: ``python -m enumerate {prior,teacher,curve,simplicity,demo}``.

Every command is testable in-process: ``main(argv) -> exit code``. Bad input prints one
line ``python -m enumerate: error: ARGUMENT: what is allowed`` to stderr and returns 2,
and no output file is written (results are written atomically, after the work).

Each command is a module of this package with ``HELP``, ``add_arguments(parser)`` and
``run(args) -> exit code``, listed once in :data:`COMMANDS` (loaded when the parser is built).

>>> main(["demo", "--help"]) == 0  # doctest: +ELLIPSIS
usage: python -m enumerate demo ...
True
"""

from __future__ import annotations

import sys

from .parser import ArgParser, UsageError, add_commands, run_command

__all__ = ["main", "run", "build_parser", "COMMANDS", "PROG"]

PROG = "python -m enumerate"

#: command name -> module of this package that defines it (the one command table)
COMMANDS = {
    "prior": "prior",
    "teacher": "teacher",
    "curve": "curve",
    "simplicity": "simplicity",
    "demo": "demo",
}


def build_parser():
    """The argparse parser of every command (one subparser per entry of :data:`COMMANDS`)."""
    p = ArgParser(prog=PROG, description="Exact priors over functions of tiny quantized networks.")
    add_commands(p, __name__, COMMANDS)
    return p


def _dispatch(args):
    if args.command is None:
        raise UsageError("usage", f"a COMMAND is required: {', '.join(COMMANDS)}")
    return args.run(args)


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    return run_command(PROG, build_parser(), _dispatch, argv)


def run():
    sys.exit(main())

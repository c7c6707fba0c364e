"""Helpers shared by the tests of several rooms."""

import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[1]
#: a small network for command-line tests
SMALL = ["--arch", "fc:2,2,1", "--q=-1,0,1"]


def one_line_error(capsys, argument):
    """The one line ``python -m enumerate`` printed for bad ``argument`` (asserted to be one line)."""
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and err.startswith("python -m enumerate: error: " + argument), err
    return err

"""``--out`` and every other written file: a symbolic link is written through (its target
gets the content, the link stays), atomically."""

import json
import os

from enumerate._support.files import atomic_write_json, check_writable, target
from enumerate.cli import main
from tests.helpers import SMALL


def test_out_writes_through_a_symlink(tmp_path, capsys):
    real = tmp_path / "data" / "prior.json"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "latest.json"
    link.symlink_to(os.path.relpath(real, tmp_path))
    assert main(["prior", *SMALL, "--quiet", "--out", str(link)]) == 0
    assert link.is_symlink() and os.readlink(link) == os.path.relpath(real, tmp_path)  # still the same link
    assert json.loads(real.read_text())["total"] == 3**9
    assert sorted(p.name for p in real.parent.iterdir()) == ["prior.json"]  # no temporary file left beside it


def test_a_chain_of_links_and_a_dangling_link_are_written_through(tmp_path):
    real = tmp_path / "real.json"
    (tmp_path / "b.json").symlink_to("real.json")  # dangling: real.json does not exist yet
    (tmp_path / "a.json").symlink_to("b.json")
    assert target(tmp_path / "a.json") == os.path.realpath(real)
    check_writable(str(tmp_path / "a.json"), "--out")
    atomic_write_json(tmp_path / "a.json", {"x": 1})
    assert json.loads(real.read_text()) == {"x": 1} and (tmp_path / "a.json").is_symlink()
    atomic_write_json(tmp_path / "plain.json", {"y": 2})  # a plain path is written as before
    assert not (tmp_path / "plain.json").is_symlink()

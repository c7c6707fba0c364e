"""The reference docs stand alone: no pointers outside the repository, a license matching
pyproject, an API reference over every public module, docstring bars rendered as text."""

import importlib.util
import pathlib
import re
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUTSIDE = re.compile(r"design\.md|design section|\.\./shared|seeds/|the slides|slides'|blog post", re.I)


def _conf():
    spec = importlib.util.spec_from_file_location("docs_conf", ROOT / "docs" / "conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    return conf


def _texts():
    files = [ROOT / "README.md", ROOT / "CHANGELOG.md", *(ROOT / "docs").glob("*.md")]
    for package in ("enumerate", "proofs"):
        files += (ROOT / package).rglob("*.py")
    return {f.relative_to(ROOT): f.read_text() for f in files}


def test_no_pointer_outside_the_repository():
    hits = [f"{path}: {m.group()}" for path, text in _texts().items() for m in OUTSIDE.finditer(text)]
    assert not hits, "docs or docstrings point outside the repository:\n" + "\n".join(hits)


def test_the_pointer_check_can_fail():
    assert OUTSIDE.search("see design.md section 3") and OUTSIDE.search("the slides' lemma")
    assert not OUTSIDE.search("fixed seeds make the sampler reproducible")


def test_license_file_matches_pyproject():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["license"]
    assert declared == "BSD-3-Clause"
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("BSD 3-Clause License")
    assert "Neither the name of the copyright holder" in text  # the third clause


def test_api_reference_lists_the_public_modules():
    modules = _conf().api_modules()
    assert {"enumerate", "proofs", "proofs.sat"} <= set(modules)
    for name in modules:
        module = importlib.import_module(name)
        missing = [n for n in getattr(module, "__all__", ()) if not hasattr(module, n)]
        assert not missing, f"{name}.__all__ names what the module does not define: {missing}"


def test_docstring_bars_become_text_outside_literals_and_doctests():
    lines = ["``|Q|^P`` settings, |Q|^P of them, :func:`a|b`", "", "Example::", "",
             "    |kept|", "back to |prose|", ">>> 1 | 2", "3", "", "|Aut| after"]
    _conf()._plain_bars(None, "function", "f", None, {}, lines)
    assert lines == [r"``|Q|^P`` settings, \|Q\|^P of them, :func:`a|b`", "", "Example::", "",
                     "    |kept|", r"back to \|prose\|", ">>> 1 | 2", "3", "", r"\|Aut\| after"]

"""Every worked example in docs/ runs (the Sphinx build executes them too: make docs)."""

import pathlib
import re

import pytest

DOCS = pathlib.Path(__file__).resolve().parent.parent / "docs"
PAGES = sorted(p for p in DOCS.glob("*.md") if "```{code-cell}" in p.read_text())
CELL = re.compile(r"```\{code-cell\}[^\n]*\n(.*?)```", re.S)


OPTIONS = re.compile(r"\A---\n.*?\n---\n", re.S)  # a cell's YAML options block (captions ...)


def cells(page):
    out = []
    for src in CELL.findall(page.read_text()):
        src = OPTIONS.sub("", src)
        lines = [line for line in src.splitlines() if not line.startswith(":") and not line.startswith("%")]
        out.append("\n".join(lines))
    return out


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_worked_example_runs(page, tmp_path, monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__docs__"}
    for i, src in enumerate(cells(page)):
        try:
            exec(compile(src, f"{page.name}[cell {i}]", "exec"), namespace)
        except Exception as exc:  # pragma: no cover - the failure report
            raise AssertionError(f"{page.name} cell {i} failed: {exc!r}\n{src}") from exc
    import matplotlib.pyplot as plt

    plt.close("all")

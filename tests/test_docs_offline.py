"""The built docs load nothing from the network: no script, style sheet, font or image
from a CDN (MathJax is shipped by the docs extra). Checked on a small site built with the
project's own Sphinx configuration, theme and templates, and on docs/_build/html when a
full build is there."""

import pathlib
import re
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent

#: a resource the browser fetches by itself: script/img/iframe/source src, link href (style
#: sheets, fonts, preloads, icons), CSS url(...) and @import
_TAG = re.compile(r"<(script|img|iframe|source|link)\b([^>]*)>", re.I)
_ATTR = re.compile(r"""\b(src|href)\s*=\s*["']([^"']*)["']""", re.I)
_CSS = re.compile(r"""url\(\s*["']?((?:https?:)?//[^"')]+)|@import\s+["']((?:https?:)?//[^"']+)""", re.I)
_REMOTE = re.compile(r"^\s*(https?:)?//", re.I)


def remote_loads(html_dir):
    """Every ``(file, url)`` a page of ``html_dir`` would load from the network."""
    hits = []
    for path in sorted(pathlib.Path(html_dir).rglob("*")):
        if path.suffix == ".html":
            for tag, attrs in _TAG.findall(path.read_text(errors="replace")):
                for name, url in _ATTR.findall(attrs):
                    rel = re.search(r"""\brel\s*=\s*["']([^"']*)""", attrs)
                    links_only = tag.lower() == "link" and rel and rel.group(1).lower() in ("canonical", "author",
                                                                                           "license", "next", "prev")
                    if _REMOTE.match(url) and not links_only:
                        hits.append((path.name, url))
        elif path.suffix == ".css":
            hits += [(path.name, a or b) for a, b in _CSS.findall(path.read_text(errors="replace"))]
    return hits


def test_the_check_sees_a_cdn_script_a_font_and_a_style(tmp_path):
    (tmp_path / "a.html").write_text('<script defer src="https://cdn.example.org/mathjax/tex.js"></script>'
                                     '<link rel="stylesheet" href="//fonts.example.com/css">'
                                     '<a href="https://example.org">a plain link is not a load</a>'
                                     '<link rel="canonical" href="https://example.org/x.html">')
    (tmp_path / "b.css").write_text("@font-face { src: url('https://fonts.example.com/f.woff2'); }")
    assert [u for _, u in remote_loads(tmp_path)] == ["https://cdn.example.org/mathjax/tex.js",
                                                      "//fonts.example.com/css", "https://fonts.example.com/f.woff2"]


PAGE = """# Offline

A formula $\\rho \\geq |Q|^{-P}$ and a display

$$P(f) = \\frac{N_f}{|Q|^P}$$

```python
print("code")
```
"""


@pytest.fixture(scope="module")
def small_site(tmp_path_factory):
    """A one-page site built with docs/conf.py (its theme, templates, static files and
    extensions), the API reference left out and no notebook executed."""
    for module in ("sphinx", "myst_nb", "pydata_sphinx_theme"):  # the docs extra
        pytest.importorskip(module)
    src = tmp_path_factory.mktemp("src")
    for folder in ("_static", "_templates"):
        shutil.copytree(ROOT / "docs" / folder, src / folder)
    (src / "conf.py").write_text(f"exec(compile(open({str(ROOT / 'docs' / 'conf.py')!r}).read(), 'conf.py', 'exec'))\n"
                                 "API_MODULES = []\n")
    (src / "index.md").write_text(PAGE)
    out = tmp_path_factory.mktemp("html")
    run = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", "-D", "nb_execution_mode=off",
                          str(src), str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]
    return out


def test_the_built_pages_load_nothing_from_the_network(small_site):
    assert remote_loads(small_site) == []


def test_mathjax_is_shipped_with_the_pages(small_site):
    html = (small_site / "index.html").read_text()
    src = re.search(r"""<script[^>]*src="([^"]*mathjax[^"]*)""", html, re.I).group(1)
    assert not _REMOTE.match(src)
    assert (small_site / src.split("?")[0]).is_file()
    assert (small_site / "_static" / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2").is_dir()


def test_the_full_build_loads_nothing_from_the_network():
    built = ROOT / "docs" / "_build" / "html"
    if not (built / "index.html").exists():
        pytest.skip("no full docs build here (make docs)")
    assert remote_loads(built) == []


def test_long_pages_have_an_in_page_table_of_contents():
    import importlib.util

    spec = importlib.util.spec_from_file_location("docs_conf_toc", ROOT / "docs" / "conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    assert "page-toc" in conf.html_theme_options["secondary_sidebar_items"]

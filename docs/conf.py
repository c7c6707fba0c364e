"""Sphinx configuration: MyST notebooks executed at build time (myst-nb), pydata theme,
API reference generated from the numpydoc docstrings (autosummary + numpydoc)."""

import importlib.util
import os
import re
import sys

sys.path.insert(0, os.path.abspath(".."))

project = "qnet-priors"
author = "qnet-priors developers"
copyright = "2026, qnet-priors developers"
try:
    from importlib.metadata import version as _version

    release = _version("qnet-priors")
except Exception:  # not installed: building from a bare checkout
    release = "0.1.0"
version = release

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx-mathjax-offline",  # MathJax from the docs extra, copied into _static: no CDN
    "numpydoc",
]
exclude_patterns = ["_build", "jupyter_execute", ".venv", "**.ipynb_checkpoints", "generated/_api.rst"]
templates_path = ["_templates"]

# --- worked examples -----------------------------------------------------------------
nb_execution_mode = "force"          # every build runs every worked example
nb_execution_raise_on_error = True   # a failing example fails the build
nb_execution_timeout = 600
nb_execution_in_temp = True          # examples write their files to a scratch folder
nb_merge_streams = True              # one output block per cell, not one per write
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3

# --- API reference ---------------------------------------------------------------------
# The public modules; each one's ``__all__`` is its reference (a name added to ``__all__``
# appears on the next build). Modules that do not exist in this checkout are skipped.
API_MODULES = ["enumerate", "enumerate.testing", "enumerate.results.prior", "enumerate.counting.perceptron", "enumerate.analysis.complexity",
               "enumerate.analysis.simplicity", "enumerate.results.table_store", "proofs", "proofs.sat"]
autosummary_generate = True
autosummary_ignore_module_all = False   # document exactly the names in __all__
autosummary_imported_members = False
autodoc_default_options = {"member-order": "bysource"}
autodoc_typehints = "none"              # the numpydoc sections carry the types
numpydoc_show_class_members = True
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
numpydoc_attributes_as_param_list = False


def api_modules():
    """The entries of ``API_MODULES`` that can be imported in this checkout."""
    return [m for m in API_MODULES if importlib.util.find_spec(m) is not None]


def _autosummary(modules, toctree):
    names = "".join(f"\n   {m}" for m in modules)
    return f".. autosummary::\n   :toctree: {toctree}\n{names}\n"


def _api_stubs(app):
    """Write the module list where autosummary generates its stub pages from (before it runs)."""
    listing = app.srcdir / "generated" / "_api.rst"
    listing.parent.mkdir(exist_ok=True)
    listing.write_text(_autosummary(api_modules(), "."))
    from sphinx.ext.autosummary.generate import generate_autosummary_docs

    generate_autosummary_docs([str(listing)], app=app, suffix=".rst",
                              imported_members=app.config.autosummary_imported_members)


_IMPORT = re.compile(r"^\s*(?:from\s+((?:enumerate|proofs)[\w.]*)\s+import\s+([\w, ]+)|import\s+((?:enumerate|proofs)[\w.]*))",
                     re.M)


def page_imports(srcdir=os.path.dirname(os.path.abspath(__file__))):
    """The modules of ``enumerate``/``proofs`` the pages import that have no reference page
    (``from proofs import bounds`` counts as ``proofs.bounds``), sorted."""
    found = set()
    for name in sorted(os.listdir(srcdir)):
        if name.endswith(".md"):
            with open(os.path.join(srcdir, name)) as fh:
                for m in _IMPORT.finditer(fh.read()):
                    if m.group(3):
                        found.add(m.group(3))
                    else:
                        found.add(m.group(1))
                        found.update(f"{m.group(1)}.{item.strip()}" for item in m.group(2).split(",") if item.strip())
    documented = set(api_modules())
    return sorted(m for m in found if m not in documented and _is_module(m))


def _is_module(name):
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _api_table(app, docname, source):
    """Put the module table on the reference page in place of its ``% API-MODULES`` line,
    and the modules the pages also import in place of ``% PAGE-IMPORTS``."""
    if docname == "api":
        table = "```{eval-rst}\n" + _autosummary(api_modules(), "generated") + "```"
        others = ", ".join(f"`{m}`" for m in page_imports(app.srcdir))
        source[0] = source[0].replace("% API-MODULES", table).replace("% PAGE-IMPORTS", others + ".")


_LITERAL = re.compile(r"``.*?``|:[\w:]+:`[^`]*`|`[^`]*`")


def _escape(text):
    """``\\|`` for every bar outside inline literals and roles."""
    out, end = [], 0
    for m in _LITERAL.finditer(text):
        out += [text[end:m.start()].replace("|", r"\|"), m.group()]
        end = m.end()
    return "".join(out) + text[end:].replace("|", r"\|")


def _plain_bars(app, what, name, obj, options, lines):
    """Docstrings write sizes as plain text (``|Q|^P``, ``|Aut(theta*)|``); to reST a bar
    starts a substitution. Escape the bars in prose; doctests and literal blocks stay as
    they are."""
    block = None  # None, "doctest", or the indent of the line that opened a literal block
    for i, line in enumerate(lines):
        text = line.lstrip()
        indent = len(line) - len(text)
        if block == "doctest":
            if text:
                continue
            block = None
        elif block is not None:
            if not text or indent > block:
                continue
            block = None
        if text.startswith(">>>"):
            block = "doctest"
            continue
        if line.rstrip().endswith("::"):
            block = indent
        if "|" in line:
            lines[i] = _escape(line)


def setup(app):
    app.connect("autodoc-process-docstring", _plain_bars, priority=100)  # before numpydoc
    app.connect("builder-inited", _api_stubs, priority=400)
    app.connect("source-read", _api_table)


# --- HTML --------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = "qnet-priors"
html_static_path = ["_static"]
html_css_files = ["custom.css"]
html_theme_options = {
    "navigation_with_keys": False,
    "navbar_center": [],                 # the left sidebar carries the navigation
    "navbar_end": ["theme-switcher"],
    "navbar_persistent": ["search-button"],
    "secondary_sidebar_items": ["page-toc"],  # "On this page": the sections of a long page
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_sidebars = {"**": ["sidebar-global"]}

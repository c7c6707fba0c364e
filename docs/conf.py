"""Sphinx configuration: MyST notebooks executed at build time (myst-nb)."""

import os
import sys

sys.path.insert(0, os.path.abspath(".."))

project = "qnet-priors"
author = "qnet-priors developers"
extensions = ["myst_nb", "sphinx.ext.autodoc", "sphinx.ext.napoleon", "sphinx.ext.mathjax"]
exclude_patterns = ["_build", "jupyter_execute", ".venv", "**.ipynb_checkpoints"]
nb_execution_mode = "force"          # every build runs every worked example
nb_execution_raise_on_error = True   # a failing example fails the build
nb_execution_timeout = 600
nb_execution_in_temp = True       # examples write their files to a scratch folder
myst_enable_extensions = ["dollarmath", "amsmath"]
html_theme = "alabaster"
html_title = "qnet-priors: exact priors of tiny quantized networks"

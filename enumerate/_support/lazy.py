"""Lazy public names for a package's ``__init__``: loaded from their module on first use.

>>> namespace = {}
>>> getattr_, dir_ = lazy_exports(namespace, "enumerate", {"PosteriorFamily": "posterior"})
>>> getattr_("PosteriorFamily").__name__, "PosteriorFamily" in namespace, dir_()
('PosteriorFamily', True, ['PosteriorFamily'])
"""

import importlib

__all__ = ["lazy_exports"]


def lazy_exports(namespace, package, names):
    """``(__getattr__, __dir__)`` for a package whose ``names`` map to submodules.

    Parameters
    ----------
    namespace : dict
        The package's ``globals()``: a loaded name is cached there.
    package : str
        The package name (``__name__``).
    names : dict
        Public name -> submodule of ``package`` that defines it.

    Returns
    -------
    tuple of callables
        Module-level ``__getattr__(name)`` and ``__dir__()`` (PEP 562).
    """

    def __getattr__(name):
        if name in names:
            value = getattr(importlib.import_module(f"{package}.{names[name]}"), name)
            namespace[name] = value
            return value
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__():
        return sorted(set(namespace) | set(names))

    return __getattr__, __dir__

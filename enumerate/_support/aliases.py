"""Old module paths kept working: ``enumerate.posterior`` is ``enumerate.analysis.posterior``.

:func:`install` adds an import hook that answers an old name with the module object of
its new path (the same object, so monkeypatching through either name patches both; loaded
only when first imported, so ``import enumerate`` stays cheap).

>>> import importlib
>>> new = importlib.import_module("enumerate.analysis.posterior")
>>> importlib.import_module("enumerate.posterior") is new
True
>>> new.__spec__.name, new.__name__
('enumerate.analysis.posterior', 'enumerate.analysis.posterior')
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys

__all__ = ["install"]


class _AliasFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self, table):
        self.table = table  # old full name -> new full name
        self._specs = {}

    def find_spec(self, fullname, path=None, target=None):
        if fullname in self.table:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):
        module = importlib.import_module(self.table[spec.name])
        self._specs[spec.name] = module.__spec__
        return module

    def exec_module(self, module):
        # the import system stamped the alias spec on the module: give it back its own
        module.__spec__ = self._specs[module.__spec__.name]


def install(package, moved):
    """Answer ``package.OLD`` with ``package.NEW`` for every ``OLD: NEW`` of ``moved``."""
    table = {f"{package}.{old}": f"{package}.{new}" for old, new in moved.items()}
    if not any(isinstance(f, _AliasFinder) and f.table == table for f in sys.meta_path):
        sys.meta_path.append(_AliasFinder(table))

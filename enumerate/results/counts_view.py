"""``prior.counts``: the ``{table: count}`` mapping of a prior.

Up to :data:`MAX_DICT_FUNCTIONS` tables it is a real ``dict`` (:class:`CountsDict`, in
table order) made on first use; editing it edits the prior (the arrays are rebuilt from
it on the next query: meant for small priors, for example to make a wrong prior in a
test). Past that it is a :class:`CountsView`: looking up one table is a binary search,
iterating unpacks the tables a chunk at a time; for a large prior iterate with
``prior.items()`` or read the arrays ``prior.store.tables`` / ``prior.store.counts``.

>>> from enumerate import NetworkSpec, count_prior
>>> prior = count_prior(NetworkSpec.parse("fc:1,1", "-1,0,1"), progress=False)
>>> prior.counts["--"], "++" in prior.counts, type(prior.counts).__name__
(5, True, 'CountsDict')
>>> prior.counts == {"++": 2, "+-": 1, "-+": 1, "--": 5}
True
>>> prior.counts["--"] -= 1; prior.covered
8
>>> view = CountsView(prior)
>>> view["--"], len(view), view == prior.counts
(4, 4, True)
"""

from __future__ import annotations

from collections.abc import MutableMapping

__all__ = ["CountsView", "CountsDict", "MAX_DICT_FUNCTIONS"]

#: ``prior.counts`` is a plain dict up to this many tables, a :class:`CountsView` past it
MAX_DICT_FUNCTIONS = 2_000_000


def _mutator(name):
    base = getattr(dict, name)

    def method(self, *args, **kwargs):
        self._owner._dirty = True
        return base(self, *args, **kwargs)

    method.__name__ = name
    method.__doc__ = base.__doc__
    return method


class CountsDict(dict):
    """A ``dict`` whose edits mark its prior's arrays for rebuilding."""

    __slots__ = ("_owner",)

    def __init__(self, owner, items):
        super().__init__(items)
        self._owner = owner

    for _name in ("__setitem__", "__delitem__", "pop", "popitem", "setdefault", "update", "clear", "__ior__"):
        locals()[_name] = _mutator(_name)
    del _name


class CountsView(MutableMapping):
    """The ``{table: count}`` mapping of a large :class:`~enumerate.results.prior.FunctionPrior`."""

    __slots__ = ("_prior",)

    def __init__(self, prior):
        self._prior = prior

    def _valid(self, table):
        spec = self._prior.spec
        from ..core.validate import table_chars

        return isinstance(table, str) and len(table) == len(spec.domain) and set(table) <= set(table_chars(spec.zero_label))

    def __getitem__(self, table):
        c = self._prior.store.count(table) if self._valid(table) else 0
        if c == 0:
            raise KeyError(table)
        return c

    def get(self, table, default=None):
        c = self._prior.store.count(table) if self._valid(table) else 0
        return default if c == 0 else c

    def __contains__(self, table):
        return self._valid(table) and self._prior.store.find(table) >= 0

    def __iter__(self):
        for t, _ in self._prior.store.items():
            yield t

    def items(self):
        return self._prior.store.items()

    def __len__(self):
        return len(self._prior.store)

    def __setitem__(self, table, value):
        self._prior._check_table(table)
        if int(value) < 0:
            raise ValueError(f"a count is a nonnegative integer, not {value}")
        self._prior._set_store(self._prior.store.with_count(table, value))

    def __delitem__(self, table):
        if table not in self:
            raise KeyError(table)
        self._prior._set_store(self._prior.store.with_count(table, 0))

    def __eq__(self, other):
        if isinstance(other, CountsView):
            return self._prior.store == other._prior.store
        return super().__eq__(other)

    __hash__ = None

    def __repr__(self):
        n = len(self)
        if n > 20:
            return f"<counts of {n:,} tables; iterate with prior.items()>"
        return repr(dict(self.items()))

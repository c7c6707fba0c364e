"""The canonical parameter order of every architecture.

Layer by layer; inside a layer the weights W (row-major; for a conv: out-channel,
in-channel, tap), then the biases b, then (scaled families, hidden layers only) the
scales gamma. The readout is the last layer: W of shape (1, fan_in), then b of shape (1,).

>>> from enumerate.core.spec import parse_arch
>>> lay = ParamLayout.of(parse_arch("sfc:2,3,1"))
>>> [(g.name, g.shape) for g in lay.groups]
[('W1', (3, 2)), ('b1', (3,)), ('gamma1', (3,)), ('W2', (1, 3)), ('b2', (1,))]
>>> lay.size, lay.num_scales
(16, 3)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["ParamGroup", "ParamLayout"]


@dataclass(frozen=True)
class ParamGroup:
    name: str
    shape: tuple
    is_scale: bool
    offset: int

    @property
    def size(self) -> int:
        return math.prod(self.shape)


@dataclass(frozen=True)
class ParamLayout:
    groups: tuple

    @classmethod
    def of(cls, arch) -> "ParamLayout":
        groups, off = [], 0

        def add(name, shape, is_scale=False):
            nonlocal off
            groups.append(ParamGroup(name, tuple(shape), is_scale, off))
            off += math.prod(shape)

        for l, (c, _n, k, _s, cin, _nin) in enumerate(arch.hidden_shapes(), start=1):
            add(f"W{l}", (c, cin, k) if arch.is_conv else (c, cin))
            add(f"b{l}", (c,))
            if arch.scaled:
                add(f"gamma{l}", (c,), True)
        L = arch.depth
        add(f"W{L}", (1, arch.readout_fan_in))
        add(f"b{L}", (1,))
        return cls(tuple(groups))

    @property
    def size(self) -> int:
        return sum(g.size for g in self.groups)

    @property
    def num_scales(self) -> int:
        return sum(g.size for g in self.groups if g.is_scale)

    @property
    def num_weights(self) -> int:
        """Parameters drawn from Q (everything but the scales)."""
        return self.size - self.num_scales

    def group(self, name) -> ParamGroup:
        for g in self.groups:
            if g.name == name:
                return g
        raise KeyError(name)

    def scale_mask(self):
        """A list of booleans, one per parameter: True where it is a scale."""
        return [g.is_scale for g in self.groups for _ in range(g.size)]

    def split(self, params):
        """Cut a flat canonical parameter sequence into ``{name: flat list}``."""
        params = list(params)
        if len(params) != self.size:
            raise ValueError(f"expected {self.size} parameters, got {len(params)}")
        return {g.name: params[g.offset : g.offset + g.size] for g in self.groups}

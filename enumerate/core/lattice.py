"""Scale rational networks to an integer lattice, with overflow bounds.

Q, the scales and the inputs are rationals; we write them as integers over common
denominators (q = qi/Dq, gamma = gi/Dg, x = xi/Dx). If the activations entering a layer
are a = a_int / A, a neuron's pre-activation is z = z_int / (Dq A) with

    z_int = sum_i Wi_i a_int_i + bi * A,

an exact integer with the same sign as z. Activations keep an integer form:
sign/step give A = 1; relu, identity and hardtanh (clip z_int to [-Dq A, Dq A]) give
A' = Dq A; leaky relu with slope p/r gives A' = r Dq A (r z_int or p z_int); a scale
multiplies a_int by gi and A by Dg. Every intermediate magnitude is bounded in
advance; if a bound reaches 2^62 the plan refuses (no value is ever wrapped).

>>> from enumerate.core.spec import NetworkSpec
>>> plan = IntegerPlan.of(NetworkSpec.parse("fc:2,2,1", "-1,-1/2,0,1/2,1", "relu", "01"))
>>> plan.qi, plan.bias_mult, plan.out_bias_mult
((-2, -1, 0, 1, 2), (1,), 2)
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from .._support.errors import SpecError, approx

__all__ = ["IntegerPlan", "ACT_CODES"]

ACT_CODES = {"sign": 0, "step": 1, "relu": 2, "identity": 3, "hardtanh": 4, "leaky": 5}
LIMIT = 2**62


@dataclass(frozen=True)
class IntegerPlan:
    qi: tuple  # Q numerators over Dq, ascending
    gi: tuple  # scale numerators over Dg (empty if unscaled)
    xi: tuple  # domain points as integer rows over Dx
    act_code: int
    leaky_pos: int  # r (leaky slope p/r): z_int > 0 -> r z_int
    leaky_neg: int  # p: z_int <= 0 -> p z_int
    bias_mult: tuple  # per hidden layer: A of the layer's input
    clamp: tuple  # per hidden layer: Dq * A (hardtanh clip)
    out_bias_mult: int  # A of the readout's input
    bound: int  # largest magnitude any intermediate can take

    @classmethod
    def of(cls, spec) -> "IntegerPlan":
        q, g = spec.q, spec.scales
        Dq = q.denominator
        qi = tuple(int(v * Dq) for v in q.values)
        qmax = max(abs(v) for v in qi)
        Dg = g.denominator
        gi = tuple(int(v * Dg) for v in g.values) if spec.arch.scaled else ()
        gmax = max((abs(v) for v in gi), default=1)
        Dx, xi, amax0 = _integer_points(spec.domain)
        act = spec.act
        code = ACT_CODES[act.name]
        r, p = (act.slope.denominator, act.slope.numerator) if act.name == "leaky" else (1, 0)

        walk = (spec.arch, code, spec.arch.scaled)
        bias_mult, clamp, A, bound = _walk(*walk, Dq, qmax, Dx, amax0, r, p, Dg, gmax)
        if bound >= LIMIT:
            # blame the value whose replacement by the simplest one shrinks the bound most
            tries = {"--q": (1, 1, Dx, amax0, r, p, Dg, gmax), "--domain": (Dq, qmax, 1, 1, r, p, Dg, gmax),
                     "--act": (Dq, qmax, Dx, amax0, 1, 1, Dg, gmax)}
            if spec.arch.scaled:
                tries["--scale-q"] = (Dq, qmax, Dx, amax0, r, p, 1, 1)
            shrunk = {arg: _walk(*walk, *t)[3] for arg, t in tries.items()}
            arg = min(shrunk, key=shrunk.get)
            what = {"--q": "smaller Q denominators or values", "--domain": "domain points with smaller "
                    "denominators or values", "--act": "a leaky slope with a smaller numerator and denominator",
                    "--scale-q": "a scale set with smaller denominators or values"}[arg]
            if shrunk[arg] >= LIMIT:
                arg, what = "--arch", "fewer layers or a narrower network"
            raise SpecError(
                arg,
                f"exact int64 arithmetic could reach {approx(bound)} >= 2^62 on this network; "
                f"use {what}, or a sign/step activation",
            )
        return cls(qi, gi, xi, code, r, p, tuple(bias_mult), tuple(clamp), A, bound)

    def activate(self, z, layer):
        """The integer activation of hidden layer ``layer`` (0-based) on an int64 array ``z``.

        >>> import numpy as np
        >>> from enumerate.core.spec import NetworkSpec
        >>> plan = IntegerPlan.of(NetworkSpec.parse("fc:1,1,1", "-1,0,1", "leaky:1/4", "01"))
        >>> plan.activate(np.array([-2, 0, 3]), 0).tolist()   # slope 1/4 = p/r: r z or p z
        [-2, 0, 12]
        """
        import numpy as np

        code = self.act_code
        if code == 0:
            return np.sign(z)
        if code == 1:
            return (z > 0).astype(np.int64)
        if code == 2:
            return np.maximum(z, 0)
        if code == 3:
            return z
        if code == 4:
            S = self.clamp[layer]
            return np.clip(z, -S, S)
        return np.where(z > 0, self.leaky_pos * z, self.leaky_neg * z)


def _integer_points(domain):
    """(Dx, points as integer rows over Dx, their largest magnitude): a cube's points
    directly (0/1 or -1/1, no Fraction arithmetic: 2^20 points in about a second), others
    over the lcm of their denominators.

    >>> from enumerate.core.spec import parse_domain
    >>> _integer_points(parse_domain("pm1", 2))
    (1, ((-1, -1), (-1, 1), (1, -1), (1, 1)), 1)
    >>> _integer_points(parse_domain('[["0", "1/2"], ["1/3", "1"]]', 2))
    (6, ((0, 3), (2, 6)), 6)
    """
    pts, d = domain.points, domain.dim
    if domain.kind in ("01", "pm1") and len(pts) == 2**d:
        lo = 0 if domain.kind == "01" else -1
        if pts[0] == (lo,) * d and pts[-1] == (1,) * d:  # the cube in itertools.product order
            return 1, tuple(itertools.product((lo, 1), repeat=d)), 1
    Dx = math.lcm(*(c.denominator for p in pts for c in p))
    xi = tuple(tuple(int(c * Dx) for c in p) for p in pts)
    return Dx, xi, max((abs(c) for row in xi for c in row), default=0)


def _walk(arch, code, scaled, Dq, qmax, Dx, amax, r, p, Dg, gmax):
    """The lattice scale factors layer by layer and the largest magnitude reached."""
    A = Dx
    bound = amax
    bias_mult, clamp = [], []
    for c, m, k, s, cin, _nin in arch.hidden_shapes():
        zmax = cin * k * qmax * amax + qmax * A
        bound = max(bound, zmax)
        bias_mult.append(A)
        S = Dq * A
        clamp.append(S)
        if code in (0, 1):
            A, amax = 1, 1
        elif code == 5:
            A, amax = r * S, max(r, p) * zmax
        elif code == 4:
            A, amax = S, min(zmax, S)
        else:
            A, amax = S, zmax
        if scaled:
            A, amax = A * Dg, amax * gmax
        bound = max(bound, amax, A * Dq)
    c_last, n_last = arch.last_hidden()
    if arch.is_conv and arch.readout == "sum":
        amax *= n_last
    zout = arch.readout_fan_in * qmax * amax + qmax * A
    return bias_mult, clamp, A, max(bound, zout)

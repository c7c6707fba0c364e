"""The built-in worked example behind ``python -m enumerate demo``.

A width-3 sign network on {0,1}^3 with weights in {-1,0,1} (43 million settings),
its exact prior over the 256 Boolean functions, and a one-neuron teacher.
"""

from __future__ import annotations

import math
from fractions import Fraction

__all__ = ["run_demo", "DEMO", "HELP", "add_arguments", "run"]

HELP = "a worked example in a few seconds"

DEMO = dict(arch="fc:3,3,1", q="-1,0,1", act="sign", domain="01", zero_label="-1",
            teacher="fc:3,1,1", teacher_params="1,-1,0,0,1,0")


def mass_quantiles(prior, levels=(0.5, 0.9, 0.99)):
    """Fewest functions holding each fraction of the prior mass (exact comparisons)."""
    out, acc, ranked = {}, 0, prior.rank_frequency()
    it = iter(levels)
    level = next(it, None)
    for i, c in enumerate(ranked, 1):
        acc += c
        while level is not None and Fraction(acc, prior.total) >= Fraction(level).limit_denominator(10**6):
            out[level] = i
            level = next(it, None)
    return out


def run_demo(progress=None) -> str:
    from ..core.spec import NetworkSpec
    from ..counting.dispatch import count_prior
    from ..core.teacher import make_teacher

    spec = NetworkSpec.parse(DEMO["arch"], DEMO["q"], DEMO["act"], DEMO["domain"], DEMO["zero_label"])
    prior = count_prior(spec, "auto", progress=progress)
    teacher = make_teacher(spec, DEMO["teacher"], DEMO["teacher_params"])
    n_all = 2 ** len(spec.domain)
    rho = prior.rho(teacher)
    q = mass_quantiles(prior)
    lines = [
        "Exact prior of a tiny quantized network",
        "=" * 39,
        prior.summary(10),
        "",
        f"{prior.num_functions} of the {n_all} Boolean functions of 3 inputs are realized.",
        "Fewest functions holding 50% / 90% / 99% of the prior mass: "
        + " / ".join(str(q[k]) for k in (0.5, 0.9, 0.99)),
        f"Entropy of the prior: {prior.entropy():.3f} nats (uniform over realized functions: "
        f"{math.log(prior.num_functions):.3f}, over all functions: {math.log(n_all):.3f})",
        "",
        f"Narrow teacher {DEMO['teacher']} with parameters {DEMO['teacher_params']} "
        f"(one neuron: x1 and not x2): table {teacher.table}",
        f"  rho~ = P(h = h*) = {rho} = {float(rho):.5f};  C~ = -ln rho~ = {-math.log(rho):.3f} nats",
        f"  uniform prior over all {n_all} functions: rho = 1/{n_all}, C = {math.log(n_all):.3f} nats",
        f"  the network prior makes this teacher {float(rho * n_all):.1f}x more likely than uniform",
    ]
    return "\n".join(lines)


def add_arguments(p):
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args):
    print(run_demo(progress=False if args.quiet else None))
    return 0

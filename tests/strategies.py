"""hypothesis strategies for small network specs (shared by the test modules)."""

import itertools

from hypothesis import strategies as st

from enumerate import NetworkSpec

ACTS = ["sign", "relu", "leaky:1/3", "step", "hardtanh", "identity"]
QS = ["-1,0,1", "-1,1", "-1,-1/2,0,1/2,1", "0,1,2", "grid:2", "-2,0,1/3", "-1,0,1,2"]
ZERO_LABELS = ["-1", "+1", "0"]


def _archs():
    out = []
    for d0 in (1, 2, 3):
        for hidden in itertools.chain([()], itertools.product((1, 2), repeat=1), itertools.product((1, 2), repeat=2)):
            w = ",".join(map(str, (d0, *hidden, 1)))
            out.append(f"fc:{w}")
            if hidden:
                out.append(f"sfc:{w}")
    for kind, c0, n0, c1, readout in itertools.product(("cnn", "scnn"), (1, 2), (2, 3), (1, 2), ("flat", "sum")):
        for k in range(1, n0 + 1):
            for s in (1, 2):
                out.append(f"{kind}:{c0}x{n0}/{c1}k{k}s{s}/{readout}")
    return out


ARCHS = _archs()


@st.composite
def small_specs(draw, max_total=60_000, kinds=("fc", "sfc", "cnn", "scnn"), acts=ACTS):
    """A spec of one of ``kinds`` with at most ``max_total`` parameter settings."""
    q = draw(st.sampled_from(QS))
    act = draw(st.sampled_from(acts))
    zl = draw(st.sampled_from(ZERO_LABELS))
    domain = draw(st.sampled_from(["01", "pm1"]))
    fits = []
    for arch in ARCHS:
        if arch.split(":")[0] not in kinds:
            continue
        spec = NetworkSpec.parse(arch, q, act, domain, zl)
        if spec.total <= max_total:
            fits.append(spec)
    return draw(st.sampled_from(fits))

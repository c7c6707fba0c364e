r"""Figures of the simplicity-bias analyses (matplotlib; data from :func:`enumerate.analysis.simplicity.analyze`).

>>> import matplotlib; matplotlib.use("Agg")
>>> from enumerate import NetworkSpec
>>> from enumerate.counting.perceptron import count_classes
>>> from enumerate.analysis.simplicity import analyze, peer_grid
>>> a = analyze(count_classes(NetworkSpec.parse("fc:3,1", peer_grid(2))))
>>> [ax.get_xlabel() for ax in (plot_rank(a), plot_lz(a), plot_ones(a))]
['rank $r$ of $f$', '$K_{\\mathrm{LZ}}(f)$', '$t$ = number of $+$ points']
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["plot_rank", "plot_lz", "plot_ones", "write_figures", "FIGURES"]


def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(5, 3.6))
    return ax


def _label(a):
    return f"{a['spec']['arch']}, |Q|={len(a['spec']['q']['values'])}"


def plot_rank(a, ax=None):
    """P(f) against rank (log-log) with the power-law fit."""
    ax = _axes(ax)
    rf = a["rank_frequency"]
    T = a["settings"]
    xs, ys = [], []
    for r in rf["runs"]:
        p = r["count"] / T
        xs += [r["first_rank"], r["first_rank"] + r["tables"] - 1]
        ys += [p, p]
    ax.loglog(xs, ys, drawstyle="steps-post", label=_label(a))
    fit = rf["power_law"]
    if fit:
        r = np.geomspace(1, rf["num_functions"], 50)
        ax.loglog(r, 10 ** fit["log10_A"] * r ** -fit["alpha"], "--", lw=1,
                  label=rf"fit: $P \propto r^{{-{fit['alpha']:.2f}}}$")
    ax.set_xlabel(r"rank $r$ of $f$")
    ax.set_ylabel(r"$P(f)$")
    ax.legend(fontsize=8)
    return ax


def plot_lz(a, ax=None):
    """log2 P(f) against K_LZ(f) (marker area ~ log of the number of functions) with the bound."""
    ax = _axes(ax)
    pts = a["lz"]["points"]
    K = np.array([p["K"] for p in pts])
    lp = np.array([p["log2_P"] for p in pts])
    m = np.array([p["functions"] for p in pts])
    ax.scatter(K, lp, s=4 + 6 * np.log10(m), alpha=0.5, label=_label(a))
    bd = a["lz"]["bound"]
    if bd:
        k = np.linspace(K.min(), K.max(), 20)
        ax.plot(k, -(bd["a"] * k + bd["b"]), "r--", lw=1, label=rf"$P \leq 2^{{-({bd['a']:.2f} K + {bd['b']:.2f})}}$")
    ax.set_xlabel(r"$K_{\mathrm{LZ}}(f)$")
    ax.set_ylabel(r"$\log_2 P(f)$")
    ax.legend(fontsize=8)
    return ax


def plot_ones(a, ax=None):
    """P(t) against t with the uniform law 2^-d of a bias-free continuous perceptron."""
    ax = _axes(ax)
    t = np.array([int(k) for k in a["ones"]])
    p = np.array([n / d for n, d in a["ones"].values()])
    ax.semilogy(t, p, ".", label=_label(a))
    num, den = map(int, a["uniform_ones_law"].split("/"))
    label = rf"uniform $2^{{-{int(math.log2(den))}}}$"
    if label not in ax.get_legend_handles_labels()[1]:  # one line for several networks on the same inputs
        ax.axhline(num / den, color="gray", ls="--", lw=1, label=label)
    ax.set_xlabel(r"$t$ = number of $+$ points")
    ax.set_ylabel(r"$P(t)$")
    ax.legend(fontsize=8)
    return ax


#: the figures :func:`write_figures` writes (``lz`` only when K_LZ was computed)
FIGURES = ("rank", "lz", "ones")


def write_figures(a, out_dir):
    """Write rank.png, lz.png (when K_LZ was computed) and ones.png into ``out_dir``; their paths.

    Every figure is drawn before the first is written, and each is written atomically
    (never a half-written png)."""
    import io
    import os

    import matplotlib.pyplot as plt

    from .._support.files import atomic_write

    images = {}
    for name, plot in zip(FIGURES, (plot_rank, plot_lz, plot_ones)):
        if name == "lz" and "lz" not in a:
            continue
        ax = plot(a)
        buf = io.BytesIO()
        ax.figure.tight_layout()
        ax.figure.savefig(buf, dpi=120, format="png")
        plt.close(ax.figure)
        images[os.path.join(out_dir, f"{name}.png")] = buf.getvalue()
    for path, data in images.items():
        atomic_write(path, ".png", lambda fh, data=data: fh.write(data))
    return list(images)

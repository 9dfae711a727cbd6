"""The pack's charts as PNG images for the PDF, drawn with matplotlib's Agg canvas (no browser, no display).

Figures are built with `matplotlib.figure.Figure` directly rather than pyplot, and drawn one at a time under
a lock: matplotlib's font and text caches are shared by the threads of a Streamlit server. Each chart draws
the same `content.Chart` the slides use.
"""

from __future__ import annotations

import functools
import io
import threading

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from g2g_core.packs.content import Chart

INK, GRID = "#1F2328", "#D0D7DE"
DPI = 200
_DRAWING = threading.Lock()


def _one_at_a_time(draw):
    @functools.wraps(draw)
    def locked(*args, **kwargs):
        with _DRAWING:
            return draw(*args, **kwargs)

    return locked


def _png(fig: Figure) -> bytes:
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()


def _figure(width_in: float, height_in: float) -> Figure:
    fig = Figure(figsize=(width_in, height_in), layout="constrained")
    fig.set_facecolor("white")
    return fig


def _label(term: str) -> str:
    return term.replace(" ", "\n", 1)  # "Autumn\n2025/26": level, not slanted


@_one_at_a_time
def timeline_png(chart: Chart, width_in: float) -> tuple[bytes, float]:
    """The level timeline as horizontal bars labelled with the level's name; returns (png, height in inches)."""
    n = len(chart.categories)
    height = 0.32 * n + 0.3
    fig = _figure(width_in, height)
    ax = fig.add_subplot()
    ys = list(range(n))
    for series in chart.bars:
        for y, value in zip(ys, series.values, strict=True):
            if value is None:
                continue
            ax.barh(y, value, height=0.72, color=series.colour)
            ax.text(
                0.08, y, series.name, va="center", ha="left", color="white", fontsize=8.5, fontweight="bold"
            )
    ax.set_yticks(ys, chart.categories, fontsize=8.5, color=INK)
    ax.invert_yaxis()  # the first term at the top, as it reads
    ax.set_xlim(0, 5.05)
    ax.xaxis.set_visible(False)
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_color(GRID)
    ax.tick_params(axis="y", length=0)
    return _png(fig), height


@_one_at_a_time
def hours_png(chart: Chart, width_in: float, height_in: float = 3.3) -> bytes:
    """Hours by activity as stacked columns with the entitlement as a dashed line."""
    fig = _figure(width_in, height_in)
    ax = fig.add_subplot()
    xs = list(range(len(chart.categories)))
    bottom = [0.0] * len(xs)
    for series in chart.bars:
        values = [v or 0.0 for v in series.values]
        ax.bar(xs, values, bottom=bottom, width=0.62, color=series.colour, label=series.name, zorder=2)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    if chart.line is not None:
        ys = [float("nan") if v is None else v for v in chart.line.values]
        ax.plot(
            xs,
            ys,
            color=chart.line.colour,
            linestyle="--",
            linewidth=1.6,
            marker="D",
            markersize=4,
            label=chart.line.name,
            zorder=3,
        )
    ax.set_xticks(xs, [_label(c) for c in chart.categories], fontsize=7.5, color=INK)
    ax.tick_params(axis="y", labelsize=8, colors=INK, length=0)
    ax.tick_params(axis="x", length=0)
    ax.set_ylabel(chart.value_title, fontsize=8.5, color=INK)
    ax.grid(axis="y", color=GRID, linewidth=0.6, zorder=0)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(GRID)
    handles, labels = ax.get_legend_handles_labels()
    order = sorted(range(len(labels)), key=lambda i: labels[i] == (chart.line.name if chart.line else None))
    fig.legend(
        [handles[i] for i in order], [labels[i] for i in order],
        loc="outside lower center", ncol=min(len(labels), 4), fontsize=8, frameon=False,
    )  # fmt: skip
    return _png(fig)

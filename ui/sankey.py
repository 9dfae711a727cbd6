"""The moves between levels over a year as a Sankey diagram.

Levels in policy order on both sides (Core at the top), each node labelled with its count, and each level
now saying where its schools came from.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from g2g_core.policy import LEVEL_NAMES, LEVELS
from ui.components import LEVEL_COLOURS


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _positions(counts: list[int], pad: float = 0.04) -> list[float]:
    """Node centres top to bottom in policy order, each node's height proportional to its count."""
    total = sum(counts) or 1
    space = 1 - pad * (len(counts) - 1)
    y, out = 0.0, []
    for n in counts:
        h = space * n / total
        out.append(min(max(y + h / 2, 0.001), 0.999))
        y += h + pad
    return out


def level_sankey(moves: pl.DataFrame) -> go.Figure:
    """A Sankey of (from_level, to_level, schools), nodes in policy order, flows labelled with counts."""
    before = {lv: 0 for lv in LEVELS}
    after = {lv: 0 for lv in LEVELS}
    came: dict[str, list[str]] = {lv: [] for lv in LEVELS}
    for frm, to, n in moves.select("from_level", "to_level", "schools").iter_rows():
        before[frm] += n
        after[to] += n
    for to in LEVELS:
        for frm in LEVELS:
            n = int(
                moves.filter((pl.col("from_level") == frm) & (pl.col("to_level") == to))["schools"].sum() or 0
            )
            if n:
                came[to].append(f"{n} stayed" if frm == to else f"{n} from {LEVEL_NAMES[frm]}")
    left = [lv for lv in LEVELS if before[lv]]
    right = [lv for lv in LEVELS if after[lv]]
    labels = [f"{LEVEL_NAMES[lv]} a year ago: {before[lv]}" for lv in left] + [
        f"{LEVEL_NAMES[lv]} now: {after[lv]} ({', '.join(came[lv])})" for lv in right
    ]
    index = {("a", lv): i for i, lv in enumerate(left)} | {
        ("b", lv): len(left) + i for i, lv in enumerate(right)
    }
    rows = list(moves.select("from_level", "to_level", "schools").iter_rows())
    fig = go.Figure(
        go.Sankey(
            arrangement="fixed",
            node={
                "label": labels,
                "color": [LEVEL_COLOURS[lv] for lv in left + right],
                "x": [0.001] * len(left) + [0.999] * len(right),
                "y": _positions([before[lv] for lv in left]) + _positions([after[lv] for lv in right]),
                "pad": 18,
                "thickness": 18,
                "hovertemplate": "%{label}<extra></extra>",
            },
            link={
                "source": [index[("a", f)] for f, _, _ in rows],
                "target": [index[("b", t)] for _, t, _ in rows],
                "value": [n for _, _, n in rows],
                "label": [f"{n} from {LEVEL_NAMES[f]} to {LEVEL_NAMES[t]}" for f, t, n in rows],
                "color": [_rgba(LEVEL_COLOURS[f], 0.35) for f, _, _ in rows],
                "hovertemplate": "%{label}<extra></extra>",
            },
            textfont={"color": "#1F1F1F", "size": 13},
        )
    )
    fig.update_layout(height=460, margin={"t": 20, "b": 10, "l": 10, "r": 10})
    return fig

"""Every plotly figure of the pages, drawn in the vocabulary's colours and patterns.

Levels keep one colour and pattern everywhere; activities keep one colour on every school's chart, the same
as in the governors' pack (both read `g2g_core.vocabulary`). Each page pairs its figure with a table
alternative (`ui.components.chart_with_table`).

Plotly renders a subset of HTML in every text it draws, so every string that comes from data (advisers,
scenario names, terms, categories) goes through `ui.text.plot_text` here, and nowhere else builds a figure.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from g2g_core.allocation import NO_ADVISER, Allocation, hours_text
from g2g_core.vocabulary import (
    ACTIVITY_COLOURS,
    ACTIVITY_NAMES,
    ENTITLEMENT_NAME,
    LEVEL_COLOURS,
    LEVEL_NAMES,
    LEVEL_PATTERNS,
    LEVELS,
)
from ui.names import person_names
from ui.text import plot_text, plot_texts

OTHER_COLOUR = "#999999"
# A legend at the foot of the figure, across it, below the term labels: on a phone (390 px) a legend at the side
# squeezes the plot and the chart's toolbar (top right) covers it. Term labels turn upright when they would
# overlap, rather than running into each other.
LEGEND_BELOW = {
    "orientation": "h",
    "yref": "container",
    "yanchor": "bottom",
    "y": 0,
    "xanchor": "left",
    "x": 0,
}
TERM_TICK_ANGLES = [0, 45, 90]


def level_marker(level: str) -> dict:
    """The bar marker of a level: its colour with its pattern drawn over it in white."""
    return {
        "color": LEVEL_COLOURS[level],
        "pattern": {
            "shape": LEVEL_PATTERNS[level],
            "fillmode": "overlay",
            "fgcolor": "white",
            "fgopacity": 0.55,
            "size": 7,
        },
    }


def level_bars(
    frame: pl.DataFrame, x: str, y: str, x_title: str, y_title: str, horizontal: bool = False
) -> go.Figure:
    """Stacked bars, one trace per level, in level order, with labels and patterns."""
    fig = go.Figure()
    for lv in LEVELS:
        part = frame.filter(pl.col("level") == lv)
        if part.is_empty():
            continue
        xs, ys = plot_texts(part[x].to_list()), part[y].to_list()
        fig.add_bar(
            x=ys if horizontal else xs,
            y=xs if horizontal else ys,
            orientation="h" if horizontal else "v",
            name=LEVEL_NAMES[lv],
            marker=level_marker(lv),
            text=ys,
            textposition="inside",
            hovertemplate=f"{LEVEL_NAMES[lv]}: %{{{'x' if horizontal else 'y'}}}<extra></extra>",
        )
    fig.update_layout(
        barmode="stack",
        xaxis_title=y_title if horizontal else x_title,
        yaxis_title=x_title if horizontal else y_title,
        legend_title_text="Level of support",
        margin={"t": 30, "b": 10},
        height=380,
    )
    return fig


def timeline_figure(tl: pl.DataFrame) -> go.Figure:
    """A school's level term by term: one bar a term in the level's colour and pattern, labelled in words."""
    fig = go.Figure()
    for lv in tl["level"].unique(maintain_order=True).drop_nulls():
        part = tl.filter(pl.col("level") == lv)
        fig.add_bar(
            x=plot_texts(part["term"].to_list()),
            y=[1] * part.height,
            name=LEVEL_NAMES[lv],
            text=[LEVEL_NAMES[lv]] * part.height,
            textposition="inside",
            marker=level_marker(lv),
            hovertemplate="%{x}: " + LEVEL_NAMES[lv] + "<extra></extra>",
        )
    fig.update_layout(
        barmode="stack",
        height=220,
        yaxis={"visible": False},
        xaxis={
            "categoryorder": "array",
            "categoryarray": plot_texts(tl["term"].to_list()),
            "autotickangles": TERM_TICK_ANGLES,
        },
        margin={"t": 10, "b": 10},
        # Each bar is labelled with its level in words: no legend to squeeze a phone's width.
        showlegend=False,
    )
    return fig


def activity_marker(activity: str) -> dict:
    """The bar marker of an adviser-hours activity: its one colour, the same on every chart and in the packs."""
    return {"color": ACTIVITY_COLOURS.get(activity, OTHER_COLOUR)}


def hours_figure(hours: pl.DataFrame, ent: pl.DataFrame) -> go.Figure:
    """Hours by activity, stacked term by term, with the hours the level provides as a dashed line."""
    fig = go.Figure()
    for act in sorted(hours["activity"].unique()) if not hours.is_empty() else []:
        part = hours.filter(pl.col("activity") == act)
        fig.add_bar(
            x=plot_texts(part["term"].to_list()),
            y=part["hours"].to_list(),
            name=plot_text(ACTIVITY_NAMES.get(act, act)),
            marker=activity_marker(act),
            hovertemplate="%{x}: %{y:.1f} hours of " + ACTIVITY_NAMES.get(act, act) + "<extra></extra>",
        )
    fig.add_scatter(
        x=plot_texts(ent["term"].to_list()),
        y=ent["entitled"].to_list(),
        mode="lines+markers",
        name=ENTITLEMENT_NAME,
        line={"color": "black", "dash": "dash"},
        hovertemplate="%{x}: the level provides %{y:.1f} hours<extra></extra>",
    )
    fig.update_layout(
        barmode="stack",
        height=420,
        yaxis_title="Hours",
        xaxis={
            "categoryorder": "array",
            "categoryarray": plot_texts(ent["term"].to_list()),
            "autotickangles": TERM_TICK_ANGLES,
        },
        margin={"t": 10},
        legend=LEGEND_BELOW,
    )
    return fig


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


def moves_figure(moves: pl.DataFrame) -> go.Figure:
    """Moves between levels as a Sankey, levels in policy order (Core at the top) on both sides.

    Each node is labelled with its count, and each level now says where its schools came from (the flows'
    counts).
    """
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


def level_frame(allocs: dict[str, Allocation]) -> pl.DataFrame:
    """Hours a term by level for each named allocation (case, level, hours), for a stacked chart."""
    return pl.concat(
        [
            a.by_level.select(pl.lit(case).alias("case"), "level", pl.col("demand").round(1).alias("hours"))
            for case, a in allocs.items()
        ]
    )


def demand_chart(allocs: dict[str, Allocation]) -> go.Figure:
    """Stacked demand by level for each case, with the team's capacity marked beside it."""
    fig = level_bars(level_frame(allocs), "case", "hours", "", "Adviser hours a term")
    fig.add_scatter(
        x=plot_texts(allocs),
        y=[round(a.capacity, 1) for a in allocs.values()],
        mode="markers+text",
        name="Hours the team has",
        marker={
            "symbol": "line-ew-open",
            "size": 70,
            "color": "black",
            "line": {"width": 4, "color": "black"},
        },
        text=[f"team: {hours_text(a.capacity)}" for a in allocs.values()],
        textposition="top center",
    )
    return fig


def adviser_chart(frame: pl.DataFrame, top: int = 25) -> go.Figure:
    """Caseload demand today and in the scenario for the busiest advisers, with each one's hours."""
    people = person_names()
    shown = (
        frame.filter(pl.col("adviser") != NO_ADVISER)
        .sort("scenario_demand", descending=True)
        .head(top)
        .with_columns(pl.col("adviser").replace_strict(people, default=pl.col("adviser")))
    )
    advisers = plot_texts(shown["adviser"].to_list())
    fig = go.Figure()
    fig.add_bar(x=advisers, y=shown["baseline_demand"].round(1), name="Today", marker_color="#999999")
    fig.add_bar(
        x=advisers,
        y=shown["scenario_demand"].round(1),
        name="Scenario",
        marker={
            "color": "#0072B2",
            "pattern": {
                "shape": "/",
                "fillmode": "overlay",
                "fgcolor": "white",
                "fgopacity": 0.55,
                "size": 7,
            },
        },
    )
    fig.add_scatter(
        x=advisers,
        y=shown["capacity"],
        mode="markers",
        name="Adviser's hours a term",
        marker={
            "symbol": "line-ew-open",
            "size": 30,
            "color": "black",
            "line": {"width": 3, "color": "black"},
        },
    )
    fig.update_layout(
        barmode="group", yaxis_title="Adviser hours a term", height=380, margin={"t": 30, "b": 10}
    )
    return fig

"""Every plotly figure of the pages, drawn in the vocabulary's colours and patterns.

Levels keep one colour and pattern everywhere; activities keep one colour on every school's chart, the same
as in the governors' pack (both read `g2g_core.vocabulary`). Each page pairs its figure with a table
alternative (`ui.components.chart_with_table`).
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from g2g_core.allocation import NO_ADVISER, Allocation
from g2g_core.vocabulary import (
    ACTIVITY_COLOURS,
    ACTIVITY_NAMES,
    LEVEL_COLOURS,
    LEVEL_NAMES,
    LEVEL_PATTERNS,
    LEVELS,
)

OTHER_COLOUR = "#999999"


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
        xs, ys = part[x].to_list(), part[y].to_list()
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
            x=part["term"].to_list(),
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
        xaxis={"categoryorder": "array", "categoryarray": tl["term"].to_list()},
        margin={"t": 10, "b": 10},
        legend_title_text="Level of support",
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
            x=part["term"].to_list(),
            y=part["hours"].to_list(),
            name=ACTIVITY_NAMES.get(act, act),
            marker=activity_marker(act),
        )
    fig.add_scatter(
        x=ent["term"].to_list(),
        y=ent["entitled"].to_list(),
        mode="lines+markers",
        name="Entitlement",
        line={"color": "black", "dash": "dash"},
    )
    fig.update_layout(
        barmode="stack",
        height=360,
        yaxis_title="Hours",
        xaxis={"categoryorder": "array", "categoryarray": ent["term"].to_list()},
        margin={"t": 10},
    )
    return fig


def moves_figure(moves: pl.DataFrame) -> go.Figure:
    """Schools moving between levels over the last year, as a Sankey diagram in the level colours."""
    order = list(LEVELS)
    nodes = [f"{LEVEL_NAMES[lv]} a year ago" for lv in order] + [f"{LEVEL_NAMES[lv]} now" for lv in order]
    fig = go.Figure(
        go.Sankey(
            node={"label": nodes, "color": [LEVEL_COLOURS[lv] for lv in order] * 2, "pad": 18},
            link={
                "source": [order.index(r) for r in moves["from_level"]],
                "target": [len(order) + order.index(r) for r in moves["to_level"]],
                "value": moves["schools"].to_list(),
                "color": "rgba(120,120,120,0.35)",
            },
        )
    )
    fig.update_layout(height=420, margin={"t": 20, "b": 10})
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
        x=list(allocs),
        y=[round(a.capacity, 1) for a in allocs.values()],
        mode="markers+text",
        name="Hours the team has",
        marker={
            "symbol": "line-ew-open",
            "size": 70,
            "color": "black",
            "line": {"width": 4, "color": "black"},
        },
        text=[f"team: {a.capacity:,.0f}" for a in allocs.values()],
        textposition="top center",
    )
    return fig


def adviser_chart(frame: pl.DataFrame, top: int = 25) -> go.Figure:
    """Caseload demand today and in the scenario for the busiest advisers, with each one's hours."""
    shown = frame.filter(pl.col("adviser") != NO_ADVISER).sort("scenario_demand", descending=True).head(top)
    fig = go.Figure()
    fig.add_bar(x=shown["adviser"], y=shown["baseline_demand"].round(1), name="Today", marker_color="#999999")
    fig.add_bar(
        x=shown["adviser"],
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
        x=shown["adviser"],
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

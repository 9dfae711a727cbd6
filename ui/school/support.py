"""The School page's support charts: the level term by term and adviser hours against the entitlement."""

from __future__ import annotations

import polars as pl

from g2g_core.views import SchoolDetail
from g2g_core.vocabulary import LEVEL_NAMES, NOT_CATEGORISED
from ui.charts import hours_figure, timeline_figure
from ui.components import chart_with_table, level_label


def render(detail: SchoolDetail) -> None:
    """The level timeline and the hours chart, each with its table alternative."""
    s = detail.school
    level = s.get("level")
    tl = detail.timeline.with_columns(
        level_name=pl.col("level").replace_strict(LEVEL_NAMES, default=NOT_CATEGORISED)
    )
    fig = timeline_figure(tl)
    changes = tl.filter(pl.col("level") != pl.col("level").shift(1))
    chart_with_table(
        "Level of support, term by term",
        f"Over the last {tl.height} terms the school's level changed {max(changes.height - 1, 0)} time(s); it is now {level_label(level)}.",
        fig,
        tl.select(pl.col("term").alias("Term"), pl.col("level_name").alias("Level at the end of the term")),
        f"timeline_{s['urn']}",
    )
    hours = detail.hours
    ent = detail.entitlement
    fig = hours_figure(hours, ent)
    per_term = (
        hours.group_by("term_idx", "term")
        .agg(pl.col("hours").sum().alias("used"))
        .join(ent.select("term_idx", "entitled"), on="term_idx", how="right")
    )
    this_term = per_term.sort("term_idx").tail(1)
    table = (
        hours.pivot(on="activity", index=["term_idx", "term"], values="hours")
        .join(ent.select("term_idx", "term", "entitled"), on=["term_idx", "term"], how="right")
        .sort("term_idx")
        .drop("term_idx")
        if not hours.is_empty()
        else ent.select("term", "entitled")
    )
    chart_with_table(
        "Adviser support received, term by term",
        "Hours recorded by activity in each term, against the hours the school's level entitles it to (dashed line)"
        + (
            f"; this term so far {this_term['used'].fill_null(0)[0]:.1f} of {this_term['entitled'][0]:.1f}."
            if this_term.height and this_term["entitled"][0] is not None
            else "."
        ),
        fig,
        table,
        f"hours_{s['urn']}",
    )

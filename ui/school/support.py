"""The School page's support charts: the level term by term and adviser hours against the entitlement."""

from __future__ import annotations

import polars as pl

from g2g_core.views import SchoolDetail, term_hours_words
from g2g_core.vocabulary import ACTIVITIES, ACTIVITY_NAMES, ENTITLEMENT_NAME, LEVEL_NAMES, NOT_CATEGORISED
from ui.charts import hours_figure, timeline_figure
from ui.components import chart_with_table, level_label


def hours_table(hours: pl.DataFrame, ent: pl.DataFrame) -> pl.DataFrame:
    """The hours chart's table: a row a term, a column an activity (in words, 0 for none), then the entitlement.

    A term without a level has no entitlement: a dash, never an empty cell read as "None".
    """
    entitled = (
        pl.when(pl.col("entitled").is_null())
        .then(pl.lit("—"))
        .otherwise(pl.col("entitled").round(1).cast(pl.String))
        .alias(ENTITLEMENT_NAME)
    )
    if hours.is_empty():
        return ent.sort("term_idx").select(pl.col("term").alias("Term"), entitled)
    wide = hours.pivot(on="activity", index=["term_idx", "term"], values="hours", aggregate_function="sum")
    acts = [a for a in ACTIVITIES if a in wide.columns] + sorted(
        c for c in wide.columns if c not in ACTIVITIES and c not in ("term_idx", "term")
    )
    return (
        wide.join(ent.select("term_idx", "term", "entitled"), on=["term_idx", "term"], how="right")
        .sort("term_idx")
        .select(
            pl.col("term").alias("Term"),
            *[pl.col(a).fill_null(0.0).alias(ACTIVITY_NAMES.get(a, a)) for a in acts],
            entitled,
        )
    )


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
    table = hours_table(hours, ent)
    chart_with_table(
        "Adviser support received, term by term",
        "Hours recorded by activity in each term, against the hours the school's level entitles it to (dashed line)"
        + (f"; {term_hours_words(detail.term_hours)}" if detail.term_hours else "."),
        fig,
        table,
        f"hours_{s['urn']}",
    )

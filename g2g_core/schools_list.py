"""The Schools list: one row per open school in the viewer's scope, with its level, adviser, flags and Ofsted.

Scoped in the queries (`views.schools_now`, `latest_inspections` and the flags all bind the viewer's scope),
filtered by the shared filters, searched by name or URN. `readable` turns the frame into the words of the
screen (also what the downloads carry).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from g2g_core.access import Viewer
from g2g_core.policy import LEVEL_NAMES, LEVELS, PHASES
from g2g_core.rules import SEVERITIES, compute_flags
from g2g_core.views import Filters, ofsted_outcome, schools_now
from g2g_core.vocabulary import SEVERITY_NAMES

PHASE_WORDS = {p: p.replace("_", " ").capitalize() for p in PHASES}
SORTS = {
    "name": "School name",
    "level": "Level of support (most support first)",
    "since": "Longest at their level first",
    "flags": "Most open flags first",
    "ofsted": "Oldest inspection first",
}


def schools_list(
    store,
    viewer: Viewer,
    as_of: date,
    filters: Filters = Filters(),
    search: str = "",
    sort: str = "name",
) -> pl.DataFrame:
    """Open schools in scope as at a date, filtered and searched (name or URN, case-insensitive).

    Columns: urn, name, phase, maintained, level, level_since, adviser, flags, worst_severity, ofsted,
    ofsted_date.
    """
    schools = filters.apply(schools_now(store, viewer, as_of)).select(
        "urn", "name", "phase", "maintained", "level", "level_since", "adviser"
    )
    needle = search.strip().lower()
    if needle:
        schools = schools.filter(
            pl.col("name").str.to_lowercase().str.contains(needle, literal=True)
            | pl.col("urn").cast(pl.String).str.starts_with(needle)
        )
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    flags = compute_flags(store, viewer, as_of)
    per_school = flags.group_by("urn").agg(
        pl.len().alias("flags"),
        pl.col("severity").replace_strict(rank, return_dtype=pl.Int8).min().alias("_worst"),
    )
    insp = store.named("latest_inspections", {**viewer.params(), "as_of": as_of})
    outcome = [
        (
            r["urn"],
            ofsted_outcome(
                r["framework"],
                r["overall_grade"],
                r["category_of_concern"],
                r["lowest_area_grade"],
                r["safeguarding_met"],
            ),
            r["inspection_date"],
        )
        for r in insp.iter_rows(named=True)
    ]
    ofsted = pl.DataFrame(
        outcome, schema={"urn": pl.Int64, "ofsted": pl.String, "ofsted_date": pl.Date}, orient="row"
    )
    frame = (
        schools.join(per_school, on="urn", how="left")
        .join(ofsted, on="urn", how="left")
        .with_columns(
            pl.col("flags").fill_null(0).cast(pl.Int64),
            worst_severity=pl.col("_worst").replace_strict(
                {i: s for s, i in rank.items()}, default=None, return_dtype=pl.String
            ),
            ofsted=pl.col("ofsted").fill_null("No inspection recorded"),
        )
        .drop("_worst")
    )
    return sort_schools(frame, sort)


def sort_schools(frame: pl.DataFrame, sort: str) -> pl.DataFrame:
    """The list in one of the SORTS orders (ties by name, then URN)."""
    level_rank = pl.col("level").replace_strict(
        {lv: i for i, lv in enumerate(LEVELS)}, default=-1, return_dtype=pl.Int8
    )
    if sort == "level":
        return frame.sort(level_rank, "name", "urn", descending=[True, False, False])
    if sort == "since":
        return frame.sort("level_since", "name", "urn", nulls_last=True)
    if sort == "flags":
        return frame.sort("flags", "name", "urn", descending=[True, False, False])
    if sort == "ofsted":
        return frame.sort("ofsted_date", "name", "urn", nulls_last=False)
    return frame.sort("name", "urn")


def readable(frame: pl.DataFrame, names: dict[str, str] | None = None) -> pl.DataFrame:
    """The list in the words of the screen: headers in words, levels and phases named, people by name."""
    names = names or {}
    return frame.select(
        pl.col("name").alias("School"),
        pl.col("urn").alias("URN"),
        pl.col("phase").replace_strict(PHASE_WORDS, default=pl.col("phase")).alias("Phase"),
        pl.col("level").replace_strict(LEVEL_NAMES, default="Not categorised").alias("Level of support"),
        pl.col("level_since").alias("At this level since"),
        pl.col("adviser")
        .replace_strict(names, default=pl.col("adviser"))
        .fill_null("No adviser")
        .alias("Adviser"),
        pl.col("flags").alias("Open flags"),
        pl.col("worst_severity")
        .replace_strict(SEVERITY_NAMES, default="No flags")
        .fill_null("No flags")
        .alias("Most severe flag"),
        pl.col("ofsted").alias("Latest Ofsted"),
        pl.col("ofsted_date").alias("Inspected on"),
    )


def level_counts(frame: pl.DataFrame) -> dict[str, int]:
    """Schools in the list at each level (policy order, every level listed)."""
    got = dict(frame.group_by("level").len().iter_rows())
    return {lv: int(got.get(lv, 0)) for lv in LEVELS}

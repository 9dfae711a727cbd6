"""Borough overview: schools per level now, the change since last term, flags, hours, and how levels move."""

import polars as pl
import streamlit as st

from g2g_core.policy import LEVEL_NAMES, LEVELS
from g2g_core.vocabulary import PHASE_NAMES
from ui import auth, data
from ui.charts import level_bars, moves_figure
from ui.components import chart_with_table, level_label, page_header
from ui.controls import portfolio_controls

viewer = auth.page_viewer()
store = data.store()
as_of, filters = portfolio_controls(store, viewer)
ov = data.overview(store, viewer, store.version, viewer.scope_key, as_of, filters)

scope_words = "every school in the borough" if viewer.all_schools else "the schools attached to you"
page_header("Borough overview", f"Levels of support for {scope_words}, as at {as_of:%-d %B %Y}.")

if ov.schools.is_empty():
    st.info("No open, categorised school matches these filters on this date.")
    st.stop()

st.markdown("**Schools at each level now**")
cols = st.columns(len(LEVELS))
for col, row in zip(cols, ov.counts.iter_rows(named=True), strict=True):
    change = f"{row['change']:+d} on last term" if row["change"] else "same as last term"
    col.metric(row["name"], row["now"], delta=change, delta_color="off")
share = ov.hours_used / ov.hours_entitled_year if ov.hours_entitled_year else 0
c1, c2 = st.columns(2)
c1.metric("Flags overdue", ov.flags_overdue, delta=f"of {ov.flags_total} flags in all", delta_color="off")
c2.metric(
    "Adviser hours used this school year",
    f"{ov.hours_used:,.0f} of {ov.hours_entitled_year:,.0f}",
    delta=f"{share:.0%} used with {ov.year_elapsed:.0%} of the year gone",
    delta_color="off",
    help="Hours recorded this school year for SIP visits, LaMA support, one-day LA reviews and TAG meetings, against the year's entitlement of the schools' levels.",
)

by_phase = ov.by_phase.with_columns(
    phase_name=pl.col("phase").replace_strict(PHASE_NAMES),
    level_name=pl.col("level").replace_strict(LEVEL_NAMES),
)
top = ov.counts.sort("now", descending=True).row(0, named=True)
chart_with_table(
    "Schools by phase and level",
    f"{ov.schools.height} schools; the most common level is {top['name']} ({top['now']} schools).",
    level_bars(by_phase, "phase_name", "schools", "Phase", "Schools", horizontal=True),
    by_phase.select(
        pl.col("phase_name").alias("Phase"),
        pl.col("level_name").alias("Level"),
        pl.col("schools").alias("Schools"),
    ),
    "by_phase",
)

trend = ov.trend.with_columns(level_name=pl.col("level").replace_strict(LEVEL_NAMES))
first, last = trend["term"].first(), trend["term"].last()
above = (
    trend.filter(pl.col("level") != "core")
    .group_by("term_idx")
    .agg(pl.col("schools").sum())
    .sort("term_idx")["schools"]
)
chart_with_table(
    "Levels over the terms",
    f"From {first} to {last}, schools above Core went from {above.first() if len(above) else 0} to {above.last() if len(above) else 0}.",
    level_bars(trend, "term", "schools", "Term", "Schools"),
    trend.select(
        pl.col("term").alias("Term"), pl.col("level_name").alias("Level"), pl.col("schools").alias("Schools")
    ),
    "trend",
)

moves = ov.moves
if not moves.is_empty():
    fig = moves_figure(moves)
    moved = moves.filter(pl.col("from_level") != pl.col("to_level"))["schools"].sum()
    chart_with_table(
        "Moves between levels over the last year",
        f"{moved} of {moves['schools'].sum()} schools changed level in the year to {as_of:%-d %B %Y}.",
        fig,
        moves.select(
            pl.col("from_level").replace_strict(LEVEL_NAMES).alias("Level a year ago"),
            pl.col("to_level").replace_strict(LEVEL_NAMES).alias("Level now"),
            pl.col("schools").alias("Schools"),
        ),
        "moves",
    )

ofsted = ov.ofsted.with_columns(level_name=pl.col("level").replace_strict(LEVEL_NAMES))
concern = ofsted.filter(pl.col("outcome").str.starts_with("Category"))["schools"].sum()
chart_with_table(
    "Latest Ofsted outcome against level",
    f"Each school's latest inspection (2019 framework grades and report cards shown separately, never converted); {concern} in a category of concern.",
    level_bars(ofsted, "outcome", "schools", "Latest Ofsted outcome", "Schools", horizontal=True),
    ofsted.select(
        pl.col("outcome").alias("Latest Ofsted outcome"),
        pl.col("level_name").alias("Level"),
        pl.col("schools").alias("Schools"),
    ),
    "ofsted",
)
st.caption(
    f"Levels shown: {', '.join(level_label(lv) for lv in LEVELS)}. Data version {store.version}, loaded {store.loaded_at:%-d %B %Y %H:%M}."
)

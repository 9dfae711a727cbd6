"""Borough overview: schools per level now, the change since last term, flags, hours, and how levels move."""

import polars as pl
import streamlit as st

from g2g_core.crosstab import level_crosstab
from g2g_core.policy import LEVEL_NAMES, LEVELS
from g2g_core.vocabulary import PHASE_NAMES
from ui import auth, data
from ui.charts import level_bars, moves_figure
from ui.components import chart_with_table, level_label, page_header
from ui.controls import portfolio_controls
from ui.links import open_schools, picked_segment, schools_link

viewer = auth.page_viewer()
store = data.store()
as_of, filters = portfolio_controls(store, viewer)
ov = data.overview(store, viewer, store.version, viewer.scope_key, as_of, filters)

scope_words = "every school in the borough" if viewer.all_schools else "the schools attached to you"
page_header(
    "Borough overview" if viewer.all_schools else "Your schools",
    f"Levels of support for {scope_words}, as at {as_of:%-d %B %Y}.",
)

if ov.schools.is_empty():
    st.info("No open, categorised school matches these filters on this date.")
    st.stop()

st.markdown("**Schools at each level now**")
cols = st.columns(len(LEVELS))
for col, row in zip(cols, ov.counts.iter_rows(named=True), strict=True):
    change = f"{row['change']:+d} on last term" if row["change"] else "same as last term"
    col.metric(
        row["name"],
        row["now"],
        delta=change,
        delta_color="off",
        delta_arrow="auto" if row["change"] else "off",
    )
    schools_link(col, f"List the {row['now']} at {row['name']}", level=row["level"])
share = ov.hours_used / ov.hours_entitled_year if ov.hours_entitled_year else 0
c1, c2 = st.columns(2)
c1.metric(
    "Flags overdue",
    ov.flags_overdue,
    delta=f"of {ov.flags_total} flags in all",
    delta_color="off",
    delta_arrow="off",
)
c2.metric(
    "Adviser hours used this school year",
    f"{ov.hours_used:,.0f} of {ov.hours_entitled_year:,.0f}",
    delta=f"{share:.0%} used with {ov.year_elapsed:.0%} of the year gone",
    delta_color="off",
    delta_arrow="off",
    help="Hours recorded this school year for SIP visits, LaMA support, one-day LA reviews and TAG meetings, against the year's entitlement of the schools' levels.",
)

by_phase = ov.by_phase.with_columns(
    phase_name=pl.col("phase").replace_strict(PHASE_NAMES),
    level_name=pl.col("level").replace_strict(LEVEL_NAMES),
)
top = ov.counts.sort("now", descending=True).row(0, named=True)
phase_fig = level_bars(by_phase, "phase_name", "schools", "Phase", "Schools", horizontal=True)
picked = chart_with_table(
    "Schools by phase and level",
    f"{ov.schools.height} schools; the most common level is {top['name']} ({top['now']} schools). "
    "Click a bar to list its schools.",
    phase_fig,
    level_crosstab(by_phase, "phase_name", "Phase"),
    f"by_phase{st.session_state.get('ov_picked', 0) or ''}",
    selectable=True,
)
level_word, phase_word = picked_segment(picked, phase_fig)
if level_word:  # a fresh chart (new key) on the way back, so the old click does not lead away again
    st.session_state["ov_picked"] = st.session_state.get("ov_picked", 0) + 1
    open_schools(
        next((lv for lv in LEVELS if LEVEL_NAMES[lv] == level_word), None),
        next((p for p, w in PHASE_NAMES.items() if w == phase_word), None),
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
    level_crosstab(
        trend, "term", "Term", order=list(dict.fromkeys(trend.sort("term_idx")["term"])), total_row=False
    ),
    "trend",
)

moves = ov.moves
if not moves.is_empty():
    moved = moves.filter(pl.col("from_level") != pl.col("to_level"))["schools"].sum()
    chart_with_table(
        "Moves between levels over the last year",
        f"{moved} of {moves['schools'].sum()} schools changed level in the year to {as_of:%-d %B %Y}.",
        moves_figure(moves),
        level_crosstab(
            moves.with_columns(pl.col("from_level").replace_strict(LEVEL_NAMES)),
            "from_level",
            "Level a year ago (rows) and now (columns)",
            order=[LEVEL_NAMES[lv] for lv in LEVELS],
            level="to_level",
        ),
        "moves",
    )

ofsted = ov.ofsted.with_columns(level_name=pl.col("level").replace_strict(LEVEL_NAMES))
concern = ofsted.filter(pl.col("outcome").str.starts_with("Category"))["schools"].sum()
chart_with_table(
    "Latest Ofsted outcome against level",
    f"Each school's latest inspection (2019 framework grades and report cards shown separately, never converted); {concern} in a category of concern.",
    level_bars(ofsted, "outcome", "schools", "Latest Ofsted outcome", "Schools", horizontal=True),
    level_crosstab(ofsted, "outcome", "Latest Ofsted outcome"),
    "ofsted",
)
st.caption(
    f"Levels shown: {', '.join(level_label(lv) for lv in LEVELS)}. Data version {store.version}, loaded {store.loaded_at:%-d %B %Y %H:%M}."
)

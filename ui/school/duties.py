"""The School page's end: next dates, who does what at the level, and the council-only section."""

from __future__ import annotations

import polars as pl
import streamlit as st

from g2g_core.views import SchoolDetail
from g2g_core.vocabulary import ACTIVITY_NAMES, DATE_FORMAT, RATING_NAMES, RISK_AREA_NAMES, date_words
from ui.components import level_label
from ui.text import md_text


def risk_table(risk: pl.DataFrame) -> pl.DataFrame:
    """The latest risk assessment with headings and values in words, its date in words."""
    return risk.select(
        pl.col("term_start").dt.strftime(DATE_FORMAT).alias("Term starting"),
        pl.col("area").replace_strict(RISK_AREA_NAMES, default=pl.col("area")).alias("Area"),
        pl.col("rating").replace_strict(RATING_NAMES, default=pl.col("rating")).alias("Rating"),
        pl.col("assessed_by").fill_null("—").alias("Assessed by"),
        pl.col("note").fill_null("").alias("Note"),
    )


def hour_notes_table(notes: pl.DataFrame) -> pl.DataFrame:
    """The notes on the school's hours rows, with headings and activities in words, dates in words."""
    return notes.select(
        pl.col("date").dt.strftime(DATE_FORMAT).alias("Date"),
        pl.col(next(c for c in ("adviser_name", "adviser") if c in notes.columns)).alias("Adviser"),
        pl.col("activity").replace_strict(ACTIVITY_NAMES, default=pl.col("activity")).alias("Activity"),
        pl.col("hours").alias("Hours"),
        pl.col("note").alias("Note"),
    )


def render(detail: SchoolDetail) -> None:
    """Next dates, the responsibilities of each party at the level, and (for staff) risks and notes on hours."""
    level = detail.school.get("level")
    st.subheader("Next dates")
    if detail.next_dates:
        # A list, not a grid: each date reads in full on a phone (390 px) and in print.
        st.markdown(
            "\n".join(
                f"- **{md_text(date_words(when))}**: {md_text(what)}"
                for what, when in sorted(detail.next_dates, key=lambda d: d[1])
            )
        )
    else:
        st.write("No dates are due.")

    st.subheader(f"Who does what at {level_label(level)} level")
    for who, duties in detail.responsibilities.items():
        with st.expander(who):
            for d in duties:
                st.text("• " + d)

    if detail.council:
        st.subheader("For authority staff only")
        st.caption("Risk assessments and notes on hours are never shown to the school.")
        st.dataframe(risk_table(detail.council["risk"]), hide_index=True, width="stretch")
        if not detail.council["hour_notes"].is_empty():
            st.dataframe(hour_notes_table(detail.council["hour_notes"]), hide_index=True, width="stretch")

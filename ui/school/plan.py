"""The School page's plan priorities and what needs attention."""

from __future__ import annotations

import polars as pl
import streamlit as st

from g2g_core.views import SchoolDetail
from g2g_core.vocabulary import NOT_REVIEWED, PLAN_NAMES, STATUS_NAMES
from ui.text import md_text


def _priorities_table(pr: pl.DataFrame) -> None:
    st.dataframe(
        pr.select(
            pl.col("plan").replace_strict(PLAN_NAMES, default=pl.col("plan")).alias("Plan"),
            pl.col("priority").alias("Priority"),
            pl.col("latest_status")
            .replace_strict(STATUS_NAMES, default=pl.col("latest_status"))
            .fill_null(NOT_REVIEWED)
            .alias("Latest status"),
            pl.col("last_reviewed_on").dt.strftime("%-d %b %Y").fill_null("not yet").alias("Last reviewed"),
            pl.col("next_due").dt.strftime("%-d %b %Y").fill_null("none scheduled").alias("Next review due"),
        ),
        hide_index=True,
        width="stretch",
    )


def render(detail: SchoolDetail) -> None:
    """The current plan's priorities (earlier plans apart), then each flag in its reader's wording."""
    st.subheader("Plan priorities")
    current, earlier = detail.current_priorities, detail.earlier_priorities
    if current.is_empty():
        st.write("No priorities of a current plan have been recorded for this school.")
    else:
        _priorities_table(current)
    if not earlier.is_empty():
        with st.expander(f"Earlier plans ({earlier.height} priorities, not counted above)", expanded=False):
            _priorities_table(earlier)

    st.subheader("What needs attention")
    if not detail.flag_texts:
        st.write("Nothing is overdue or due for this school on this date.")
    for f in detail.flag_texts:
        with st.container(border=True):
            st.markdown(
                f"**{f.severity_words}** · {md_text(f.title)} · since {f.since:%-d %B %Y}"
                + (f" · policy {f.policy}" if f.policy else "")
            )
            st.text(f.message)
            st.text(f"{f.next_label}: {f.next_step}")
            if f.evidence:
                st.caption("The records behind it: " + md_text(f.evidence))

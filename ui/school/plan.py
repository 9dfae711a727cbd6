"""The School page's plan priorities and what needs attention."""

from __future__ import annotations

import polars as pl
import streamlit as st

from g2g_core.views import SchoolDetail
from g2g_core.vocabulary import NOT_REVIEWED, PLAN_NAMES, SEVERITY_NAMES, STATUS_NAMES
from ui.text import md_text


def render(detail: SchoolDetail) -> None:
    """The plan's priorities with their latest status, then each flag with its next step and evidence."""
    st.subheader("Plan priorities")
    pr = detail.priorities
    if pr.is_empty():
        st.write("No plan priorities have been recorded for this school.")
    else:
        st.dataframe(
            pr.select(
                pl.col("plan").replace_strict(PLAN_NAMES, default=pl.col("plan")).alias("Plan"),
                pl.col("priority").alias("Priority"),
                pl.col("latest_status")
                .replace_strict(STATUS_NAMES, default=pl.col("latest_status"))
                .fill_null(NOT_REVIEWED)
                .alias("Latest status"),
                pl.col("last_reviewed_on")
                .dt.strftime("%-d %b %Y")
                .fill_null("not yet")
                .alias("Last reviewed"),
                pl.col("next_due")
                .dt.strftime("%-d %b %Y")
                .fill_null("none scheduled")
                .alias("Next review due"),
            ),
            hide_index=True,
            width="stretch",
        )

    st.subheader("What needs attention")
    if detail.flags.is_empty():
        st.write("Nothing is overdue or due for this school on this date.")
    for f in detail.flags.iter_rows(named=True):
        with st.container(border=True):
            st.markdown(
                f"**{SEVERITY_NAMES[f['severity']]}** · since {f['since']:%-d %B %Y} · policy {f['policy_ref']}"
            )
            st.text(f["message"])
            st.text("Next step: " + f["action"])
            st.caption("The records behind it: " + md_text(f["evidence"]))

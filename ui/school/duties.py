"""The School page's end: next dates, who does what at the level, and the council-only section."""

from __future__ import annotations

import polars as pl
import streamlit as st

from g2g_core.views import SchoolDetail
from ui.components import level_label


def render(detail: SchoolDetail) -> None:
    """Next dates, the responsibilities of each party at the level, and (for staff) risks and notes on hours."""
    level = detail.school.get("level")
    st.subheader("Next dates")
    if detail.next_dates:
        st.dataframe(
            pl.DataFrame([{"What": what, "When": when} for what, when in detail.next_dates]),
            hide_index=True,
            width="stretch",
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
        st.dataframe(detail.council["risk"], hide_index=True, width="stretch")
        if not detail.council["hour_notes"].is_empty():
            st.dataframe(detail.council["hour_notes"], hide_index=True, width="stretch")

"""Shared, accessible components: page headers, level words, charts with a table alternative and a download.

The figures themselves are drawn in `ui.charts`, in the colours and patterns of `g2g_core.vocabulary`.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from g2g_core.exports import to_csv
from g2g_core.vocabulary import level_words
from ui.audit import audited


def level_label(code: str | None) -> str:
    """A level's name in words."""
    return level_words(code)


def page_header(title: str, summary: str) -> None:
    """One title per page and a one-sentence summary under it."""
    st.title(title)
    st.caption(summary)


def chart_with_table(title: str, summary: str, fig: go.Figure, table: pl.DataFrame, key: str) -> None:
    """A chart with a heading, a one-sentence summary, a 'show as table' alternative and a CSV download."""
    st.subheader(title)
    st.write(summary)
    if st.toggle("Show as table", key=f"table_{key}"):
        st.dataframe(table, hide_index=True, width="stretch")
    else:
        st.plotly_chart(fig, key=f"chart_{key}", config={"displaylogo": False})
    viewer = st.session_state.get("viewer")
    csv = to_csv(table)
    st.download_button(
        f"Download the data of '{title}' (CSV)",
        audited(lambda: csv, viewer, "export_table", None, f"{key}.csv") if viewer else csv,
        file_name=f"{key}.csv",
        mime="text/csv",
        key=f"csv_{key}",
    )

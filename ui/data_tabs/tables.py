"""The Data page's first tab: the tables in force, their validation, and the checks across tables and accounts."""

from __future__ import annotations

import polars as pl
import streamlit as st

from g2g_core.access import Viewer
from ui import auth, data


def render(store, viewer: Viewer) -> None:
    """Each table's rows, dates and source; the validation report; the referential checks with examples."""
    st.subheader("Tables in force")
    summary = data.table_summary(store, viewer, store.version, viewer.scope_key)
    st.dataframe(
        summary.with_columns(
            pl.col("Earliest", "Latest").dt.strftime("%-d %b %Y").fill_null("—"),
            pl.col("Last refreshed (UTC)").dt.strftime("%-d %b %Y %H:%M").fill_null("—"),
        ),
        hide_index=True,
        width="stretch",
        column_config={"Rows": st.column_config.NumberColumn(format="localized")},
    )
    st.subheader("Validation report")
    st.write(
        f"Every row of every table passed every rule of the data contract when this version was loaded "
        f"({summary['Rows'].sum():,} rows; rules per table in the last column above). Data that break a rule are "
        "never loaded: they are refused with the file, row, column, value and rule."
    )
    st.subheader("Checks across tables and accounts")
    accounts = auth.load_accounts().get("usernames", {})
    for check in data.referential_checks(store, viewer, store.version, viewer.scope_key, accounts):
        label = f"{check.title}: **{check.count:,}**" if check.count else f"{check.title}: none"
        with st.expander(label, expanded=False):
            st.caption(check.explanation)
            if check.count:
                st.dataframe(check.examples, hide_index=True, width="stretch")
                if check.count > check.examples.height:
                    st.caption(f"The first {check.examples.height} are shown.")

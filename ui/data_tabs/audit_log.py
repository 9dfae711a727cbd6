"""The Data page's audit log tab: who did what, filtered, verified against its signatures, downloadable."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import polars as pl
import streamlit as st

from g2g_core.access import Viewer, parse_urn
from g2g_core.audit import ACTIONS, audit_log
from g2g_core.exports import to_csv
from g2g_core.vocabulary import ROLE_NAMES
from ui.audit import audited


def render(root: Path, viewer: Viewer) -> None:
    """Filters (what, who, school, period), the entries, a warning if the file was changed, and a CSV."""
    st.subheader("Audit log")
    st.caption(
        "Who signed in, opened which school, downloaded what and changed the data. It cannot be edited."
    )
    log = audit_log(root)
    c1, c2, c3, c4 = st.columns(4)
    action = c1.selectbox(
        "What",
        [None, *ACTIONS],
        format_func=lambda a: "Everything" if a is None else ACTIONS[a],
        key="audit_action",
    )
    actor = c2.text_input("Who (username)", key="audit_actor", max_chars=64).strip() or None
    urn_text = c3.text_input("School URN", key="audit_urn", max_chars=9).strip()
    days = c4.selectbox(
        "Period", [7, 30, 365, None], format_func=lambda d: f"Last {d} days" if d else "All", key="audit_days"
    )
    since = (
        datetime.combine(datetime.now(UTC).date() - timedelta(days=days), time(), tzinfo=UTC)
        if days
        else None
    )
    urn = parse_urn(urn_text)
    if urn_text and urn is None:
        st.warning("A URN is a number of up to 9 digits.")
    events = log.read(viewer, actor=actor, action=action, urn=urn, since=since)
    damaged = log.verify()
    if damaged:
        st.error(
            f"The audit log file was changed outside the app ({len(damaged)} sign(s)): "
            + "; ".join(damaged[:5])
        )
    shown = events.with_columns(
        pl.col("at").dt.replace_time_zone(None).alias("at"),
        pl.col("action").replace_strict(ACTIONS, default=pl.col("action")).alias("action"),
        pl.col("role").replace_strict(ROLE_NAMES, default=pl.col("role")).alias("role"),
    ).rename(
        {
            "at": "When (UTC)",
            "actor": "Who",
            "role": "Role",
            "action": "What",
            "urn": "URN",
            "detail": "Details",
        }
    )
    st.write(f"{events.height:,} entr{'y' if events.height == 1 else 'ies'}.")
    st.dataframe(shown.head(1000), hide_index=True, width="stretch")
    if events.height > 1000:
        st.caption("The 1,000 newest are shown; download the CSV for all of them.")
    csv = to_csv(shown)
    st.download_button(
        "Download these entries (CSV)",
        audited(lambda: csv, viewer, "export_table", None, f"audit log ({events.height} entries)"),
        file_name="audit-log.csv",
        mime="text/csv",
    )

"""Attention: schools overdue to exit or to be escalated, and process gaps, most severe and oldest first."""

import polars as pl
import streamlit as st

from g2g_core.exports import to_csv, to_xlsx
from g2g_core.rules import KIND_NAMES, RULES, SEVERITIES
from g2g_core.vocabulary import SEVERITY_NAMES
from ui import auth, data
from ui.audit import audited
from ui.components import level_label, page_header
from ui.controls import portfolio_controls

viewer = auth.page_viewer()
store = data.store()
as_of, filters = portfolio_controls(store, viewer)

page_header(
    "Attention", f"What the policy says should happen next, school by school, as at {as_of:%-d %B %Y}."
)

c1, c2, c3 = st.columns(3)
kinds = c1.multiselect("Kind", list(KIND_NAMES), format_func=KIND_NAMES.get, placeholder="All kinds")
severities = c2.multiselect(
    "Severity", list(SEVERITIES), format_func=SEVERITY_NAMES.get, placeholder="All severities"
)
rule_titles = {r.id: r.title for r in RULES}
rules = c3.multiselect("Rule", list(rule_titles), format_func=rule_titles.get, placeholder="All rules")

flags = data.attention(
    store,
    viewer,
    store.version,
    viewer.scope_key,
    as_of,
    filters,
    tuple(kinds),
    tuple(severities),
    tuple(rules),
)
if flags.is_empty():
    st.success("Nothing needs attention for these schools and filters on this date.")
    st.stop()

counts = {s: int((flags["severity"] == s).sum()) for s in SEVERITIES}
st.write(
    f"{flags.height} flag(s) for {flags['urn'].n_unique()} school(s): {counts['overdue']} overdue, {counts['due']} due, {counts['info']} for information."
)

shown = flags.with_columns(
    school_link=pl.lit("school?urn=")
    + pl.col("urn").cast(pl.String)
    + (f"&as_of={as_of.isoformat()}" if as_of != store.default_as_of() else ""),
    severity_word=pl.col("severity").replace_strict(SEVERITY_NAMES),
    level_word=pl.col("level").map_elements(level_label, return_dtype=pl.String),
).select(
    pl.col("severity_word").alias("Severity"),
    pl.col("title").alias("What"),
    pl.col("name").alias("School"),
    pl.col("school_link").alias("Open"),
    pl.col("level_word").alias("Level"),
    pl.col("since").alias("Since"),
    pl.col("age_days").alias("Days"),
    pl.col("message").alias("Why"),
    pl.col("action").alias("Next step"),
    pl.col("evidence").alias("The records behind it"),
    pl.col("adviser").alias("Adviser"),
    pl.col("policy_ref").alias("Policy"),
)
st.dataframe(
    shown,
    hide_index=True,
    width="stretch",
    height=min(36 * (shown.height + 1) + 4, 900),
    column_config={
        "Open": st.column_config.LinkColumn(
            "Open", display_text="Open school", help="Open this school's page"
        ),
        "Since": st.column_config.DateColumn("Since", format="D MMM YYYY"),
    },
)
export = flags.select(
    "urn",
    "name",
    "adviser",
    "level",
    "rule",
    "kind",
    "severity",
    "since",
    "age_days",
    "policy_ref",
    "message",
    "action",
    "evidence",
)
d1, d2 = st.columns(2)
csv_bytes = to_csv(export)
d1.download_button(
    "Download these flags (CSV)",
    audited(lambda: csv_bytes, viewer, "export_table", None, f"attention-{as_of}.csv ({export.height} rows)"),
    file_name=f"attention-{as_of}.csv",
    mime="text/csv",
)
d2.download_button(
    "Download these flags (Excel)",
    audited(
        lambda: to_xlsx(export),
        viewer,
        "export_table",
        None,
        f"attention-{as_of}.xlsx ({export.height} rows)",
    ),
    file_name=f"attention-{as_of}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)

"""Data: what data are in force, where they came from, how to replace them safely, and who did what.

Director only. Uploads and national imports are checked with the rest of the data in a staging folder and go
live in one step, or not at all; every earlier version is kept and can be restored with one click. The
audit log is read here and cannot be changed from the app.
"""

from datetime import UTC, datetime, time, timedelta

import polars as pl
import streamlit as st

from g2g_core import datadir, datainfo
from g2g_core.audit import ACTIONS, audit_log
from g2g_core.exports import to_csv
from g2g_core.schema import TABLES
from g2g_core.store import STORES
from ui import auth, data
from ui.audit import audited
from ui.components import page_header
from ui.problems import problems_frame, show_refused
from ui.upload_preview import upload_tab

viewer = auth.page_viewer()
if viewer.role != "director":
    page_header("Data", "The data in force and its history.")
    st.warning("Only the Assistant Director's team can see and change the data.")
    st.stop()

root = data.data_dir()
store = data.store()
TABLE_CHOICES = [t.name for t in TABLES]


def version_words(v: datadir.Version | None) -> str:
    """A version in words: when, who, and what happened."""
    if v is None:
        return "the files in the data folder (no upload yet)"
    when = f"{v.created_at:%-d %B %Y at %H:%M} UTC" if v.created_at else "an unknown time"
    what = {
        "initial": "the data as they were before the first upload",
        "upload": "an upload",
        "import_gias": "a GIAS import",
        "import_ofsted": "an Ofsted import",
    }.get(v.action, v.action)
    return f"{what}, {when}, by {v.created_by or 'unknown'}"


page_header(
    "Data",
    "The data in force, where each table came from, the checks they passed, and how to replace them safely.",
)
if message := st.session_state.pop("data_message", None):
    st.success(message)

history = datadir.versions(root, viewer)
live = next((v for v in history if v.current), None)
st.write(f"**In force:** {version_words(live)}" + (f" (version `{live.id}`)." if live else "."))
if STORES.last_problems.get(str(root.resolve())):
    newer = STORES.last_problems[str(root.resolve())]
    st.error(
        f"Newer files in the data folder could not be used ({len(newer)} problem(s)); the app keeps serving the "
        "version above until they are corrected."
    )
    st.dataframe(problems_frame(newer), hide_index=True, width="stretch")

tab_tables, tab_upload, tab_import, tab_history, tab_audit = st.tabs(
    ["Tables and checks", "Upload", "National imports", "History", "Audit log"]
)

with tab_tables:
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

with tab_upload:
    if published := upload_tab(root, viewer):
        st.session_state["data_message"] = published
        st.rerun()

with tab_import:
    from ui import national_imports

    national_imports.render(root, viewer)

with tab_history:
    st.subheader("Versions")
    if not history:
        st.write("No upload has been made yet: the data in force are the files in the data folder.")
    for v in history[:30]:
        tables = ", ".join(
            f"{datainfo.TABLE_NAMES.get(t, t)} ({e.get('source', '')})"
            for t, e in sorted(v.files.items())
            if isinstance(e, dict) and e.get("uploaded_at")
        )
        cols = st.columns([5, 2])
        cols[0].markdown(
            f"{'**In force** · ' if v.current else ''}{version_words(v)}  \n"
            f"`{v.id}`" + (f" · {tables}" if tables else "") + (f" · note: {v.note}" if v.note else ""),
        )
        if not v.current and cols[1].button("Roll back to this version", key=f"rollback_{v.id}"):
            try:
                datadir.rollback(root, v.id, viewer)
            except datadir.UploadError as err:
                show_refused(err, "The roll back")
            else:
                st.session_state["data_message"] = (
                    f"Rolled back: version {v.id} ({version_words(v)}) is in force again."
                )
                st.rerun()
    if len(history) > 30:
        st.caption(f"The 30 newest of {len(history)} versions are shown.")

with tab_audit:
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
    urn = int(urn_text) if urn_text.isdigit() and len(urn_text) <= 9 else None
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

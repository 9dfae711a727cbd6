"""The Data page's Upload tab: templates per table, Check (what would change), then Publish (exactly that)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import streamlit as st

from g2g_core import datadir, preview
from g2g_core.access import Viewer
from g2g_core.schema import TABLE_BY_NAME, TABLES
from g2g_core.vocabulary import SEVERITY_NAMES, TABLE_NAMES
from ui.downloads import download
from ui.problems import show_refused

KEY = "upload_preview"


def templates() -> None:
    """Which columns each table needs, with a CSV and an Excel template (headers and one example row)."""
    with st.expander("Templates: the columns each table needs"):
        names = [t.name for t in TABLES]
        table = st.selectbox(
            "Table", names, format_func=lambda t: TABLE_NAMES[t], key="upload_template_table"
        )
        st.write(TABLE_BY_NAME[table].description)
        st.dataframe(
            pl.DataFrame(preview.template_rows(TABLE_BY_NAME[table])), hide_index=True, width="stretch"
        )
        a, b = st.columns(2)
        download(
            "Template (CSV)",
            preview.template_csv(table),
            file_name=f"{table}-template.csv",
            where=a,
            mime="text/csv",
            key="upload_template_csv",
        )
        download(
            "Template (Excel, with a sheet explaining each column)",
            preview.template_xlsx(table),
            file_name=f"{table}-template.xlsx",
            where=b,
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="upload_template_xlsx",
        )


def show_preview(checked: preview.Preview) -> None:
    """What publishing would change: rows per table, schools whose level changes, flags appearing or clearing."""
    st.markdown(f"**If you publish these files** (as at {checked.as_of:%-d %B %Y}):")
    st.dataframe(
        pl.DataFrame(
            [
                {
                    "Table": TABLE_NAMES[t.table],
                    "Rows now": t.rows_before,
                    "Rows after": t.rows_after,
                    "Added": t.added,
                    "Removed": t.removed,
                    "Changed": t.changed,
                    "Rows matched on": ", ".join(t.compared_on) or "the whole row",
                }
                for t in checked.tables
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    levels = checked.levels
    st.markdown(f"**Schools whose level would change: {levels.height}**")
    if levels.height:
        st.dataframe(
            levels.rename(
                {"urn": "URN", "name": "School", "level_before": "Level now", "level_after": "Level after"}
            ).select("School", "URN", "Level now", "Level after"),
            hide_index=True,
            width="stretch",
        )
    for frame, words in ((checked.flags_appear, "appear"), (checked.flags_clear, "clear")):
        st.markdown(f"**Flags that would {words}: {frame.height}**")
        if frame.height:
            st.dataframe(
                frame.select(
                    pl.col("name").alias("School"),
                    pl.col("urn").alias("URN"),
                    pl.col("title").alias("What"),
                    pl.col("severity").replace_strict(SEVERITY_NAMES).alias("Severity"),
                ),
                hide_index=True,
                width="stretch",
            )


def upload_tab(root: Path, viewer: Viewer) -> str | None:
    """Choose files, Check, then Publish; returns the message to show once published (the page reruns)."""
    st.subheader("Upload new exports")
    st.write(
        "Choose one or more files (Parquet, CSV or Excel .xlsx, up to "
        f"{datadir.max_upload_bytes() // 1048576} MB each) and the table each one replaces. **Check** shows what "
        "would change, checked together with the tables you do not replace; nothing changes until you press "
        "**Publish**, which puts exactly the checked files live. The version in force now stays in the history."
    )
    templates()
    nonce = st.session_state.setdefault("upload_nonce", 0)
    files = st.file_uploader(
        "Export files",
        type=["parquet", "csv", "xlsx"],
        accept_multiple_files=True,
        key=f"upload_files_{nonce}",
    )
    choices = [t.name for t in TABLES]
    chosen = []
    for i, f in enumerate(files or []):
        stem = datadir.display_name(f.name).rsplit(".", 1)[0].lower()
        table = st.selectbox(
            f"Table that {datadir.display_name(f.name)} replaces",
            choices,
            index=choices.index(stem) if stem in choices else None,
            format_func=lambda t: TABLE_NAMES[t],
            key=f"upload_table_{nonce}_{i}",
            placeholder="Choose a table",
        )
        chosen.append((f, table))
    note = st.text_input("Note for the history (optional)", max_chars=200, key=f"upload_note_{nonce}")
    uploads = [datadir.Upload(t, f.name, f.getvalue()) for f, t in chosen if t is not None]
    if st.button("Check", type="primary", disabled=not chosen, key="upload_check"):
        missing = [datadir.display_name(f.name) for f, t in chosen if t is None]
        if missing:
            st.error("Choose the table for: " + ", ".join(missing) + ".")
            return None
        try:
            with st.spinner("Checking the files with the rest of the data…"):
                st.session_state[KEY] = preview.preview(root, uploads, viewer)
        except PermissionError:
            st.error("Only a director may change the data.")
            return None
    checked: preview.Preview | None = st.session_state.get(KEY)
    if checked is None or not uploads or checked.fingerprint != preview.fingerprint(uploads):
        return None  # nothing checked yet, or the files changed since: Check again
    if not checked.ok:
        show_refused(datadir.UploadError(checked.problems), "The upload")
        return None
    show_preview(checked)
    if not st.button("Publish", type="primary", key="upload_publish"):
        st.caption("Nothing has changed yet.")
        return None
    try:
        with st.spinner("Publishing…"):
            version = preview.publish_previewed(root, uploads, checked, viewer, note=note)
    except datadir.UploadError as err:
        show_refused(err, "The upload")
        return None
    except PermissionError:
        st.error("Only a director may change the data.")
        return None
    st.session_state.pop(KEY, None)
    st.session_state["upload_nonce"] = nonce + 1
    return (
        f"Version {version.id} is now in force: "
        + ", ".join(f"{TABLE_NAMES[u.table]} from {u.shown}" for u in uploads)
        + ". The previous version is kept in the history."
    )

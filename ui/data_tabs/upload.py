"""The Data page's upload tab: new exports checked with the rest of the data, published in one step or not at all."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from g2g_core import datadir
from g2g_core.access import Viewer
from g2g_core.vocabulary import TABLE_CODES, TABLE_NAMES
from ui.problems import show_refused

TABLE_CHOICES = list(TABLE_CODES)


def render(root: Path, viewer: Viewer) -> None:
    """Files, the table each replaces, an optional note, and the 'Check and publish' button."""
    st.subheader("Upload new exports")
    st.write(
        "Choose one or more files (Parquet, CSV or Excel .xlsx, up to "
        f"{datadir.max_upload_bytes() // 1048576} MB each) and the table each one replaces. They are checked "
        "together with the tables you do not replace; only if every file passes does the new version go live. "
        "The version in force now stays in the history."
    )
    nonce = st.session_state.setdefault("upload_nonce", 0)
    files = st.file_uploader(
        "Export files",
        type=["parquet", "csv", "xlsx"],
        accept_multiple_files=True,
        key=f"upload_files_{nonce}",
    )
    chosen = []
    for i, f in enumerate(files or []):
        stem = datadir.display_name(f.name).rsplit(".", 1)[0].lower()
        guess = TABLE_CHOICES.index(stem) if stem in TABLE_CHOICES else None
        table = st.selectbox(
            f"Table that {datadir.display_name(f.name)} replaces",
            TABLE_CHOICES,
            index=guess,
            format_func=lambda t: TABLE_NAMES[t],
            key=f"upload_table_{nonce}_{i}",
            placeholder="Choose a table",
        )
        chosen.append((f, table))
    note = st.text_input("Note for the history (optional)", max_chars=200, key=f"upload_note_{nonce}")
    if st.button("Check and publish", type="primary", disabled=not chosen, key="upload_go"):
        missing = [datadir.display_name(f.name) for f, t in chosen if t is None]
        if missing:
            st.error("Choose the table for: " + ", ".join(missing) + ".")
        else:
            uploads = [datadir.Upload(t, f.name, f.getvalue()) for f, t in chosen]
            try:
                with st.spinner("Checking the files with the rest of the data…"):
                    version = datadir.publish(root, uploads, viewer, note=note)
            except datadir.UploadError as err:
                show_refused(err, "The upload")
            except PermissionError:
                st.error("Only a director may change the data.")
            else:
                st.session_state["data_message"] = (
                    f"Version {version.id} is now in force: "
                    + ", ".join(f"{TABLE_NAMES[u.table]} from {u.shown}" for u in uploads)
                    + ". The previous version is kept in the history."
                )
                st.session_state["upload_nonce"] = nonce + 1
                st.rerun()

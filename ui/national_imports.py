"""The Data page's national imports: GIAS establishments into schools, Ofsted's inspections into the Ofsted tables.

Both go through the same staging, checks and atomic switch as an upload (g2g_core.imports calls
g2g_core.datadir.publish), so a bad file changes nothing and lists every problem.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from g2g_core import datadir
from g2g_core.access import Viewer
from ui.problems import show_refused
from ui.text import md_text


def _outcome(result, what: str) -> None:
    summary = getattr(result, "summary", None) or []
    version = getattr(result, "version", None)
    lines = [
        f"{what} is in force" + (f" as version {version.id}." if version else "."),
        *map(md_text, summary),
    ]
    st.session_state["data_message"] = " ".join(lines)
    st.rerun()


def render(root: Path, viewer: Viewer) -> None:
    """Two import forms: GIAS with the authority's LA code, and Ofsted's most recent inspections."""
    from g2g_core import imports

    st.subheader("Schools from Get Information About Schools (GIAS)")
    st.write(
        "Download the establishment extract (edubasealldata…csv) from GIAS and upload it here as it is. "
        "The schools of your local authority replace the schools table; the advisers and chairs of "
        "governors already recorded are kept, and schools no longer in the extract are kept for their history."
    )
    nonce = st.session_state.setdefault("import_nonce", 0)
    gias = st.file_uploader("GIAS establishment extract (CSV)", type=["csv"], key=f"gias_file_{nonce}")
    la = st.number_input(
        "Local authority code",
        min_value=100,
        max_value=999,
        value=None,
        step=1,
        key="gias_la",
        help="The three-digit LA code in GIAS, for example 204 for Hackney.",
    )
    if st.button("Import schools", disabled=gias is None or la is None, key="gias_go"):
        try:
            with st.spinner("Reading the extract and checking it with the rest of the data…"):
                result = imports.import_gias(root, gias.getvalue(), int(la), viewer, name=gias.name)
        except datadir.UploadError as err:
            show_refused(err, "The GIAS import")
        else:
            st.session_state["import_nonce"] = nonce + 1
            _outcome(result, "The GIAS import")

    st.subheader("Inspections from Ofsted's management information")
    st.write(
        "Download Ofsted's monthly 'State-funded schools inspections and outcomes' management information, "
        "most recent inspections, as CSV or Excel, and upload it here. The latest inspections of your schools, "
        "under both frameworks, are added to the Ofsted tables; an inspection already recorded for the same "
        "school and date is replaced by the file's version, and older inspections are kept."
    )
    mi = st.file_uploader(
        "Ofsted most recent inspections (CSV or Excel)", type=["csv", "xlsx"], key=f"ofsted_file_{nonce}"
    )
    if st.button("Import inspections", disabled=mi is None, key="ofsted_go"):
        try:
            with st.spinner("Reading the file and checking it with the rest of the data…"):
                result = imports.import_ofsted(root, mi.getvalue(), viewer, name=mi.name)
        except datadir.UploadError as err:
            show_refused(err, "The Ofsted import")
        else:
            st.session_state["import_nonce"] = nonce + 1
            _outcome(result, "The Ofsted import")

"""Data: what data are in force, where they came from, how to replace them safely, and who did what.

Director only. Uploads and national imports are checked with the rest of the data in a staging folder and go
live in one step, or not at all; every earlier version is kept and can be restored with one click. The
audit log is read here and cannot be changed from the app.
"""

import streamlit as st

from g2g_core import datadir
from g2g_core.store import STORES
from ui import auth, data, national_imports
from ui.components import page_header
from ui.data_tabs import audit_log as audit_log_tab
from ui.data_tabs import history as history_tab
from ui.data_tabs import tables, upload
from ui.data_tabs.history import version_words
from ui.problems import problems_frame

viewer = auth.page_viewer()
if viewer.role != "director":
    page_header("Data", "The data in force and its history.")
    st.warning("Only the Assistant Director's team can see and change the data.")
    st.stop()

root = data.data_dir()
store = data.store()
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
    tables.render(store, viewer)
with tab_upload:
    upload.render(root, viewer)
with tab_import:
    national_imports.render(root, viewer)
with tab_history:
    history_tab.render(root, viewer, history)
with tab_audit:
    audit_log_tab.render(root, viewer)

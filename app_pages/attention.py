"""Attention: schools overdue to exit or to be escalated, and process gaps, most severe and oldest first."""

import streamlit as st

from g2g_core.rules import SEVERITIES
from ui import auth, data
from ui.attention_list import attention_filters, downloads, flag_list
from ui.components import page_header
from ui.controls import portfolio_controls
from ui.links import remember_list
from ui.names import with_names

viewer = auth.page_viewer()
store = data.store()
as_of, filters = portfolio_controls(store, viewer)

page_header(
    "Attention", f"What the policy says should happen next, school by school, as at {as_of:%-d %B %Y}."
)
kinds, severities, rules, new_since = attention_filters(as_of)
remember_list("app_pages/attention.py", "Attention")
flags = data.attention_list(
    store, viewer, store.version, viewer.scope_key, as_of, filters, kinds, severities, rules, new_since
)
flags = with_names(store, flags)
if flags.is_empty():
    st.success("Nothing needs attention for these schools and filters on this date.")
    st.stop()

counts = {s: int((flags["severity"] == s).sum()) for s in SEVERITIES}
new_words = f" new since {new_since:%-d %B %Y}" if new_since else ""
st.write(
    f"{flags.height} flag(s){new_words} for {flags['urn'].n_unique()} school(s): {counts['overdue']} overdue, "
    f"{counts['due']} due, {counts['info']} for information. Most severe and oldest first."
)
downloads(flags, as_of, viewer)
flag_list(flags, as_of)

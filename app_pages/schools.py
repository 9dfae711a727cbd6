"""Schools: every open school the viewer may see, with its level, adviser, flags and latest Ofsted."""

import streamlit as st

from g2g_core.exports import export_name, export_title
from ui import auth, data
from ui.controls import portfolio_controls
from ui.links import open_school, remember_list
from ui.schools_table import schools_downloads, schools_header, schools_search, schools_table

viewer = auth.page_viewer()
store = data.store()
as_of, filters = portfolio_controls(store, viewer)
title = "Schools"
schools_header(title, as_of, viewer.all_schools)
search, sort = schools_search()
frame = data.schools_list(store, viewer, store.version, viewer.scope_key, as_of, filters, search, sort)
remember_list("app_pages/schools.py", title)
picked = schools_table(frame, filters)
if picked is not None:
    open_school(picked)
what = export_title(title, as_of)
schools_downloads(frame, what, export_name(title, as_of, "csv"), export_name(title, as_of, "xlsx"), viewer)
st.caption(f"Data version {store.version}, loaded {store.loaded_at:%-d %B %Y %H:%M}.")

"""Which school the School page shows: the head's or governor's own, or the one chosen in the sidebar."""

from __future__ import annotations

from datetime import date

import streamlit as st

from g2g_core.access import Viewer, parse_urn
from g2g_core.views import SchoolDetail
from ui import data
from ui.components import page_header

NOT_AVAILABLE = (
    "This school is not available to you. Choose a school from the list, or check the link you were given."
)


def school_detail(store, viewer: Viewer, as_of: date) -> SchoolDetail:
    """The school asked for in the URL or the sidebar, in the viewer's scope; stops the page with a message if none."""
    choices = data.visible_schools(store, viewer, store.version, viewer.scope_key, as_of)
    raw = st.query_params.get("urn")
    urn = None if raw is None else (parse_urn(raw) or -1)
    if viewer.role in ("head", "governor"):
        own = sorted(viewer.urns or ())
        if urn is None and own:
            urn = own[0]
    elif not choices.is_empty():
        labels = {
            r["urn"]: f"{r['name']} ({r['urn']})" + (" — closed" if r["closed_on"] else "")
            for r in choices.iter_rows(named=True)
        }
        options = list(labels)
        index = options.index(urn) if urn in labels else None
        picked = st.sidebar.selectbox(
            "School", options, index=index, format_func=labels.get, placeholder="Choose a school"
        )
        if picked is not None and picked != urn and (urn is None or urn in labels):
            urn = picked
            st.query_params["urn"] = str(urn)

    detail = (
        data.school(store, viewer, store.version, viewer.scope_key, urn, as_of)
        if urn is not None and urn > 0
        else None
    )
    if detail is None:
        page_header("School", "One school's picture.")
        if urn is None:
            st.info("Choose a school in the sidebar.")
        else:
            st.warning(NOT_AVAILABLE)
        st.stop()
    return detail

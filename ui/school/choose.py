"""Which school the School page shows: the head's or governor's own, or the one chosen in the sidebar."""

from __future__ import annotations

from datetime import date

import streamlit as st

from g2g_core.access import Viewer, parse_urn
from g2g_core.views import SchoolDetail
from ui import data
from ui.components import page_header
from ui.text import md_text

NOT_AVAILABLE = (
    "This school is not available to you. Choose a school from the list, or check the link you were given."
)


def own_schools_only(names: list[str]) -> str:
    """What a head or governor reads at another school's address: the school(s) they can see, by name."""
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"This school is not available to you. You can see {listed} only."


def _refuse_for_own_viewer(choices) -> None:
    """The sentence naming the head's or governor's own school(s), with a link to each."""
    own = [(r["urn"], r["name"]) for r in choices.iter_rows(named=True)]
    if not own:
        st.warning(NOT_AVAILABLE)
        return
    st.warning(own_schools_only([md_text(name) for _, name in own]))
    for urn, name in own:
        st.page_link(
            "app_pages/school.py",
            label=f"Open {md_text(name)}",
            icon=":material/school:",
            query_params={"urn": str(urn)},
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
        elif viewer.role in ("head", "governor"):
            _refuse_for_own_viewer(choices)
        else:
            st.warning(NOT_AVAILABLE)
        st.stop()
    return detail

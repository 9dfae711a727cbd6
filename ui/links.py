"""Links between pages that keep the list a visitor came from: open a school in the same tab, and come back.

A list page (Schools, Attention) calls `remember_list` with its page file, its name and its query
parameters; `open_school` switches to the School page in the same tab; the School page calls `back_link`,
which draws "Back to <list>" with the list's filters as they were.
"""

from __future__ import annotations

import streamlit as st

SCHOOL_PAGE = "app_pages/school.py"
_KEY = "g2g_back_to"


def current_params() -> dict[str, str]:
    """The page's query parameters as they stand (one value each; lists are comma-joined in the address)."""
    return {k: st.query_params.get(k) for k in st.query_params.keys()}  # noqa: SIM118


def remember_list(page: str, title: str) -> None:
    """Note the list being shown (page file, title, its filters in the address) for the School page's back link."""
    st.session_state[_KEY] = (page, title, current_params())


def school_params(urn: int) -> dict[str, str]:
    """The School page's query parameters for a school: its URN and the 'as at' date in force, if any."""
    params = {"urn": str(urn)}
    if as_of := st.query_params.get("as_of"):
        params["as_of"] = as_of
    return params


def open_school(urn: int) -> None:
    """Open a school's page in this tab (the list is remembered by the caller's `remember_list`)."""
    st.switch_page(SCHOOL_PAGE, query_params=school_params(urn))


def back_link() -> None:
    """'Back to <list>' with the list's filters, when the visitor came to this school from a list."""
    back = st.session_state.get(_KEY)
    if not back:
        return
    page, title, params = back
    try:
        st.page_link(page, label=f"Back to {title}", icon=":material/arrow_back:", query_params=params)
    except st.errors.StreamlitAPIException:  # that list is not one of this visitor's pages
        st.session_state.pop(_KEY, None)


SCHOOLS_PAGE = "app_pages/schools.py"
KEPT_FILTERS = ("as_of", "phase", "adviser")


def schools_params(level: str | None = None, phase: str | None = None) -> dict[str, str]:
    """The Schools page's query parameters: this page's date and filters, with a level (and phase) chosen."""
    params = {k: st.query_params.get(k) for k in KEPT_FILTERS if st.query_params.get(k)}
    if level:
        params["level"] = level
    if phase:
        params["phase"] = phase
    return params


def schools_link(container, label: str, level: str | None = None, phase: str | None = None) -> None:
    """A link to the Schools page filtered to a level (and phase), keeping this page's date and filters."""
    try:
        container.page_link(SCHOOLS_PAGE, label=label, query_params=schools_params(level, phase))
    except st.errors.StreamlitAPIException:  # the Schools page is not one of this visitor's pages
        pass


def open_schools(level: str | None = None, phase: str | None = None) -> None:
    """Go to the Schools page filtered to a level (and phase) in this tab (a chart segment was clicked)."""
    st.switch_page(SCHOOLS_PAGE, query_params=schools_params(level, phase))


def picked_segment(event, fig) -> tuple[str | None, object]:
    """The level (by the trace's name) and the category of the first point selected in a stacked level chart."""
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    if not points:
        return None, None
    point = points[0]
    curve = point.get("curve_number")
    if curve is None or curve >= len(fig.data):
        return None, None
    name = fig.data[curve].name
    horizontal = getattr(fig.data[curve], "orientation", None) == "h"
    return name, point.get("y") if horizontal else point.get("x")

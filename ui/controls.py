"""Sidebar controls shared by the pages: the 'as at' date and the filters, kept in the URL so links reopen them."""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from g2g_core.access import Viewer
from g2g_core.params import AS_OF_MAX, AS_OF_MIN, parse_as_of, parse_choices
from g2g_core.views import Filters
from g2g_core.vocabulary import LEVELS, PHASE_NAMES, PHASES
from ui.components import level_label


def _param_list(name: str, allowed: list[str]) -> list[str]:
    """Values of a query parameter, kept only if allowed (query parameters are user input)."""
    return parse_choices(st.query_params.get_all(name), allowed)


def as_of_control(store) -> date:
    """The 'as at' date: from the URL, else the data set's own date (today for real data)."""
    default = store.default_as_of()
    asked = parse_as_of(st.query_params.get("as_of"))
    if asked.note:
        st.sidebar.info(asked.note)
    chosen = asked.day or default
    picked = st.sidebar.date_input(
        "As at",
        value=chosen,
        min_value=AS_OF_MIN,
        max_value=AS_OF_MAX,
        format="DD/MM/YYYY",
        help="Every number and flag is worked out as it stood on this date.",
    )
    st.session_state["g2g_as_of"] = picked  # the date the page's downloads say they are "as at"
    if picked != default:
        st.query_params["as_of"] = picked.isoformat()
    elif "as_of" in st.query_params:
        del st.query_params["as_of"]
    return picked


def filter_controls(viewer: Viewer, advisers: list[str], names: dict[str, str] | None = None) -> Filters:
    """Phase, adviser and level filters (the adviser filter only when there is more than one adviser).

    `names`: each adviser login's name, shown in the adviser filter (the URL keeps the logins).
    """
    st.sidebar.markdown("**Filters**")
    opened = _page_changed()
    phase = _multi("Phase", "phase", list(PHASES), PHASE_NAMES.get, opened)
    level = _multi("Level of support", "level", list(LEVELS), level_label, opened)
    adviser: list[str] = []
    if viewer.role == "director" and len(advisers) > 1:
        adviser = _multi("Adviser", "adviser", advisers, lambda u: (names or {}).get(u, u), opened)
    return Filters(tuple(phase), tuple(adviser), tuple(level))


def _page_changed() -> bool:
    """True on the first run of a page after another page (or on the first run at all)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    here = ctx.page_script_hash if ctx else ""
    changed = st.session_state.get("_g2g_filters_page") != here
    st.session_state["_g2g_filters_page"] = here
    return changed


def _multi(label: str, key: str, options: list[str], fmt, from_address: bool = False) -> list[str]:
    """A sidebar filter; the address decides its value when a page opens (a link carries its filters)."""
    state = f"f_{key}"
    if from_address or state not in st.session_state:
        st.session_state[state] = _param_list(key, options)
    else:
        st.session_state[state] = [v for v in st.session_state[state] if v in options]
    chosen = st.sidebar.multiselect(label, options, format_func=fmt, key=state, placeholder="All")
    if chosen:
        st.query_params[key] = ",".join(chosen)
    elif key in st.query_params:
        del st.query_params[key]
    return chosen


def portfolio_controls(store, viewer: Viewer) -> tuple[date, Filters]:
    """The 'as at' date and the filters of a portfolio page (the adviser list comes from the viewer's schools)."""
    from ui import data

    as_of = as_of_control(store)
    schools = data.schools_now(store, viewer, store.version, viewer.scope_key, as_of)
    from ui.names import with_names

    advisers = sorted(schools["adviser"].drop_nulls().unique())
    named = with_names(store, pl.DataFrame({"adviser": advisers}, schema={"adviser": pl.String}))
    return as_of, filter_controls(viewer, advisers, dict(named.select("adviser", "adviser_name").iter_rows()))

"""Sidebar controls shared by the pages: the 'as at' date and the filters, kept in the URL so links reopen them."""

from __future__ import annotations

from datetime import date

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
    if picked != default:
        st.query_params["as_of"] = picked.isoformat()
    elif "as_of" in st.query_params:
        del st.query_params["as_of"]
    return picked


def filter_controls(viewer: Viewer, advisers: list[str]) -> Filters:
    """Phase, adviser and level filters (the adviser filter only when there is more than one adviser)."""
    st.sidebar.markdown("**Filters**")
    phase = _multi("Phase", "phase", list(PHASES), PHASE_NAMES.get)
    level = _multi("Level of support", "level", list(LEVELS), level_label)
    adviser: list[str] = []
    if viewer.role == "director" and len(advisers) > 1:
        adviser = _multi("Adviser", "adviser", advisers, str)
    return Filters(tuple(phase), tuple(adviser), tuple(level))


def _multi(label: str, key: str, options: list[str], fmt) -> list[str]:
    chosen = st.sidebar.multiselect(
        label, options, default=_param_list(key, options), format_func=fmt, key=f"f_{key}", placeholder="All"
    )
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
    advisers = sorted(schools["adviser"].drop_nulls().unique())
    return as_of, filter_controls(viewer, advisers)

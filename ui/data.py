"""Cached loaders: one store per process, results cached by (data version, viewer scope, arguments)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import streamlit as st

from g2g_core import datainfo, storage, views
from g2g_core.access import Viewer
from g2g_core.rules import compute_flags
from g2g_core.settings import settings
from g2g_core.store import Store, open_store

ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The data directory in force (G2G_DATA_DIR, default data/demo).

    With several servers (G2G_DATABASE_URL), this server's local copy of the shared versions, brought to the
    live one (`g2g_core.storage`).
    """
    return storage.local_data_dir(settings().data_dir or ROOT / "data" / "demo")


def store() -> Store:
    """The process-wide store (reloaded when the files change; the last good one kept)."""
    return open_store(data_dir())


# Each cached function takes the store and viewer unhashed (leading underscore) and the data version and
# scope key hashed, so a result is never shared between scopes or data versions.
@st.cache_data(show_spinner=False, max_entries=256)
def overview(
    _store: Store, _viewer: Viewer, version: str, scope: str, as_of: date, filters: views.Filters
) -> views.Overview:
    """The Borough overview."""
    return views.overview(_store, _viewer, as_of, filters)


@st.cache_data(show_spinner=False, max_entries=256)
def flags(_store: Store, _viewer: Viewer, version: str, scope: str, as_of: date) -> pl.DataFrame:
    """All flags in scope."""
    return compute_flags(_store, _viewer, as_of)


@st.cache_data(show_spinner=False, max_entries=256)
def attention(
    _store: Store,
    _viewer: Viewer,
    version: str,
    scope: str,
    as_of: date,
    filters: views.Filters,
    kinds,
    severities,
    rules,
) -> pl.DataFrame:
    """The Attention list."""
    return views.attention(_store, _viewer, as_of, filters, kinds, severities, rules)


@st.cache_data(show_spinner=False, max_entries=256)
def school(
    _store: Store, _viewer: Viewer, version: str, scope: str, urn: int, as_of: date
) -> views.SchoolDetail | None:
    """One school's drilldown."""
    return views.school_detail(_store, _viewer, urn, as_of)


@st.cache_data(show_spinner=False, max_entries=64)
def visible_schools(_store: Store, _viewer: Viewer, version: str, scope: str, as_of: date) -> pl.DataFrame:
    """The schools a viewer may open."""
    return views.visible_schools(_store, _viewer, as_of)


@st.cache_data(show_spinner=False, max_entries=64)
def schools_now(_store: Store, _viewer: Viewer, version: str, scope: str, as_of: date) -> pl.DataFrame:
    """Open schools in scope with their level."""
    return views.schools_now(_store, _viewer, as_of)


@st.cache_data(show_spinner=False, max_entries=8)
def table_summary(_store: Store, _viewer: Viewer, version: str, scope: str) -> pl.DataFrame:
    """The Data page's table summary (director only, in the core), once per data version."""
    return datainfo.table_summary(_store, _viewer)


@st.cache_data(show_spinner=False, max_entries=8)
def referential_checks(
    _store: Store, _viewer: Viewer, version: str, scope: str, accounts: dict
) -> list[datainfo.Check]:
    """The Data page's checks across tables and accounts, once per data version and accounts file content."""
    return datainfo.referential_checks(_store, _viewer, accounts)


@st.cache_data(show_spinner=False, max_entries=128)
def schools_list(
    _store: Store,
    _viewer: Viewer,
    version: str,
    scope: str,
    as_of: date,
    filters: views.Filters,
    search: str,
    sort: str,
) -> pl.DataFrame:
    """The Schools list."""
    from g2g_core.schools_list import schools_list as build

    return build(_store, _viewer, as_of, filters, search, sort)


@st.cache_data(show_spinner=False, max_entries=256)
def attention_list(
    _store: Store,
    _viewer: Viewer,
    version: str,
    scope: str,
    as_of: date,
    filters: views.Filters,
    kinds,
    severities,
    rules,
    new_since: date | None,
) -> pl.DataFrame:
    """The Attention list with the evidence in words, only the new flags when `new_since` is given."""
    from g2g_core.attention import attention_list as build

    return build(_store, _viewer, as_of, filters, kinds, severities, rules, new_since)

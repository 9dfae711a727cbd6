"""The Schools page's parts: the search and sort kept in the address, the table, and its downloads."""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from g2g_core import schools_list as sl
from g2g_core.policy import LEVEL_NAMES, LEVELS
from g2g_core.views import Filters
from g2g_core.vocabulary import LEVEL_COLOURS
from ui.components import page_header, table_downloads
from ui.names import person_names

OPEN = "Open"
OPEN_KEY = "schools_open"
ROW_HEIGHT = 35


def _kept(key: str, value: str, default: str = "") -> None:
    """Keep a value in the address (dropped when it is the default)."""
    if value and value != default:
        st.query_params[key] = value
    elif key in st.query_params:
        del st.query_params[key]


def schools_search() -> tuple[str, str]:
    """The search box and the sort order, both read from and kept in the address (`q`, `sort`)."""
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    search = left.text_input(
        "Search by school name or URN",
        value=st.query_params.get("q", "")[:80],
        max_chars=80,
        placeholder="e.g. Nolbbrook or 100123",
        key="schools_q",
    )
    sorts = list(sl.SORTS)
    wanted = st.query_params.get("sort", "name")
    sort = right.selectbox(
        "Order",
        sorts,
        index=sorts.index(wanted) if wanted in sorts else 0,
        format_func=sl.SORTS.get,
        key="schools_sort",
    )
    _kept("q", search.strip())
    _kept("sort", sort, "name")
    return search, sort


def _summary(frame: pl.DataFrame, filters: Filters) -> str:
    counts = sl.level_counts(frame)
    parts = [f"{n} at {LEVEL_NAMES[lv]}" for lv, n in counts.items() if n]
    flagged = int((frame["flags"] > 0).sum()) if frame.height else 0
    level_words = " or ".join(LEVEL_NAMES[lv] for lv in filters.level) if filters.level else ""
    head = f"{frame.height} open school{'s' if frame.height != 1 else ''}"
    if level_words:
        head += f" at {level_words}"
    if len(parts) <= 1 and level_words:
        return f"{head}; {flagged} with open flags."
    return f"{head}: {', '.join(parts) or 'none categorised'}; {flagged} with open flags."


def schools_header(title: str, as_of: date, everyone: bool = True) -> None:
    """The page's title and one-sentence summary."""
    page_header(
        title,
        f"Every open school {'in the borough' if everyone else 'attached to you'}, as at "
        f"{as_of:%-d %B %Y}: level, adviser, open flags and latest Ofsted. Press Open to see a school.",
    )


def schools_table(frame: pl.DataFrame, filters: Filters) -> int | None:
    """The table; returns the URN of the school whose Open button was pressed, if any."""
    if frame.is_empty():
        st.info("No open school matches this search and these filters on this date.")
        return None
    st.write(_summary(frame, filters))
    shown = sl.readable(frame, person_names()).with_columns(
        pl.col("Level of support").map_elements(lambda v: [v], return_dtype=pl.List(pl.String)),
        pl.lit("Open").alias(OPEN),
    )
    shown = shown.select(OPEN, *[c for c in shown.columns if c != OPEN])
    level_words = [LEVEL_NAMES[lv] for lv in LEVELS] + ["Not categorised"]
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        height=min(ROW_HEIGHT * (shown.height + 1) + 4, 740),
        key="schools_table",
        column_config={
            OPEN: st.column_config.ButtonColumn(
                "Open", help="Open this school's page", pinned=True, key=OPEN_KEY, width="small"
            ),
            "School": st.column_config.TextColumn("School"),
            "URN": st.column_config.NumberColumn("URN", format="%d", width="small"),
            "Level of support": st.column_config.MultiselectColumn(
                "Level of support",
                options=level_words,
                color=[LEVEL_COLOURS[lv] for lv in LEVELS] + ["#595959"],
            ),
            "At this level since": st.column_config.DateColumn("At this level since", format="D MMMM YYYY"),
            "Inspected on": st.column_config.DateColumn("Inspected on", format="D MMMM YYYY"),
            "Open flags": st.column_config.NumberColumn("Open flags", format="%d", width="small"),
        },
    )
    click = st.session_state.get(OPEN_KEY)
    if click is not None and 0 <= int(click["row"]) < frame.height:
        return int(frame["urn"][int(click["row"])])
    return None


def schools_downloads(frame: pl.DataFrame, what: str, csv_name: str, xlsx_name: str, viewer) -> None:
    """CSV and Excel of the list as shown (words), each saying what it is and its date."""
    if frame.is_empty():
        return
    shown = sl.readable(frame, person_names())
    table_downloads(shown, what, csv_name, xlsx_name, "Schools", "this list", viewer)

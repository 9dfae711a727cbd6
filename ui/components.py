"""Shared, accessible components: the level palette, charts with a table alternative and a download."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from g2g_core.exports import export_name, export_title, to_csv
from g2g_core.policy import LEVEL_NAMES, LEVELS
from ui.audit import audited
from ui.chart_style import readable_figure

# One colour per level everywhere, from the Okabe-Ito colour-blind-safe set, each at least 3:1 against
# white; every chart also labels levels in words and gives each a pattern, so colour is never the only cue.
LEVEL_COLOURS = {
    "core": "#0072B2",
    "focused": "#009E73",
    "enhanced": "#A66A00",
    "intensive_a": "#D55E00",
    "intensive_b": "#882255",
}
LEVEL_PATTERNS = {"core": "", "focused": "/", "enhanced": ".", "intensive_a": "x", "intensive_b": "\\"}
SEVERITY_WORDS = {"overdue": "Overdue", "due": "Due", "info": "For information"}


def level_marker(level: str) -> dict:
    """The bar marker of a level: its colour with its pattern drawn over it in white."""
    return {
        "color": LEVEL_COLOURS[level],
        "pattern": {
            "shape": LEVEL_PATTERNS[level],
            "fillmode": "overlay",
            "fgcolor": "white",
            "fgopacity": 0.55,
            "size": 7,
        },
    }


def level_label(code: str | None) -> str:
    """A level's name in words."""
    return LEVEL_NAMES.get(code or "", "Not categorised")


def page_header(title: str, summary: str) -> None:
    """One title per page and a one-sentence summary under it."""
    st.title(title)
    st.caption(summary)


def level_bars(
    frame: pl.DataFrame, x: str, y: str, x_title: str, y_title: str, horizontal: bool = False
) -> go.Figure:
    """Stacked bars, one trace per level, in level order, with labels and patterns."""
    fig = go.Figure()
    for lv in LEVELS:
        part = frame.filter(pl.col("level") == lv)
        if part.is_empty():
            continue
        xs, ys = part[x].to_list(), part[y].to_list()
        fig.add_bar(
            x=ys if horizontal else xs,
            y=xs if horizontal else ys,
            orientation="h" if horizontal else "v",
            name=LEVEL_NAMES[lv],
            marker=level_marker(lv),
            text=ys,
            textposition="inside",
            hovertemplate=f"{LEVEL_NAMES[lv]}: %{{{'x' if horizontal else 'y'}}}<extra></extra>",
        )
    fig.update_layout(
        barmode="stack",
        xaxis_title=y_title if horizontal else x_title,
        yaxis_title=x_title if horizontal else y_title,
        legend_title_text="Level of support",
        margin={"t": 30, "b": 10},
        height=380,
    )
    return fig


def chart_with_table(
    title: str, summary: str, fig: go.Figure, table: pl.DataFrame, key: str, selectable: bool = False
):
    """A chart with a heading, a one-sentence summary, a 'show as table' alternative and a CSV download.

    With `selectable`, a click on a bar reruns the page and the selection event is returned.
    """
    st.subheader(title)
    st.write(summary)
    event = None
    if st.toggle("Show as table", key=f"table_{key}"):
        st.dataframe(table, hide_index=True, width="stretch", height=35 * (table.height + 1) + 3)
    elif selectable:
        event = st.plotly_chart(
            readable_figure(fig),
            key=f"chart_{key}",
            config={"displaylogo": False},
            on_select="rerun",
            selection_mode="points",
        )
    else:
        st.plotly_chart(readable_figure(fig), key=f"chart_{key}", config={"displaylogo": False})
    viewer = st.session_state.get("viewer")
    as_of = st.session_state.get("g2g_as_of")
    csv = to_csv(table, export_title(title, as_of))
    name = export_name(title, as_of, "csv")
    st.download_button(
        f"Download the data of '{title}' (CSV)",
        audited(lambda: csv, viewer, "export_table", None, name) if viewer else csv,
        file_name=name,
        mime="text/csv",
        key=f"csv_{key}",
    )
    return event

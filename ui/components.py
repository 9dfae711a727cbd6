"""Shared, accessible components: page headers, level words, charts with a table alternative and a download.

The figures themselves are drawn in `ui.charts`, in the colours and patterns of `g2g_core.vocabulary`.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from g2g_core.exports import export_name, export_title, to_csv, to_xlsx
from g2g_core.vocabulary import GLOSSARY, level_words
from ui.audit import audited
from ui.chart_style import readable_figure
from ui.downloads import download
from ui.text import md_text


def level_label(code: str | None) -> str:
    """A level's name in words."""
    return level_words(code)


def page_header(title: str, summary: str) -> None:
    """One title per page and a one-sentence summary under it."""
    st.title(title)
    st.caption(summary)


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
    download(
        f"Download the data of '{title}' (CSV)",
        audited(lambda: csv, viewer, "export_table", None, name) if viewer else csv,
        file_name=name,
        mime="text/csv",
        key=f"csv_{key}",
    )
    return event


def table_downloads(
    shown: pl.DataFrame, what: str, csv_name: str, xlsx_name: str, sheet: str, noun: str, viewer
) -> None:
    """A table as shown (words) as CSV and Excel side by side, each saying what it is; each download audited.

    `noun` names the rows on the buttons ("these flags", "this list").
    """
    d1, d2 = st.columns(2)
    csv_bytes = to_csv(shown, what)
    download(
        f"Download {noun} (CSV)",
        audited(lambda: csv_bytes, viewer, "export_table", None, f"{csv_name} ({shown.height} rows)"),
        file_name=csv_name,
        where=d1,
        mime="text/csv",
    )
    download(
        f"Download {noun} (Excel)",
        audited(
            lambda: to_xlsx(shown, what, sheet),
            viewer,
            "export_table",
            None,
            f"{xlsx_name} ({shown.height} rows)",
        ),
        file_name=xlsx_name,
        where=d2,
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def glossary_markdown() -> str:
    """The vocabulary's glossary as a Markdown list: the same words as the governors' pack's "Words used"."""
    return "\n".join(f"- **{md_text(term)}**: {md_text(text)}" for term, text in GLOSSARY)


def glossary_section() -> None:
    """The glossary as a section of its own (the Policy page), the same words as the pack's "Words used"."""
    st.subheader("Words used")
    st.caption('The same explanations as the "Words used" page of the governors\' pack.')
    st.markdown(glossary_markdown())


def glossary(title: str = "Words used on this page", expanded: bool = False) -> None:
    """The glossary in an expander (collapsed unless asked), for readers new to the policy's words."""
    with st.expander(title, expanded=expanded, icon=":material/menu_book:"):
        st.markdown(glossary_markdown())

"""The governors' pack download buttons of the school drilldown (PowerPoint, PDF, and Print: the PDF for A4).

Each file is built only when its button is clicked (a callable as the button's data), then cached per data
version, viewer scope, school and date, so a second download, or the other people looking at the same
school, do not build it again. The page that calls `pack_buttons` has already checked the school is in scope;
`build_pack` checks again.
"""

from __future__ import annotations

from datetime import date
from functools import partial

import streamlit as st

from g2g_core.access import Viewer
from g2g_core.packs import FORMATS, build_pack, pack_filename
from g2g_core.store import Store
from ui.audit import audited
from ui.downloads import download

BUTTONS = (
    ("pptx", "Governors' pack (PowerPoint)", ":material/slideshow:"),
    ("pdf", "Governors' pack (PDF)", ":material/picture_as_pdf:"),
)


# No spinner: a deferred download runs in a worker thread after the click, outside any script run.
@st.cache_data(show_spinner=False, max_entries=64)
def pack_bytes(
    _store: Store, _viewer: Viewer, version: str, scope: str, urn: int, as_of: date, fmt: str
) -> bytes:
    """One pack's file, cached by (data version, viewer scope, school, date, format)."""
    return build_pack(_store, _viewer, urn, as_of, fmt)


def pack_buttons(store: Store, viewer: Viewer, urn: int, as_of: date) -> None:
    """Three buttons for one school's governors' pack as at a date: PowerPoint, PDF, and Print (the PDF, for A4)."""
    st.caption(
        "The governors' pack holds this page's content, ready to present: the PowerPoint has editable charts. "
        "To print this page, use Print: it gives the pack as a PDF laid out for A4. "
        "The pack never includes information for authority staff only."
    )
    *columns, last = st.columns(len(BUTTONS) + 1)
    for column, (fmt, label, icon) in zip(columns, BUTTONS, strict=True):
        download(
            label,
            data=audited(
                partial(pack_bytes, store, viewer, store.version, viewer.scope_key, urn, as_of, fmt),
                viewer,
                "export_pack",
                urn,
                f"{fmt} as at {as_of.isoformat()}",
            ),
            file_name=pack_filename(urn, as_of, fmt),
            mime=FORMATS[fmt],
            where=column,
            key=f"pack_{fmt}_{urn}_{as_of.isoformat()}",
            icon=icon,
            on_click="ignore",
        )
    print_button(store, viewer, urn, as_of, last)


def print_button(store: Store, viewer: Viewer, urn: int, as_of: date, where=st) -> None:
    """A "Print" button: the PDF pack, A4 pages with this page's content and no sidebar, toggles or toolbars.

    Printing the page from the browser would print the sidebar, the toggles and cut the charts' legends; the
    PDF pack holds the same content laid out for A4.
    """
    download(
        "Print",
        audited(
            partial(pack_bytes, store, viewer, store.version, viewer.scope_key, urn, as_of, "pdf"),
            viewer,
            "export_pack",
            urn,
            f"pdf as at {as_of.isoformat()} (to print)",
        ),
        file_name=pack_filename(urn, as_of, "pdf"),
        mime=FORMATS["pdf"],
        where=where,
        key=f"print_{urn}_{as_of.isoformat()}",
        icon=":material/print:",
        help="Downloads this page as the governors' pack (PDF): clean A4 pages, ready to print.",
    )

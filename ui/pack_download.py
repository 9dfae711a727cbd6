"""The governors' pack download buttons of the school drilldown (PowerPoint and PDF).

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
    """Two download buttons, PowerPoint and PDF, for one school's governors' pack as at a date."""
    st.caption(
        "The governors' pack holds this page's content, ready to present: the PowerPoint has editable charts. "
        "It never includes information for authority staff only."
    )
    columns = st.columns(len(BUTTONS))
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

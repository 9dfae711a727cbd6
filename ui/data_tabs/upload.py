"""The Data page's upload tab: templates, then Check (what would change), then Publish (exactly that).

The parts live in `ui.upload_preview`; the core work in `g2g_core.preview`.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from g2g_core.access import Viewer
from ui.upload_preview import upload_tab


def render(root: Path, viewer: Viewer) -> None:
    """Templates, files and their tables, a note, Check and then Publish; the page reruns once published."""
    if published := upload_tab(root, viewer):
        st.session_state["data_message"] = published
        st.rerun()

"""The Data page's history tab: every version kept, and a roll back to any of them."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from g2g_core import datadir
from g2g_core.access import Viewer
from g2g_core.vocabulary import TABLE_NAMES, VERSION_ACTION_NAMES
from ui.problems import show_refused


def version_words(v: datadir.Version | None) -> str:
    """A version in words: when, who, and what happened."""
    if v is None:
        return "the files in the data folder (no upload yet)"
    when = f"{v.created_at:%-d %B %Y at %H:%M} UTC" if v.created_at else "an unknown time"
    what = VERSION_ACTION_NAMES.get(v.action, v.action)
    return f"{what}, {when}, by {v.created_by or 'unknown'}"


def render(root: Path, viewer: Viewer, history: list[datadir.Version]) -> None:
    """The 30 newest versions, in words, each with a button to roll back to it."""
    st.subheader("Versions")
    if not history:
        st.write("No upload has been made yet: the data in force are the files in the data folder.")
    for v in history[:30]:
        tables = ", ".join(
            f"{TABLE_NAMES.get(t, t)} ({e.get('source', '')})"
            for t, e in sorted(v.files.items())
            if isinstance(e, dict) and e.get("uploaded_at")
        )
        cols = st.columns([5, 2])
        cols[0].markdown(
            f"{'**In force** · ' if v.current else ''}{version_words(v)}  \n"
            f"`{v.id}`" + (f" · {tables}" if tables else "") + (f" · note: {v.note}" if v.note else ""),
        )
        if not v.current and cols[1].button("Roll back to this version", key=f"rollback_{v.id}"):
            try:
                datadir.rollback(root, v.id, viewer)
            except datadir.UploadError as err:
                show_refused(err, "The roll back")
            else:
                st.session_state["data_message"] = (
                    f"Rolled back: version {v.id} ({version_words(v)}) is in force again."
                )
                st.rerun()
    if len(history) > 30:
        st.caption(f"The 30 newest of {len(history)} versions are shown.")

"""The School page's top: the school's name and facts, its packs, its level and the four key judgements."""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from g2g_core.access import Viewer
from g2g_core.views import SchoolDetail
from g2g_core.vocabulary import JUDGEMENT_SCALE, JUDGEMENTS, PHASE_NAMES
from ui.audit import record_once
from ui.components import level_label, page_header
from ui.pack_download import pack_buttons
from ui.text import md_text


def render(store, viewer: Viewer, detail: SchoolDetail, as_of: date) -> None:
    """Title, facts line, closure warning, pack buttons, level metrics and the key judgements table."""
    s = detail.school
    level = s.get("level")
    record_once(viewer, f"view_school:{s['urn']}", "view_school", s["urn"], s["name"])
    page_header(
        md_text(s["name"]),
        f"URN {s['urn']} · {PHASE_NAMES.get(s['phase'], s['phase']).lower()} · {'maintained' if s['maintained'] else 'academy'} · as at {as_of:%-d %B %Y}",
    )
    if s.get("closed_on"):
        st.warning(f"This school closed on {s['closed_on']:%-d %B %Y}; it is kept for its history.")

    pack_buttons(store, viewer, s["urn"], as_of)

    c1, c2, c3 = st.columns(3)
    c1.metric(
        "Level of support",
        level_label(level)
        + (" (Team Around the School)" if s.get("team_around_school") and level == "focused" else ""),
    )
    c2.metric("Since", f"{s['level_since']:%-d %B %Y}" if s.get("level_since") else "—")
    c3.metric("Adviser", s.get("adviser") or "None attached")
    if s.get("reason"):
        st.write("**Why this level:**")
        st.text(s["reason"])

    st.subheader("Key judgements")
    st.caption(
        "The authority's judgement of the four key indicators at the latest categorisation (1 strong, 2 good, 3 requires improvement, 4 weak)."
    )
    st.dataframe(
        pl.DataFrame(
            [
                {"Indicator": label, "Judgement": JUDGEMENT_SCALE.get(s.get(key), "Not recorded")}
                for key, label in JUDGEMENTS.items()
            ]
        ),
        hide_index=True,
        width="stretch",
    )

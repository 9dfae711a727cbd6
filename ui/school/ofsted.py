"""The School page's Ofsted inspections (both frameworks, never converted) and warning notices.

Both read as lists, not grids, so every line is read in full on a phone (390 px) and in print; dates are in
words and every code in the vocabulary's words.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from g2g_core.views import SchoolDetail
from g2g_core.vocabulary import (
    AREA_NAMES,
    CATEGORY_NAMES,
    EIF_GRADES,
    INSPECTION_TYPE_NAMES,
    RENEWED_GRADE_NAMES,
    WARNING_NAMES,
    date_words,
)
from ui.text import md_text


def _concern(r: dict) -> str:
    """The category of concern and a safeguarding failure, as words to add to an inspection's line."""
    notes = []
    if r.get("category_of_concern") and r["category_of_concern"] != "none":
        notes.append(f"category of concern: **{md_text(CATEGORY_NAMES[r['category_of_concern']])}**")
    if r.get("safeguarding_met") is False:
        notes.append("**safeguarding not met**")
    return "; " + "; ".join(notes) if notes else ""


def inspection_lines(insp: pl.DataFrame) -> str:
    """One Markdown list item an inspection (newest first); report-card areas as a list under it."""
    lines = []
    for r in insp.iter_rows(named=True):
        kind = md_text(INSPECTION_TYPE_NAMES.get(r["inspection_type"], r["inspection_type"]))
        on = md_text(date_words(r["inspection_date"]))
        if r["framework"] == "eif_2019":
            grade = r["overall_grade"]
            judged = f"overall grade **{grade} {EIF_GRADES[grade]}**" if grade else "no overall grade"
            lines.append(f"- {kind} on {on}: {judged}{_concern(r)}")
        else:
            lines.append(f"- {kind} on {on}{_concern(r)}")
            for a in r["areas"] or []:
                grade = RENEWED_GRADE_NAMES.get(a["grade"], "not graded")
                lines.append(f"    - {md_text(AREA_NAMES.get(a['area'], a['area']))}: **{md_text(grade)}**")
    return "\n".join(lines)


def warning_lines(w: pl.DataFrame) -> str:
    """One Markdown list item a warning notice: kind, when issued, open or closed (and when), its grounds."""
    lines = []
    for r in w.iter_rows(named=True):
        kind = md_text(WARNING_NAMES.get(r["kind"], r["kind"]))
        if r["state"] == "open":
            state = f"**open** ({r['age_days']} days)"
        else:
            state = f"closed on {md_text(date_words(r['closed_on']))}"
        line = f"- **{kind}**, issued on {md_text(date_words(r['issued_on']))}: {state}"
        if r.get("grounds"):
            line += f"  \n  Grounds: {md_text(r['grounds'])}"
        lines.append(line)
    return "\n".join(lines)


def render(detail: SchoolDetail) -> None:
    """Inspections under each framework side by side (stacked on a phone), then the warning notices."""
    st.subheader("Ofsted inspections")
    insp = detail.inspections
    if insp.is_empty():
        st.write("No Ofsted inspection is recorded for this school.")
    else:
        eif = insp.filter(pl.col("framework") == "eif_2019")
        ren = insp.filter(pl.col("framework") == "renewed_2025")
        left, right = st.columns(2)
        with left:
            st.markdown("**2019 framework (overall grade)**")
            st.markdown(inspection_lines(eif) if not eif.is_empty() else "No inspection recorded.")
        with right:
            st.markdown("**Renewed framework (report card, from November 2025)**")
            st.markdown(inspection_lines(ren) if not ren.is_empty() else "No inspection recorded.")
        st.caption(
            "Every judgement is shown with the date of its inspection: it describes the school as it was then."
        )

    st.subheader("Warning notices")
    w = detail.warnings
    if w.is_empty():
        st.write("No warning notice has been issued to this school.")
    else:
        st.markdown(warning_lines(w))

"""The School page's plan priorities and what needs attention."""

from __future__ import annotations

import polars as pl
import streamlit as st

from g2g_core.views import SchoolDetail
from g2g_core.vocabulary import NOT_REVIEWED, PLAN_NAMES, STATUS_NAMES, date_words
from ui.text import md_text


def priority_lines(priorities: pl.DataFrame) -> str:
    """One Markdown list item a priority: its status in bold, its words, its plan and its review dates.

    A list, not a grid, so each priority reads in full on a phone (390 px) and in print.
    """
    lines = []
    for r in priorities.iter_rows(named=True):
        status = STATUS_NAMES.get(r["latest_status"], NOT_REVIEWED)
        reviewed = date_words(r["last_reviewed_on"], "not yet")
        due = f"next review due {date_words(r['next_due'])}" if r["next_due"] else "no review scheduled"
        plan = PLAN_NAMES.get(r["plan"], r["plan"])
        lines.append(
            f"- **{md_text(status)}**: {md_text(r['priority'])}  \n"
            f"  {md_text(plan)} · last reviewed {md_text(reviewed)} · {md_text(due)}"
        )
    return "\n".join(lines)


def render(detail: SchoolDetail) -> None:
    """The current plan's priorities (earlier plans apart), then each flag in its reader's wording."""
    st.subheader("Plan priorities")
    current, earlier = detail.current_priorities, detail.earlier_priorities
    if current.is_empty():
        st.write("No priorities of a current plan have been recorded for this school.")
    else:
        st.markdown(priority_lines(current))
    if not earlier.is_empty():
        with st.expander(f"Earlier plans ({earlier.height} priorities, not counted above)", expanded=False):
            st.markdown(priority_lines(earlier))

    st.subheader("What needs attention")
    if not detail.flag_texts:
        st.write("Nothing is overdue or due for this school on this date.")
    for f in detail.flag_texts:
        with st.container(border=True):
            st.markdown(
                f"**{f.severity_words}** · {md_text(f.title)} · since {date_words(f.since)}"
                + (f" · policy {f.policy}" if f.policy else "")
            )
            st.text(f.message)
            st.text(f"{f.next_label}: {f.next_step}")
            if f.evidence:
                st.caption("The records behind it: " + md_text(f.evidence))

"""The school page's "decision and letter" section: the latest published decision and its letter to download.

Only published data: a head or governor never sees a draft or a proposal. The core checks the school is in
the viewer's scope again when the letter is built.
"""

from __future__ import annotations

from datetime import date
from functools import partial

import streamlit as st

from g2g_core.access import Viewer
from g2g_core.letters import FORMATS, latest_decision, letter_bytes, letter_filename, load_letterhead
from g2g_core.letters.letterhead import LetterheadError
from g2g_core.policy import INTENSIVE, LEVEL_NAMES
from g2g_core.store import Store
from ui import auth
from ui.audit import audited
from ui.downloads import download


def _day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def decision_and_letter(store: Store, viewer: Viewer, urn: int, as_of: date) -> None:
    """The school's latest decision in words, and its confirmation letter as PDF and Word."""
    decision = latest_decision(store, viewer, urn, as_of)
    st.subheader("The authority's decision and its letter")
    if decision is None:
        st.write("No decision on this school's level of support has been published.")
        return
    level = LEVEL_NAMES[decision["level"]]
    starts = decision["effective_from"]
    tense = "takes effect" if starts > as_of else "took effect"
    words = f"{level} support, decided on {_day(decision['decided_on'])}; it {tense} on {_day(starts)}."
    if decision["level"] in INTENSIVE and decision.get("target_exit_on"):
        words += f" Target date for leaving intensive support: {_day(decision['target_exit_on'])}."
    st.write(words)
    if decision.get("letter_sent_on"):
        st.caption(f"The letter confirming it was sent on {_day(decision['letter_sent_on'])}.")
    try:
        head = load_letterhead()
    except LetterheadError as err:
        st.warning(f"The letter cannot be made: {err}")
        return
    accounts = auth.load_accounts().get("usernames", {})
    cols = st.columns(2)
    for col, fmt, label in zip(cols, ("pdf", "docx"), ("Letter (PDF)", "Letter (Word)"), strict=True):
        download(
            label,
            data=audited(
                partial(letter_bytes, store, viewer, urn, starts, fmt, head, accounts),
                viewer,
                "export_letter",
                urn,
                f"{fmt} of the decision effective {starts.isoformat()}",
            ),
            file_name=letter_filename(urn, starts, fmt),
            where=col,
            mime=FORMATS[fmt],
            on_click="ignore",
            key=f"letter_{fmt}_{urn}_{starts.isoformat()}",  # no data version: it would show a school that council-only data changed
        )

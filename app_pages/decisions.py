"""Decisions: a termly round of categorisation decisions, published as a new data version, and the letters.

Director only (the core refuses anyone else too). Heads and governors never see proposals or drafts: they
see the published decision and their own letter on their school's page.
"""

import streamlit as st

from g2g_core import decisions as D
from ui import auth, data
from ui import decisions as sections
from ui.components import page_header

viewer = auth.page_viewer()
page_header(
    "Decisions",
    "A termly round: a proposal for every open school from the rules, the decisions, and the letters confirming them.",
)
if viewer.role != "director":
    st.warning("The Decisions page is for the Assistant Director: only a director decides a school's level.")
    st.stop()

root = data.data_dir()
store = data.store()
rnd = sections.choose_round(store, viewer, root)
if message := st.session_state.pop("dec_message", None):
    st.success(message)
sections.stale_notice(root, viewer)
props = D.proposals(store, viewer, rnd)
sections.proposal_table(props)
sections.accept_many(root, store, viewer, props)
sections.edit_one(root, store, viewer, props)
sections.publish_section(root, store, viewer, props)
sections.letters_section(root, store, viewer, rnd)

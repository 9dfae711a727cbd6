"""What-if: support allocation (being built)."""

import streamlit as st

from ui.components import page_header

page_header("What-if: support allocation", "Adviser demand against capacity under a scenario.")
st.info("This page is being built.")

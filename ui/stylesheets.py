"""The app's own stylesheets: CSS files shipped beside this module, never text from data or from a person.

This is the one place that hands Streamlit raw HTML (a `<style>` element), and it takes only the name of a file
in `ui/styles/` from a fixed list; `tests/security/test_attack_injection.py` holds every other module to no raw
HTML at all.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import streamlit as st

STYLES = Path(__file__).with_name("styles")
Stylesheet = Literal["sticky_answer"]


@cache
def _css(name: Stylesheet) -> str:
    if name not in Stylesheet.__args__:
        raise ValueError(f"no stylesheet {name!r}")
    return (STYLES / f"{name}.css").read_text(encoding="utf-8")


def use(name: Stylesheet) -> None:
    """Apply one of the app's stylesheets to the page being drawn."""
    st.markdown(f"<style>\n{_css(name)}</style>", unsafe_allow_html=True)

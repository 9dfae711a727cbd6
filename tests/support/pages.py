"""Page-test helpers (AppTest): the tested accounts, a fresh AppTest, opening an address, what a page rendered."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
import yaml
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Dataframe
from streamlit.util import calc_hash

from g2g_core.settings import ENV_NAMES

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
DEMO_ACCOUNTS = ROOT / ".streamlit" / "accounts.demo.yaml"
AS_OF = date(2026, 5, 18)  # the demo borough's recorded "as at" date
# The account each role is tested with: the adviser has eight schools, the head and the governor one each.
ACCOUNTS = {
    "director": "director",
    "adviser": "lama.brennan",
    "head": "head.nolbbrook",
    "governor": "chair.tarncombe",
}
ROLES = tuple(ACCOUNTS)
HEAD_URN = 900005  # Nolbbrook School
GOVERNOR_URN = 900026  # Tarncombe Primary School


# Settings of the developer's shell that would change what the app does under test.
# Every setting but the two the tests set: a developer's shell must not change what the app does under test.
UNSET = tuple(n for n in ENV_NAMES if n not in ("G2G_DATA_DIR", "G2G_AUTH_FILE"))


def app_environment(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    """The app reads `data_dir` and the demo accounts, outside production, caches empty, no failed sign-ins."""
    from ui import auth

    monkeypatch.setenv("G2G_DATA_DIR", str(data_dir))
    monkeypatch.setenv("G2G_AUTH_FILE", str(DEMO_ACCOUNTS))
    for name in UNSET:
        monkeypatch.delenv(name, raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    auth.reset_guard()


def new_app() -> AppTest:
    """A signed-out visitor's AppTest of the entry script, not yet run."""
    return AppTest.from_file(str(APP), default_timeout=60)


def open_address(at: AppTest, url_path: str) -> AppTest:
    """Run the app as a browser that opens the address `/<url_path>` does.

    AppTest has no public way to open an address before a run: set the page hash the request resolves to
    (`st.Page` hashes its url_path; ui/navigation.py declares every page's).
    """
    at._page_hash = calc_hash(url_path)
    return at.run()


def account(username: str) -> dict:
    """One account of the accounts file in force."""
    path = Path(os.environ["G2G_AUTH_FILE"])
    return yaml.safe_load(path.read_text(encoding="utf-8"))["credentials"]["usernames"][username]


def sign_in_as(at: AppTest, username: str, role: str) -> AppTest:
    """Set the session state streamlit-authenticator sets after a good password."""
    at.session_state["authentication_status"] = True
    at.session_state["username"] = username
    at.session_state["name"] = account(username).get("name", username)
    at.session_state["roles"] = [role]
    return at


def frames(at: AppTest) -> list[pd.DataFrame]:
    """Every dataframe on the page (main area and sidebar), as pandas frames."""
    return [node.value for block in (at.main, at.sidebar) for node in block if isinstance(node, Dataframe)]


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def rendered_text(at: AppTest) -> str:
    """Everything the last run sent to the browser as text: every element's fields, chart specs and cells."""
    parts: list[str] = []
    for block in (at.main, at.sidebar):
        for node in block:
            if isinstance(node, Dataframe):
                frame = node.value
                parts += [str(c) for c in frame.columns]
                parts += [str(v) for v in frame.to_numpy().ravel()]
            proto = getattr(node, "proto", None)
            if proto is not None:
                parts += _strings(MessageToDict(proto))
    return "\n".join(parts)


def titles(at: AppTest) -> list[str]:
    """The page titles shown."""
    return [t.value for t in at.title]


def subheaders(at: AppTest) -> list[str]:
    """The subheadings shown, in order."""
    return [s.value for s in at.subheader]

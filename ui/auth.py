"""Sign-in with streamlit-authenticator, and the viewer recomputed from the accounts file on every rerun."""

from __future__ import annotations

import copy
import os
from pathlib import Path

import streamlit as st
import streamlit_authenticator as stauth
import yaml

from g2g_core.access import ROLES, Viewer, viewer_for

ROOT = Path(__file__).resolve().parent.parent
DEMO_ACCOUNTS = ROOT / ".streamlit" / "accounts.demo.yaml"
DEMO_COOKIE_KEY = "g2g-demo-cookie-key-not-for-production-use-0001"
COOKIE_NAME = "g2g_session"


class ConfigurationError(RuntimeError):
    """The app cannot start safely with this configuration; the message says why."""


def accounts_path() -> Path:
    """The credentials file in force (G2G_AUTH_FILE, else the demo accounts)."""
    return Path(os.environ.get("G2G_AUTH_FILE") or DEMO_ACCOUNTS)


@st.cache_data(show_spinner=False)
def _read_accounts(path: str, mtime_ns: int) -> dict:
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    return data


def load_accounts() -> dict:
    """The credentials mapping, read-only (re-read when the file changes)."""
    path = accounts_path()
    data = _read_accounts(str(path), path.stat().st_mtime_ns)
    return copy.deepcopy(data.get("credentials", {"usernames": {}}))


def cookie_key() -> str:
    """The cookie signing key: G2G_COOKIE_KEY, or secrets.toml's cookie_key, else the demo key."""
    key = os.environ.get("G2G_COOKIE_KEY")
    if not key:
        try:
            key = st.secrets.get("cookie_key")
        except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
            key = None
    return key or DEMO_COOKIE_KEY


def check_production() -> None:
    """With G2G_ENV=production refuse demo accounts, the demo cookie key and plain-text passwords."""
    if os.environ.get("G2G_ENV") != "production":
        return
    if accounts_path().resolve() == DEMO_ACCOUNTS.resolve():
        raise ConfigurationError(
            "G2G_ENV=production but no accounts file is set: point G2G_AUTH_FILE at the authority's accounts."
        )
    key = cookie_key()
    if key == DEMO_COOKIE_KEY or len(key) < 32:
        raise ConfigurationError(
            "G2G_ENV=production needs a cookie key of at least 32 random characters in G2G_COOKIE_KEY or secrets.toml."
        )
    for user, entry in load_accounts().get("usernames", {}).items():
        if not stauth.Hasher.is_hash(str(entry.get("password", ""))):
            raise ConfigurationError(
                f"G2G_ENV=production: the password of account '{user}' is not a bcrypt hash."
            )


def authenticator() -> stauth.Authenticate:
    """The authenticator, built once per run in the entry script, on a copy of the accounts (never rewritten)."""
    return stauth.Authenticate(
        load_accounts(),
        COOKIE_NAME,
        cookie_key(),
        cookie_expiry_days=float(os.environ.get("G2G_COOKIE_DAYS", "1")),
        auto_hash=False,
    )


def page_viewer() -> Viewer:
    """The viewer the entry script signed in on this run; a page run without one hands over to the entry script.

    The app has a `pages/` folder, so a new server process serves its first run with Streamlit's older
    folder-based navigation: asked for a page's address, it runs `pages/<page>.py` alone, skipping the
    sign-in and the role's pages. Such a run draws nothing of the page and starts the entry script instead.
    """
    viewer = st.session_state.get("viewer")
    if st.session_state.get("authentication_status") is True and isinstance(viewer, Viewer):
        return viewer
    try:
        st.switch_page("app.py")
    except st.errors.StreamlitAPIException:  # the entry script is not a page here: it did run, so stop
        pass
    st.stop()


def current_viewer(store) -> Viewer | None:
    """The signed-in viewer, rebuilt from the accounts file and the data on every rerun (None if signed out)."""
    if st.session_state.get("authentication_status") is not True:
        return None
    username = st.session_state.get("username")
    entry = load_accounts().get("usernames", {}).get(username)
    if not entry:
        return Viewer.nobody()
    roles = entry.get("roles") or []
    role = roles[0] if roles and roles[0] in ROLES else None
    urn = entry.get("urn")
    return viewer_for(store, username, role, int(urn) if urn is not None else None)

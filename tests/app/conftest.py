"""Fixtures for the page tests: the demo borough in a temporary directory, the demo accounts, and AppTest.

Every test starts from empty Streamlit caches (they are process-global, shared by every AppTest), runs the
app on a demo borough written for this session (never the repository's `data/demo`), and signs in by
setting the session state that streamlit-authenticator sets after a good password.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import streamlit as st
from pagetools import ACCOUNTS, DEMO_ACCOUNTS, ORIGINAL_PAGES_MANAGER_INIT, new_app, sign_in_as
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from g2g_core.demo import write_demo


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory) -> Path:
    """The Wexmoor demo borough, generated once for the session (as of 18 May 2026)."""
    out = tmp_path_factory.mktemp("demo")
    write_demo(out)
    return out


@pytest.fixture(autouse=True)
def _app_environment(monkeypatch: pytest.MonkeyPatch, demo_dir: Path) -> None:
    """The app reads the session's demo borough and the demo accounts, outside production, caches empty."""
    monkeypatch.setenv("G2G_DATA_DIR", str(demo_dir))
    monkeypatch.setenv("G2G_AUTH_FILE", str(DEMO_ACCOUNTS))
    for name in ("G2G_ENV", "G2G_COOKIE_KEY", "G2G_COOKIE_DAYS", "G2G_COOKIE_HOURS", "G2G_POLICY_FILE"):
        monkeypatch.delenv(name, raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def data_dir(tmp_path: Path, demo_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the demo borough for one test that changes its data directory (uploads, scenarios)."""
    copy = Path(shutil.copytree(demo_dir, tmp_path / "data"))
    monkeypatch.setenv("G2G_DATA_DIR", str(copy))
    return copy


@pytest.fixture(autouse=True)
def _navigation_as_in_a_running_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every AppTest run through the entry script, as a running server does.

    Because the app has a `pages/` folder, Streamlit starts a process in its old folder-based navigation and
    leaves it for good at the first `st.navigation` call. AppTest resets that switch before every run, so
    without this every rerun would execute `pages/<page>.py` alone, skipping the router (sign-in, roles).
    A test of the very first request of a process restores the original with
    `monkeypatch.setattr(PagesManager, "__init__", ORIGINAL_PAGES_MANAGER_INIT)`.
    """

    def init(self, *args, **kwargs) -> None:
        ORIGINAL_PAGES_MANAGER_INIT(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


@pytest.fixture
def signed_in() -> Callable[[str, str], AppTest]:
    """`signed_in(username, role)`: an AppTest of app.py signed in as that account, not yet run."""
    return lambda username, role: sign_in_as(new_app(), username, role)


@pytest.fixture
def as_role(signed_in) -> Callable[[str], AppTest]:
    """`as_role(role)`: an AppTest signed in as the tested account of that role, not yet run."""
    return lambda role: signed_in(ACCOUNTS[role], role)

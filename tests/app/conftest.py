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
from pagetools import ACCOUNTS, app_environment, new_app, route_through_entry_script, sign_in_as
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
    app_environment(monkeypatch, demo_dir)


@pytest.fixture
def data_dir(tmp_path: Path, demo_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the demo borough for one test that changes its data directory (uploads, scenarios)."""
    copy = Path(shutil.copytree(demo_dir, tmp_path / "data"))
    monkeypatch.setenv("G2G_DATA_DIR", str(copy))
    return copy


@pytest.fixture(autouse=True)
def _navigation_as_in_a_running_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every AppTest run through the entry script, as a running server does (pagetools)."""
    route_through_entry_script(monkeypatch)


@pytest.fixture
def signed_in() -> Callable[[str, str], AppTest]:
    """`signed_in(username, role)`: an AppTest of app.py signed in as that account, not yet run."""
    return lambda username, role: sign_in_as(new_app(), username, role)


@pytest.fixture
def as_role(signed_in) -> Callable[[str], AppTest]:
    """`as_role(role)`: an AppTest signed in as the tested account of that role, not yet run."""
    return lambda role: signed_in(ACCOUNTS[role], role)

"""Fixtures for the adversarial suite: a copy of the demo borough, a writable accounts file, AppTest, a clean guard.

Every test starts with empty Streamlit caches, no failed sign-ins remembered, outside production, on a copy of
the session's demo borough of its own (tests/conftest.py; never the repository's `data/demo`). The page-test
helpers (`support.pages`) are reused, so an attack is run exactly as the page tests run a visit.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from support.browser import chromium_launch_args
from support.pages import ACCOUNTS, DEMO_ACCOUNTS, app_environment, new_app, sign_in_as


@pytest.fixture
def demo_dir(demo_copy: Path) -> Path:
    """A copy of the demo borough of this test's own (uploads, audit entries and faults stay in it)."""
    return demo_copy


@pytest.fixture
def accounts_file(tmp_path, monkeypatch) -> Path:
    """A writable copy of the demo accounts, in force through G2G_AUTH_FILE (a test may edit it)."""
    path = tmp_path / "accounts.yaml"
    shutil.copy(DEMO_ACCOUNTS, path)
    monkeypatch.setenv("G2G_AUTH_FILE", str(path))
    return path


@pytest.fixture(autouse=True)
def _app_environment(monkeypatch: pytest.MonkeyPatch, demo_dir: Path) -> None:
    """The app reads this test's demo borough and the demo accounts, outside production, caches empty."""
    app_environment(monkeypatch, demo_dir)


@pytest.fixture
def signed_in() -> Callable[[str, str], AppTest]:
    """`signed_in(username, role)`: an AppTest of app.py signed in as that account, not yet run."""
    return lambda username, role: sign_in_as(new_app(), username, role)


@pytest.fixture
def as_role(signed_in) -> Callable[[str], AppTest]:
    """`as_role(role)`: an AppTest signed in as the tested account of that role, not yet run."""
    return lambda role: signed_in(ACCOUNTS[role], role)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Debian's Chromium, never a downloaded browser (as in tests/e2e); a missing browser fails the run."""
    return chromium_launch_args(browser_type_launch_args)

"""Fixtures for the page tests: the session's demo borough, the demo accounts, and AppTest.

Every test starts from empty Streamlit caches (they are process-global, shared by every AppTest), runs the
app on the session's demo borough (tests/conftest.py; never the repository's `data/demo`), and signs in by
setting the session state that streamlit-authenticator sets after a good password.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from support.demo import copy_of
from support.pages import ACCOUNTS, app_environment, new_app, sign_in_as


@pytest.fixture(scope="session")
def demo_dir(demo_source: Path, tmp_path_factory) -> Path:
    """The page tests' demo borough (as of 18 May 2026), a copy of the session's.

    Running a page writes to the data folder's audit log, and every test's own copy (`demo_copy`) must start
    from an empty one.
    """
    return copy_of(demo_source, tmp_path_factory.mktemp("pages"))


@pytest.fixture(autouse=True)
def _app_environment(monkeypatch: pytest.MonkeyPatch, demo_dir: Path) -> None:
    """The app reads the session's demo borough and the demo accounts, outside production, caches empty."""
    app_environment(monkeypatch, demo_dir)


@pytest.fixture
def data_dir(demo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the demo borough for one test that changes its data directory (uploads, scenarios)."""
    monkeypatch.setenv("G2G_DATA_DIR", str(demo_copy))
    return demo_copy


@pytest.fixture
def signed_in() -> Callable[[str, str], AppTest]:
    """`signed_in(username, role)`: an AppTest of app.py signed in as that account, not yet run."""
    return lambda username, role: sign_in_as(new_app(), username, role)


@pytest.fixture
def as_role(signed_in) -> Callable[[str], AppTest]:
    """`as_role(role)`: an AppTest signed in as the tested account of that role, not yet run."""
    return lambda role: signed_in(ACCOUNTS[role], role)

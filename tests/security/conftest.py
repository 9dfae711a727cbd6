"""Fixtures for the adversarial suite: the demo borough, a writable accounts file, AppTest, a clean sign-in guard.

Every test starts with empty Streamlit caches, no failed sign-ins remembered, outside production, on a demo
borough written for this session (never the repository's `data/demo`). The page-test helpers of `tests/app`
(`pagetools`) are reused, so an attack is run exactly as the page tests run a visit.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "app"), str(HERE.parent / "e2e")]

from pagetools import (  # noqa: E402  (the page tests' helpers, found through the path set just above)
    ACCOUNTS,
    DEMO_ACCOUNTS,
    app_environment,
    new_app,
    route_through_entry_script,
    sign_in_as,
)
from streamlit.testing.v1 import AppTest  # noqa: E402

from g2g_core.demo import write_demo  # noqa: E402


@pytest.fixture(scope="session")
def demo_source(tmp_path_factory) -> Path:
    """The Wexmoor demo borough, generated once for the session (as of 18 May 2026); never written to."""
    out = tmp_path_factory.mktemp("security-demo")
    write_demo(out)
    return out


@pytest.fixture
def demo_dir(tmp_path, demo_source) -> Path:
    """A copy of the demo borough of this test's own (uploads, audit entries and faults stay in it)."""
    return Path(shutil.copytree(demo_source, tmp_path / "data"))


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


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Debian's Chromium, never a downloaded browser (as in tests/e2e); a missing browser fails the run."""
    from e2e_helpers import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does it with apt-get)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}

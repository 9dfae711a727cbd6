"""End-to-end fixtures: the demo borough served by a real `streamlit run`, and Debian's Chromium.

The server runs once per session on a free localhost port; every test gets a fresh browser context (its own
cookies), so each one signs in for itself unless it asks for a saved sign-in (`page_as`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from support.browser import VIEWPORT, chromium_launch_args, expect_signed_in, serve, sign_in
from support.demo import copy_of

from g2g_core.access import viewer_for
from g2g_core.store import Store, open_store
from g2g_core.views import visible_schools


@pytest.fixture(scope="session")
def demo_data(demo_source: Path, tmp_path_factory) -> Path:
    """The browser tests' demo borough, a copy of the session's (tests/conftest.py).

    The servers they start write to the data folder's audit log, and every other test's copy must start from an
    empty one.
    """
    return copy_of(demo_source, tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="session")
def demo_store(demo_data: Path) -> Store:
    """The core's own view of the demo data: the expected answers the browser is checked against."""
    return open_store(demo_data)


@pytest.fixture(scope="session")
def schools_of(demo_store: Store) -> Callable[..., dict[int, str]]:
    """`schools_of(username, role, urn=None)`: the schools (urn -> name) the core says that account may open."""

    def _schools(username: str, role: str, urn: int | None = None) -> dict[int, str]:
        viewer = viewer_for(demo_store, username, role, urn)
        frame = visible_schools(demo_store, viewer, demo_store.default_as_of())
        return dict(zip(frame["urn"].to_list(), frame["name"].to_list(), strict=True))

    return _schools


@pytest.fixture(scope="session")
def app_server(demo_data: Path) -> Iterator[str]:
    """`streamlit run app.py` on a free port over the demo data; yields its base URL; stopped at the end."""
    with serve(demo_data, "streamlit.log") as url:
        yield url


@pytest.fixture(scope="session")
def base_url(app_server: str) -> str:
    """pytest-playwright's base URL: `page.goto("/overview")` opens the app under test."""
    return app_server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Debian's Chromium, never a downloaded browser. A missing browser fails the run; it never skips."""
    return chromium_launch_args(browser_type_launch_args)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict, base_url: str) -> dict:
    """A tall viewport (whole pages in screenshots), British English, the app's base URL."""
    return {
        **browser_context_args,
        "base_url": base_url,
        "viewport": VIEWPORT,
        "locale": "en-GB",
        "timezone_id": "Europe/London",
    }


@pytest.fixture(scope="session")
def _sign_ins() -> dict[str, dict]:
    return {}


@pytest.fixture
def page_as(
    browser: Browser, browser_context_args: dict, _sign_ins: dict[str, dict]
) -> Iterator[Callable[[str], Page]]:
    """`page_as(user)`: a page in a fresh context carrying that user's sign-in cookie (signed in once a session)."""
    contexts = []

    def _open(user: str) -> Page:
        if user not in _sign_ins:
            ctx = browser.new_context(**browser_context_args)
            contexts.append(ctx)
            page = ctx.new_page()
            sign_in(page, user)
            expect_signed_in(page)
            _sign_ins[user] = ctx.storage_state()
        ctx = browser.new_context(**browser_context_args, storage_state=_sign_ins[user])
        contexts.append(ctx)
        return ctx.new_page()

    yield _open
    for ctx in contexts:
        ctx.close()

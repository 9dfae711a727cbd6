"""Accessibility in a real browser: axe-core on every page of every role, screenshots, and the keyboard.

Each page is checked with axe-core (bundled by axe-playwright-python, nothing downloaded); no violation of
impact "serious" or "critical" is allowed. Each report goes to artifacts/e2e/axe-<role>-<page>.json and a
screenshot of the page to artifacts/e2e/<role>-<page>.png.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from support.browser import VIEWPORT, artifact, expect_signed_in, main, save_json, settle, sidebar

BLOCKING = ("serious", "critical")
ACCOUNTS = {  # role: (username, urn of a head or governor)
    "director": ("director", None),
    "adviser": ("lama.brennan", None),
    "head": ("head.nolbbrook", 900005),
    "governor": ("chair.tarncombe", 900026),
}
PAGES = {
    "director": ["overview", "attention", "school", "what-if", "data", "policy"],
    "adviser": ["overview", "attention", "school", "policy"],
    "head": ["school", "policy"],
    "governor": ["school", "policy"],
}
CASES = [(role, name) for role, names in PAGES.items() for name in names]

_axe = Axe()


def audit(page: Page, name: str) -> list[dict]:
    """Run axe-core on the settled page, save the report and the screenshot; return the blocking violations."""
    page.screenshot(path=artifact(f"{name}.png"))
    # Streamlit scrolls inside its own container, and axe cannot judge the contrast of text scrolled out of
    # sight: grow the viewport to the whole page first, so every element is checked.
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], [data-testid=stSidebarContent]')]"
        ".map(e => e.scrollHeight), 0)"
    )
    if height > VIEWPORT["height"]:
        page.set_viewport_size({"width": VIEWPORT["width"], "height": height})
        # A resize reruns no script, so there is nothing to settle: wait for the browser to lay out again.
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    results = _axe.run(page)
    save_json(f"axe-{name}.json", results.response)
    return [v for v in results.response["violations"] if v["impact"] in BLOCKING]


def describe(violations: list[dict]) -> str:
    """One line per violation and up to three of its elements, for the failure message."""
    return "\n".join(
        f"{v['impact']} {v['id']}: {v['help']} at " + "; ".join(str(n["target"]) for n in v["nodes"][:3])
        for v in violations
    )


@pytest.mark.parametrize(("role", "page_name"), CASES, ids=[f"{r}-{p}" for r, p in CASES])
def test_page_has_no_serious_violation(page_as, schools_of, role: str, page_name: str) -> None:
    username, urn = ACCOUNTS[role]
    # The overview is the default page of a director and an adviser: Streamlit serves it at "/" only.
    address = "/" if page_name == "overview" else f"/{page_name}"
    if page_name == "school" and urn is None:  # a director or an adviser: open the first of their schools
        address += f"?urn={next(iter(schools_of(username, role)))}"
    page = page_as(username)
    page.goto(address)
    settle(page)
    expect_signed_in(page)
    expect(main(page).get_by_role("heading", level=1)).to_be_visible()
    blocking = audit(page, f"{role}-{page_name}")
    assert not blocking, describe(blocking)


def test_sign_in_page_has_no_serious_violation(page: Page) -> None:
    page.goto("/")
    settle(page)
    expect(page.get_by_role("button", name="Login")).to_be_visible()
    blocking = audit(page, "signed-out-sign-in")
    assert not blocking, describe(blocking)


def test_sign_in_with_the_keyboard_alone(page: Page) -> None:
    """Type the username, Tab to the password, Enter: signed in, no mouse."""
    page.goto("/")
    settle(page)
    username = page.get_by_role("textbox", name="Username")
    username.focus()
    page.keyboard.type("director")
    page.keyboard.press("Tab")
    expect(page.get_by_role("textbox", name="Password")).to_be_focused()
    page.keyboard.type("g2g-director-demo")
    page.keyboard.press("Enter")
    settle(page)
    expect_signed_in(page)
    expect(main(page).get_by_role("heading", name="Borough overview", level=1)).to_be_visible()


def test_sidebar_navigation_with_the_keyboard(page_as) -> None:
    """Tab from the top of the page reaches the sidebar's page links; Enter on one opens that page."""
    page = page_as("director")
    page.goto("/")
    settle(page)
    target = sidebar(page).get_by_role("link", name="Attention")
    expect(target).to_be_visible()
    for _ in range(40):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the sidebar's Attention link")
    page.keyboard.press("Enter")
    settle(page)
    expect(page).to_have_url(re.compile(r"/attention$"))
    expect(main(page).get_by_role("heading", name="Attention", level=1)).to_be_visible()

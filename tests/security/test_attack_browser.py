"""Attacks through a real browser on a real `streamlit run`: addresses, `?urn=`, script in the data, cookies.

Kept small (each case costs seconds): a signed-out visitor at every address, a head editing `?urn=`, a
school name carrying script and links, and a cookie replayed after sign-out.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from support.browser import VIEWPORT, main, serve, settle, sidebar, sign_in

OTHER = ("Vorrton Primary School", "900001")
XSS = (
    "Nolbbrook <img src=x onerror=\"window.__g2g_xss='img'\"><script>window.__g2g_xss='script'</script> "
    "[Sign in again](javascript:window.__g2g_xss='link') [Help](https://evil.example/login) :red[ALERT]"
)
ADDRESSES = [
    "",
    "overview",
    "attention",
    "school?urn=900005",
    "school?urn=900001",
    "what-if",
    "data",
    "policy",
]


@pytest.fixture(scope="module")
def demo_url(demo_source, tmp_path_factory) -> Iterator[str]:
    """The demo borough served on a copy (the server writes its audit log beside the data)."""
    data = Path(shutil.copytree(demo_source, tmp_path_factory.mktemp("browser") / "data"))
    with serve(data, "security-demo.log") as url:
        yield url


@pytest.fixture(scope="module")
def hostile_url(demo_source, tmp_path_factory) -> Iterator[str]:
    data = Path(shutil.copytree(demo_source, tmp_path_factory.mktemp("xss") / "data"))
    path = data / "schools.parquet"
    frame = pl.read_parquet(path)
    frame.with_columns(
        pl.when(pl.col("urn") == 900005).then(pl.lit(XSS)).otherwise(pl.col("name")).alias("name")
    ).write_parquet(path)
    with serve(data, "security-hostile.log") as url:
        yield url


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(viewport=VIEWPORT, locale="en-GB")
    yield ctx
    ctx.close()


def sign_in_form_only(page: Page) -> None:
    expect(page.get_by_role("textbox", name="Password")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
    for element in ("stMetric", "stDataFrame", "stPlotlyChart", "stSelectbox", "stDownloadButton"):
        expect(page.get_by_test_id(element)).to_have_count(0)
    assert OTHER[0] not in page.content()


def test_a_signed_out_visitor_sees_only_the_sign_in_form_at_every_address(demo_url, context):
    """Attack: open every address (with `?urn=` of any school) in a browser without signing in.

    Expected: the sign-in form and nothing else, at each one.
    """
    page = context.new_page()
    for address in ADDRESSES:
        page.goto(f"{demo_url}/{address}")
        settle(page)
        sign_in_form_only(page)


def test_a_head_who_edits_the_urn_in_the_address_sees_nothing_of_that_school(demo_url, context):
    """Attack: a head signs in, then types `?urn=` of another school, of text and of a list.

    Expected: the neutral 'not available' message and nothing of the other school.
    """
    page = context.new_page()
    page.goto(demo_url)
    sign_in(page, "head.nolbbrook", path=demo_url)
    for query in ("urn=900001", "urn=abc", "urn=900001&urn=900001", "urn=-1"):
        page.goto(f"{demo_url}/school?{query}")
        settle(page)
        expect(main(page)).to_contain_text("not available")
        html = page.content()
        assert OTHER[0] not in html
        # Of their own school only the sentence naming it, with its link (issue 14): nothing of its page.
        shown = (
            main(page)
            .inner_text()
            .replace("You can see Nolbbrook School only", "")
            .replace("Open Nolbbrook School", "")
        )
        assert "Nolbbrook School" not in shown


def test_script_and_links_in_a_school_name_are_shown_as_text_and_never_run(hostile_url, context):
    """Attack: a school name carrying an <img onerror>, a <script>, a `javascript:` link, a phishing link and a colour directive.

    Expected: no dialog, no script ran (the marker is unset), no link to `javascript:` or to the phishing
    site exists, and the name's text is visible as typed.
    """
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(hostile_url)
    sign_in(page, "head.nolbbrook", path=hostile_url)
    heading = main(page).get_by_role("heading", level=1)
    expect(heading).to_contain_text("<script>")
    expect(heading).to_contain_text("javascript:")
    assert page.evaluate("window.__g2g_xss") is None
    assert dialogs == []
    assert page.locator('a[href^="javascript"]').count() == 0
    assert page.locator('a[href*="evil.example"]').count() == 0
    assert main(page).locator("img[onerror], script:not([src])").count() == 0


def test_a_cookie_copied_before_sign_out_does_not_sign_in_after_it(demo_url, browser: Browser):
    """Attack: copy the director's cookies, let the director sign out, open the app with the copy.

    Expected: the sign-in form only.
    """
    owner = browser.new_context(viewport=VIEWPORT)
    try:
        page = owner.new_page()
        sign_in(page, "director", path=demo_url)
        expect(sidebar(page).get_by_role("button", name="Sign out")).to_be_visible()
        stolen = owner.storage_state()
        assert any(c["name"] == "g2g_session" for c in stolen["cookies"])
        sidebar(page).get_by_role("button", name="Sign out").click()
        settle(page)
        expect(page.get_by_role("textbox", name="Password")).to_be_visible()
    finally:
        owner.close()
    thief = browser.new_context(viewport=VIEWPORT, storage_state=stolen)
    try:
        page = thief.new_page()
        page.goto(f"{demo_url}/overview")
        settle(page)
        sign_in_form_only(page)
    finally:
        thief.close()

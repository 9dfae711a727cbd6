"""Signing in with the council's own accounts (OpenID Connect), end to end, in Chromium (issue 17).

A real OpenID provider (panva's oidc-provider, tests/oidc/provider) runs on 127.0.0.1 with the test council's
people: a director by app role, an adviser, a head and a governor known to the people register, somebody
with no role and a director of another tenant. The app runs with `G2G_SIGNIN_MODE=oidc` and a temporary
secrets.toml. Every journey goes through the provider's own password form, as a person does; the expected
scopes come from the core over the same demo data.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from support.browser import VIEWPORT, free_port, heading_1, main, settle, sidebar
from support.demo import copy_of
from support.oidc import (
    BUTTON,
    ENDED,
    NO_ACCESS,
    SETTLE_MS,
    oidc_app,
    person,
    provider,
    sign_in_at_provider,
    start_sign_in,
    subject,
    write_secrets,
)

from g2g_core.access import viewer_for
from g2g_core.identity import Person, people_register
from g2g_core.store import open_store
from g2g_core.views import visible_schools
from ui import navigation

SHORT_LIFETIME_HOURS = 0.015  # 54 seconds: long enough to sign in on a loaded machine


@pytest.fixture(scope="module")
def council_data(demo_source: Path, tmp_path_factory) -> Path:
    """A copy of the session's demo borough, with a people register as a director would have set it up."""
    path = copy_of(demo_source, tmp_path_factory.mktemp("oidc-demo"))
    register = people_register(path)
    register.save(Person("adviser", "Sam Brennan", None, subject("sam.brennan"), None, None, "lama.brennan"))
    register.save(Person("head", "Pat Nolan", "head", None, person("pat.nolan")["email"], 900005))
    register.save(Person("governor", "Chris Tarn", "governor", subject("chris.tarn"), None, 900026))
    return path


@pytest.fixture(scope="module")
def council(council_data: Path, tmp_path_factory) -> Iterator[dict]:
    """The provider, and the app using it (a second app, with a short sign-in lifetime, starts on demand)."""
    app_port, short_port, provider_port = free_port(), free_port(), free_port()
    redirects = [f"http://localhost:{p}/oauth2callback" for p in (app_port, short_port)]
    with provider(provider_port, redirects) as issuer:
        secrets_file = write_secrets(tmp_path_factory.mktemp("oidc-secrets"), issuer)
        with oidc_app(council_data, secrets_file, app_port, "streamlit-oidc.log") as url:
            yield {"url": url, "issuer": issuer, "secrets": secrets_file, "short_port": short_port}


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """`new_page(storage_state=None)`: a page in a fresh browser context (its own cookies)."""
    contexts: list[BrowserContext] = []

    def _open(storage_state: dict | None = None) -> Page:
        ctx = browser.new_context(
            viewport=VIEWPORT, locale="en-GB", timezone_id="Europe/London", storage_state=storage_state
        )
        contexts.append(ctx)
        return ctx.new_page()

    yield _open
    for ctx in contexts:
        ctx.close()


@pytest.fixture(scope="module")
def caseload(council_data: Path) -> Callable[..., dict[int, str]]:
    store = open_store(council_data)

    def _schools(username: str, role: str, urn: int | None = None) -> dict[int, str]:
        frame = visible_schools(store, viewer_for(store, username, role, urn), store.default_as_of())
        return dict(zip(frame["urn"].to_list(), frame["name"].to_list(), strict=True))

    return _schools


def nav_links(page: Page) -> set[str]:
    """The titles of the pages in the sidebar's navigation (each link's text after its icon's name)."""
    links = sidebar(page).get_by_test_id("stSidebarNav").get_by_role("link").all_inner_texts()
    return {text.strip().splitlines()[-1].strip() for text in links}


def expect_signed_in_as(page: Page, name: str) -> None:
    expect(sidebar(page).get_by_role("button", name="Sign out")).to_be_visible()
    expect(sidebar(page).get_by_text(f"Signed in as {name}")).to_be_visible()


def expect_signed_out(page: Page, message: str | None = None) -> None:
    """The sign-in page: the one button (and the message), nothing of any page."""
    expect(main(page).get_by_role("button", name=BUTTON)).to_be_visible()
    if message:
        expect(main(page).get_by_text(message, exact=False)).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
    for element in ("stMetric", "stDataFrame", "stPlotlyChart", "stSelectbox", "stTextInput"):
        expect(page.get_by_test_id(element)).to_have_count(0)
    expect(heading_1(page)).to_have_text("Good to Great")


def audit_entries(data: Path) -> list[dict]:
    path = data / "audit" / "audit.jsonl"
    return (
        [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []
    )


# --- Before signing in -------------------------------------------------------------------------------------------


def test_the_sign_in_page_shows_one_button_and_nothing_else(council, new_page) -> None:
    page = new_page()
    page.goto(council["url"] + "/overview")
    settle(page, SETTLE_MS)
    expect_signed_out(page)
    expect(main(page).get_by_role("button")).to_have_count(1)


def test_a_wrong_password_stays_at_the_provider(council, new_page) -> None:
    page = new_page()
    start_sign_in(page, council["url"])
    page.get_by_label("Username").fill("alex.morgan")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Wrong username or password.")
    assert page.url.startswith(council["issuer"] + "/interaction/")
    expect(page.get_by_role("heading", name="Test council sign-in")).to_be_visible()


# --- Each role lands on its pages with its scope ------------------------------------------------------------------


def test_the_director_by_app_role_lands_on_the_overview_with_every_page(
    council, council_data, new_page
) -> None:
    page = new_page()
    sign_in_at_provider(page, council["url"], "alex.morgan")
    expect_signed_in_as(page, "Alex Morgan")
    expect(heading_1(page)).to_have_text("Borough overview")
    assert nav_links(page) == {p.title for p in navigation.pages_for("director")}

    # The People page lists the register, with who signed in last (the director now has an entry too).
    sidebar(page).get_by_role("link", name="People").click()
    settle(page, SETTLE_MS)
    expect(heading_1(page)).to_have_text("People")
    expect(main(page).get_by_test_id("stDataFrame")).to_be_visible()
    entries = {p.name: p for p in people_register(council_data).people()}
    assert entries["Alex Morgan"].subject == subject("alex.morgan") and entries["Alex Morgan"].last_sign_in
    sign_ins = [e for e in audit_entries(council_data) if e["action"] == "sign_in"]
    assert any(subject("alex.morgan") in e["detail"] and "Alex Morgan" in e["detail"] for e in sign_ins)


def test_the_adviser_sees_only_their_caseload(council, new_page, caseload) -> None:
    schools = caseload("lama.brennan", "adviser")
    assert len(schools) == 8
    page = new_page()
    sign_in_at_provider(page, council["url"], "sam.brennan")
    expect_signed_in_as(page, "Sam Brennan")
    expect(heading_1(page)).to_have_text("Your schools")  # an adviser's overview
    assert nav_links(page) == {p.title for p in navigation.pages_for("adviser")}
    page.goto(council["url"] + "/school")
    settle(page, SETTLE_MS)
    sidebar(page).get_by_test_id("stSelectbox").click()
    options = page.get_by_role("listbox").get_by_role("option")
    expect(options).to_have_count(len(schools))
    offered = {int(re.search(r"\((\d+)\)", text).group(1)) for text in options.all_inner_texts()}
    assert offered == set(schools)


def test_the_head_registered_by_email_sees_only_their_school(
    council, council_data, new_page, caseload
) -> None:
    other = caseload("director", "director")[900001]
    page = new_page()
    sign_in_at_provider(page, council["url"], "pat.nolan")
    expect_signed_in_as(page, "Pat Nolan")
    expect(heading_1(page)).to_have_text("Nolbbrook School")
    assert nav_links(page) == {"School", "Policy"}
    page.goto(council["url"] + "/school?urn=900001")
    settle(page, SETTLE_MS)
    expect(main(page).get_by_text("not available", exact=False)).to_be_visible()
    expect(page.get_by_text(other, exact=False)).to_have_count(0)
    # The first sign-in linked the register entry to the account: from now on the subject finds it.
    (entry,) = [p for p in people_register(council_data).people() if p.id == "head"]
    assert entry.subject == subject("pat.nolan")


def test_the_governor_with_a_role_from_the_register_sees_only_their_school(council, new_page) -> None:
    page = new_page()
    sign_in_at_provider(page, council["url"], "chris.tarn")
    expect_signed_in_as(page, "Chris Tarn")
    expect(heading_1(page)).to_have_text("Tarncombe Primary School")
    assert nav_links(page) == {"School", "Policy"}


# --- Refused -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("login", "reason"),
    [("new.starter", "not in the people register"), ("outsider", "another tenant")],
)
def test_no_role_and_another_tenant_are_refused_with_the_message(
    council, council_data, new_page, login, reason
) -> None:
    page = new_page()
    sign_in_at_provider(page, council["url"], login)
    expect_signed_out(page, NO_ACCESS)
    page.reload()
    settle(page, SETTLE_MS)
    expect_signed_out(page, NO_ACCESS)
    refusals = [e for e in audit_entries(council_data) if e["action"] == "sign_in_failed"]
    mine = [e for e in refusals if e["actor"] == subject(login)]
    assert mine and reason in mine[-1]["detail"] and person(login)["name"] in mine[-1]["detail"]


# --- Sessions the app controls --------------------------------------------------------------------------------------


def test_sign_out_ends_the_session_and_a_replayed_cookie_is_refused(council, new_page) -> None:
    page = new_page()
    sign_in_at_provider(page, council["url"], "alex.morgan")
    expect_signed_in_as(page, "Alex Morgan")
    copied = page.context.storage_state()
    assert any(c["name"].startswith("_streamlit_user") for c in copied["cookies"]), copied["cookies"]

    sidebar(page).get_by_role("button", name="Sign out").click()
    # Streamlit sends the browser to the provider's sign-out, which asks; then back to the app.
    page.get_by_role("button", name="Yes, sign me out").click(timeout=30_000)
    page.wait_for_url(f"{council['url']}/**", timeout=30_000)
    settle(page, SETTLE_MS)
    expect_signed_out(page)

    # The cookies copied before signing out, presented again by another browser: signed out.
    replay = new_page(storage_state=copied)
    replay.goto(council["url"] + "/overview")
    settle(replay, SETTLE_MS)
    expect_signed_out(replay, ENDED)


def test_a_session_past_its_lifetime_is_signed_out(council, council_data, new_page) -> None:
    url_port = council["short_port"]
    with oidc_app(
        council_data,
        council["secrets"],
        url_port,
        "streamlit-oidc-short.log",
        env={"G2G_COOKIE_HOURS": str(SHORT_LIFETIME_HOURS)},
    ) as url:
        page = new_page()
        sign_in_at_provider(page, url, "alex.morgan")
        signed_in_at = time.time()
        expect_signed_in_as(page, "Alex Morgan")
        expect(heading_1(page)).to_have_text("Borough overview")
        # Wait (not a timed assertion) until the lifetime has certainly passed, then use the app again.
        page.wait_for_timeout(max(0.0, signed_in_at + SHORT_LIFETIME_HOURS * 3600 + 3 - time.time()) * 1000)
        page.reload()
        settle(page, SETTLE_MS)
        expect_signed_out(page, ENDED)

"""Every page at its own address, in real Chromium (issue 13 item 2).

No "Page not found" dialog for any page a role may open; a sentence, not Streamlit's dialog, on a page the role
may not open; the address and its ?urn= survive signing in.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from support.browser import expect_signed_in, heading_1, main, settle

from ui.navigation import BY_KEY, refusal

DIRECTOR_ADDRESSES = {
    "/overview": "Borough overview",
    "/attention": "Attention",
    "/school?urn=900026": "Tarncombe Primary School",
    "/what-if": "What-if",
    "/data": "Data",
    "/policy": "Policy",
}
HEAD_ADDRESSES = {"/school?urn=900005": "Nolbbrook School", "/school": "Nolbbrook School"}


def expect_no_page_not_found(page: Page) -> None:
    """Streamlit's "Page not found" dialog is not on the page."""
    expect(page.get_by_text("Page not found", exact=False)).to_have_count(0)
    expect(page.get_by_role("dialog")).to_have_count(0)


def open_address(page: Page, address: str) -> None:
    page.goto(address)
    settle(page)
    expect_signed_in(page)


@pytest.mark.parametrize(
    ("user", "addresses"), [("director", DIRECTOR_ADDRESSES), ("head.nolbbrook", HEAD_ADDRESSES)]
)
def test_every_page_of_a_role_opens_at_its_address_without_page_not_found(page_as, user, addresses) -> None:
    page = page_as(user)
    for address, title in addresses.items():
        open_address(page, address)
        expect(heading_1(page)).to_contain_text(title)
        expect_no_page_not_found(page)
        assert page.url.endswith(address), (page.url, address)


def test_an_adviser_opening_the_data_page_reads_whom_it_is_for(page_as) -> None:
    page = page_as("lama.brennan")
    open_address(page, "/data")
    expect(main(page).get_by_text(refusal(BY_KEY["data"]))).to_be_visible()
    expect(main(page).get_by_text("This page is for the Assistant Director.")).to_be_visible()
    expect_no_page_not_found(page)
    expect(main(page).get_by_role("tab", name="Upload")).to_have_count(0)


def test_the_address_and_its_urn_survive_signing_in(page: Page) -> None:
    from support.browser import sign_in

    sign_in(page, "head.nolbbrook", path="/school?urn=900005")
    expect_signed_in(page)
    expect(heading_1(page)).to_have_text("Nolbbrook School")
    expect_no_page_not_found(page)
    assert "/school" in page.url and "urn=900005" in page.url, page.url

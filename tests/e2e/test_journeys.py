"""Real-browser journeys through the app served by `streamlit run`, one per test (SPEC §5).

The expected answers (names, counts, caseloads) come from the core over the same demo data, never from the
page itself.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from support.browser import (
    click_link_cell,
    expect_signed_in,
    grid_column,
    heading_1,
    main,
    settle,
    sidebar,
    sign_in,
)

from g2g_core.access import Viewer
from g2g_core.policy import LEVEL_NAMES, LEVELS
from g2g_core.views import Filters, overview

WRONG_PASSWORD = "The username or password is incorrect."


def metric(page: Page, label: str):
    """The metric with this label, in the main area."""
    return (
        main(page)
        .get_by_test_id("stMetric")
        .filter(has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True))
    )


def expect_sign_in_form_only(page: Page) -> None:
    """The sign-in form and nothing of any page: no sign-out, no page links, metrics, tables or charts."""
    expect(page.get_by_role("textbox", name="Username")).to_be_visible()
    expect(page.get_by_role("textbox", name="Password")).to_be_visible()
    expect(page.get_by_role("button", name="Login")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
    for element in ("stMetric", "stDataFrame", "stPlotlyChart", "stSelectbox", "stDownloadButton"):
        expect(page.get_by_test_id(element)).to_have_count(0)
    expect(heading_1(page)).to_have_text("Good to Great")


def test_director_reads_the_overview_opens_a_school_from_attention_and_signs_out(
    page: Page, demo_store
) -> None:
    sign_in(page, "director")
    expect_signed_in(page)
    expect(heading_1(page)).to_have_text("Borough overview")

    # The five level metrics and "Flags overdue", with the core's numbers.
    ov = overview(demo_store, Viewer.system(), demo_store.default_as_of(), Filters())
    now = dict(zip(ov.counts["level"].to_list(), ov.counts["now"].to_list(), strict=True))
    for lv in LEVELS:
        expect(metric(page, LEVEL_NAMES[lv])).to_be_visible()
        expect(metric(page, LEVEL_NAMES[lv]).get_by_test_id("stMetricValue")).to_have_text(str(now[lv]))
    expect(metric(page, "Flags overdue").get_by_test_id("stMetricValue")).to_have_text(str(ov.flags_overdue))

    # Attention, from the sidebar.
    sidebar(page).get_by_role("link", name="Attention").click()
    settle(page)
    expect(heading_1(page)).to_have_text("Attention")
    flags = main(page).get_by_test_id("stDataFrame")
    expect(flags).to_be_visible()
    school = grid_column(flags, 2)[0]
    link = grid_column(flags, 3)[0]
    urn = re.fullmatch(r"school\?urn=(\d+)", link).group(1)

    # "Open school" is a link drawn in the canvas dataframe: clicking it opens the school in a new tab.
    with page.context.expect_page() as opened:
        click_link_cell(page, flags, row=0)
    school_page = opened.value
    settle(school_page)
    expect(school_page).to_have_url(re.compile(rf"/school\?urn={urn}$"))
    expect(heading_1(school_page)).to_have_text(school)
    expect(main(school_page).get_by_text(f"URN {urn}", exact=False).first).to_be_visible()

    # Sign out: the sign-in form, and nothing else.
    sidebar(school_page).get_by_role("button", name="Sign out").click()
    settle(school_page)
    expect_sign_in_form_only(school_page)


def test_adviser_sees_only_their_caseload(page_as, schools_of) -> None:
    caseload = schools_of("lama.brennan", "adviser")
    assert caseload, "the demo adviser has schools"
    others = set(schools_of("director", "director")) - set(caseload)
    page = page_as("lama.brennan")
    page.goto("/school")
    settle(page)
    expect_signed_in(page)

    # The School selector offers exactly their schools.
    sidebar(page).get_by_test_id("stSelectbox").click()
    options = page.get_by_role("listbox").get_by_role("option")
    expect(options).to_have_count(len(caseload))
    offered = {int(re.search(r"\((\d+)\)", text).group(1)) for text in options.all_inner_texts()}
    assert offered == set(caseload)
    page.keyboard.press("Escape")

    # Attention lists flags of their schools only.
    page.goto("/attention")
    settle(page)
    expect(heading_1(page)).to_have_text("Attention")
    flags = main(page).get_by_test_id("stDataFrame")
    expect(flags).to_be_visible()
    rows = int(flags.locator("table[role=grid]").get_attribute("aria-rowcount")) - 1
    links = grid_column(flags, 3)
    assert links and len(links) == rows, "every flag row is in view"
    shown = {int(re.fullmatch(r"school\?urn=(\d+)", link).group(1)) for link in links}
    assert shown <= set(caseload)
    assert not shown & others
    assert set(grid_column(flags, 2)) <= set(caseload.values())


def test_head_lands_on_their_school_and_cannot_reach_another(page: Page, schools_of) -> None:
    own = schools_of("head.nolbbrook", "head", 900005)
    assert own == {900005: "Nolbbrook School"}
    other = schools_of("director", "director")[900001]
    sign_in(page, "head.nolbbrook")
    expect_signed_in(page)
    expect(heading_1(page)).to_have_text("Nolbbrook School")

    # Editing the address to another school's URN shows nothing of it.
    page.goto("/school?urn=900001")
    settle(page)
    expect_signed_in(page)
    expect(main(page).get_by_text("not available", exact=False)).to_be_visible()
    expect(page.get_by_text(other, exact=False)).to_have_count(0)
    expect(heading_1(page)).not_to_have_text(other)

    # The overview is not one of their pages: asking for it does not show it.
    page.goto("/overview")
    settle(page)
    expect_signed_in(page)
    expect(page.get_by_role("heading", name="Borough overview")).to_have_count(0)
    expect(page.get_by_text("Schools at each level now")).to_have_count(0)
    expect(sidebar(page).get_by_role("link", name="Borough overview")).to_have_count(0)


def test_wrong_password_shows_the_message_and_nothing_else(page: Page) -> None:
    sign_in(page, "director", password="not-the-password")
    expect(main(page).get_by_text(WRONG_PASSWORD)).to_be_visible()
    expect_sign_in_form_only(page)
    # An unknown username gets the very same answer: the message does not tell which part was wrong.
    sign_in(page, "no.such.user", password="not-the-password")
    expect(main(page).get_by_text(WRONG_PASSWORD)).to_be_visible()
    expect_sign_in_form_only(page)


def test_reloading_the_page_keeps_the_session(page: Page) -> None:
    sign_in(page, "director")
    page.goto("/attention")
    settle(page)
    expect(heading_1(page)).to_have_text("Attention")
    page.reload()
    settle(page)
    expect_signed_in(page)
    expect(heading_1(page)).to_have_text("Attention")
    expect(page.get_by_role("button", name="Login")).to_have_count(0)


def test_director_changes_a_what_if_input_and_the_total_changes(page_as) -> None:
    page = page_as("director")
    page.goto("/")
    settle(page)
    expect_signed_in(page)
    sidebar(page).get_by_role("link", name="What-if").click()
    settle(page)
    expect(heading_1(page)).to_have_text("What-if: support allocation")
    # The first headline figure: the adviser hours the scenario needs a term.
    total = main(page).get_by_test_id("stMetric").filter(has_text=re.compile("hours needed a term", re.I))
    total = total.first.get_by_test_id("stMetricValue")
    expect(total).to_be_visible()
    before = total.inner_text()

    visit = main(page).get_by_role("spinbutton", name="Hours of a SIP visit")
    hours = float(visit.input_value())
    visit.fill(f"{hours + 1:g}")
    visit.press("Enter")
    settle(page)
    assert float(visit.input_value()) == hours + 1
    expect(total).not_to_have_text(before)
    after = float(total.inner_text().replace(",", ""))
    assert after > float(before.replace(",", "")), "longer SIP visits need more adviser hours"

"""The Assistant Director's week at 1366×768 in Chromium (issue 15).

From the Overview's Intensive A count to the Schools list (checked against our own DuckDB query over the
Parquet files), a school opened in the same tab and back to the list with its filter; every Attention flag
readable (the school's name and the why inside the viewport together); a link with Attention filters
reopening them; the What-if answer in view after an input changes. Screenshots of the four pages are kept
in artifacts/screenshots/ for a person to look at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Browser, Page, expect
from support.browser import ROOT, expect_signed_in, heading_1, main, settle, sidebar, sign_in

from g2g_core.policy import LEVEL_NAMES

SMALL = {"width": 1366, "height": 768}
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
ROW = 35  # the height of a dataframe row, in pixels
LEAVER = "lama.brennan"  # eight schools in the demo borough

AT_LEVEL_SQL = """
SELECT s.urn, s.name FROM read_parquet($schools) s
JOIN (SELECT urn, arg_max(level, effective_from) AS level FROM read_parquet($cats)
      WHERE effective_from <= $as_of GROUP BY urn) c USING (urn)
WHERE (s.closed_on IS NULL OR s.closed_on > $as_of) AND c.level = $level
"""


@pytest.fixture
def small_page(browser: Browser, browser_context_args: dict) -> Iterator[Page]:
    """The director signed in, in a fresh context with a 1366×768 viewport."""
    ctx = browser.new_context(**{**browser_context_args, "viewport": SMALL})
    page = ctx.new_page()
    expect.set_options(timeout=30_000)  # a loaded 2-core machine: generous waits, never timed assertions
    sign_in(page, "director")
    expect_signed_in(page)
    yield page
    ctx.close()


def shot(page: Page, name: str) -> Path:
    """A 1366×768 screenshot of what the visitor sees, kept for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def in_viewport(page: Page, box: dict | None) -> bool:
    """Whether a bounding box lies wholly inside the viewport."""
    view = page.viewport_size
    return bool(
        box
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= view["width"]
        and box["y"] + box["height"] <= view["height"]
    )


def expected_at_level(demo_data: Path, demo_store, level: str) -> dict[int, str]:
    params = {
        "schools": str(demo_data / "schools.parquet"),
        "cats": str(demo_data / "categorisations.parquet"),
        "as_of": demo_store.default_as_of(),
        "level": level,
    }
    return dict(duckdb.sql(AT_LEVEL_SQL, params=params).fetchall())


def listed_schools(page: Page) -> dict[int, str]:
    """The Schools table's (URN, school) pairs, read from the grid's accessible table (every row in view)."""
    grid = main(page).get_by_test_id("stDataFrame")
    expect(grid).to_be_visible()
    expect(grid.locator('[data-testid^="glide-cell-1-"]').first).to_be_attached()
    names = [t.strip() for t in grid.locator('[data-testid^="glide-cell-1-"]').all_text_contents()]
    urns = [int(t.strip()) for t in grid.locator('[data-testid^="glide-cell-2-"]').all_text_contents()]
    return dict(zip(urns, names, strict=True))


def test_the_intensive_a_count_lists_those_schools_one_opens_in_the_same_tab_and_back_keeps_the_filter(
    small_page: Page, demo_data: Path, demo_store
) -> None:
    page = small_page
    expect(heading_1(page)).to_have_text("Borough overview")
    shot(page, "overview")
    expected = expected_at_level(demo_data, demo_store, "intensive_a")
    assert expected, "the demo has Intensive A schools"

    # A bar segment of the phase chart leads to the Schools list of that level and phase.
    # On a loaded machine the first click can land before Plotly listens for it (nothing happens, the page
    # stays): then the bar is found and clicked again, up to three times.
    for attempt in range(3):
        chart = main(page).get_by_test_id("stPlotlyChart").first
        chart.scroll_into_view_if_needed()
        boxes = [b for b in (p.bounding_box() for p in chart.locator("g.point path").all()) if b]
        widest = max(boxes, key=lambda b: b["width"] * b["height"])  # Core in primary schools
        page.mouse.click(widest["x"] + widest["width"] / 2, widest["y"] + widest["height"] / 2)
        settle(page)
        try:
            expect(heading_1(page)).to_have_text("Schools", timeout=30_000)
            break
        except AssertionError:
            if attempt == 2:
                raise
    expect(page).to_have_url(re.compile(r"/schools\?level=core&phase=primary$"))
    sidebar(page).get_by_role("link", name="Borough overview").click()
    settle(page)
    expect(heading_1(page)).to_have_text("Borough overview")

    main(page).get_by_role("link", name=f"List the {len(expected)} at {LEVEL_NAMES['intensive_a']}").click()
    settle(page)
    expect(heading_1(page)).to_have_text("Schools")
    expect(page).to_have_url(re.compile(r"/schools\?level=intensive_a$"))
    assert listed_schools(page) == expected
    shot(page, "schools")

    # Open the first school with the row's Open button (drawn in the grid's canvas): this tab.
    grid = main(page).get_by_test_id("stDataFrame")
    box = grid.locator("canvas").first.bounding_box()
    first_urn = next(iter(listed_schools(page)))
    page.mouse.click(box["x"] + 30, box["y"] + ROW * 1.5)
    settle(page)
    assert len(page.context.pages) == 1, "the school opens in the same tab"
    expect(page).to_have_url(re.compile(rf"/school\?urn={first_urn}$"))
    expect(heading_1(page)).to_have_text(expected[first_urn])

    main(page).get_by_role("link", name="Back to Schools").click()
    settle(page)
    expect(page).to_have_url(re.compile(r"/schools\?level=intensive_a$"))
    assert listed_schools(page) == expected


def test_every_attention_flag_shows_the_school_and_why_together_in_view(small_page: Page) -> None:
    page = small_page
    page.goto("/attention")
    settle(page)
    expect(heading_1(page)).to_have_text("Attention")
    shot(page, "attention")
    cards = main(page).locator("[class*='st-key-flag_']")
    expect(cards.first).to_be_visible()
    count = cards.count()
    assert count > 10
    for i in range(count):
        card = cards.nth(i)
        card.scroll_into_view_if_needed()
        name = card.locator("a[href*='school?urn=']")
        why = card.get_by_text("Why:", exact=False)
        assert in_viewport(page, name.bounding_box()), f"flag {i}: the school's name is out of view"
        assert in_viewport(page, why.bounding_box()), f"flag {i}: the why is out of view"
    # Nothing needs sideways scrolling.
    overflow = page.evaluate(
        "() => { const m = document.querySelector('[data-testid=stMain]'); return m.scrollWidth - m.clientWidth; }"
    )
    assert overflow <= 0


def test_a_link_with_attention_filters_reopens_them(small_page: Page) -> None:
    page = small_page
    page.goto("/attention?kind=escalation&severity=overdue")
    settle(page)
    expect(heading_1(page)).to_have_text("Attention")
    kind = main(page).get_by_test_id("stMultiSelect").filter(has_text="Kind")
    severity = main(page).get_by_test_id("stMultiSelect").filter(has_text="Severity")
    expect(kind).to_contain_text("Escalation")
    expect(severity).to_contain_text("Overdue")
    cards = main(page).locator("[class*='st-key-flag_']")
    expect(cards.first).to_be_visible()
    texts = cards.all_inner_texts()
    assert texts and all("Overdue" in t for t in texts)
    assert not any("For information" in t or "\nDue" in t for t in texts)

    # A school opens in this tab; "Back to Attention" brings the filters back.
    first = cards.first.locator("a[href*='school?urn=']")
    name = first.inner_text().strip()
    first.click()
    settle(page)
    assert len(page.context.pages) == 1
    expect(heading_1(page)).to_have_text(name)
    main(page).get_by_role("link", name="Back to Attention").click()
    settle(page)
    expect(heading_1(page)).to_have_text("Attention")
    assert "kind=escalation" in page.url and "severity=overdue" in page.url
    expect(main(page).get_by_test_id("stMultiSelect").filter(has_text="Kind")).to_contain_text("Escalation")

    # Choosing "new in the last 7 days" is kept in the address too, with the others.
    main(page).get_by_test_id("stSelectbox").filter(has_text="Which flags").click()
    page.get_by_role("option", name="New in the last 7 days").click()
    settle(page)
    expect(page).to_have_url(re.compile(r"new=7d"))
    assert "kind=escalation" in page.url and "severity=overdue" in page.url


def test_the_what_if_answer_stays_in_view_when_an_adviser_leaves(small_page: Page, demo_store) -> None:
    page = small_page
    page.goto("/what-if")
    settle(page)
    expect(heading_1(page)).to_have_text("What-if: support allocation")
    answer = page.locator(".st-key-wi_answer")
    expect(answer).to_be_visible()
    before = answer.inner_text()

    leavers = main(page).get_by_test_id("stMultiSelect").filter(has_text="Advisers who leave")
    leavers.scroll_into_view_if_needed()
    leavers.click()
    # Shown by the name the advisers table gives the login (issue 14), as the page does.
    (leaver_name,) = demo_store.sql("SELECT name FROM advisers WHERE username = $u", {"u": LEAVER})["name"]
    page.get_by_role("option", name=leaver_name, exact=True).click()
    page.keyboard.press("Escape")
    settle(page)
    expect(leavers).to_contain_text(leaver_name)
    expect(answer).not_to_have_text(before)
    assert in_viewport(page, answer.bounding_box()), "the answer is on screen right after the input changed"
    assert in_viewport(page, leavers.bounding_box()), "the input stays on screen too"
    shot(page, "what-if")
    table = main(page).get_by_text("Schools reassigned from advisers who leave")
    expect(table).to_have_count(1)
    expect(main(page).get_by_text("1 adviser leaves: 8 schools reassigned", exact=False)).to_be_visible()


def test_on_a_phone_the_what_if_answer_scrolls_away_and_leaves_the_inputs_room(
    browser: Browser, browser_context_args: dict
) -> None:
    """At 390 px the five figures stack taller than the screen: held at the top, they would hide every input."""
    ctx = browser.new_context(**{**browser_context_args, "viewport": {"width": 390, "height": 844}})
    try:
        page = ctx.new_page()
        sign_in(page, "director")
        expect_signed_in(page)
        page.goto("/what-if")
        settle(page)
        answer = page.locator(".st-key-wi_answer")
        expect(answer).to_be_visible()
        leavers = main(page).get_by_test_id("stMultiSelect").filter(has_text="Advisers who leave")
        leavers.scroll_into_view_if_needed()
        settle(page)
        assert in_viewport(page, leavers.bounding_box()), "the input is on screen"
        box = answer.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 0, "the answer has scrolled up out of view"
        page.screenshot(path=str(ROOT / "artifacts" / "e2e" / "week-what-if-390.png"))
    finally:
        ctx.close()

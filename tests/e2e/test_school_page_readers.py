"""The school page as its governing body reads it, on a phone and on a laptop (issue 14).

The chair of governors of Tarncombe Primary School (900026) signs in at 390×844 (a phone) and at 1366×768
(a laptop). On both: no date with a time of day, no snake_case code, no adviser's login, no "None"; every
word of the glossary is there; every key fact (level, since, judgements, plan statuses, next dates, warning
notices) is on the page and inside the viewport's width, so nothing is read by scrolling sideways. The
expected facts come from the core over the same demo data. Screenshots of both widths are kept in
artifacts/e2e/ (school-chair-390.png, school-chair-1366.png and the first screen of each).

A head who opens another school's address reads which school they can see, with a link to it.
"""

from __future__ import annotations

import re

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect
from support.browser import artifact, heading_1, main, save_json, settle, sign_in
from support.pages import DEMO_ACCOUNTS

from g2g_core.access import viewer_for
from g2g_core.views import school_detail
from g2g_core.vocabulary import (
    GLOSSARY,
    JUDGEMENT_SCALE,
    JUDGEMENTS,
    NOT_REVIEWED,
    STATUS_NAMES,
    WARNING_NAMES,
    date_words,
    level_words,
)

CHAIR, CHAIR_URN = "chair.tarncombe", 900026
HEAD, HEAD_URN = "head.nolbbrook", 900005
WIDTHS = {390: 844, 1366: 768}

DATE_WITH_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:")
SNAKE_CASE = re.compile(r"\b[a-z]+_[a-z_]+\b")
NONE = re.compile(r"\bNone\b")

# Every element of the main area that holds text a reader reads, for the width check.
_OVERFLOWING = """
(width) => {
  const main = document.querySelector('[data-testid="stMain"]');
  const sel = '[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li, '
    + '[data-testid="stHeading"], [data-testid="stMetric"], [data-testid="stCaptionContainer"], '
    + '[data-testid="stText"], [data-testid="stAlert"], [data-testid="stDataFrame"], '
    + '[data-testid="stPlotlyChart"], [data-testid="stExpander"], [data-testid="stDownloadButton"]';
  const out = [];
  for (const e of main.querySelectorAll(sel)) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.left < -1 || r.right > width + 1) {
      out.push({text: (e.innerText || '').slice(0, 80), left: r.left, right: r.right});
    }
  }
  // A metric's value cut with an ellipsis ("3 Req…"): its text is wider than its box.
  for (const e of main.querySelectorAll('[data-testid="stMetricValue"] div, [data-testid="stMetricValue"]')) {
    if (e.scrollWidth > e.clientWidth + 1) {
      out.push({text: (e.innerText || '').slice(0, 80), cut: true});
    }
  }
  const scroller = main.scrollWidth > main.clientWidth + 1;
  return {out, scroller, scrollWidth: main.scrollWidth, clientWidth: main.clientWidth};
}
"""

# The deepest visible elements of the main area whose text holds a fact, with their boxes.
_FACT_BOXES = """
([fact, width]) => {
  const main = document.querySelector('[data-testid="stMain"]');
  const hits = [];
  for (const e of main.querySelectorAll('*')) {
    const text = e.innerText || '';
    if (!text.includes(fact)) continue;
    if ([...e.children].some(c => (c.innerText || '').includes(fact))) continue;
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    hits.push({left: r.left, right: r.right, inside: r.left >= -1 && r.right <= width + 1,
               clipped: e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible'});
  }
  return hits;
}
"""


def reader_text(page: Page) -> str:
    """The main area's visible text without the icons' ligature names ("picture_as_pdf" draws an icon)."""
    text = main(page).inner_text()
    for icon in main(page).get_by_test_id("stIconMaterial").all_inner_texts():
        text = text.replace(icon.strip(), "", 1)
    return text


def adviser_logins() -> set[str]:
    """The logins of the advisers in the accounts file (the `advisers` table names them)."""
    users = yaml.safe_load(DEMO_ACCOUNTS.read_text(encoding="utf-8"))["credentials"]["usernames"]
    return {u for u, entry in users.items() if "adviser" in entry.get("roles", [])}


def key_facts(demo_store) -> list[str]:
    """What the governing body must read on the page, in the words the page uses, from the core."""
    viewer = viewer_for(demo_store, CHAIR, "governor", CHAIR_URN)
    detail = school_detail(demo_store, viewer, CHAIR_URN, demo_store.default_as_of())
    assert detail is not None
    s = detail.school
    facts = [level_words(s.get("level"))]
    if s.get("level_since"):
        facts.append(date_words(s["level_since"]))
    facts += [JUDGEMENT_SCALE.get(s.get(key), "Not recorded") for key in JUDGEMENTS]
    facts += [date_words(when) for _, when in detail.next_dates]
    facts += [what for what, _ in detail.next_dates]
    # The current plan's statuses: an earlier plan's priorities sit in a collapsed "Earlier plans" section.
    current = detail.current_priorities
    facts += {STATUS_NAMES.get(st, NOT_REVIEWED) for st in current["latest_status"].to_list()}
    for w in detail.warnings.iter_rows(named=True):
        facts += [WARNING_NAMES[w["kind"]], date_words(w["issued_on"])]
    assert detail.next_dates and not current.is_empty() and not detail.warnings.is_empty()
    return facts


def open_as(browser: Browser, browser_context_args: dict, user: str, path: str, width: int) -> Page:
    """A fresh context of the given width, signed in as `user` at `path`."""
    ctx = browser.new_context(
        **{**browser_context_args, "viewport": {"width": width, "height": WIDTHS[width]}}
    )
    page = ctx.new_page()
    sign_in(page, user, path=path)
    return page


def whole_page_screenshot(page: Page, name: str, width: int) -> None:
    """The first screen as a reader sees it, then the whole page (the viewport grown to its height)."""
    page.screenshot(path=artifact(f"{name}-first-screen.png"))
    height = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": width, "height": max(height, WIDTHS[width])})
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    page.screenshot(path=artifact(f"{name}.png"), full_page=True)
    page.set_viewport_size({"width": width, "height": WIDTHS[width]})


@pytest.mark.parametrize("width", list(WIDTHS), ids=[f"{w}px" for w in WIDTHS])
def test_the_chair_reads_the_school_page_in_words_within_the_width(
    browser: Browser, browser_context_args: dict, demo_store, width: int
) -> None:
    school = demo_store.sql("SELECT name FROM schools WHERE urn = $u", {"u": CHAIR_URN})["name"][0]
    page = open_as(browser, browser_context_args, CHAIR, "/school", width)
    expect(heading_1(page)).to_have_text(school)

    # The glossary: opened, every term and its explanation on the page.
    main(page).get_by_text("Words used on this page").click()
    expect(main(page).get_by_text(GLOSSARY[-1][1])).to_be_visible()
    text = reader_text(page)
    save_json(f"school-chair-{width}.json", {"text": text})
    missing = [term for term, meaning in GLOSSARY if term not in text or meaning not in text]
    assert not missing, f"glossary terms not on the page: {missing}"

    assert not DATE_WITH_TIME.findall(text), DATE_WITH_TIME.findall(text)
    assert not SNAKE_CASE.findall(text), SNAKE_CASE.findall(text)
    assert not NONE.findall(text), [line for line in text.splitlines() if NONE.search(line)]
    logins = [login for login in adviser_logins() if login in text]
    assert not logins, f"adviser logins on the page: {logins}"

    # Every key fact is on the page, inside the width, not cut.
    for fact in key_facts(demo_store):
        boxes = page.evaluate(_FACT_BOXES, [fact, width])
        assert boxes, f"key fact not on the page: {fact!r}"
        assert all(b["inside"] and not b["clipped"] for b in boxes), (fact, boxes)
    overflow = page.evaluate(_OVERFLOWING, width)
    save_json(f"school-chair-{width}-overflow.json", overflow)
    assert not overflow["out"], overflow["out"]
    assert not overflow["scroller"], overflow

    whole_page_screenshot(page, f"school-chair-{width}", width)
    page.context.close()


def test_the_chair_reads_the_show_as_table_views_in_words(
    browser: Browser, browser_context_args: dict
) -> None:
    page = open_as(browser, browser_context_args, CHAIR, "/school", 1366)
    page.set_viewport_size({"width": 1366, "height": 2600})  # the grids show the rows in view only
    toggles = main(page).get_by_text("Show as table")
    expect(toggles).to_have_count(2)
    for i in range(2):
        toggles.nth(i).click()
        settle(page)
    expect(main(page).get_by_test_id("stDataFrame")).to_have_count(2)
    cells = " ".join(main(page).get_by_test_id("stDataFrame").all_inner_texts())
    cells += " " + " ".join(
        main(page).locator('[data-testid="stDataFrame"] [data-testid^="glide-cell-"]').all_text_contents()
    )
    save_json("school-chair-tables.json", {"cells": cells})
    assert "Autumn 2025/26" in cells  # the grids' cells are read (their headings are checked in tests/app)
    assert not SNAKE_CASE.findall(cells), SNAKE_CASE.findall(cells)
    assert not NONE.findall(cells)
    assert not DATE_WITH_TIME.findall(cells)
    page.screenshot(path=artifact("school-chair-1366-tables.png"), full_page=True)
    page.context.close()


def test_a_head_at_another_schools_address_reads_which_school_they_can_see(
    browser: Browser, browser_context_args: dict, demo_store
) -> None:
    own = demo_store.sql("SELECT name FROM schools WHERE urn = $u", {"u": HEAD_URN})["name"][0]
    page = open_as(browser, browser_context_args, HEAD, f"/school?urn={CHAIR_URN}", 1366)
    expect(main(page).get_by_text(f"You can see {own} only")).to_be_visible()
    link = main(page).get_by_role("link", name=f"Open {own}")
    expect(link).to_be_visible()
    page.screenshot(path=artifact("school-head-other-address.png"))
    link.click()
    settle(page)
    expect(heading_1(page)).to_have_text(own)
    page.context.close()

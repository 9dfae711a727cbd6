"""Issue 16 in a real browser: a termly round decided, published and confirmed by letter.

The director opens Decisions, accepts two proposals, publishes, and downloads the round's letters as a zip;
the head of one of the two schools then sees the new level on their school page and downloads their letter;
an adviser who opens the Decisions address is told it is for the director. The app runs on a data directory
of its own (the other journeys' data stay untouched), and on no other server.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader
from support.browser import (
    VIEWPORT,
    artifact,
    expect_signed_in,
    heading_1,
    main,
    save_json,
    serve,
    settle,
    sidebar,
    sign_in,
)

from g2g_core import decisions as D
from g2g_core.access import Viewer
from g2g_core.demo import write_demo
from g2g_core.store import load_store
from ui.navigation import BY_KEY, refusal

ESCALATED = (900017, "Briscton Primary School")  # Core -> Enhanced (Ofsted graded 3)
STEPPED_DOWN = (900005, "Nolbbrook School")  # Intensive B -> Enhanced (exit, 2.9.9); head.nolbbrook's school
EFFECTIVE = "2026-09-01"
WAIT = 90_000  # ms: generous waits for a loaded two-core machine (never a timed assertion)


@pytest.fixture(scope="module")
def own_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("e2e-decisions")
    write_demo(path)
    return path


@pytest.fixture(scope="module")
def own_server(own_data: Path) -> Iterator[str]:
    with serve(own_data, "streamlit-decisions.log") as url:
        yield url


@pytest.fixture
def page_for(browser: Browser, own_server: str) -> Iterator[Callable[[str], Page]]:
    """`page_for(user)`: a fresh browser context on this journey's server, signed in as that user."""
    contexts = []

    def _open(user: str) -> Page:
        ctx = browser.new_context(
            base_url=own_server,
            viewport=VIEWPORT,
            locale="en-GB",
            timezone_id="Europe/London",
            accept_downloads=True,
        )
        contexts.append(ctx)
        page = ctx.new_page()
        sign_in(page, user)
        expect_signed_in(page)
        return page

    yield _open
    for ctx in contexts:
        ctx.close()


def blocking_violations(page: Page, name: str) -> list[str]:
    """axe-core on the whole settled page (as tests/e2e/test_accessibility.py does): serious or critical ones."""
    page.screenshot(path=artifact(f"{name}.png"), timeout=WAIT)
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], [data-testid=stSidebarContent]')]"
        ".map(e => e.scrollHeight), 0)"
    )
    if height > VIEWPORT["height"]:
        page.set_viewport_size({"width": VIEWPORT["width"], "height": height})
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    results = Axe().run(page)
    save_json(f"axe-{name}.json", results.response)
    page.set_viewport_size(VIEWPORT)
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def choose(page: Page, label: str, typed: str) -> None:
    """Pick one option of a multiselect: type part of its text, click the option, close the list."""
    box = main(page).get_by_label(label)
    box.click(timeout=WAIT)
    box.fill(typed)
    option = page.get_by_role("option", name=re.compile(re.escape(typed)))
    expect(option.first).to_be_visible(timeout=WAIT)
    option.first.click(timeout=WAIT)
    page.keyboard.press("Escape")
    settle(page, timeout_ms=WAIT)


def test_director_decides_a_round_and_the_head_downloads_their_letter(
    page_for: Callable[[str], Page], own_data: Path
) -> None:
    page = page_for("director")
    sidebar(page).get_by_role("link", name="Decisions").click(timeout=WAIT)
    settle(page, timeout_ms=WAIT)
    expect(heading_1(page)).to_have_text("Decisions", timeout=WAIT)
    expect(main(page).get_by_role("heading", name="Proposals", exact=True)).to_be_visible(timeout=WAIT)

    for _, name in (ESCALATED, STEPPED_DOWN):
        choose(page, "Proposals to accept", name)
    main(page).get_by_role("button", name="Accept the chosen proposals").click(timeout=WAIT)
    settle(page, timeout_ms=WAIT)
    expect(main(page).get_by_text("2 proposal(s) accepted and the draft saved.")).to_be_visible(timeout=WAIT)

    main(page).get_by_role("button", name="Publish 2 decision(s) as a new data version").click(timeout=WAIT)
    settle(page, timeout_ms=WAIT)
    expect(
        main(page).get_by_text("Published: 2 decision(s) are in force from 1 September 2026")
    ).to_be_visible(timeout=WAIT)
    published = D.published_rows(
        load_store(own_data),
        Viewer.system(),
        D.Round.model_validate(
            {"term": "Autumn 2026/27", "effective_from": EFFECTIVE, "as_of": "2026-05-18"}
        ).effective_from,
    )
    assert {ESCALATED[0], STEPPED_DOWN[0]} <= set(published["urn"].to_list())

    assert not (found := blocking_violations(page, "director-decisions")), "\n".join(found)

    zip_button = main(page).get_by_role("button", name="Download all")
    expect(zip_button).to_be_visible(timeout=WAIT)
    with page.expect_download(timeout=120_000) as download:
        zip_button.click(timeout=WAIT)
    assert re.fullmatch(
        rf"letters-{EFFECTIVE}-[0-9a-f]{{12}}\.zip", download.value.suggested_filename
    )  # random part: issue 19.4
    letters = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    names = set(letters.namelist())
    for urn, school in (ESCALATED, STEPPED_DOWN):
        assert {f"letter-{urn}-{EFFECTIVE}.pdf", f"letter-{urn}-{EFFECTIVE}.docx"} <= names
        text = " ".join(
            PdfReader(io.BytesIO(letters.read(f"letter-{urn}-{EFFECTIVE}.pdf")))
            .pages[0]
            .extract_text()
            .split()
        )
        assert school in text and "Enhanced support from 1 September 2026" in text

    # The head of Nolbbrook School lands on their school and sees the decision; their letter downloads.
    head = page_for("head.nolbbrook")
    expect(heading_1(head)).to_have_text(STEPPED_DOWN[1], timeout=WAIT)
    expect(main(head).get_by_text("Enhanced support, decided on", exact=False)).to_be_visible(timeout=WAIT)
    expect(main(head).get_by_text("takes effect on 1 September 2026", exact=False)).to_be_visible(
        timeout=WAIT
    )
    expect(sidebar(head).get_by_role("link", name="Decisions")).to_have_count(0)
    assert not (found := blocking_violations(head, "head-school-with-decision")), "\n".join(found)
    with head.expect_download(timeout=120_000) as download:
        main(head).get_by_role("button", name="Letter (PDF)").click(timeout=WAIT)
    assert re.fullmatch(
        rf"letter-{STEPPED_DOWN[0]}-{EFFECTIVE}-[0-9a-f]{{12}}\.pdf", download.value.suggested_filename
    )
    text = " ".join(PdfReader(download.value.path()).pages[0].extract_text().split())
    assert STEPPED_DOWN[1] in text and "move from Intensive B support down to Enhanced support" in text


def test_an_adviser_opening_the_decisions_address_reads_that_it_is_for_the_director(
    page_for: Callable[[str], Page],
) -> None:
    page = page_for("lama.ashworth")
    page.goto("/decisions")
    settle(page, timeout_ms=WAIT)
    expect(main(page).get_by_text(refusal(BY_KEY["decisions"]))).to_be_visible(timeout=WAIT)
    expect(main(page).get_by_role("heading", name="Proposals", exact=True)).to_have_count(0)
    expect(sidebar(page).get_by_role("link", name="Decisions")).to_have_count(0)

"""Issue 19 item 1: data rendered as Markdown or HTML, in a real browser, on a hostile copy of the demo.

Every free-text column of every table (names, advisers, notes, reasons, grounds…; codes stay valid so the
data load) holds a payload mixing a Markdown link and image, maths, a colour directive, an HTML link and
image, and a right-to-left override; an upload adds a note and a file name made of the same. Every page a
director sees, and the school page a head sees, is rendered, and the DOM (HTML and Plotly's SVG) may hold no
link or image that came from data, no KaTeX, no coloured text from data, and no bidirectional override.
A handful of page loads, so it runs in a few minutes.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from playwright.sync_api import Browser, Page
from support.browser import VIEWPORT, main, serve, settle, sign_in
from support.demo import copy_of

from g2g_core.access import Viewer
from g2g_core.datadir import Upload, publish
from g2g_core.schema import TABLES

RLO = "\u202e"
PAYLOAD = (  # 142 characters: within the contract's longest name (200)
    "[LINKT](https://evil.example/l) ![IMGT](https://evil.example/i) $K^2$ "
    ':red[REDT] <a href="https://evil.example">HTMLT</a> <img src=x> ' + RLO + "gnp.exe"
)
NOTE = "note " + PAYLOAD
FILE_NAME = "[FILELINK](evil.example) :red[FILERED] $F^2$.parquet"  # no slash: a path is cut at it
HEAD_URN = 900005  # head.nolbbrook's school

# What must not be in the DOM: elements made from the payload's syntax, not its text.
FINDINGS = """
() => {
  const out = [];
  for (const a of document.querySelectorAll('a')) {
    const href = (a.getAttribute('href') || '') + (a.getAttribute('xlink:href') || '');
    if (href.includes('evil.example')) out.push('link to ' + href);
  }
  for (const img of document.querySelectorAll('img')) {
    const src = img.getAttribute('src') || '';
    if (src.includes('evil.example') || src === 'x') out.push('image ' + src);
  }
  if (document.querySelector('.katex, .katex-display, math')) out.push('KaTeX maths');
  const tokens = ['LINKT', 'IMGT', 'REDT', 'HTMLT', 'FILELINK', 'FILERED'];
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim();
    if (tokens.includes(own)) out.push('an element of its own for ' + own + ' (<' + el.tagName.toLowerCase() + '>)');
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (/[\\u202a-\\u202e\\u2066-\\u2069]/.test(n.textContent)) out.push('bidi control in "' + n.textContent.slice(0, 60) + '"');
  }
  return [...new Set(out)];
}
"""


def hostile_copy(source: Path, into: Path) -> Path:
    """A copy of the demo with PAYLOAD in every free-text column of every table, then an upload with a note."""
    data = copy_of(source, into)
    for table in TABLES:
        path = data / f"{table.name}.parquet"
        text = [c.name for c in table.columns if c.type == "str"]
        if not path.exists() or not text:
            continue
        frame = pl.read_parquet(path)
        if table.name == "advisers":
            # One adviser whose login, name and job title are all the payload: the login every school now has,
            # so the pages show the hostile name. (An e-mail must be an address; a login must be unique.)
            frame = frame.head(1).with_columns(pl.lit(PAYLOAD).alias(n) for n in text if n != "email")
        else:
            frame = frame.with_columns(pl.lit(PAYLOAD).alias(name) for name in text if name in frame.columns)
        frame.write_parquet(path)
    warnings = pl.read_parquet(data / "warnings.parquet")
    buf = io.BytesIO()
    warnings.write_parquet(buf)
    publish(
        data,
        [Upload("warnings", FILE_NAME, buf.getvalue())],
        Viewer("director", "director", None),
        note=NOTE,
    )
    return data


@pytest.fixture(scope="module")
def hostile_url(demo_source, tmp_path_factory) -> Iterator[str]:
    data = hostile_copy(demo_source, tmp_path_factory.mktemp("as-text"))
    with serve(data, "security-data-as-text.log") as url:
        yield url


# Every chart on the page has drawn its SVG (Plotly draws a chart once it is scrolled into view).
CHARTS_DRAWN = """
() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(c => c.querySelector('svg.main-svg'))
"""


def findings(page: Page, where: str) -> list[str]:
    settle(page)
    for chart in page.locator('[data-testid="stPlotlyChart"]').all():
        chart.scroll_into_view_if_needed()
    page.wait_for_function(CHARTS_DRAWN, timeout=60_000)
    settle(page)
    return [f"{where}: {f}" for f in page.evaluate(FINDINGS)]


def test_hostile_text_in_every_column_renders_as_text_on_every_page(hostile_url, browser: Browser):
    """Attack: Markdown, HTML, maths, colour and a bidi override in every text column and an upload note.

    Expected: on every director page (the Data page's history tab included) and on the head's school page,
    none of it becomes a link, an image, maths, colour or reordered text; the payload is shown as typed.
    """
    found: list[str] = []
    shown: dict[str, str] = {}  # each page's visible text, to check the payload was there to find
    ctx = browser.new_context(viewport=VIEWPORT, locale="en-GB")
    try:
        page = ctx.new_page()
        sign_in(page, "director", path=hostile_url)
        for address in ("overview", "attention", f"school?urn={HEAD_URN}", "what-if", "data"):
            page.goto(f"{hostile_url}/{address}")
            found += findings(page, address)
            shown[address] = main(page).inner_text()
            if address == "what-if":
                charts = page.locator('[data-testid="stPlotlyChart"]').count()
                shown[address] += f"\n{charts} charts"
            if address == "data":
                page.get_by_role("tab", name="History").click()
                found += findings(page, "data, history tab")
                shown["data, history tab"] = main(page).inner_text()
    finally:
        ctx.close()
    ctx = browser.new_context(viewport=VIEWPORT, locale="en-GB")
    try:
        page = ctx.new_page()
        sign_in(page, "head.nolbbrook", path=hostile_url)
        found += findings(page, "head's school page")
        shown["head"] = main(page).inner_text()
    finally:
        ctx.close()
    assert not found, "data rendered as markup:\n" + "\n".join(found)
    assert "LINKT" in shown[f"school?urn={HEAD_URN}"] and "LINKT" in shown["head"], (
        "no payload on the school page"
    )
    assert "HTMLT" in shown["data, history tab"] and "FILELINK" in shown["data, history tab"], (
        "no note or name"
    )
    assert " 0 charts" not in shown["what-if"], "What-if drew no chart"

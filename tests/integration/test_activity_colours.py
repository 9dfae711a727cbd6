"""One activity, one colour: the web chart, the PowerPoint and the PDF all draw from `vocabulary.ACTIVITY_COLOURS`.

Each format is read back as it is drawn: the plotly figure's bar markers (the School page's own figure
function), the PowerPoint chart's series fill in its XML (python-pptx), and the pixels of the PDF's hours chart
(a matplotlib PNG embedded in the PDF, read with pypdf and Pillow). The schools are chosen so that their sets
of activities differ: a colour that followed an activity's position among a school's activities (plotly's
default colour cycle did) would differ between them.
"""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date

import pytest
from pptx import Presentation
from pypdf import PdfReader

from g2g_core.access import Viewer
from g2g_core.demo import write_demo
from g2g_core.packs import build_pack
from g2g_core.store import load_store
from g2g_core.views import school_detail
from g2g_core.vocabulary import ACTIVITY_COLOURS, ACTIVITY_NAMES, LEVEL_COLOURS
from ui.charts import hours_figure

AS_OF = date(2026, 5, 18)
# 900005 has the four entitled activities and more; 900029 has brokered support; 900020 no governors' meeting.
SCHOOLS = (900005, 900029, 900020)
HOURS_SLIDE = "Adviser support, term by term"
CODE_OF = {words: code for code, words in ACTIVITY_NAMES.items()}


def rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    write_demo(out)
    return load_store(out)


def web_colours(store, urn: int) -> dict[str, str]:
    """Activity words -> colour of its bars on the School page's hours chart."""
    detail = school_detail(store, Viewer.system(), urn, AS_OF)
    fig = hours_figure(detail.hours, detail.entitlement)
    return {t.name: t.marker.color.upper() for t in fig.data if t.type == "bar"}


def pptx_colours(store, urn: int) -> dict[str, str]:
    """Activity words -> fill colour of its series in the deck's hours chart (the chart XML's solidFill)."""
    deck = Presentation(io.BytesIO(build_pack(store, Viewer.system(), urn, AS_OF, "pptx")))
    for slide in deck.slides:
        if slide.shapes.title is not None and slide.shapes.title.text == HOURS_SLIDE:
            chart = next(s.chart for s in slide.shapes if s.has_chart)
            bars = next(p for p in chart.plots if p.series and p.series[0].name in CODE_OF)
            return {s.name: "#" + str(s.format.fill.fore_color.rgb).upper() for s in bars.series}
    raise AssertionError(f"no slide titled {HOURS_SLIDE!r}")


def pdf_pixels(store, urn: int) -> set[tuple[int, int, int]]:
    """Every colour in the PDF's chart images (the hours chart and the level timeline)."""
    pdf = PdfReader(io.BytesIO(build_pack(store, Viewer.system(), urn, AS_OF, "pdf")))
    colours: set[tuple[int, int, int]] = set()
    for page in pdf.pages:
        for image in page.images:
            pixels = image.image.convert("RGB")
            colours |= {c for _, c in pixels.getcolors(maxcolors=1 << 20)}
    return colours


def test_every_activity_colour_is_distinct_and_not_a_level_colour():
    assert set(ACTIVITY_COLOURS) == set(ACTIVITY_NAMES)
    assert len(set(ACTIVITY_COLOURS.values())) == len(ACTIVITY_COLOURS)
    assert not set(ACTIVITY_COLOURS.values()) & set(LEVEL_COLOURS.values())


def test_one_activity_has_one_colour_on_the_web_in_the_powerpoint_and_in_the_pdf(store):
    seen: dict[str, set[str]] = defaultdict(set)
    for urn in SCHOOLS:
        web, deck, pixels = web_colours(store, urn), pptx_colours(store, urn), pdf_pixels(store, urn)
        assert deck, f"{urn}: the deck's hours chart has no activity"
        assert set(deck) <= set(web), f"{urn}: the deck draws an activity the web chart does not"
        for name, colour in web.items():
            expected = ACTIVITY_COLOURS[CODE_OF[name]].upper()
            assert colour == expected, f"{urn}: {name} is {colour} on the web, not {expected}"
            seen[name].add(colour)
        for name, colour in deck.items():
            expected = ACTIVITY_COLOURS[CODE_OF[name]].upper()
            assert colour == expected, f"{urn}: {name} is {colour} in the PowerPoint, not {expected}"
            assert rgb(colour) in pixels, f"{urn}: {name}'s colour {colour} is not drawn in the PDF's chart"
            seen[name].add(colour)
        # An activity the PDF does not draw for this school is not in its pixels either: colours follow codes.
        for code, colour in ACTIVITY_COLOURS.items():
            if ACTIVITY_NAMES[code] not in deck:
                assert rgb(colour) not in pixels, f"{urn}: {code}'s colour is drawn but the activity is not"
    assert seen["LaMA support"] == {ACTIVITY_COLOURS["lama_support"].upper()}
    assert all(len(colours) == 1 for colours in seen.values()), dict(seen)

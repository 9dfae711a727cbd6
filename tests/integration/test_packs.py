"""The governors' pack (SPEC §5): PowerPoint with native charts and an A4 PDF, built from the drilldown's data.

Each test reads the file back (python-pptx, pypdf) and compares it with `school_detail` for the same school,
so the pack can hold no number of its own. The demo borough gives a full school; hand-made boroughs give the
empty and the long cases.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Inches, Pt
from pypdf import PdfReader

from g2g_core.access import Viewer, viewer_for
from g2g_core.cli import main
from g2g_core.packs import build_pack, pack_content
from g2g_core.packs.content import ENTITLEMENT_NAME, LEVEL_COLOURS, STATUS_NAMES
from g2g_core.policy import LEVEL_NAMES
from g2g_core.rules import RULE_BY_ID
from g2g_core.store import load_store
from g2g_core.views import ACTIVITY_NAMES, school_detail

AS_OF = date(2026, 5, 18)
URN = 900005  # Intensive B: plan, a flag, both Ofsted frameworks, a formal warning notice, notes on hours
RISKY = 900029  # a high risk assessment (ESC_RISK) and notes on risks and hours: council-only
DECK_TITLES = [
    "Nolbbrook School",
    "Level of support now: Intensive B",
    "Level of support, term by term",
    "The four key judgements",
    "Adviser support, term by term",
    "Adviser support: the numbers",
    "Plan priorities",
    "What needs attention and what happens next",
    "Ofsted: 2019 framework inspections",
    "Ofsted: report cards (renewed framework)",
    "Warning notices",
    "Who does what at Intensive B level (1 of 2)",
    "Who does what at Intensive B level (2 of 2)",
    "Words used in this pack",
]
# 1 cover, level, judgements; 2 timeline and hours chart; 3 hours table, plan, attention; 4 next dates, Ofsted;
# 5 warning notice, who does what; 6 words used (the glossary is never split)
PDF_PAGES = 6


@pytest.fixture(scope="module")
def demo(demo_source):
    """The session's demo borough (tests/conftest.py), read only."""
    return demo_source


@pytest.fixture(scope="module")
def store(demo):
    return load_store(demo)


@pytest.fixture(scope="module")
def detail(store):
    """The drilldown as the school's own governors see it."""
    return school_detail(store, Viewer("governor", "governor", frozenset({URN})), URN, AS_OF)


@pytest.fixture(scope="module")
def deck(store):
    return Presentation(io.BytesIO(build_pack(store, Viewer.system(), URN, AS_OF, "pptx")))


@pytest.fixture(scope="module")
def pdf(store):
    return PdfReader(io.BytesIO(build_pack(store, Viewer.system(), URN, AS_OF, "pdf")))


def words(text: str) -> str:
    """Text with every run of white space made one space (a PDF breaks lines anywhere)."""
    return " ".join(text.split())


def pdf_text(reader: PdfReader) -> str:
    return words(" ".join(page.extract_text() for page in reader.pages))


def slide_title(slide) -> str:
    return slide.shapes.title.text_frame.text


def charts(deck):
    return [(slide, shape) for slide in deck.slides for shape in slide.shapes if shape.has_chart]


def chart_on(deck, title: str):
    found = [shape.chart for slide, shape in charts(deck) if slide_title(slide) == title]
    assert len(found) == 1, title
    return found[0]


def tables(deck, title_start: str) -> list[list[list[str]]]:
    return [
        [[cell.text for cell in row.cells] for row in shape.table.rows]
        for slide in deck.slides
        if slide_title(slide).startswith(title_start)
        for shape in slide.shapes
        if shape.has_table
    ]


def deck_text(deck) -> str:
    """Every word on every slide: text boxes, tables, chart series and categories, alternative text."""
    parts = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
            if shape.has_chart:
                parts.append(shape._element.nvGraphicFramePr.cNvPr.get("descr") or "")
                for plot in shape.chart.plots:
                    parts += [str(c) for c in plot.categories] + [s.name for s in plot.series]
    return words(" ".join(parts))


# -- PowerPoint ---------------------------------------------------------------------------------------
def test_the_deck_is_16_by_9_at_13_333_by_7_5_inches(deck):
    assert deck.slide_width == Inches(13.333)
    assert deck.slide_height == Inches(7.5)


def test_every_slide_has_a_real_title_in_the_designed_order(deck):
    assert [slide_title(s) for s in deck.slides] == DECK_TITLES


def test_titles_are_at_least_28_pt_and_all_other_text_at_least_14_pt(deck):
    for slide in deck.slides:
        for shape in slide.shapes:
            frames = [shape.text_frame] if shape.has_text_frame else []
            if shape.has_table:
                frames += [cell.text_frame for row in shape.table.rows for cell in row.cells]
            minimum = Pt(28) if shape == slide.shapes.title else Pt(14)
            for frame in frames:
                for run in (r for p in frame.paragraphs for r in p.runs):
                    assert run.font.size is not None and run.font.size >= minimum, (
                        slide_title(slide),
                        run.text,
                    )
    for _, shape in charts(deck):
        assert shape.chart.font.size >= Pt(14)


def test_every_shape_lies_within_the_slide(deck):
    for slide in deck.slides:
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, (slide_title(slide), shape.name)
            assert shape.left + shape.width <= deck.slide_width, (slide_title(slide), shape.name)
            assert shape.top + shape.height <= deck.slide_height, (slide_title(slide), shape.name)


def test_every_chart_has_alternative_text_that_gives_its_numbers_in_words(deck):
    found = charts(deck)
    assert len(found) == 2
    for slide, shape in found:
        alt = shape._element.nvGraphicFramePr.cNvPr.get("descr")
        assert alt and len(alt) > 80, slide_title(slide)


def test_the_hours_chart_stacks_each_activity_and_draws_the_entitlement_as_a_line(deck, detail):
    chart = chart_on(deck, "Adviser support, term by term")
    columns, line = chart.plots
    assert chart.chart_type == XL_CHART_TYPE.COLUMN_STACKED
    assert line.series[0].name == ENTITLEMENT_NAME
    assert line.series[0].marker is not None  # a line with markers, on the same axes

    terms = detail.entitlement.sort("term_idx")["term"].to_list()
    assert list(columns.categories) == terms
    used = {(r["term"], r["activity"]): r["hours"] for r in detail.hours.iter_rows(named=True)}
    activities = sorted(set(detail.hours["activity"]), key=list(ACTIVITY_NAMES).index)
    assert [s.name for s in columns.series] == [ACTIVITY_NAMES[a] for a in activities]
    for series, activity in zip(columns.series, activities, strict=True):
        assert list(series.values) == pytest.approx([used.get((t, activity)) for t in terms], nan_ok=True)
    assert list(line.series[0].values) == pytest.approx(
        detail.entitlement.sort("term_idx")["entitled"].to_list()
    )


def test_the_hours_table_gives_every_number_of_the_chart(deck, detail):
    [table] = tables(deck, "Adviser support: the numbers")
    header, *rows = table
    by_row = {r[0]: r[1:] for r in rows}
    terms = detail.entitlement.sort("term_idx")["term"].to_list()
    assert header[1:] == terms
    for r in detail.hours.iter_rows(named=True):
        assert by_row[ACTIVITY_NAMES[r["activity"]]][terms.index(r["term"])] == f"{r['hours']:.1f}"
    assert by_row["Level provides"] == [f"{x:.1f}" for x in detail.entitlement.sort("term_idx")["entitled"]]


def test_the_level_timeline_has_one_bar_a_term_in_the_level_and_its_colour(deck, detail):
    chart = chart_on(deck, "Level of support, term by term")
    assert chart.chart_type == XL_CHART_TYPE.BAR_STACKED
    plot = chart.plots[0]
    assert list(plot.categories) == detail.timeline["term"].to_list()
    level_of = {LEVEL_NAMES[k]: k for k in LEVEL_NAMES}
    shown = {}
    for series in plot.series:
        assert str(series.format.fill.fore_color.rgb) == LEVEL_COLOURS[level_of[series.name]].lstrip("#")
        for term, value in zip(plot.categories, series.values, strict=True):
            if value is not None:
                shown[term] = level_of[series.name]
    assert shown == dict(zip(detail.timeline["term"], detail.timeline["level"], strict=True))


def test_the_pack_uses_the_dashboards_level_colours():
    from ui.charts import level_marker

    DASHBOARD = {lv: level_marker(lv)["color"] for lv in LEVEL_COLOURS}  # noqa: N806 (the name it had)
    assert LEVEL_COLOURS == DASHBOARD


def test_each_plan_priority_is_in_a_table_row_with_its_latest_status(deck, detail):
    rows = [row for table in tables(deck, "Plan priorities") for row in table[1:]]
    assert len(rows) == detail.priorities.height
    for p in detail.priorities.iter_rows(named=True):
        [row] = [r for r in rows if r[1] == p["priority"] and r[0].lower().replace(" ", "_") == p["plan"]]
        assert row[2] == STATUS_NAMES.get(p["latest_status"] or "", "Not yet reviewed")


def test_the_deck_says_what_is_overdue_what_happens_next_and_when(deck, detail):
    text = deck_text(deck)
    assert detail.flags.height >= 1
    for f in detail.flags.iter_rows(named=True):
        assert words(f["message"]) in text
        assert words(f["action"]) in text
    assert "31 July 2026" in text  # the target exit date, among the next dates


def test_ofsted_frameworks_are_shown_separately_with_their_as_at_dates(deck, detail):
    [eif] = tables(deck, "Ofsted: 2019 framework")
    [renewed] = tables(deck, "Ofsted: report cards")
    assert eif[0][0] == renewed[0][0] == "As at (inspection date)"
    assert len(eif) - 1 + len(renewed) - 1 == detail.inspections.height
    assert ["10 October 2019", "Graded inspection", "2 Good", "None", "Met"] in eif


# -- PDF ----------------------------------------------------------------------------------------------
def test_the_pdf_is_a4_and_has_the_designed_number_of_pages(pdf):
    assert len(pdf.pages) == PDF_PAGES
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_the_pdf_text_is_selectable_and_has_the_school_its_level_priorities_and_flags(pdf, detail):
    text = pdf_text(pdf)
    assert "Nolbbrook School" in text
    assert "Intensive B, since 20 April 2025" in text
    for priority in detail.priorities["priority"]:
        assert words(priority) in text
    for f in detail.flags.iter_rows(named=True):
        assert words(f["message"]) in text
    assert "Every judgement is shown with the date of its inspection" in text
    assert f"Page {PDF_PAGES} of {PDF_PAGES}" in text


def test_the_pdf_embeds_the_two_charts_as_images(pdf):
    assert sum(len(page.images) for page in pdf.pages) == 2


# -- who may have which pack --------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["head", "governor", "director"])
def test_a_pack_never_holds_council_only_information_whoever_builds_it(store, role):
    staff = school_detail(store, Viewer.system(), RISKY, AS_OF)
    notes = [n for frame in staff.council.values() for n in frame["note"].drop_nulls()]
    assert notes and "ESC_RISK" in staff.flags["rule"].to_list()  # the demo school has all three
    viewer = Viewer.system() if role == "director" else viewer_for(store, f"{role}.x", role, RISKY)
    pdf = pdf_text(PdfReader(io.BytesIO(build_pack(store, viewer, RISKY, AS_OF, "pdf"))))
    pptx = deck_text(Presentation(io.BytesIO(build_pack(store, viewer, RISKY, AS_OF, "pptx"))))
    risk_flag = staff.flags.filter(staff.flags["rule"] == "ESC_RISK").row(0, named=True)
    for text in (pdf, pptx):
        for note in notes:
            assert words(note) not in text
        assert words(risk_flag["message"]) not in text
        assert RULE_BY_ID["ESC_RISK"].title not in text


def test_a_head_asking_for_another_schools_pack_is_told_it_is_not_available(store):
    head = viewer_for(store, "head.x", "head", URN)
    with pytest.raises(LookupError, match="school not available"):
        build_pack(store, head, RISKY, AS_OF, "pdf")
    assert build_pack(store, head, URN, AS_OF, "pdf").startswith(b"%PDF")


def test_an_adviser_has_packs_only_for_their_caseload(store):
    adviser = viewer_for(store, "lama.ashworth", "adviser", None)
    assert URN in adviser.urns
    other = next(u for u in store.sql("SELECT urn FROM schools")["urn"] if u not in adviser.urns)
    assert pack_content(store, adviser, URN, AS_OF).urn == URN
    with pytest.raises(LookupError, match="school not available"):
        pack_content(store, adviser, other, AS_OF)


# -- the empty and the long cases ---------------------------------------------------------------------
def test_a_school_with_no_plan_no_ofsted_and_no_hours_still_builds_and_says_so(borough):
    directory = (
        borough.school(100001, name="Quiet Lane Primary").categorise(100001, "2025-09-01", "enhanced").write()
    )
    store = load_store(directory)
    pdf = pdf_text(PdfReader(io.BytesIO(build_pack(store, Viewer.system(), 100001, AS_OF, "pdf"))))
    deck = Presentation(io.BytesIO(build_pack(store, Viewer.system(), 100001, AS_OF, "pptx")))
    text = deck_text(deck)
    for said in (
        "No plan priorities have been recorded.",
        "No Ofsted inspection has been recorded for this school.",
        "No adviser support hours have been recorded for this school",
    ):
        assert said in pdf
        assert said in text
    assert [slide_title(s) for s, _ in charts(deck)] == ["Level of support, term by term"]


def test_a_school_never_categorised_still_builds(borough):
    store = load_store(borough.school(100002).write())
    pack = pack_content(store, Viewer.system(), 100002, AS_OF)
    assert pack.level_name == "Not categorised"
    assert build_pack(store, Viewer.system(), 100002, AS_OF, "pptx")[:2] == b"PK"
    assert "The school has had no level of support" in pdf_text(
        PdfReader(io.BytesIO(build_pack(store, Viewer.system(), 100002, AS_OF, "pdf")))
    )


def test_a_long_plan_and_many_flags_are_split_across_slides_that_keep_within_the_page(borough):
    b = borough.school(100003).categorise(100003, "2024-09-01", "intensive_a", letter_sent_on=None)
    priorities = [
        f"Priority {i:02d}: improve the teaching of reading in every key stage" for i in range(1, 19)
    ]
    for p in priorities:
        b.review(100003, "single_action_plan", p, "2026-03-20", "2026-03-20", "off_track")
        b.review(100003, "single_action_plan", p, "2025-12-15", "2025-12-15", "off_track")
    b.review(100003, "single_action_plan", priorities[0], "2026-04-01")  # overdue, never reviewed
    b.inspection(100003, "2025-11-01", overall_grade=3)
    store = load_store(b.write())
    deck = Presentation(io.BytesIO(build_pack(store, Viewer.system(), 100003, AS_OF, "pptx")))
    titles = [slide_title(s) for s in deck.slides]
    plan_slides = [t for t in titles if t.startswith("Plan priorities")]
    assert len(plan_slides) >= 2 and plan_slides[0] == f"Plan priorities (1 of {len(plan_slides)})"
    rows = [row[1] for table in tables(deck, "Plan priorities") for row in table[1:]]
    assert rows == priorities
    flags = pack_content(store, Viewer.system(), 100003, AS_OF).flags
    assert len(flags) >= 4
    text = deck_text(deck)
    assert all(words(f.message) in text for f in flags)
    test_every_shape_lies_within_the_slide(deck)
    pdf = pdf_text(PdfReader(io.BytesIO(build_pack(store, Viewer.system(), 100003, AS_OF, "pdf"))))
    assert all(p in pdf for p in priorities)


# -- the command line ---------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["pdf", "pptx"])
def test_g2g_pack_writes_the_file(demo, tmp_path, fmt):
    out = tmp_path / f"pack.{fmt}"
    assert (
        main(
            [
                "pack",
                str(URN),
                "--data",
                str(demo),
                "--as-of",
                "2026-05-18",
                "--format",
                fmt,
                "--out",
                str(out),
            ]
        )
        == 0
    )
    data = out.read_bytes()
    if fmt == "pdf":
        assert data.startswith(b"%PDF")
    else:
        assert "ppt/presentation.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()


def test_g2g_pack_of_an_unknown_school_exits_1_with_a_message(demo, tmp_path, capsys):
    out = tmp_path / "pack.pdf"
    assert main(["pack", "123456", "--data", str(demo), "--format", "pdf", "--out", str(out)]) == 1
    assert "school not available" in capsys.readouterr().err
    assert not out.exists()

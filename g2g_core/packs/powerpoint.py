"""The governors' pack as a 16:9 PowerPoint deck with native, editable charts (python-pptx).

Every slide uses the "Title Only" layout with its title placeholder moved to the 16:9 width, so each slide
has a real title for screen readers and the outline view. Body text is at least 14 pt, titles 30 pt, and
every chart carries alternative text and its numbers in words or a table on the slide or the next one.
Long tables and lists are split across slides by an estimate of their height.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Inches, Pt

from g2g_core.packs.content import Chart, FlagItem, Pack, Table
from g2g_core.packs.measure import wrapped_lines
from g2g_core.vocabulary import LEVEL_COLOURS, SEVERITY_NAMES
from g2g_core.vocabulary import SEVERITY_COLOURS as SEVERITY_WORDS_COLOURS

FONT = "Arial"  # on every machine (Liberation Sans has its metrics), so the layout estimates hold
SLIDE_W, SLIDE_H = 13.333, 7.5
LEFT, RIGHT = 0.5, 12.833
WIDTH = RIGHT - LEFT
BODY_TOP, BODY_BOTTOM = 1.35, 6.8
TITLE_PT, BODY_PT, SMALL_PT = 30, 16, 14
LINE = 1.17  # line height as a multiple of the font size (Arial's single spacing is 1.15)
ARIAL_TO_DEJAVU = 0.93  # Arial is about 0.88 as wide as DejaVu Sans: measure with DejaVu, keep a margin
INK, GREY, RULE = "1F2328", "595959", "D0D7DE"
HEADER_FILL, BAND_FILL = "243447", "F2F4F7"
NEUTRAL = "#595959"
# Flags are coloured by their severity, which the pack carries in words.
SEVERITY_COLOURS = {SEVERITY_NAMES[s]: c.lstrip("#") for s, c in SEVERITY_WORDS_COLOURS.items()}


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#"))


def _lines(text: str, size_pt: float, width_in: float, bold: bool = False) -> int:
    return wrapped_lines(text, size_pt, width_in * 72 / ARIAL_TO_DEJAVU, bold)


def _text_height(text: str, size_pt: float, width_in: float, bold: bool = False) -> float:
    return _lines(text, size_pt, width_in, bold) * size_pt * LINE / 72


@dataclass(frozen=True)
class Para:
    """One paragraph of a text box."""

    text: str
    size: float = BODY_PT
    bold: bool = False
    colour: str = INK
    bullet: bool = False
    after: float = 6  # points of space after
    lead: str = ""  # words in bold before the text ("What happens next: ")

    def height(self, width_in: float) -> float:
        """Estimated height in inches."""
        indent = 0.3 if self.bullet else 0.0
        return _text_height(
            self.lead + self.text, self.size, width_in - indent, self.bold or bool(self.lead)
        ) + (self.after / 72)


def _paras_height(paras: Sequence[Para], width_in: float) -> float:
    return sum(p.height(width_in) for p in paras)


def _font(run, size: float, bold: bool = False, colour: str = INK) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = _rgb(colour)


def _bullet(paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.set("marL", str(Inches(0.3)))
    ppr.set("indent", str(-Inches(0.3)))
    etree.SubElement(ppr, qn("a:buFont")).set("typeface", FONT)
    etree.SubElement(ppr, qn("a:buChar")).set("char", "•")


class Deck:
    """A deck being built: slides with titles, text, tables and charts, footers added at the end."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self.prs = Presentation()
        self.prs.slide_width = Inches(SLIDE_W)
        self.prs.slide_height = Inches(SLIDE_H)
        self.layout = self.prs.slide_layouts[5]  # Title Only
        self.accent = LEVEL_COLOURS.get(pack.level or "", NEUTRAL)

    # -- building blocks ---------------------------------------------------------------------------
    def slide(self, title: str, title_top: float = 0.3, title_size: float = TITLE_PT, title_h: float = 0.95):
        """A new slide with its title placeholder moved to the 16:9 width and a level-coloured rule."""
        slide = self.prs.slides.add_slide(self.layout)
        bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, self.prs.slide_width, Inches(0.14))
        bar.fill.solid()
        bar.fill.fore_color.rgb = _rgb(self.accent)
        bar.line.fill.background()
        bar.name = "Level colour"
        t = slide.shapes.title
        t.left, t.top, t.width, t.height = Inches(LEFT), Inches(title_top), Inches(WIDTH), Inches(title_h)
        tf = t.text_frame
        tf.word_wrap = True
        tf.auto_size = MSO_AUTO_SIZE.NONE
        tf.vertical_anchor = MSO_ANCHOR.MIDDLE
        tf.margin_left = tf.margin_right = 0
        p = tf.paragraphs[0]
        p.alignment = PP_ALIGN.LEFT
        run = p.add_run()
        run.text = title
        _font(run, title_size, bold=True)
        return slide

    def text(self, slide, x: float, y: float, w: float, h: float, paras: Sequence[Para], name: str = ""):
        """A wrapping text box of paragraphs."""
        box = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
        if name:
            box.name = name
        tf = box.text_frame
        tf.word_wrap = True
        tf.auto_size = MSO_AUTO_SIZE.NONE
        tf.margin_left = tf.margin_right = tf.margin_top = tf.margin_bottom = 0
        for i, para in enumerate(paras):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            p.space_after = Pt(para.after)
            if para.bullet:
                _bullet(p)
            if para.lead:
                _font(lead := p.add_run(), para.size, True, para.colour)
                lead.text = para.lead
            run = p.add_run()
            run.text = para.text
            _font(run, para.size, para.bold, para.colour)
        return box

    def table(
        self,
        slide,
        x: float,
        y: float,
        w: float,
        table: Table,
        rows: Sequence[tuple[str, ...]],
        size=SMALL_PT,
    ) -> float:
        """A table with a header row; returns its estimated height in inches."""
        widths = [w * f / sum(table.widths) for f in table.widths]
        heights = [_row_height(table.columns, widths, True, size)] + [
            _row_height(r, widths, size=size) for r in rows
        ]
        shape = slide.shapes.add_table(
            len(rows) + 1, len(widths), Inches(x), Inches(y), Inches(w), Inches(sum(heights))
        )
        tbl = shape.table
        tbl.first_row = True
        tbl.horz_banding = False
        for j, cw in enumerate(widths):
            tbl.columns[j].width = Inches(cw)
        for i, (values, height) in enumerate(zip([table.columns, *rows], heights, strict=True)):
            tbl.rows[i].height = Inches(height)
            for j, value in enumerate(values):
                cell = tbl.cell(i, j)
                cell.margin_left = cell.margin_right = Inches(0.08)
                cell.margin_top = cell.margin_bottom = Inches(0.04)
                cell.fill.solid()
                cell.fill.fore_color.rgb = _rgb(
                    HEADER_FILL if i == 0 else (BAND_FILL if i % 2 == 0 else "FFFFFF")
                )
                tf = cell.text_frame
                tf.word_wrap = True
                for k, line in enumerate(str(value).split("\n")):
                    p = tf.paragraphs[0] if k == 0 else tf.add_paragraph()
                    run = p.add_run()
                    run.text = line
                    _font(run, size, bold=i == 0, colour="FFFFFF" if i == 0 else INK)
        return sum(heights)

    def alt_text(self, frame, text: str) -> None:
        """Alternative text on a chart's graphic frame (cNvPr/@descr), read by screen readers."""
        frame._element.nvGraphicFramePr.cNvPr.set("descr", text)

    def finish(self) -> bytes:
        """Add the footer (school, date, slide n of N) to every slide and return the file's bytes."""
        total = len(self.prs.slides)
        footer = _one_line(self.pack.subtitle, self.pack.name, SMALL_PT, WIDTH - 1.7)
        for n, slide in enumerate(self.prs.slides, start=1):
            self.text(slide, LEFT, 6.98, WIDTH - 1.6, 0.35, [Para(footer, SMALL_PT, colour=GREY)])
            box = self.text(
                slide, RIGHT - 1.5, 6.98, 1.5, 0.35, [Para(f"{n} of {total}", SMALL_PT, colour=GREY)]
            )
            box.text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT
        self.prs.core_properties.title = f"Governors' pack: {self.pack.name}"
        self.prs.core_properties.subject = self.pack.subtitle
        self.prs.core_properties.author = "Good to Great"
        buf = io.BytesIO()
        self.prs.save(buf)
        return buf.getvalue()


def _one_line(text: str, shorten: str, size: float, width_in: float) -> str:
    """The text, with the part `shorten` cut short (…) until it fits on one line."""
    cut = shorten
    while _lines(text, size, width_in) > 1 and len(cut) > 10:
        cut = cut[: len(cut) - 4].rstrip()
        text = text.replace(shorten, cut + "…")
        shorten = cut + "…"
    return text


def _row_height(
    values: Sequence[str], widths: Sequence[float], bold: bool = False, size: float = SMALL_PT
) -> float:
    lines = max(_lines(str(v), size, cw - 0.16, bold) for v, cw in zip(values, widths, strict=True))
    return lines * size * LINE / 72 + 0.1


def _split_rows(table: Table, w: float, available: float) -> list[list[tuple[str, ...]]]:
    """The table's rows in pages that fit the available height (each page repeats the header), balanced."""
    widths = [w * f / sum(table.widths) for f in table.widths]
    header = _row_height(table.columns, widths, bold=True)
    heights = [_row_height(row, widths) for row in table.rows]

    def split(most: int) -> list[list[tuple[str, ...]]]:
        pages: list[list[tuple[str, ...]]] = [[]]
        used = header
        for row, h in zip(table.rows, heights, strict=True):
            if pages[-1] and (used + h > available or len(pages[-1]) >= most):
                pages.append([])
                used = header
            pages[-1].append(row)
            used += h
        return pages

    pages = split(len(table.rows))
    balanced = split(math.ceil(len(table.rows) / len(pages)))  # no page of two orphan rows
    return balanced if len(balanced) == len(pages) else pages


def _continued(title: str, i: int, n: int) -> str:
    return title if n == 1 else f"{title} ({i + 1} of {n})"


# -- slides ------------------------------------------------------------------------------------------
def _title_slide(deck: Deck) -> None:
    pack = deck.pack
    slide = deck.slide(pack.name, title_top=0.75, title_size=40, title_h=1.3)
    deck.text(slide, LEFT, 0.3, 8, 0.45, [Para("Governors' pack", 20, bold=True, colour=GREY)])
    facts = [Para(value, 20, lead=f"{label}: ", after=8) for label, value in pack.facts]
    deck.text(slide, LEFT, 2.35, 7.2, 4.4, facts, name="School facts")

    x, w = 8.2, RIGHT - 8.2
    box = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(x), Inches(2.35), Inches(w), Inches(1.9))
    box.fill.solid()
    box.fill.fore_color.rgb = _rgb(deck.accent)
    box.line.fill.background()
    box.name = "Level of support"
    tf = box.text_frame
    tf.word_wrap = True
    tf.margin_left = tf.margin_right = Inches(0.25)
    since = pack.level_line.removeprefix(pack.level_name).lstrip(", ")
    for i, (text, size, bold) in enumerate(
        [("Level of support", 18, False), (pack.level_name, 32, True), (since, 18, False)]
    ):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.alignment = PP_ALIGN.LEFT
        run = p.add_run()
        run.text = text
        _font(run, size, bold, "FFFFFF")
    paras = []
    if pack.reason:
        paras += [Para("Why", 16, bold=True, after=2), Para(pack.reason, 16)]
    if pack.closed:
        paras.append(Para(pack.closed, 16, bold=True, colour="B42318"))
    if paras:
        deck.text(slide, x, 4.45, w, 2.3, paras, name="Why this level")


def _level_slide(deck: Deck) -> None:
    pack = deck.pack
    slide = deck.slide(f"Level of support now: {pack.level_name}")
    paras = [Para(pack.level_line[0].upper() + pack.level_line[1:] + ".", 24, bold=True, after=16)]
    if pack.reason:
        paras += [
            Para("Why the council chose this level", 20, bold=True, after=4),
            Para(pack.reason, 20, after=16),
        ]
    if pack.level_means:
        paras += [
            Para(f"Who {pack.level_name} support is for", 20, bold=True, after=4),
            Para(pack.level_means, 20),
        ]
    if not pack.level:
        paras.append(Para("The school has no level of support on this date.", 20, after=12))
    deck.text(slide, LEFT, BODY_TOP, 6.0, BODY_BOTTOM - BODY_TOP, paras)
    if pack.level_provides:
        side = [Para("What the level provides", 20, bold=True, after=8)]
        side += [Para(p, 20, bullet=True, after=8) for p in pack.level_provides]
        deck.text(slide, 6.9, BODY_TOP, RIGHT - 6.9, BODY_BOTTOM - BODY_TOP, side)


def _timeline_slide(deck: Deck) -> None:
    pack = deck.pack
    slide = deck.slide("Level of support, term by term")
    if pack.timeline is None:
        deck.text(slide, LEFT, BODY_TOP, WIDTH, 1, [Para(w) for w in pack.timeline_words])
        return
    chart = pack.timeline
    height = min(BODY_BOTTOM - BODY_TOP, 0.6 * len(chart.categories) + 0.3)  # a few terms: no fat bars
    frame = _bar_chart(slide, chart, LEFT, BODY_TOP, 7.9, height)
    deck.alt_text(frame, chart.alt)
    paras = [Para("In words", 18, bold=True)] + [Para(w, bullet=True) for w in pack.timeline_words]
    paras.append(
        Para("A longer bar means more support: Core is the shortest, Intensive B the longest.", SMALL_PT)
    )
    deck.text(slide, 8.75, BODY_TOP, RIGHT - 8.75, BODY_BOTTOM - BODY_TOP, paras)


def _judgements_slide(deck: Deck) -> None:
    pack = deck.pack
    slide = deck.slide("The four key judgements")
    note = [Para(pack.judgements_note, 18)]
    deck.text(slide, LEFT, BODY_TOP, WIDTH, 1.2, note)
    y = BODY_TOP + 0.2 + _paras_height(note, WIDTH)
    deck.table(slide, LEFT, y, WIDTH, pack.judgements, pack.judgements.rows, size=20)


def _hours_slides(deck: Deck) -> None:
    pack = deck.pack
    slide = deck.slide("Adviser support, term by term")
    words = [Para(w, after=6) for w in pack.hours_words]
    if pack.hours is None:
        deck.text(slide, LEFT, BODY_TOP, WIDTH, BODY_BOTTOM - BODY_TOP, words)
        return
    words.append(Para("Every number is in the table on the next slide.", SMALL_PT, colour=GREY, after=0))
    words_h = _paras_height(words, WIDTH)
    chart_h = BODY_BOTTOM - BODY_TOP - words_h - 0.15
    frame = _hours_chart(slide, pack.hours, LEFT, BODY_TOP, WIDTH, chart_h)
    deck.alt_text(frame, pack.hours.alt)
    deck.text(slide, LEFT, BODY_BOTTOM - words_h, WIDTH, words_h, words)
    _table_slides(deck, "Adviser support: the numbers", [], pack.hours_table)


def _table_slides(deck: Deck, title: str, intro: Sequence[Para], table: Table) -> None:
    intro_h = _paras_height(intro, WIDTH) + (0.1 if intro else 0)
    pages = _split_rows(table, WIDTH, BODY_BOTTOM - BODY_TOP - intro_h)
    for i, rows in enumerate(pages):
        slide = deck.slide(_continued(title, i, len(pages)))
        y = BODY_TOP
        if intro and i == 0:
            deck.text(slide, LEFT, y, WIDTH, intro_h, intro)
            y += intro_h
        elif intro:
            y += intro_h
        deck.table(slide, LEFT, y, WIDTH, table, rows)


def _priorities_slides(deck: Deck) -> None:
    pack = deck.pack
    intro = [Para(" ".join(pack.priorities_words))]
    if pack.priorities is None:
        slide = deck.slide("Plan priorities")
        deck.text(slide, LEFT, BODY_TOP, WIDTH, 1, intro)
        return
    _table_slides(deck, "Plan priorities", intro, pack.priorities)


def _flag_paras(flag: FlagItem) -> list[Para]:
    return [
        Para(flag.title, 18, bold=True, after=2),
        Para(flag.since, SMALL_PT, bold=True, colour=SEVERITY_COLOURS.get(flag.severity, INK), after=4),
        Para(flag.message, after=4),
        Para(flag.action, lead="What happens next: ", after=14),
    ]


def _attention_slides(deck: Deck) -> None:
    pack = deck.pack
    title = "What needs attention and what happens next"
    blocks = [_flag_paras(f) for f in pack.flags] or [[Para(pack.flags_words, after=14)]]
    dates = pack.next_dates
    dates_h = (
        0.5 + sum(_row_height(r, [WIDTH * 0.7, WIDTH * 0.3]) for r in [dates.columns, *dates.rows])
        if dates
        else 0.6
    )
    available = BODY_BOTTOM - BODY_TOP
    pages: list[list[list[Para]]] = [[]]
    used = 0.0
    for block in blocks:
        h = _paras_height(block, WIDTH)
        if pages[-1] and used + h > available:
            pages.append([])
            used = 0.0
        pages[-1].append(block)
        used += h
    show_dates = dates is not None or used + dates_h <= available  # "no dates" never fills a slide alone
    if show_dates and used + dates_h > available:
        pages.append([])
    for i, page in enumerate(pages):
        slide = deck.slide(_continued(title, i, len(pages)))
        paras = [p for block in page for p in block]
        h = _paras_height(paras, WIDTH)
        if paras:
            deck.text(slide, LEFT, BODY_TOP, WIDTH, h, paras)
        if i == len(pages) - 1 and show_dates:
            y = BODY_TOP + h + 0.05
            deck.text(slide, LEFT, y, WIDTH, 0.45, [Para("Next dates", 18, bold=True)])
            if dates:
                deck.table(slide, LEFT, y + 0.45, WIDTH, dates, dates.rows)
            else:
                deck.text(slide, LEFT, y + 0.45, WIDTH, 0.4, [Para("No dates are due.")])


def _ofsted_slides(deck: Deck) -> None:
    pack = deck.pack
    if pack.eif is None and pack.renewed is None:
        slide = deck.slide("Ofsted inspections")
        deck.text(slide, LEFT, BODY_TOP, WIDTH, 1, [Para(w) for w in pack.ofsted_words])
        return
    words = [Para(w, SMALL_PT, after=4) for w in pack.ofsted_words]
    if pack.eif is not None:
        _table_slides(deck, "Ofsted: 2019 framework inspections", words, pack.eif)
        words = [
            Para(
                "Report cards are shown separately from 2019-framework grades and never converted.", SMALL_PT
            )
        ]
    else:
        words.append(Para("No inspection under the 2019 framework has been recorded.", SMALL_PT))
    if pack.renewed is not None:
        _table_slides(deck, "Ofsted: report cards (renewed framework)", words, pack.renewed)
    else:
        slide = deck.prs.slides[-1]
        note = "No report card under the renewed framework (from 10 November 2025) has been recorded yet."
        deck.text(slide, LEFT, BODY_BOTTOM - 0.35, WIDTH, 0.35, [Para(note, SMALL_PT, colour=GREY)])


def _warnings_slides(deck: Deck) -> None:
    pack = deck.pack
    if pack.warnings is not None:
        _table_slides(deck, "Warning notices", [Para(pack.warnings_words)], pack.warnings)


def _responsibility_slides(deck: Deck) -> None:
    pack = deck.pack
    title = f"Who does what at {pack.level_name} level" if pack.level else "Who does what"
    roles = list(pack.responsibilities.items())
    gap = 0.3
    available = BODY_BOTTOM - BODY_TOP - 0.45

    def column(who: str, duties: list[str], size: float) -> list[Para]:
        return [Para(who, 20, bold=True, after=6)] + [Para(d, size, bullet=True, after=6) for d in duties]

    def fits(group: list, size: float) -> bool:
        width = (WIDTH - gap * (len(group) - 1)) / len(group)
        return all(_paras_height(column(*role, size), width) <= available for role in group)

    # as many roles side by side as fit, in the larger type if it fits
    for per_slide, size in [(n, pt) for n in range(len(roles), 0, -1) for pt in (BODY_PT, SMALL_PT)]:
        groups = [roles[i : i + per_slide] for i in range(0, len(roles), per_slide)]
        if all(fits(g, size) for g in groups):
            break
    for k, group in enumerate(groups):
        slide = deck.slide(_continued(title, k, len(groups)))
        width = (WIDTH - gap * (len(group) - 1)) / len(group)
        for j, role in enumerate(group):
            deck.text(
                slide, LEFT + j * (width + gap), BODY_TOP, width, available, column(*role, size), name=role[0]
            )
        note = "From the policy's Appendix 3, section 1.3 (responsibilities), and the paragraphs shown."
        deck.text(slide, LEFT, BODY_BOTTOM - 0.35, WIDTH, 0.35, [Para(note, SMALL_PT, colour=GREY)])


def _glossary_slide(deck: Deck) -> None:
    slide = deck.slide("Words used in this pack")
    table = Table(("Word", "What it means"), deck.pack.glossary, (0.22, 0.78))
    deck.table(slide, LEFT, BODY_TOP, WIDTH, table, table.rows)


# -- charts ------------------------------------------------------------------------------------------
def _chart_data(chart: Chart, with_line: bool) -> CategoryChartData:
    data = CategoryChartData(number_format="0.0")
    data.categories = list(chart.categories)
    for s in chart.bars:
        data.add_series(s.name, list(s.values))
    if with_line and chart.line is not None:
        data.add_series(chart.line.name, list(chart.line.values))
    return data


def _style_chart(chart) -> None:
    chart.font.name = FONT
    chart.font.size = Pt(SMALL_PT)
    chart.font.color.rgb = _rgb(INK)
    chart.has_title = False


def _bar_chart(slide, chart: Chart, x: float, y: float, w: float, h: float):
    """The level timeline: one horizontal bar a term, its length the level's rank, labelled with its name."""
    frame = slide.shapes.add_chart(
        XL_CHART_TYPE.BAR_STACKED, Inches(x), Inches(y), Inches(w), Inches(h), _chart_data(chart, False)
    )
    c = frame.chart
    _style_chart(c)
    c.has_legend = False
    plot = c.plots[0]
    plot.gap_width = 35
    plot.overlap = 100
    for series, spec in zip(plot.series, chart.bars, strict=True):
        series.invert_if_negative = False
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _rgb(spec.colour)
        labels = series.data_labels
        labels.show_series_name = True
        labels.show_value = False
        labels.position = XL_LABEL_POSITION.INSIDE_BASE
        labels.font.size = Pt(SMALL_PT)
        labels.font.bold = True
        labels.font.name = FONT
        labels.font.color.rgb = _rgb("FFFFFF")
        labels._element.find(qn("c:txPr")).find(qn("a:bodyPr")).set(
            "wrap", "none"
        )  # "Enhanced", never "Enhan-ced"
    values = c.value_axis
    values.minimum_scale, values.maximum_scale = 0, 5
    values.visible = False
    values.has_major_gridlines = False
    cats = c.category_axis
    cats.reverse_order = True  # the first term at the top, as it reads
    cats.format.line.color.rgb = _rgb(RULE)
    cats.tick_labels.font.size = Pt(SMALL_PT)
    return frame


def _hours_chart(slide, chart: Chart, x: float, y: float, w: float, h: float):
    """Hours by activity as stacked columns, with the entitlement as a line on the same axes (a combo chart)."""
    frame = slide.shapes.add_chart(
        XL_CHART_TYPE.COLUMN_STACKED, Inches(x), Inches(y), Inches(w), Inches(h), _chart_data(chart, True)
    )
    c = frame.chart
    _style_chart(c)
    bar = c.plots[0]
    bar.gap_width = 55
    bar.overlap = 100
    if chart.line is not None:
        _move_last_series_to_line(c)
    for series, spec in zip(c.plots[0].series, chart.bars, strict=True):
        series.invert_if_negative = False
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _rgb(spec.colour)
    if chart.line is not None:
        line = c.plots[1].series[0]
        line.smooth = False
        line.format.line.color.rgb = _rgb(chart.line.colour)
        line.format.line.width = Pt(2.5)
        line.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
        line.marker.style = XL_MARKER_STYLE.DIAMOND
        line.marker.size = 9
        line.marker.format.fill.solid()
        line.marker.format.fill.fore_color.rgb = _rgb(chart.line.colour)
        line.marker.format.line.color.rgb = _rgb(chart.line.colour)
    c.has_legend = True
    c.legend.position = XL_LEGEND_POSITION.BOTTOM
    c.legend.include_in_layout = False
    c.legend.font.size = Pt(SMALL_PT)
    values = c.value_axis
    values.has_major_gridlines = True
    values.major_gridlines.format.line.color.rgb = _rgb(RULE)
    values.tick_labels.number_format = "0"
    values.tick_labels.number_format_is_linked = False
    values.has_title = True
    values.axis_title.text_frame.text = chart.value_title
    run = values.axis_title.text_frame.paragraphs[0].runs[0]
    _font(run, SMALL_PT)
    values.format.line.fill.background()
    c.category_axis.tick_labels.font.size = Pt(SMALL_PT)
    _horizontal_labels(c.category_axis)
    return frame


def _horizontal_labels(axis) -> None:
    """Keep category labels level (wrapped, not slanted), as a governor reads them."""
    body = axis._element.find(qn("c:txPr")).find(qn("a:bodyPr"))
    body.set("rot", "0")
    body.set("vert", "horz")


def _move_last_series_to_line(chart) -> None:
    """Make the last series of a column chart a line on the same axes (python-pptx has no combo charts)."""
    plot_area = chart._chartSpace.chart.plotArea
    bar = plot_area.find(qn("c:barChart"))
    ser = bar.findall(qn("c:ser"))[-1]
    bar.remove(ser)
    invert = ser.find(qn("c:invertIfNegative"))
    if invert is not None:
        ser.remove(invert)
    line = etree.SubElement(plot_area, qn("c:lineChart"))
    etree.SubElement(line, qn("c:grouping")).set("val", "standard")
    etree.SubElement(line, qn("c:varyColors")).set("val", "0")
    line.append(ser)
    etree.SubElement(line, qn("c:marker")).set("val", "1")
    for ax in bar.findall(qn("c:axId")):
        etree.SubElement(line, qn("c:axId")).set("val", ax.get("val"))
    bar.addnext(line)  # chart groups come before the axes in a plot area


def render_pptx(pack: Pack) -> bytes:
    """The pack as a 16:9 PowerPoint file."""
    deck = Deck(pack)
    _title_slide(deck)
    _level_slide(deck)
    _timeline_slide(deck)
    _judgements_slide(deck)
    _hours_slides(deck)
    _priorities_slides(deck)
    _attention_slides(deck)
    _ofsted_slides(deck)
    _warnings_slides(deck)
    _responsibility_slides(deck)
    _glossary_slide(deck)
    return deck.finish()

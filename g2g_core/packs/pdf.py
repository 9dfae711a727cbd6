"""The governors' pack as an A4 PDF (fpdf2): selectable text in the shipped DejaVu Sans, charts as images.

Nothing is fetched at run time: the fonts are package data and the charts are drawn by matplotlib's Agg
canvas. The content and its order are those of the slides; a section starts on a new page only when too
little of the page is left, a heading never ends a page, and tables repeat their header on a new page.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from fpdf import FPDF
from fpdf.enums import TableBordersLayout, TableCellFillMode, XPos, YPos
from fpdf.fonts import FontFace

from g2g_core.packs.charts import hours_png, timeline_png
from g2g_core.packs.content import Pack, Table
from g2g_core.packs.measure import BOLD, REGULAR, wrapped_lines
from g2g_core.vocabulary import LEVEL_COLOURS, SEVERITY_NAMES
from g2g_core.vocabulary import SEVERITY_COLOURS as SEVERITY_CODE_COLOURS

FAMILY = "DejaVu"
INK, GREY = (31, 35, 40), (89, 89, 89)
HEADER_FILL, BAND_FILL = "#243447", "#F2F4F7"  # fpdf2 tables take colours as hex strings
BODY, SMALL, H2, H3 = 10.5, 9.5, 15, 11.5
MM_PER_PT = 25.4 / 72
SHORT_TABLE = 70  # mm: a table this short is never split across pages


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


# Flags are coloured by their severity, which the pack carries in words.
SEVERITY_COLOURS = {SEVERITY_NAMES[s]: _rgb(c) for s, c in SEVERITY_CODE_COLOURS.items()}


class PackPDF(FPDF):
    """An A4 document with the pack's footer, level-coloured rule, headings, paragraphs and tables."""

    def __init__(self, pack: Pack) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.pack = pack
        self.accent = _rgb(LEVEL_COLOURS.get(pack.level or "", "#595959"))
        self.add_font(FAMILY, "", str(REGULAR))
        self.add_font(FAMILY, "B", str(BOLD))
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=18)
        self.set_title(f"Governors' pack: {pack.name}")
        self.set_subject(pack.subtitle)
        self.set_author("Good to Great")
        self.set_creator("Good to Great (g2g_core.packs)")
        self.set_lang("en-GB")
        self.set_text_color(*INK)

    # -- page furniture ------------------------------------------------------------------------------
    def header(self) -> None:
        """A rule in the colour of the school's level at the top of every page."""
        self.set_fill_color(*self.accent)
        self.rect(0, 0, self.w, 3, style="F")
        self.set_fill_color(255, 255, 255)
        self.set_y(self.t_margin)

    def footer(self) -> None:
        """The school, the date of the information, and the page number."""
        self.set_y(-13)
        self.set_font(FAMILY, "", 8.5)
        self.set_text_color(*GREY)
        text, name = self.pack.subtitle, self.pack.name
        while self.get_string_width(text) > self.epw - 27 and len(name) > 10:  # a long name is cut short
            name = name[:-4].rstrip()
            text = self.pack.subtitle.replace(self.pack.name, name + "…")
        self.cell(self.epw - 25, 5, text)
        self.cell(25, 5, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(*INK)

    # -- blocks --------------------------------------------------------------------------------------
    def line_h(self, size: float) -> float:
        """Line height in mm for a font size in points."""
        return size * MM_PER_PT * 1.3

    def section(self, title: str, keep: float = 45) -> None:
        """A section heading, on a new page when less than `keep` mm would be left under it."""
        if self.page_no() == 0 or self.will_page_break(self.line_h(H2) + 4 + keep):
            self.add_page()
        else:
            self.ln(4)
        self.set_font(FAMILY, "B", H2)
        self.multi_cell(0, self.line_h(H2), title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*self.accent)
        self.set_line_width(0.6)
        self.line(self.l_margin, self.get_y() + 0.5, self.l_margin + 30, self.get_y() + 0.5)
        self.ln(3)

    def subheading(self, text: str, keep: float = 20) -> None:
        """A bold heading kept with what follows it."""
        if self.will_page_break(self.line_h(H3) + 4 + keep):
            self.add_page()
        self.set_font(FAMILY, "B", H3)
        self.multi_cell(0, self.line_h(H3), text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def para(
        self, text: str, size: float = BODY, lead: str = "", colour=INK, bold: bool = False, after: float = 2
    ) -> None:
        """A paragraph, with an optional bold lead-in."""
        h = self.line_h(size)
        self.set_text_color(*colour)
        if lead:
            self.set_font(FAMILY, "B", size)
            self.write(h, lead)
        self.set_font(FAMILY, "B" if bold else "", size)
        self.write(h, text)
        self.ln(h + after)
        self.set_text_color(*INK)

    def bullets(self, items: Sequence[str], size: float = BODY) -> None:
        """A bulleted list."""
        h = self.line_h(size)
        self.set_font(FAMILY, "", size)
        for item in items:
            self.cell(5, h, "•")
            self.multi_cell(self.epw - 5, h, item, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.ln(1)

    def start_height(self, table: Table, size: float = SMALL, pad: float = 1.6) -> float:
        """Height in mm a table needs on this page: all of it when short, else its header and first row."""
        widths = [self.epw * f / sum(table.widths) - 2 * pad for f in table.widths]

        def row_h(row: Sequence[str], bold: bool = False) -> float:
            lines = max(
                wrapped_lines(str(v), size, w / MM_PER_PT, bold) for v, w in zip(row, widths, strict=True)
            )
            return lines * self.line_h(size) + 2.4

        heights = [row_h(table.columns, True)] + [row_h(r) for r in table.rows]
        whole = sum(heights)
        return whole if whole <= SHORT_TABLE else sum(heights[:2])

    def grid(self, table: Table, size: float = SMALL, pad: float = 1.6) -> None:
        """A table with a header row repeated on each page it runs onto."""
        if self.will_page_break(self.start_height(table, size, pad) + 2):
            self.add_page()
        self.set_font(FAMILY, "", size)
        # fpdf2 (2.8) restores the fill colour before a row's fill inside a saved graphics state, so the
        # colour in force must already be the band colour or alternate rows take whatever was used last.
        self.set_fill_color(BAND_FILL)
        with self.table(
            col_widths=table.widths,
            width=self.epw,
            text_align="LEFT",
            line_height=self.line_h(size),
            headings_style=FontFace(emphasis="BOLD", color="#FFFFFF", fill_color=HEADER_FILL),
            cell_fill_color=BAND_FILL,
            cell_fill_mode=TableCellFillMode.ROWS,
            borders_layout=TableBordersLayout.NONE,
            padding=(1.2, pad),
            v_align="TOP",
        ) as t:
            for values in [table.columns, *table.rows]:
                row = t.row()
                for value in values:
                    row.cell(str(value))
        self.ln(3)

    def chart(self, png: bytes, height_in: float, width_in: float, alt: str) -> None:
        """A chart image across the text width, moved to a new page whole if it does not fit."""
        h = self.epw * height_in / width_in
        if self.will_page_break(h + 2):
            self.add_page()
        self.image(io.BytesIO(png), x=self.l_margin, w=self.epw, h=h, alt_text=alt)
        self.ln(2)


# -- sections -----------------------------------------------------------------------------------------
def _cover(doc: PackPDF) -> None:
    pack = doc.pack
    doc.add_page()
    doc.set_font(FAMILY, "B", 11)
    doc.set_text_color(*GREY)
    doc.cell(0, 6, "Governors' pack", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.set_text_color(*INK)
    doc.set_font(FAMILY, "B", 24)
    doc.multi_cell(0, 11, pack.name, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.ln(4)

    top = doc.get_y()
    box_w, box_x = 62, doc.l_margin + doc.epw - 62
    doc.set_fill_color(*doc.accent)
    doc.rect(box_x, top, box_w, 30, style="F")
    doc.set_text_color(255, 255, 255)
    since = pack.level_line.removeprefix(pack.level_name).lstrip(", ")
    doc.set_xy(box_x + 5, top + 4)
    doc.set_font(FAMILY, "", 10)
    doc.cell(box_w - 10, 5, "Level of support")
    doc.set_xy(box_x + 5, top + 10)
    doc.set_font(FAMILY, "B", 17 if len(pack.level_name) < 16 else 12)
    doc.cell(box_w - 10, 9, pack.level_name)
    doc.set_xy(box_x + 5, top + 20)
    doc.set_font(FAMILY, "", 10)
    doc.cell(box_w - 10, 5, since)
    doc.set_text_color(*INK)

    doc.set_xy(doc.l_margin, top)
    label_w = 45
    value_w = doc.epw - box_w - 6 - label_w
    for label, value in pack.facts:
        doc.set_font(FAMILY, "B", BODY)
        doc.cell(label_w, 6.2, label)
        doc.set_font(FAMILY, "", BODY)
        doc.multi_cell(value_w, 6.2, value, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.set_y(max(doc.get_y(), top + 30) + 5)
    if pack.closed:
        doc.para(pack.closed, bold=True, colour=_rgb(SEVERITY_CODE_COLOURS["overdue"]))

    doc.section(f"Level of support now: {pack.level_name}")
    if pack.reason:
        doc.subheading("Why the council chose this level")
        doc.para(pack.reason, after=3)
    if pack.level_means:
        doc.subheading(f"Who {pack.level_name} support is for")
        doc.para(pack.level_means, after=3)
    if pack.level_provides:
        doc.subheading("What the level provides")
        doc.bullets(pack.level_provides)
    if not pack.level:
        doc.para("The school has no level of support on this date.")

    doc.section("The four key judgements", keep=40)
    doc.para(pack.judgements_note, SMALL)
    doc.grid(pack.judgements, size=BODY)


def _timeline(doc: PackPDF) -> None:
    pack = doc.pack
    doc.section("Level of support, term by term", keep=70)
    if pack.timeline is None:
        doc.para(" ".join(pack.timeline_words))
        return
    width = doc.epw / 25.4
    png, height = timeline_png(pack.timeline, width)
    doc.chart(png, height, width, pack.timeline.alt)
    doc.bullets(pack.timeline_words, SMALL)
    doc.para(
        "A longer bar means more support: Core is the shortest, Intensive B the longest.", SMALL, colour=GREY
    )


def _hours(doc: PackPDF) -> None:
    pack = doc.pack
    doc.section("Adviser support, term by term", keep=95)
    if pack.hours is None:
        for w in pack.hours_words:
            doc.para(w)
        return
    width, height = doc.epw / 25.4, 3.3
    doc.chart(hours_png(pack.hours, width, height), height, width, pack.hours.alt)
    for w in pack.hours_words:
        doc.para(w, SMALL)
    doc.subheading("The numbers (hours)", keep=doc.start_height(pack.hours_table, 8.5, 0.8))
    doc.grid(pack.hours_table, size=8.5, pad=0.8)  # a column a term: narrow, so tighter


def _priorities(doc: PackPDF) -> None:
    pack = doc.pack
    doc.section("Plan priorities")
    doc.para(" ".join(pack.priorities_words), after=3)
    if pack.priorities is not None:
        doc.grid(pack.priorities)


def _attention(doc: PackPDF) -> None:
    pack = doc.pack
    doc.section("What needs attention and what happens next")
    if not pack.flags:
        doc.para(pack.flags_words, after=3)
    for flag in pack.flags:
        with doc.unbreakable() as d:
            d.set_font(FAMILY, "B", H3)
            d.multi_cell(0, d.line_h(H3), flag.title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            d.para(flag.since, SMALL, bold=True, colour=SEVERITY_COLOURS.get(flag.severity, INK), after=1)
            d.para(flag.message, after=1)
            d.para(flag.action, lead="What happens next: ", after=4)
    doc.subheading("Next dates", keep=doc.start_height(pack.next_dates, BODY) if pack.next_dates else 10)
    if pack.next_dates is not None:
        doc.grid(pack.next_dates, size=BODY)
    else:
        doc.para("No dates are due.")


def _ofsted(doc: PackPDF) -> None:
    pack = doc.pack
    doc.section("Ofsted inspections")
    for w in pack.ofsted_words:
        doc.para(w, SMALL)
    if pack.eif is None and pack.renewed is None:
        return
    doc.ln(1)
    doc.subheading("2019 framework: overall grades", keep=doc.start_height(pack.eif) if pack.eif else 10)
    if pack.eif is not None:
        doc.grid(pack.eif)
    else:
        doc.para("No inspection under the 2019 framework has been recorded.", SMALL)
    keep = doc.start_height(pack.renewed) if pack.renewed else 10
    doc.subheading("Renewed framework: report cards (from 10 November 2025)", keep=keep)
    if pack.renewed is not None:
        doc.grid(pack.renewed)
    else:
        doc.para("No report card under the renewed framework has been recorded yet.", SMALL)


def _warnings(doc: PackPDF) -> None:
    pack = doc.pack
    if pack.warnings is None:
        return
    doc.section("Warning notices")
    doc.para(pack.warnings_words, after=3)
    doc.grid(pack.warnings)


def _responsibilities(doc: PackPDF) -> None:
    pack = doc.pack
    doc.section(f"Who does what at {pack.level_name} level" if pack.level else "Who does what", keep=60)
    for who, duties in pack.responsibilities.items():
        doc.subheading(who, keep=30)
        doc.bullets(duties, SMALL)
        doc.ln(1)
    doc.para(
        "From the policy's Appendix 3, section 1.3 (responsibilities), and the paragraphs shown.",
        SMALL,
        colour=GREY,
    )


def _glossary(doc: PackPDF) -> None:
    doc.section("Words used in this pack", keep=95)  # the whole glossary on one page
    doc.grid(Table(("Word", "What it means"), doc.pack.glossary, (0.25, 0.75)))


def render_pdf(pack: Pack) -> bytes:
    """The pack as an A4 PDF."""
    doc = PackPDF(pack)
    _cover(doc)
    _timeline(doc)
    _hours(doc)
    _priorities(doc)
    _attention(doc)
    _ofsted(doc)
    _warnings(doc)
    _responsibilities(doc)
    _glossary(doc)
    return bytes(doc.output())

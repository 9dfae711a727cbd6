"""A confirmation letter as an A4 PDF (fpdf2), in the governors' pack's shipped DejaVu Sans; nothing fetched."""

from __future__ import annotations

import io

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from g2g_core.letters.content import RESPONSIBILITY_REFS, Letter
from g2g_core.packs.content import long_date
from g2g_core.packs.measure import BOLD, REGULAR

FAMILY = "DejaVu"
INK, GREY = (31, 35, 40), (89, 89, 89)
BODY, SMALL, H3 = 10.5, 9, 11.5
LINE = 5.2


class LetterPDF(FPDF):
    """An A4 letter: the letterhead on the first page, the authority and page number in every footer."""

    def __init__(self, letter: Letter) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.letter = letter
        self.add_font(FAMILY, "", str(REGULAR))
        self.add_font(FAMILY, "B", str(BOLD))
        self.set_margins(22, 16, 22)
        self.set_auto_page_break(True, margin=20)
        self.set_title(letter.title)
        self.set_subject("Letter confirming the level of support (App.3 1.2)")
        self.set_author(letter.letterhead.authority)
        self.set_creator("Good to Great (g2g_core.letters)")
        self.set_lang("en-GB")
        self.set_text_color(*INK)

    def header(self) -> None:
        """The letterhead's rule at the top of every page."""
        self.set_fill_color(*self.letter.letterhead.rgb)
        self.rect(0, 0, self.w, 3, style="F")
        self.set_y(self.t_margin)

    def footer(self) -> None:
        """The authority, the school and the page number."""
        self.set_y(-14)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*GREY)
        self.cell(self.epw - 25, 4, f"{self.letter.letterhead.authority} · {self.letter.school}")
        self.cell(25, 4, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(*INK)

    def para(self, text: str, size: float = BODY, bold: bool = False, after: float = 2.5, colour=INK) -> None:
        """A paragraph."""
        self.set_font(FAMILY, "B" if bold else "", size)
        self.set_text_color(*colour)
        self.multi_cell(0, LINE * size / BODY, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)
        self.ln(after)

    def heading(self, text: str) -> None:
        """A bold heading kept with the next lines."""
        if self.will_page_break(LINE * 4):
            self.add_page()
        self.ln(1)
        self.para(text, H3, bold=True, after=1)

    def bullets(self, items, size: float = BODY) -> None:
        """A bulleted list."""
        self.set_font(FAMILY, "", size)
        h = LINE * size / BODY
        for item in items:
            self.set_x(self.l_margin + 2)
            self.cell(5, h, "•")
            self.multi_cell(self.epw - 7, h, item, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.ln(0.8)
        self.ln(1.5)


def _letterhead(doc: LetterPDF) -> None:
    head = doc.letter.letterhead
    top = doc.get_y()
    logo = head.logo_bytes()
    text_x = doc.l_margin
    if logo:
        doc.image(io.BytesIO(logo), x=doc.l_margin, y=top, w=20, h=20, alt_text=f"{head.authority} logo")
        text_x += 25
    doc.set_xy(text_x, top + 1)
    doc.set_font(FAMILY, "B", 14)
    doc.cell(0, 7, head.authority, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.set_x(text_x)
    doc.set_font(FAMILY, "", 9.5)
    doc.set_text_color(*GREY)
    doc.cell(0, 5, head.department, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.set_x(text_x)
    doc.cell(0, 5, ", ".join(head.address), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.set_text_color(*INK)
    doc.set_y(max(doc.get_y(), top + 22) + 6)


def render_pdf(letter: Letter) -> bytes:
    """The letter as an A4 PDF."""
    doc = LetterPDF(letter)
    doc.add_page()
    _letterhead(doc)
    top = doc.get_y()
    doc.set_font(FAMILY, "", BODY)
    for line in letter.to_lines:
        doc.cell(110, LINE, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    after_address = doc.get_y()
    doc.set_xy(doc.l_margin + doc.epw - 55, top)
    doc.cell(55, LINE, long_date(letter.dated), align="R")
    doc.set_y(after_address + 6)
    doc.para(letter.salutation, after=3)
    doc.para(letter.subject, bold=True, after=3)
    doc.para(letter.decision)
    if letter.target_exit:
        doc.para(letter.target_exit, bold=True, after=1)
        doc.para(letter.target_note or "")

    doc.heading("Why the authority made this decision")
    doc.para(letter.reason)
    doc.para(
        "The authority's judgement of the four key indicators (1 strong, 2 good, 3 requires improvement, 4 weak):",
        after=1.5,
    )
    doc.set_font(FAMILY, "", BODY)
    for label, value in letter.judgements:
        doc.set_x(doc.l_margin + 2)
        doc.set_font(FAMILY, "", BODY)
        doc.cell(110, LINE + 0.6, label)
        doc.set_font(FAMILY, "B", BODY)
        doc.cell(0, LINE + 0.6, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.ln(2.5)

    doc.heading(f"What {letter.level_name} support provides")
    doc.para(letter.level_means)
    doc.bullets(letter.provides)
    doc.para(letter.provides_note, SMALL, colour=GREY)

    doc.heading("Who does what at this level")
    for who, duties in letter.responsibilities.items():
        if doc.will_page_break(LINE * 3):
            doc.add_page()
        doc.para(who, bold=True, after=1)
        doc.bullets(duties, SMALL + 0.5)
    doc.para(RESPONSIBILITY_REFS, SMALL, colour=GREY)

    doc.heading("Who to contact")
    doc.para(letter.contact)
    with doc.unbreakable() as d:
        d.ln(2)
        d.para(letter.closing, after=10)
        d.para(letter.letterhead.signatory, bold=True, after=0.5)
        d.para(letter.letterhead.signatory_title, after=0.5)
        d.para(letter.letterhead.authority, after=2)
    return bytes(doc.output())

"""A confirmation letter as an editable Word document (python-docx), with the same content as the PDF."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt, RGBColor

from g2g_core.letters.content import RESPONSIBILITY_REFS, Letter
from g2g_core.packs.content import long_date

GREY = RGBColor(0x59, 0x59, 0x59)


def _para(doc, text: str, *, bold: bool = False, size: float | None = None, colour=None, after: float = 6):
    p = doc.add_paragraph()
    run = p.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if colour is not None:
        run.font.color.rgb = colour
    p.paragraph_format.space_after = Pt(after)
    return p


def _heading(doc, rgb: tuple[int, int, int], text: str, level: int = 2) -> None:
    heading = doc.add_heading(text, level=level)
    for run in heading.runs:
        run.font.color.rgb = RGBColor(*rgb)


def render_docx(letter: Letter) -> bytes:
    """The letter as a .docx document."""
    head = letter.letterhead
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(22)
    section.top_margin, section.bottom_margin = Mm(16), Mm(20)
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"  # on every office machine; the PDF carries its own font
    normal.font.size = Pt(10.5)
    props = doc.core_properties
    props.title, props.author = letter.title, head.authority
    props.subject = "Letter confirming the level of support (App.3 1.2)"
    props.language = "en-GB"

    # Letterhead: logo beside the authority's name, department and address.
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    left, right = table.rows[0].cells
    for column, cell, width in zip(table.columns, (left, right), (Mm(26), Mm(140)), strict=True):
        column.width = cell.width = width  # Word reads the cell widths, LibreOffice the column's
    logo = head.logo_bytes()
    if logo:
        left.paragraphs[0].add_run().add_picture(io.BytesIO(logo), width=Mm(20))
    name = right.paragraphs[0].add_run(head.authority)
    name.bold, name.font.size = True, Pt(14)
    for line in (head.department, ", ".join(head.address)):
        run = right.add_paragraph().add_run(line)
        run.font.size, run.font.color.rgb = Pt(9.5), GREY

    footer = section.footer.paragraphs[0]
    footer.text = f"{head.authority} · {letter.school}"
    for run in footer.runs:
        run.font.size, run.font.color.rgb = Pt(8), GREY

    dated = _para(doc, long_date(letter.dated), after=6)
    dated.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for i, line in enumerate(letter.to_lines):
        _para(doc, line, after=0 if i < len(letter.to_lines) - 1 else 12)
    _para(doc, letter.salutation, after=8)
    _para(doc, letter.subject, bold=True, after=8)
    _para(doc, letter.decision)
    if letter.target_exit:
        _para(doc, letter.target_exit, bold=True, after=2)
        _para(doc, letter.target_note or "")

    _heading(doc, head.rgb, "Why the authority made this decision", level=2)
    _para(doc, letter.reason)
    _para(
        doc,
        "The authority's judgement of the four key indicators (1 strong, 2 good, 3 requires improvement, 4 weak):",
    )
    grid = doc.add_table(rows=1, cols=2)
    grid.style = "Table Grid"
    grid.rows[0].cells[0].text, grid.rows[0].cells[1].text = "Key indicator", "Judgement"
    for cell in grid.rows[0].cells:
        cell.paragraphs[0].runs[0].bold = True
    for label, value in letter.judgements:
        cells = grid.add_row().cells
        cells[0].text, cells[1].text = label, value
    _para(doc, "", after=2)

    _heading(doc, head.rgb, f"What {letter.level_name} support provides", level=2)
    _para(doc, letter.level_means)
    for item in letter.provides:
        doc.add_paragraph(item, style="List Bullet")
    _para(doc, letter.provides_note, size=9, colour=GREY)

    _heading(doc, head.rgb, "Who does what at this level", level=2)
    for who, duties in letter.responsibilities.items():
        _para(doc, who, bold=True, after=2)
        for duty in duties:
            doc.add_paragraph(duty, style="List Bullet")
    _para(doc, RESPONSIBILITY_REFS, size=9, colour=GREY)

    _heading(doc, head.rgb, "Who to contact", level=2)
    _para(doc, letter.contact, after=12)
    _para(doc, letter.closing, after=30)
    _para(doc, head.signatory, bold=True, after=0)
    _para(doc, head.signatory_title, after=0)
    _para(doc, head.authority, after=0)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()

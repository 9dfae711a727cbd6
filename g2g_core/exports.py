"""CSV and Excel downloads that are safe to open in a spreadsheet (no formula injection), and say what they are.

A download carries the words of the screen (headers and values), and says what it is and the date it is
"as at": a CSV's first line is a comment (`# Attention flags, as at 15 July 2026`), an Excel workbook's first
row is that title, on a sheet named after it. `export_name` gives the matching file name.

Formulas are neutralised differently per format. In a CSV a cell that a spreadsheet would run as a formula
gets a leading apostrophe (OWASP advice: a CSV has no cell types). In an Excel workbook every value is written
as typed text or number, never as a formula, and a text cell that starts like a formula also carries Excel's
"quote prefix" format, so the cell reads back exactly as shown (`- five hours`) and Excel still treats it as
text if someone edits it.

A page offers its downloads on every rerun, so the files are kept by content: the same frame is written once
(an Excel file of the national attention list takes about half a second to write).
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date, datetime

import polars as pl
import xlsxwriter

# What Excel and LibreOffice may run as a formula: =, +, -, @ (and the full-width forms some locales accept),
# also after leading spaces, and a cell that starts with a tab, carriage return or new line (OWASP CSV injection).
FORMULA_START = r"^(\s*[=+\-@\uff1d\uff0b\uff0d\uff20]|[\t\r\n])"
_FORMULA_RE = re.compile(FORMULA_START)
SHEET_NAME_MAX = 31  # Excel's limit
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\']")


def neutralise(frame: pl.DataFrame) -> pl.DataFrame:
    """Text cells that a spreadsheet would run as a formula get a leading apostrophe (OWASP advice)."""
    text_cols = [c for c, t in frame.schema.items() if t == pl.String]
    return frame.with_columns(
        pl.when(pl.col(c).str.contains(FORMULA_START))
        .then(pl.lit("'") + pl.col(c))
        .otherwise(pl.col(c))
        .alias(c)
        for c in text_cols
    )


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would read this text as the start of a formula."""
    return bool(_FORMULA_RE.match(text))


def day_words(day: date) -> str:
    """A date in words, as on screen: '15 July 2026'."""
    return f"{day:%-d %B %Y}"


def export_title(what: str, as_of: date | None) -> str:
    """What a download is and the date it is as at: 'Attention flags, as at 15 July 2026'."""
    return what if as_of is None else f"{what}, as at {day_words(as_of)}"


def export_name(what: str, as_of: date | None, extension: str) -> str:
    """A file name saying what a download is and its date: 'attention-flags-as-at-2026-07-15.xlsx'."""
    stem = re.sub(r"[^a-z0-9]+", "-", what.lower()).strip("-") or "export"
    if as_of is not None:
        stem += f"-as-at-{as_of.isoformat()}"
    return f"{stem}.{extension.lstrip('.')}"


def sheet_name(what: str) -> str:
    """A valid Excel sheet name for a download (at most 31 characters, no brackets, colons, slashes etc.)."""
    name = _SHEET_FORBIDDEN.sub(" ", what).strip() or "Data"
    return name[:SHEET_NAME_MAX].rstrip()


def _flat(frame: pl.DataFrame) -> pl.DataFrame:
    """Lists of text (a flag's evidence) as one cell, items separated by '; '; other nested values as text."""
    columns = []
    for c, t in frame.schema.items():
        if t == pl.List(pl.String):
            columns.append(pl.col(c).list.join("; "))
        elif t.is_nested():
            columns.append(pl.col(c).map_elements(str, return_dtype=pl.String))
    return frame.with_columns(columns)


_WRITTEN: OrderedDict[tuple, bytes] = OrderedDict()
_WRITTEN_LOCK = threading.Lock()
WRITTEN_KEPT = 16  # files kept, newest first forgotten last


def _by_content(kind: str, frame: pl.DataFrame, write: Callable[[pl.DataFrame], bytes]) -> bytes:
    """The file `write` makes of a frame, written once per content (columns, types, every value in order)."""
    flat = _flat(frame)
    digest = hashlib.sha256(flat.hash_rows(seed=0).to_numpy().tobytes()).hexdigest()
    key = (kind, str(flat.schema), flat.height, digest)
    with _WRITTEN_LOCK:
        if key in _WRITTEN:
            _WRITTEN.move_to_end(key)
            return _WRITTEN[key]
    data = write(flat)
    with _WRITTEN_LOCK:
        _WRITTEN[key] = data
        while len(_WRITTEN) > WRITTEN_KEPT:
            _WRITTEN.popitem(last=False)
    return data


def _dates_in_words(frame: pl.DataFrame) -> pl.DataFrame:
    """Date columns as on screen ('18 May 2026'); spreadsheets read these back as dates."""
    return frame.with_columns(
        pl.col(c).dt.strftime("%-d %B %Y") for c, t in frame.schema.items() if t == pl.Date
    )


def _write_csv(flat: pl.DataFrame, title: str | None) -> bytes:
    flat = _dates_in_words(flat)
    head = ""
    if title:
        head = "# " + " ".join(title.splitlines()) + "\n"
    return b"\xef\xbb\xbf" + (head + neutralise(flat).write_csv()).encode("utf-8")


def _cell_text(value: object) -> str:
    if isinstance(value, datetime):
        return f"{value:%-d %B %Y %H:%M}"
    if isinstance(value, date):
        return day_words(value)
    return str(value)


def _write_xlsx(flat: pl.DataFrame, title: str | None, sheet: str) -> bytes:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(
        buf,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "nan_inf_to_errors": True,
        },
    )
    ws = book.add_worksheet(sheet)
    bold = book.add_format({"bold": True})
    title_format = book.add_format({"bold": True, "font_size": 14})
    quoted = book.add_format({"quote_prefix": True})
    day = book.add_format({"num_format": "d mmmm yyyy", "align": "left"})
    first = 0
    if title:
        ws.write_string(0, 0, title, title_format)
        first = 2  # a blank row between the title and the headers
    widths = [len(c) for c in flat.columns]
    for j, column in enumerate(flat.columns):
        ws.write_string(first, j, column, bold)
    for i, row in enumerate(flat.iter_rows(), start=first + 1):
        for j, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, bool):
                text = "Yes" if value else "No"
                ws.write_string(i, j, text)
            elif isinstance(value, int | float):
                ws.write_number(i, j, value)
                text = str(value)
            elif isinstance(value, date) and not isinstance(value, datetime):
                ws.write_datetime(i, j, datetime(value.year, value.month, value.day), day)
                text = day_words(value)
            else:
                text = _cell_text(value)
                ws.write_string(i, j, text, quoted if looks_like_formula(text) else None)
            widths[j] = max(widths[j], min(len(text), 60))
    for j, width in enumerate(widths):
        ws.set_column(j, j, width + 2)
    ws.freeze_panes(first + 1, 0)
    book.close()
    return buf.getvalue()


def to_csv(frame: pl.DataFrame, title: str | None = None) -> bytes:
    """UTF-8 CSV (with BOM, so Excel reads accents) of a frame, formulas neutralised.

    With a title, the first line is a comment saying what the file is (`# Schools, as at 15 July 2026`) and
    the headers follow on the second line.
    """
    return _by_content(f"csv|{title}", frame, lambda flat: _write_csv(flat, title))


def to_xlsx(frame: pl.DataFrame, title: str | None = None, sheet: str | None = None) -> bytes:
    """An Excel workbook of a frame on one named sheet, the title in its first row; no cell is a formula."""
    name = sheet_name(sheet or title or "Data")
    return _by_content(f"xlsx|{title}|{name}", frame, lambda flat: _write_xlsx(flat, title, name))

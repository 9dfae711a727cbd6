"""Reading a CSV or an xlsx file into a frame of text columns: the one reader of exports and national files.

Both the data contract's loader (`validate.open_source`) and the national imports (`imports`) read files
people upload, so both go through here: every cell as text (types are checked afterwards, with a message
per cell), a workbook opened only after its unpacked size is checked (a zip bomb posing as a workbook), and
a damaged or foreign file refused with a sentence, never an exception from openpyxl or zlib. A failure is a
`SheetError` whose text is the rule the file breaks; the caller names the file.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import polars as pl

XLSX_MAX_UNCOMPRESSED = 200 * 1024 * 1024  # a zip bomb posing as a workbook stops here
T = TypeVar("T")


class SheetError(Exception):
    """A file that cannot be read as its kind; the message is the rule it breaks ("is empty (no header row)")."""


def short(exc: BaseException) -> str:
    """The first line of an exception's text, at most 200 characters."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


def csv_frame(data: bytes) -> pl.DataFrame:
    """UTF-8 CSV bytes as text columns; SheetError when empty. Polars' own errors pass to the caller."""
    if not data.strip():
        raise SheetError("is empty (no header row)")
    return pl.read_csv(data, infer_schema=False, truncate_ragged_lines=False)


def cell_text(cell: object, whole_days: bool = False) -> str | None:
    """A workbook cell as text: ISO dates, whole numbers without ".0", booleans true/false.

    A date-time keeps its time unless it is midnight, or unless `whole_days` asks for the day only.
    """
    if cell is None:
        return None
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, dt.datetime):
        if whole_days or cell.time() == dt.time(0):
            return cell.date().isoformat()
        return cell.isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def read_workbook(source: Path | bytes, read: Callable[[object], T]) -> T:
    """Open an xlsx workbook (read only, values not formulas), hand it to `read`, and close it.

    SheetError when it unpacks to more than `XLSX_MAX_UNCOMPRESSED`, is not a zip, or is a zip that holds no
    workbook or a damaged one (openpyxl lets these through as KeyError, IndexError, zlib.error, ...).
    """
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    opened = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    try:
        with zipfile.ZipFile(opened) as zf:
            if sum(i.file_size for i in zf.infolist()) > XLSX_MAX_UNCOMPRESSED:
                raise SheetError("unpacks to more than 200 MB; refused as unsafe")
    except zipfile.BadZipFile:
        raise SheetError("is not an Excel workbook (.xlsx)") from None
    if isinstance(opened, io.BytesIO):
        opened.seek(0)
    try:
        wb = openpyxl.load_workbook(opened, read_only=True, data_only=True)
        try:
            return read(wb)
        finally:
            wb.close()
    except (KeyError, IndexError, EOFError, zipfile.BadZipFile, zlib.error, InvalidFileException) as exc:
        raise SheetError(f"is not an Excel workbook (.xlsx), or it is damaged ({short(exc)})") from None


def body_rows(rows: Iterator[tuple], whole_days: bool = False) -> list[list[str | None]]:
    """The rows left in a sheet, as text, without the wholly empty ones."""
    return [[cell_text(c, whole_days) for c in r] for r in rows if any(c is not None for c in r)]


def text_frame(header: list[str], body: list[list[str | None]]) -> pl.DataFrame:
    """A frame of text columns named `header`, each row cut or padded to its width."""
    width = len(header)
    body = [(r + [None] * width)[:width] for r in body]
    return pl.DataFrame(body, schema=dict.fromkeys(header, pl.String), orient="row")


def first_sheet(wb) -> pl.DataFrame:
    """A workbook's first sheet, its first row the header (a blank header cell becomes `column_<n>`)."""
    rows = wb.worksheets[0].iter_rows(values_only=True)
    header = next(rows, None)
    if not header:
        raise SheetError("has no header row in its first sheet")
    names = [str(h).strip() if h is not None else f"column_{i + 1}" for i, h in enumerate(header)]
    return text_frame(names, body_rows(rows))


def read_xlsx(source: Path | bytes) -> pl.DataFrame:
    """The first sheet of an xlsx workbook as text columns (see `read_workbook` for what is refused)."""
    return read_workbook(source, first_sheet)

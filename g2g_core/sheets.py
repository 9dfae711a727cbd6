"""Reading a CSV or an xlsx file into a frame of text columns: the one reader of exports and national files.

Both the data contract's loader (`validate.open_source`) and the national imports (`imports`) read files
people upload, so both go through here: every cell as text (types are checked afterwards, with a message
per cell), a workbook opened only after its unpacked size is checked (a zip bomb posing as a workbook), and
a damaged or foreign file refused with a sentence, never an exception from openpyxl or zlib. A failure is a
`SheetError` whose text is the rule the file breaks; the caller names the file.

The work a file may cost is bounded before the expensive parse, by settings (`G2G_MAX_UPLOAD_ROWS`,
`G2G_MAX_UPLOAD_COLUMNS`, `G2G_MAX_UNPACKED_MB`), and the refusal names the limit: a CSV's header line is
counted before polars reads it and its lines counted as bytes; a Parquet file's footer gives its rows, columns
and decompressed size before DuckDB reads it; a workbook's members are sized in the zip directory, its sheet's
declared dimension checked, and its rows counted as they stream (openpyxl pads every row to the declared width,
so a 0.5 MB file of empty rows declared 16,384 columns wide holds billions of cells).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import polars as pl

from g2g_core.settings import settings

T = TypeVar("T")


class SheetError(Exception):
    """A file that cannot be read as its kind; the message is the rule it breaks ("is empty (no header row)")."""


def short(exc: BaseException) -> str:
    """The first line of an exception's text, at most 200 characters."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


@dataclass(frozen=True)
class Limits:
    """The most one file may hold, from the settings in force (read at each call)."""

    rows: int
    columns: int
    unpacked_bytes: int

    @classmethod
    def now(cls) -> Limits:
        """The limits as the settings say now."""
        s = settings()
        return cls(s.max_upload_rows, s.max_upload_columns, s.max_unpacked_mb * 1024 * 1024)

    def check_rows(self, rows: int, counted: str = "rows") -> None:
        """SheetError naming the limit when `rows` is over it."""
        if rows > self.rows:
            raise SheetError(
                f"has {rows:,} {counted}; the limit is {self.rows:,} rows a file (G2G_MAX_UPLOAD_ROWS); "
                "split the file or ask the administrator to raise the limit"
            )

    def check_columns(self, columns: int) -> None:
        """SheetError naming the limit when `columns` is over it."""
        if columns > self.columns:
            raise SheetError(
                f"has {columns:,} columns; the limit is {self.columns:,} columns a file "
                "(G2G_MAX_UPLOAD_COLUMNS)"
            )

    def check_unpacked(self, size: int, what: str) -> None:
        """SheetError naming the limit when a file's unpacked `size` is over it."""
        if size > self.unpacked_bytes:
            raise SheetError(
                f"{what} {size / 1048576:,.0f} MB; the limit is {self.unpacked_bytes / 1048576:g} MB "
                "(G2G_MAX_UNPACKED_MB); refused as unsafe"
            )


def check_csv_shape(data: bytes, limits: Limits | None = None) -> None:
    """Refuse a CSV with more columns in its header, or more lines, than the limits, before it is parsed."""
    limits = limits or Limits.now()
    end = data.find(b"\n")
    header = data if end < 0 else data[:end]
    columns = header.count(b",") + 1
    if columns > limits.columns:  # commas inside quoted names are rare: count exactly before refusing
        columns = len(next(csv.reader([header.decode("utf-8", "replace")]), []))
    limits.check_columns(columns)
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1) - 1  # less the header
    limits.check_rows(lines, "lines after its header")


def check_parquet_shape(source: Path | bytes, limits: Limits | None = None) -> None:
    """Refuse a Parquet file whose footer declares more rows, columns or decompressed data than the limits.

    Only the footer is read (pyarrow's metadata), so a file of 60 million rows is refused in milliseconds.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    limits = limits or Limits.now()
    try:
        meta = pq.ParquetFile(
            io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
        ).metadata
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise SheetError(f"could not be read as a parquet file ({short(exc)})") from None
    limits.check_columns(meta.num_columns)
    limits.check_rows(meta.num_rows)
    unpacked = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    limits.check_unpacked(unpacked, "decompresses to")


def csv_frame(data: bytes) -> pl.DataFrame:
    """UTF-8 CSV bytes as text columns; SheetError when empty or over the limits. Polars' errors pass on."""
    if not data.strip():
        raise SheetError("is empty (no header row)")
    check_csv_shape(data)
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

    SheetError when it unpacks to more than `G2G_MAX_UNPACKED_MB`, is not a zip, or is a zip that holds no
    workbook or a damaged one (openpyxl lets these through as KeyError, IndexError, zlib.error, and broken
    XML as a SyntaxError).
    """
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    opened = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    try:
        with zipfile.ZipFile(opened) as zf:
            Limits.now().check_unpacked(sum(i.file_size for i in zf.infolist()), "unpacks to")
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
    except (
        KeyError,
        IndexError,
        EOFError,
        zipfile.BadZipFile,
        zlib.error,
        InvalidFileException,
        SyntaxError,  # broken XML: xml.etree's ParseError and lxml's XMLSyntaxError are both SyntaxErrors
    ) as exc:
        raise SheetError(f"is not an Excel workbook (.xlsx), or it is damaged ({short(exc)})") from None


def sheet_rows(ws) -> Iterator[tuple]:
    """A worksheet's rows as values, refused (SheetError naming the limit) past the row or column limits.

    The sheet's declared dimension is checked first (openpyxl pads to it), then every row as it streams in.
    """
    limits = Limits.now()
    if ws.max_column:
        limits.check_columns(ws.max_column)
    if ws.max_row:
        limits.check_rows(ws.max_row - 1, "rows after its header")
    for n, row in enumerate(ws.iter_rows(values_only=True)):
        limits.check_columns(len(row))
        limits.check_rows(n, "rows after its header")
        yield row


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
    rows = sheet_rows(wb.worksheets[0])
    header = next(rows, None)
    if not header:
        raise SheetError("has no header row in its first sheet")
    names = [str(h).strip() if h is not None else f"column_{i + 1}" for i, h in enumerate(header)]
    return text_frame(names, body_rows(rows))


def read_xlsx(source: Path | bytes) -> pl.DataFrame:
    """The first sheet of an xlsx workbook as text columns (see `read_workbook` for what is refused)."""
    return read_workbook(source, first_sheet)

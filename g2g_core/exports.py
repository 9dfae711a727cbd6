"""CSV and Excel downloads that are safe to open in a spreadsheet (no formula injection).

A page offers its downloads on every rerun, so the files are kept by content: the same frame is written once
(an Excel file of the national attention list takes about half a second to write).
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections import OrderedDict
from collections.abc import Callable

import polars as pl

# What Excel and LibreOffice may run as a formula: =, +, -, @ (and the full-width forms some locales accept),
# also after leading spaces, and a cell that starts with a tab, carriage return or new line (OWASP CSV injection).
FORMULA_START = r"^(\s*[=+\-@\uff1d\uff0b\uff0d\uff20]|[\t\r\n])"


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


def _write_csv(flat: pl.DataFrame) -> bytes:
    return b"\xef\xbb\xbf" + neutralise(flat).write_csv().encode("utf-8")


def _write_xlsx(flat: pl.DataFrame) -> bytes:
    buf = io.BytesIO()
    neutralise(flat).write_excel(buf, autofit=True)
    return buf.getvalue()


def to_csv(frame: pl.DataFrame) -> bytes:
    """UTF-8 CSV (with BOM, so Excel reads accents) of a frame, formulas neutralised."""
    return _by_content("csv", frame, _write_csv)


def to_xlsx(frame: pl.DataFrame) -> bytes:
    """An Excel workbook of a frame, formulas neutralised and written as text."""
    return _by_content("xlsx", frame, _write_xlsx)

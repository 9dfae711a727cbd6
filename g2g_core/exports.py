"""CSV and Excel downloads that are safe to open in a spreadsheet (no formula injection)."""

from __future__ import annotations

import io

import polars as pl

FORMULA_START = r"^[=+\-@\t\r]"  # what Excel and LibreOffice treat as the start of a formula


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
    nested = [c for c, t in frame.schema.items() if t.is_nested()]
    return frame.with_columns(pl.col(c).map_elements(str, return_dtype=pl.String) for c in nested)


def to_csv(frame: pl.DataFrame) -> bytes:
    """UTF-8 CSV (with BOM, so Excel reads accents) of a frame, formulas neutralised."""
    return b"\xef\xbb\xbf" + neutralise(_flat(frame)).write_csv().encode("utf-8")


def to_xlsx(frame: pl.DataFrame) -> bytes:
    """An Excel workbook of a frame, formulas neutralised and written as text."""
    buf = io.BytesIO()
    neutralise(_flat(frame)).write_excel(buf, autofit=True)
    return buf.getvalue()

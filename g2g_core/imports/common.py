"""What both national imports share: their result, and reading a publisher's file into text columns."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from g2g_core.datadir import Version
from g2g_core.sheets import SheetError, csv_frame
from g2g_core.validate import Problem

RENEWED_FROM = date(2025, 11, 10)  # the renewed Ofsted framework's first day (SPEC §1.4)
NULL_WORDS = {"", "null", "n/a", "na"}  # how the MI writes "nothing here"


@dataclass
class ImportResult:
    """What a national file became: contract frames by table, a summary for people, and every problem."""

    tables: dict[str, pl.DataFrame] = field(default_factory=dict)
    summary: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Imported:
    """A national import that went live: what it did, and the new version."""

    summary: list[str]
    version: Version


def norm(name: object) -> str:
    """A header as compared: spaces collapsed, trimmed, case folded (Ofsted's double space tolerated)."""
    return " ".join(str(name).split()).casefold()


def blank(value: object) -> str | None:
    """A cell's text, or None for an empty cell (or the MI's NULL)."""
    if value is None:
        return None
    text = str(value).strip()
    return None if text.casefold() in NULL_WORDS else text


def source_bytes(source: bytes | Path, label: str) -> bytes | Problem:
    """The file's bytes, or a Problem saying why they cannot be read."""
    if isinstance(source, bytes | bytearray):
        return bytes(source)
    try:
        return Path(source).read_bytes()
    except FileNotFoundError:
        return Problem(label, None, None, None, "could not be found (was it moved or deleted?)")
    except OSError as exc:
        return Problem(label, None, None, None, f"could not be read ({exc.strerror or exc})")


def decode_windows_1252(data: bytes, label: str, publisher: str) -> str | Problem:
    """The text of a Windows-1252 file, or a Problem saying which encoding it seems to be in instead.

    Pure ASCII is valid in every encoding and accepted. A byte-order mark or NUL bytes mean UTF-8 with a
    BOM or UTF-16 (what Excel's "Unicode text" and "CSV UTF-8" write). Non-ASCII bytes that are all valid
    UTF-8 mean a UTF-8 file: decoding it as Windows-1252 would not fail but would turn "é" into "Ã©", so it
    is refused rather than imported garbled.
    """
    fix = f"{publisher} publishes this file in Windows-1252: import the file as downloaded, not re-saved"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        return Problem(label, None, None, None, f"is UTF-16 text, not Windows-1252; {fix}")
    if data.startswith(b"\xef\xbb\xbf"):
        return Problem(label, None, None, None, f"is UTF-8 text (it starts with a byte-order mark); {fix}")
    if not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return Problem(
                label,
                None,
                None,
                None,
                f"is UTF-8 text (accented letters are written as two bytes), not Windows-1252; {fix}",
            )
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start)  # 0 = the header
        return Problem(
            label,
            line or None,
            None,
            f"byte 0x{data[exc.start]:02X}",
            f"is not a Windows-1252 character (at byte {exc.start}); {fix}",
        )


def read_csv_text(text: str, label: str) -> pl.DataFrame | Problem:
    """A publisher's CSV (already decoded) as text columns, numbered from row 1; a Problem if unreadable."""
    try:
        frame = csv_frame(text.encode("utf-8"))
    except SheetError as exc:
        return Problem(label, None, None, None, str(exc))
    except (pl.exceptions.PolarsError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return Problem(label, None, None, None, f"could not be read as CSV ({first[:200]})")
    return frame.with_row_index("__row", offset=1).with_columns(pl.col("__row").cast(pl.Int64))


def dedupe(names: list[str]) -> list[str]:
    """Header names made unique: a repeated name gets ' (2)', ' (3)', ..."""
    seen: Counter[str] = Counter()
    out = []
    for n in names:
        seen[n] += 1
        out.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    return out


def find_columns(
    frame: pl.DataFrame, needed: tuple[str, ...], optional: tuple[str, ...], label: str, what: str
) -> dict[str, str] | list[Problem]:
    """Map each needed (and optional) column name to the file's own header, by name; problems if missing."""
    by_norm: dict[str, str] = {}
    for col in frame.columns:
        by_norm.setdefault(norm(col), col)
    missing = [n for n in needed if norm(n) not in by_norm]
    if missing:
        return [
            Problem(
                label,
                None,
                n,
                None,
                f"column is missing (the {what} must have it; columns are found by name)",
            )
            for n in missing
        ]
    return {n: by_norm[norm(n)] for n in (*needed, *optional) if norm(n) in by_norm}


def date_of(text: str | None) -> date | None:
    """A dd/mm/yyyy or ISO date (with or without a midnight time); None if it is neither. Raises nothing."""
    if text is None:
        return None
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    try:
        if m:
            return date(int(m[3]), int(m[2]), int(m[1]))
        m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00(?::00(?:\.0+)?)?)?", text)
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
    return None


def urn_of(text: str | None) -> int | None:
    """A URN (1 to 9 digits, above 0), or None."""
    if text is None or not re.fullmatch(r"\d{1,9}", text):
        return None
    value = int(text)
    return value if value > 0 else None

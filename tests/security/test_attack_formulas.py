"""Spreadsheet formula injection: officers open the CSV and Excel downloads in Excel.

A cell whose text begins with `=`, `+`, `-`, `@`, a tab or a carriage return (or their full-width forms,
which some Excel locales also read as formulas, or any of these after leading spaces) would run as a formula:
`=HYPERLINK(...)` phishing, `=cmd|' /C calc'!A0` DDE. Every download must neutralise such cells.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import openpyxl
import polars as pl

from g2g_core.exports import neutralise, to_csv, to_xlsx

PAYLOADS = [
    '=HYPERLINK("https://evil.example","Click for the report")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
    "＝1+1",
    "＋1",
    "－1",
    "＠SUM(A1)",
]
SAFE = ["Nolbbrook School", "a=b", "1-2", "email@example.com", "", None]
TRIGGER = re.compile(r"^\s*[=+\-@\t\r＝＋－＠]")


def hostile_frame() -> pl.DataFrame:
    texts = PAYLOADS + SAFE
    return pl.DataFrame(
        {
            "urn": list(range(900001, 900001 + len(texts))),
            "name": texts,
            "change": [-5] * len(texts),
            "evidence": [[t or "x", "=1+1"] for t in texts],
        }
    )


def csv_cells(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_every_formula_cell_of_a_csv_download_is_neutralised():
    """Attack: school names (and list columns) that begin with a formula trigger.

    Expected: in the CSV every such cell starts with an apostrophe, so Excel shows it as text; others are
    unchanged.
    """
    rows = csv_cells(to_csv(hostile_frame()))
    names = [r["name"] for r in rows]
    for shown, original in zip(names, PAYLOADS + SAFE, strict=True):
        if original and TRIGGER.match(original):
            assert shown.startswith("'"), shown
        else:
            assert shown == (original or "")
    assert all(not TRIGGER.match(r["evidence"]) for r in rows)


def test_numbers_stay_numbers_in_a_csv_download():
    """Attack: none; a negative number is not a formula. Expected: numeric columns are written as numbers."""
    rows = csv_cells(to_csv(hostile_frame()))
    assert {r["change"] for r in rows} == {"-5"}


def test_an_excel_download_holds_no_formula_and_no_cell_that_starts_like_one():
    """Attack: as above, in the Excel download.

    Expected: no cell is a formula, and every text cell that began with a trigger starts with an
    apostrophe.
    """
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(hostile_frame())))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    formulas = [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    for row in sheet.iter_rows(min_row=2, values_only=True):
        for column, value in zip(header, row, strict=True):
            if isinstance(value, str):
                assert not TRIGGER.match(value), (column, value)
            elif column == "change":
                assert value == -5


def test_neutralise_is_idempotent_enough_to_run_twice():
    """Attack: none; a frame neutralised twice (a page and the core both calling it).

    Expected: no cell ever starts with a trigger.
    """
    twice = neutralise(neutralise(hostile_frame().drop("evidence")))
    assert not any(TRIGGER.match(v or "") for v in twice["name"])


def test_every_download_in_the_app_goes_through_the_safe_exports():
    """Attack: a page that writes its own CSV or workbook bypasses the neutralising.

    Expected: no page or ui module calls write_csv or write_excel itself.
    """
    root = Path(__file__).resolve().parents[2]
    sources = [p for d in ("app_pages", "ui") for p in (root / d).glob("*.py")] + [root / "app.py"]
    offenders = [
        str(p.relative_to(root))
        for p in sources
        if re.search(r"\.write_(csv|excel)\(|csv\.writer|DictWriter", p.read_text(encoding="utf-8"))
    ]
    assert offenders == []

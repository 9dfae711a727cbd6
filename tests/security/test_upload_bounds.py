"""Issue 19 item 7: inputs that cost minutes or gigabytes, or fail without a word.

Each hostile file is built here, smaller than the one the outside attack used wherever the property is the
same (the limits are lowered through their settings where that keeps the file small). Each is refused with a
message naming the limit, before the expensive parse, the refusal is in the audit log, and nothing changes.
Text the outputs cannot carry (control characters, names longer than titles can hold) is refused by the
contract with the usual file/row/column/value message.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from g2g_core.access import Viewer
from g2g_core.audit import audit_log
from g2g_core.datadir import Upload, UploadError, publish
from g2g_core.imports import import_ofsted

DIRECTOR = Viewer("director", "director", None)
MAX_NAME_CHARS = 200  # the contract's longest name (g2g_core.schema.MAX_NAME_CHARS; SECURITY.md)
AS_OF = date(2026, 5, 18)


def refused(demo_dir: Path, upload: Upload, *words: str) -> str:
    """Publish one upload; expect a refusal naming every one of `words`, and an audit entry saying so."""
    before = (demo_dir / "CURRENT").read_text() if (demo_dir / "CURRENT").exists() else None
    with pytest.raises(UploadError) as caught:
        publish(demo_dir, [upload], DIRECTOR)
    message = str(caught.value)
    for word in words:
        assert word.lower() in message.lower(), message
    entries = audit_log(demo_dir).read(DIRECTOR, action="upload_refused")
    assert entries.height >= 1, "the refusal is not in the audit log"
    assert words[0].lower() in entries["detail"][0].lower(), entries["detail"][0]
    after = (demo_dir / "CURRENT").read_text() if (demo_dir / "CURRENT").exists() else None
    assert after == before, "the live version changed"
    return message


def parquet_bytes(frame: pl.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.write_parquet(buf)
    return buf.getvalue()


def test_a_parquet_file_of_millions_of_rows_is_refused_from_its_footer(demo_dir):
    """The attack and what is expected.

    Attack: a tiny Parquet file (one repeated row, dictionary-encoded) that declares 3 million valid rows
    of adviser hours (the attack used 60 million: 154 KB that became 3.6 GB once published). Expected:
    refused from the footer's row count, naming G2G_MAX_UPLOAD_ROWS; the audit log has it.
    """
    one = pl.read_parquet(demo_dir / "hours.parquet").head(1)
    hostile = one.select(pl.all().repeat_by(3_000_000).explode())
    data = parquet_bytes(hostile)
    assert len(data) < 1_000_000  # small on the wire
    message = refused(demo_dir, Upload("hours", "hours.parquet", data), "G2G_MAX_UPLOAD_ROWS", "3,000,000")
    assert "1,000,000 rows" in message


def test_a_csv_with_a_hundred_thousand_columns_is_refused_before_it_is_parsed(demo_dir):
    """The attack and what is expected.

    Attack: a CSV whose header has 10⁵ columns (the attack used 10⁶: 9.9 MB, 3.7 GB, past 300 s).
    Expected: refused from its header line, naming G2G_MAX_UPLOAD_COLUMNS.
    """
    header = ",".join(f"c{i}" for i in range(100_000))
    data = (header + "\n" + ",".join("1" for _ in range(100_000)) + "\n").encode()
    refused(demo_dir, Upload("schools", "schools.csv", data), "G2G_MAX_UPLOAD_COLUMNS", "100,000 columns")


def test_a_csv_of_too_many_lines_is_refused_before_it_is_parsed(demo_dir, monkeypatch):
    """Attack: a CSV with more lines than the row limit (lowered here to keep the file small)."""
    monkeypatch.setenv("G2G_MAX_UPLOAD_ROWS", "1000")
    lines = "urn,date,adviser,activity,hours\n" + "900001,2026-01-05,lama.ashworth,visit,1\n" * 1500
    refused(demo_dir, Upload("hours", "hours.csv", lines.encode()), "G2G_MAX_UPLOAD_ROWS", "1,500")


def workbook(rows: list[list[object]], title: str = "Sheet") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rewrite_sheet(data: bytes, change) -> bytes:
    """The workbook with its first sheet's XML passed through `change`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = change(body.decode()).encode()
            dst.writestr(item, body)
    return out.getvalue()


def test_a_workbook_that_declares_a_huge_sheet_is_refused_before_its_rows_are_read(demo_dir, monkeypatch):
    """The attack and what is expected.

    Attack: a small xlsx whose sheet declares 200 000 rows by 100 columns (openpyxl pads every row to the
    declared width: the attack's 0.5 MB file took 154 s and ~1 GB). Expected:
    refused from the declared dimension, naming the limit.
    """
    monkeypatch.setenv("G2G_MAX_UPLOAD_ROWS", "10000")
    data = rewrite_sheet(
        workbook([["urn", "name"], [900001, "A school"]]),
        lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:CV200000"', xml),
    )
    refused(demo_dir, Upload("schools", "schools.xlsx", data), "G2G_MAX_UPLOAD_ROWS", "199,999")


def test_a_workbook_row_wider_than_the_limit_is_refused_as_it_streams(demo_dir):
    """Attack: no dimension, one cell in the last column (XFD: 16 384 columns a row). Expected: refused."""
    data = rewrite_sheet(
        workbook([["urn", "name"], [900001, "A school"]]),
        lambda xml: re.sub(r"<dimension[^>]*/>", "", xml).replace(
            "</row></sheetData>", '<c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
        ),
    )
    refused(demo_dir, Upload("schools", "schools.xlsx", data), "G2G_MAX_UPLOAD_COLUMNS", "16,384")


def test_a_workbook_that_unpacks_past_the_limit_is_refused_before_it_is_opened(demo_dir, monkeypatch):
    """Attack: a workbook that unpacks to more than G2G_MAX_UNPACKED_MB (lowered to 1 MB here)."""
    monkeypatch.setenv("G2G_MAX_UNPACKED_MB", "1")
    data = rewrite_sheet(
        workbook([["urn", "name"], [900001, "A school"]]),
        lambda xml: xml.replace("<sheetData>", "<sheetData>" + "<!--" + " " * 3_000_000 + "-->"),
    )
    assert len(data) < 100_000
    refused(demo_dir, Upload("schools", "schools.xlsx", data), "G2G_MAX_UNPACKED_MB")


def test_a_workbook_with_broken_xml_is_refused_with_a_sentence_and_audited(demo_dir):
    """Attack: an xlsx whose sheet XML is cut off. Expected: "damaged", not an exception; audited."""
    data = rewrite_sheet(workbook([["urn", "name"], [900001, "A school"]]), lambda xml: xml[: len(xml) // 2])
    refused(demo_dir, Upload("schools", "schools.xlsx", data), "damaged")


def test_an_ofsted_workbook_with_broken_xml_is_refused_and_audited(demo_dir):
    """The national import goes through the same reader: refused with a sentence and audited."""
    sheet = workbook([["URN", "x"], [900001, "y"]], title="Most recent inspections")
    data = rewrite_sheet(sheet, lambda xml: xml[: len(xml) // 2])
    with pytest.raises(UploadError) as caught:
        import_ofsted(demo_dir, data, DIRECTOR, name="mi.xlsx")
    assert "damaged" in str(caught.value) or "Excel" in str(caught.value), str(caught.value)
    entries = audit_log(demo_dir).read(DIRECTOR, action="upload_refused")
    assert entries.height == 1 and "mi.xlsx" in entries["detail"][0]


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("name", "Vorrton\x0bPrimary", "control character"),
        ("headteacher", "Ms \x1b[31mRed", "control character"),
        ("name", "N" * (MAX_NAME_CHARS + 1), f"at most {MAX_NAME_CHARS} characters"),
    ],
    ids=["vertical-tab-in-name", "escape-in-headteacher", "overlong-name"],
)
def test_text_the_outputs_cannot_carry_is_refused_with_file_row_column_value(demo_dir, column, value, words):
    """The attack and what is expected.

    Attack: a school name over 192 characters, or a vertical tab or ESC pasted from Word, made the
    PowerPoint pack fail with no file and no message. Expected: the contract refuses them, naming the row,
    the column and the value (the rule is documented in SECURITY.md).
    """
    frame = pl.read_parquet(demo_dir / "schools.parquet")
    frame = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == 2).then(pl.lit(value)).otherwise(pl.col(column)).alias(column)
    )
    message = refused(demo_dir, Upload("schools", "schools.parquet", parquet_bytes(frame)), words)
    assert "row 3" in message and f"column '{column}'" in message, message


def test_a_name_at_the_limit_and_text_with_tabs_and_line_breaks_still_make_a_pack(demo_dir):
    """The attack and what is expected.

    What the contract accepts, every output carries: a name of the longest allowed length, with a tab and a
    line break in a reason, builds both packs (the PowerPoint's title is shortened with an ellipsis).
    """
    from pptx import Presentation

    from g2g_core.packs import build_pack
    from g2g_core.store import load_store

    frame = pl.read_parquet(demo_dir / "schools.parquet")
    long_name = ("Saint " * 40)[: MAX_NAME_CHARS - 1] + "Z"
    urn = frame["urn"][0]
    frame = frame.with_columns(
        pl.when(pl.col("urn") == urn).then(pl.lit(long_name)).otherwise(pl.col("name")).alias("name")
    )
    publish(demo_dir, [Upload("schools", "schools.parquet", parquet_bytes(frame))], DIRECTOR)
    store = load_store(demo_dir)
    pptx = build_pack(store, Viewer.system(), urn, AS_OF, "pptx")
    pdf = build_pack(store, Viewer.system(), urn, AS_OF, "pdf")
    assert pdf.startswith(b"%PDF")
    deck = Presentation(io.BytesIO(pptx))
    assert long_name in deck.slides[0].shapes.title.text_frame.text
    assert len(deck.core_properties.title) <= 255

"""Hostile and broken uploads, at the core (`g2g_core.datadir.publish` and `check_upload`).

Each upload is refused with a clear message naming the file, nothing is written outside the staging
folder (which is removed afterwards), and the live data are byte-for-byte what they were.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import polars as pl
import pytest

from g2g_core import datadir
from g2g_core.access import Viewer
from g2g_core.datadir import Upload, UploadError, check_upload, publish
from g2g_core.store import load_store

DIRECTOR = Viewer("director", "director", None)


def snapshot(root: Path) -> dict[str, str]:
    """Every file under a directory and its SHA-256, leaving out the audit log and the lock file."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "audit" not in p.parts and p.name != ".lock"
    }


def schools_bytes(demo_dir: Path) -> bytes:
    return (demo_dir / "schools.parquet").read_bytes()


def refuse(demo_dir: Path, upload: Upload, words: str) -> str:
    """Publish one upload, expect a refusal mentioning `words`, and check nothing changed anywhere."""
    outside = demo_dir.parent
    before, around = snapshot(demo_dir), {p.name for p in outside.iterdir()}
    with pytest.raises(UploadError) as caught:
        publish(demo_dir, [upload], DIRECTOR)
    message = str(caught.value)
    assert words.lower() in message.lower(), message
    assert snapshot(demo_dir) == before, "the live data changed"
    assert {p.name for p in outside.iterdir()} == around, "something was written outside the data directory"
    staging = demo_dir / datadir.STAGING_DIR
    assert not staging.exists() or not any(staging.iterdir()), "a staging folder was left behind"
    return message


def xlsx_of(frame: pl.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.write_excel(buf)
    return buf.getvalue()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(demo_dir, monkeypatch):
    """Attack: a file larger than the limit. Expected: refused, naming the limit; nothing parsed or written."""
    monkeypatch.setattr(datadir, "max_upload_bytes", lambda: 1024)
    message = refuse(demo_dir, Upload("schools", "schools.parquet", schools_bytes(demo_dir)), "limit")
    assert "schools.parquet" in message


@pytest.mark.parametrize(
    "name", ["schools.exe", "schools", "schools.parquet.sh", "schools.json", ".parquet.txt"]
)
def test_a_file_of_the_wrong_type_is_refused(demo_dir, name):
    """Attack: a file whose name is not .parquet, .csv or .xlsx. Expected: refused as the wrong type."""
    refuse(demo_dir, Upload("schools", name, schools_bytes(demo_dir)), "wrong type")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("schools.parquet", b"urn,name\n1,A\n"),
        ("schools.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100),
        ("schools.csv", b"PAR1" + b"\x00" * 100 + b"PAR1"),
        ("schools.csv", b"PK\x03\x04" + b"\x00" * 100),
        ("schools.parquet", b"PAR1" + b"\x00" * 100),
    ],
    ids=["csv-as-parquet", "png-as-xlsx", "parquet-as-csv", "zip-as-csv", "truncated-parquet"],
)
def test_a_file_whose_contents_lie_about_its_type_is_refused(demo_dir, name, data):
    """Attack: a file whose extension lies about its contents, or a truncated Parquet file.

    Expected: refused before any parser reads it.
    """
    assert check_upload(Upload("schools", name, data))
    refuse(demo_dir, Upload("schools", name, data), "schools.")


def test_a_parquet_file_with_bytes_flipped_in_the_middle_is_refused(demo_dir):
    """Attack: a Parquet file corrupted mid-file (DuckDB raises its base error class).

    Expected: refused with a message, no exception of another kind.
    """
    data = bytearray(schools_bytes(demo_dir))
    for i in range(len(data) // 3, len(data) // 3 + 64):
        data[i] ^= 0xFF
    refuse(demo_dir, Upload("schools", "schools.parquet", bytes(data)), "schools.parquet")


def test_a_zip_bomb_posing_as_a_workbook_is_refused(demo_dir):
    """Attack: an .xlsx that unpacks to 300 MB (a few hundred KB on the wire).

    Expected: refused as unsafe from the archive's directory, without unpacking it.
    """
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = b"\x00" * (1 << 20)
            for _ in range(300):
                member.write(block)
    assert len(buf.getvalue()) < 2_000_000
    refuse(demo_dir, Upload("schools", "schools.xlsx", buf.getvalue()), "unsafe")


def test_a_zip_that_is_not_a_workbook_is_refused_with_a_message(demo_dir):
    """Attack: an ordinary zip archive renamed .xlsx (right magic bytes, no workbook inside).

    Expected: UploadError 'is not an Excel workbook', not a KeyError from openpyxl reaching the page.
    """
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "not a workbook")
    refuse(demo_dir, Upload("schools", "schools.xlsx", buf.getvalue()), "Excel")


def test_a_workbook_with_a_corrupt_member_is_refused_with_a_message(demo_dir):
    """Attack: a real workbook with bytes flipped inside its compressed sheet (CRC mismatch).

    Expected: UploadError with a message, not zlib.error (or BadZipFile) reaching the page.
    """
    frame = pl.read_parquet(demo_dir / "schools.parquet")
    data = bytearray(xlsx_of(frame))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 20
    for i in range(start, start + 40):
        data[i] ^= 0x55
    refuse(demo_dir, Upload("schools", "schools.xlsx", bytes(data)), "schools.xlsx")


@pytest.mark.parametrize(
    "name",
    [
        "../../../CURRENT.parquet",
        "..\\..\\evil.parquet",
        "/etc/passwd.parquet",
        "history/../../x.parquet",
        "sch\x00ools.parquet",
        "a" * 5000 + ".parquet",
    ],
    ids=["dotdot", "backslashes", "absolute", "history", "nul", "long"],
)
def test_a_file_name_with_a_path_in_it_is_never_used_as_a_path(demo_dir, name):
    """Attack: an upload named with `../`, backslashes, an absolute path, NUL or 5,000 characters.

    Expected: the data are stored under a name the app chooses (schools.parquet in a new version), nothing
    is written outside the data directory, and what is shown and recorded is the name's last part only.
    """
    outside = demo_dir.parent
    around = {p.name for p in outside.iterdir()}
    version = publish(demo_dir, [Upload("schools", name, schools_bytes(demo_dir))], DIRECTOR)
    assert {p.name for p in outside.iterdir()} == around
    folder = demo_dir / "history" / version.id
    assert (folder / "schools.parquet").read_bytes() == schools_bytes(demo_dir)
    assert all(p.parent == folder for p in folder.rglob("*"))
    source = version.files["schools"]["source"]
    assert "/" not in source and "\\" not in source and "\x00" not in source and len(source) <= 120


def test_an_empty_file_is_refused(demo_dir):
    """Attack: a zero-byte upload. Expected: refused as empty."""
    refuse(demo_dir, Upload("schools", "schools.csv", b""), "empty")


def test_a_csv_in_windows_1252_is_refused_with_advice(demo_dir):
    """Attack: none; a CSV saved by Excel in Windows-1252 (accents).

    Expected: refused as not UTF-8, telling the uploader to save it as CSV UTF-8.
    """
    frame = pl.read_parquet(demo_dir / "schools.parquet").with_columns(
        pl.lit("École Saint-Étienne").alias("name")
    )
    data = frame.write_csv().encode("cp1252")
    refuse(demo_dir, Upload("schools", "schools.csv", data), "UTF-8")


@pytest.mark.parametrize(
    "data",
    [
        b"urn,name\n1,A,extra,extra\n",
        b"\xef\xbb\xbf",
        b"\n\n\n",
        b'"unterminated\n1,2\n',
        b"urn\n" + b"9" * 100,
    ],
    ids=["ragged", "bom-only", "blank-lines", "unterminated-quote", "huge-number"],
)
def test_a_broken_csv_is_refused_with_a_message(demo_dir, data):
    """Attack: a ragged, blank, BOM-only, badly quoted or absurd CSV.

    Expected: UploadError, never another exception.
    """
    refuse(demo_dir, Upload("schools", "schools.csv", data), "schools.csv")


@pytest.mark.parametrize("table", ["../schools", "schools; DROP", "SCHOOLS", ""])
def test_an_upload_for_a_table_that_does_not_exist_is_refused(demo_dir, table):
    """Attack: a table name that is a path or SQL. Expected: refused as not a table of the contract."""
    refuse(demo_dir, Upload(table, "schools.parquet", schools_bytes(demo_dir)), "not a table")


@pytest.mark.parametrize("role", ["adviser", "head", "governor", "none"])
def test_only_a_director_may_publish(demo_dir, role):
    """Attack: publish as anyone but a director (the core is reachable from more than the Data page).

    Expected: PermissionError, nothing changed.
    """
    before = snapshot(demo_dir)
    with pytest.raises(PermissionError):
        publish(
            demo_dir, [Upload("schools", "schools.parquet", schools_bytes(demo_dir))], Viewer("x", role, None)
        )
    assert snapshot(demo_dir) == before


def test_a_valid_upload_after_all_those_still_works(demo_dir):
    """Attack: none; the control case. Expected: a valid upload goes live and loads."""
    version = publish(demo_dir, [Upload("schools", "schools.parquet", schools_bytes(demo_dir))], DIRECTOR)
    store = load_store(demo_dir)
    try:
        assert store.live.name == version.id
    finally:
        store.con.close()

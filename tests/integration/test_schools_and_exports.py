"""The Schools list and the downloads in words (issue 15), on the demo borough as at 18 May 2026.

The list is checked against our own DuckDB query over the Parquet files; the downloads are read back with
openpyxl and the csv module.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pytest

from g2g_core import attention, schools_list
from g2g_core.access import Viewer, viewer_for
from g2g_core.exports import export_name, export_title, to_csv, to_xlsx
from g2g_core.store import open_store
from g2g_core.views import Filters

AS_OF = date(2026, 5, 18)
CODES = ("intensive_a", "intensive_b", "ESC_", "EXIT_", "eif_2019", "lama_support", "letter_sent_on")

# Open schools at a level on a date, straight from the files: the latest categorisation on or before it.
AT_LEVEL_SQL = """
SELECT s.urn FROM read_parquet($schools) s
JOIN (SELECT urn, arg_max(level, effective_from) AS level FROM read_parquet($cats)
      WHERE effective_from <= $as_of GROUP BY urn) c USING (urn)
WHERE (s.closed_on IS NULL OR s.closed_on > $as_of) AND c.level = $level {adviser}
"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    from g2g_core.demo import write_demo

    out = tmp_path_factory.mktemp("week_demo")
    write_demo(out)
    return out


def at_level(demo: Path, level: str, adviser: str | None = None) -> set[int]:
    sql = AT_LEVEL_SQL.format(adviser="AND s.adviser = $adviser" if adviser else "")
    params = {"schools": str(demo / "schools.parquet"), "cats": str(demo / "categorisations.parquet")}
    params |= {"as_of": AS_OF, "level": level} | ({"adviser": adviser} if adviser else {})
    return {r[0] for r in duckdb.sql(sql, params=params).fetchall()}


@pytest.mark.parametrize("level", ["core", "intensive_a", "intensive_b"])
def test_the_directors_list_at_a_level_is_every_open_school_at_that_level(demo, level):
    store = open_store(demo)
    frame = schools_list.schools_list(store, Viewer.system(), AS_OF, Filters(level=(level,)))
    assert set(frame["urn"]) == at_level(demo, level)
    assert frame.height == len(set(frame["urn"]))


def test_an_advisers_list_is_their_own_schools_only_and_searchable(demo):
    store = open_store(demo)
    adviser = viewer_for(store, "lama.brennan", "adviser")
    frame = schools_list.schools_list(store, adviser, AS_OF)
    own = {
        r[0]
        for r in duckdb.sql(
            "SELECT urn FROM read_parquet(?) WHERE adviser = 'lama.brennan' AND (closed_on IS NULL OR closed_on > ?)",
            params=[str(demo / "schools.parquet"), AS_OF],
        ).fetchall()
    }
    assert set(frame["urn"]) == own and 0 < len(own) < 68
    name = frame["name"][0]
    found = schools_list.schools_list(store, adviser, AS_OF, search=name.split()[0].upper())
    assert name in found["name"].to_list()
    assert schools_list.schools_list(store, adviser, AS_OF, search=str(frame["urn"][0]))["urn"].to_list() == [
        frame["urn"][0]
    ]


def test_the_lists_flags_and_ofsted_agree_with_the_attention_list(demo):
    store = open_store(demo)
    frame = schools_list.schools_list(store, Viewer.system(), AS_OF)
    flags = attention.attention_list(store, Viewer.system(), AS_OF)
    counts = dict(flags.group_by("urn").len().iter_rows())
    assert {u: n for u, n in frame.select("urn", "flags").iter_rows() if n} == counts
    assert frame.filter(pl.col("ofsted_date").is_null())["ofsted"].unique().to_list() in (
        [],
        ["No inspection recorded"],
    )


def test_an_excel_download_has_a_title_row_words_a_named_sheet_and_cells_as_shown(demo):
    store = open_store(demo)
    shown = attention.readable(attention.attention_list(store, Viewer.system(), AS_OF))
    shown = shown.with_columns(
        pl.when(pl.int_range(pl.len()) == 0)
        .then(pl.lit("- five hours"))
        .otherwise(pl.col("Next step"))
        .alias("Next step")
    )
    title = export_title("Attention flags", AS_OF)
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(shown, title, "Attention flags")))
    assert book.sheetnames == ["Attention flags"]
    sheet = book["Attention flags"]
    assert sheet["A1"].value == "Attention flags, as at 18 May 2026"
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert list(rows[0]) == shown.columns
    body = rows[1:]
    assert len(body) == shown.height
    cells = [str(v) for row in body for v in row if v is not None]
    assert not [c for c in cells if any(code in c for code in CODES)], "codes in the download"
    assert {"Intensive A", "Overdue"} <= set(cells)
    assert body[0][shown.columns.index("Next step")] == "- five hours"
    assert sheet.cell(row=4, column=shown.columns.index("Next step") + 1).quotePrefix
    assert export_name("Attention flags", AS_OF, "xlsx") == "attention-flags-as-at-2026-05-18.xlsx"


def test_a_csv_download_says_what_it_is_then_has_the_on_screen_headers(demo):
    store = open_store(demo)
    frame = schools_list.schools_list(store, Viewer.system(), AS_OF)
    shown = schools_list.readable(frame)
    text = to_csv(shown, export_title("Schools", AS_OF)).decode("utf-8-sig")
    first, rest = text.split("\n", 1)
    assert first == "# Schools, as at 18 May 2026"
    rows = list(csv.reader(io.StringIO(rest)))
    assert rows[0] == [
        "School",
        "URN",
        "Phase",
        "Level of support",
        "At this level since",
        "Adviser",
        "Open flags",
        "Most severe flag",
        "Latest Ofsted",
        "Inspected on",
    ]
    assert len(rows) == frame.height + 1
    assert {r[3] for r in rows[1:]} <= {"Core", "Focused", "Enhanced", "Intensive A", "Intensive B"}

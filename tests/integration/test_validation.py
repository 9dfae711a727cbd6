"""The data contract (SPEC §2): every kind of bad input is refused with the file, row, column, value and rule.

Rows are counted as a person counts them in a spreadsheet export: the first data row is row 1 (a header
is not a row).
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from fixtures import Borough, contract_frame, flags_of

from g2g_core.cli import main
from g2g_core.schema import TABLES
from g2g_core.store import DataError, StoreCache, load_store, validate_dir

ROOT = Path(__file__).resolve().parents[2]
A, B = 100001, 100002


def _valid(borough: Borough) -> Borough:
    """Two schools with a row in every table, all valid."""
    borough.school(A).school(B, phase="secondary", maintained=False)
    borough.categorise(A, "2024-09-01", "core").categorise(A, "2025-09-01", "enhanced")
    borough.categorise(B, "2024-09-01", "intensive_a", target_exit_on="2026-07-31")
    borough.hours(A, "2025-10-01", "sip_visit", 3.5).hours(
        A, "2026-02-01", "lama_support", 7, note="council only"
    )
    borough.hours(B, "2026-03-10", "one_day_review", 14)
    borough.review(A, "action_plan", "Reading", "2025-12-15", "2025-12-10", "on_track")
    borough.review(A, "action_plan", "Reading", "2026-03-15")
    borough.inspection(A, "2023-05-10", overall_grade=2)
    borough.report_card(B, "2026-01-20", {"achievement": "needs_attention", "inclusion": "expected_standard"})
    borough.risk(A, "2026-04-01", "finance", "medium")
    borough.warning(B, "2026-02-01", "pre_formal", grounds="Slow progress")
    return borough


@pytest.fixture
def valid(borough) -> Borough:
    return _valid(borough)


def _g2g(*args: str) -> subprocess.CompletedProcess:
    """The installed `g2g` command, run as a person runs it."""
    return subprocess.run(
        [str(Path(sys.executable).parent / "g2g"), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def problems(directory: Path) -> list[str]:
    return [str(p) for p in validate_dir(directory)]


def _rewrite(directory: Path, table: str, frame: pl.DataFrame) -> None:
    frame.write_parquet(directory / f"{table}.parquet")


def _read(directory: Path, table: str) -> pl.DataFrame:
    return pl.read_parquet(directory / f"{table}.parquet")


def _set(frame: pl.DataFrame, column: str, row: int, value, dtype=None) -> pl.DataFrame:
    """The frame with one cell (row counted from 1) replaced, the column cast to `dtype` first if given."""
    values = frame[column].cast(dtype).to_list() if dtype is not None else frame[column].to_list()
    values[row - 1] = value
    return frame.with_columns(pl.Series(column, values, dtype=dtype or frame[column].dtype))


def test_a_valid_directory_has_no_problems(valid):
    """The hand-made borough obeys every rule of §2."""
    assert problems(valid.write()) == []


# --------------------------------------------------------------------------------------------------
# Files that cannot be read at all


def test_a_missing_required_file_is_named(valid):
    """The hours table is required: its absence is a problem naming the file."""
    assert problems(valid.write(omit=("hours",))) == [
        "hours.parquet: is missing: the hours table is required"
    ]


def test_a_missing_optional_file_means_none_recorded(valid):
    """SPEC §2: a missing optional table means 'none recorded'."""
    directory = valid.write(omit=("ofsted_inspections", "ofsted_areas", "risk_assessments", "warnings"))
    assert problems(directory) == []
    store = load_store(directory)
    assert store.sql("SELECT count(*) AS n FROM ofsted_inspections")["n"][0] == 0


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_an_empty_file_is_refused(valid, suffix):
    """A file of 0 bytes is neither Parquet nor a CSV with a header."""
    directory = valid.write(omit=("categorisations",))
    (directory / f"categorisations{suffix}").write_bytes(b"")
    found = problems(directory)
    assert len(found) == 1
    assert found[0].startswith(f"categorisations{suffix}: ")
    assert ("not a Parquet file" if suffix == ".parquet" else "is empty") in found[0]


def test_a_parquet_file_with_bytes_flipped_is_refused(valid):
    """Bytes flipped in the first column's pages: the file cannot be read; the message names it."""
    directory = valid.write()
    path = directory / "hours.parquet"
    data = bytearray(path.read_bytes())
    for i in range(4, 36):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))
    found = problems(directory)
    assert len(found) == 1
    assert found[0].startswith("hours.parquet: could not be read as a parquet file")


def test_a_truncated_parquet_file_is_refused(valid):
    """Half a file: it starts like Parquet but has no footer."""
    directory = valid.write()
    path = directory / "hours.parquet"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    found = problems(directory)
    assert len(found) == 1 and found[0].startswith("hours.parquet: could not be read as a parquet file")


def test_a_csv_renamed_parquet_is_refused(valid):
    """A CSV with a .parquet name does not start with PAR1."""
    directory = valid.write()
    valid.frame("hours").write_csv(directory / "hours.parquet")
    assert problems(directory) == ["hours.parquet: is not a Parquet file (it does not start with PAR1)"]


def test_two_files_for_one_table_are_refused(valid):
    """hours.parquet and hours.csv: which is the export? Keep one."""
    directory = valid.write()
    valid.frame("hours").write_csv(directory / "hours.csv")
    found = problems(directory)
    assert len(found) == 1 and "more than one file for the hours table" in found[0]


# --------------------------------------------------------------------------------------------------
# Columns and types


def test_a_missing_column_is_named(valid):
    """A categorisations export without `level`: file and column named."""
    directory = valid.write()
    _rewrite(directory, "categorisations", _read(directory, "categorisations").drop("level"))
    assert problems(directory) == [
        "categorisations.parquet, column 'level': column is missing (the categorisations export must have it)"
    ]


def test_team_around_school_may_be_left_out_and_defaults_to_false(valid):
    """SPEC §2: team_around_school is 'default false'."""
    directory = valid.write()
    _rewrite(directory, "categorisations", _read(directory, "categorisations").drop("team_around_school"))
    assert problems(directory) == []
    store = load_store(directory)
    assert store.sql("SELECT bool_or(team_around_school) AS t FROM categorisations")["t"][0] is False


def test_text_in_an_integer_column_is_refused(valid):
    """Row 2 of hours has urn 'abc' in a text column: row 2, column urn, value 'abc'."""
    directory = valid.write()
    _rewrite(directory, "hours", _set(_read(directory, "hours"), "urn", 2, "abc", pl.String))
    assert problems(directory) == ["hours.parquet, row 2, column 'urn': value 'abc': must be a whole number"]


def test_a_fraction_in_the_urn_is_refused(valid):
    """A urn of 3.5 in a float column is not a whole number; 100002.0 is."""
    directory = valid.write()
    frame = _set(_read(directory, "hours"), "urn", 1, 3.5, pl.Float64)
    _rewrite(directory, "hours", frame)
    assert frame["urn"].to_list()[1] == 100001.0
    assert problems(directory) == ["hours.parquet, row 1, column 'urn': value '3.5': must be a whole number"]


def test_an_impossible_date_is_refused(valid):
    """effective_from '2025-13-01' (month 13) in row 3 of categorisations."""
    directory = valid.write()
    _rewrite(
        directory,
        "categorisations",
        _set(_read(directory, "categorisations"), "effective_from", 3, "2025-13-01", pl.String),
    )
    assert problems(directory) == [
        "categorisations.parquet, row 3, column 'effective_from': value '2025-13-01': "
        "must be an ISO date (YYYY-MM-DD)"
    ]


@pytest.mark.parametrize(
    ("table", "column", "value", "rule"),
    [
        ("hours", "hours", "two", "must be a number"),
        ("schools", "maintained", "yes", "must be true or false"),
        ("hours", "date", "01/10/2025", "must be an ISO date (YYYY-MM-DD)"),
    ],
)
def test_other_values_that_cannot_be_read_as_the_column_type_are_refused(valid, table, column, value, rule):
    """Text where a number, a yes/no or an ISO date belongs: the row's problem names the value."""
    directory = valid.write()
    _rewrite(directory, table, _set(_read(directory, table), column, 1, value, pl.String))
    assert problems(directory) == [f"{table}.parquet, row 1, column '{column}': value '{value}': {rule}"]


def test_a_code_in_the_wrong_case_is_refused(valid):
    """Codes are lower-case snake_case exactly: 'Core' is not 'core'."""
    directory = valid.write()
    _rewrite(directory, "categorisations", _set(_read(directory, "categorisations"), "level", 1, "Core"))
    assert problems(directory) == [
        "categorisations.parquet, row 1, column 'level': value 'Core': "
        "must be one of: core, focused, enhanced, intensive_a, intensive_b"
    ]


def test_a_required_value_left_empty_is_refused(valid):
    """hours.adviser is required."""
    directory = valid.write()
    _rewrite(directory, "hours", _set(_read(directory, "hours"), "adviser", 3, None))
    assert problems(directory) == [
        "hours.parquet, row 3, column 'adviser': is required (it must not be empty)"
    ]


def test_a_timestamp_at_midnight_is_a_date_but_not_at_half_past_ten(valid):
    """SPEC §2: a timestamp at midnight serves a date column; 10:30 is not a date."""
    directory = valid.write()
    frame = _read(directory, "hours").with_columns(pl.col("date").cast(pl.Datetime("us")))
    _rewrite(directory, "hours", frame)
    assert problems(directory) == []
    _rewrite(directory, "hours", _set(frame, "date", 2, datetime(2026, 2, 1, 10, 30)))
    assert problems(directory) == [
        "hours.parquet, row 2, column 'date': value '2026-02-01 10:30:00': must be an ISO date (YYYY-MM-DD)"
    ]


@pytest.mark.parametrize("dtype", [pl.Int32, pl.UInt32, pl.Int64, pl.UInt64])
def test_any_integer_width_serves_an_integer_column(valid, dtype):
    """The urn as 32- or 64-bit, signed or not; judgements as int8 (the fixture) or int16; hours as int."""
    directory = valid.write()
    for table in ("schools", "categorisations", "hours", "plan_reviews"):
        _rewrite(directory, table, _read(directory, table).with_columns(pl.col("urn").cast(dtype)))
    cats = _read(directory, "categorisations").with_columns(pl.col("outcomes").cast(pl.Int16))
    _rewrite(directory, "categorisations", cats)
    _rewrite(directory, "hours", _read(directory, "hours").with_columns(pl.col("hours").cast(pl.Int16)))
    assert problems(directory) == []


def test_unknown_extra_columns_are_ignored(valid):
    """A column the contract does not know (local_code) is neither an error nor loaded."""
    directory = valid.write()
    frame = _read(directory, "schools").with_columns(pl.lit("LC-1").alias("local_code"))
    _rewrite(directory, "schools", frame)
    assert problems(directory) == []
    store = load_store(directory)
    assert store.sql("SELECT * FROM schools").columns == [c.name for c in TABLES[0].columns]


# --------------------------------------------------------------------------------------------------
# Rules of the contract


def test_hours_must_be_more_than_0_and_at_most_24(valid):
    """0 (row 1) and 25 (row 2) both break '> 0 and <= 24'; 24 (row 3) is allowed."""
    directory = valid.write()
    frame = _read(directory, "hours").with_columns(pl.Series("hours", [0.0, 25.0, 24.0]))
    _rewrite(directory, "hours", frame)
    assert problems(directory) == [
        "hours.parquet, row 1, column 'hours': value '0.0': must be more than 0 and at most 24",
        "hours.parquet, row 2, column 'hours': value '25.0': must be more than 0 and at most 24",
    ]


def test_a_decision_may_be_at_most_31_days_after_it_takes_effect(borough):
    """decided_on = effective_from + 31 is allowed (row 1); + 32 days is not (row 2)."""
    borough.school(A).school(B)
    borough.categorise(A, "2025-09-01", "core", decided_on="2025-10-02")
    borough.categorise(B, "2025-09-01", "core", decided_on="2025-10-03")
    assert problems(borough.write()) == [
        "categorisations.parquet, row 2, column 'decided_on': value '2025-10-03': "
        "must be no later than 31 days after effective_from"
    ]


def test_a_review_with_a_date_needs_a_status(valid):
    """plan_reviews row 1 has reviewed_on but no status."""
    directory = valid.write()
    _rewrite(directory, "plan_reviews", _set(_read(directory, "plan_reviews"), "status", 1, None))
    assert problems(directory) == [
        "plan_reviews.parquet, row 1, column 'status': is required when reviewed_on is set"
    ]


def test_two_categorisations_of_a_school_on_one_date_are_refused(valid):
    """(urn, effective_from) is unique: the later row (3) duplicates row 1 (100001 from 1 Sep 2024)."""
    directory = valid.write()
    frame = _read(directory, "categorisations")
    frame = _set(_set(frame, "urn", 3, A), "effective_from", 3, date(2024, 9, 1))
    _rewrite(directory, "categorisations", frame)
    assert problems(directory) == [
        "categorisations.parquet, row 3, column 'urn+effective_from': value '100001 / 2024-09-01': "
        "duplicates an earlier row: (urn, effective_from) must be unique"
    ]


def test_a_categorisation_of_an_unknown_school_is_refused(valid):
    """A urn of 999999 is not in the schools export."""
    directory = valid.write()
    _rewrite(directory, "categorisations", _set(_read(directory, "categorisations"), "urn", 2, 999999))
    assert problems(directory) == [
        "categorisations.parquet, row 2, column 'urn': value '999999': "
        "must be the urn of a school in the schools export"
    ]


def test_an_overall_grade_on_a_renewed_framework_inspection_is_refused(valid):
    """Only EIF 2019 has an overall grade: row 2 (the report card) with grade 3 is wrong."""
    directory = valid.write()
    frame = _set(_read(directory, "ofsted_inspections"), "overall_grade", 2, 3)
    _rewrite(directory, "ofsted_inspections", frame)
    assert problems(directory) == [
        "ofsted_inspections.parquet, row 2, column 'overall_grade': value '3': must be empty for the renewed "
        "framework (an overall grade exists only under EIF 2019)"
    ]


def test_a_risk_assessment_must_start_on_a_terms_first_day(valid):
    """term_start 2 Apr 2026 is not the first day of a term (1 Apr is)."""
    directory = valid.write()
    _rewrite(
        directory,
        "risk_assessments",
        _set(_read(directory, "risk_assessments"), "term_start", 1, date(2026, 4, 2)),
    )
    assert problems(directory) == [
        "risk_assessments.parquet, row 1, column 'term_start': value '2026-04-02': "
        "must be the first day of a term"
    ]


@pytest.mark.parametrize(
    ("table", "column", "value", "message"),
    [
        ("schools", "urn", 0, "value '0': must be a positive whole number (a DfE URN)"),
        ("schools", "name", "  ", "value '  ': must not be empty"),
        ("categorisations", "outcomes", 5, "value '5': must be 1, 2, 3 or 4"),
        ("warnings", "closed_on", date(2026, 1, 1), "value '2026-01-01': must not be before issued_on"),
        ("ofsted_areas", "grade", "good", "value 'good': must be one of: exceptional, strong_standard, "
         "expected_standard, needs_attention, urgent_improvement"),
    ],
)  # fmt: skip
def test_each_column_rule_names_its_row_column_and_value(valid, table, column, value, message):
    """Rules of §2's tables.

    Positive urn, non-empty name, judgements 1-4, a warning not closed before it was issued, a
    renewed-framework grade from the five points.
    """
    directory = valid.write()
    frame = _set(_read(directory, table), column, 1, value)
    if table == "schools" and column == "urn":  # keep the other tables' references valid: make row 1 extra
        frame = pl.concat([frame.head(1), _read(directory, table)])
    _rewrite(directory, table, frame)
    assert problems(directory) == [f"{table}.parquet, row 1, column '{column}': {message}"]


def test_a_duplicate_school_is_refused(valid):
    """schools.urn is unique."""
    directory = valid.write()
    frame = _read(directory, "schools")
    _rewrite(directory, "schools", pl.concat([frame, frame.head(1)]))
    assert problems(directory) == [
        "schools.parquet, row 3, column 'urn': value '100001': duplicates an earlier row: urn must be unique"
    ]


# --------------------------------------------------------------------------------------------------
# All problems, not only the first


def test_every_problem_is_listed_within_a_file_and_across_files(valid):
    """Three problems in hours, one in categorisations, one missing file: all five, each located."""
    directory = valid.write(omit=("plan_reviews",))
    hours = _read(directory, "hours").with_columns(
        pl.Series("hours", [0.0, 3.0, 30.0]), pl.Series("activity", ["sip_visit", "Visit", "lama_support"])
    )
    _rewrite(directory, "hours", hours)
    _rewrite(directory, "categorisations", _set(_read(directory, "categorisations"), "level", 2, "intensive"))
    found = problems(directory)
    assert sorted(found) == sorted(
        [
            "plan_reviews.parquet: is missing: the plan_reviews table is required",
            "hours.parquet, row 1, column 'hours': value '0.0': must be more than 0 and at most 24",
            "hours.parquet, row 2, column 'activity': value 'Visit': must be one of: sip_visit, "
            "lama_support, one_day_review, tag_meeting, governors_meeting, brokered_support, "
            "keeping_in_touch, other",
            "hours.parquet, row 3, column 'hours': value '30.0': must be more than 0 and at most 24",
            "categorisations.parquet, row 2, column 'level': value 'intensive': "
            "must be one of: core, focused, enhanced, intensive_a, intensive_b",
        ]
    )


# --------------------------------------------------------------------------------------------------
# CSV and Excel


def _write_csv(directory: Path, table: str, frame: pl.DataFrame) -> None:
    (directory / f"{table}.parquet").unlink(missing_ok=True)
    frame.write_csv(directory / f"{table}.csv")


def _write_xlsx(directory: Path, table: str, frame: pl.DataFrame) -> None:
    (directory / f"{table}.parquet").unlink(missing_ok=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(frame.columns)
    for row in frame.iter_rows():
        ws.append(list(row))
    wb.save(directory / f"{table}.xlsx")


def test_csv_and_xlsx_files_with_the_same_columns_load_as_the_parquet_would(valid):
    """SPEC §2: CSV and Excel exports with the same columns are importable; the flags are the same."""
    directory = valid.write()
    expected = flags_of(directory, "2026-05-18")
    assert expected  # the borough is not silent, so the comparison means something
    for table in ("schools", "hours", "ofsted_inspections", "risk_assessments"):
        _write_csv(directory, table, valid.frame(table))
    for table in ("categorisations", "plan_reviews", "ofsted_areas", "warnings"):
        _write_xlsx(directory, table, valid.frame(table))
    # every table as CSV or xlsx but the (empty, optional) advisers table
    assert sorted(p.suffix for p in directory.iterdir()) == [".csv"] * 4 + [".parquet"] + [".xlsx"] * 4
    assert problems(directory) == []
    assert flags_of(directory, "2026-05-18") == expected


def test_rows_of_a_csv_are_counted_from_the_first_data_row(valid):
    """Header line, then row 1, row 2...: 'Core' on the second data line is row 2."""
    directory = valid.write()
    _write_csv(directory, "categorisations", _set(valid.frame("categorisations"), "level", 2, "Core"))
    found = problems(directory)
    assert len(found) == 1 and found[0].startswith("categorisations.csv, row 2, column 'level': value 'Core'")


def test_an_xlsx_with_a_bad_value_is_located_like_any_other_file(valid):
    """hours.xlsx row 3, hours 'lots'."""
    directory = valid.write()
    _write_xlsx(directory, "hours", _set(valid.frame("hours"), "hours", 3, "lots", pl.String))
    assert problems(directory) == ["hours.xlsx, row 3, column 'hours': value 'lots': must be a number"]


def test_an_xlsx_date_cell_at_midnight_is_a_date_but_not_at_half_past_ten(valid):
    """Excel keeps dates as date-times: midnight reads as the date; 10:30 in row 2 is refused."""
    directory = valid.write()
    frame = valid.frame("hours").with_columns(pl.col("date").cast(pl.Datetime("us")))
    _write_xlsx(directory, "hours", frame)
    assert problems(directory) == []
    _write_xlsx(directory, "hours", _set(frame, "date", 2, datetime(2026, 2, 1, 10, 30)))
    assert problems(directory) == [
        "hours.xlsx, row 2, column 'date': value '2026-02-01T10:30:00': must be an ISO date (YYYY-MM-DD)"
    ]


def test_a_csv_in_windows_1252_is_refused_clearly(valid):
    """'Café' saved as Windows-1252 is not UTF-8: the message says so and how to fix it."""
    directory = valid.write()
    frame = _set(valid.frame("schools"), "name", 1, "École Café")
    (directory / "schools.parquet").unlink()
    (directory / "schools.csv").write_bytes(frame.write_csv().encode("cp1252"))
    found = problems(directory)
    assert len(found) == 1
    assert found[0].startswith("schools.csv: is not UTF-8 text")
    assert "UTF-8" in found[0].split(":", 2)[-1]


def test_a_file_that_is_not_a_workbook_is_refused(valid):
    """A .xlsx that is not a zip."""
    directory = valid.write()
    (directory / "warnings.parquet").unlink()
    (directory / "warnings.xlsx").write_text("urn,issued_on\n", encoding="utf-8")
    assert problems(directory) == ["warnings.xlsx: is not an Excel workbook (.xlsx)"]


# --------------------------------------------------------------------------------------------------
# The command line and the store


def test_g2g_validate_exits_1_listing_the_problems_without_a_traceback(valid):
    """The installed command, as a person runs it."""
    directory = valid.write()
    _rewrite(directory, "categorisations", _set(_read(directory, "categorisations"), "level", 1, "Core"))
    (directory / "hours.parquet").write_bytes(b"not parquet at all")
    done = _g2g("validate", str(directory))
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert "2 problem(s) found" in done.stderr
    assert "categorisations.parquet, row 1, column 'level': value 'Core'" in done.stderr
    assert "hours.parquet: is not a Parquet file" in done.stderr


def test_g2g_validate_exits_0_on_a_valid_directory(valid, capsys):
    """And says so on stdout."""
    directory = valid.write()
    assert main(["validate", str(directory)]) == 0
    assert "valid" in capsys.readouterr().out


def test_g2g_flags_on_bad_data_exits_1_with_the_problems(valid):
    """The flags command refuses bad data the same way, with no traceback."""
    directory = valid.write(omit=("schools",))
    done = _g2g("flags", str(directory), "--as-of", "2026-05-18")
    assert done.returncode == 1
    assert "schools.parquet: is missing" in done.stderr and "Traceback" not in done.stderr


def test_g2g_validate_on_a_directory_that_does_not_exist(tmp_path):
    """A message, exit 1, no traceback."""
    done = subprocess.run(
        [sys.executable, "-m", "g2g_core", "validate", str(tmp_path / "nowhere")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 1
    assert "data directory not found" in done.stderr and "Traceback" not in done.stderr


def test_load_store_raises_a_data_error_listing_every_problem(valid):
    """Nothing is loaded from a directory with a bad file."""
    directory = valid.write()
    _rewrite(directory, "hours", _read(directory, "hours").with_columns(pl.Series("hours", [0.0, 3.0, 99.0])))
    with pytest.raises(DataError) as err:
        load_store(directory)
    assert [(p.file, p.row, p.column) for p in err.value.problems] == [
        ("hours.parquet", 1, "hours"),
        ("hours.parquet", 3, "hours"),
    ]
    assert "2 problem(s)" in str(err.value)


def test_the_store_cache_keeps_serving_the_last_good_data_when_the_files_turn_bad(valid):
    """SPEC §2: nothing already loaded is replaced by a file that fails; once fixed, the new data load."""
    directory = valid.write()
    cache = StoreCache()
    good = cache.get(directory)
    assert good.sql("SELECT count(*) AS n FROM hours")["n"][0] == 3

    bad = _read(directory, "hours").with_columns(pl.Series("hours", [0.0, 3.0, 4.0]))
    _rewrite(directory, "hours", bad)
    _touch(directory / "hours.parquet")
    assert cache.get(directory) is good
    assert [str(p) for p in cache.last_problems[str(directory.resolve())]] == [
        "hours.parquet, row 1, column 'hours': value '0.0': must be more than 0 and at most 24"
    ]

    valid.hours(A, "2026-03-01", "tag_meeting", 1.5)
    valid.write()
    _touch(directory / "hours.parquet")
    fresh = cache.get(directory)
    assert fresh is not good
    assert fresh.sql("SELECT count(*) AS n FROM hours")["n"][0] == 4
    assert str(directory.resolve()) not in cache.last_problems


def test_the_store_cache_raises_when_no_good_version_was_ever_loaded(valid):
    """With nothing to fall back on, the problems are raised."""
    directory = valid.write(omit=("hours",))
    with pytest.raises(DataError):
        StoreCache().get(directory)


def _touch(path: Path) -> None:
    """Move the modification time on, so a rewrite within the clock's resolution is still seen."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


def test_the_fixture_writes_the_contract_columns_in_order_with_their_types(valid):
    """The builder itself: every table's columns, order and logical types are those of g2g_core.schema."""
    directory = valid.write()
    kinds = {"int": pl.Int64, "float": pl.Float64, "str": pl.String, "enum": pl.String, "bool": pl.Boolean}
    for table in TABLES:
        frame = _read(directory, table.name)
        assert frame.columns == list(table.names)
        for col in table.columns:
            if col.type == "date":
                assert frame.schema[col.name] == pl.Date
            elif col.type == "int":
                assert frame.schema[col.name].is_integer()
            else:
                assert frame.schema[col.name] == kinds[col.type]
    assert contract_frame("warnings", []).height == 0

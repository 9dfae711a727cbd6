"""The national imports (SPEC §2): GIAS establishments into schools, Ofsted's MI into the Ofsted tables.

The fixtures in `tests/data/imports/` are on the real published headers (README there): the real GIAS sample
with its three real rows, and fictional rows for the Wexmoor demo borough (LA code 990 here). Every expected
row below was worked out by hand from SPEC §1.4 and §2 and the decisions in `g2g_core.imports`. Imports go
through the real `publish` into a real data directory, read back with the real store.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from fixtures import Borough, flags_of

from g2g_core import datadir
from g2g_core.access import Viewer
from g2g_core.cli import main
from g2g_core.imports import gias_schools, import_gias, import_ofsted, ofsted_tables
from g2g_core.store import load_store
from g2g_core.validate import Problem

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "data" / "imports"
SAMPLE = FIXTURES / "gias-establishments-sample.csv"
WEXMOOR = FIXTURES / "gias-wexmoor.csv"
MI = FIXTURES / "ofsted-mi-most-recent.csv"
DIRECTOR = Viewer("director.test", "director", None)
OURS = set(range(900001, 900009))  # the fixture MI's schools of the authority; 900999 is elsewhere


@pytest.fixture(scope="module")
def demo_template(demo_source) -> Path:
    """The session's demo borough (tests/conftest.py: 70 schools, URNs 900001-900070), read only."""
    return demo_source


@pytest.fixture
def demo(demo_copy) -> Path:
    """A fresh copy of the demo borough for one test."""
    return demo_copy


def table(directory: Path, name: str) -> pl.DataFrame:
    """One table of the live data, as the app would read it."""
    store = load_store(directory)
    try:
        return store.sql(f"SELECT * FROM {name}")
    finally:
        store.con.close()


def rows_of(frame: pl.DataFrame, *columns: str) -> list[tuple]:
    """A frame's rows as tuples (sorted), for comparing with rows written out by hand."""
    return sorted(frame.select(columns or frame.columns).iter_rows())


def read_fixture(path: Path) -> list[list[str]]:
    """A cp1252 CSV fixture as rows of cells (header first)."""
    return list(csv.reader(io.StringIO(path.read_bytes().decode("cp1252"))))


def write_csv(path: Path, rows: list[list[str]], encoding: str = "cp1252") -> Path:
    """Rows written as a CSV file in an encoding."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def set_cell(rows: list[list[str]], row: int, column: str, value: str) -> list[list[str]]:
    """The rows with one cell (data row counted from 1) replaced."""
    out = [list(r) for r in rows]
    out[row][out[0].index(column)] = value
    return out


def drop_columns(rows: list[list[str]], *columns: str) -> list[list[str]]:
    """The rows without some columns."""
    keep = [i for i, name in enumerate(rows[0]) if name not in columns]
    return [[r[i] for i in keep] for r in rows]


# --- GIAS ---------------------------------------------------------------------------------------------------


def test_the_real_gias_sample_for_hackney_gives_exactly_its_hackney_school_closed_in_2002():
    """Of the three real rows, only URN 100273 is in LA 204; its status is Closed, CloseDate 31/08/2002."""
    result = gias_schools(SAMPLE, 204, None, name=SAMPLE.name)
    assert result.problems == []
    assert result.tables["schools"].to_dicts() == [
        {
            "urn": 100273,
            "name": "Saint Paul Roman Catholic Infant School",
            "phase": "primary",
            "maintained": True,  # voluntary aided, in the "Local authority maintained schools" group
            "adviser": None,
            "headteacher": "M Hogg",  # first + last name (SPEC §2), title left out
            "chair_of_governors": None,
            "closed_on": date(2002, 8, 31),
        }
    ]
    assert result.counts["rows_read"] == 3 and result.counts["rows_la"] == 1


def test_the_real_sample_goes_live_beside_the_schools_already_recorded(demo):
    """Through publish: the Hackney school is added, closed; the 70 demo schools are all kept as they were."""
    before = table(demo, "schools")
    outcome = import_gias(demo, SAMPLE, 204, DIRECTOR, name=SAMPLE.name)
    after = table(demo, "schools")
    assert after.height == 71
    assert after.filter(pl.col("urn") == 100273)["closed_on"].to_list() == [date(2002, 8, 31)]
    assert rows_of(after.filter(pl.col("urn") != 100273)) == rows_of(before)
    assert datadir.current_version(demo) == outcome.version.id
    assert outcome.version.action == "import_gias"
    assert (
        "70 school(s) already recorded but not in the extract for LA 204 kept as they were."
        in outcome.summary
    )


# The fixture's schools of LA 990, worked out by hand from the decisions in g2g_core.imports:
# (urn, name, phase, maintained, headteacher, closed_on)
WEXMOOR_SCHOOLS = [
    (900001, "Vorrton Primary School", "primary", True, "Zoë Hartley", None),
    (900002, "Umberwell Primary Academy", "primary", False, "Dev Shelmore", None),
    (900101, "Harrowgate Fields Nursery School", "nursery", True, "Ann Teal", None),
    (900102, "Saint Brigid’s Catholic High School", "secondary", True, "Rory Quill", None),
    (900103, "Wexmoor Vale School", "special", True, "Sam Odell", None),  # community special school
    (900104, "Wexmoor Pupil Referral Unit", "alternative_provision", True, None, None),
    (900105, "Kestrel Academy", "alternative_provision", False, None, None),
    (900106, "Ashcombe Free School", "all_through", False, None, None),
    (900107, "Millbrook Middle School", "secondary", True, None, None),  # middle deemed secondary
    (900108, "Old Quarry Infant School", "primary", True, None, date(2023, 8, 31)),
    (900109, "Wexmoor Sixth Form Academy", "secondary", False, None, None),  # 16 plus
    (900115, "Larkspur Primary School", "primary", True, None, None),  # only proposed to close
    (900116, "Foxhill Special Academy", "special", False, None, None),
]


def test_every_type_and_phase_of_the_fixture_maps_as_decided():
    """Windows-1252 text (ë, ’) is read as such; phase by type first, then by phase of education."""
    result = gias_schools(WEXMOOR, 990, None, name=WEXMOOR.name)
    assert result.problems == []
    got = rows_of(result.tables["schools"], "urn", "name", "phase", "maintained", "headteacher", "closed_on")
    assert got == WEXMOOR_SCHOOLS


def test_schools_outside_the_remit_are_left_out_and_counted():
    """Independent, non-maintained special, college, other types and Welsh: one each; another LA's row is not read."""
    result = gias_schools(WEXMOOR, 990, None, name=WEXMOOR.name)
    assert result.counts == {
        "rows_read": 19,
        "rows_la": 18,
        "excluded": 5,
        "imported": 13,
        "new": 13,
        "updated": 0,
        "unchanged": 0,
        "closed": 1,
        "kept": 0,
    }
    assert result.summary[2] == (
        "5 left out as outside the authority's school-improvement remit: colleges (1), independent schools (1), "
        "non-maintained special schools (1), other types (1), welsh schools (1)."
    )
    urns = set(result.tables["schools"]["urn"])
    assert urns.isdisjoint({900110, 900111, 900112, 900113, 900114, 900201})


def test_a_closed_school_is_marked_closed_with_its_date_and_one_proposed_to_close_is_not():
    result = gias_schools(WEXMOOR, 990, None, name=WEXMOOR.name)
    closed = dict(result.tables["schools"].select("urn", "closed_on").iter_rows())
    assert closed[900108] == date(2023, 8, 31)
    assert closed[900115] is None


def test_advisers_and_chairs_are_kept_and_schools_missing_from_the_extract_are_kept(demo):
    """900001 and 900002 are demo schools: GIAS updates them, the council's assignments stay."""
    before = {r["urn"]: r for r in table(demo, "schools").iter_rows(named=True)}
    outcome = import_gias(demo, WEXMOOR, 990, DIRECTOR, name=WEXMOOR.name)
    after = {r["urn"]: r for r in table(demo, "schools").iter_rows(named=True)}

    assert len(after) == 70 + 11
    for urn in (900001, 900002):
        assert after[urn]["adviser"] == before[urn]["adviser"] is not None
        assert after[urn]["chair_of_governors"] == before[urn]["chair_of_governors"] is not None
    assert after[900001]["headteacher"] == "Zoë Hartley"
    assert after[900002]["maintained"] is False and after[900002]["name"] == "Umberwell Primary Academy"
    assert all(after[urn] == before[urn] for urn in before if urn not in (900001, 900002))
    assert after[900101]["adviser"] is None  # a new school has no adviser yet
    assert outcome.summary[1] == (
        "13 school(s) imported: 11 new, 2 updated, 0 unchanged; 1 of them closed (kept for history)."
    )
    assert outcome.summary[3] == (
        "68 school(s) already recorded but not in the extract for LA 990 kept as they were."
    )


def test_columns_are_found_by_name_whatever_their_order_and_unknown_ones_are_ignored(tmp_path):
    rows = read_fixture(WEXMOOR)
    order = list(reversed(range(len(rows[0]))))
    shuffled = [[r[i] for i in order] + ["whatever"] for r in rows]
    shuffled[0][-1] = "SomeNewColumn (name)"
    result = gias_schools(write_csv(tmp_path / "shuffled.csv", shuffled), 990, None)
    assert result.problems == []
    assert (
        rows_of(result.tables["schools"], "urn", "name", "phase", "maintained", "headteacher", "closed_on")
        == WEXMOOR_SCHOOLS
    )


def test_a_utf8_file_is_refused_naming_its_encoding_and_nothing_changes(demo, tmp_path):
    """UTF-8 'ë' is two bytes that are also valid Windows-1252 ('Ã«'): refused, never imported garbled."""
    utf8 = write_csv(tmp_path / "edubase-utf8.csv", read_fixture(WEXMOOR), encoding="utf-8")
    with pytest.raises(datadir.UploadError) as err:
        import_gias(demo, utf8, 990, DIRECTOR, name=utf8.name)
    [problem] = err.value.problems
    assert problem.file == "edubase-utf8.csv"
    assert "is UTF-8 text" in problem.rule and "Windows-1252" in problem.rule
    assert datadir.current_version(demo) is None  # the flat demo directory was never replaced


@pytest.mark.parametrize(
    ("encoding", "words"), [("utf-16", "is UTF-16 text"), ("utf-8-sig", "byte-order mark")]
)
def test_a_utf16_or_bom_file_is_refused(tmp_path, encoding, words):
    path = write_csv(tmp_path / "edubase.csv", read_fixture(SAMPLE), encoding=encoding)
    result = gias_schools(path, 204, None)
    assert [words in p.rule for p in result.problems] == [True]
    assert result.tables == {}


def test_a_byte_that_is_not_windows_1252_is_refused_with_its_row(tmp_path):
    """0x81 has no character in Windows-1252; it sits in the second data row."""
    data = SAMPLE.read_bytes().replace(b"Ballance Road", b"Ballance Ro\x81d")
    result = gias_schools(data, 204, None, name="edubase.csv")
    [problem] = result.problems
    assert (problem.file, problem.row, problem.value) == ("edubase.csv", 2, "byte 0x81")
    assert "not a Windows-1252 character" in problem.rule


def test_a_missing_column_is_refused_naming_each_one(tmp_path):
    path = write_csv(tmp_path / "short.csv", drop_columns(read_fixture(SAMPLE), "CloseDate", "HeadLastName"))
    result = gias_schools(path, 204, None)
    assert [(p.file, p.row, p.column) for p in result.problems] == [
        ("short.csv", None, "CloseDate"),
        ("short.csv", None, "HeadLastName"),
    ]
    assert all("column is missing" in p.rule for p in result.problems)


def test_a_bad_close_date_names_file_row_column_value_and_rule(tmp_path):
    path = write_csv(tmp_path / "edubase.csv", set_cell(read_fixture(WEXMOOR), 10, "CloseDate", "2023-31-08"))
    result = gias_schools(path, 990, None)
    assert result.problems == [
        Problem("edubase.csv", 10, "CloseDate", "2023-31-08", "must be a date written dd/mm/yyyy")
    ]


def test_a_closed_school_without_a_close_date_is_a_problem(tmp_path):
    path = write_csv(tmp_path / "edubase.csv", set_cell(read_fixture(WEXMOOR), 10, "CloseDate", ""))
    [problem] = gias_schools(path, 990, None).problems
    assert (problem.row, problem.column, problem.rule) == (
        10,
        "CloseDate",
        "is required for a school whose status is Closed",
    )


def test_only_a_director_may_import(demo):
    with pytest.raises(PermissionError):
        import_gias(demo, SAMPLE, 204, Viewer("lama.a", "adviser", frozenset({900001})))


# --- Ofsted MI ------------------------------------------------------------------------------------------------

# (urn, inspection_date, framework, inspection_type, overall_grade, category_of_concern, safeguarding_met)
MI_INSPECTIONS = [
    # report card: requires significant improvement, safeguarding not met; and its older EIF graded inspection
    (900001, date(2021, 3, 10), "eif_2019", "graded", 2, "none", True),
    (
        900001,
        date(2026, 1, 20),
        "renewed_2025",
        "report_card",
        None,
        "requires_significant_improvement",
        False,
    ),
    # EIF: SM with grade 4 and safeguarding "No"; an ungraded inspection before it
    (900002, date(2022, 6, 8), "eif_2019", "ungraded", None, "none", None),
    (900002, date(2025, 5, 14), "eif_2019", "graded", 4, "special_measures", False),
    (900003, date(2024, 6, 11), "eif_2019", "graded", 4, "serious_weaknesses", True),  # SWK
    # grade 3; the ungraded inspection of the same day gives way to the graded one
    (900004, date(2023, 11, 15), "eif_2019", "graded", 3, "none", True),
    (900005, date(2019, 1, 22), "eif_2019", "graded", None, "none", None),  # 9 = not applicable, twice
    (900006, date(2024, 10, 2), "eif_2019", "graded", None, "none", True),  # "Not judged"; category NULL
    (900007, date(2023, 3, 1), "eif_2019", "ungraded", None, "none", None),  # ISO date, before 10 Nov 2025
    (900008, date(2026, 2, 3), "renewed_2025", "report_card", None, "none", True),  # ISO date
]
MI_AREAS = [
    (900001, date(2026, 1, 20), "achievement", "needs_attention"),
    (900001, date(2026, 1, 20), "attendance_and_behaviour", "expected_standard"),
    (900001, date(2026, 1, 20), "curriculum_and_teaching", "urgent_improvement"),
    (900001, date(2026, 1, 20), "early_years", "expected_standard"),
    (900001, date(2026, 1, 20), "inclusion", "needs_attention"),
    (900001, date(2026, 1, 20), "leadership_and_governance", "urgent_improvement"),
    (900001, date(2026, 1, 20), "personal_development_and_wellbeing", "strong_standard"),
    # post-16 "Not applicable": no row
    (900008, date(2026, 2, 3), "achievement", "expected_standard"),
    (900008, date(2026, 2, 3), "attendance_and_behaviour", "exceptional"),
    (900008, date(2026, 2, 3), "curriculum_and_teaching", "expected_standard"),
    (900008, date(2026, 2, 3), "inclusion", "expected_standard"),  # written in lower case
    (900008, date(2026, 2, 3), "leadership_and_governance", "expected_standard"),
    (900008, date(2026, 2, 3), "personal_development_and_wellbeing", "expected_standard"),
]


def test_the_mi_fixture_has_the_real_headers_in_order():
    # An unchanged copy of ../shared/data/ofsted-mi-most-recent-headers.txt (a fresh clone has no ../shared).
    notes = (MI.parent / "ofsted-mi-most-recent-headers.txt").read_text(encoding="utf-8")
    headers = [line for line in notes.splitlines() if line.strip() and not line.startswith("#")]
    assert read_fixture(MI)[0] == headers


def test_both_frameworks_map_to_the_rows_worked_out_by_hand():
    result = ofsted_tables(MI, name=MI.name, urns=OURS)
    assert result.problems == []
    assert rows_of(result.tables["ofsted_inspections"]) == MI_INSPECTIONS
    assert rows_of(result.tables["ofsted_areas"]) == MI_AREAS
    assert result.counts["outside"] == 1  # URN 900999, SM, is not the authority's: dropped


def test_without_a_list_of_schools_every_row_is_kept():
    result = ofsted_tables(MI, name=MI.name, urns=None)
    extra = result.tables["ofsted_inspections"].filter(pl.col("urn") == 900999)
    assert rows_of(extra) == [(900999, date(2025, 2, 1), "eif_2019", "graded", 4, "special_measures", None)]


def test_headers_are_found_by_name_whatever_their_order_spacing_and_case(tmp_path):
    """Ofsted's double space in 'Latest OEIF  safeguarding is effective?' is not needed; new columns are ignored."""
    rows = read_fixture(MI)
    header = rows[0]
    header[header.index("Latest OEIF  safeguarding is effective?")] = (
        " latest OEIF safeguarding IS effective? "
    )
    order = list(reversed(range(len(header))))
    moved = [[r[i] for i in order] + ["x"] for r in rows]
    moved[0][-1] = "A column Ofsted added later"
    result = ofsted_tables(write_csv(tmp_path / "mi.csv", moved), urns=OURS)
    assert result.problems == []
    assert rows_of(result.tables["ofsted_inspections"]) == MI_INSPECTIONS
    assert rows_of(result.tables["ofsted_areas"]) == MI_AREAS


def test_an_unknown_grade_word_names_file_row_column_value_and_rule(tmp_path):
    rows = set_cell(read_fixture(MI), 1, "Personal development and wellbeing", "Very strong")
    rows = set_cell(rows, 6, "Latest OEIF overall effectiveness", "Good")
    result = ofsted_tables(write_csv(tmp_path / "mi.csv", rows), name="mi.csv", urns=OURS)
    assert [(p.file, p.row, p.column, p.value) for p in result.problems] == [
        ("mi.csv", 1, "Personal development and wellbeing", "Very strong"),
        ("mi.csv", 6, "Latest OEIF overall effectiveness", "Good"),
    ]
    assert "is not a report card grade" in result.problems[0].rule
    assert result.problems[1].rule == "must be 1, 2, 3, 4, 9 (not applicable), Not judged or empty"


def test_a_missing_ofsted_column_is_refused_naming_it(demo, tmp_path):
    path = write_csv(
        tmp_path / "mi.csv", drop_columns(read_fixture(MI), "Latest OEIF  safeguarding is effective?")
    )
    with pytest.raises(datadir.UploadError) as err:
        import_ofsted(demo, path, DIRECTOR, name=path.name)
    [problem] = err.value.problems
    assert (problem.file, problem.column) == ("mi.csv", "Latest OEIF  safeguarding is effective?")
    assert "column is missing" in problem.rule
    assert datadir.current_version(demo) is None


def test_a_report_card_dated_before_the_renewed_framework_is_a_problem(tmp_path):
    rows = set_cell(read_fixture(MI), 8, "Inspection start date", "03/02/2025")
    [problem] = ofsted_tables(write_csv(tmp_path / "mi.csv", rows), urns=OURS).problems
    assert (problem.row, problem.column, problem.value) == (8, "Inspection start date", "03/02/2025")


def _eight_core_schools(borough: Borough) -> Borough:
    for urn in sorted(OURS):
        borough.school(urn).categorise(urn, "2025-09-01", "core")
    return borough


def test_after_the_import_the_rules_see_the_new_inspections(borough):
    """Core schools: RSI, SM and SWK call for Intensive B (ESC_OFSTED_CONCERN); EIF grade 3 for Enhanced (RI)."""
    directory = _eight_core_schools(borough).write()

    def ofsted_flags():
        return [f for f in flags_of(directory, "2026-05-18") if f[1].startswith("ESC_OFSTED")]

    assert ofsted_flags() == []
    import_ofsted(directory, MI, DIRECTOR, name=MI.name)
    assert ofsted_flags() == [
        (900001, "ESC_OFSTED_CONCERN", "overdue", date(2026, 1, 20)),
        (900002, "ESC_OFSTED_CONCERN", "overdue", date(2025, 5, 14)),
        (900003, "ESC_OFSTED_CONCERN", "overdue", date(2024, 6, 11)),
        (900004, "ESC_OFSTED_RI", "overdue", date(2023, 11, 15)),
    ]


def test_inspections_already_recorded_are_kept_unless_the_file_restates_them(borough):
    """900005's inspection of the same day is replaced; 900008's report card with its areas; 900007's 2018 one kept."""
    _eight_core_schools(borough)
    borough.inspection(900005, "2019-01-22", overall_grade=2)
    borough.inspection(900007, "2018-05-01", overall_grade=2)
    borough.report_card(
        900008, "2026-02-03", {"inclusion": "needs_attention", "post_16": "expected_standard"}
    )
    directory = borough.write()

    outcome = import_ofsted(directory, MI, DIRECTOR, name=MI.name)

    expected = [*MI_INSPECTIONS, (900007, date(2018, 5, 1), "eif_2019", "graded", 2, "none", True)]
    assert rows_of(table(directory, "ofsted_inspections")) == sorted(expected)
    assert rows_of(table(directory, "ofsted_areas")) == MI_AREAS
    assert outcome.summary[-1] == (
        "8 inspection(s) new, 2 already recorded and restated by the file, 1 earlier one(s) kept for history."
    )
    assert outcome.version.action == "import_ofsted"


def test_the_xlsx_workbook_is_read_from_its_most_recent_inspections_sheet(tmp_path):
    """The sheet is found by name, the header below Ofsted's title lines, dates as Excel dates or text."""
    rows = read_fixture(MI)
    wb = openpyxl.Workbook()
    wb.active.title = "D1 In-year inspections"
    ws = wb.create_sheet("D2 Most recent inspections")
    ws.append(["State-funded schools inspections and outcomes: management information"])
    ws.append([])
    ws.append(rows[0])
    date_columns = {
        rows[0].index("Inspection start date"),
        rows[0].index("Date of latest ungraded inspection"),
    }
    for r in rows[1:]:
        cells: list[object] = []
        for i, value in enumerate(r):
            if i in date_columns and value:
                d = datetime.strptime(value, "%d/%m/%Y") if "/" in value else datetime.fromisoformat(value)
                cells.append(d)
            elif value.isdigit():
                cells.append(int(value))
            else:
                cells.append(value or None)
        ws.append(cells)
    path = tmp_path / "mi.xlsx"
    wb.save(path)
    result = ofsted_tables(path, urns=OURS)
    assert result.problems == []
    assert rows_of(result.tables["ofsted_inspections"]) == MI_INSPECTIONS
    assert rows_of(result.tables["ofsted_areas"]) == MI_AREAS


# --- command line ---------------------------------------------------------------------------------------------


def test_the_cli_imports_and_prints_the_summary_and_the_new_version(demo, capsys):
    assert main(["import-gias", str(WEXMOOR), "--la", "990", "--data", str(demo)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "19 establishment(s) read from gias-wexmoor.csv; 18 in LA 990."
    assert out[-1] == f"new version: {datadir.current_version(demo)}"

    assert main(["import-ofsted", str(MI), "--data", str(demo)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == f"new version: {datadir.current_version(demo)}"
    versions = datadir.versions(demo, DIRECTOR)
    assert [v.action for v in versions[:2]] == ["import_ofsted", "import_gias"]
    assert versions[0].created_by.startswith("cli:")


def test_the_cli_lists_every_problem_and_exits_1_changing_nothing(demo, tmp_path, capsys):
    bad = write_csv(tmp_path / "edubase.csv", drop_columns(read_fixture(SAMPLE), "URN", "CloseDate"))
    assert main(["import-gias", str(bad), "--la", "204", "--data", str(demo)]) == 1
    err = capsys.readouterr().err
    assert "2 problem(s) found:" in err
    assert "edubase.csv, column 'URN': column is missing" in err
    assert "edubase.csv, column 'CloseDate': column is missing" in err
    assert "Traceback" not in err
    assert datadir.current_version(demo) is None

    assert main(["import-ofsted", str(tmp_path / "nowhere.csv"), "--data", str(demo)]) == 1
    assert "nowhere.csv: could not be found" in capsys.readouterr().err


def test_the_installed_command_imports_the_real_sample(demo):
    done = subprocess.run(
        [
            str(Path(sys.executable).parent / "g2g"),
            "import-gias",
            str(SAMPLE),
            "--la",
            "204",
            "--data",
            str(demo),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "3 establishment(s) read from gias-establishments-sample.csv; 1 in LA 204." in done.stdout
    assert f"new version: {datadir.current_version(demo)}" in done.stdout

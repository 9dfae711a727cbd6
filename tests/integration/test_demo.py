"""The Wexmoor demo borough (`g2g demo-data`): valid, deterministic, fictional; every rule of §4 fires."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from g2g_core.access import Viewer
from g2g_core.cli import main
from g2g_core.demo import BLOCK, FIRST_URN, NAMED_ADVISERS, SCENARIOS, write_demo
from g2g_core.rules import RULES, compute_flags
from g2g_core.schema import TABLES
from g2g_core.store import load_store, validate_dir

AS_OF = date(2026, 5, 18)
FILES = sorted([f"{t.name}.parquet" for t in TABLES] + ["dataset.json"])


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    write_demo(out)
    return out


@pytest.fixture(scope="module")
def flags(demo):
    store = load_store(demo)
    return compute_flags(store, Viewer.system(), store.default_as_of())


def expected_flags(schools: int) -> set[tuple[int, str]]:
    """(urn, rule) of every scenario school that should be flagged, block after block."""
    return {
        (FIRST_URN + start + slot, rule)
        for start in range(0, schools, BLOCK)
        for slot, _, rule in SCENARIOS
        if rule is not None and start + slot < schools
    }


def test_the_demo_borough_writes_one_file_per_table_and_its_description(demo):
    assert sorted(p.name for p in demo.iterdir()) == FILES
    meta = json.loads((demo / "dataset.json").read_text(encoding="utf-8"))
    assert meta == {
        "name": "Wexmoor demo borough (fictional)",
        "as_of": "2026-05-18",
        "generator": "g2g demo-data",
        "seed": 2026,
        "schools": 70,
        "years": 5,
    }


def test_the_demo_borough_is_valid(demo):
    assert validate_dir(demo) == []


def test_the_store_opens_the_demo_borough_on_its_recorded_date(demo):
    assert load_store(demo).default_as_of() == AS_OF


def test_every_rule_fires_in_the_demo_borough(flags):
    assert set(flags["rule"]) == {r.id for r in RULES}


def test_each_scenario_school_raises_its_own_flag_and_no_other(flags):
    got = set(zip(flags["urn"], flags["rule"], strict=True))
    assert got == expected_flags(70)


def test_the_edge_cases_raise_no_flag(flags):
    quiet = [FIRST_URN + slot for slot, _, rule in SCENARIOS if rule is None]
    assert len(quiet) == 4
    assert not set(flags["urn"]) & set(quiet)


def test_most_schools_in_the_demo_borough_raise_no_flag(flags):
    flagged = flags["urn"].n_unique()
    assert 70 - flagged > 35
    assert 70 - flagged >= 40


def test_the_demo_borough_is_fictional_and_shaped_like_a_borough(demo):
    con = duckdb.connect()
    schools = con.sql(f"SELECT * FROM read_parquet('{demo / 'schools.parquet'}')").fetchall()
    urns = [row[0] for row in schools]
    assert urns == list(range(900001, 900071))
    assert all(len(str(u)) == 6 for u in urns)
    assert len({row[1] for row in schools}) == 70
    closed = [row for row in schools if row[7] is not None]
    assert len(closed) == 2 and all(row[7] < AS_OF for row in closed)
    caseloads = dict(
        con.sql(
            f"SELECT adviser, count(*) FROM read_parquet('{demo / 'schools.parquet'}') "
            "WHERE adviser IS NOT NULL GROUP BY adviser"
        ).fetchall()
    )
    assert sorted(caseloads) == sorted(NAMED_ADVISERS)
    assert caseloads["lama.ashworth"] == 15 and caseloads["lama.brennan"] == 8
    phases = dict(
        con.sql(
            f"SELECT phase, count(*) FROM read_parquet('{demo / 'schools.parquet'}') GROUP BY 1"
        ).fetchall()
    )
    assert max(phases, key=phases.get) == "primary"


def test_nothing_in_the_demo_borough_is_dated_after_its_as_of_date_but_plans_and_decisions_ahead(demo):
    con = duckdb.connect()

    def latest(table: str, column: str) -> date:
        return con.sql(f"SELECT max({column}) FROM read_parquet('{demo / (table + '.parquet')}')").fetchall()[
            0
        ][0]

    for table, column in (
        ("hours", "date"),
        ("plan_reviews", "reviewed_on"),
        ("ofsted_inspections", "inspection_date"),
        ("risk_assessments", "term_start"),
        ("warnings", "issued_on"),
        ("warnings", "closed_on"),
        ("categorisations", "decided_on"),
        ("categorisations", "letter_sent_on"),
    ):
        assert latest(table, column) <= AS_OF, (table, column)
    assert latest("plan_reviews", "review_due") > AS_OF  # the summer reviews are still to come
    assert latest("categorisations", "effective_from") > AS_OF  # one decision for next September


def test_the_same_seed_gives_byte_identical_files(tmp_path):
    write_demo(tmp_path / "a", seed=11)
    write_demo(tmp_path / "b", seed=11)
    for name in FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_a_different_seed_gives_different_data(tmp_path):
    write_demo(tmp_path / "a", seed=11)
    write_demo(tmp_path / "b", seed=12)
    for name in ("schools.parquet", "hours.parquet", "categorisations.parquet", "risk_assessments.parquet"):
        assert (tmp_path / "a" / name).read_bytes() != (tmp_path / "b" / name).read_bytes(), name


def test_rewriting_the_demo_replaces_its_files_and_removes_csv_or_excel_copies_of_its_tables(tmp_path):
    (tmp_path / "hours.csv").write_text("urn\n1\n", encoding="utf-8")
    (tmp_path / "warnings.xlsx").write_bytes(b"not a workbook")
    (tmp_path / "notes.txt").write_text("kept", encoding="utf-8")
    (tmp_path / "schools.parquet").write_bytes(b"stale")
    write_demo(tmp_path)
    assert not (tmp_path / "hours.csv").exists() and not (tmp_path / "warnings.xlsx").exists()
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "kept"
    assert validate_dir(tmp_path) == []


def test_the_cli_writes_the_demo_borough(tmp_path, capsys):
    out = tmp_path / "cli"
    assert main(["demo-data", "--out", str(out), "--seed", "5"]) == 0
    said = capsys.readouterr().out
    assert said.startswith("wrote 70 schools") and "(as at 2026-05-18)" in said
    assert json.loads((out / "dataset.json").read_text(encoding="utf-8"))["seed"] == 5
    assert main(["validate", str(out)]) == 0


def test_a_national_shape_run_validates_and_flags_every_rule(tmp_path):
    out = tmp_path / "national"
    summary = write_demo(out, schools=700, years=3)
    assert summary.startswith("wrote 700 schools")
    assert validate_dir(out) == []
    store = load_store(out)
    flags = compute_flags(store, Viewer.system(), AS_OF)
    assert set(flags["rule"]) == {r.id for r in RULES}
    assert set(zip(flags["urn"], flags["rule"], strict=True)) == expected_flags(700)
    advisers = store.sql("SELECT DISTINCT adviser FROM schools WHERE adviser IS NOT NULL")[
        "adviser"
    ].to_list()
    assert 50 <= len(advisers) <= 70 and "lama.ashworth" in advisers and "adviser.0007" in advisers
    assert store.sql("SELECT max(urn) AS m FROM schools")["m"][0] == 900700


def test_demo_data_refuses_a_borough_without_schools_or_years(tmp_path):
    with pytest.raises(ValueError):
        write_demo(tmp_path, schools=0)
    with pytest.raises(ValueError):
        write_demo(tmp_path, years=0)

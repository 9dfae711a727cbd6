"""The numbers on the pages equal the same numbers worked out independently, straight from the Parquet files.

The overview's schools per level and the drilldown's hours are counted here with our own SQL over the
files; the Attention list is compared with the command line's `g2g flags ... --format json`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import duckdb
import pytest
from support.pages import ACCOUNTS, AS_OF, HEAD_URN, frames

from g2g_core.access import viewer_for
from g2g_core.policy import LEVEL_NAMES
from g2g_core.rules import RULE_BY_ID
from g2g_core.store import load_store
from g2g_core.views import ACTIVITY_NAMES, school_detail

ESC_RISK_SCHOOL = 900029  # the demo's school with a high termly risk rating (ESC_RISK)

# The current level of every open school: its categorisation with the latest effective_from <= as_of
# (SPEC §4); a school closed on or before as_of is not current.
LEVEL_COUNTS_SQL = """
WITH latest AS (
    SELECT urn, level,
           row_number() OVER (PARTITION BY urn ORDER BY effective_from DESC) AS newest_first
    FROM read_parquet($categorisations)
    WHERE effective_from <= $as_of
)
SELECT l.level, count(*) AS schools
FROM latest l JOIN read_parquet($schools) s ON s.urn = l.urn
WHERE l.newest_first = 1
  AND (s.closed_on IS NULL OR s.closed_on > $as_of)
  AND ($adviser IS NULL OR s.adviser = $adviser)
GROUP BY l.level
"""

# Hours per term and activity, with the SPEC §1.2 default terms (autumn 1 Sep-31 Dec, spring 1 Jan-31 Mar,
# summer 1 Apr-31 Aug), labelled like "Autumn 2025/26".
HOURS_SQL = """
WITH h AS (
    SELECT activity, hours,
           CASE WHEN month(date) >= 9 THEN year(date) ELSE year(date) - 1 END AS ay,
           CASE WHEN month(date) >= 9 THEN 'Autumn' WHEN month(date) <= 3 THEN 'Spring' ELSE 'Summer' END AS t
    FROM read_parquet($hours)
    WHERE urn = $urn AND date BETWEEN $first_day AND $as_of
)
SELECT t || ' ' || ay || '/' || lpad(((ay + 1) % 100)::VARCHAR, 2, '0') AS term, activity, sum(hours) AS hours
FROM h GROUP BY ALL
"""
# The drilldown covers nine terms up to as_of: autumn 2023/24 to summer 2025/26.
FIRST_DAY_OF_NINE_TERMS = "2023-09-01"


def level_counts(demo_dir, adviser: str | None = None) -> dict[str, int]:
    rows = duckdb.sql(
        LEVEL_COUNTS_SQL,
        params={
            "categorisations": str(demo_dir / "categorisations.parquet"),
            "schools": str(demo_dir / "schools.parquet"),
            "as_of": AS_OF,
            "adviser": adviser,
        },
    ).fetchall()
    counted = dict(rows)
    return {name: counted.get(level, 0) for level, name in LEVEL_NAMES.items()}


def hours_by_term(demo_dir, urn: int) -> dict[tuple[str, str], float]:
    rows = duckdb.sql(
        HOURS_SQL,
        params={
            "hours": str(demo_dir / "hours.parquet"),
            "urn": urn,
            "first_day": FIRST_DAY_OF_NINE_TERMS,
            "as_of": AS_OF,
        },
    ).fetchall()
    return {(term, activity): hours for term, activity, hours in rows}


def caseload(demo_dir, adviser: str) -> set[int]:
    rows = duckdb.sql(
        "SELECT urn FROM read_parquet(?) WHERE adviser = ?",
        params=[str(demo_dir / "schools.parquet"), adviser],
    ).fetchall()
    return {urn for (urn,) in rows}


def names(demo_dir) -> dict[int, str]:
    return dict(
        duckdb.sql(
            "SELECT urn, name FROM read_parquet(?)", params=[str(demo_dir / "schools.parquet")]
        ).fetchall()
    )


@pytest.fixture(scope="module")
def cli_flags(demo_dir) -> list[dict]:
    """`g2g flags DIR --as-of 2026-05-18 --format json`, run as a command."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "g2g_core",
            "flags",
            str(demo_dir),
            "--as-of",
            AS_OF.isoformat(),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def open_page(at, page: str):
    at.run()
    return at.switch_page(f"app_pages/{page}.py").run()


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize(("role", "adviser"), [("director", None), ("adviser", ACCOUNTS["adviser"])])
def test_the_overviews_schools_per_level_are_the_current_levels_of_the_open_schools(
    as_role, demo_dir, role, adviser
):
    at = open_page(as_role(role), "overview")
    assert not at.exception, at.exception
    shown = {name: int(value) for name, value in metrics(at).items() if name in LEVEL_NAMES.values()}
    assert shown == level_counts(demo_dir, adviser)


def test_the_adviser_counts_only_their_caseload(demo_dir):
    mine, everyone = level_counts(demo_dir, ACCOUNTS["adviser"]), level_counts(demo_dir)
    assert 0 < sum(mine.values()) < sum(everyone.values())


def test_the_overviews_flags_overdue_are_the_overdue_flags_of_the_command_line(as_role, cli_flags):
    at = open_page(as_role("director"), "overview")
    overdue = sum(f["severity"] == "overdue" for f in cli_flags)
    assert int(metrics(at)["Flags overdue"]) == overdue


def attention_rows(at) -> Counter:
    (table,) = frames(at)
    return Counter(zip(table["School"], table["What"], strict=True))


def expected_rows(cli_flags, demo_dir, urns: set[int] | None = None) -> Counter:
    school = names(demo_dir)
    return Counter(
        (school[f["urn"]], RULE_BY_ID[f["rule"]].title) for f in cli_flags if urns is None or f["urn"] in urns
    )


def test_the_directors_attention_list_is_every_flag_of_the_command_line(as_role, demo_dir, cli_flags):
    at = open_page(as_role("director"), "attention")
    assert not at.exception, at.exception
    assert attention_rows(at) == expected_rows(cli_flags, demo_dir)
    assert len(cli_flags) > 10


def test_the_advisers_attention_list_is_the_command_lines_flags_of_their_caseload(
    as_role, demo_dir, cli_flags
):
    at = open_page(as_role("adviser"), "attention")
    assert not at.exception, at.exception
    expected = expected_rows(cli_flags, demo_dir, caseload(demo_dir, ACCOUNTS["adviser"]))
    assert attention_rows(at) == expected
    assert 0 < sum(expected.values()) < len(cli_flags)


def hours_table(at, urn: int) -> dict[tuple[str, str], float]:
    """The drilldown's 'show as table' of hours per term, as (term, activity) -> hours."""
    at.toggle(key=f"table_hours_{urn}").set_value(True).run()
    assert not at.exception, at.exception
    by_header = {code: code for code in ACTIVITY_NAMES} | {
        name: code for code, name in ACTIVITY_NAMES.items()
    }
    (table,) = [t for t in frames(at) if set(t.columns) & set(by_header)]
    term = next(c for c in table.columns if str(c).lower() == "term")
    return {
        (row[term], by_header[col]): row[col]
        for _, row in table.iterrows()
        for col in table.columns
        if col in by_header and row[col] == row[col]  # NaN: no hours of that activity in that term
    }


@pytest.mark.parametrize(("role", "urn"), [("head", HEAD_URN), ("director", ESC_RISK_SCHOOL)])
def test_the_drilldowns_hours_per_term_are_the_sums_of_the_hours_rows(as_role, demo_dir, role, urn):
    at = as_role(role)
    if role == "director":
        at.query_params["urn"] = str(urn)
        at = open_page(at, "school")
    else:
        at.run()
    expected = hours_by_term(demo_dir, urn)
    assert len({term for term, _ in expected}) == 9
    shown = hours_table(at, urn)
    assert shown.keys() == expected.keys()
    assert shown == pytest.approx(expected)


def test_the_drilldown_view_sums_the_hours_rows_of_each_term(demo_dir):
    store = load_store(demo_dir)
    viewer = viewer_for(store, "head.nolbbrook", "head", HEAD_URN)
    detail = school_detail(store, viewer, HEAD_URN, AS_OF)
    got = {(r["term"], r["activity"]): r["hours"] for r in detail.hours.iter_rows(named=True)}
    assert got == pytest.approx(hours_by_term(demo_dir, HEAD_URN))

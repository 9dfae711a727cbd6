"""Reading export files and checking them against the data contract, set-based, every problem reported.

A Parquet file is read where it lies (`read_parquet`); a CSV or xlsx file is read as text into a raw table.
`load_table` types every column straight into the table the app queries and counts the broken rules in one
scan of it: the usual, valid file costs one read and one scan. Only when something is broken does
`check_table` build a typed copy that keeps each raw value and list every problem with the file, the row
(first data row = 1), the column and the value. Nothing here raises on bad data: it answers with `Problem`s.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from g2g_core.schema import TYPE_WORDS, Column, Table
from g2g_core.sheets import SheetError, csv_frame, read_xlsx, short

MAX_PROBLEMS_PER_TABLE = 10_000
INT_TYPES = {
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "UHUGEINT",
}
# Integer types every value of which is a BIGINT: reading them can never fail.
SAFE_INTS = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER"}


@dataclass(frozen=True)
class Problem:
    """One broken rule: where it is and what it breaks."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    rule: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        value = "" if self.value is None else f"value {_show(self.value)}: "
        return f"{', '.join(where)}: {value}{self.rule}"


def _show(value: str) -> str:
    text = value if len(value) <= 60 else value[:57] + "..."
    return repr(text)


def _kind(duck_type: str) -> str:
    t = duck_type.upper()
    if t in INT_TYPES:
        return "int"
    if t in {"FLOAT", "DOUBLE", "REAL"} or t.startswith("DECIMAL"):
        return "float"
    if t == "VARCHAR" or t.startswith("VARCHAR"):
        return "str"
    if t == "BOOLEAN":
        return "bool"
    if t == "DATE":
        return "date"
    if t.startswith("TIMESTAMP"):
        return "timestamp"
    return "other"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _typed(col: Column, src: str) -> tuple[str, str]:
    """SQL for the typed value and for 'present but unreadable', given the raw column's kind."""
    v = _q(col.name)
    s = f"NULLIF(trim(CAST({v} AS VARCHAR)), '')"
    target = col.type
    if target in ("str", "enum"):
        if src in ("str", "int", "float", "bool", "date"):
            return (f"NULLIF(CAST({v} AS VARCHAR), '')" if src == "str" else f"CAST({v} AS VARCHAR)"), "false"
        return "NULL::VARCHAR", f"{v} IS NOT NULL"
    if target == "int":
        if src == "int":
            return f"TRY_CAST({v} AS BIGINT)", f"{v} IS NOT NULL AND TRY_CAST({v} AS BIGINT) IS NULL"
        if src == "float":
            ok = f"isfinite({v}::DOUBLE) AND {v} = floor({v}) AND abs({v}) < 9e18"
            return f"CASE WHEN {ok} THEN CAST({v} AS BIGINT) END", f"{v} IS NOT NULL AND NOT ({ok})"
        if src == "str":
            ok = rf"regexp_full_match({s}, '[+-]?[0-9]{{1,18}}')"
            return f"CASE WHEN {ok} THEN CAST({s} AS BIGINT) END", f"{s} IS NOT NULL AND NOT {ok}"
    if target == "float":
        if src in ("int", "float"):
            ok = f"isfinite({v}::DOUBLE)"
            return f"CASE WHEN {ok} THEN {v}::DOUBLE END", f"{v} IS NOT NULL AND NOT {ok}"
        if src == "str":
            ok = rf"regexp_full_match({s}, '[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?')"
            return f"CASE WHEN {ok} THEN CAST({s} AS DOUBLE) END", f"{s} IS NOT NULL AND NOT {ok}"
    if target == "bool":
        if src == "bool":
            return v, "false"
        if src == "int":
            return (
                f"CASE {v} WHEN 1 THEN true WHEN 0 THEN false END",
                f"{v} IS NOT NULL AND {v} NOT IN (0, 1)",
            )
        if src == "str":
            low = f"lower({s})"
            return (
                f"CASE WHEN {low} IN ('true', '1') THEN true WHEN {low} IN ('false', '0') THEN false END",
                f"{s} IS NOT NULL AND {low} NOT IN ('true', 'false', '1', '0')",
            )
    if target == "date":
        if src == "date":
            return v, "false"
        if src == "timestamp":
            return (
                f"CASE WHEN CAST({v} AS DATE) = {v} THEN CAST({v} AS DATE) END",
                f"{v} IS NOT NULL AND CAST({v} AS DATE) <> {v}",
            )
        if src == "str":
            ok = rf"regexp_full_match({s}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') AND try_strptime({s}, '%Y-%m-%d') IS NOT NULL"
            return (
                f"CASE WHEN {ok} THEN CAST(strptime({s}, '%Y-%m-%d') AS DATE) END",
                f"{s} IS NOT NULL AND NOT ({ok})",
            )
    return f"NULL::{col.sql_type}", f"{v} IS NOT NULL"


@dataclass(frozen=True)
class Source:
    """Where one export's rows are read from: SQL for the rows as they are, and with `__row` numbers."""

    plain: str  # FROM-clause SQL over the rows in file order
    numbered: str  # the same rows with `__row` (the first data row is 1)
    params: dict[str, object]
    described: dict[str, str]  # column name -> DuckDB type


def open_source(
    con: duckdb.DuckDBPyConnection, table: Table, path: Path, raw_name: str
) -> Source | list[Problem]:
    """Open one export file: a Parquet file where it lies, a CSV or xlsx file as text in `raw_name`.

    Answers with problems when the file cannot be read at all.
    """
    label = path.name
    try:
        suffix = path.suffix.lower()
        if suffix == ".parquet":
            with path.open("rb") as fh:
                head = fh.read(4)
            if head != b"PAR1":
                return [
                    Problem(label, None, None, None, "is not a Parquet file (it does not start with PAR1)")
                ]
            params: dict[str, object] = {"g2g_path": os.path.abspath(path)}
            plain = "read_parquet($g2g_path)"
            numbered = "(SELECT *, file_row_number + 1 AS __row FROM read_parquet($g2g_path, file_row_number = true))"
            described = {
                r[0]: r[1] for r in con.sql(f"DESCRIBE SELECT * FROM {plain}", params=params).fetchall()
            }
            return Source(plain, numbered, params, described)
        frame = _read_text_table(path) if suffix == ".csv" else read_xlsx(path)
        frame = frame.with_row_index("__row", offset=1).with_columns(pl.col("__row").cast(pl.Int64))
        cur = con.cursor()
        try:
            cur.register("g2g_incoming_frame", frame)
            cur.sql(f"CREATE OR REPLACE TABLE {raw_name} AS SELECT * FROM g2g_incoming_frame")
            cur.unregister("g2g_incoming_frame")
        finally:
            cur.close()
        described = {r[0]: r[1] for r in con.sql(f"DESCRIBE {raw_name}").fetchall() if r[0] != "__row"}
        return Source(raw_name, raw_name, {}, described)
    except SheetError as exc:
        return [Problem(label, None, None, None, str(exc))]
    except FileNotFoundError:
        return [Problem(label, None, None, None, "could not be found (was it moved or deleted?)")]
    except PermissionError:
        return [Problem(label, None, None, None, "could not be read (permission denied)")]
    except (duckdb.Error, OSError, pl.exceptions.PolarsError, ValueError) as exc:
        return [unreadable(path, exc)]


def unreadable(path: Path, exc: BaseException) -> Problem:
    """The problem of a file that cannot be read as its kind."""
    return Problem(
        path.name, None, None, None, f"could not be read as a {path.suffix[1:]} file ({short(exc)})"
    )


def _read_text_table(path: Path) -> pl.DataFrame:
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SheetError(f"is not UTF-8 text (byte {exc.start}); save it as CSV UTF-8") from None
    return csv_frame(data)


def _missing(table: Table, src: Source, file_label: str) -> list[Problem]:
    return [
        Problem(file_label, None, c.name, None, f"column is missing (the {table.name} export must have it)")
        for c in table.columns
        if c.name not in src.described and c.default is None
    ]


def _rules(table: Table, bad: dict[str, str]) -> tuple[list[tuple[str, str, str]], dict[str, object]]:
    """Every row rule of a table as (column, condition that breaks it, rule), over typed columns.

    `bad` maps a column to SQL that is true where its raw value could not be read as its type.
    """
    rules: list[tuple[str, str, str]] = []
    params: dict[str, object] = {}
    for i, col in enumerate(table.columns):
        v, b = _q(col.name), bad[col.name]
        params[f"type_{i}"] = TYPE_WORDS[col.type]
        rules.append((col.name, b, f"$type_{i}"))
        if col.required:
            rules.append((col.name, f"{v} IS NULL AND NOT {b}", "'is required (it must not be empty)'"))
        if col.enum:
            params[f"enum_{i}"] = list(col.enum)
            params[f"enum_rule_{i}"] = "must be one of: " + ", ".join(col.enum)
            rules.append(
                (
                    col.name,
                    f"{v} IS NOT NULL AND NOT list_contains($enum_{i}::VARCHAR[], {v})",
                    f"$enum_rule_{i}",
                )
            )
        if col.check:
            params[f"check_rule_{i}"] = col.check_rule
            cond = re.sub(r"\bv\b", v, col.check)
            rules.append((col.name, f"{v} IS NOT NULL AND NOT ({cond})", f"$check_rule_{i}"))
    for j, rc in enumerate(table.row_checks):
        params[f"row_rule_{j}"] = rc.rule
        rules.append((rc.column, f"NOT COALESCE({rc.sql}, true)", f"$row_rule_{j}"))
    return rules, params


def _unique_keys(table: Table) -> tuple[str, str]:
    return ", ".join(_q(k) for k in table.unique), " AND ".join(_q(k) + " IS NOT NULL" for k in table.unique)


def load_table(
    con: duckdb.DuckDBPyConnection, table: Table, src: Source, name: str, file_label: str
) -> bool | None:
    """Type a source into the table `name` (contract columns, file order) and count its broken rules in one scan.

    True when every rule holds and `name` is ready; False when something is broken (nothing is left behind:
    `check_table` lists the problems); None when a required column is missing.
    """
    if _missing(table, src, file_label):
        return None
    select: list[str] = []
    bad: dict[str, str] = {}
    for col in table.columns:
        if col.name not in src.described:
            select.append(f"CAST({col.default} AS {col.sql_type}) AS {_q(col.name)}")
            bad[col.name] = "false"
            continue
        duck_type = src.described[col.name]
        typed, unreadable_sql = _typed(col, _kind(duck_type))
        select.append(f"{typed} AS {_q(col.name)}")
        if col.type == "int" and duck_type.upper() in SAFE_INTS:
            unreadable_sql = "false"
        if unreadable_sql == "false":
            bad[col.name] = "false"
        else:  # kept as a flag column until the count below, then dropped
            bad[col.name] = _q(col.name + "__bad")
            select.append(f"COALESCE({unreadable_sql}, false) AS {bad[col.name]}")
    con.sql(
        f"CREATE TABLE {_q(name)} AS SELECT {', '.join(select)} FROM {src.plain}", params=src.params or None
    )
    rules, params = _rules(table, bad)
    broken = " OR ".join(f"({cond})" for _, cond, _ in rules)
    used = {k: v for k, v in params.items() if k.startswith("enum_") and not k.startswith("enum_rule")}
    n_broken = con.sql(f"SELECT count(*) FROM {_q(name)} WHERE {broken}", params=used or None).fetchall()[0][
        0
    ]
    if not n_broken and table.unique:
        key, present = _unique_keys(table)
        dup = f"SELECT 1 FROM {_q(name)} WHERE {present} GROUP BY {key} HAVING count(*) > 1 LIMIT 1"
        n_broken = len(con.sql(dup).fetchall())
    if n_broken:
        con.sql(f"DROP TABLE {_q(name)}")
        return False
    for flag in {b for b in bad.values() if b != "false"}:
        con.sql(f"ALTER TABLE {_q(name)} DROP COLUMN {flag}")
    return True


def build_typed(con: duckdb.DuckDBPyConnection, table: Table, src: Source, typed_name: str) -> None:
    """A typed copy of a source that keeps, for each column, its raw text and whether it could be read."""
    select = ["__row"]
    for col in table.columns:
        if col.name not in src.described:
            select.append(f"CAST({col.default} AS {col.sql_type}) AS {_q(col.name)}")
            select.append(f"NULL::VARCHAR AS {_q(col.name + '__raw')}")
            select.append(f"false AS {_q(col.name + '__bad')}")
            continue
        typed, bad = _typed(col, _kind(src.described[col.name]))
        select.append(f"{typed} AS {_q(col.name)}")
        select.append(f"CAST({_q(col.name)} AS VARCHAR) AS {_q(col.name + '__raw')}")
        select.append(f"COALESCE({bad}, false) AS {_q(col.name + '__bad')}")
    con.sql(
        f"CREATE OR REPLACE TABLE {typed_name} AS SELECT {', '.join(select)} FROM {src.numbered}",
        params=src.params or None,
    )


def check_table(
    con: duckdb.DuckDBPyConnection, table: Table, src: Source, typed_name: str, file_label: str
) -> list[Problem]:
    """Type a source into `typed_name` and list every rule it breaks (except references to schools)."""
    missing = _missing(table, src, file_label)
    if missing:
        return missing
    build_typed(con, table, src, typed_name)
    rules, params = _rules(table, {c.name: _q(c.name + "__bad") for c in table.columns})
    checks = [
        f"SELECT __row, '{column.replace(chr(39), '')}' AS col, {_q(column + '__raw')} AS val, {rule} AS rule "
        f"FROM {typed_name} WHERE {cond}"
        for column, cond, rule in rules
    ]
    if table.unique:
        key, present = _unique_keys(table)
        shown = " || ' / ' || ".join(f"COALESCE({_q(k + '__raw')}, '')" for k in table.unique)
        params["unique_rule"] = (
            f"duplicates an earlier row: ({', '.join(table.unique)}) must be unique"
            if len(table.unique) > 1
            else f"duplicates an earlier row: {table.unique[0]} must be unique"
        )
        checks.append(
            f"SELECT __row, '{table.unique[0] if len(table.unique) == 1 else '+'.join(table.unique)}', {shown}, $unique_rule "
            f"FROM (SELECT *, row_number() OVER (PARTITION BY {key} ORDER BY __row) AS n FROM {typed_name} "
            f"WHERE {present}) WHERE n > 1"
        )
    return _run_checks(con, checks, params, file_label)


def _not_in_schools(schools_table: str) -> str:
    return f"urn IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {schools_table} s WHERE s.urn = t.urn)"


def count_not_in_schools(con: duckdb.DuckDBPyConnection, table_name: str, schools_table: str) -> int:
    """How many distinct urns of a table are not schools (0 in a valid directory)."""
    sql = f"SELECT count(*) FROM (SELECT DISTINCT urn FROM {table_name}) t WHERE {_not_in_schools(schools_table)}"
    return con.sql(sql).fetchall()[0][0]


def check_in_schools(
    con: duckdb.DuckDBPyConnection, typed_name: str, schools_table: str, file_label: str
) -> list[Problem]:
    """Rows whose urn is not a school in the schools export."""
    sql = (
        f"SELECT __row, 'urn', urn__raw, 'must be the urn of a school in the schools export' FROM {typed_name} t "
        f"WHERE {_not_in_schools(schools_table)}"
    )
    return _run_checks(con, [sql], {}, file_label)


_NOT_TERM_START = (
    "term_start IS NOT NULL AND term_start <> "
    "g2g_term_first(g2g_term_index(term_start, $aut, $spr, $sm), $aut, $spr, $sm)"
)


def count_bad_term_starts(con: duckdb.DuckDBPyConnection, table_name: str, params: dict[str, int]) -> int:
    """How many distinct term_start dates are not the first day of a term (0 in a valid directory)."""
    sql = f"SELECT count(*) FROM (SELECT DISTINCT term_start FROM {table_name}) WHERE {_NOT_TERM_START}"
    return con.sql(sql, params=params).fetchall()[0][0]


def check_term_starts(
    con: duckdb.DuckDBPyConnection, typed_name: str, params: dict[str, int], file_label: str
) -> list[Problem]:
    """Risk assessments must be dated on the first day of a term (policy term boundaries)."""
    sql = f"SELECT __row, 'term_start', term_start__raw, 'must be the first day of a term' FROM {typed_name} WHERE {_NOT_TERM_START}"
    return _run_checks(con, [sql], params, file_label)


def _run_checks(
    con: duckdb.DuckDBPyConnection, checks: list[str], params: dict, file_label: str
) -> list[Problem]:
    if not checks:
        return []
    union = " UNION ALL ".join(f"({c})" for c in checks)
    sql = f"SELECT * FROM ({union}) ORDER BY 1, 2 LIMIT {MAX_PROBLEMS_PER_TABLE + 1}"
    rows = con.sql(sql, params=params or None).fetchall()
    problems = [Problem(file_label, int(r[0]), r[1], r[2], r[3]) for r in rows[:MAX_PROBLEMS_PER_TABLE]]
    if len(rows) > MAX_PROBLEMS_PER_TABLE:
        total = con.sql(f"SELECT count(*) FROM ({union})", params=params or None).fetchall()[0][0]
        problems.append(
            Problem(
                file_label,
                None,
                None,
                None,
                f"has {total} problems in all; the first {MAX_PROBLEMS_PER_TABLE} are listed",
            )
        )
    return problems

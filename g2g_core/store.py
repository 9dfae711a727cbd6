"""DuckDB over a data directory: validated, typed tables in one connection, a cursor per query.

`load_store(dir)` reads every export once, checks it against the contract and, only if every file is valid,
returns a `Store` whose in-memory tables no later change to the files can half-replace. `open_store(dir)`
keeps one store per directory and process, reloading when the files change and keeping the last good
version when the new files are bad.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl

from g2g_core.policy import Policy, load_policy
from g2g_core.schema import FILE_SUFFIXES, TABLES, Table
from g2g_core.validate import Problem, check_in_schools, check_table, check_term_starts, read_raw

META_FILE = "dataset.json"
POINTER_FILE = "CURRENT"  # names the live version in history/ (see g2g_core.datadir)
HISTORY_DIR = "history"
VERSION_ID = re.compile(r"^[0-9]{8}T[0-9]{12}Z-[0-9a-f]{6}$")  # UTC to the microsecond, then random
QUERY_DIR = Path(__file__).parent / "queries"

TERM_MACROS = (
    "CREATE OR REPLACE MACRO g2g_md(d) AS month(d) * 100 + day(d)",
    "CREATE OR REPLACE MACRO g2g_term_index(d, aut, spr, sm) AS CASE "
    "WHEN g2g_md(d) >= aut THEN 3 * year(d) "
    "WHEN g2g_md(d) >= sm THEN 3 * (year(d) - 1) + 2 "
    "WHEN g2g_md(d) >= spr THEN 3 * (year(d) - 1) + 1 "
    "ELSE 3 * (year(d) - 1) END",
    "CREATE OR REPLACE MACRO g2g_term_first(i, aut, spr, sm) AS CASE i % 3 "
    "WHEN 0 THEN make_date(CAST(i // 3 AS BIGINT), CAST(aut // 100 AS BIGINT), CAST(aut % 100 AS BIGINT)) "
    "WHEN 1 THEN make_date(CAST(i // 3 + 1 AS BIGINT), CAST(spr // 100 AS BIGINT), CAST(spr % 100 AS BIGINT)) "
    "ELSE make_date(CAST(i // 3 + 1 AS BIGINT), CAST(sm // 100 AS BIGINT), CAST(sm % 100 AS BIGINT)) END",
    "CREATE OR REPLACE MACRO g2g_term_last(i, aut, spr, sm) AS g2g_term_first(i + 1, aut, spr, sm) - 1",
    "CREATE OR REPLACE MACRO g2g_day(d) AS strftime(CAST(d AS DATE), '%-d %B %Y')",
)


class DataError(Exception):
    """A data directory that cannot be used; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the data:\n" + "\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class TableInfo:
    """What was loaded for one table."""

    table: str
    path: Path | None
    rows: int
    modified: datetime | None
    size: int


@dataclass
class Store:
    """Validated data of one directory in one DuckDB connection; a fresh cursor per query."""

    con: duckdb.DuckDBPyConnection
    data_dir: Path
    policy: Policy
    version: str
    tables: dict[str, TableInfo]
    meta: dict = field(default_factory=dict)
    live: Path | None = None  # the folder the tables were read from (a history/ version, or data_dir)
    loaded_at: datetime = field(default_factory=datetime.now)

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of its own for one unit of work (one connection refuses concurrent calls)."""
        cur = self.con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    def sql(self, query: str, params: dict | None = None) -> pl.DataFrame:
        """Run one query with bound parameters (those it names) and return a Polars frame."""
        with self.cursor() as cur:
            return cur.sql(query, params=bind(query, params or {}) or None).pl()

    def named(self, name: str, params: dict | None = None) -> pl.DataFrame:
        """Run the named query `queries/<name>.sql`."""
        return self.sql(named_query(name), params)

    def default_as_of(self) -> date:
        """The date the data set records as its 'as at' date, or today."""
        recorded = self.meta.get("as_of")
        return date.fromisoformat(recorded) if recorded else date.today()

    def term_params(self) -> dict[str, int]:
        """Term boundaries of the policy in force, as bound parameters."""
        return self.policy.term_params()


_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def bind(sql: str, params: dict) -> dict:
    """Only the parameters a statement names (DuckDB refuses unused named parameters)."""
    wanted = set(_PARAM.findall(sql))
    return {k: v for k, v in params.items() if k in wanted}


_QUERY_CACHE: dict[str, str] = {}


def named_query(name: str) -> str:
    """The text of a named query in `g2g_core/queries/`."""
    if name not in _QUERY_CACHE:
        if not name.replace("_", "").isalnum():
            raise ValueError(f"not a query name: {name!r}")
        _QUERY_CACHE[name] = (QUERY_DIR / f"{name}.sql").read_text(encoding="utf-8")
    return _QUERY_CACHE[name]


def find_files(data_dir: Path) -> tuple[dict[str, Path], list[Problem]]:
    """The export file of each table in a directory, and problems such as a missing required table."""
    found: dict[str, Path] = {}
    problems: list[Problem] = []
    if not data_dir.is_dir():
        if data_dir.parent.name == HISTORY_DIR:
            rule = f"the version named in {POINTER_FILE} is missing: roll back to a version in {HISTORY_DIR}/"
            return {}, [Problem(str(data_dir.parent.parent / POINTER_FILE), None, None, None, rule)]
        return {}, [Problem(str(data_dir), None, None, None, "data directory not found")]
    for table in TABLES:
        candidates = [
            data_dir / f"{table.name}{sfx}"
            for sfx in FILE_SUFFIXES
            if (data_dir / f"{table.name}{sfx}").is_file()
        ]
        if len(candidates) > 1:
            names = ", ".join(c.name for c in candidates)
            problems.append(
                Problem(
                    candidates[0].name,
                    None,
                    None,
                    None,
                    f"more than one file for the {table.name} table ({names}); keep one",
                )
            )
        elif candidates:
            found[table.name] = candidates[0]
        elif table.required:
            problems.append(
                Problem(
                    f"{table.name}.parquet",
                    None,
                    None,
                    None,
                    f"is missing: the {table.name} table is required",
                )
            )
    return found, problems


def live_dir(data_dir: str | Path) -> Path:
    """The folder holding the data in force: the version `CURRENT` names, else the directory itself.

    A data directory is either flat (the export files in it, as `g2g demo-data` writes them) or versioned by
    uploads (`history/<version>/` folders and a `CURRENT` file naming the live one). A pointer that names no
    version resolves to a folder that does not exist, which loading reports as a problem.
    """
    root = Path(data_dir)
    pointer = root / POINTER_FILE
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return root
    except OSError:
        return root / HISTORY_DIR / "(unreadable CURRENT)"
    if not VERSION_ID.match(name):
        return root / HISTORY_DIR / "(invalid CURRENT)"
    return root / HISTORY_DIR / name


def fingerprint(data_dir: Path) -> str:
    """A version id for the files of a data directory's live folder (path, names, sizes, modification times)."""
    data_dir = live_dir(data_dir)
    parts = [str(data_dir)]
    if data_dir.is_dir():
        for path in sorted(data_dir.iterdir()):
            if path.is_file() and (path.suffix in FILE_SUFFIXES or path.name == META_FILE):
                st = path.stat()
                parts.append(f"{path.name}:{st.st_size}:{st.st_mtime_ns}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def _connect() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:", config={"threads": 2})
    for macro in TERM_MACROS:
        con.sql(macro)
    return con


def _empty_typed(con: duckdb.DuckDBPyConnection, table: Table) -> None:
    cols = ", ".join(f'NULL::{c.sql_type} AS "{c.name}"' for c in table.columns)
    con.sql(f'CREATE TABLE "{table.name}" AS SELECT {cols} LIMIT 0')


def _load_into(
    con: duckdb.DuckDBPyConnection, data_dir: Path, policy: Policy
) -> tuple[list[Problem], dict[str, TableInfo]]:
    files, problems = find_files(data_dir)
    infos: dict[str, TableInfo] = {}
    checked: set[str] = set()
    for table in TABLES:
        path = files.get(table.name)
        if path is None:
            if not table.required:
                _empty_typed(con, table)
                infos[table.name] = TableInfo(table.name, None, 0, None, 0)
            continue
        raw, typed = f"raw_{table.name}", f"typed_{table.name}"
        read_problems = read_raw(con, table, path, raw)
        if read_problems:
            problems += read_problems
            continue
        problems += check_table(con, table, raw, typed, path.name)
        con.sql(f"DROP TABLE IF EXISTS {raw}")
        if con.sql(f"SELECT count(*) FROM duckdb_tables() WHERE table_name = '{typed}'").fetchall()[0][0]:
            checked.add(table.name)
            st = path.stat()
            rows = con.sql(f"SELECT count(*) FROM {typed}").fetchall()[0][0]
            infos[table.name] = TableInfo(
                table.name, path, rows, datetime.fromtimestamp(st.st_mtime), st.st_size
            )
    for table in TABLES:
        if table.name not in checked:
            continue
        label = files[table.name].name
        if table.urn_in_schools and "schools" in checked:
            problems += check_in_schools(con, f"typed_{table.name}", "typed_schools", label)
        if table.name == "risk_assessments":
            problems += check_term_starts(con, f"typed_{table.name}", policy.term_params(), label)
    if not problems:
        for table in TABLES:
            if table.name in checked:
                cols = ", ".join(f'"{c}"' for c in table.names)
                con.sql(
                    f'CREATE TABLE "{table.name}" AS SELECT {cols} FROM typed_{table.name} ORDER BY __row'
                )
                con.sql(f"DROP TABLE typed_{table.name}")
    return problems, infos


def validate_dir(data_dir: str | Path, policy: Policy | None = None) -> list[Problem]:
    """Every problem of a data directory against the contract; an empty list when it is valid."""
    con = _connect()
    try:
        problems, _ = _load_into(con, live_dir(data_dir), policy or load_policy())
        return problems
    finally:
        con.close()


def read_meta(data_dir: Path) -> dict:
    """The data set's own description (dataset.json), if any."""
    path = data_dir / META_FILE
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
        return meta if isinstance(meta, dict) else {}
    except (OSError, ValueError):
        return {}


def load_store(data_dir: str | Path, policy: Policy | None = None) -> Store:
    """Load and validate a data directory; raise DataError listing every problem, loading nothing."""
    root = Path(data_dir).resolve()
    path = live_dir(root)
    policy = policy or load_policy()
    version = fingerprint(root)
    con = _connect()
    try:
        problems, infos = _load_into(con, path, policy)
    except (
        duckdb.Error
    ) as exc:  # a fault in DuckDB itself on a hostile file: still a message, not a traceback
        con.close()
        raise DataError([Problem(str(path), None, None, None, f"could not be loaded ({exc})")]) from None
    if problems:
        con.close()
        raise DataError(problems)
    # The connection can now read nothing but what it holds: no files, no network (SECURITY-NOTES, DuckDB).
    con.sql("SET enable_external_access = false")
    con.sql("SET lock_configuration = true")
    return Store(con, root, policy, version, infos, read_meta(path), live=path)


class StoreCache:
    """One store per data directory and process; reloaded when the files change, the last good one kept."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stores: dict[tuple[str, str], Store] = {}
        self.last_problems: dict[str, list[Problem]] = {}

    def get(self, data_dir: str | Path, policy: Policy | None = None) -> Store:
        """The current store of a directory (raises DataError only if no good version was ever loaded)."""
        path = Path(data_dir).resolve()
        policy = policy or load_policy()
        key = (str(path), policy.name)
        version = fingerprint(path)
        with self._lock:
            current = self._stores.get(key)
            if current is not None and current.version == version:
                return current
            try:
                store = load_store(path, policy)
            except DataError as err:
                self.last_problems[str(path)] = err.problems
                if current is not None:
                    return current
                raise
            self.last_problems.pop(str(path), None)
            self._stores[key] = store
            return store


STORES = StoreCache()


def open_store(data_dir: str | Path, policy: Policy | None = None) -> Store:
    """The process-wide store of a data directory."""
    return STORES.get(data_dir, policy)

"""DuckDB over a data directory: validated, typed tables in one connection, a cursor per query.

`load_store(dir)` reads every export once, checks it against the contract and, only if every file is valid,
returns a `Store` whose in-memory tables no later change to the files can half-replace. `open_store(dir)`
keeps one store per directory and process, reloading when the files change and keeping the last good
version when the new files are bad.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar

import duckdb
import polars as pl

from g2g_core.policy import Policy, load_policy
from g2g_core.schema import FILE_SUFFIXES, TABLES, Table
from g2g_core.validate import (
    Problem,
    Source,
    build_typed,
    check_in_schools,
    check_table,
    check_term_starts,
    count_bad_term_starts,
    count_not_in_schools,
    load_table,
    open_source,
    unreadable,
)

META_FILE = "dataset.json"
POINTER_FILE = "CURRENT"  # names the live version in history/ (see g2g_core.datadir)
HISTORY_DIR = "history"
VERSION_ID = re.compile(r"^[0-9]{8}T[0-9]{12}Z-[0-9a-f]{6}$")  # UTC to the microsecond, then random
QUERY_DIR = Path(__file__).parent / "queries"
MEMO_SIZE = 128  # results kept per data version (flags and schools per scope and date)
T = TypeVar("T")

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
    # The one scope predicate: `g2g_in_scope(x.urn, $scope_all, $scope_urns)` with the viewer's bound parameters
    # (g2g_core.access.Viewer.params): every school for a director, else the listed URNs only (none: nothing).
    "CREATE OR REPLACE MACRO g2g_in_scope(school_urn, scope_all, scope_urns) AS "
    "(scope_all OR school_urn IN (SELECT unnest(scope_urns::BIGINT[])))",
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
    _memo: OrderedDict = field(default_factory=OrderedDict, repr=False)
    _memo_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def memo(self, key: tuple, compute: Callable[[], T]) -> T:
        """A result of this data version, computed once per key (the key must name the viewer's scope).

        Shared by every session of the process; the oldest of `MEMO_SIZE` results is forgotten first.
        """
        with self._memo_lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]
        value = compute()
        with self._memo_lock:
            self._memo[key] = value
            while len(self._memo) > MEMO_SIZE:
                self._memo.popitem(last=False)
        return value

    def clear_memo(self) -> None:
        """Forget every memoised result (the benchmark's cold runs)."""
        with self._memo_lock:
            self._memo.clear()

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


def _connect(folder: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A connection that can read files under one folder only (none without a folder), and never spills to disk.

    DuckDB checks every path it opens against `allowed_directories` once external access is off (no other file,
    no network, no extension install or load); see `_seal` for the state after loading.
    """
    con = duckdb.connect(":memory:", config={"threads": 2})
    con.sql("SET temp_directory = ''")  # nothing spills to disk: the data fit in memory many times over
    con.sql("SET autoinstall_known_extensions = false")
    con.sql("SET autoload_known_extensions = false")
    if folder is not None:
        con.sql(
            "SET allowed_directories = $dirs", params={"dirs": [os.path.join(os.path.abspath(folder), "")]}
        )
    con.sql("SET enable_external_access = false")
    for macro in TERM_MACROS:
        con.sql(macro)
    return con


def _seal(con: duckdb.DuckDBPyConnection) -> None:
    """After loading, the connection reads and writes no file at all and its settings cannot be changed back."""
    con.sql("SET disabled_filesystems = 'LocalFileSystem'")
    con.sql("SET lock_configuration = true")


def _empty_typed(con: duckdb.DuckDBPyConnection, table: Table) -> None:
    cols = ", ".join(f'NULL::{c.sql_type} AS "{c.name}"' for c in table.columns)
    con.sql(f'CREATE TABLE "{table.name}" AS SELECT {cols} LIMIT 0')


def _load_into(
    con: duckdb.DuckDBPyConnection, data_dir: Path, policy: Policy
) -> tuple[list[Problem], dict[str, TableInfo]]:
    """Load every export of a folder into its table, checking every rule; the problems, and what was loaded.

    A valid table is typed once, straight into the table the app queries, and checked by counting (see
    `validate.load_table`); a table with a broken rule is checked again, row by row, to list its problems.
    """
    files, problems = find_files(data_dir)
    infos: dict[str, TableInfo] = {}
    sources: dict[str, Source] = {}
    typed: dict[
        str, str
    ] = {}  # table -> the typed table checked across files: its final name, or typed_<name>
    for table in TABLES:
        path = files.get(table.name)
        if path is None:
            if not table.required:
                _empty_typed(con, table)
                infos[table.name] = TableInfo(table.name, None, 0, None, 0)
            continue
        src = open_source(con, table, path, f"raw_{table.name}")
        if isinstance(src, list):
            problems += src
            continue
        sources[table.name] = src
        try:
            ready = load_table(con, table, src, table.name, path.name)
        except duckdb.Error as exc:  # a Parquet footer that reads, over pages that do not
            if path.suffix.lower() != ".parquet":
                raise
            problems.append(unreadable(path, exc))
            continue
        if ready is None:
            problems += check_table(con, table, src, f"typed_{table.name}", path.name)
            continue
        name = table.name if ready else f"typed_{table.name}"
        if not ready:
            problems += check_table(con, table, src, name, path.name)
        typed[table.name] = name
        st = path.stat()
        rows = con.sql(f'SELECT count(*) FROM "{name}"').fetchall()[0][0]
        infos[table.name] = TableInfo(table.name, path, rows, datetime.fromtimestamp(st.st_mtime), st.st_size)

    def explained(table: Table) -> str:
        """The typed table with raw values and row numbers, built now for a table that passed its own checks."""
        name = f"typed_{table.name}"
        if typed[table.name] != name:
            build_typed(con, table, sources[table.name], name)
        return name

    for table in TABLES:
        if table.name not in typed:
            continue
        label = files[table.name].name
        if table.urn_in_schools and "schools" in typed:
            if count_not_in_schools(con, typed[table.name], typed["schools"]):
                problems += check_in_schools(con, explained(table), typed["schools"], label)
        if table.name == "risk_assessments":
            if count_bad_term_starts(con, typed[table.name], policy.term_params()):
                problems += check_term_starts(con, explained(table), policy.term_params(), label)
    for table in TABLES:
        if table.name in sources and typed.get(table.name) == f"typed_{table.name}" and not problems:
            # Checked row by row and found valid after all: keep the typed values, in file order.
            cols = ", ".join(f'"{c}"' for c in table.names)
            con.sql(f'CREATE TABLE "{table.name}" AS SELECT {cols} FROM typed_{table.name} ORDER BY __row')
        con.sql(f"DROP TABLE IF EXISTS typed_{table.name}")
        con.sql(f"DROP TABLE IF EXISTS raw_{table.name}")
    return problems, infos


# Facts that depend only on the data, worked out once per data version so that queries as at any date are
# simple filters: each categorisation with the date the next one replaced it, the level before it, and the
# first day of the unbroken run of its level; the risk assessments folded to one row per school and term.
DERIVED = (
    """CREATE TABLE g2g_cat AS
    WITH w AS (
        SELECT c.*,
               lead(c.effective_from) OVER (PARTITION BY c.urn ORDER BY c.effective_from) AS valid_to,
               lag(c.level) OVER (PARTITION BY c.urn ORDER BY c.effective_from) AS prev_level
        FROM categorisations c
    ), r AS (
        SELECT *, sum(CASE WHEN level IS DISTINCT FROM prev_level THEN 1 ELSE 0 END)
                      OVER (PARTITION BY urn ORDER BY effective_from) AS run_id
        FROM w
    )
    SELECT * EXCLUDE (run_id), min(effective_from) OVER (PARTITION BY urn, run_id) AS level_since FROM r""",
    # One row per school and assessed term, with the areas rated high (ESC_RISK reads the latest term only).
    """CREATE TABLE g2g_risk_terms AS
    SELECT urn, term_start,
           string_agg(area, ', ' ORDER BY area) FILTER (WHERE rating = 'high') AS high_areas
    FROM risk_assessments GROUP BY urn, term_start""",
)


def derive(con: duckdb.DuckDBPyConnection) -> None:
    """Create the derived tables of a loaded, valid data version (`g2g_cat`, `g2g_risk_terms`)."""
    for statement in DERIVED:
        con.sql(statement)


def validate_dir(data_dir: str | Path, policy: Policy | None = None) -> list[Problem]:
    """Every problem of a data directory against the contract; an empty list when it is valid."""
    folder = live_dir(data_dir)
    con = _connect(folder)
    try:
        problems, _ = _load_into(con, folder, policy or load_policy())
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
    con = _connect(path)
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
    derive(con)
    # The connection can now read nothing but what it holds: no files, no network (SECURITY-NOTES, DuckDB).
    _seal(con)
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

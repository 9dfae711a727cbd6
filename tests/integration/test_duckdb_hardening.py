"""DuckDB hardening (issue 9): a loaded store's connection reads only what it holds, and loading reads only the folder.

The loading connection may open files under the folder being loaded and nowhere else; once loaded, the local
file system is switched off and the configuration locked, so no query can read or write a file, attach a
database, install or load an extension, or switch any of that back on.
"""

from __future__ import annotations

import duckdb
import polars as pl
import pytest
from fixtures import Borough

from g2g_core.store import _connect, load_store


@pytest.fixture
def loaded(borough: Borough, tmp_path):
    """A store loaded from a small valid borough, and a Parquet file outside its folder."""
    borough.school(100001).categorise(100001, "2024-09-01", "core")
    directory = borough.write()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    pl.DataFrame({"secret": [1, 2, 3]}).write_parquet(outside / "secret.parquet")
    store = load_store(directory)
    yield store, directory, outside
    store.con.close()


REFUSED = (duckdb.PermissionException, duckdb.InvalidInputException, duckdb.CatalogException)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_text('/etc/hostname')",
        "SELECT * FROM glob('/etc/*')",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET enable_external_access = true",
        "SET disabled_filesystems = ''",
        "SET allowed_directories = ['/']",
        "RESET lock_configuration",
    ],
)
def test_after_loading_no_query_reaches_a_file_or_turns_access_back_on(loaded, query):
    store, _, _ = loaded
    with store.cursor() as cur, pytest.raises(REFUSED):
        cur.sql(query)


def test_after_loading_not_even_the_loaded_folder_can_be_read_again(loaded):
    store, directory, outside = loaded
    for path in (outside / "secret.parquet", directory / "schools.parquet"):
        with store.cursor() as cur, pytest.raises(duckdb.PermissionException):
            cur.sql("SELECT * FROM read_parquet($p)", params={"p": str(path)}).fetchall()


def test_after_loading_nothing_can_be_written_or_attached(loaded):
    store, directory, outside = loaded
    with store.cursor() as cur:
        for sql in (
            f"COPY (SELECT 1 AS x) TO '{outside / 'copy.csv'}'",
            f"COPY (SELECT 1 AS x) TO '{directory / 'copy.csv'}'",
            f"ATTACH '{outside / 'other.duckdb'}' AS other",
        ):
            with pytest.raises(REFUSED):
                cur.sql(sql)
    assert not (outside / "copy.csv").exists() and not (directory / "copy.csv").exists()
    assert not (outside / "other.duckdb").exists()


def test_the_loaded_tables_still_answer(loaded):
    store, _, _ = loaded
    assert store.sql("SELECT count(*) AS n FROM schools")["n"][0] == 1


def test_the_loading_connection_reads_inside_its_folder_only(loaded):
    """The connection that loads a folder may open its files, but no file beside or above it."""
    _, directory, outside = loaded
    con = _connect(directory)
    try:
        assert con.sql(
            "SELECT count(*) FROM read_parquet($p)", params={"p": str(directory / "schools.parquet")}
        ).fetchall()
        for path in (
            outside / "secret.parquet",
            directory / ".." / "elsewhere" / "secret.parquet",
            "/etc/passwd",
        ):
            with pytest.raises(duckdb.PermissionException):
                con.sql("SELECT * FROM read_csv($p)", params={"p": str(path)}).fetchall()
        with pytest.raises(duckdb.InvalidInputException):
            con.sql("SET allowed_directories = ['/']")
    finally:
        con.close()

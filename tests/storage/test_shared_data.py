"""Several servers sharing the data versions.

Files at a shared URL, the pointer in PostgreSQL, a local copy each (issue 18 items 1 and 2; failure
behaviour, item 4). Two "servers" are two local copies in one test process (G2G_CACHE_DIR differs), or a child
process where a server must die part-way.
"""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import shutil
from pathlib import Path

import polars as pl
import psycopg
import pytest

from g2g_core import datadir, storage
from g2g_core.access import Viewer
from g2g_core.allocation import Scenario
from g2g_core.audit import AuditEvent, audit_log
from g2g_core.datadir import BusyError, Upload, UploadError
from g2g_core.demo import write_demo
from g2g_core.rules import compute_flags
from g2g_core.store import POINTER_FILE, live_dir, load_store

DIRECTOR = Viewer("director", "director", None)
URN = 900001


@pytest.fixture(scope="module")
def demo_source(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("shared_demo")
    write_demo(out)
    return out


@pytest.fixture
def shared(tmp_path, demo_source, pg_url) -> Path:
    """The shared folder: a flat demo borough, as `g2g demo-data` writes it."""
    return Path(shutil.copytree(demo_source, tmp_path / "shared"))


def server(tmp_path: Path, name: str, shared: Path, monkeypatch) -> Path:
    """The local data folder of server `name`, brought to the live version."""
    monkeypatch.setenv("G2G_CACHE_DIR", str(tmp_path / f"cache-{name}"))
    return storage.local_data_dir(shared)


def renamed(folder: Path, name: str) -> Upload:
    frame = pl.read_parquet(live_dir(folder) / "schools.parquet")
    frame = frame.with_columns(
        pl.when(pl.col("urn") == URN).then(pl.lit(name)).otherwise(pl.col("name")).alias("name")
    )
    buf = io.BytesIO()
    frame.write_parquet(buf)
    return Upload("schools", "schools.parquet", buf.getvalue())


def school_name(folder: Path) -> str:
    store = load_store(folder)
    try:
        return store.sql("SELECT name FROM schools WHERE urn = $u", {"u": URN}).item()
    finally:
        store.con.close()


def pointer(url: str) -> str | None:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT version_id FROM data_pointer").fetchone()
    return row[0] if row else None


def test_a_version_published_on_one_server_is_served_by_the_other_at_its_next_sync(
    tmp_path, shared, pg_url, monkeypatch
):
    a = server(tmp_path, "a", shared, monkeypatch)
    b = server(tmp_path, "b", shared, monkeypatch)
    first = (a / POINTER_FILE).read_text().strip()
    assert first == (b / POINTER_FILE).read_text().strip() == pointer(pg_url)
    original = school_name(a)

    version = datadir.publish(a, [renamed(a, "Renamed Academy")], DIRECTOR, note="from server A")
    assert pointer(pg_url) == version.id
    assert (shared / "history" / version.id / "manifest.json").is_file(), (
        "the files are on the shared storage"
    )
    assert school_name(b) == original, "B serves what it has until its next rerun"
    b = server(tmp_path, "b", shared, monkeypatch)
    assert school_name(b) == "Renamed Academy"

    back = datadir.rollback(b, first, DIRECTOR)  # roll back from the other server
    assert back.current and pointer(pg_url) == first
    a = server(tmp_path, "a", shared, monkeypatch)
    assert school_name(a) == original

    listed = datadir.versions(a, DIRECTOR)
    assert [v.id for v in listed][:2] == [version.id, first]
    assert [v.current for v in listed][:2] == [False, True]
    log = audit_log(a)
    assert log.read(DIRECTOR)["action"].to_list()[:2] == ["rollback", "upload"]
    assert log.verify() == []


def test_two_directors_publishing_at_once_one_wins_the_other_is_told(tmp_path, shared, pg_url, monkeypatch):
    a = server(tmp_path, "a", shared, monkeypatch)
    b = server(tmp_path, "b", shared, monkeypatch)
    before = pointer(pg_url)
    with datadir.locked(a):  # server A is publishing
        with pytest.raises(BusyError) as err:
            datadir.publish(b, [renamed(b, "Other Academy")], DIRECTOR)
    assert "another upload or roll back is in progress" in str(err.value)
    assert pointer(pg_url) == before
    version = datadir.publish(b, [renamed(b, "Other Academy")], DIRECTOR)  # once A is done, B can
    assert pointer(pg_url) == version.id


def _publish_and_die(url: str, shared: str, cache: str, where: str) -> None:
    """A server that dies part-way through a publish (no clean-up of any kind: os._exit)."""
    os.environ["G2G_DATABASE_URL"] = url
    os.environ["G2G_CACHE_DIR"] = cache
    from g2g_core.storage import postgres

    local = storage.local_data_dir(shared)
    if where == "after the files":
        postgres.PgVersions.publish = lambda self, manifest, event: os._exit(9)
    else:  # inside the transaction, after the pointer was switched, before the audit entry
        postgres.append_audit = lambda conn, event: os._exit(9)
    datadir.publish(local, [renamed(local, "Half Academy")], DIRECTOR)


@pytest.mark.parametrize("where", ["after the files", "inside the transaction"])
def test_a_server_killed_mid_publish_leaves_the_old_version_live(
    tmp_path, shared, pg_url, monkeypatch, where
):
    a = server(tmp_path, "a", shared, monkeypatch)
    before = pointer(pg_url)
    ctx = multiprocessing.get_context("spawn")
    proc = ctx.Process(
        target=_publish_and_die, args=(pg_url, str(shared), str(tmp_path / "cache-dying"), where)
    )
    proc.start()
    proc.join(timeout=300)
    assert proc.exitcode == 9
    assert pointer(pg_url) == before
    a = server(tmp_path, "a", shared, monkeypatch)
    assert school_name(a) != "Half Academy"
    assert audit_log(a).verify() == []


# --- The database away -------------------------------------------------------------------------------------------


def test_a_database_down_at_start_is_named_in_a_clear_message(monkeypatch):
    from support.postgres import free_port

    monkeypatch.setenv("G2G_DATABASE_URL", f"postgresql://g2g:secret@127.0.0.1:{free_port()}/g2g")
    with pytest.raises(storage.StorageUnavailable) as err:
        storage.database()
    message = str(err.value)
    assert "G2G_DATABASE_URL" in message and "cannot be reached" in message
    assert "secret" not in message


@pytest.fixture
def own_cluster():
    """A cluster of this test's own, which it may stop and start."""
    from support.postgres import Cluster

    cluster = Cluster()
    yield cluster
    cluster.remove()


def test_while_the_database_is_away_writes_are_refused_the_data_is_served_and_service_resumes(
    tmp_path, demo_source, own_cluster, monkeypatch
):
    import time

    from g2g_core.signin import SignInGuard

    monkeypatch.setenv("G2G_DATABASE_URL", own_cluster.database())
    shared_dir = Path(shutil.copytree(demo_source, tmp_path / "shared"))
    a = server(tmp_path, "a", shared_dir, monkeypatch)
    log = audit_log(a)
    log.record(AuditEvent("director", "director", "sign_in", None, ""))
    guard = SignInGuard(state=storage.throttle_state(), ended_sessions=storage.ended_sessions(a))
    try:
        own_cluster.stop()
        assert server(tmp_path, "a", shared_dir, monkeypatch) == a  # the local copy stays as it was
        assert school_name(a), "the loaded version is still served"
        for write in (
            lambda: log.record(AuditEvent("director", "director", "view_school", URN, "")),
            lambda: guard.reserve("director"),
            lambda: guard.end_session("sid", time.time() + 60),
            lambda: storage.scenario_store(a).save(Scenario(name="Away")),
        ):
            with pytest.raises(storage.StorageUnavailable, match="cannot be reached"):
                write()
        with pytest.raises(UploadError, match="shared database cannot be reached"):
            datadir.publish(a, [renamed(a, "Lost Academy")], DIRECTOR)
    finally:
        own_cluster.start()
    for _ in range(120):  # the pool reconnects by itself
        try:
            log.record(AuditEvent("director", "director", "view_school", URN, "back"))
            break
        except storage.StorageUnavailable:
            time.sleep(0.5)
    assert guard.reserve("director") == 0
    assert log.verify() == []
    assert log.read(DIRECTOR)["detail"].to_list()[0] == "back"


def test_the_command_line_reads_and_imports_through_the_shared_pointer(
    tmp_path, shared, pg_url, monkeypatch, capsys
):
    """With G2G_DATABASE_URL set, `g2g` works on the live shared version, as the servers do.

    An import publishes a new shared version (the pointer in PostgreSQL, the files on the shared storage, the
    audit entry in the shared log) that a server serves at its next sync; `g2g flags` reads the live version.
    """
    from g2g_core.cli import main

    mi = Path(__file__).resolve().parents[1] / "data" / "imports" / "ofsted-mi-most-recent.csv"
    a = server(tmp_path, "a", shared, monkeypatch)
    renamed_live = datadir.publish(a, [renamed(a, "Shared Lane Academy")], DIRECTOR)  # published by server A

    monkeypatch.setenv("G2G_CACHE_DIR", str(tmp_path / "cache-cli"))  # the command line's own local copy
    assert main(["import-ofsted", str(mi), "--data", str(shared)]) == 0
    new = capsys.readouterr().out.splitlines()[-1].removeprefix("new version: ")
    assert pointer(pg_url) == new != renamed_live.id
    manifest = shared / "history" / new / "manifest.json"
    assert manifest.is_file(), "the files are on the shared storage"
    assert json.loads(manifest.read_text())["parent"] == renamed_live.id, "imported onto the live version"

    a = server(tmp_path, "a", shared, monkeypatch)
    assert datadir.current_version(a) == new
    assert school_name(a) == "Shared Lane Academy", "the import kept the live version's other tables"
    log = audit_log(a)
    assert log.read(DIRECTOR)["action"].to_list()[:2] == ["import_ofsted", "upload"]
    assert log.verify() == []

    assert main(["flags", str(shared), "--format", "json"]) == 0
    listed = {(f["urn"], f["rule"]) for f in json.loads(capsys.readouterr().out)}
    store = load_store(a)
    try:
        flags = compute_flags(store, Viewer.system(), store.default_as_of())
    finally:
        store.con.close()
    assert listed == {(f["urn"], f["rule"]) for f in flags.iter_rows(named=True)} != set()

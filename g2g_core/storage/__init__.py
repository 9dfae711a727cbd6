"""Where the app keeps what it writes, chosen by one setting (SPEC §7; issue "Several app servers").

* Default (no `G2G_DATABASE_URL`): files and memory of one process, as `make run` has always used: the audit
  log as a JSON-lines file, failed sign-ins in memory, ended sessions in a file beside the audit log, saved
  scenarios as JSON files, the data version pointer as the `CURRENT` file with a file lock.
* `G2G_DATABASE_URL=postgresql://…`: the same interfaces in PostgreSQL (`g2g_core.storage.postgres`), shared
  by every app server behind a load balancer; the schema is created and upgraded from the numbered SQL files
  in `migrations/` when the first server connects.

The interfaces: `g2g_core.audit.AuditLog`, `g2g_core.scenarios.ScenarioStore`, and in
`g2g_core.storage.base` `ThrottleState`, `EndedSessions`, `VersionPointer`.
"""

from __future__ import annotations

import threading
from pathlib import Path

from g2g_core.settings import settings
from g2g_core.storage.base import (
    Count,
    EndedSessions,
    StorageUnavailable,
    ThrottleState,
    VersionPointer,
)
from g2g_core.storage.local import FileEndedSessions, MemoryThrottle

__all__ = [
    "Count",
    "EndedSessions",
    "StorageUnavailable",
    "ThrottleState",
    "VersionPointer",
    "audit_log",
    "cache_dir",
    "data_url",
    "database",
    "database_url",
    "ended_sessions",
    "local_data_dir",
    "scenario_store",
    "shared_data",
    "shared_for",
    "throttle_state",
]

_DATABASES: dict[str, object] = {}
_DATABASES_LOCK = threading.Lock()


def database_url() -> str | None:
    """G2G_DATABASE_URL: the PostgreSQL database every app server shares.

    E.g. `postgresql://g2g@db.internal:5432/g2g`; unset or empty means one server with files and memory.
    """
    secret = settings().database_url
    return (secret.get_secret_value().strip() or None) if secret is not None else None


def data_url() -> str | None:
    """G2G_DATA_URL: where the data versions are shared between servers.

    A local or network folder, or `s3://bucket/prefix` (with G2G_S3_ENDPOINT for an S3-compatible server);
    unset means G2G_DATA_DIR itself.
    """
    return (settings().data_url or "").strip() or None


def cache_dir() -> Path:
    """G2G_CACHE_DIR: the folder where this server keeps its local copies of shared data versions (default `~/.cache/g2g`)."""
    return settings().cache_dir or Path.home() / ".cache" / "g2g"


def database():
    """The shared PostgreSQL storage of G2G_DATABASE_URL (one connection pool a process), or None."""
    url = database_url()
    if url is None:
        return None
    with _DATABASES_LOCK:
        db = _DATABASES.get(url)
        if db is None:
            from g2g_core.storage.postgres import Database

            db = Database(url)
            _DATABASES[url] = db
        return db


def close_databases() -> None:
    """Close every pool (tests, and a process that ends)."""
    with _DATABASES_LOCK:
        for db in _DATABASES.values():
            db.close()
        _DATABASES.clear()
        _SHARED.clear()


def throttle_state() -> ThrottleState:
    """Where failed sign-ins are counted: this process's memory, or PostgreSQL shared by every server."""
    db = database()
    return db.throttle() if db is not None else MemoryThrottle()


def ended_sessions(data_dir: str | Path) -> EndedSessions:
    """Where signed-out sessions are kept: beside the audit log of `data_dir`, or PostgreSQL."""
    db = database()
    if db is not None:
        return db.ended_sessions()
    from g2g_core.audit import AUDIT_DIR

    return FileEndedSessions(Path(data_dir) / AUDIT_DIR)


def audit_log(data_dir: str | Path):
    """The audit log: the JSON-lines file beside the data, or PostgreSQL."""
    db = database()
    if db is not None:
        return db.audit_log()
    from g2g_core.audit import AUDIT_DIR, LocalAuditLog

    return LocalAuditLog(Path(data_dir) / AUDIT_DIR)


def scenario_store(folder: str | Path):
    """Saved what-if scenarios: JSON files in `folder`, or PostgreSQL."""
    db = database()
    if db is not None:
        return db.scenarios()
    from g2g_core.scenarios import LocalScenarioStore

    return LocalScenarioStore(folder)


_SHARED: dict[tuple[str, str, str], object] = {}


def shared_data(data_dir: str | Path):
    """The shared data versions of several servers (`g2g_core.storage.shared.SharedData`).

    Or None with one server. Shared when G2G_DATABASE_URL is set; the files live at G2G_DATA_URL, else in
    `data_dir`.
    """
    db = database()
    if db is None:
        return None
    url = data_url() or str(Path(data_dir).resolve())
    key = (db.url, url, str(cache_dir()))
    with _DATABASES_LOCK:
        shared = _SHARED.get(key)
        if shared is None:
            from g2g_core.storage.shared import SharedData

            shared = SharedData(url, db.versions(), cache_dir())
            _SHARED[key] = shared
        return shared


def local_data_dir(data_dir: str | Path) -> Path:
    """The folder this server loads the data from.

    `data_dir` itself with one server; with several, the local copy of the shared versions, brought to the
    live version first (a no-op when it is there already).
    """
    shared = shared_data(data_dir)
    if shared is None:
        return Path(data_dir)
    shared.sync()
    return shared.local


def shared_for(root: str | Path):
    """The SharedData whose local copy is `root`, or None (then `root` is an ordinary data directory)."""
    root = Path(root).resolve()
    with _DATABASES_LOCK:
        for shared in _SHARED.values():
            if shared.local.resolve() == root:
                return shared
    return None

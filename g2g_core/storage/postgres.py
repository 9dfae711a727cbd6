"""The shared storage of several app servers, in PostgreSQL (psycopg 3 and a connection pool).

Chosen by `G2G_DATABASE_URL` (see `g2g_core.storage`). The schema is created and upgraded by the app from
the numbered SQL files in `migrations/` (`001_initial.sql`, …), each applied once in one transaction and
recorded in `schema_version`, under an advisory lock so two servers starting together do not race.

* Audit log: rows of `audit_log`, which a trigger keeps append-only (UPDATE, DELETE and TRUNCATE raise).
  Appends are serialised by a transaction-level advisory lock, and each row stores the SHA-256 of its own
  fields and of the row before, so `verify()` reports a row edited or removed by someone with the rights to
  disable the trigger.
* Sign-in counts: one row a key, read and changed under row locks in one transaction, so failures on
  different servers add up and no attempt slips between the check and the count.
* Ended sessions, scenarios (a stale save is refused), the data version pointer with its history, and the
  upload lock (`pg_try_advisory_lock`).

Every operation that cannot reach the database raises `StorageUnavailable` with a sentence for the user;
nothing is half-written (each write is one transaction). The pool reconnects when the database is back.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import polars as pl
import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from g2g_core.access import Viewer
from g2g_core.audit import ACTIONS, GENESIS, MAX_DETAIL, AuditEvent
from g2g_core.scenarios import SavedScenario, ScenarioError, key_of, parse_scenario
from g2g_core.storage.base import Count, StorageUnavailable, T

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATION_FILE = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
# Advisory lock ids (any fixed 64-bit numbers, the same in every server).
LOCK_MIGRATE = 0x6732_6700_0001
LOCK_AUDIT = 0x6732_6700_0002
LOCK_UPLOAD = 0x6732_6700_0003
LOCK_THROTTLE = 0x6732_6700_0005
LOST = "the shared database cannot be reached just now, so nothing was saved; try again in a minute"


def where(url: str) -> str:
    """The host, port and database of a URL, without its password (for messages)."""
    try:
        parts = urlsplit(url)
        return f"{parts.hostname or 'localhost'}:{parts.port or 5432}{parts.path or ''}"
    except ValueError:
        return "(an unreadable address)"


class Database:
    """One pool of connections to the database of G2G_DATABASE_URL, and the stores that use it."""

    def __init__(self, url: str, *, min_size: int = 1, max_size: int = 8) -> None:
        self.url = url
        self.pool = ConnectionPool(
            url,
            min_size=min_size,
            max_size=max_size,
            open=False,
            timeout=10,
            check=ConnectionPool.check_connection,
            kwargs={"autocommit": True, "connect_timeout": 5},
            name="g2g",
        )
        try:
            with psycopg.connect(url, connect_timeout=5, autocommit=True) as conn:  # fails fast when down
                migrate(conn)
            self.pool.open(wait=True, timeout=15)
        except (psycopg.Error, PoolTimeout, StorageUnavailable) as exc:
            self.pool.close()
            raise StorageUnavailable(
                f"G2G_DATABASE_URL names a PostgreSQL database at {where(url)} that cannot be reached or "
                f"prepared ({type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc) else ''}). "
                "Start the database or correct G2G_DATABASE_URL; unset it to run one server with files."
            ) from None

    def close(self) -> None:
        """Close the pool's connections."""
        self.pool.close()

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection]:
        """A connection from the pool; StorageUnavailable when the database cannot be reached."""
        try:
            with self.pool.connection() as conn:
                yield conn
        except (
            psycopg.errors.TransactionRollback
        ):  # a deadlock or serialisation failure: a fault, not an outage
            raise
        except (psycopg.OperationalError, psycopg.InterfaceError, PoolTimeout):
            raise StorageUnavailable(LOST) from None

    def audit_log(self) -> PgAuditLog:
        """The shared audit log."""
        return PgAuditLog(self)

    def throttle(self) -> PgThrottle:
        """The shared failed sign-in counts."""
        return PgThrottle(self)

    def ended_sessions(self) -> PgEndedSessions:
        """The shared ended sessions."""
        return PgEndedSessions(self)

    def scenarios(self) -> PgScenarioStore:
        """The shared saved scenarios."""
        return PgScenarioStore(self)

    def versions(self) -> PgVersions:
        """The shared data version pointer, history and upload lock."""
        return PgVersions(self)


def migrations() -> list[tuple[int, str, str]]:
    """The migration files in order: (number, file name, SQL)."""
    found = []
    for path in sorted(MIGRATIONS.glob("*.sql")):
        m = MIGRATION_FILE.match(path.name)
        if m:
            found.append((int(m.group(1)), path.name, path.read_text(encoding="utf-8")))
    return found


def migrate(conn: psycopg.Connection) -> list[str]:
    """Apply the migrations not yet applied, each in its own transaction; the names of those applied."""
    applied_now = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_MIGRATE])
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version ("
            " version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = {row[0] for row in conn.execute("SELECT version FROM schema_version")}
        for number, name, sql in migrations():
            if number in done:
                continue
            with conn.transaction():
                conn.execute(sql)
                conn.execute("INSERT INTO schema_version (version, name) VALUES (%s, %s)", [number, name])
            applied_now.append(name)
    return applied_now


# --- Audit log ---------------------------------------------------------------------------------------------


def entry_hash(at: str, actor: str, role: str, action: str, urn: int | None, detail: str, prev: str) -> str:
    """The SHA-256 that chains an audit row: its fields and the hash of the row before, as canonical JSON."""
    body = {
        "at": at,
        "actor": actor,
        "role": role,
        "action": action,
        "urn": urn,
        "detail": detail,
        "prev": prev,
    }
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _stamp(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="milliseconds")


def append_audit(conn: psycopg.Connection, event: AuditEvent) -> None:
    """Append one audit row inside the caller's transaction, after every row already written (advisory lock)."""
    if event.action not in ACTIONS:
        raise ValueError(f"not an audit action: {event.action!r}")
    conn.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_AUDIT])
    row = conn.execute("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    prev = row[0] if row else GENESIS
    now = datetime.now(UTC)
    at = now.replace(microsecond=now.microsecond // 1000 * 1000)
    actor, role = str(event.actor)[:200], str(event.role)[:40]
    urn = int(event.urn) if event.urn is not None else None
    detail = str(event.detail)[:MAX_DETAIL]
    conn.execute(
        "INSERT INTO audit_log (at, actor, role, action, urn, detail, prev, hash)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        [
            at,
            actor,
            role,
            event.action,
            urn,
            detail,
            prev,
            entry_hash(_stamp(at), actor, role, event.action, urn, detail, prev),
        ],
    )


class PgAuditLog:
    """The audit log in PostgreSQL: append-only, hash-chained, one chain for every server."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def record(self, event: AuditEvent) -> None:
        """Append one entry, stamped with the time now (UTC), after every entry already written."""
        with self.db.connection() as conn, conn.transaction():
            append_audit(conn, event)

    def read(
        self,
        viewer: Viewer,
        *,
        actor: str | None = None,
        action: str | None = None,
        urn: int | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> pl.DataFrame:
        """Entries matching every filter given, newest first (raises PermissionError unless a director)."""
        if viewer.role != "director":
            raise PermissionError("only a director may read the audit log")
        where_sql, params = [], []
        for column, value in (("actor", actor), ("action", action), ("urn", urn)):
            if value is not None and value != "":
                where_sql.append(f"{column} = %s")
                params.append(value)
        if since is not None:
            where_sql.append("at >= %s")
            params.append(since)
        if until is not None:
            where_sql.append("at <= %s")
            params.append(until)
        sql = "SELECT at, actor, role, action, urn, detail FROM audit_log"
        if where_sql:
            sql += " WHERE " + " AND ".join(where_sql)
        sql += " ORDER BY seq DESC"
        with self.db.connection() as conn:
            rows = conn.execute(sql, params).fetchall()
        schema = {
            "at": pl.Datetime("us", "UTC"),
            "actor": pl.String,
            "role": pl.String,
            "action": pl.String,
            "urn": pl.Int64,
            "detail": pl.String,
        }
        data = [(r[0].astimezone(UTC), *r[1:]) for r in rows]
        return pl.DataFrame(data, schema=schema, orient="row") if data else pl.DataFrame(schema=schema)

    def verify(self) -> list[str]:
        """Rows whose stored hash no longer matches their fields, or whose predecessor was changed or removed."""
        problems = []
        previous = GENESIS
        with self.db.connection() as conn, conn.cursor(name="g2g_verify") as cur, conn.transaction():
            cur.execute(
                "SELECT seq, at, actor, role, action, urn, detail, prev, hash FROM audit_log ORDER BY seq"
            )
            for seq, at, actor, role, action, urn, detail, prev, stored in cur:
                if prev != previous:
                    problems.append(f"audit_log, entry {seq}: the entry before it was changed or removed")
                if entry_hash(_stamp(at), actor, role, action, urn, detail, prev) != stored:
                    problems.append(f"audit_log, entry {seq}: the entry was changed after it was written")
                previous = stored
        return problems


# --- Sign-in counts and ended sessions --------------------------------------------------------------------------


class PgThrottle:
    """Failed sign-ins per key, shared by every server."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def update(self, keys: list[str], change: Callable[[dict[str, Count]], T]) -> T:
        """Run `change` on the counts of `keys` atomically and keep what it changed (see ThrottleState)."""
        ordered = sorted(set(keys))
        with self.db.connection() as conn, conn.transaction():
            # One counting transaction at a time (sign-ins are few, bcrypt-bound): no deadlock between
            # transactions that touch overlapping keys, and the check and the count are one step.
            conn.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_THROTTLE])
            conn.execute(
                "INSERT INTO signin_counts (key) SELECT k FROM unnest(%s::text[]) AS k ORDER BY k"
                " ON CONFLICT (key) DO NOTHING",
                [ordered],
            )
            rows = conn.execute(
                "SELECT key, failures, since, locked_until FROM signin_counts WHERE key = ANY(%s)"
                " ORDER BY key FOR UPDATE",
                [ordered],
            ).fetchall()
            counts = {k: Count() for k in keys}
            for key, failures, since, locked_until in rows:
                counts[key] = Count(failures, since, locked_until)
            before = {k: (c.failures, c.since, c.locked_until) for k, c in counts.items()}
            result = change(counts)
            for key, count in counts.items():
                if count.empty:
                    conn.execute("DELETE FROM signin_counts WHERE key = %s", [key])
                elif (count.failures, count.since, count.locked_until) != before[key]:
                    conn.execute(
                        "UPDATE signin_counts SET failures = %s, since = %s, locked_until = %s WHERE key = %s",
                        [count.failures, count.since, count.locked_until, key],
                    )
            return result


class PgEndedSessions:
    """Signed-out sessions shared by every server (the SHA-256 of each id, never the id)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, session_id: str, expires_at: float) -> None:
        """Remember that a session ended, until its cookie would have expired."""
        from g2g_core.storage.local import session_digest

        with self.db.connection() as conn, conn.transaction():
            conn.execute(
                "INSERT INTO ended_sessions (digest, expires_at) VALUES (%s, %s)"
                " ON CONFLICT (digest) DO UPDATE SET expires_at = EXCLUDED.expires_at",
                [session_digest(session_id), float(expires_at)],
            )
            conn.execute("DELETE FROM ended_sessions WHERE expires_at < extract(epoch FROM now()) - 3600")

    def contains(self, session_id: str) -> bool:
        """Whether a session ended."""
        from g2g_core.storage.local import session_digest

        with self.db.connection() as conn:
            row = conn.execute(
                "SELECT 1 FROM ended_sessions WHERE digest = %s", [session_digest(session_id)]
            ).fetchone()
        return row is not None


# --- Scenarios ---------------------------------------------------------------------------------------------------


class PgScenarioStore:
    """Saved scenarios shared by every server; each save bumps a revision, and a stale save is refused."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def list(self) -> list[SavedScenario]:
        """Every saved scenario, sorted by name; a bad one is listed with its problem."""
        with self.db.connection() as conn:
            rows = conn.execute("SELECT key, name, body, revision FROM scenarios").fetchall()
        found = []
        for key, name, body, revision in rows:
            try:
                parse_scenario(body, f"'{key}'")
                found.append(SavedScenario(key, name or key, None, str(revision)))
            except ScenarioError as err:
                found.append(SavedScenario(key, key, str(err), str(revision)))
        return sorted(found, key=lambda s: (s.name.lower(), s.key))

    def load(self, name: str) -> object:
        """The scenario saved under a name (raises ScenarioError)."""
        key = key_of(name)
        with self.db.connection() as conn:
            row = conn.execute("SELECT body FROM scenarios WHERE key = %s", [key]).fetchone()
        if row is None:
            raise ScenarioError(f"There is no saved scenario called {name!r}.")
        return parse_scenario(row[0], f"'{key}'")

    def revision(self, name: str) -> str | None:
        """The revision of the scenario saved under a name (None when there is none)."""
        key = key_of(name)
        with self.db.connection() as conn:
            row = conn.execute("SELECT revision FROM scenarios WHERE key = %s", [key]).fetchone()
        return str(row[0]) if row else None

    def save(self, scenario, *, expected: str | None = None) -> SavedScenario:
        """Save under the scenario's name; a save over a newer revision than `expected` is refused."""
        from g2g_core.scenarios import checked, stale_message

        scenario = checked(scenario)
        key = key_of(scenario.name)
        body = scenario.model_dump_json(indent=2)
        with self.db.connection() as conn, conn.transaction():
            row = conn.execute("SELECT revision FROM scenarios WHERE key = %s FOR UPDATE", [key]).fetchone()
            current = str(row[0]) if row else None
            if expected is not None and expected != (current or ""):
                raise ScenarioError(stale_message(scenario.name))
            if row is None:
                conn.execute(
                    "INSERT INTO scenarios (key, name, body) VALUES (%s, %s, %s)", [key, scenario.name, body]
                )
                revision = 1
            else:
                revision = conn.execute(
                    "UPDATE scenarios SET name = %s, body = %s, revision = revision + 1, saved_at = now()"
                    " WHERE key = %s RETURNING revision",
                    [scenario.name, body, key],
                ).fetchone()[0]
        return SavedScenario(key, scenario.name, None, str(revision))

    def delete(self, name: str) -> bool:
        """Delete the scenario of a name; False when there was none."""
        key = key_of(name)
        with self.db.connection() as conn, conn.transaction():
            return conn.execute("DELETE FROM scenarios WHERE key = %s", [key]).rowcount > 0


# --- Data versions: the pointer, its history and the upload lock ----------------------------------------------


class UploadBusy(Exception):
    """Another server holds the upload lock."""


class PgVersions:
    """The live data version and the versions recorded, shared by every server."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def current(self) -> str | None:
        """The id of the live version (None before the first)."""
        with self.db.connection() as conn:
            row = conn.execute("SELECT version_id FROM data_pointer").fetchone()
        return row[0] if row else None

    def ids(self) -> list[str]:
        """The ids of every recorded version, newest first."""
        with self.db.connection() as conn:
            return [r[0] for r in conn.execute("SELECT id FROM data_versions ORDER BY id DESC")]

    def listing(self) -> list[dict]:
        """Every recorded version's manifest, newest first."""
        with self.db.connection() as conn:
            rows = conn.execute("SELECT manifest, created_at FROM data_versions ORDER BY id DESC").fetchall()
        found = []
        for text, created in rows:
            body = json.loads(text)
            body.setdefault("created_at", None)
            body["created_at"] = body["created_at"] or created.astimezone(UTC).isoformat(timespec="seconds")
            found.append(body)
        return found

    def manifest(self, version_id: str) -> dict | None:
        """The manifest of a recorded version (None when there is no such version)."""
        with self.db.connection() as conn:
            row = conn.execute("SELECT manifest FROM data_versions WHERE id = %s", [version_id]).fetchone()
        return json.loads(row[0]) if row else None

    def publish(self, manifest: dict, event: AuditEvent | None) -> None:
        """Record a version (its files already written under its id).

        Make it live and write the audit entry, all in one transaction: a server stopped part-way leaves the
        old pointer and no record.
        """
        with self.db.connection() as conn, conn.transaction():
            self._record(conn, manifest)
            self._point(conn, manifest["id"])
            if event is not None:
                append_audit(conn, event)
            conn.execute("SELECT pg_notify('g2g_data_version', %s)", [manifest["id"]])

    def adopt(self, manifest: dict) -> bool:
        """Record the first version and point at it, unless another server already did (False then)."""
        with self.db.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_UPLOAD + 1])
            if conn.execute("SELECT 1 FROM data_pointer").fetchone() is not None:
                return False
            self._record(conn, manifest)
            self._point(conn, manifest["id"])
        return True

    @staticmethod
    def _record(conn: psycopg.Connection, manifest: dict) -> None:
        conn.execute(
            "INSERT INTO data_versions (id, created_by, action, note, parent, manifest)"
            " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING",
            [
                manifest["id"],
                str(manifest.get("created_by", "")),
                str(manifest.get("action", "")),
                str(manifest.get("note", "")),
                manifest.get("parent"),
                json.dumps(manifest, ensure_ascii=False),
            ],
        )

    def switch(self, version_id: str, event: AuditEvent | None) -> None:
        """Point at a recorded version (roll back) and write the audit entry, in one transaction."""
        with self.db.connection() as conn, conn.transaction():
            if conn.execute("SELECT 1 FROM data_versions WHERE id = %s", [version_id]).fetchone() is None:
                raise KeyError(version_id)
            self._point(conn, version_id)
            if event is not None:
                append_audit(conn, event)
            conn.execute("SELECT pg_notify('g2g_data_version', %s)", [version_id])

    @staticmethod
    def _point(conn: psycopg.Connection, version_id: str) -> None:
        conn.execute(
            "INSERT INTO data_pointer (only_one, version_id) VALUES (true, %s)"
            " ON CONFLICT (only_one) DO UPDATE SET version_id = EXCLUDED.version_id, switched_at = now()",
            [version_id],
        )

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the upload lock for the whole publish (a session-level advisory lock on one connection).

        UploadBusy at once if another server holds it. The lock goes with the connection if the server dies.
        """
        with self.db.connection() as conn:
            got = conn.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_UPLOAD]).fetchone()[0]
            if not got:
                raise UploadBusy()
            try:
                yield
            finally:
                try:
                    conn.execute("SELECT pg_advisory_unlock(%s)", [LOCK_UPLOAD])
                except psycopg.Error:
                    pass

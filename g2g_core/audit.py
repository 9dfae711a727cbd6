"""The audit log: who signed in, opened which school, exported what, changed the data, and when.

`AuditLog` is the narrow storage interface of SPEC §7 (append and read, nothing else: there is no way to edit
or delete an entry). `g2g_core.storage.postgres.PgAuditLog` keeps it in PostgreSQL for several servers
(G2G_DATABASE_URL); `LocalAuditLog(folder)` is the default: one JSON object a line in `audit/audit.jsonl`
beside the data, appended under a file lock with one `write` per entry. Each entry carries the SHA-256 of the
line before it, so `verify()` finds any line edited, removed or inserted by hand outside the app.

Only a director may read the log: `read(viewer, ...)` raises `PermissionError` for anyone else, in the core,
whatever the page shows.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import polars as pl

from g2g_core.access import Viewer

AUDIT_DIR = "audit"
AUDIT_FILE = "audit.jsonl"
GENESIS = "0" * 64

# What the app records, and how the Data page names it.
ACTIONS: dict[str, str] = {
    "sign_in": "Signed in",
    "sign_in_failed": "Sign-in refused",
    "sign_out": "Signed out",
    "view_school": "Opened a school",
    "export_pack": "Downloaded a governors' pack",
    "export_table": "Downloaded a table",
    "upload": "Uploaded data",
    "upload_refused": "Upload refused",
    "rollback": "Rolled the data back",
    "import_gias": "Imported GIAS establishments",
    "import_ofsted": "Imported Ofsted inspections",
    "decisions": "Published a round of decisions",
    "decisions_refused": "Decisions refused",
    "decisions_draft": "Saved a draft round of decisions",
    "letters_sent": "Recorded letters as sent",
    "export_letter": "Downloaded a letter",
    "people_change": "Changed the people register",
    "save_scenario": "Saved a What-if scenario",
    "delete_scenario": "Deleted a What-if scenario",
}
COLUMNS = ("at", "actor", "role", "action", "urn", "detail")
MAX_DETAIL = 2000


@dataclass(frozen=True)
class AuditEvent:
    """One thing somebody did."""

    actor: str
    role: str
    action: str
    urn: int | None = None
    detail: str = ""


class AuditLog(Protocol):
    """Where audit entries live: append one, read them (directors only), check nothing was altered."""

    def record(self, event: AuditEvent) -> None:
        """Append one entry, stamped with the time now (UTC)."""
        ...

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
        ...

    def verify(self) -> list[str]:
        """Problems with the log's integrity; an empty list when no entry was altered."""
        ...


# The last lines read of each log file, with the size and modification time they were read at.
_READ: dict[Path, tuple[tuple[int, int], list[str]]] = {}
_READ_LOCK = threading.Lock()


def _line_hash(line: str) -> str:
    return hashlib.sha256(line.encode("utf-8")).hexdigest()


class LocalAuditLog:
    """The audit log as a JSON-lines file, append-only, hash-chained."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / AUDIT_FILE

    def record(self, event: AuditEvent) -> None:
        """Append one entry (under an exclusive lock, so concurrent writers never interleave a line)."""
        if event.action not in ACTIONS:
            raise ValueError(f"not an audit action: {event.action!r}")
        self.folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o640)
        with os.fdopen(fd, "r+b") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                previous = _last_line(fh)
                entry = {
                    "at": datetime.now(UTC).isoformat(timespec="milliseconds"),
                    "actor": str(event.actor)[:200],
                    "role": str(event.role)[:40],
                    "action": event.action,
                    "urn": int(event.urn) if event.urn is not None else None,
                    "detail": str(event.detail)[:MAX_DETAIL],
                    "prev": _line_hash(previous) if previous else GENESIS,
                }
                fh.seek(0, os.SEEK_END)
                fh.write((json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8"))
                fh.flush()
                os.fsync(fh.fileno())
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _lines(self) -> list[str]:
        """The log's lines, read once per change of the file (read and verify share them)."""
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return []
        stamp = (st.st_size, st.st_mtime_ns)
        with _READ_LOCK:
            cached = _READ.get(self.path)
            if cached and cached[0] == stamp:
                return cached[1]
        lines = self.path.read_text(encoding="utf-8").splitlines()
        with _READ_LOCK:
            _READ[self.path] = (stamp, lines)
        return lines

    def _entries(self) -> list[dict]:
        entries = []
        for line in self._lines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue  # verify() reports it
            if isinstance(entry, dict):
                entries.append(entry)
        return entries

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
        rows = []
        for e in self._entries():
            try:
                at = datetime.fromisoformat(str(e.get("at")))
            except ValueError:
                continue
            if actor and e.get("actor") != actor:
                continue
            if action and e.get("action") != action:
                continue
            if urn is not None and e.get("urn") != urn:
                continue
            if since and at < since:
                continue
            if until and at > until:
                continue
            rows.append(
                {
                    "at": at,
                    "actor": str(e.get("actor", "")),
                    "role": str(e.get("role", "")),
                    "action": str(e.get("action", "")),
                    "urn": e.get("urn") if isinstance(e.get("urn"), int) else None,
                    "detail": str(e.get("detail", "")),
                }
            )
        schema = {
            "at": pl.Datetime("us", "UTC"),
            "actor": pl.String,
            "role": pl.String,
            "action": pl.String,
            "urn": pl.Int64,
            "detail": pl.String,
        }
        return pl.DataFrame(rows[::-1], schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)

    def verify(self) -> list[str]:
        """Problems with the log's integrity: unreadable lines, or a line whose predecessor was changed."""
        lines = self._lines()
        problems = []
        previous = None
        for n, line in enumerate(lines, start=1):
            try:
                entry = json.loads(line)
                prev = entry["prev"]
            except (ValueError, KeyError, TypeError):
                problems.append(f"{AUDIT_FILE}, line {n}: not an audit entry")
                previous = line
                continue
            expected = _line_hash(previous) if previous is not None else GENESIS
            if prev != expected:
                problems.append(f"{AUDIT_FILE}, line {n}: the entry before it was changed or removed")
            previous = line
        return problems


def _last_line(fh) -> str | None:
    """The last complete line of a file open in binary (read backwards in blocks, so a long log costs little)."""
    raw = fh
    end = raw.seek(0, os.SEEK_END)
    if end == 0:
        return None
    block, data = 4096, b""
    pos = end
    while pos > 0:
        step = min(block, pos)
        pos -= step
        raw.seek(pos)
        data = raw.read(step) + data
        if data.count(b"\n") >= 2 or pos == 0:
            break
    lines = data.rstrip(b"\n").split(b"\n")
    return lines[-1].decode("utf-8", errors="replace") if lines and lines[-1] else None


def audit_log(data_dir: str | Path) -> AuditLog:
    """The audit log in force.

    The file beside the data directory (outside every version, so roll-backs keep it), or the shared
    PostgreSQL log when G2G_DATABASE_URL is set (`g2g_core.storage`).
    """
    from g2g_core import storage

    return storage.audit_log(data_dir)

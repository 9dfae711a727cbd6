"""Changing the data safely: uploads validated in staging, whole versions, an atomic switch, roll back.

A data directory starts flat (the export files in it). The first upload adopts those files as the first
version; from then on it looks like this::

    DIR/CURRENT                 the id of the live version (one line; replaced atomically)
    DIR/history/<id>/           one complete version: every table's file, dataset.json, manifest.json
    DIR/staging/<id>/           an upload being checked (removed when it ends, however it ends)
    DIR/audit/audit.jsonl       the audit log (g2g_core.audit), outside every version
    DIR/.lock                   held while an upload or roll back runs

`publish` copies the live version into a staging folder, writes the uploaded files over it under names it
chooses itself (never the uploader's), loads the whole folder through the same validation as the app, and
only if every file is valid renames the folder into `history/` and replaces `CURRENT`. Every failure before
that last step leaves `CURRENT`, and so the data served, exactly as it was. `rollback` points `CURRENT` back at
an older version, after checking it still loads. The running app sees the new pointer on its next rerun
(`store.fingerprint` follows it) and loads the new version; a version that cannot be loaded never replaces
the one being served.

Only a director may change the data: both functions take the viewer and refuse anyone else.
"""

from __future__ import annotations

import errno
import fcntl
import io
import json
import os
import re
import secrets
import shutil
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from g2g_core import storage
from g2g_core.access import Viewer
from g2g_core.audit import AuditEvent, audit_log
from g2g_core.policy import Policy, load_policy
from g2g_core.schema import FILE_SUFFIXES, TABLE_BY_NAME, TABLES
from g2g_core.settings import settings
from g2g_core.store import (
    HISTORY_DIR,
    META_FILE,
    POINTER_FILE,
    VERSION_ID,
    DataError,
    Problem,
    live_dir,
    load_store,
)

STAGING_DIR = "staging"
LOCK_FILE = ".lock"
MANIFEST = "manifest.json"
STALE_STAGING_SECONDS = 3600
MAGIC = {".parquet": b"PAR1", ".xlsx": b"PK\x03\x04"}

# The column that dates each table's rows, for the Data page's "date range".
DATE_COLUMN = {
    "categorisations": "effective_from",
    "hours": "date",
    "plan_reviews": "review_due",
    "ofsted_inspections": "inspection_date",
    "ofsted_areas": "inspection_date",
    "risk_assessments": "term_start",
    "warnings": "issued_on",
}


class UploadError(Exception):
    """An upload or roll back that changed nothing; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(
            f"{len(problems)} problem(s); nothing was changed:\n" + "\n".join(map(str, problems))
        )


class NotDoneError(UploadError):
    """The change could not be made for a reason outside its files (busy, storage away, disk full).

    Its problems name the data folder, not a file the person chose: a page says so in a sentence.
    """


class BusyError(NotDoneError):
    """Another upload or roll back holds the lock."""


@dataclass(frozen=True)
class Upload:
    """One file offered for one table: its name as the uploader called it, and its bytes."""

    table: str
    name: str
    data: bytes
    source: str | None = None  # where the data came from, when not the file itself (an import)

    @property
    def shown(self) -> str:
        """The name to show and record."""
        return display_name(self.source or self.name)


@dataclass(frozen=True)
class Version:
    """One version of the data in history/."""

    id: str
    created_at: datetime | None
    created_by: str
    action: str
    note: str
    parent: str | None
    files: dict
    current: bool


def display_name(name: str) -> str:
    """An uploader's file name made safe to show and record: its last part only, no control characters."""
    base = re.split(r"[\\/]", str(name))[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    if len(base) > 120:  # keep the type: a long name is cut in its middle part, never its extension
        suffix = Path(base).suffix[:20]
        base = base[: 120 - len(suffix) - 1] + "…" + suffix
    return base or "(no name)"


def max_upload_bytes() -> int:
    """The largest file an upload may be, in bytes (G2G_MAX_UPLOAD_MB, read now)."""
    return settings().max_upload_bytes


def check_upload(upload: Upload) -> list[Problem]:
    """What is wrong with a file before anything parses it: table, type, size, and that its bytes match its type."""
    label = display_name(upload.name)
    suffix = Path(label).suffix.lower()
    problems = []
    if upload.table not in TABLE_BY_NAME:
        tables = ", ".join(TABLE_BY_NAME)
        problems.append(
            Problem(label, None, None, upload.table, f"is not a table of the contract ({tables})")
        )
    if suffix not in FILE_SUFFIXES:
        problems.append(
            Problem(label, None, None, None, "has the wrong type: upload a .parquet, .csv or .xlsx file")
        )
        return problems
    size = len(upload.data)
    if size == 0:
        problems.append(Problem(label, None, None, None, "is empty"))
        return problems
    limit = max_upload_bytes()
    if size > limit:
        problems.append(
            Problem(
                label,
                None,
                None,
                None,
                f"is {size / 1048576:.1f} MB; the limit is {limit / 1048576:g} MB a file",
            )
        )
        return problems
    magic = MAGIC.get(suffix)
    if magic and not upload.data.startswith(magic):
        problems.append(
            Problem(
                label, None, None, None, f"is not really a {suffix} file (its contents are of another type)"
            )
        )
    elif suffix == ".parquet" and not upload.data.endswith(b"PAR1"):
        problems.append(Problem(label, None, None, None, "is not a complete Parquet file (it is truncated)"))
    elif suffix == ".csv" and (upload.data.startswith(b"PK\x03\x04") or upload.data.startswith(b"PAR1")):
        problems.append(Problem(label, None, None, None, "is not really a .csv file (it is a binary file)"))
    return problems


def _busy(data_dir: Path) -> BusyError:
    return BusyError(
        [
            Problem(
                str(data_dir.name),
                None,
                None,
                None,
                "another upload or roll back is in progress; try again when it has finished",
            )
        ]
    )


def _unreachable(data_dir: Path, what: str) -> NotDoneError:
    return NotDoneError(
        [
            Problem(
                str(data_dir.name),
                None,
                None,
                None,
                f"the shared database cannot be reached, so {what}; try again in a minute",
            )
        ]
    )


@contextmanager
def locked(data_dir: Path) -> Iterator[None]:
    """Hold the data directory's lock; BusyError at once if somebody else holds it.

    With several servers (`g2g_core.storage.shared`) the lock is PostgreSQL's upload lock, held by one server
    at a time, and the local copy is first brought to the live version.
    """
    shared = storage.shared_for(data_dir)
    if shared is not None:
        from g2g_core.storage.postgres import UploadBusy

        try:
            with shared.versions.locked():
                if shared.sync() is None:
                    raise _unreachable(data_dir, "nothing was changed")
                yield
        except UploadBusy:
            raise _busy(data_dir) from None
        except storage.StorageUnavailable:
            raise _unreachable(data_dir, "nothing was changed") from None
        return
    data_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(data_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o640)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise _busy(data_dir) from None
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def new_version_id() -> str:
    """A unique, time-ordered version id such as 20261123T121500123456Z-3fa2c1 (UTC to the microsecond)."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ") + "-" + secrets.token_hex(3)


def current_version(data_dir: str | Path) -> str | None:
    """The id of the live version, or None for a flat directory never uploaded to."""
    live = live_dir(data_dir)
    return live.name if live.parent.name == HISTORY_DIR and live != Path(data_dir) else None


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_file(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _switch_pointer(data_dir: Path, version_id: str) -> None:
    """Make `version_id` the live version in one atomic step (write a new pointer, then rename it over)."""
    tmp = data_dir / f".{POINTER_FILE}.{os.getpid()}.tmp"
    try:
        _write_file(tmp, (version_id + "\n").encode())
        os.replace(tmp, data_dir / POINTER_FILE)
    finally:
        tmp.unlink(missing_ok=True)
    _fsync_dir(data_dir)


def _move_into_history(stage: Path, data_dir: Path, version_id: str) -> Path:
    """Rename a checked staging folder into history/ (one rename on one file system)."""
    history = data_dir / HISTORY_DIR
    history.mkdir(exist_ok=True)
    target = history / version_id
    os.rename(stage, target)
    _fsync_dir(history)
    return target


def _table_files(folder: Path) -> dict[str, Path]:
    found = {}
    for table in TABLES:
        for sfx in FILE_SUFFIXES:
            if (folder / f"{table.name}{sfx}").is_file():
                found.setdefault(table.name, folder / f"{table.name}{sfx}")
    return found


def _manifest(
    version_id: str, viewer: Viewer, action: str, note: str, parent: str | None, files: dict
) -> bytes:
    body = {
        "id": version_id,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "created_by": viewer.username,
        "action": action,
        "note": note,
        "parent": parent,
        "files": files,
    }
    return json.dumps(body, indent=2, ensure_ascii=False).encode("utf-8")


def _clean_staging(data_dir: Path) -> None:
    staging = data_dir / STAGING_DIR
    if not staging.is_dir():
        return
    for entry in staging.iterdir():
        try:
            if time.time() - entry.stat().st_mtime > STALE_STAGING_SECONDS:
                shutil.rmtree(entry, ignore_errors=True)
        except OSError:
            pass


def _adopt_flat(data_dir: Path, viewer: Viewer) -> str | None:
    """Copy a flat directory's files into history/ as its first version and point CURRENT at it."""
    files = _table_files(data_dir)
    if not files:
        return None
    version_id = new_version_id()
    stage = data_dir / STAGING_DIR / version_id
    stage.mkdir(parents=True)
    try:
        listing = {}
        for table, path in files.items():
            shutil.copy2(path, stage / path.name)
            listing[table] = {"file": path.name, "source": path.name, "bytes": path.stat().st_size}
        if (data_dir / META_FILE).is_file():
            shutil.copy2(data_dir / META_FILE, stage / META_FILE)
        note = "the files in the data directory before the first upload"
        _write_file(stage / MANIFEST, _manifest(version_id, viewer, "initial", note, None, listing))
        _move_into_history(stage, data_dir, version_id)
        _switch_pointer(data_dir, version_id)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return version_id


def require_director(viewer: Viewer) -> None:
    """Refuse anyone but a director (PermissionError): only directors change the data."""
    if viewer.role != "director":
        raise PermissionError("only a director may change the data")


def publish(
    data_dir: str | Path,
    uploads: list[Upload],
    viewer: Viewer,
    *,
    action: str = "upload",
    note: str = "",
    policy: Policy | None = None,
) -> Version:
    """Validate uploads together with the rest of the live data and, if all is valid, make them live.

    Raises UploadError listing every problem (nothing changed), BusyError if another change is running,
    PermissionError for anyone but a director.
    """
    require_director(viewer)
    root = Path(data_dir).resolve()
    policy = policy or load_policy()
    log = audit_log(root)
    problems = [p for up in uploads for p in check_upload(up)]
    seen: dict[str, str] = {}
    for up in uploads:
        if up.table in seen:
            problems.append(
                Problem(
                    display_name(up.name),
                    None,
                    None,
                    None,
                    f"is a second file for the {up.table} table (with {seen[up.table]}); upload one",
                )
            )
        seen[up.table] = display_name(up.name)
    if not uploads:
        problems.append(Problem(root.name, None, None, None, "no file was uploaded"))
    if problems:
        _refused(log, viewer, action, uploads, problems)
        raise UploadError(problems)
    try:
        with locked(root):
            return _publish_locked(root, uploads, viewer, action, note, policy, log)
    except BusyError:
        raise
    except UploadError as err:
        _refused(log, viewer, action, uploads, err.problems)
        raise


def _refused(log, viewer: Viewer, action: str, uploads: list[Upload], problems: list[Problem]) -> None:
    names = ", ".join(f"{u.shown} → {u.table}" for u in uploads) or "no file"
    detail = f"{action}: {names}; {len(problems)} problem(s), first: {problems[0]}" if problems else names
    try:
        log.record(AuditEvent(viewer.username, viewer.role, "upload_refused", None, detail))
    except storage.StorageUnavailable:  # the shared log is away: the refusal itself still stands
        pass


def _publish_locked(
    root: Path, uploads: list[Upload], viewer: Viewer, action: str, note: str, policy: Policy, log
) -> Version:
    _clean_staging(root)
    shared = storage.shared_for(root)
    parent = current_version(root)
    live = live_dir(root)
    version_id = new_version_id()
    stage = root / STAGING_DIR / version_id
    stage.mkdir(parents=True)
    names = {}  # staged file name -> the uploader's name, so problems name the file they uploaded
    try:
        replaced = {u.table for u in uploads}
        listing: dict[str, dict] = {}
        try:
            previous = json.loads((live / MANIFEST).read_text(encoding="utf-8")).get("files", {})
        except (OSError, ValueError):
            previous = {}
        for table, path in _table_files(live).items():
            if table not in replaced:
                shutil.copy2(path, stage / path.name)
                listing[table] = previous.get(table) or {"file": path.name, "source": path.name}
        if (live / META_FILE).is_file():
            shutil.copy2(live / META_FILE, stage / META_FILE)
        for up in uploads:
            staged = f"{up.table}{Path(display_name(up.name)).suffix.lower()}"
            _write_file(stage / staged, up.data)
            names[staged] = display_name(up.name)
        try:
            store = load_store(stage, policy)
        except DataError as err:
            raise UploadError([_renamed(p, names) for p in err.problems]) from None
        try:
            for up in uploads:
                staged = stage / f"{up.table}{Path(display_name(up.name)).suffix.lower()}"
                if staged.suffix != ".parquet":  # CSV and Excel are kept as Parquet once valid (SPEC §2)
                    frame = store.sql(f'SELECT * FROM "{up.table}"')
                    buf = io.BytesIO()
                    frame.write_parquet(buf)
                    _write_file(stage / f"{up.table}.parquet", buf.getvalue())
                    staged.unlink()
                listing[up.table] = {
                    "file": f"{up.table}.parquet" if staged.suffix != ".parquet" else staged.name,
                    "source": up.shown,
                    "bytes": len(up.data),
                    "rows": store.tables[up.table].rows,
                    "uploaded_at": datetime.now(UTC).isoformat(timespec="seconds"),
                    "uploaded_by": viewer.username,
                }
        finally:
            store.con.close()
        if parent is None:  # the first upload: keep the flat files as the first version (roll back target)
            parent = _adopt_flat(root, viewer)
        version_id = new_version_id()  # stamped now, so it sorts after every version already in history
        _write_file(stage / MANIFEST, _manifest(version_id, viewer, action, note, parent, listing))
        _fsync_dir(stage)
        target = _move_into_history(stage, root, version_id)
        detail = ", ".join(f"{u.shown} → {u.table}" for u in uploads)
        event = AuditEvent(viewer.username, viewer.role, action, None, f"version {version_id}: {detail}")
        if shared is not None:
            _go_live_shared(shared, root, target, version_id, event)
            return _read_version(root, version_id)
        try:
            _switch_pointer(root, version_id)
        except BaseException as exc:
            # Remove the new version only if it never went live. A failure after the pointer was replaced
            # (syncing the directory) must not delete the version CURRENT now names: that upload succeeded.
            if current_version(root) != version_id:
                shutil.rmtree(target, ignore_errors=True)
                raise
            if not isinstance(exc, OSError):
                raise
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        if exc.errno == errno.ENOSPC:
            reason = "the disk is full"
        raise NotDoneError(
            [Problem(root.name, None, None, None, f"the new version could not be written ({reason})")]
        ) from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    log.record(event)
    return _read_version(root, version_id)


def _go_live_shared(shared, root: Path, target: Path, version_id: str, event: AuditEvent) -> None:
    """Several servers.

    The version's files to the shared storage under its new id, then the version, the pointer and the audit
    entry in one transaction, then this server's local pointer.
    """
    try:
        shared.push(target, version_id)
        manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
        shared.versions.publish(manifest, event)
    except storage.StorageUnavailable:
        shutil.rmtree(target, ignore_errors=True)
        raise _unreachable(root, "the new version was not published") from None
    except OSError as exc:  # the shared storage refused the files: nothing was recorded
        shutil.rmtree(target, ignore_errors=True)
        raise NotDoneError(
            [
                Problem(
                    root.name,
                    None,
                    None,
                    None,
                    f"the new version could not be written to the shared storage ({exc})",
                )
            ]
        ) from None
    shared._point_locally(version_id)


def _renamed(problem: Problem, names: dict[str, str]) -> Problem:
    shown = names.get(problem.file)
    return replace(problem, file=shown) if shown else problem


def rollback(data_dir: str | Path, version_id: str, viewer: Viewer, policy: Policy | None = None) -> Version:
    """Make an older version live again, after checking it still loads (UploadError if not; nothing changes)."""
    require_director(viewer)
    root = Path(data_dir).resolve()
    shared = storage.shared_for(root)
    if shared is not None and VERSION_ID.match(str(version_id)):
        try:
            if version_id in shared.versions.ids():
                shared.fetch(version_id)
        except storage.StorageUnavailable:
            raise _unreachable(root, "nothing was changed") from None
    if not VERSION_ID.match(str(version_id)) or not (root / HISTORY_DIR / version_id).is_dir():
        raise UploadError([Problem(root.name, None, None, str(version_id), "is not a version in history/")])
    with locked(root):
        before = current_version(root)
        try:
            store = load_store(root / HISTORY_DIR / version_id, policy or load_policy())
        except DataError as err:
            raise UploadError(err.problems) from None
        store.con.close()
        event = AuditEvent(
            viewer.username, viewer.role, "rollback", None, f"from version {before} to {version_id}"
        )
        if shared is not None:
            try:
                shared.versions.switch(version_id, event)
            except storage.StorageUnavailable:
                raise _unreachable(root, "nothing was changed") from None
            shared._point_locally(version_id)
            return _read_version(root, version_id)
        try:
            _switch_pointer(root, version_id)
        except OSError as exc:
            raise NotDoneError(
                [
                    Problem(
                        root.name,
                        None,
                        None,
                        None,
                        f"could not switch versions ({os.strerror(exc.errno or 0)})",
                    )
                ]
            ) from None
    audit_log(root).record(event)
    return _read_version(root, version_id)


def _read_version(root: Path, version_id: str) -> Version:
    folder = root / HISTORY_DIR / version_id
    try:
        body = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        body = {}
    return _version_of({**body, "id": version_id}, current_version(root))


def _version_of(body: dict, live: str | None) -> Version:
    """A Version from its manifest (the file in its folder, or the row the shared database keeps)."""
    version_id = str(body.get("id"))
    try:
        created = datetime.fromisoformat(body.get("created_at", ""))
    except (TypeError, ValueError):
        created = None
    return Version(
        id=version_id,
        created_at=created,
        created_by=str(body.get("created_by", "")),
        action=str(body.get("action", "")),
        note=str(body.get("note", "")),
        parent=body.get("parent"),
        files=body.get("files") if isinstance(body.get("files"), dict) else {},
        current=live == version_id,
    )


def versions(data_dir: str | Path, viewer: Viewer) -> list[Version]:
    """Every version in history/, newest first (directors only)."""
    require_director(viewer)
    root = Path(data_dir).resolve()
    shared = storage.shared_for(root)
    if shared is not None:
        try:
            live, listed = shared.versions.current(), shared.versions.listing()
        except storage.StorageUnavailable:
            live, listed = current_version(root), []
        if listed:
            return [_version_of(m, live) for m in listed]
    history = root / HISTORY_DIR
    if not history.is_dir():
        return []
    ids = sorted((p.name for p in history.iterdir() if p.is_dir() and VERSION_ID.match(p.name)), reverse=True)
    return [_read_version(root, i) for i in ids]


def frame_upload(table: str, frame: pl.DataFrame, source: str) -> Upload:
    """An upload made from a frame (the national imports), as Parquet bytes."""
    buf = io.BytesIO()
    frame.write_parquet(buf)
    return Upload(table, f"{table}.parquet", buf.getvalue(), source=source)

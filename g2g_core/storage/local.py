"""The default storage: memory and files in one process (`make run`, one server).

* `MemoryThrottle`: failed sign-ins counted in this process's memory, behind a lock (a restart forgets them,
  which only ends lock-outs early).
* `FileEndedSessions`: signed-out sessions in `audit/ended-sessions.jsonl` beside the audit log, so a cookie
  copied before sign-out stays refused after a restart. Each line holds the SHA-256 of a session id (never the
  id) and when its cookie expires; lines are appended under a file lock, and expired ones are dropped when
  the file is rewritten.
* `MemoryEndedSessions`: the same in memory only (tests, and the core used without a data directory).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from g2g_core.storage.base import Count, T

ENDED_FILE = "ended-sessions.jsonl"
MAX_TRACKED = 10_000  # keys remembered at once in memory; the oldest are forgotten first
REWRITE_AFTER = 5_000  # lines in the ended-sessions file before expired ones are dropped


def session_digest(session_id: str) -> str:
    """What is stored of a session id: its SHA-256 (the id itself is part of a live cookie)."""
    return hashlib.sha256(str(session_id).encode("utf-8")).hexdigest()


class MemoryThrottle:
    """Failure counts in this process's memory."""

    def __init__(self) -> None:
        self._counts: dict[str, Count] = {}
        self._mutex = threading.Lock()

    def update(self, keys: list[str], change: Callable[[dict[str, Count]], T]) -> T:
        """Run `change` on the counts of `keys` atomically and keep what it changed (see ThrottleState)."""
        with self._mutex:
            counts = {k: replace(self._counts.get(k) or Count()) for k in keys}
            result = change(counts)
            for key, count in counts.items():
                self._counts.pop(key, None)
                if not count.empty:
                    self._counts[key] = count  # re-inserted last: the dict stays oldest-first
            while len(self._counts) > MAX_TRACKED:
                self._counts.pop(next(iter(self._counts)))
            return result


class MemoryEndedSessions:
    """Ended sessions in this process's memory (forgotten at a restart)."""

    def __init__(self) -> None:
        self._ended: dict[str, float] = {}
        self._mutex = threading.Lock()

    def add(self, session_id: str, expires_at: float) -> None:
        """Remember that a session ended, until its cookie would have expired."""
        with self._mutex:
            self._ended[session_digest(session_id)] = float(expires_at)
            if len(self._ended) > MAX_TRACKED:
                now = time.time()
                for sid in [s for s, exp in self._ended.items() if exp < now]:
                    del self._ended[sid]

    def contains(self, session_id: str) -> bool:
        """Whether a session ended."""
        with self._mutex:
            return session_digest(session_id) in self._ended


class FileEndedSessions:
    """Ended sessions in a JSON-lines file (one folder, shared by every process on this machine)."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / ENDED_FILE
        self._cache: tuple[tuple[int, int], set[str]] | None = None
        self._mutex = threading.Lock()

    def add(self, session_id: str, expires_at: float) -> None:
        """Remember that a session ended, until its cookie would have expired."""
        line = json.dumps({"sid": session_digest(session_id), "expires": float(expires_at)}) + "\n"
        self.folder.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o640)
            with os.fdopen(fd, "r+b") as fh:
                fcntl.flock(fh, fcntl.LOCK_EX)
                try:
                    try:
                        same = os.stat(self.path).st_ino == os.fstat(fh.fileno()).st_ino
                    except FileNotFoundError:
                        same = False
                    if not same:  # another process rewrote the file while we waited: open the new one
                        continue
                    fh.seek(0, os.SEEK_END)
                    fh.write(line.encode("utf-8"))
                    fh.flush()
                    os.fsync(fh.fileno())
                    if fh.tell() > REWRITE_AFTER * 100:
                        self._drop_expired(fh)
                    return
                finally:
                    fcntl.flock(fh, fcntl.LOCK_UN)

    def _drop_expired(self, fh) -> None:
        """Rewrite the file without the sessions whose cookies have expired (called under the lock)."""
        fh.seek(0)
        now = time.time()
        keep = [raw for raw in fh.read().splitlines() if _expires(raw) > now]
        tmp = self.path.with_name(f".{ENDED_FILE}.{os.getpid()}.tmp")
        tmp.write_bytes(b"".join(raw + b"\n" for raw in keep))
        os.replace(tmp, self.path)

    def _digests(self) -> set[str]:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return set()
        stamp = (st.st_size, st.st_mtime_ns)
        with self._mutex:
            if self._cache and self._cache[0] == stamp:
                return self._cache[1]
        found = set()
        for raw in self.path.read_bytes().splitlines():
            try:
                found.add(str(json.loads(raw)["sid"]))
            except (ValueError, KeyError, TypeError):
                continue
        with self._mutex:
            self._cache = (stamp, found)
        return found

    def contains(self, session_id: str) -> bool:
        """Whether a session ended."""
        return session_digest(session_id) in self._digests()


def _expires(raw: bytes) -> float:
    try:
        return float(json.loads(raw)["expires"])
    except (ValueError, KeyError, TypeError):
        return 0.0

"""The narrow storage interfaces of the things the app writes (SPEC §7).

Apart from the two that live with their callers: `g2g_core.audit.AuditLog` and
`g2g_core.scenarios.ScenarioStore`.

Every interface has two implementations: files and memory in one process (the default, `make run`), and
PostgreSQL shared by several servers (`g2g_core.storage.postgres`, chosen by `G2G_DATABASE_URL`). This module
imports nothing of the app, so every other module may import it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol, TypeVar

T = TypeVar("T")


class StorageUnavailable(RuntimeError):
    """The shared storage cannot be reached: nothing was written; the message says what to do."""


@dataclass
class Count:
    """Failed sign-ins of one key (a username, a browser session, an address, or all of them) in a window."""

    failures: int = 0
    since: float = 0.0  # when the window's first failure happened (epoch seconds)
    locked_until: float = 0.0  # epoch seconds; 0 when not locked

    def age(self, now: float, window: float) -> None:
        """Forget a window that has passed and a lock that has ended."""
        if self.failures and now - self.since >= window:
            self.failures, self.since = 0, 0.0
        if self.locked_until and self.locked_until <= now:
            self.locked_until = 0.0

    @property
    def empty(self) -> bool:
        """Whether nothing is counted (the key can be forgotten)."""
        return not self.failures and not self.locked_until


class ThrottleState(Protocol):
    """Where failed sign-ins are counted (shared by every server in the several-servers mode)."""

    def update(self, keys: list[str], change: Callable[[dict[str, Count]], T]) -> T:
        """Run `change` on the counts of `keys` with no other update of those keys in between.

        Then keep what it changed (all or nothing). Raises StorageUnavailable when the store cannot be
        reached.
        """
        ...


class EndedSessions(Protocol):
    """Sessions that were signed out, kept until their cookie would have expired anyway."""

    def add(self, session_id: str, expires_at: float) -> None:
        """Remember that a session ended (raises StorageUnavailable when that cannot be recorded)."""
        ...

    def contains(self, session_id: str) -> bool:
        """Whether a session ended (raises StorageUnavailable when that cannot be known)."""
        ...


class VersionPointer(Protocol):
    """Which data version is live, the versions recorded, and the lock held while one is published."""

    def current(self) -> str | None:
        """The id of the live version (None before the first)."""
        ...

    def switch(self, version_id: str, record: Callable[[], None] | None = None) -> None:
        """Make a version live; with the audit entry `record` writes in the same transaction where possible."""
        ...

    def locked(self) -> AbstractContextManager[None]:
        """Hold the upload lock (raises the caller's busy error at once if another server holds it)."""
        ...


__all__ = ["Count", "EndedSessions", "Iterator", "StorageUnavailable", "ThrottleState", "VersionPointer"]

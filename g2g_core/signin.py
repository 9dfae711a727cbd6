"""Sign-in safety that streamlit-authenticator 0.4 does not give: a lock-out, one answer, server-side sessions.

* `check_password` checks a password against the accounts' bcrypt hashes, running a bcrypt check for an
  unknown username too, so the time taken does not tell which usernames exist; a password over bcrypt's
  72 bytes is simply wrong.
* `SignInGuard` counts failed sign-ins per username (known or not, so the answer is the same), per source
  (browser session, address) and overall, reserving each attempt atomically *before* its password is
  checked: after `max_failures` within `window` seconds a username is locked for `lock` seconds, whatever
  the browser session; a source that fails too often is locked likewise; after `global_max` failures within
  the window (password spraying) sources that failed themselves are refused, while others still sign in.
  It also keeps the sessions that were signed out, so a copied cookie of a finished session is refused.
  Counts live in memory (one process) or PostgreSQL (several servers); ended sessions in a file beside the
  audit log (kept over a restart) or PostgreSQL (`g2g_core.storage`).
* `attempt` is one sign-in attempt: reserve, check the password, take the reservation back if right.
* `issue_token` / `read_token` make and check the sign-in cookie: a JWT (HS256) naming the user, the expiry,
  a random session id and a fingerprint of the password hash, so a password change ends old sessions.

Plain Python: no Streamlit here (ui/auth.py is the glue).
"""

from __future__ import annotations

import hashlib
import math
import secrets
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

import bcrypt
import jwt

from g2g_core.storage.base import Count, EndedSessions, ThrottleState
from g2g_core.storage.local import MemoryEndedSessions, MemoryThrottle

WRONG = "The username or password is incorrect."
MAX_USERNAME = 64
# A bcrypt hash of a random password, checked when the username is unknown so the answer takes as long.
_DUMMY_HASH = bcrypt.hashpw(secrets.token_bytes(16), bcrypt.gensalt(12))


def locked_message(seconds: float) -> str:
    """The message for a locked username (or a locked process), in whole minutes rounded up."""
    minutes = max(1, math.ceil(seconds / 60))
    return f"Too many attempts. Try again in {minutes} minute{'s' if minutes != 1 else ''}."


def clean_username(raw: object) -> str:
    """A username as typed, made safe to count and record: printable characters only, at most 64."""
    text = "".join(ch for ch in str(raw or "") if unicodedata.category(ch)[0] not in "CZ" or ch == " ")
    return text.strip().lower()[:MAX_USERNAME]


def password_fingerprint(password_hash: str) -> str:
    """A short fingerprint of an account's password hash (changes when the password changes)."""
    return hashlib.sha256(str(password_hash).encode("utf-8")).hexdigest()[:16]


def check_password(accounts: dict, username: str, password: str) -> dict | None:
    """The account entry if the password is right, else None; unknown usernames cost a bcrypt check too."""
    entry = accounts.get("usernames", {}).get(username) if isinstance(username, str) else None
    stored = str(entry.get("password", "")) if isinstance(entry, dict) else ""
    given = str(password or "").encode("utf-8")
    too_long = len(given) > 72  # bcrypt 5 raises; such a password can never match a stored hash
    try:
        hashed = stored.encode("utf-8") if entry and stored.startswith("$2") else _DUMMY_HASH
        ok = bcrypt.checkpw(given[:72], hashed)
    except ValueError:  # a stored password that is not a bcrypt hash: refused (production refuses them)
        bcrypt.checkpw(given[:72], _DUMMY_HASH)
        ok = False
    return entry if ok and entry and not too_long and hashed is not _DUMMY_HASH else None


GLOBAL_KEY = "all"


@dataclass(frozen=True)
class Source:
    """Where a sign-in attempt comes from: a kind ('session' or 'address') and its value."""

    kind: str
    value: str

    @property
    def key(self) -> str:
        """The key this source is counted under."""
        return f"{self.kind}:{self.value}"


@dataclass
class SignInGuard:
    """Failed sign-ins per username, per source and overall; lock-outs; sessions that were signed out.

    Each attempt is *reserved* before its password is checked (`reserve`), in one atomic step that both
    checks the limits and counts the attempt as a failure; a right password then takes its reservation back
    (`succeeded`). So however many attempts arrive at once, at most `max_failures` passwords are checked for
    one username in a window, and at most `session_max` / `address_max` for one browser session / address.
    The overall limit (`global_max`, password spraying) refuses only sources that have failed themselves in
    the window: one attacker's failures cannot lock out a director signing in from another session.

    Where the counts live is `state` (memory, or PostgreSQL shared by several servers); where ended sessions
    are kept is `ended_sessions` (a file beside the audit log, memory, or PostgreSQL).
    """

    max_failures: int = 5
    window: float = 15 * 60
    lock: float = 15 * 60
    global_max: int = 100
    session_max: int = 20
    address_max: int = 100
    clock: Callable[[], float] = time.time
    state: ThrottleState = field(default_factory=MemoryThrottle)
    ended_sessions: EndedSessions = field(default_factory=MemoryEndedSessions)

    def _limit(self, source: Source) -> int:
        return self.address_max if source.kind == "address" else self.session_max

    def _wait(self, counts: dict[str, Count], name: str, sources: tuple[Source, ...], now: float) -> float:
        for count in counts.values():
            count.age(now, self.window)
        waits = [counts[f"user:{name}"].locked_until - now]
        waits += [counts[s.key].locked_until - now for s in sources]
        total = counts[GLOBAL_KEY]
        sessions = [counts[s.key] for s in sources if s.kind == "session"]
        if total.failures >= self.global_max and (not sessions or any(c.failures for c in sessions)):
            waits.append(total.since + self.window - now)
        return max(*waits, 0.0)

    def _count(self, counts: dict[str, Count], name: str, sources: tuple[Source, ...], now: float) -> None:
        """Count one failure for the username, each source and overall; lock what reached its limit."""
        limits = [(f"user:{name}", self.max_failures), *((s.key, self._limit(s)) for s in sources)]
        for key, limit in [*limits, (GLOBAL_KEY, 0)]:
            count = counts[key]
            if not count.failures:
                count.since = now
            count.failures += 1
            if limit and count.failures >= limit:
                count.locked_until = now + self.lock
                if key.startswith("user:"):  # a locked username starts afresh when its lock ends
                    count.failures, count.since = 0, 0.0

    def _keys(self, name: str, sources: tuple[Source, ...]) -> list[str]:
        return [f"user:{name}", *(s.key for s in sources), GLOBAL_KEY]

    def reserve(self, username: str, sources: tuple[Source, ...] = ()) -> float:
        """Reserve one attempt.

        0 when its password may be checked (counted as a failure until `succeeded`), else the seconds to wait
        (nothing counted, no password checked).
        """
        now, name = self.clock(), clean_username(username)

        def change(counts: dict[str, Count]) -> float:
            wait = self._wait(counts, name, sources, now)
            if wait > 0:
                return wait
            self._count(counts, name, sources, now)
            return 0.0

        return self.state.update(self._keys(name, sources), change)

    def locked_for(self, username: str, sources: tuple[Source, ...] = ()) -> float:
        """Seconds this username must still wait; counts nothing.

        Also the wait of these sources, or of everyone after too many failures overall.
        """
        now, name = self.clock(), clean_username(username)
        return self.state.update(
            self._keys(name, sources), lambda counts: self._wait(counts, name, sources, now)
        )

    def failed(self, username: str, sources: tuple[Source, ...] = ()) -> None:
        """Count one failed sign-in that was not reserved (an attempt reserved with `reserve` is already counted)."""
        now, name = self.clock(), clean_username(username)

        def change(counts: dict[str, Count]) -> None:
            self._wait(counts, name, sources, now)
            self._count(counts, name, sources, now)

        self.state.update(self._keys(name, sources), change)

    def succeeded(self, username: str, sources: tuple[Source, ...] = ()) -> None:
        """A reserved attempt was right.

        Forget the username's failures and lock, and take the reservation back from its sources and the
        overall count.
        """
        name = clean_username(username)

        def change(counts: dict[str, Count]) -> None:
            counts[f"user:{name}"].failures = 0
            counts[f"user:{name}"].since = 0.0
            counts[f"user:{name}"].locked_until = 0.0
            for key in [*(s.key for s in sources), GLOBAL_KEY]:
                counts[key].failures = max(0, counts[key].failures - 1)

        self.state.update(self._keys(name, sources), change)

    def end_session(self, session_id: str, expires_at: float) -> None:
        """Remember that a session was signed out (until its cookie would have expired anyway)."""
        self.ended_sessions.add(str(session_id), float(expires_at))

    def ended(self, session_id: str) -> bool:
        """Whether a session was signed out."""
        return self.ended_sessions.contains(str(session_id))


@dataclass(frozen=True)
class Attempt:
    """What came of one sign-in attempt: the account (signed in), or the message to show."""

    entry: dict | None
    message: str | None = None
    locked: bool = False


def attempt(
    guard: SignInGuard, accounts: dict, typed: str, password: str, sources: tuple[Source, ...] = ()
) -> Attempt:
    """One sign-in attempt: reserve it, then check the password, then take the reservation back if right.

    The same message for a wrong password, an unknown username and (once locked) a locked one.
    """
    shown = clean_username(typed)
    if not shown or not password:
        return Attempt(None, WRONG)
    wait = guard.reserve(shown, sources)
    if wait > 0:
        return Attempt(None, locked_message(wait), locked=True)
    entry = check_password(accounts, str(typed).strip().lower(), password)
    if entry is None:
        return Attempt(None, WRONG)
    guard.succeeded(shown, sources)
    return Attempt(entry)


@dataclass(frozen=True)
class Session:
    """What the sign-in cookie says: who, until when (epoch seconds), which session, which password."""

    username: str
    expires_at: float
    session_id: str
    issued_at: float
    password: str


def issue_token(username: str, password_hash: str, key: str, hours: float) -> tuple[str, Session]:
    """A new sign-in cookie value and the session it names."""
    now = time.time()
    session = Session(
        username, now + hours * 3600, secrets.token_urlsafe(24), now, password_fingerprint(password_hash)
    )
    claims = {
        "username": session.username,
        "exp_date": session.expires_at,
        "sid": session.session_id,
        "iat": int(now),
        "pwd": session.password,
    }
    return jwt.encode(claims, key, algorithm="HS256"), session


def read_token(token: object, key: str) -> Session | None:
    """The session a cookie names, or None for anything forged, foreign, malformed or expired."""
    if not isinstance(token, str) or not token or len(token) > 4096:
        return None
    try:
        claims = jwt.decode(token, key, algorithms=["HS256"], options={"verify_iat": False})
    except Exception:  # noqa: BLE001  (PyJWT raises many kinds on hostile input; all mean "signed out")
        return None
    username, expires, sid, pwd, iat = (claims.get(k) for k in ("username", "exp_date", "sid", "pwd", "iat"))
    if not (isinstance(username, str) and isinstance(sid, str) and isinstance(pwd, str)):
        return None
    if not isinstance(expires, int | float) or not isinstance(iat, int | float) or not math.isfinite(expires):
        return None
    if expires <= time.time():
        return None
    return Session(username, float(expires), sid, float(iat), pwd)

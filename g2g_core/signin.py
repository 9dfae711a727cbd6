"""Sign-in safety that streamlit-authenticator 0.4 does not give: a lock-out, one answer, server-side sessions.

* `check_password` checks a password against the accounts' bcrypt hashes, running a bcrypt check for an
  unknown username too, so the time taken does not tell which usernames exist; a password over bcrypt's
  72 bytes is simply wrong.
* `SignInGuard` counts failed sign-ins per username (known or not, so the answer is the same) and across the
  process: after `max_failures` within `window` seconds a username is locked for `lock` seconds, whatever
  the browser session; after `global_max` failures within the window every sign-in is refused until they
  age out (password spraying). It also keeps the ids of sessions that were signed out, so a copied cookie of
  a finished session is refused. State lives in this process's memory, behind a lock: a restart forgets it
  (a cookie lives `G2G_COOKIE_HOURS` at most), and several processes each keep their own (see SECURITY.md).
* `issue_token` / `read_token` make and check the sign-in cookie: a JWT (HS256) naming the user, the expiry,
  a random session id and a fingerprint of the password hash, so a password change ends old sessions.

Plain Python: no Streamlit here (ui/auth.py is the glue).
"""

from __future__ import annotations

import hashlib
import math
import secrets
import threading
import time
import unicodedata
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import bcrypt
import jwt

WRONG = "The username or password is incorrect."
MAX_USERNAME = 64
MAX_TRACKED = 10_000  # usernames remembered at once; the oldest are forgotten first
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


@dataclass
class SignInGuard:
    """Failed sign-ins per username and per process, lock-outs, and sessions that were signed out."""

    max_failures: int = 5
    window: float = 15 * 60
    lock: float = 15 * 60
    global_max: int = 100
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, deque] = field(default_factory=dict)
    _locked_until: dict[str, float] = field(default_factory=dict)
    _all_failures: deque = field(default_factory=deque)
    _ended: dict[str, float] = field(default_factory=dict)  # session id -> when its cookie expires (epoch)
    _mutex: threading.Lock = field(default_factory=threading.Lock)

    def locked_for(self, username: str) -> float:
        """Seconds this username (or every username, after too many failures overall) must still wait."""
        now = self.clock()
        with self._mutex:
            self._forget_old(now)
            own = self._locked_until.get(clean_username(username), 0.0) - now
            overall = 0.0
            if len(self._all_failures) >= self.global_max:
                overall = self._all_failures[0] + self.window - now
            return max(own, overall, 0.0)

    def failed(self, username: str) -> None:
        """Count one failed sign-in; lock the username when it reaches the limit within the window."""
        now = self.clock()
        name = clean_username(username)
        with self._mutex:
            self._forget_old(now)
            times = self._failures.setdefault(name, deque())
            times.append(now)
            self._all_failures.append(now)
            if len(times) >= self.max_failures:
                self._locked_until[name] = now + self.lock
                times.clear()
            while len(self._failures) > MAX_TRACKED:
                self._failures.pop(next(iter(self._failures)))

    def succeeded(self, username: str) -> None:
        """Forget the failures of a username that signed in."""
        with self._mutex:
            self._failures.pop(clean_username(username), None)

    def end_session(self, session_id: str, expires_at: float) -> None:
        """Remember that a session was signed out (until its cookie would have expired anyway)."""
        with self._mutex:
            self._ended[str(session_id)] = float(expires_at)
            if len(self._ended) > MAX_TRACKED:
                now = time.time()
                for sid in [s for s, exp in self._ended.items() if exp < now]:
                    del self._ended[sid]

    def ended(self, session_id: str) -> bool:
        """Whether a session was signed out."""
        with self._mutex:
            return str(session_id) in self._ended

    def _forget_old(self, now: float) -> None:
        while self._all_failures and self._all_failures[0] <= now - self.window:
            self._all_failures.popleft()
        for name in [n for n, until in self._locked_until.items() if until <= now]:
            del self._locked_until[name]
        for name in [n for n, times in self._failures.items() if times and times[-1] <= now - self.window]:
            del self._failures[name]
        for times in self._failures.values():
            while times and times[0] <= now - self.window:
                times.popleft()


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

"""Who is who when people sign in with the authority's own accounts (OpenID Connect, e.g. Microsoft Entra ID).

The provider proves who somebody is; what they may see is ours, decided here from the ID token's claims, the
configuration and the **people register** the director keeps:

* **Identity** is the provider's stable subject: `tid:oid` for Entra ID (the tenant and the object id), else
  `sub`. Never the e-mail address: it can change and be reused, so it is shown, never trusted. The e-mail is
  used once, to find a register entry made before the person's first sign-in; that sign-in records their
  subject in the entry, and from then on only the subject counts.
* **Role** comes from the token's `roles` claim (Entra app roles, mapped by `G2G_OIDC_ROLES`, e.g.
  `G2G.Director=director`) and/or from the register. When both give one, they must agree.
* **Scope** is what it is with the accounts file: an adviser's schools are the rows whose `adviser` column is
  the adviser name in the register; a head or governor sees the school of the URN in the register.
* **Refused**, with one plain message (`NO_ACCESS`) and the reason for the audit log: no subject, a token of
  another tenant, an unknown person without a usable role, no role, two roles, a role of the register
  different from the account's, an adviser without an adviser name, a head or governor without a URN.
  Never a partial view.

Sessions: `session_id` names one sign-in (the subject and the token's `iat`), and `session_expires_at` is `iat`
plus the configured lifetime, whatever Streamlit's own 30-day cookie says.

Plain Python: no Streamlit here (ui/auth.py is the glue).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import math
import os
import re
import secrets
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

from g2g_core.access import Viewer, viewer_for
from g2g_core.settings import settings
from g2g_core.vocabulary import ROLE_NAMES, ROLES

MODES = ("accounts", "oidc")
DEFAULT_PROVIDER = "microsoft"
DEFAULT_ROLE_CLAIMS: dict[str, str] = {
    "G2G.Director": "director",
    "G2G.Adviser": "adviser",
    "G2G.Head": "head",
    "G2G.Governor": "governor",
}
NO_ACCESS = (
    "Your account has no access to Good to Great; ask the Assistant Director's office "
    "(the school improvement service) to add you."
)
PEOPLE_DIR = "people"
PEOPLE_FILE = "people.json"
MAX_TEXT = 120
MIN_COOKIE_SECRET = 32
# Cookie secrets that are published (this repository's demo key, its tests, documentation examples).
DEMO_COOKIE_SECRETS = frozenset(
    {
        "g2g-demo-cookie-key-not-for-production-use-0001",
        "g2g-test-cookie-secret-not-for-production-use-000001",
        "xxx",
        "your-cookie-secret",
        "changeme",
    }
)
# Entra's multi-tenant metadata: its issuer is not the tenant's, so Authlib's issuer check fails.
MULTI_TENANT = ("common", "organizations", "consumers")
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


class SettingsError(ValueError):
    """A sign-in setting that cannot be used; the message names the setting."""


# --- Settings ------------------------------------------------------------------------------------------------


def signin_mode() -> str:
    """The sign-in mode (G2G_SIGNIN_MODE, g2g_core.settings): `accounts` (the default) or `oidc`."""
    return settings().signin_mode


def parse_role_claims(text: str | None) -> dict[str, str]:
    """`G2G.Director=director,G2G.Adviser=adviser,...` as a mapping (None or empty: the defaults)."""
    if not text or not text.strip():
        return dict(DEFAULT_ROLE_CLAIMS)
    mapping: dict[str, str] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        claim, sep, role = part.partition("=")
        claim, role = claim.strip(), role.strip().lower()
        if not sep or not claim or role not in ROLES:
            raise SettingsError(
                f"G2G_OIDC_ROLES: {part.strip()!r} is not 'AppRole=role' with a role of {', '.join(ROLES)}."
            )
        mapping[claim] = role
    return mapping


@dataclass(frozen=True)
class OidcSettings:
    """The OpenID Connect settings of ours (the provider's own are in secrets.toml `[auth]`)."""

    provider: str = DEFAULT_PROVIDER
    tenant: str | None = None
    role_claims: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_ROLE_CLAIMS))
    lifetime_hours: float = 8.0


def oidc_settings(lifetime_hours: float = 8.0) -> OidcSettings:
    """G2G_OIDC_PROVIDER, G2G_OIDC_TENANT (the only tenant let in), G2G_OIDC_ROLES (g2g_core.settings).

    The lifetime of a sign-in is the app's one sign-in lifetime (G2G_COOKIE_HOURS, read by the caller);
    0 there means "while the tab is open" for the accounts mode, and the default 8 hours here.
    """
    current = settings()
    hours = lifetime_hours if lifetime_hours and lifetime_hours > 0 else 8.0
    tenant = (current.oidc_tenant or "").strip() or None
    return OidcSettings(current.oidc_provider, tenant, parse_role_claims(current.oidc_roles), hours)


# --- Claims --------------------------------------------------------------------------------------------------


def _text(value: object, limit: int = MAX_TEXT) -> str:
    """A claim made safe to show and record: printable characters only, cut to `limit`."""
    text = "".join(ch for ch in str(value or "") if unicodedata.category(ch)[0] != "C")
    return text.strip()[:limit]


def subject_of(claims: Mapping[str, object]) -> str | None:
    """The stable identity in a token: `tid:oid` when both are there (Entra ID), else `sub`; None if neither."""
    oid, tid = claims.get("oid"), claims.get("tid")
    if isinstance(oid, str) and oid.strip() and isinstance(tid, str) and tid.strip():
        return f"{tid.strip().lower()}:{oid.strip().lower()}"
    sub = claims.get("sub")
    if isinstance(sub, str) and sub.strip():
        return sub.strip()
    return None


def display_name(claims: Mapping[str, object]) -> str:
    """The name to show (the token's `name`, else its e-mail, else 'someone'); never used to decide anything."""
    return _text(claims.get("name")) or _text(claims.get("email")) or "someone"


def email_of(claims: Mapping[str, object]) -> str | None:
    """The e-mail in a token (`email`, else Entra's `preferred_username` when it looks like one), lower case."""
    for key in ("email", "preferred_username"):
        value = claims.get(key)
        if isinstance(value, str) and "@" in value:
            return _text(value, 254).lower()
    return None


def issued_at(claims: Mapping[str, object]) -> float | None:
    """The token's `iat` (epoch seconds), or None when missing or nonsense."""
    iat = claims.get("iat")
    if isinstance(iat, bool) or not isinstance(iat, int | float) or not math.isfinite(iat) or iat <= 0:
        return None
    return float(iat)


def session_id(claims: Mapping[str, object]) -> str | None:
    """One sign-in's id: a hash of the subject and `iat` (the same cookie gives the same id; a new sign-in a new one)."""
    subject, iat = subject_of(claims), issued_at(claims)
    if subject is None or iat is None:
        return None
    return "oidc-" + hashlib.sha256(f"{subject}\n{iat:.0f}".encode()).hexdigest()[:32]


def session_expires_at(claims: Mapping[str, object], lifetime_hours: float) -> float | None:
    """When this sign-in ends (epoch seconds): the token's `iat` plus the lifetime; None without an `iat`."""
    iat = issued_at(claims)
    return None if iat is None else iat + lifetime_hours * 3600


def token_roles(claims: Mapping[str, object], role_claims: Mapping[str, str]) -> set[str]:
    """The app's roles named by the token's `roles` claim (a list, or one string), through the mapping."""
    raw = claims.get("roles")
    values: Iterable[object] = [raw] if isinstance(raw, str) else raw if isinstance(raw, list | tuple) else []
    return {role_claims[v] for v in values if isinstance(v, str) and v in role_claims}


# --- The people register -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """One entry of the people register.

    `subject` is filled at the first sign-in (or typed in by the director); until then `email` finds the
    entry. `role` None means "the role of the account's app role". `username` is the name the data use for
    this person (for an adviser, the value of the `adviser` column), also their name in the audit log.
    """

    id: str
    name: str
    role: str | None = None
    subject: str | None = None
    email: str | None = None
    urn: int | None = None
    username: str | None = None
    last_sign_in: str | None = None  # ISO time (UTC) of the last sign-in
    last_sign_in_as: str | None = None  # the display name the token gave then


class PeopleError(ValueError):
    """A register entry or file that cannot be used; the message says which and why."""


def clean_person(
    *,
    name: object,
    role: object = None,
    subject: object = None,
    email: object = None,
    urn: object = None,
    username: object = None,
    id: str | None = None,
) -> Person:
    """A register entry from what the director typed, checked (raises PeopleError naming the field)."""
    shown = _text(name)
    if not shown:
        raise PeopleError("Name: give the person's name.")
    role_ = _text(role).lower() or None
    if role_ is not None and role_ not in ROLES:
        raise PeopleError(f"Role: {role_!r} is not one of {', '.join(ROLES)}.")
    subject_ = _text(subject, 200) or None
    email_ = _text(email, 254).lower() or None
    if email_ is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email_):
        raise PeopleError(f"E-mail: {email_!r} is not an e-mail address.")
    if subject_ is None and email_ is None:
        raise PeopleError("Give the account's subject or the e-mail the person signs in with.")
    urn_: int | None = None
    if urn not in (None, ""):
        text = str(urn).strip()
        if not re.fullmatch(r"\d{6,7}", text):
            raise PeopleError(f"URN: {text!r} is not a school's URN (six or seven digits).")
        urn_ = int(text)
    username_ = _text(username, 64) or None
    if role_ in ("head", "governor") and urn_ is None:
        raise PeopleError(f"URN: a {ROLE_NAMES[role_].lower()} needs the URN of their school.")
    if role_ == "adviser" and username_ is None:
        raise PeopleError("Adviser name: an adviser needs the name the data's adviser column uses.")
    return Person(id or secrets.token_hex(6), shown, role_, subject_, email_, urn_, username_, None, None)


class PeopleRegister:
    """The register as one JSON file (`people/people.json` beside the data), written whole and atomically."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / PEOPLE_FILE

    def people(self) -> list[Person]:
        """Every entry (an empty list when there is no register yet; PeopleError when the file is bad)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        try:
            rows = json.loads(text)
            return [Person(**row) for row in rows]
        except (ValueError, TypeError) as err:
            raise PeopleError(f"{self.path}: not a people register ({err}).") from None

    def _write(self, people: Sequence[Person]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".people-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump([asdict(p) for p in people], fh, indent=1, ensure_ascii=False)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)

    def _change(self, change) -> list[Person]:
        """Apply `change(list) -> list` under an exclusive lock (concurrent sign-ins and edits never lose one)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / ".lock", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                people = change(self.people())
                self._write(people)
                return people
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def save(self, person: Person) -> Person:
        """Add an entry, or replace the one with its id (keeping its sign-in record); PeopleError on a clash."""

        def change(people: list[Person]) -> list[Person]:
            old = next((p for p in people if p.id == person.id), None)
            for p in people:
                if p.id == person.id:
                    continue
                if person.subject and p.subject == person.subject:
                    raise PeopleError(f"Subject: {p.name} already has this account's subject.")
                if person.email and p.email == person.email and not (p.subject and person.subject):
                    raise PeopleError(f"E-mail: {p.name} already has this e-mail.")
            kept = (
                replace(person, last_sign_in=old.last_sign_in, last_sign_in_as=old.last_sign_in_as)
                if old
                else person
            )
            return [kept if p.id == person.id else p for p in people] if old else [*people, kept]

        self._change(change)
        return person

    def remove(self, person_id: str) -> Person | None:
        """Remove an entry; the removed entry, or None when there was none."""
        removed: list[Person] = []

        def change(people: list[Person]) -> list[Person]:
            removed.extend(p for p in people if p.id == person_id)
            return [p for p in people if p.id != person_id]

        self._change(change)
        return removed[0] if removed else None

    def signed_in(self, access: Access, when: datetime | None = None) -> None:
        """Record a sign-in: the entry's last sign-in, its subject (first sign-in by e-mail), or a new entry.

        A person let in by their app role alone (a director) gets an entry too, so the register lists them.
        """
        stamp = (when or datetime.now(UTC)).isoformat(timespec="seconds")

        def change(people: list[Person]) -> list[Person]:
            out, found = [], False
            for p in people:
                if p.id == access.person_id:
                    found = True
                    p = replace(
                        p,
                        subject=p.subject or access.subject,
                        last_sign_in=stamp,
                        last_sign_in_as=access.name,
                    )
                out.append(p)
            if not found and access.subject:
                out.append(
                    Person(
                        secrets.token_hex(6),
                        access.name,
                        None,
                        access.subject,
                        None,
                        None,
                        None,
                        stamp,
                        access.name,
                    )
                )
            return out

        self._change(change)


def people_register(data_dir: str | Path) -> PeopleRegister:
    """The register of a data directory (beside the data, like the audit log)."""
    return PeopleRegister(Path(data_dir) / PEOPLE_DIR)


# --- The decision --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Access:
    """What a token gets: let in (with role, name in the data and URN) or refused (with the reason to record)."""

    allowed: bool
    subject: str | None
    name: str
    email: str | None
    role: str | None = None
    username: str | None = None
    urn: int | None = None
    person_id: str | None = None
    reason: str = ""
    register_name: str | None = None  # the name the director gave the person in the register

    @property
    def shown_as(self) -> str:
        """The name the app and the audit log use: the name in the data, else in the register, else the token's.

        Only an adviser's name in the data decides anything (their schools); the subject, recorded with every
        sign-in, tells two people of the same display name apart.
        """
        return self.username or self.register_name or self.name

    def viewer(self, store) -> Viewer | None:
        """The viewer of an allowed sign-in, built exactly as for the accounts file; None when refused."""
        if not self.allowed or self.role is None:
            return None
        return viewer_for(store, self.shown_as, self.role, self.urn)


def find_person(people: Sequence[Person], subject: str | None, email: str | None) -> Person | None:
    """The register entry of a subject; else, for a first sign-in, the entry of the e-mail not yet bound to a subject."""
    if subject:
        for p in people:
            if p.subject and p.subject == subject:
                return p
    if email:
        for p in people:
            if not p.subject and p.email and p.email == email:
                return p
    return None


def decide(claims: Mapping[str, object], people: Sequence[Person], settings: OidcSettings) -> Access:
    """Who this token is and what they may do; every refusal carries its reason for the audit log."""
    subject, name, email = subject_of(claims), display_name(claims), email_of(claims)

    def refuse(reason: str, person: Person | None = None) -> Access:
        return Access(False, subject, name, email, person_id=person.id if person else None, reason=reason)

    if subject is None:
        return refuse("the token names no subject (no oid and tid, no sub)")
    if settings.tenant:
        tid = claims.get("tid")
        if not isinstance(tid, str) or tid.strip().lower() != settings.tenant.strip().lower():
            return refuse(f"an account of another tenant ({_text(tid, 60) or 'none'})")
    person = find_person(people, subject, email)
    from_token = token_roles(claims, settings.role_claims)
    if len(from_token) > 1:
        return refuse(f"the account has more than one app role ({', '.join(sorted(from_token))})", person)
    token_role = next(iter(from_token), None)
    register_role = person.role if person else None
    if token_role and register_role and token_role != register_role:
        return refuse(f"the register says {register_role} but the account's app role is {token_role}", person)
    role = token_role or register_role
    if role is None:
        return refuse("not in the people register and no app role" if person is None else "no role", person)
    username = person.username if person else None
    urn = person.urn if person else None
    if role == "adviser" and not username:
        return refuse("an adviser without an adviser name in the people register", person)
    if role in ("head", "governor") and urn is None:
        return refuse(f"a {role} without a URN in the people register", person)
    return Access(
        True,
        subject,
        name,
        email,
        role,
        username,
        urn,
        person.id if person else None,
        "",
        person.name if person else None,
    )


# --- Production checks of secrets.toml [auth] -----------------------------------------------------------------


def _host(url: str) -> str:
    return (urlparse(url).hostname or "").lower()


def tenant_in_metadata_url(url: str) -> str | None:
    """The tenant GUID of an Entra metadata URL (`https://login.microsoftonline.com/<tenant>/v2.0/...`)."""
    parts = [p for p in urlparse(url).path.split("/") if p]
    return parts[0].lower() if parts and _GUID.match(parts[0]) else None


def auth_problems(auth: Mapping[str, object] | None, provider: str, production: bool = True) -> list[str]:
    """What makes secrets.toml `[auth]` unfit, each naming its key; an empty list when fit.

    Outside production only what would make signing in fail: a missing key or section, a redirect URI that
    is not Streamlit's callback, Entra's multi-tenant metadata. Production adds the secret's strength and https.
    """
    if not isinstance(auth, Mapping) or not auth:
        return ["[auth] is missing from secrets.toml."]
    problems: list[str] = []
    redirect = auth.get("redirect_uri")
    if not isinstance(redirect, str) or not redirect.strip():
        problems.append("[auth] redirect_uri is missing.")
    elif not production:
        if not urlparse(redirect.replace("{port}", "8501")).path.endswith("/oauth2callback"):
            problems.append(f"[auth] redirect_uri must end in /oauth2callback (it is {redirect!r}).")
    else:
        parsed = urlparse(redirect.replace("{port}", "8501"))
        if parsed.scheme != "https" and not (parsed.scheme == "http" and _host(redirect) in LOCAL_HOSTS):
            problems.append(
                f"[auth] redirect_uri must use https (it is {redirect!r}); only localhost may use http."
            )
        if not parsed.path.endswith("/oauth2callback"):
            problems.append(f"[auth] redirect_uri must end in /oauth2callback (it is {redirect!r}).")
    secret = auth.get("cookie_secret")
    if not isinstance(secret, str) or not secret:
        problems.append("[auth] cookie_secret is missing.")
    elif production and (
        secret in DEMO_COOKIE_SECRETS or len(secret) < MIN_COOKIE_SECRET or len(set(secret)) < 10
    ):
        problems.append(
            f"[auth] cookie_secret must be at least {MIN_COOKIE_SECRET} random characters and not a published one."
        )
    section = auth.get(provider)
    if not isinstance(section, Mapping):
        problems.append(f"[auth.{provider}] is missing (G2G_OIDC_PROVIDER names it).")
        return problems
    for key in ("client_id", "client_secret", "server_metadata_url"):
        value = section.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"[auth.{provider}] {key} is missing.")
    url = section.get("server_metadata_url")
    if isinstance(url, str) and url.strip():
        parts = [p.lower() for p in urlparse(url).path.split("/") if p]
        if parts and parts[0] in MULTI_TENANT:
            problems.append(
                f"[auth.{provider}] server_metadata_url uses Entra's '{parts[0]}' endpoint: use the tenant's own "
                "(https://login.microsoftonline.com/<tenant id>/v2.0/.well-known/openid-configuration)."
            )
        elif production and urlparse(url).scheme != "https" and _host(url) not in LOCAL_HOSTS:
            problems.append(f"[auth.{provider}] server_metadata_url must use https (it is {url!r}).")
    return problems


# --- The register as the director sees and changes it -----------------------------------------------------------


def _require_director(viewer: Viewer) -> None:
    if viewer.role != "director":
        raise PermissionError("only a director may see or change the people register")


def describe(person: Person) -> str:
    """One line about an entry for the audit log: name, role, school, adviser name, how it is found."""
    role = ROLE_NAMES.get(person.role or "", "role from the account")
    parts = [person.name, role]
    if person.urn is not None:
        parts.append(f"URN {person.urn}")
    if person.username:
        parts.append(f"adviser name {person.username}")
    parts.append(f"subject {person.subject}" if person.subject else f"e-mail {person.email}")
    return ", ".join(parts)


def register_rows(register: PeopleRegister, viewer: Viewer) -> list[Person]:
    """The register's entries by name (a director only: PermissionError for anyone else)."""
    _require_director(viewer)
    return sorted(register.people(), key=lambda p: (p.name.lower(), p.id))


def save_person(register: PeopleRegister, viewer: Viewer, person: Person, log) -> Person:
    """Add or change an entry and record it in the audit log (a director only)."""
    _require_director(viewer)
    from g2g_core.audit import AuditEvent

    old = next((p for p in register.people() if p.id == person.id), None)
    register.save(person)
    what = f"changed {describe(old)} to {describe(person)}" if old else f"added {describe(person)}"
    log.record(AuditEvent(viewer.username, viewer.role, "people_change", person.urn, what))
    return person


def remove_person(register: PeopleRegister, viewer: Viewer, person_id: str, log) -> Person | None:
    """Remove an entry and record it in the audit log (a director only); None when there was none."""
    _require_director(viewer)
    from g2g_core.audit import AuditEvent

    removed = register.remove(person_id)
    if removed is not None:
        log.record(
            AuditEvent(
                viewer.username, viewer.role, "people_change", removed.urn, f"removed {describe(removed)}"
            )
        )
    return removed

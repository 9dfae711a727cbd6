"""Sign-in and sign-out, and the viewer recomputed from the accounts file on every rerun.

streamlit-authenticator supplies the accounts format, its bcrypt hashes and the component that writes the
sign-in cookie; the checks are ours (`g2g_core.signin`): a lock-out per username and per process that a new
browser session does not reset, one message for a wrong password, an unknown username and (once locked) a
locked one, a cookie that names a server-side session (ended at sign-out, by a password change, by removing
the account, or when it expires), and every rerun re-reads the account, its role and its school.
Sign-ins, refusals and sign-outs are written to the audit log once each, never with a password.

With `G2G_SIGNIN_MODE=oidc` people sign in with the authority's own accounts instead (`ui/oidc.py`): the
functions below hand over to it, and the accounts file is not used.
"""

from __future__ import annotations

import copy
import secrets
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import streamlit as st
import streamlit_authenticator as stauth
import yaml

from g2g_core import identity, storage
from g2g_core.access import ROLES, Viewer, viewer_for
from g2g_core.settings import DEFAULT_COOKIE_HOURS, MAX_COOKIE_HOURS, ConfigurationError, settings
from g2g_core.signin import (
    WRONG,
    SignInGuard,
    Source,
    attempt,
    clean_username,
    issue_token,
    password_fingerprint,
    read_token,
)

ROOT = Path(__file__).resolve().parent.parent
DEMO_ACCOUNTS = ROOT / ".streamlit" / "accounts.demo.yaml"
DEMO_COOKIE_KEY = "g2g-demo-cookie-key-not-for-production-use-0001"
COOKIE_NAME = "g2g_session"
ENDED = "Your session has ended. Sign in again."
# Session-state keys of ours; like the library's keys they live on the server only, never in the browser.
SESSION_KEYS = ("_g2g_sid", "_g2g_pwd", "_g2g_signed_in_at", "_g2g_expires_at")
ERROR_KEY, NOTICE_KEY, SIGNED_OUT_KEY = "_g2g_sign_in_error", "_g2g_sign_in_notice", "_g2g_signed_out"
SOURCE_KEY = "_g2g_source"  # this browser session's id for sign-in throttling


__all__ = ["ConfigurationError"]  # raised here for a bad setting (g2g_core.settings) or production check


def signin_mode() -> str:
    """`accounts` (the accounts file, the default) or `oidc` (the authority's own accounts): G2G_SIGNIN_MODE."""
    try:
        return identity.signin_mode()
    except identity.SettingsError as err:
        raise ConfigurationError(str(err)) from None


def oidc_mode() -> bool:
    """Whether people sign in with the authority's own accounts (OpenID Connect)."""
    return signin_mode() == "oidc"


def accounts_path() -> Path:
    """The credentials file in force (G2G_AUTH_FILE, else the demo accounts)."""
    return settings().auth_file or DEMO_ACCOUNTS


@st.cache_data(show_spinner=False)
def _read_accounts(path: str, mtime_ns: int) -> dict:
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    return data


def load_accounts() -> dict:
    """The credentials mapping, read-only (re-read when the file changes), usernames in lower case."""
    path = accounts_path()
    data = _read_accounts(str(path), path.stat().st_mtime_ns)
    credentials = copy.deepcopy(data.get("credentials") or {})
    users = credentials.get("usernames") or {}
    credentials["usernames"] = {str(k).lower(): v for k, v in users.items() if isinstance(v, dict)}
    return credentials


def cookie_key() -> str:
    """The cookie signing key: G2G_COOKIE_KEY, or secrets.toml's cookie_key, else the demo key."""
    secret = settings().cookie_key
    key = secret.get_secret_value() if secret else None
    if not key:
        try:
            key = st.secrets.get("cookie_key")
        except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
            key = None
    return key or DEMO_COOKIE_KEY


def cookie_hours() -> float:
    """How long a sign-in lasts, in hours: G2G_COOKIE_HOURS (default 8), or the older G2G_COOKIE_DAYS × 24."""
    return settings().sign_in_hours


def check_upload_limit() -> None:
    """Streamlit's own upload limit must let through every file G2G_MAX_UPLOAD_MB accepts, so each gets our message.

    Streamlit reads `server.maxUploadSize` when it starts (config.toml, STREAMLIT_SERVER_MAX_UPLOAD_SIZE or
    `--server.maxUploadSize`) and a script may not change it, so a larger G2G_MAX_UPLOAD_MB is refused here.
    """
    ours, streamlits = settings().max_upload_mb, st.get_option("server.maxUploadSize")
    if ours > streamlits:
        raise ConfigurationError(
            f"G2G_MAX_UPLOAD_MB is {ours} but Streamlit's server.maxUploadSize is {streamlits}: set "
            f"STREAMLIT_SERVER_MAX_UPLOAD_SIZE={ours} (or maxUploadSize in .streamlit/config.toml) as well."
        )


def check_production() -> None:
    """Check every setting (g2g_core.settings); with G2G_ENV=production refuse anything demo-grade, saying why.

    In the oidc mode secrets.toml's `[auth]` is checked too: always for what would make signing in fail,
    in production also for what would make it unsafe (ui/oidc.py).
    """
    current = settings()  # refuses a bad value of any setting, naming the variable
    check_upload_limit()
    try:
        storage.database()  # several servers: the shared database must answer (G2G_DATABASE_URL)
    except storage.StorageUnavailable as err:
        raise ConfigurationError(str(err)) from None
    oidc = oidc_mode()
    if oidc:
        from ui import oidc as oidc_ui

        oidc_ui.check_configuration(current.production)
    if not current.production:
        return
    if not oidc:
        _check_production_accounts()
    if st.get_option("client.showErrorDetails") not in ("none", False):
        raise ConfigurationError(
            'G2G_ENV=production needs client.showErrorDetails = "none" in .streamlit/config.toml.'
        )
    if st.get_option("server.enableXsrfProtection") is not True:
        raise ConfigurationError("G2G_ENV=production needs server.enableXsrfProtection = true.")


def _check_production_accounts() -> None:
    if accounts_path().resolve() == DEMO_ACCOUNTS.resolve():
        raise ConfigurationError(
            "G2G_ENV=production but no accounts file is set: point G2G_AUTH_FILE at the authority's accounts."
        )
    key = cookie_key()
    if key == DEMO_COOKIE_KEY or len(key) < 32 or len(set(key)) < 10:
        raise ConfigurationError(
            "G2G_ENV=production needs a cookie key of at least 32 random characters in G2G_COOKIE_KEY or secrets.toml."
        )
    demo_hashes = {
        str(u.get("password"))
        for u in (
            yaml.safe_load(DEMO_ACCOUNTS.read_text(encoding="utf-8"))["credentials"]["usernames"]
        ).values()
    }
    for user, entry in load_accounts().get("usernames", {}).items():
        password = str(entry.get("password", ""))
        if not stauth.Hasher.is_hash(password):
            raise ConfigurationError(
                f"G2G_ENV=production: the password of account '{user}' is not a bcrypt hash."
            )
        if password in demo_hashes:
            raise ConfigurationError(
                f"G2G_ENV=production: account '{user}' has a demo password (the demo accounts are published)."
            )


def authenticator() -> stauth.Authenticate | None:
    """The authenticator, built once per run in the entry script, on a copy of the accounts (never rewritten).

    Only its cookie component is used (to write and delete the sign-in cookie in the browser); the password
    check and the cookie's content are ours. None in the oidc mode (Streamlit's own cookie is used there).
    """
    if oidc_mode():
        return None
    return stauth.Authenticate(
        load_accounts(),
        COOKIE_NAME,
        cookie_key(),
        cookie_expiry_days=cookie_hours() / 24,
        auto_hash=False,
    )


# --- The guard: failures, lock-outs and ended sessions, shared by every session of this process -------------

_GUARD: SignInGuard | None = None
_GUARD_LOCK = threading.Lock()


def guard() -> SignInGuard:
    """The process's sign-in guard.

    Its limits come from G2G_SIGNIN_MAX_FAILURES, _WINDOW_MINUTES, _LOCK_MINUTES, _GLOBAL_MAX, _SESSION_MAX
    and _ADDRESS_MAX; its counts and ended sessions live where `g2g_core.storage` keeps them.
    """
    global _GUARD
    with _GUARD_LOCK:
        if _GUARD is None:
            from ui.data import data_dir

            current = settings()
            _GUARD = SignInGuard(
                max_failures=current.signin_max_failures,
                window=current.signin_window_minutes * 60,
                lock=current.signin_lock_minutes * 60,
                global_max=current.signin_global_max,
                session_max=current.signin_session_max,
                address_max=current.signin_address_max,
                state=storage.throttle_state(),
                ended_sessions=storage.ended_sessions(data_dir()),
            )
        return _GUARD


def reset_guard() -> None:
    """Start a new guard, as a new process does.

    Failures and locks counted in memory are forgotten; ended sessions are read again from where they are kept
    (tests).
    """
    global _GUARD
    with _GUARD_LOCK:
        _GUARD = None


# --- The browser's cookie ---------------------------------------------------------------------------------------


def presented_cookie() -> str | None:
    """The sign-in cookie the browser sent with this session's request, if any."""
    try:
        return st.context.cookies.get(COOKIE_NAME)
    except Exception:  # noqa: BLE001  (no request context, e.g. a bare script run)
        return None


def write_cookie(authenticator: stauth.Authenticate, token: str, expires_at: datetime) -> None:
    """Ask the browser to store the sign-in cookie (streamlit-authenticator's cookie component)."""
    authenticator.cookie_controller.cookie_model.cookie_manager.set(COOKIE_NAME, token, expires_at=expires_at)


def delete_cookie(authenticator: stauth.Authenticate) -> None:
    """Ask the browser to delete the sign-in cookie."""
    try:
        authenticator.cookie_controller.delete_cookie()
    except Exception:  # noqa: BLE001  (the component may not know the cookie yet; the session ended anyway)
        pass


# --- Audit ---------------------------------------------------------------------------------------------------------


def _audit(actor: str, role: str, action: str, detail: str = "") -> None:
    from g2g_core.audit import AuditEvent, audit_log
    from ui.data import data_dir

    try:
        audit_log(data_dir()).record(AuditEvent(actor, role, action, None, detail))
    except (OSError, storage.StorageUnavailable):  # the log cannot be written: signing in must still work
        pass


def _role_of(entry: dict) -> str:
    roles = entry.get("roles") or []
    return roles[0] if isinstance(roles, list) and roles and roles[0] in ROLES else "none"


# --- Signing in, restoring, ending ---------------------------------------------------------------------------------


def _start(username: str, entry: dict, sid: str, signed_in_at: float, expires_at: float, how: str) -> None:
    """Mark this browser session signed in (the keys streamlit-authenticator sets, and ours)."""
    st.session_state.update(
        {
            "authentication_status": True,
            "username": username,
            "name": entry.get("name") or username,
            "email": entry.get("email"),
            "roles": entry.get("roles"),
            "logout": None,
            "_g2g_sid": sid,
            "_g2g_pwd": password_fingerprint(entry.get("password", "")),
            "_g2g_signed_in_at": signed_in_at,
            "_g2g_expires_at": expires_at,
        }
    )
    for key in (ERROR_KEY, NOTICE_KEY, SIGNED_OUT_KEY):
        st.session_state.pop(key, None)
    _audit(username, _role_of(entry), "sign_in", how)


def restore_session() -> None:
    """Sign this browser session in from its cookie, if the cookie names a live session of an existing account."""
    if oidc_mode():
        from ui import oidc

        return oidc.restore_session()
    if st.session_state.get("authentication_status") is True or st.session_state.get(SIGNED_OUT_KEY):
        return
    session = read_token(presented_cookie(), cookie_key())
    if session is None:
        return
    try:
        if guard().ended(session.session_id):
            return
    except storage.StorageUnavailable:  # cannot tell whether it was signed out: the sign-in form
        return
    entry = load_accounts().get("usernames", {}).get(session.username)
    if not isinstance(entry, dict) or password_fingerprint(entry.get("password", "")) != session.password:
        return
    if time.time() - session.issued_at > cookie_hours() * 3600 + 60:
        return
    _start(
        session.username,
        entry,
        session.session_id,
        session.issued_at,
        session.expires_at,
        "with the sign-in cookie",
    )


def sign_in_form(authenticator: stauth.Authenticate | None) -> None:
    """The sign-in form and its one message (the same for a wrong password, an unknown or a locked username).

    In the oidc mode: the one button "Sign in with your council account" instead.
    """
    if authenticator is None:
        from ui import oidc

        return oidc.sign_in_page()
    if notice := st.session_state.get(NOTICE_KEY):
        st.info(notice)
    with st.form("Login"):
        st.subheader("Login")
        typed = st.text_input("Username", autocomplete="off")
        password = st.text_input("Password", type="password", autocomplete="off")
        submitted = st.form_submit_button("Login")
    if submitted:
        _attempt(authenticator, typed, password)
    if st.session_state.get("authentication_status") is not True and (
        error := st.session_state.get(ERROR_KEY)
    ):
        st.error(error)


def sources() -> tuple[Source, ...]:
    """Where this attempt comes from: the browser session, and the client's address when it is known.

    Behind a load balancer the address Streamlit sees is the balancer's; with G2G_SIGNIN_TRUST_PROXY=1 the
    last address of X-Forwarded-For (the one the balancer appended) is used instead.
    """
    # A random id kept in this browser session's server-side state (Streamlit's own session id is the same
    # for every session under AppTest, and is not ours to rely on).
    found = [Source("session", st.session_state.setdefault(SOURCE_KEY, secrets.token_urlsafe(16)))]
    address = None
    try:
        address = st.context.ip_address
        if settings().signin_trust_proxy:
            forwarded = st.context.headers.get("X-Forwarded-For") or ""
            address = forwarded.split(",")[-1].strip() or address
    except Exception:  # noqa: BLE001  (no request context)
        pass
    if address:
        found.append(Source("address", str(address)[:64]))
    return tuple(found)


def _attempt(authenticator: stauth.Authenticate, typed: str, password: str) -> None:
    st.session_state.pop(NOTICE_KEY, None)
    shown = clean_username(typed)
    if not shown or not password:
        st.session_state[ERROR_KEY] = WRONG
        return
    try:
        result = attempt(guard(), load_accounts(), typed, password, sources())
    except storage.StorageUnavailable as err:
        st.session_state.update({ERROR_KEY: str(err), "authentication_status": False})
        return
    if result.entry is None:
        st.session_state.update({ERROR_KEY: result.message, "authentication_status": False})
        why = "refused while locked" if result.locked else "wrong username or password"
        _audit(shown, "none", "sign_in_failed", f"attempted username {shown!r}: {why}")
        return
    entry = result.entry
    username = str(typed).strip().lower()
    hours = cookie_hours()
    token, session = issue_token(
        username, str(entry.get("password", "")), cookie_key(), hours or DEFAULT_COOKIE_HOURS
    )
    if hours > 0:
        write_cookie(authenticator, token, datetime.now() + timedelta(hours=hours))
    _start(username, entry, session.session_id, session.issued_at, session.expires_at, "with a password")
    if hours <= 0:  # no cookie component will start the next run: start it now
        st.rerun()


def _clear(notice: str | None = None) -> None:
    for key in ("name", "username", "authentication_status", "email", "roles"):
        st.session_state[key] = None
    st.session_state["logout"] = True
    for key in (*SESSION_KEYS, ERROR_KEY, "viewer"):
        st.session_state.pop(key, None)
    st.session_state[SIGNED_OUT_KEY] = True
    if notice:
        st.session_state[NOTICE_KEY] = notice


def _end_server_session() -> bool:
    """Record this session as ended (False when the shared storage could not record it)."""
    if sid := st.session_state.get("_g2g_sid"):
        expires = st.session_state.get("_g2g_expires_at") or time.time() + MAX_COOKIE_HOURS * 3600
        try:
            guard().end_session(sid, expires)
        except storage.StorageUnavailable as err:  # this browser is signed out; the cookie is deleted below
            st.session_state[NOTICE_KEY] = f"Signed out here, but {err}"
            return False
    return True


def sign_out(authenticator: stauth.Authenticate | None) -> None:
    """End this sign-in everywhere its cookie went, delete the cookie, and record it."""
    if authenticator is None:
        from ui import oidc

        return oidc.sign_out()
    username = st.session_state.get("username")
    viewer = st.session_state.get("viewer")
    _end_server_session()
    _audit(str(username), getattr(viewer, "role", "none"), "sign_out")
    _clear()
    delete_cookie(authenticator)


def sign_out_button(authenticator: stauth.Authenticate | None, where: str, key: str) -> None:
    """The Sign out button (in the sidebar or the main area)."""
    if (st.sidebar if where == "sidebar" else st).button("Sign out", key=key):
        sign_out(authenticator)


def page_viewer() -> Viewer:
    """The viewer the entry script signed in on this run; pages run only through it (ui/navigation.py)."""
    viewer = st.session_state.get("viewer")
    if st.session_state.get("authentication_status") is True and isinstance(viewer, Viewer):
        return viewer
    st.stop()


def _session_ended(entry: object) -> bool:
    """Whether this signed-in session must end now (account removed, signed out elsewhere, password changed, too old)."""
    if not isinstance(entry, dict):
        return True
    sid, pwd = st.session_state.get("_g2g_sid"), st.session_state.get("_g2g_pwd")
    try:
        if sid and guard().ended(sid):
            return True
    except storage.StorageUnavailable:  # checked at sign-in; keep serving while the storage is away
        pass
    if pwd and password_fingerprint(entry.get("password", "")) != pwd:
        return True
    since = st.session_state.get("_g2g_signed_in_at")
    limit = (cookie_hours() or DEFAULT_COOKIE_HOURS) * 3600
    return bool(since) and time.time() - float(since) > limit


def current_viewer(store) -> Viewer | None:
    """The signed-in viewer, rebuilt from the accounts file and the data on every rerun (None if signed out).

    A session whose account was removed, whose password changed, that was signed out in another tab, or that
    is older than the sign-in lifetime ends here: None, and the next run shows the sign-in form.
    """
    if oidc_mode():
        from ui import oidc

        return oidc.current_viewer(store)
    if st.session_state.get("authentication_status") is not True:
        return None
    username = st.session_state.get("username")
    entry = load_accounts().get("usernames", {}).get(username) if isinstance(username, str) else None
    if _session_ended(entry):
        _end_server_session()
        _clear(ENDED)
        return None
    role = _role_of(entry)
    urn = entry.get("urn")
    try:
        urn = int(urn) if urn is not None else None
    except (TypeError, ValueError):
        urn = None
    return viewer_for(store, username, role if role != "none" else None, urn)

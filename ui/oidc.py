"""Sign-in with the authority's own accounts (OpenID Connect, e.g. Microsoft Entra ID): the Streamlit glue.

Streamlit's `st.login` does the protocol and keeps the ID token's claims in a signed cookie (`st.user`); who
may see what is decided in the core (`g2g_core.identity`) on every run, from those claims and the people
register. Streamlit's cookie lasts 30 days, is not checked against the token's expiry, and a copy taken
before `st.logout()` still signs in afterwards, so the session is ours too:

* one sign-in is named by its subject and the token's `iat` (`identity.session_id`), and it ends at `iat` plus
  the sign-in lifetime (`G2G_COOKIE_HOURS`, default 8 hours), whatever the cookie says;
* "Sign out" ends that session on the server (the ended-session list of `g2g_core.signin`, through
  `ui.auth.guard()`) before `st.logout()`, so a replayed cookie of it is refused;
* a refused person (unknown, no role, a role without its URN, another tenant) sees the sign-in page with one
  plain message, never a page. Sign-ins and refusals are audited with the subject and the display name.
"""

from __future__ import annotations

import time
from dataclasses import replace

import streamlit as st

from g2g_core import identity
from g2g_core.access import Viewer
from ui import auth
from ui.data import data_dir

BUTTON = "Sign in with your council account"
SID_KEY = "_g2g_oidc_sid"  # the sign-in this browser session is signed in with
SEEN_KEY = "_g2g_oidc_seen"  # (session id, outcome) pairs already audited in this browser session
REFUSED_KEY = "_g2g_oidc_refused"


def _secrets_auth() -> dict:
    """secrets.toml's `[auth]` as a plain mapping (empty when there is none)."""
    try:
        section = st.secrets.get("auth")
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        return {}
    return section.to_dict() if hasattr(section, "to_dict") else dict(section or {})


def settings() -> identity.OidcSettings:
    """Our OpenID Connect settings; the tenant let in is G2G_OIDC_TENANT, else the one in Entra's metadata URL."""
    try:
        found = identity.oidc_settings(auth.cookie_hours())
    except identity.SettingsError as err:
        raise auth.ConfigurationError(str(err)) from None
    if found.tenant is None:
        section = _secrets_auth().get(found.provider)
        url = section.get("server_metadata_url") if isinstance(section, dict) else None
        if isinstance(url, str) and (tenant := identity.tenant_in_metadata_url(url)):
            found = replace(found, tenant=tenant)
    return found


def check_configuration(production: bool) -> None:
    """Refuse to start on an `[auth]` that cannot sign anybody in, or, in production, is unfit for it.

    Unfit: incomplete, a weak or published cookie secret, Entra's `common`, plain http (localhost aside).
    """
    problems = identity.auth_problems(_secrets_auth(), settings().provider, production)
    if problems:
        where = "G2G_ENV=production with G2G_SIGNIN_MODE=oidc" if production else "G2G_SIGNIN_MODE=oidc"
        raise auth.ConfigurationError(f"{where}: " + " ".join(problems))


def claims() -> dict | None:
    """The ID token's claims of this browser session's sign-in (None when Streamlit has none)."""
    try:
        user = st.user.to_dict()
    except Exception:  # noqa: BLE001  (no [auth] at all, or no run context)
        return None
    return user if user.get("is_logged_in") is True else None


def people() -> identity.PeopleRegister:
    """The people register beside the data in force."""
    return identity.people_register(data_dir())


def _audit_once(sid: str | None, outcome: str, actor: str, role: str, action: str, detail: str) -> None:
    seen = st.session_state.setdefault(SEEN_KEY, set())
    if (sid, outcome) not in seen:
        seen.add((sid, outcome))
        auth._audit(actor, role, action, detail)


def _who(access_or_claims) -> str:
    if isinstance(access_or_claims, identity.Access):
        name, email = access_or_claims.name, access_or_claims.email
    else:
        name, email = identity.display_name(access_or_claims), identity.email_of(access_or_claims)
    return f"{name} <{email}>" if email else name


def _check(
    found: dict, config: identity.OidcSettings
) -> tuple[str | None, identity.Access | None, str | None]:
    """(session id, access if let in, the message if not) for the claims of a sign-in, auditing a refusal once."""
    sid = identity.session_id(found)
    subject = identity.subject_of(found) or "unknown"
    if sid is None or found.get("provider") not in (config.provider, None):
        _audit_once(
            sid, "bad", subject, "none", "sign_in_failed", f"{_who(found)}: a sign-in without subject or time"
        )
        return sid, None, identity.NO_ACCESS
    if auth.guard().ended(sid):
        _audit_once(
            sid,
            "ended",
            subject,
            "none",
            "sign_in_failed",
            f"{_who(found)}: a signed-out session presented again",
        )
        return sid, None, auth.ENDED
    expires = identity.session_expires_at(found, config.lifetime_hours)
    if expires is not None and time.time() >= expires:
        return sid, None, auth.ENDED
    try:
        register = people().people()
    except identity.PeopleError:
        register = None
    if register is None:
        _audit_once(
            sid,
            "register",
            subject,
            "none",
            "sign_in_failed",
            f"{_who(found)}: the people register cannot be read",
        )
        return sid, None, identity.NO_ACCESS
    access = identity.decide(found, register, config)
    if not access.allowed:
        _audit_once(
            sid,
            "refused:" + access.reason,
            subject,
            "none",
            "sign_in_failed",
            f"{_who(access)}: {access.reason}",
        )
        return sid, None, identity.NO_ACCESS
    return sid, access, None


def restore_session() -> None:
    """Sign this browser session in from Streamlit's identity cookie, if it names a live, allowed sign-in."""
    found = claims()
    if found is None:
        if st.session_state.get(SID_KEY):  # Streamlit signed this session out (st.logout)
            auth._clear()
            st.session_state.pop(SID_KEY, None)
        return
    config = settings()
    if st.session_state.get("authentication_status") is True and st.session_state.get(
        SID_KEY
    ) == identity.session_id(found):
        return  # current_viewer checks it again on this run
    sid, access, message = _check(found, config)
    if access is None:
        st.session_state[REFUSED_KEY] = message
        return
    expires = identity.session_expires_at(found, config.lifetime_hours)
    try:
        people().signed_in(access)
    except (OSError, identity.PeopleError):  # the register cannot be written: signing in must still work
        pass
    username = access.shown_as
    st.session_state.update(
        {
            "authentication_status": True,
            "username": username,
            "name": access.name,
            "email": access.email,
            "roles": [access.role],
            "logout": None,
            "_g2g_sid": sid,
            "_g2g_signed_in_at": identity.issued_at(found),
            "_g2g_expires_at": expires,
            SID_KEY: sid,
        }
    )
    for key in (REFUSED_KEY, auth.ERROR_KEY, auth.NOTICE_KEY, auth.SIGNED_OUT_KEY):
        st.session_state.pop(key, None)
    _audit_once(
        sid,
        "in",
        username,
        str(access.role),
        "sign_in",
        f"{_who(access)}, subject {access.subject}, with the council account",
    )


def sign_in_page() -> None:
    """One button, and the one message of a refused or ended sign-in if there is one."""
    if message := st.session_state.get(REFUSED_KEY):
        (st.info if message == auth.ENDED else st.error)(message)
    if st.button(BUTTON, type="primary", key="g2g_oidc_sign_in"):
        st.login(settings().provider)


def current_viewer(store) -> Viewer | None:
    """The signed-in viewer, decided again from the claims and the register on every run (None if it ended)."""
    if st.session_state.get("authentication_status") is not True:
        return None
    found = claims()
    sid = st.session_state.get(SID_KEY)
    if found is None or identity.session_id(found) != sid:
        auth._clear()
        st.session_state.pop(SID_KEY, None)
        return None
    _sid, access, message = _check(found, settings())
    if access is None:
        auth._clear()
        st.session_state.pop(SID_KEY, None)
        st.session_state[REFUSED_KEY] = message
        return None
    return access.viewer(store)


def sign_out() -> None:
    """End this sign-in on the server, record it, then let Streamlit delete its cookie (and the provider's session)."""
    viewer = st.session_state.get("viewer")
    username = st.session_state.get("username")
    sid = st.session_state.get(SID_KEY)
    if sid:
        expires = st.session_state.get("_g2g_expires_at") or time.time() + auth.MAX_COOKIE_HOURS * 3600
        auth.guard().end_session(sid, expires)
    auth._audit(str(username), getattr(viewer, "role", "none"), "sign_out", "with the council account")
    auth._clear()
    st.session_state.pop(SID_KEY, None)
    st.logout()

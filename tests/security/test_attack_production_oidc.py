"""Production mode with the council's own accounts (`G2G_ENV=production`, `G2G_SIGNIN_MODE=oidc`).

Each attack is a secrets.toml `[auth]` that would sign people in insecurely or not at all: incomplete, a short
or published cookie secret (anyone holding it can mint an identity cookie), Entra's multi-tenant metadata (any
tenant's accounts; Authlib's issuer check fails there anyway), a plain-http redirect. Expected: the app
refuses to start, and the message names the key. The secrets are a real TOML file, read as Streamlit reads it.
"""

from __future__ import annotations

import secrets
import tomllib

import pytest
from support.pages import frames, new_app

TENANT = "5f0e2a8c-6b1d-4c3e-9a7f-0d2b8e4c1a11"
GOOD = f"""
[auth]
redirect_uri = "https://good-to-great.wexmoor.example/oauth2callback"
cookie_secret = "{secrets.token_urlsafe(48)}"

[auth.microsoft]
client_id = "0f6c2a3e-1111-4a4a-9b9b-1234567890ab"
client_secret = "{secrets.token_urlsafe(30)}"
server_metadata_url = "https://login.microsoftonline.com/{TENANT}/v2.0/.well-known/openid-configuration"
"""


@pytest.fixture
def auth_section(monkeypatch, tmp_path) -> dict:
    """Production, the oidc mode, and a proper secrets.toml [auth] (a test may change it before the check)."""
    path = tmp_path / "secrets.toml"
    path.write_text(GOOD, encoding="utf-8")
    section = tomllib.loads(path.read_text(encoding="utf-8"))["auth"]
    from ui import oidc

    monkeypatch.setattr(oidc, "_secrets_auth", lambda: section)
    monkeypatch.setenv("G2G_ENV", "production")
    monkeypatch.setenv("G2G_SIGNIN_MODE", "oidc")
    monkeypatch.delenv("G2G_AUTH_FILE", raising=False)  # no accounts file: not needed in this mode
    return section


def refused(match: str) -> None:
    from ui import auth

    with pytest.raises(auth.ConfigurationError, match=match):
        auth.check_production()


def test_a_proper_oidc_production_configuration_starts(auth_section):
    """Attack: none; the control case. Expected: the checks pass, the one sign-in button is served."""
    from ui import auth, oidc

    auth.check_production()
    assert oidc.settings().tenant == TENANT  # the tenant let in is the one of the metadata URL
    at = new_app().run()
    assert not at.exception, at.exception
    assert [b.label for b in at.button] == ["Sign in with your council account"]
    assert not at.text_input


@pytest.mark.parametrize(
    ("section", "key"),
    [
        (None, "redirect_uri"),
        (None, "cookie_secret"),
        ("microsoft", "client_id"),
        ("microsoft", "client_secret"),
        ("microsoft", "server_metadata_url"),
    ],
)
def test_production_refuses_an_incomplete_auth_section(auth_section, section, key):
    """Attack: a key of [auth] left out. Expected: refused, naming the key."""
    (auth_section[section] if section else auth_section).pop(key)
    refused(rf"\b{key} is missing")


def test_production_refuses_a_missing_provider_section(auth_section, monkeypatch):
    """Attack: G2G_OIDC_PROVIDER names a provider secrets.toml does not configure. Expected: refused, naming it."""
    monkeypatch.setenv("G2G_OIDC_PROVIDER", "entra")
    refused(r"\[auth\.entra\] is missing")


def test_production_refuses_no_auth_section_at_all(auth_section, monkeypatch):
    """Attack: the oidc mode without any [auth]. Expected: refused, and the app says why instead of a button."""
    auth_section.clear()
    refused(r"\[auth\] is missing")
    at = new_app().run()
    assert not at.exception, at.exception
    assert at.error and at.error[0].value.startswith("The app cannot start")
    assert not at.button and not frames(at)


@pytest.mark.parametrize(
    "secret",
    ["short-secret", "a" * 48, "g2g-demo-cookie-key-not-for-production-use-0001", "xxx"],
    ids=["short", "no randomness", "the demo key", "the documentation's example"],
)
def test_production_refuses_a_short_or_published_cookie_secret(auth_section, secret):
    """Attack: a cookie secret anyone can guess or read (it signs the identity cookie). Expected: refused."""
    auth_section["cookie_secret"] = secret
    refused("cookie_secret")


@pytest.mark.parametrize("tenant", ["common", "organizations", "consumers"])
def test_production_refuses_entras_multi_tenant_metadata(auth_section, tenant):
    """Attack: Entra's multi-tenant endpoint (accounts of any tenant; the issuer check fails). Expected: refused."""
    auth_section["microsoft"]["server_metadata_url"] = (
        f"https://login.microsoftonline.com/{tenant}/v2.0/.well-known/openid-configuration"
    )
    refused(f"server_metadata_url uses Entra's '{tenant}'")


def test_production_refuses_a_plain_http_redirect_uri(auth_section):
    """Attack: the identity comes back over plain http (the code and cookie in clear). Expected: refused."""
    auth_section["redirect_uri"] = "http://good-to-great.wexmoor.example/oauth2callback"
    refused("redirect_uri must use https")


def test_production_allows_a_localhost_http_redirect_uri(auth_section):
    """Attack: none; Entra itself allows http for localhost only, and so do we."""
    auth_section["redirect_uri"] = "http://localhost:8501/oauth2callback"
    from ui import auth

    auth.check_production()


def test_production_refuses_a_redirect_uri_streamlit_would_not_serve(auth_section):
    """Attack: a redirect URI that is not Streamlit's callback (sign-in would silently fail). Expected: refused."""
    auth_section["redirect_uri"] = "https://good-to-great.wexmoor.example/callback"
    refused("redirect_uri must end in /oauth2callback")


def test_an_unknown_sign_in_mode_is_refused(monkeypatch):
    """Attack: a typo in the mode (which must never fall back to something else silently). Expected: refused."""
    monkeypatch.setenv("G2G_SIGNIN_MODE", "entra")
    refused("G2G_SIGNIN_MODE")


def test_the_accounts_mode_keeps_its_own_checks(auth_section, monkeypatch):
    """Attack: production in the accounts mode on the demo accounts, a good [auth] notwithstanding. Expected: refused."""
    monkeypatch.setenv("G2G_SIGNIN_MODE", "accounts")
    refused("accounts")

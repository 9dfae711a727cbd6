"""Production mode (`G2G_ENV=production`): the app refuses to start on anything demo-grade, and says why.

Attacks here are misconfigurations an attacker would love: the published demo accounts (under their own
name or copied elsewhere), the demo cookie key or a short one, plain-text passwords, error details shown
to users, XSRF protection off.
"""

from __future__ import annotations

import secrets
import tomllib
from pathlib import Path

import bcrypt
import pytest
import yaml
from support.accounts import edit_accounts
from support.pages import frames, new_app

from g2g_core.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = secrets.token_urlsafe(48)


@pytest.fixture
def production(monkeypatch, tmp_path) -> Path:
    """Production mode with a proper key and an authority's own accounts file (one director, hashed)."""
    accounts = {
        "credentials": {
            "usernames": {
                "ad.smith": {
                    "name": "A. Smith",
                    "email": "ad.smith@example.invalid",
                    "password": bcrypt.hashpw(b"an authority's own password", bcrypt.gensalt(4)).decode(),
                    "roles": ["director"],
                }
            }
        }
    }
    path = tmp_path / "authority-accounts.yaml"
    path.write_text(yaml.safe_dump(accounts), encoding="utf-8")
    monkeypatch.setenv("G2G_ENV", "production")
    monkeypatch.setenv("G2G_AUTH_FILE", str(path))
    monkeypatch.setenv("G2G_COOKIE_KEY", GOOD_KEY)
    return path


def refused(match: str) -> None:
    from ui import auth

    with pytest.raises(auth.ConfigurationError, match=match):
        auth.check_production()


def test_a_proper_production_configuration_starts(production):
    """Attack: none; the control case. Expected: the checks pass and the sign-in form is served."""
    from ui import auth

    auth.check_production()
    at = new_app().run()
    assert not at.exception, at.exception
    assert [t.label for t in at.text_input] == ["Username", "Password"]


def test_production_refuses_the_demo_accounts(production, monkeypatch):
    """Attack: run production on the demo accounts (their passwords are in the README).

    Expected: refused, and the app shows why instead of a sign-in form.
    """
    monkeypatch.delenv("G2G_AUTH_FILE")
    refused("accounts")
    at = new_app().run()
    assert not at.exception, at.exception
    assert at.error and at.error[0].value.startswith("The app cannot start")
    assert not at.text_input and not frames(at)


def test_production_refuses_a_copy_of_the_demo_accounts_under_another_name(production):
    """Attack: copy the demo accounts file to the authority's path.

    Expected: refused, because its password hashes are the published demo ones.
    """
    demo = yaml.safe_load((ROOT / ".streamlit" / "accounts.demo.yaml").read_text(encoding="utf-8"))
    production.write_text(yaml.safe_dump(demo), encoding="utf-8")
    refused("demo")


@pytest.mark.parametrize(
    "key", ["", "g2g-demo-cookie-key-not-for-production-use-0001", "short-key", "a" * 40], ids=str
)
def test_production_refuses_the_demo_cookie_key_or_a_weak_one(production, monkeypatch, key):
    """Attack: the demo cookie key (anyone can mint a director's cookie with it), a short key, or one with no randomness.

    Expected: refused.
    """
    monkeypatch.setenv("G2G_COOKIE_KEY", key)
    refused("cookie key")


def test_production_refuses_a_plain_text_password(production):
    """Attack: an account whose password is stored in clear. Expected: refused, naming the account."""
    edit_accounts(production, lambda users: users["ad.smith"].update(password="letmein"))
    refused("ad.smith")


@pytest.mark.parametrize(
    ("option", "value"),
    [("client.showErrorDetails", "full"), ("server.enableXsrfProtection", False)],
)
def test_production_refuses_error_details_or_xsrf_off(production, monkeypatch, option, value):
    """Attack: a deployment that shows tracebacks to users, or turns XSRF protection off. Expected: refused."""
    import streamlit as st

    real = st.get_option
    monkeypatch.setattr(st, "get_option", lambda name: value if name == option else real(name))
    refused(option)


@pytest.mark.parametrize("hours", ["0.0001x", "-1", "nan", "inf", "1e9"])
def test_a_nonsense_cookie_lifetime_is_refused(monkeypatch, hours):
    """Attack: a cookie lifetime that is not a number, negative, infinite or absurd.

    Expected: a configuration error naming G2G_COOKIE_HOURS, not a silently endless sign-in.
    """
    from ui import auth

    monkeypatch.setenv("G2G_COOKIE_HOURS", hours)
    with pytest.raises(auth.ConfigurationError, match="G2G_COOKIE_HOURS"):
        auth.cookie_hours()


def test_the_shipped_streamlit_configuration_is_production_grade():
    """Attack: none; what the repository ships.

    Expected: XSRF protection and CORS on, error details hidden, the viewer toolbar, no usage statistics,
    an upload limit, static serving off.
    """
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["enableCORS"] is True
    assert config["server"].get("enableStaticServing", False) is False
    assert 0 < config["server"]["maxUploadSize"] <= 200
    # The browser's limit is the core's default (G2G_MAX_UPLOAD_MB), so no file between the two gets a different
    # answer; a larger G2G_MAX_UPLOAD_MB is refused at start (test_an_upload_limit_above_streamlits_is_refused).
    assert config["server"]["maxUploadSize"] == Settings.model_fields["max_upload_mb"].default
    assert config["client"]["showErrorDetails"] == "none"
    assert config["client"]["toolbarMode"] == "viewer"
    assert config["browser"]["gatherUsageStats"] is False


@pytest.mark.parametrize("value", ["Production", "PRODUCTION", "prod", "production "])
def test_an_unknown_environment_name_is_refused_not_read_as_development(monkeypatch, value):
    """Attack: `G2G_ENV=Production` (capital P, a short form, a trailing space) on the demo accounts and key.

    Expected: the app refuses to start and says which variable is wrong, what it must be and what it is,
    instead of silently skipping every production check.
    """
    from ui import auth

    monkeypatch.setenv("G2G_ENV", value)
    with pytest.raises(auth.ConfigurationError, match="G2G_ENV must be one of 'development', 'production'"):
        auth.check_production()
    at = new_app().run()
    assert not at.exception, at.exception
    (error,) = at.error
    assert error.value.startswith("The app cannot start: G2G_ENV must be one of")
    assert repr(value) in error.value
    assert not at.text_input and not frames(at)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("G2G_MAX_UPLOAD_MB", "ten", "G2G_MAX_UPLOAD_MB must be a whole number of megabytes from 1 to 1000"),
        ("G2G_SIGNIN_MAX_FAILURES", "0", "G2G_SIGNIN_MAX_FAILURES must be a whole number from 1 to 1000"),
        ("G2G_COOKIE_DAYS", "forever", "G2G_COOKIE_DAYS must be a number of days from 0 to 30"),
    ],
)
def test_a_bad_setting_stops_the_app_with_a_sentence_naming_it(monkeypatch, name, value, message):
    """Attack: a setting that is not a number, or out of bounds (before: a bare ValueError at import).

    Expected: the app shows one sentence naming the variable and its value, no traceback, no sign-in form.
    """
    monkeypatch.setenv(name, value)
    at = new_app().run()
    assert not at.exception, at.exception
    (error,) = at.error
    assert error.value == f"The app cannot start: {message}; it is {value!r}."
    assert not at.text_input and not frames(at)


def test_an_upload_limit_above_streamlits_own_is_refused_at_start(monkeypatch):
    """Attack: none; G2G_MAX_UPLOAD_MB raised without Streamlit's server.maxUploadSize.

    Expected: refused at start, saying which Streamlit option to raise (Streamlit reads it when it starts and
    a script cannot change it), instead of files between the two limits failing with Streamlit's own message.
    """
    from ui import auth

    monkeypatch.setenv("G2G_MAX_UPLOAD_MB", "300")
    with pytest.raises(auth.ConfigurationError, match="STREAMLIT_SERVER_MAX_UPLOAD_SIZE=300"):
        auth.check_production()
    monkeypatch.setenv("G2G_MAX_UPLOAD_MB", "50")  # a lower limit is ours to enforce, with our message
    auth.check_production()

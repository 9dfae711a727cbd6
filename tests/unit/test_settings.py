"""The settings model: every G2G_* variable read afresh, its default kept, a bad value refused by name."""

from __future__ import annotations

import subprocess
import sys

import pytest

from g2g_core import cli
from g2g_core.settings import ENV_NAMES, ConfigurationError, Settings, settings


@pytest.fixture(autouse=True)
def _no_settings_from_the_shell(monkeypatch):
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)


def test_with_nothing_set_the_defaults_are_the_ones_users_had():
    s = settings()
    assert s.env == "development" and not s.production
    assert s.data_dir is None and s.auth_file is None and s.cookie_key is None
    assert s.policy_file == "2023"
    assert s.sign_in_hours == 8
    assert (s.signin_max_failures, s.signin_window_minutes, s.signin_lock_minutes, s.signin_global_max) == (
        5,
        15,
        15,
        100,
    )
    assert s.max_upload_mb == 100 and s.max_upload_bytes == 100 * 1024 * 1024


def test_every_field_is_one_g2g_variable():
    assert len(ENV_NAMES) == len(Settings.model_fields) == len(set(ENV_NAMES))
    assert all(name.startswith("G2G_") and name == name.upper() for name in ENV_NAMES)
    assert "G2G_MAX_UPLOAD_MB" in ENV_NAMES and "G2G_COOKIE_DAYS" in ENV_NAMES


def test_a_variable_is_read_afresh_on_every_call(monkeypatch, tmp_path):
    monkeypatch.setenv("G2G_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("G2G_MAX_UPLOAD_MB", "7")
    monkeypatch.setenv("G2G_ENV", "production")
    assert settings().data_dir == tmp_path
    assert settings().max_upload_bytes == 7 * 1024 * 1024
    assert settings().production
    monkeypatch.setenv("G2G_MAX_UPLOAD_MB", "8")
    monkeypatch.delenv("G2G_ENV")
    assert settings().max_upload_mb == 8 and not settings().production


def test_an_empty_variable_counts_as_unset(monkeypatch):
    for name in ("G2G_DATA_DIR", "G2G_AUTH_FILE", "G2G_COOKIE_HOURS", "G2G_ENV", "G2G_MAX_UPLOAD_MB"):
        monkeypatch.setenv(name, "")
    s = settings()
    assert s.data_dir is None and s.auth_file is None and s.sign_in_hours == 8
    assert s.env == "development" and s.max_upload_mb == 100


@pytest.mark.parametrize(
    ("hours", "days", "expected"),
    [(None, None, 8), ("1", None, 1), ("0", None, 0), (None, "2", 48), ("3", "2", 3), (None, "0.5", 12)],
)
def test_the_older_cookie_days_is_read_only_when_cookie_hours_is_unset(monkeypatch, hours, days, expected):
    for name, value in (("G2G_COOKIE_HOURS", hours), ("G2G_COOKIE_DAYS", days)):
        if value is not None:
            monkeypatch.setenv(name, value)
    assert settings().sign_in_hours == expected


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "G2G_MAX_UPLOAD_MB",
            "ten",
            "G2G_MAX_UPLOAD_MB must be a whole number of megabytes from 1 to 1000; it is 'ten'.",
        ),
        ("G2G_MAX_UPLOAD_MB", "0", "G2G_MAX_UPLOAD_MB must be a whole number of megabytes from 1 to 1000"),
        ("G2G_MAX_UPLOAD_MB", "2.5", "G2G_MAX_UPLOAD_MB must be a whole number of megabytes"),
        (
            "G2G_ENV",
            "Production",
            "G2G_ENV must be one of 'development', 'production' (in lower case); it is 'Production'.",
        ),
        ("G2G_COOKIE_HOURS", "nan", "G2G_COOKIE_HOURS must be a number of hours from 0 to 720; it is 'nan'."),
        ("G2G_COOKIE_HOURS", "-1", "G2G_COOKIE_HOURS must be a number of hours from 0 to 720"),
        (
            "G2G_COOKIE_DAYS",
            "forever",
            "G2G_COOKIE_DAYS must be a number of days from 0 to 30; it is 'forever'.",
        ),
        ("G2G_SIGNIN_MAX_FAILURES", "0", "G2G_SIGNIN_MAX_FAILURES must be a whole number from 1 to 1000"),
        ("G2G_SIGNIN_MAX_FAILURES", "five", "G2G_SIGNIN_MAX_FAILURES must be a whole number"),
        ("G2G_SIGNIN_WINDOW_MINUTES", "0", "G2G_SIGNIN_WINDOW_MINUTES must be a number of minutes above 0"),
        ("G2G_SIGNIN_LOCK_MINUTES", "inf", "G2G_SIGNIN_LOCK_MINUTES must be a number of minutes above 0"),
        ("G2G_SIGNIN_GLOBAL_MAX", "-3", "G2G_SIGNIN_GLOBAL_MAX must be a whole number from 1 to 1000000"),
    ],
)
def test_a_bad_value_is_refused_with_a_message_naming_the_variable(monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError) as err:
        settings()
    assert message in str(err.value)


def test_every_bad_variable_is_named_at_once(monkeypatch):
    monkeypatch.setenv("G2G_MAX_UPLOAD_MB", "ten")
    monkeypatch.setenv("G2G_ENV", "prod")
    with pytest.raises(ConfigurationError) as err:
        settings()
    assert "G2G_MAX_UPLOAD_MB" in str(err.value) and "G2G_ENV" in str(err.value)


def test_the_cookie_key_is_never_shown_in_the_settings_repr(monkeypatch):
    monkeypatch.setenv("G2G_COOKIE_KEY", "s3cret-key-value")
    assert settings().cookie_key.get_secret_value() == "s3cret-key-value"
    assert "s3cret" not in repr(settings())


def test_a_bad_upload_limit_no_longer_crashes_the_core_at_import():
    """Before the settings model, `G2G_MAX_UPLOAD_MB=ten` raised a bare ValueError importing datadir."""
    done = subprocess.run(
        [sys.executable, "-c", "import g2g_core.datadir, g2g_core.cli"],
        env={"G2G_MAX_UPLOAD_MB": "ten", "PATH": ""},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


def test_the_command_line_refuses_a_bad_setting_with_its_message_and_a_non_zero_exit(
    monkeypatch, capsys, tmp_path
):
    monkeypatch.setenv("G2G_MAX_UPLOAD_MB", "ten")
    assert cli.main(["validate", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "G2G_MAX_UPLOAD_MB must be a whole number of megabytes from 1 to 1000; it is 'ten'." in err
    assert "Traceback" not in err

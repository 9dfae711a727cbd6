"""Every setting of Good to Great, declared once: its environment variable, default, bounds and description.

Each field of `Settings` is one `G2G_*` environment variable (the field name in capitals after `G2G_`).
`settings()` reads the environment afresh on every call (it is cheap, and a test or a deployer that changes a
variable is obeyed at once) and refuses a value out of bounds, or an unknown value of an enumerated setting,
with a `ConfigurationError` whose message names the variable, says what it must be and what it is. The app
shows that message instead of starting; the command line prints it and exits non-zero.

Adding a setting is one line in `Settings` (type, default, description, what it must be, bounds) and one row
in the README's configuration table (a test fails without it).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

PREFIX = "G2G_"
DEFAULT_COOKIE_HOURS = (
    8.0  # how long a sign-in lasts when neither G2G_COOKIE_HOURS nor G2G_COOKIE_DAYS is set
)
MAX_COOKIE_HOURS = 720  # 30 days


class ConfigurationError(RuntimeError):
    """The app cannot start safely with this configuration; the message says why."""


def setting(default: Any, description: str, must: str = "", **bounds: Any) -> Any:
    """One setting: its default, a description for people, what a value must be (for the message), bounds."""
    return Field(default, description=description, json_schema_extra={"must": must}, **bounds)


class Settings(BaseSettings):
    """The settings in force, read from `G2G_*` environment variables (an empty variable counts as unset)."""

    model_config = SettingsConfigDict(
        env_prefix=PREFIX, env_ignore_empty=True, extra="ignore", frozen=True, validate_default=True
    )

    env: Literal["development", "production"] = setting(
        "development",
        "`production` refuses to start on the demo accounts, a demo or weak cookie key, plain-text passwords, "
        "error details shown or XSRF protection off, and says why (see SECURITY.md)",
    )
    data_dir: Path | None = setting(
        None, "the data directory (one Parquet, CSV or xlsx file per table, SPEC §2); unset: `data/demo`"
    )
    policy_file: str = setting(
        "2023",
        "the policy configuration: `2023` (Appendix 3, September 2023), `2019`, or the path of a TOML file",
        "`2023`, `2019` or the path of a policy TOML file",
        min_length=1,
    )
    auth_file: Path | None = setting(
        None,
        "the accounts file (streamlit-authenticator's credentials YAML; each user has one role, heads and "
        "governors a `urn`); unset: the demo accounts",
    )
    cookie_key: SecretStr | None = setting(
        None,
        "the key that signs the sign-in cookie (or `cookie_key` in `.streamlit/secrets.toml`); unset: a demo key",
    )
    cookie_hours: float | None = setting(
        None,
        "how long a sign-in lasts, in hours (0: no cookie, the sign-in lasts while the tab is open); unset: "
        "`G2G_COOKIE_DAYS` × 24, else 8",
        f"a number of hours from 0 to {MAX_COOKIE_HOURS}",
        ge=0,
        le=MAX_COOKIE_HOURS,
        allow_inf_nan=False,
    )
    cookie_days: float | None = setting(
        None,
        "the older form of `G2G_COOKIE_HOURS`, in days; read only when `G2G_COOKIE_HOURS` is unset",
        f"a number of days from 0 to {MAX_COOKIE_HOURS // 24}",
        ge=0,
        le=MAX_COOKIE_HOURS // 24,
        allow_inf_nan=False,
    )
    signin_max_failures: int = setting(
        5, "failed sign-ins that lock a username", "a whole number from 1 to 1000", ge=1, le=1000
    )
    signin_window_minutes: float = setting(
        15,
        "the time within which those failures count, in minutes",
        "a number of minutes above 0, at most 10080 (a week)",
        gt=0,
        le=10080,
        allow_inf_nan=False,
    )
    signin_lock_minutes: float = setting(
        15,
        "how long a locked username stays locked, in minutes",
        "a number of minutes above 0, at most 10080 (a week)",
        gt=0,
        le=10080,
        allow_inf_nan=False,
    )
    signin_global_max: int = setting(
        100,
        "failed sign-ins overall, within the window, after which browser sessions that failed themselves are "
        "refused (others still sign in)",
        "a whole number from 1 to 1000000",
        ge=1,
        le=1_000_000,
    )
    letterhead_file: Path | None = setting(
        None,
        "the letterhead of confirmation letters (a TOML file documented in `g2g_core/letters/letterhead.demo.toml`: "
        "authority, address, logo, signatory, contact line); unset: the demo borough's invented letterhead",
    )
    signin_session_max: int = setting(
        20,
        "failed sign-ins from one browser session, within the window, that stop that session's sign-ins",
        "a whole number from 1 to 1000000",
        ge=1,
        le=1_000_000,
    )
    signin_address_max: int = setting(
        100,
        "failed sign-ins from one address, within the window, that stop sign-ins from that address",
        "a whole number from 1 to 1000000",
        ge=1,
        le=1_000_000,
    )
    signin_trust_proxy: bool = setting(
        False,
        "`true` behind the load balancer only: read the client's address from the last `X-Forwarded-For` "
        "entry (HAProxy's `option forwardfor`) for sign-in throttling",
        "`true` or `false`",
    )
    database_url: SecretStr | None = setting(
        None,
        "several servers: the PostgreSQL database they share (`postgresql://user:password@host:5432/db`) for "
        "the audit log, sign-in counts, ended sessions, scenarios and the data pointer; unset: one server, "
        "files and memory (see deploy/README.md)",
    )
    data_url: str | None = setting(
        None,
        "several servers: where the data versions are shared, a folder or `s3://bucket/prefix`; unset: "
        "`G2G_DATA_DIR`",
    )
    s3_endpoint: str | None = setting(
        None,
        "the address of an S3-compatible server for `G2G_DATA_URL=s3://…` (e.g. `https://s3.example.org`); "
        "unset: AWS",
    )
    cache_dir: Path | None = setting(
        None,
        "several servers: the local folder where this server keeps its copies of shared data versions; "
        "unset: `~/.cache/g2g`",
    )
    max_upload_mb: int = setting(
        100,
        "the largest file the Data page accepts, in megabytes",
        "a whole number of megabytes from 1 to 1000",
        ge=1,
        le=1000,
    )

    max_upload_rows: int = setting(
        1_000_000,
        "the most rows one uploaded or imported file may hold (counted from the file's header or footer before "
        "it is parsed)",
        "a whole number of rows from 1 to 100000000",
        ge=1,
        le=100_000_000,
    )
    max_upload_columns: int = setting(
        500,
        "the most columns one uploaded or imported file may hold (counted before it is parsed)",
        "a whole number of columns from 1 to 16384",
        ge=1,
        le=16_384,
    )
    max_unpacked_mb: int = setting(
        100,
        "the most a workbook (.xlsx) may unpack to, or a Parquet file's data may decompress to, in megabytes",
        "a whole number of megabytes from 1 to 10000",
        ge=1,
        le=10_000,
    )
    signin_mode: Literal["accounts", "oidc"] = setting(
        "accounts",
        "how people sign in: `accounts` (the accounts file) or `oidc` (the council's own accounts through "
        "OpenID Connect, e.g. Microsoft Entra ID, configured in `.streamlit/secrets.toml` `[auth]`; see SECURITY.md)",
    )
    oidc_provider: str = setting(
        "microsoft",
        "with `oidc`: the provider's section of secrets.toml, `[auth.<name>]`",
        "a provider name of secrets.toml [auth] (letters, digits, '-' or '_')",
        pattern=r"^[A-Za-z0-9_-]{1,40}$",
    )
    oidc_tenant: str | None = setting(
        None,
        "with `oidc`: the only tenant (Entra `tid`) let in; unset: the tenant of the metadata URL",
        "a tenant id",
        min_length=1,
        max_length=100,
    )
    oidc_roles: str | None = setting(
        None,
        "with `oidc`: the app roles of the token's `roles` claim and the role each gives, "
        "`AppRole=role,...`; unset: `G2G.Director=director,G2G.Adviser=adviser,G2G.Head=head,G2G.Governor=governor`",
        "'AppRole=role' pairs separated by commas",
        max_length=2000,
    )

    @property
    def production(self) -> bool:
        """True in production mode (`G2G_ENV=production`)."""
        return self.env == "production"

    @property
    def sign_in_hours(self) -> float:
        """How long a sign-in lasts: G2G_COOKIE_HOURS, else G2G_COOKIE_DAYS × 24, else 8 hours."""
        if self.cookie_hours is not None:
            return self.cookie_hours
        if self.cookie_days is not None:
            return self.cookie_days * 24
        return DEFAULT_COOKIE_HOURS

    @property
    def max_upload_bytes(self) -> int:
        """The upload limit in bytes."""
        return self.max_upload_mb * 1024 * 1024


def env_name(field: str) -> str:
    """The environment variable of a field: `max_upload_mb` -> `G2G_MAX_UPLOAD_MB`."""
    return PREFIX + field.upper()


ENV_NAMES: tuple[str, ...] = tuple(env_name(f) for f in Settings.model_fields)
"""Every `G2G_*` variable the app reads (tests unset them all to start from the defaults)."""


def rule(field: str) -> str:
    """What a value of `field` must be, in words (declared with the field, or derived from its type)."""
    info = Settings.model_fields[field]
    must = (info.json_schema_extra or {}).get("must")  # type: ignore[union-attr]
    if must:
        return str(must)
    choices = get_args(info.annotation)
    if choices and all(isinstance(c, str) for c in choices):
        return "one of " + ", ".join(f"'{c}'" for c in choices) + " (in lower case)"
    return "a valid value"


def _message(error: dict) -> str:
    field = str(error["loc"][0]) if error.get("loc") else ""
    if field not in Settings.model_fields:
        return error.get("msg", "a setting is not valid")
    text = f"{env_name(field)} must be {rule(field)}"
    if Settings.model_fields[field].annotation in (SecretStr, SecretStr | None):
        return text + "."
    return f"{text}; it is {error.get('input')!r}."


def settings() -> Settings:
    """The settings in force, as the environment says now; ConfigurationError names every bad variable.

    Building the model costs milliseconds, so it is built once per distinct set of `G2G_*` variables (the
    key is a snapshot of them, taken on every call): a changed variable is obeyed at the next call.
    """
    return _settings(tuple(sorted((k, v) for k, v in os.environ.items() if k.upper().startswith(PREFIX))))


@lru_cache(maxsize=32)
def _settings(snapshot: tuple[tuple[str, str], ...]) -> Settings:
    try:
        return Settings(_env_file=None)
    except ValidationError as err:
        messages = dict.fromkeys(_message(e) for e in err.errors())  # one line per variable, in order
        raise ConfigurationError(" ".join(messages)) from None

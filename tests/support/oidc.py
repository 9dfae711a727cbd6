"""The test council's OpenID provider (tests/oidc/provider, panva's oidc-provider on Node) and an app that uses it.

`provider(port, redirect_uris)` starts the real provider on 127.0.0.1 and stops the exact process after;
`oidc_app(...)` writes a temporary secrets.toml `[auth]` for it (never the repository's `.streamlit/`) and
serves the app in the oidc mode with `--secrets.files`; `sign_in_at_provider` goes through the provider's own
password form as a person does.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from support.browser import ARTIFACTS, ROOT, serve, settle

PROVIDER_DIR = ROOT / "tests" / "oidc" / "provider"
PEOPLE = json.loads((PROVIDER_DIR / "people.json").read_text(encoding="utf-8"))
HOME_TENANT = PEOPLE["home_tenant"]
CLIENT_ID = "good-to-great-tests"
CLIENT_SECRET = "test-client-secret-" + secrets.token_urlsafe(12)
PROVIDER_NAME = "council"
BUTTON = "Sign in with your council account"
NO_ACCESS = "Your account has no access to Good to Great"
ENDED = "Your session has ended. Sign in again."
STARTUP_TIMEOUT_S = 60
SETTLE_MS = 120_000  # a cold run of a page on a loaded 2-core machine


def person(login: str) -> dict:
    """One of the test council's people (tests/oidc/provider/people.json)."""
    return PEOPLE["people"][login]


def subject(login: str) -> str:
    """The identity the app gives a person of the test council: `tid:oid`."""
    p = person(login)
    return f"{p['tid']}:{p['oid']}"


@contextmanager
def provider(port: int, redirect_uris: list[str]) -> Iterator[str]:
    """The provider on 127.0.0.1:`port`, for the app's redirect URIs; yields its issuer URL."""
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        pytest.fail(f"oidc-provider is not installed: run `npm ci` in {PROVIDER_DIR} (.ci/run does it)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / f"oidc-provider-{port}.log"
    issuer = f"http://127.0.0.1:{port}"
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            ["node", "server.mjs", str(port), CLIENT_ID, CLIENT_SECRET, ",".join(redirect_uris)],
            cwd=PROVIDER_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT_S
            while True:
                try:
                    with urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=2) as r:
                        if json.load(r).get("issuer") == issuer:
                            break
                except (urllib.error.URLError, OSError, ValueError):
                    pass
                if proc.poll() is not None:
                    pytest.fail(f"the OpenID provider exited with code {proc.returncode}; see {log_path}")
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"the OpenID provider did not start within {STARTUP_TIMEOUT_S} s; see {log_path}"
                    )
                time.sleep(0.2)
            yield issuer
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def write_secrets(folder: Path, issuer: str) -> Path:
    """A secrets.toml `[auth]` for the test provider, in a temporary folder (never the repository's)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "secrets.toml"
    path.write_text(
        "[auth]\n"
        'redirect_uri = "http://localhost:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_urlsafe(48)}"\n'
        f"[auth.{PROVIDER_NAME}]\n"
        f'client_id = "{CLIENT_ID}"\n'
        f'client_secret = "{CLIENT_SECRET}"\n'
        f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    return path


@contextmanager
def oidc_app(
    data_dir: Path, secrets_file: Path, port: int, log_name: str, env: dict | None = None
) -> Iterator[str]:
    """The app in the oidc mode on localhost:`port` (the host of the redirect URI), over `data_dir`."""
    settings = {
        "G2G_SIGNIN_MODE": "oidc",
        "G2G_OIDC_PROVIDER": PROVIDER_NAME,
        "G2G_OIDC_TENANT": HOME_TENANT,
        **(env or {}),
    }
    with serve(
        data_dir, log_name, env=settings, port=port, args=("--secrets.files", str(secrets_file))
    ) as url:
        yield url


def start_sign_in(page: Page, app_url: str, path: str = "/") -> None:
    """Open the app and press its one sign-in button: the browser arrives at the provider's form."""
    page.goto(app_url + path)
    settle(page, SETTLE_MS)
    page.get_by_role("button", name=BUTTON).click()
    expect(page.get_by_role("heading", name="Test council sign-in")).to_be_visible(timeout=30_000)


def sign_in_at_provider(
    page: Page, app_url: str, login: str, password: str | None = None, path: str = "/"
) -> None:
    """Sign in through the provider's own password form and wait for the app to settle."""
    start_sign_in(page, app_url, path)
    page.get_by_label("Username").fill(login)
    page.get_by_label("Password").fill(person(login)["password"] if password is None else password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{app_url}/**", timeout=60_000)
    settle(page, SETTLE_MS)

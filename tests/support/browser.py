"""Browser helpers (tests/e2e, tests/security): serving the app, Chromium, waiting for Streamlit, signing in.

Waits are generous: a loaded 2-core CI machine runs several Streamlit servers and browsers at once.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from g2g_core.settings import ENV_NAMES

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "e2e"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--headless",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 2600}  # tall: Streamlit scrolls inside its own container
STARTUP_TIMEOUT_S = 120
SETTLE_TIMEOUT_MS = 60_000  # one page run, including the sign-in cookie's second run, on a loaded machine
EXPECT_TIMEOUT_MS = (
    30_000  # every `expect(...)` of a test that imports this module (Playwright's default is 5 s)
)
expect.set_options(timeout=EXPECT_TIMEOUT_MS)
# Settings of the developer's shell that must not leak into the app under test.
UNSET = set(ENV_NAMES)  # every setting; the server gets its data folder (and any `env`) from `serve`


def chromium_launch_args(launch_args: dict) -> dict:
    """pytest-playwright's launch arguments for Debian's Chromium; a missing browser fails the run, never skips."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does it with apt-get)")
    return {**launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    return _free_port()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
            return resp.status == 200 and resp.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def serve(
    data_dir: Path,
    log_name: str,
    env: dict[str, str] | None = None,
    port: int | None = None,
    args: tuple[str, ...] = (),
) -> Iterator[str]:
    """`streamlit run app.py` on a localhost port (free, unless given) over a data directory; yields its base URL.

    `args` are more command-line options (e.g. `--secrets.files`). The exact process started is stopped on
    the way out; its output goes to artifacts/e2e/<log_name>.
    """
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port = port or _free_port()
    child_env = {k: v for k, v in os.environ.items() if k not in UNSET}
    child_env["G2G_DATA_DIR"] = str(data_dir)
    child_env.update(env or {})
    log_path = ARTIFACTS / log_name
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.headless",
                "true",
                "--server.port",
                str(port),
                "--server.address",
                "localhost",
                "--browser.gatherUsageStats",
                "false",
                "--browser.serverAddress",
                "localhost",
                *args,
            ],
            cwd=ROOT,
            env=child_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://localhost:{port}"
        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT_S
            while not _healthy(url):
                if proc.poll() is not None:
                    pytest.fail(f"streamlit exited with code {proc.returncode}; see {log_path}")
                if time.monotonic() > deadline:
                    pytest.fail(f"streamlit did not answer /_stcore/health within {STARTUP_TIMEOUT_S} s")
                time.sleep(0.2)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


PASSWORDS = {
    "director": "g2g-director-demo",
    "lama.ashworth": "g2g-adviser-demo",
    "lama.brennan": "g2g-adviser-demo",
    "head.nolbbrook": "g2g-head-demo",
    "chair.tarncombe": "g2g-governor-demo",
}

STABLE_MS = 750
# Once Streamlit has been idle (script not running, connected, nothing stale) for STABLE_MS in a row: the
# performance.now() at which that quiet spell began (truthy; the benchmark times pages with it); else false.
# The start of the quiet spell is kept on window under a key unique to each call, so one call never reuses
# another's.
QUIET_SINCE = """
([key, stableMs]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const quiet = !!app
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && (app.getAttribute('data-test-connection-state') || '').toUpperCase() === 'CONNECTED'
    && !document.querySelector('[data-stale="true"]');
  const now = performance.now();
  if (!quiet) { window[key] = undefined; return false; }
  if (window[key] === undefined) { window[key] = now; }
  return now - window[key] >= stableMs ? window[key] : false;
}
"""


def settle(page: Page, timeout_ms: float = SETTLE_TIMEOUT_MS) -> None:
    """Wait until Streamlit has finished every run (the sign-in cookie starts a second one) and is quiet."""
    key = f"__g2g_quiet_{time.monotonic_ns()}"
    page.wait_for_function(QUIET_SINCE, arg=[key, STABLE_MS], polling=50, timeout=timeout_ms)


def main(page: Page):
    """The app's main area (not the sidebar)."""
    return page.get_by_test_id("stMain")


def sidebar(page: Page):
    """The app's sidebar."""
    return page.get_by_test_id("stSidebar")


def sign_in(page: Page, user: str, password: str | None = None, path: str = "/", attempts: int = 3) -> None:
    """Open `path`, fill the sign-in form, press Login and wait until the app has settled.

    Each field is left with Tab and checked before Login is pressed: on a loaded machine a click straight after
    typing can submit the form before the typed values reach Streamlit, and a rerun started by the cookie
    component can swallow the press. With the account's own password (`password` None) the form is filled and
    pressed again, up to `attempts` times, until the Sign out button shows; a chosen password is pressed once,
    so tests of refused sign-ins count exactly their own attempts.
    """
    page.goto(path)
    settle(page)
    secret = PASSWORDS[user] if password is None else password
    signed_in = sidebar(page).get_by_role("button", name="Sign out")
    for _ in range(attempts if password is None else 1):
        for name, value in (("Username", user), ("Password", secret)):
            box = page.get_by_role("textbox", name=name)
            box.fill(value)
            box.press("Tab")
            expect(box).to_have_value(value)
        settle(page)
        page.get_by_role("button", name="Login").click()
        if password is not None:
            break
        try:
            signed_in.wait_for(state="visible", timeout=45_000)
            break
        except PlaywrightTimeout:
            if not page.get_by_role("button", name="Login").count():
                break  # neither form nor sign-out: let the caller's expectations say what the page shows
    settle(page)


def expect_signed_in(page: Page) -> None:
    """The sidebar's Sign out button is there: the visitor is signed in."""
    expect(sidebar(page).get_by_role("button", name="Sign out")).to_be_visible()


def artifact(name: str) -> Path:
    """A path in artifacts/e2e/ (created if missing)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / name


def save_json(name: str, payload: object) -> Path:
    """Write `payload` as JSON to artifacts/e2e/<name>."""
    path = artifact(name)
    path.write_text(json.dumps(payload, indent=2, default=str), encoding="utf-8")
    return path


def grid_column(frame, column: int) -> list[str]:
    """The texts of one column (0-based) of a dataframe, read from the grid's accessible table.

    The grid draws on a canvas; its accessible table holds the rows and columns in view only, so use it on a
    frame tall and wide enough to show what is read.
    """
    cells = frame.locator(f'[data-testid^="glide-cell-{column}-"]')
    return [t.strip() for t in cells.all_text_contents()]


def click_link_cell(page: Page, frame, row: int, row_height: int = 35) -> None:
    """Click the link drawn in a row of a canvas dataframe, found where the grid shows a pointer cursor."""
    box = frame.locator("canvas").first.bounding_box()
    assert box, "the dataframe has no canvas"
    y = box["y"] + row_height * (row + 1) + row_height / 2  # below the header row
    pointer_at = """([x, y]) => {
      for (let e = document.elementFromPoint(x, y); e; e = e.parentElement) {
        if (getComputedStyle(e).cursor === 'pointer') return true;
      }
      return false;
    }"""
    for x in range(int(box["x"]) + 4, int(box["x"] + box["width"]) - 4, 6):
        page.mouse.move(x, y)
        if page.evaluate(pointer_at, [x, y]):
            page.mouse.click(x + 3, y)
            return
    raise AssertionError(f"no link under the pointer anywhere in row {row} of the dataframe")


def heading_1(page: Page):
    """The page's title (one h1 in the main area)."""
    return main(page).get_by_role("heading", level=1)

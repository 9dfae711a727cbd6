"""The real-server figure of `make bench`: N browser sessions at once against real `streamlit run` servers.

Two set-ups over the same data (a copy of the national set on a shared folder, the pointer in PostgreSQL):
one server alone, and two servers behind HAProxy (`deploy/haproxy.cfg`, cookie affinity). PostgreSQL (a
throw-away cluster, `tests/support/postgres.py`), the servers (`tests/support/browser.serve`) and HAProxy are
started here and stopped here; everything listens on 127.0.0.1 / localhost only.

Each session is a headless Chromium page of its own browser context (one Chromium, `/usr/bin/chromium`): it
signs in as the demo director, then opens each of a few director pages by address, `rounds` times. The page
time is from the navigation's start to the moment Streamlit went quiet (script not running, connected,
nothing stale; read in the page as `performance.now()` when the quiet spell began, so the 750 ms used to be
sure it stays quiet is not counted). An error is a page that did not settle within the time limit, showed a
Streamlit exception, or had no level-1 heading. The floor is the same pages opened by one session alone
against one server. Nothing here asserts a time: it is a report.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

PAGE_TIMEOUT_MS = 120_000  # a page that has not settled by then counts as an error
SIGN_IN_PRESSES = 3  # times a session presses Login, within PAGE_TIMEOUT_MS in all, before it counts an error
STABLE_MS = 750
PAGES = ["/overview", "/attention", "/school?urn=900005"]


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile (nearest rank) of values; None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


async def _settled_at(page) -> float:
    """Wait until Streamlit is quiet; the page's performance.now() (ms since navigation start) when it became so."""
    from support.browser import QUIET_SINCE

    key = f"__g2g_quiet_{time.monotonic_ns()}"
    handle = await page.wait_for_function(
        QUIET_SINCE, arg=[key, STABLE_MS], polling=50, timeout=PAGE_TIMEOUT_MS
    )
    return float(await handle.json_value())


async def _session(browser, base: str, rounds: int, out: dict) -> None:
    """One director: sign in, then open every page of PAGES `rounds` times; page times and errors into `out`."""
    from support.browser import PASSWORDS, VIEWPORT

    ctx = await browser.new_context(base_url=base, viewport=VIEWPORT)
    try:
        page = await ctx.new_page()
        await page.goto("/")
        await _settled_at(page)
        for name, value in (("Username", "director"), ("Password", PASSWORDS["director"])):
            box = page.get_by_role("textbox", name=name)
            await box.fill(value)
            await box.press("Tab")
        await _settled_at(page)
        # As a person would: press Login again when nothing happened (on a loaded machine the sign-in
        # cookie's rerun can swallow a press). Each repeat is counted in the report.
        sign_out = page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out")
        for attempt in range(SIGN_IN_PRESSES):
            await page.get_by_role("button", name="Login").click()
            try:
                await sign_out.wait_for(timeout=PAGE_TIMEOUT_MS / SIGN_IN_PRESSES)
                break
            except Exception:  # noqa: BLE001 (not signed in yet: press again, or report the last failure)
                if attempt == SIGN_IN_PRESSES - 1:
                    raise
                out["repeats"] += 1
        for _ in range(rounds):
            for address in PAGES:
                try:
                    await page.goto(address, timeout=PAGE_TIMEOUT_MS)
                    took = await _settled_at(page) / 1000
                    if await page.get_by_test_id("stException").count():
                        out["errors"].append(f"{address}: a Streamlit exception")
                    elif not await page.get_by_role("heading", level=1).count():
                        out["errors"].append(f"{address}: no page heading")
                    else:
                        out["times"].append(took)
                    print(f"    {address}: {took:.2f} s", flush=True)
                except Exception as exc:  # noqa: BLE001 (a report: every failure is counted, none stops it)
                    out["errors"].append(f"{address}: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
    except Exception as exc:  # noqa: BLE001
        out["errors"].append(f"sign-in: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
    finally:
        await ctx.close()


async def _sessions(base: str, sessions: int, rounds: int, budget_s: float) -> dict:
    from playwright.async_api import async_playwright
    from support.browser import CHROMIUM, CHROMIUM_ARGS

    out: dict = {"times": [], "errors": [], "repeats": 0}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            began = time.perf_counter()
            tasks = [asyncio.create_task(_session(browser, base, rounds, out)) for _ in range(sessions)]
            done, pending = await asyncio.wait(tasks, timeout=budget_s)
            for task in pending:
                task.cancel()
                out["errors"].append("a session still running when the time budget ran out")
            await asyncio.gather(*pending, return_exceptions=True)
            out["wall"] = time.perf_counter() - began
        finally:
            await browser.close()
    out["sessions"] = sessions
    out["median"] = statistics.median(out["times"]) if out["times"] else None
    out["p95"] = percentile(out["times"], 95)
    return out


def measure(national: Path, sessions: int = 8, rounds: int = 2, budget_s: float = 900) -> dict:
    """The floor (1 session, 1 server), N sessions on one server, N sessions on two behind HAProxy."""
    from support.browser import _free_port, _healthy, serve
    from support.postgres import Cluster

    tmp = Path(tempfile.mkdtemp(prefix="g2g-bench-servers-"))
    shared = tmp / "shared"
    shared.mkdir()
    for path in national.iterdir():  # the flat files only: the servers adopt them as the first version
        if path.is_file():
            shutil.copy2(path, shared / path.name)
    cluster = Cluster()
    results: dict = {}
    try:
        url = cluster.database()
        with contextlib.ExitStack() as stack:
            servers = {}
            for name in ("a", "b"):
                env = {
                    "G2G_DATABASE_URL": url,
                    "G2G_CACHE_DIR": str(tmp / f"cache-{name}"),
                    "G2G_AUTH_FILE": str(ROOT / ".streamlit" / "accounts.demo.yaml"),
                    "G2G_MAX_UPLOAD_ROWS": "10000000",  # the national set's largest files hold ~5 million rows
                }
                servers[name] = stack.enter_context(serve(shared, f"bench-streamlit-{name}.log", env))
            lb_port = _free_port()
            env = {
                **os.environ,
                "G2G_LB_PORT": str(lb_port),
                "G2G_APP_A_PORT": str(urlsplit(servers["a"]).port),
                "G2G_APP_B_PORT": str(urlsplit(servers["b"]).port),
            }
            proxy = subprocess.Popen(
                ["haproxy", "-db", "-f", str(ROOT / "deploy" / "haproxy.cfg")],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            stack.callback(proxy.wait, 15)
            stack.callback(proxy.terminate)
            lb = f"http://127.0.0.1:{lb_port}"
            for _ in range(300):
                if _healthy(lb):
                    break
                time.sleep(0.2)
            # warm-up: each server loads the national set once before anything is timed
            for base in (servers["a"], servers["b"]):
                asyncio.run(_sessions(base, 1, 1, budget_s))
            print("  one session, one server (the floor) ...", flush=True)
            results["floor"] = asyncio.run(_sessions(servers["a"], 1, rounds, budget_s))
            print(f"  {sessions} sessions, one server ...", flush=True)
            results["one"] = asyncio.run(_sessions(servers["a"], sessions, rounds, budget_s))
            print(f"  {sessions} sessions, two servers behind HAProxy ...", flush=True)
            results["two"] = asyncio.run(_sessions(lb, sessions, rounds, budget_s))
    finally:
        cluster.remove()
        shutil.rmtree(tmp, ignore_errors=True)
    return results


def section(
    results: dict, sessions: int, rounds: int, when: str, load: str, data: str = "national set"
) -> list[str]:
    """The results.md section for these figures."""

    def s(v):
        return "—" if v is None else f"{v:.2f} s"

    floor = results["floor"]
    lines = [
        f"## Real servers: {sessions} browser sessions at once ({data})",
        "",
        f"Run {when}; load average at the start {load}. Each session is a headless Chromium page signed in as the "
        f"director, opening {', '.join(f'`{p}`' for p in PAGES)} by address, {rounds} time(s) each; page time: "
        "navigation start to Streamlit quiet. Floor: one session alone against one server.",
        "",
        "| set-up | sessions | page runs | median | 95th percentile | errors | floor median | floor 95th |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key, label in (("one", "one server"), ("two", "two servers behind HAProxy")):
        r = results[key]
        lines.append(
            f"| {label} | {r['sessions']} | {len(r['times'])} | {s(r['median'])} | {s(r['p95'])} | "
            f"{len(r['errors'])} | {s(floor['median'])} | {s(floor['p95'])} |"
        )
    repeats = {key: results[key].get("repeats", 0) for key in ("floor", "one", "two")}
    if any(repeats.values()):
        lines += [
            "",
            f"Login pressed again because the first press did nothing: {repeats['one']} time(s) with one server, "
            f"{repeats['two']} with two, {repeats['floor']} alone (not errors: the session then signed in).",
        ]
    errors = [e for key in ("floor", "one", "two") for e in results[key]["errors"]]
    if errors:
        lines += ["", "Errors:", ""] + [f"- {e}" for e in errors[:20]]
    return lines

"""Issue 18 in real browsers: two `streamlit run` servers behind HAProxy (deploy/haproxy.cfg).

They share one PostgreSQL database and one data folder.

Each browser context is pinned to a server by HAProxy's `SRV` cookie (set here by hand to choose the server):
sign-in works through the balancer; wrong passwords spread over both servers add up to one lock; a version
uploaded through server A is served by server B at its next rerun and rolled back from B; a sign-out on one
server ends the session on the other; a publish and a roll back on B while server A's publish holds the shared
upload lock are refused with a clear message and change nothing (every version on the shared storage whole,
the pointer on a recorded one), and the publish wins once the lock is free; two directors pressing Publish
on A and B at once: A's publish, part-way through, holds the lock, B's is refused with the message and A's
wins; stopping the server a browser is pinned to sends it to the other one, with no error page. The tests run in file order and share the servers (the last one stops server B).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import polars as pl
import psycopg
import pyarrow.parquet as pq
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from support.browser import (
    ARTIFACTS,
    PASSWORDS,
    ROOT,
    _free_port,
    _healthy,
    heading_1,
    main,
    serve,
    settle,
    sidebar,
)
from support.postgres import Cluster

from g2g_core.demo import write_demo

URN = 900001
NEW_NAME = "Balancer Lane Primary School"
WRONG = "The username or password is incorrect."
LOCKED = "Too many attempts."


@pytest.fixture(scope="module")
def several() -> Iterator[dict]:
    """PostgreSQL, the shared demo folder, servers A and B, and HAProxy in front; yields their addresses."""
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix="g2g-several-"))
    shared = tmp / "shared"
    write_demo(shared)
    cluster = Cluster()
    stack = contextlib.ExitStack()
    try:
        url = cluster.database()
        servers, stops = {}, {}
        for name in ("a", "b"):
            env = {"G2G_DATABASE_URL": url, "G2G_CACHE_DIR": str(tmp / f"cache-{name}")}
            inner = contextlib.ExitStack()
            servers[name] = inner.enter_context(serve(shared, f"streamlit-{name}.log", env))
            stops[name] = inner
            stack.callback(inner.close)
        lb_port = _free_port()
        env = {
            **os.environ,
            "G2G_LB_PORT": str(lb_port),
            "G2G_APP_A_PORT": str(urlsplit(servers["a"]).port),
            "G2G_APP_B_PORT": str(urlsplit(servers["b"]).port),
        }
        log = open(ARTIFACTS / "haproxy.log", "w", encoding="utf-8")  # noqa: SIM115 (closed below)
        proxy = subprocess.Popen(
            ["haproxy", "-db", "-f", str(ROOT / "deploy" / "haproxy.cfg")],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        stack.callback(log.close)
        stack.callback(proxy.wait, 15)
        stack.callback(proxy.terminate)
        lb = f"http://127.0.0.1:{lb_port}"
        for _ in range(300):
            if _healthy(lb):
                break
            time.sleep(0.2)
        yield {"lb": lb, "shared": shared, "url": url, "stops": stops}
    finally:
        stack.close()
        cluster.remove()


def pinned(browser: Browser, browser_context_args: dict, several: dict, server: str) -> BrowserContext:
    """A fresh browser context whose requests HAProxy sends to `server` ('a' or 'b')."""
    ctx = browser.new_context(**{**browser_context_args, "base_url": several["lb"]})
    ctx.add_cookies([{"name": "SRV", "value": server, "url": several["lb"]}])
    return ctx


def sign_in_slowly(page: Page, user: str, password: str | None = None) -> None:
    """The e2e helpers' sign-in, with generous waits for a machine running two servers and a browser."""
    page.goto("/")
    settle(page, timeout_ms=120_000)
    page.get_by_role("textbox", name="Username").fill(user)
    page.get_by_role("textbox", name="Password").fill(PASSWORDS[user] if password is None else password)
    page.get_by_role("button", name="Login").click()
    settle(page, timeout_ms=120_000)


def signed_in(page: Page, user: str) -> Page:
    """Sign in through the form and wait (generously: two servers and a browser share a loaded machine)."""
    sign_in_slowly(page, user)
    expect(sidebar(page).get_by_role("button", name="Sign out")).to_be_visible(timeout=60_000)
    return page


def school_heading(page: Page) -> str:
    """The heading of school URN's page, opened afresh (a new run: the server's next rerun).

    A server process's first request for a page address is run by Streamlit's folder-based navigation,
    which hands over to the entry script's first page (ui/auth.page_viewer): then the address is opened again.
    """
    for _ in range(3):
        page.goto(f"/school?urn={URN}")
        settle(page, timeout_ms=120_000)
        if "/school" in page.url:
            break
    expect(page).to_have_url(re.compile(r"/school"))
    text = heading_1(page).inner_text()
    page.screenshot(path=str(ARTIFACTS / f"several-school-{time.monotonic_ns()}.png"))
    return text


@pytest.fixture
def contexts(browser: Browser, browser_context_args: dict, several: dict):
    made: list[BrowserContext] = []

    def make(server: str) -> BrowserContext:
        ctx = pinned(browser, browser_context_args, several, server)
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.close()


def test_sign_in_through_the_balancer_pins_the_browser_to_one_server(contexts, several):
    page = signed_in(contexts("a").new_page(), "director")
    assert {c["name"]: c["value"] for c in page.context.cookies()}.get("SRV") == "a"


def test_five_wrong_passwords_spread_over_both_servers_lock_the_username(contexts):
    for i in range(5):
        page = contexts("ab"[i % 2]).new_page()
        sign_in_slowly(page, "lama.brennan", "not-the-password")
        expect(main(page).get_by_text(WRONG)).to_be_visible(timeout=60_000)
    for server in "ab":
        page = contexts(server).new_page()
        sign_in_slowly(page, "lama.brennan")  # the right password, on either server
        expect(main(page).get_by_text(LOCKED)).to_be_visible(timeout=60_000)


def test_an_upload_through_a_is_served_by_b_and_rolled_back_from_b(contexts, several):
    a = signed_in(contexts("a").new_page(), "director")
    b = signed_in(contexts("b").new_page(), "director")
    old_name = school_heading(b)

    checked_upload(a, renamed_schools(several, shared_versions(several)[1], NEW_NAME))
    main(a).get_by_role("button", name="Publish", exact=True).click()
    settle(a, timeout_ms=120_000)
    expect(main(a).get_by_text("is now in force", exact=False)).to_be_visible(timeout=60_000)

    assert school_heading(b) == NEW_NAME, "server B serves the new version at its next rerun"

    b.goto("/data")
    settle(b, timeout_ms=120_000)
    main(b).get_by_role("tab", name="History").click()
    settle(b, timeout_ms=120_000)
    main(b).get_by_role("button", name="Roll back to this version").first.click()
    settle(b, timeout_ms=120_000)
    expect(main(b).get_by_text("Rolled back: version", exact=False)).to_be_visible(timeout=60_000)
    assert school_heading(a) == old_name, "server A serves the version B rolled back to"


def test_a_sign_out_on_one_server_ends_the_session_on_the_other(contexts):
    a = signed_in(contexts("a").new_page(), "director")
    cookie = next(c for c in a.context.cookies() if c["name"] == "g2g_session")
    sidebar(a).get_by_role("button", name="Sign out").click()
    settle(a, timeout_ms=120_000)

    thief = contexts("b")
    thief.add_cookies([cookie])
    page = thief.new_page()
    page.goto("/")
    settle(page, timeout_ms=120_000)
    expect(page.get_by_role("textbox", name="Username")).to_be_visible(timeout=60_000)
    expect(sidebar(page).get_by_role("button", name="Sign out")).to_have_count(0, timeout=60_000)


BUSY = "another upload or roll back is in progress"
RACED_NAME = "Simultaneous Lane Primary School"


def shared_versions(several: dict) -> tuple[list[str], str | None]:
    """Every version recorded in PostgreSQL (newest first) and the live one, each checked complete on storage.

    Complete: its folder on the shared storage holds its manifest and every file the manifest lists, each
    Parquet file whole (its footer readable, the listed row count); and no folder lies there that PostgreSQL
    does not record (nothing half-written).
    """
    from g2g_core.storage.postgres import Database, PgVersions

    db = Database(several["url"], min_size=1, max_size=1)
    try:
        versions = PgVersions(db)
        ids, live = versions.ids(), versions.current()
    finally:
        db.pool.close()
    history = several["shared"] / "history"
    assert sorted(p.name for p in history.iterdir() if p.is_dir()) == sorted(ids), "no unrecorded folder"
    for version_id in ids:
        manifest = json.loads((history / version_id / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["id"] == version_id
        for entry in manifest["files"].values():
            path = history / version_id / entry["file"]
            assert path.is_file(), f"{version_id} lacks {entry['file']}"
            if path.suffix == ".parquet":  # a half-written Parquet file has no readable footer
                rows = pq.read_metadata(path).num_rows
                assert rows == entry.get("rows", rows), f"{version_id}: {entry['file']} is not whole"
    assert live in ids, "the pointer names a recorded, complete version"
    return ids, live


@contextlib.contextmanager
def publish_in_progress_elsewhere(several: dict) -> Iterator[None]:
    """Server A's publish, as PostgreSQL sees it: the shared upload lock held (the app's own `locked()`)."""
    from g2g_core.storage.postgres import Database, PgVersions

    db = Database(several["url"], min_size=1, max_size=1)
    try:
        with PgVersions(db).locked():
            yield
    finally:
        db.pool.close()


def expect_refused_as_busy(page: Page, what: str) -> None:
    """The page says, in a sentence, that `what` did not go ahead, nothing changed, and why: busy."""
    expect(
        main(page).get_by_text(f"{what} did not go ahead, and nothing was changed: {BUSY}", exact=False)
    ).to_be_visible(timeout=60_000)
    expect(main(page).get_by_text("Correct the file(s)", exact=False)).to_have_count(0)  # no file to correct


def renamed_schools(several: dict, version_id: str, name: str) -> bytes:
    """The schools table of a version on the shared storage, as CSV, with school URN renamed to `name`."""
    folder = several["shared"] / "history" / version_id
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    schools = pl.read_parquet(folder / manifest["files"]["schools"]["file"])
    return (
        schools.with_columns(
            pl.when(pl.col("urn") == URN).then(pl.lit(name)).otherwise(pl.col("name")).alias("name")
        )
        .write_csv()
        .encode()
    )


def checked_upload(page: Page, csv: bytes) -> None:
    """On the Data page's Upload tab: choose `csv` as schools.csv and press Check (Publish is then offered)."""
    page.goto("/data")
    settle(page, timeout_ms=120_000)
    main(page).get_by_role("tab", name="Upload").click()
    settle(page, timeout_ms=120_000)
    main(page).locator("input[type=file]").first.set_input_files(
        {"name": "schools.csv", "mimeType": "text/csv", "buffer": csv}
    )
    settle(page, timeout_ms=120_000)
    main(page).get_by_role("button", name="Check", exact=True).click()
    settle(page, timeout_ms=120_000)
    expect(main(page).get_by_role("button", name="Publish", exact=True)).to_be_visible(timeout=120_000)


def test_a_publish_while_another_server_publishes_is_refused_clearly_and_no_version_is_lost(
    contexts, several
):
    """Director on B presses Publish, later Roll back, while server A's publish holds the shared upload lock.

    Each is refused with the message, nothing changes on the shared storage or in PostgreSQL; pressing Publish
    again once A's publish is over wins, and every earlier version is kept whole.
    """
    b = signed_in(contexts("b").new_page(), "director")
    before_ids, before_live = shared_versions(several)
    checked_upload(b, renamed_schools(several, before_live, RACED_NAME))

    with publish_in_progress_elsewhere(several):
        main(b).get_by_role("button", name="Publish", exact=True).click()
        settle(b, timeout_ms=120_000)
        expect_refused_as_busy(b, "The upload")
        b.screenshot(path=str(ARTIFACTS / "several-publish-refused.png"))
        assert shared_versions(several) == (before_ids, before_live), "nothing changed, nothing half-written"

    # A's publish is over: B's director presses Publish again (the message says to), and wins.
    main(b).get_by_role("button", name="Publish", exact=True).click()
    settle(b, timeout_ms=120_000)
    expect(main(b).get_by_text("is now in force", exact=False)).to_be_visible(timeout=60_000)
    after_ids, after_live = shared_versions(several)
    assert after_ids[1:] == before_ids, "every earlier version kept"
    assert len(after_ids) == len(before_ids) + 1 and after_live == after_ids[0]

    b.goto("/data")
    settle(b, timeout_ms=120_000)
    main(b).get_by_role("tab", name="History").click()
    settle(b, timeout_ms=120_000)
    with publish_in_progress_elsewhere(several):
        main(b).get_by_role("button", name="Roll back to this version").first.click()
        settle(b, timeout_ms=120_000)
        expect_refused_as_busy(b, "The roll back")
        b.screenshot(path=str(ARTIFACTS / "several-rollback-refused.png"))
        assert shared_versions(several) == (after_ids, after_live)

    a = signed_in(contexts("a").new_page(), "director")
    assert school_heading(a) == RACED_NAME, "server A serves the version B published"


RACE_A = "Race Lane A Primary School"
RACE_B = "Race Lane B Primary School"


@contextlib.contextmanager
def versions_table_held(several: dict) -> Iterator[psycopg.Connection]:
    """A transaction holding `data_versions` in EXCLUSIVE mode: reads go on, a publish's INSERT waits.

    This stands for a slow shared database: a server that presses Publish now takes the upload lock, writes its
    files and then waits, inside its own publish, until the block ends.
    """
    with psycopg.connect(several["url"], autocommit=True) as conn, conn.transaction():
        conn.execute("LOCK TABLE data_versions IN EXCLUSIVE MODE")
        yield conn


def publish_waiting(conn: psycopg.Connection) -> bool:
    """A server's publish holds the shared upload lock and waits to record its version."""
    from g2g_core.storage.postgres import LOCK_UPLOAD

    upload_lock = conn.execute(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
        " AND ((classid::bigint << 32) | objid::bigint) = %s",
        [LOCK_UPLOAD],
    ).fetchone()[0]
    waiting = conn.execute(
        "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
        " WHERE c.relname = 'data_versions' AND NOT l.granted"
    ).fetchone()[0]
    return upload_lock == 1 and waiting == 1


def test_two_directors_publishing_at_once_through_different_servers_one_wins_one_is_told(contexts, several):
    """Directors on A and B both press Publish; A's press lands first and is still publishing when B's lands.

    Both servers run the app's own publish: A's holds the shared upload lock and is part-way through (its
    files written, its version not yet recorded) when B's arrives, so B is refused with the message and
    changes nothing; A's then completes and wins. Afterwards every version is whole, none is lost, and both
    servers serve A's.
    """
    a = signed_in(contexts("a").new_page(), "director")
    b = signed_in(contexts("b").new_page(), "director")
    before_ids, before_live = shared_versions(several)
    checked_upload(a, renamed_schools(several, before_live, RACE_A))
    checked_upload(b, renamed_schools(several, before_live, RACE_B))

    with versions_table_held(several) as conn:
        main(a).get_by_role("button", name="Publish", exact=True).click()
        deadline = time.monotonic() + 120
        while not publish_waiting(conn):
            assert time.monotonic() < deadline, "server A's publish never reached the shared database"
            time.sleep(0.2)
        main(b).get_by_role("button", name="Publish", exact=True).click()
        settle(b, timeout_ms=120_000)
        expect_refused_as_busy(b, "The upload")
        b.screenshot(path=str(ARTIFACTS / "several-race-b-refused.png"))
        assert publish_waiting(conn), "A was still publishing when B was refused"
        assert conn.execute("SELECT version_id FROM data_pointer").fetchone()[0] == before_live

    settle(a, timeout_ms=120_000)
    expect(main(a).get_by_text("is now in force", exact=False)).to_be_visible(timeout=120_000)
    a.screenshot(path=str(ARTIFACTS / "several-race-a-won.png"))
    after_ids, after_live = shared_versions(several)
    assert after_ids[1:] == before_ids, "every earlier version kept, one new one"
    assert after_live == after_ids[0]
    assert school_heading(a) == RACE_A
    assert school_heading(b) == RACE_A, "server B serves the version A published, not its own refused one"


def test_stopping_the_pinned_server_sends_the_browser_to_the_other_with_no_error_page(contexts, several):
    page = signed_in(contexts("b").new_page(), "director")
    several["stops"]["b"].close()  # server B stops; HAProxy redispatches its browsers (option redispatch)
    page.goto("/overview")
    settle(page, timeout_ms=120_000)
    expect(heading_1(page)).to_have_text(
        "Borough overview"
    )  # still signed in, through server A's cookie check
    assert {c["name"]: c["value"] for c in page.context.cookies()}.get("SRV") == "a"
    assert not page.get_by_test_id("stException").count()

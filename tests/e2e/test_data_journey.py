"""Issue 6 in a real browser: the director refreshes the data from a file, sees the change, rolls it back.

The app runs on a data directory of its own (the other journeys' data stay untouched), in one server
process that is never restarted; the audit log beside the data must then hold the view, the export, the
upload and the roll back.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from playwright.sync_api import Browser, Page, expect
from support.browser import expect_signed_in, heading_1, main, serve, settle, sign_in
from support.demo import copy_of

from g2g_core.access import Viewer
from g2g_core.audit import audit_log
from g2g_core.store import HISTORY_DIR, POINTER_FILE

URN = 900001
NEW_NAME = "Harbour Lane Primary School"


@pytest.fixture(scope="module")
def own_data(tmp_path_factory: pytest.TempPathFactory, demo_source: Path) -> Path:
    """A copy of the session's demo borough of this module's own: the journey publishes new data."""
    return copy_of(demo_source, tmp_path_factory.mktemp("e2e-data-journey"))


@pytest.fixture(scope="module")
def own_server(own_data: Path) -> Iterator[str]:
    with serve(own_data, "streamlit-data-journey.log") as url:
        yield url


@pytest.fixture
def director_page(browser: Browser, browser_context_args: dict, own_server: str) -> Iterator[Page]:
    ctx = browser.new_context(**{**browser_context_args, "base_url": own_server})
    page = ctx.new_page()
    sign_in(page, "director")
    expect_signed_in(page)
    yield page
    ctx.close()


def school_heading(page: Page) -> str:
    page.goto(f"/school?urn={URN}")
    settle(page)
    return heading_1(page).inner_text()


def open_tab(page: Page, name: str) -> None:
    page.goto("/data")
    settle(page)
    expect(heading_1(page)).to_have_text("Data")
    main(page).get_by_role("tab", name=name).click()
    settle(page)


def test_director_uploads_a_file_sees_the_change_and_rolls_it_back_without_a_restart(
    director_page: Page, own_data: Path
) -> None:
    page = director_page
    old_name = school_heading(page)
    assert old_name != NEW_NAME

    # A pack downloaded from the school page is an export the audit log must record.
    with page.expect_download() as download:
        main(page).get_by_role("button", name="Governors' pack (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")

    schools = pl.read_parquet(own_data / "schools.parquet").with_columns(
        pl.when(pl.col("urn") == URN).then(pl.lit(NEW_NAME)).otherwise(pl.col("name")).alias("name")
    )
    open_tab(page, "Upload")
    main(page).locator("input[type=file]").first.set_input_files(
        {"name": "schools.csv", "mimeType": "text/csv", "buffer": schools.write_csv().encode()}
    )
    settle(page)
    main(page).get_by_role("button", name="Check and publish").click()
    settle(page)
    version = (own_data / POINTER_FILE).read_text().strip()
    expect(main(page).get_by_text(f"Version {version} is now in force", exact=False)).to_be_visible()

    assert school_heading(page) == NEW_NAME  # the same server process, the new data

    open_tab(page, "History")
    main(page).get_by_role("button", name="Roll back to this version").first.click()
    settle(page)
    expect(main(page).get_by_text("Rolled back: version", exact=False)).to_be_visible()
    assert school_heading(page) == old_name

    first = sorted(p.name for p in (own_data / HISTORY_DIR).iterdir())[0]
    assert (own_data / POINTER_FILE).read_text().strip() == first
    events = audit_log(own_data).read(Viewer("director", "director", None))
    done = set(zip(events["action"], events["urn"].fill_null(0), strict=True))
    assert {("view_school", URN), ("export_pack", URN), ("upload", 0), ("rollback", 0)} <= done

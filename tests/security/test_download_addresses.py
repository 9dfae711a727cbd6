"""Issue 19 item 4: downloads at guessable, unauthenticated addresses.

Streamlit serves a download at `/media/<id>.<ext>` to anyone, and computes `<id>` from the file's content,
type and name. With no account, an attacker who knows a school's levels could compute the address of the
CSV its governor had just downloaded. Every download now goes through `ui.downloads.download`: a random part
in each file name and the file built only on the click.
"""

from __future__ import annotations

import re
import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from streamlit.runtime.memory_media_file_storage import _calculate_file_id
from support.browser import VIEWPORT, main, serve, settle, sign_in

ROOT = Path(__file__).resolve().parents[2]
URN = 900005  # head.nolbbrook's school
STEM = "level-of-support-term-by-term-as-at-2026-05-18"  # the timeline's CSV: what it is and "as at"
FILE_NAME = f"{STEM}.csv"  # the name an attacker would guess: the random part left out


@pytest.fixture(scope="module")
def demo_url(demo_source, tmp_path_factory) -> Iterator[str]:
    data = Path(shutil.copytree(demo_source, tmp_path_factory.mktemp("downloads") / "data"))
    with serve(data, "security-downloads.log") as url:
        yield url


def status(url: str) -> int:
    """The HTTP status of a GET with no cookie (an outsider)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status
    except urllib.error.HTTPError as err:
        return err.code


def test_the_same_download_twice_gets_two_addresses_and_none_can_be_computed(demo_url, browser: Browser):
    """The attack and what is expected.

    Attack: a head downloads the school's level timeline (CSV) twice; an outsider computes the address
    from the content they can guess. Expected: two different addresses, and the computed one is not found.
    """
    ctx = browser.new_context(viewport=VIEWPORT, locale="en-GB", accept_downloads=True)
    try:
        page = ctx.new_page()
        sign_in(page, "head.nolbbrook", path=demo_url)
        button = main(page).get_by_role(
            "button", name="Download the data of 'Level of support, term by term' (CSV)"
        )
        urls, bodies = [], []
        for _ in range(2):
            with page.expect_download() as caught:
                button.click()
            download = caught.value
            urls.append(download.url)
            bodies.append(Path(download.path()).read_bytes())
            assert re.fullmatch(rf"{STEM}-[0-9a-f]{{12}}\.csv", download.suggested_filename)
            page.reload()  # the same page opened again later, as the governor would
            settle(page)
    finally:
        ctx.close()
    assert bodies[0] == bodies[1] and bodies[0].lstrip(b"\xef\xbb\xbf").startswith(
        b"# Level of support, term by term, as at 18 May 2026\nTerm,"
    ), "not the same data twice"
    ids = [u.rsplit("/", 1)[-1] for u in urls]
    assert ids[0] != ids[1], f"the same data downloaded twice got the same address: {ids[0]}"
    guessed = _calculate_file_id(bodies[0], "text/csv", FILE_NAME)
    code = status(f"{demo_url}/media/{guessed}.csv")
    assert code == 404, f"the address computed from the content answers {code}: /media/{guessed}.csv"


def test_every_download_button_goes_through_the_one_helper():
    """A page that called `st.download_button` itself would serve at a content-derived address again."""
    callers = [
        str(p.relative_to(ROOT))
        for folder in ("app_pages", "ui")
        for p in sorted((ROOT / folder).rglob("*.py"))
        if p != ROOT / "ui" / "downloads.py" and "download_button(" in p.read_text(encoding="utf-8")
    ]
    callers += ["app.py"] if "download_button(" in (ROOT / "app.py").read_text(encoding="utf-8") else []
    assert not callers, f"use ui.downloads.download, not st.download_button: {callers}"

"""The governors' pack from the drilldown: every role gets both downloads for a school it may see."""

import io

import pytest
from pptx import Presentation
from pypdf import PdfReader

ROLES = [
    ("director", "director", "900005"),
    ("lama.brennan", "adviser", "900026"),
    ("head.nolbbrook", "head", None),
    ("chair.tarncombe", "governor", None),
]


@pytest.mark.parametrize(("username", "role", "urn"), ROLES)
def test_every_role_downloads_both_packs_of_a_school_it_may_see(signed_in, username, role, urn):
    at = signed_in(username, role)
    at.switch_page("app_pages/school.py")
    if urn:
        at.query_params["urn"] = urn
    at.run()
    assert not at.exception
    buttons = {b.label: b for b in at.get("download_button")}
    assert "Governors' pack (PowerPoint)" in buttons
    assert "Governors' pack (PDF)" in buttons
    school = at.title[0].value

    from datetime import date

    from g2g_core.access import viewer_for
    from g2g_core.packs import build_pack
    from ui import auth
    from ui.data import store

    account = auth.load_accounts()["usernames"][username]
    viewer = viewer_for(store(), username, role, account.get("urn"))
    target = int(urn) if urn else account["urn"]
    deck = Presentation(io.BytesIO(build_pack(store(), viewer, target, date(2026, 5, 18), "pptx")))
    assert school in "".join(sh.text_frame.text for sh in deck.slides[0].shapes if sh.has_text_frame)
    pdf = PdfReader(io.BytesIO(build_pack(store(), viewer, target, date(2026, 5, 18), "pdf")))
    assert school in pdf.pages[0].extract_text()

"""Issue 14 on the School page (AppTest): the adviser by name, and flags in the reader's wording."""

from __future__ import annotations

from support.pages import GOVERNOR_URN

from g2g_core.access import Viewer
from g2g_core.store import load_store
from g2g_core.views import school_detail
from g2g_core.vocabulary import SEVERITY_NAMES, SEVERITY_SCHOOL_NAMES


def _markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_the_chair_reads_the_advisers_name_and_the_flags_in_the_schools_words(as_role, data_dir):
    store = load_store(data_dir)  # a copy: opening the school writes to the audit log
    adviser = store.sql("SELECT adviser FROM schools WHERE urn = $u", {"u": GOVERNOR_URN})["adviser"][0]
    name = store.sql("SELECT name FROM advisers WHERE username = $u", {"u": adviser})["name"][0]
    detail = school_detail(
        store, Viewer("chair", "governor", frozenset({GOVERNOR_URN})), GOVERNOR_URN, store.default_as_of()
    )
    assert detail.flag_texts  # the demo school has something to say
    at = as_role("governor").run()
    assert not at.exception, at.exception
    md, text = _markdown(at), "\n".join(t.value for t in at.text)
    # The adviser is a line of text, not a metric (a metric's value is cut on a phone).
    [line] = [m for m in md.splitlines() if m.startswith("**Adviser:**")]
    assert name in line.replace("\\", "") and adviser not in line
    for f in detail.flag_texts:
        assert f.severity_words in md and f.message in text and f.next_step in text
    assert "policy " not in md  # policy references are for staff
    assert not [
        w for w in SEVERITY_NAMES.values() if f"**{w}**" in md and w not in SEVERITY_SCHOOL_NAMES.values()
    ]


def test_staff_read_the_officer_wording_with_the_policy_reference(as_role, data_dir):
    at = as_role("adviser")
    at.query_params["urn"] = str(GOVERNOR_URN)
    at.run()
    at = at.switch_page("app_pages/school.py").run()
    assert not at.exception, at.exception
    md = _markdown(at)
    assert "· policy " in md

"""The Decisions page (issue 16) in AppTest.

A director accepts proposals, publishes, and the letters appear; a head sees the published decision on their
school page; nobody else reaches the page.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.pages import HEAD_URN, rendered_text, subheaders, titles

from g2g_core import decisions as D
from g2g_core.access import Viewer
from g2g_core.store import load_store

PAGE = "app_pages/decisions.py"
ESCALATED = 900017  # Briscton Primary School: Core -> Enhanced (Ofsted graded 3)


def open_decisions(at):
    at.run()
    assert not at.exception, at.exception
    return at.switch_page(PAGE).run()


def test_the_director_accepts_two_proposals_publishes_and_gets_the_letters(as_role, data_dir: Path) -> None:
    at = open_decisions(as_role("director"))
    assert not at.exception, at.exception
    assert titles(at) == ["Decisions"]
    assert "Proposals" in subheaders(at)
    text = rendered_text(at)
    assert (
        "Briscton Primary School" in text and "Move up" in text and "Step down, with an exit strategy" in text
    )

    choice = next(m for m in at.multiselect if m.label == "Proposals to accept")
    choice.set_value([ESCALATED, HEAD_URN])
    next(b for b in at.button if b.label == "Accept the chosen proposals").click()
    at.run()
    assert not at.exception, at.exception
    assert any("2 proposal(s) accepted" in s.value for s in at.success)
    saved = D.load_draft(data_dir, "2026-09-01", Viewer.system())
    assert saved is not None and set(saved.decisions) == {ESCALATED, HEAD_URN} and saved.version == 1

    publish = next(b for b in at.button if b.label.startswith("Publish 2 decision(s)"))
    publish.click()
    at.run()
    assert not at.exception, at.exception
    assert any(s.value.startswith("Published: 2 decision(s)") for s in at.success)
    store = load_store(data_dir)
    rows = D.published_rows(store, Viewer.system(), saved.round.effective_from)
    assert {ESCALATED, HEAD_URN} <= set(rows["urn"].to_list())
    assert any(b.label.startswith("Download all") for b in at.get("download_button"))
    assert "Letters confirming the decisions (App.3 1.2)" in subheaders(at)

    # The head of Nolbbrook now sees the decision and their letter on the school page (published data only).
    head = as_role("head")
    head.run()
    assert not head.exception, head.exception
    text = rendered_text(head)
    assert "Enhanced support, decided on" in text and "takes effect on 1 September 2026" in text
    labels = [b.label for b in head.get("download_button")]
    assert "Letter (PDF)" in labels and "Letter (Word)" in labels
    assert "Proposals" not in subheaders(head) and "Move up" not in text


def test_a_stale_save_is_refused_on_the_page(as_role, data_dir: Path) -> None:
    at = open_decisions(as_role("director"))
    # Another director saves the same round's draft first.
    other = Viewer("director2", "director", None)
    store = load_store(data_dir)
    rnd = D.round_for(
        store.policy,
        D.default_round(store.policy, store.default_as_of()).effective_from,
        store.default_as_of(),
    )
    D.save_draft(data_dir, D.Draft(round=rnd), other)
    next(m for m in at.multiselect if m.label == "Proposals to accept").set_value([ESCALATED])
    next(b for b in at.button if b.label == "Accept the chosen proposals").click()
    at.run()
    assert not at.exception, at.exception
    assert any("saved by director2" in e.value for e in at.error)
    assert D.load_draft(data_dir, rnd.id, other).decisions == {}  # their draft was not overwritten


@pytest.mark.parametrize("role", ["adviser", "head", "governor"])
def test_only_the_director_reaches_the_decisions_page(as_role, role) -> None:
    at = as_role(role).run()
    assert not at.exception, at.exception
    with pytest.raises(ValueError):
        at.switch_page(PAGE)

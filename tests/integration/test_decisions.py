"""Termly decisions (issue 16): a whole round through the core on a copy of the demo borough.

Proposals against a table checked by hand from the demo's flags; one school escalated and one stepped down
from intensive; published as one new version that validates; the flags as at the effective date; letters
marked sent; roll back restores the previous tables byte for byte. Then the refusals and the drafts.
"""

from __future__ import annotations

import hashlib
import shutil
from datetime import date
from pathlib import Path

import pytest

from g2g_core import decisions as D
from g2g_core.access import Viewer
from g2g_core.audit import audit_log
from g2g_core.datadir import current_version, rollback, versions
from g2g_core.demo import write_demo
from g2g_core.rules import compute_flags
from g2g_core.store import live_dir, load_store, validate_dir

DIRECTOR = Viewer("director", "director", None)
EFFECTIVE = date(2026, 9, 1)
AS_OF = date(2026, 5, 18)  # the demo borough's date
DECIDED = date(2026, 7, 15)  # more than the 14 days' letter grace before the effective date

ESCALATED = 900017  # Briscton Primary School: Core, graded 3 by Ofsted -> Enhanced (2.5.10)
STEPPED_DOWN = 900005  # Nolbbrook School: Intensive B past its exit term -> Enhanced (2.9.9)

# School -> (level now, proposal, kind, the flags behind it): read by hand from `g2g flags data/demo`
# as at 18 May 2026 (the escalation and exit flags only), with the policy's mapping applied.
EXPECTED = {
    900017: ("core", "enhanced", "escalate", {"ESC_OFSTED_RI"}),
    900020: ("focused", "enhanced", "escalate", {"ESC_OFSTED_RI"}),
    900023: ("enhanced", "intensive_b", "escalate", {"ESC_OFSTED_CONCERN"}),
    900029: ("focused", "enhanced", "consider_higher", {"ESC_RISK"}),
    900026: ("intensive_a", "intensive_b", "consider_higher", {"ESC_OFF_TRACK"}),
    900005: ("intensive_b", "enhanced", "step_down", {"EXIT_INTENSIVE"}),
    900011: ("intensive_a", "enhanced", "step_down", {"EXIT_INTENSIVE"}),
    900008: ("intensive_a", "enhanced", "step_down", {"EXIT_INTENSIVE"}),
    900002: ("intensive_a", "enhanced", "step_down", {"EXIT_INTENSIVE"}),
    900014: ("enhanced", "focused", "step_down", {"EXIT_READY"}),
}


@pytest.fixture(scope="module")
def demo_source(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("decisions_demo")
    write_demo(out)
    return out


@pytest.fixture
def root(tmp_path, demo_source) -> Path:
    """A fresh flat copy of the demo borough."""
    return Path(shutil.copytree(demo_source, tmp_path / "data"))


def tables_digest(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file() and p.suffix in (".parquet", ".csv", ".xlsx")
    }


def rules_of(store, urn: int, as_of: date) -> set[str]:
    flags = compute_flags(store, Viewer.system(), as_of)
    return set(flags.filter(flags["urn"] == urn)["rule"].to_list())


def test_a_whole_round_proposes_publishes_marks_letters_and_rolls_back(root: Path) -> None:
    store = load_store(root)
    rnd = D.round_for(store.policy, EFFECTIVE, AS_OF)
    assert rnd.term == "Autumn 2026/27"
    props = {p.urn: p for p in D.proposals(store, DIRECTOR, rnd)}
    open_now = store.sql("SELECT urn FROM schools WHERE closed_on IS NULL OR closed_on > $d", {"d": AS_OF})[
        "urn"
    ].to_list()
    assert sorted(props) == sorted(open_now)  # every open school, and only those

    # Proposals match the flags: the hand-checked table, and "no change" for every other school.
    got = {
        urn: (p.level, p.proposed_level, p.kind, {e.rule for e in p.evidence})
        for urn, p in props.items()
        if p.kind != "no_change"
    }
    assert got == EXPECTED
    for urn, p in props.items():
        if urn not in EXPECTED:
            assert p.proposed_level == p.level and not {e.rule for e in p.evidence} & {
                "ESC_OFSTED_RI",
                "ESC_OFSTED_CONCERN",
                "ESC_OFF_TRACK",
                "ESC_RISK",
                "EXIT_INTENSIVE",
                "EXIT_READY",
            }
    assert props[ESCALATED].policy_ref == "App.3 1.1 Enhanced; 2.5.10"
    assert "2.9.9" in props[STEPPED_DOWN].policy_ref
    # Before the round, as at the effective date, the escalation flag is there.
    assert "ESC_OFSTED_RI" in rules_of(store, ESCALATED, EFFECTIVE)

    draft = D.Draft(round=rnd)
    up = D.decision_from(props[ESCALATED], rnd, store.policy, DIRECTOR, DECIDED)
    down = D.decision_from(props[STEPPED_DOWN], rnd, store.policy, DIRECTOR, DECIDED).model_copy(
        update={
            "action": "change",
            "reason": "Sustained good progress at the summer review; exit strategy agreed.",
        }
    )
    assert up.level == "enhanced" and up.reason and up.target_exit_on is None
    assert down.level == "enhanced" and down.target_exit_on is None
    draft = D.record(D.record(draft, up), down)
    draft = D.save_draft(root, draft, DIRECTOR)
    assert draft.version == 1

    before = tables_digest(live_dir(root))
    already = D.published_rows(store, DIRECTOR, EFFECTIVE)["urn"].to_list()  # the demo has one: 900056
    version = D.publish_round(root, store, draft, DIRECTOR, props)
    assert version.action == "decisions" and current_version(root) == version.id
    assert validate_dir(root) == []  # the new version validates
    assert len(versions(root, DIRECTOR)) == 2  # the adopted original, and one new version for the round

    new = load_store(root)
    rows = D.published_rows(new, DIRECTOR, EFFECTIVE)
    assert sorted(rows["urn"].to_list()) == sorted([STEPPED_DOWN, ESCALATED, *already])
    rows = rows.filter(rows["urn"].is_in([ESCALATED, STEPPED_DOWN]))
    assert set(rows["level"].to_list()) == {"enhanced"}
    assert rows["letter_sent_on"].null_count() == 2
    assert new.tables["categorisations"].rows == store.tables["categorisations"].rows + 2

    # As at the effective date: the escalation flag is gone, LETTER_NOT_SENT is raised for both.
    assert "ESC_OFSTED_RI" not in rules_of(new, ESCALATED, EFFECTIVE)
    assert "EXIT_INTENSIVE" not in rules_of(new, STEPPED_DOWN, EFFECTIVE)
    assert "LETTER_NOT_SENT" in rules_of(new, ESCALATED, EFFECTIVE)
    assert "LETTER_NOT_SENT" in rules_of(new, STEPPED_DOWN, EFFECTIVE)

    # Marking the letters sent: a new version, and the flag clears.
    sent = D.mark_letters_sent(
        root, new, DIRECTOR, [(ESCALATED, EFFECTIVE), (STEPPED_DOWN, EFFECTIVE)], date(2026, 7, 20)
    )
    assert sent.action == "letters_sent" and sent.parent == version.id
    marked = load_store(root)
    assert "LETTER_NOT_SENT" not in rules_of(marked, ESCALATED, EFFECTIVE)
    assert "LETTER_NOT_SENT" not in rules_of(marked, STEPPED_DOWN, EFFECTIVE)
    marked_rows = D.published_rows(marked, DIRECTOR, EFFECTIVE)
    assert (
        marked_rows.filter(marked_rows["urn"].is_in([ESCALATED, STEPPED_DOWN]))["letter_sent_on"].to_list()
        == [date(2026, 7, 20)] * 2
    )

    actions = audit_log(root).read(DIRECTOR)["action"].to_list()
    assert {"decisions_draft", "decisions", "letters_sent"} <= set(actions)

    # Roll back to the version before the round: the tables are restored byte for byte.
    rollback(root, version.parent, DIRECTOR)
    assert tables_digest(live_dir(root)) == before
    assert D.published_rows(load_store(root), DIRECTOR, EFFECTIVE)["urn"].to_list() == already


def test_extra_columns_of_categorisations_are_kept_when_a_round_is_published(root: Path) -> None:
    import polars as pl

    path = root / "categorisations.parquet"
    pl.read_parquet(path).with_columns(local_ref=pl.lit("kept")).write_parquet(path)
    store = load_store(root)
    rnd = D.round_for(store.policy, EFFECTIVE, AS_OF)
    props = {p.urn: p for p in D.proposals(store, DIRECTOR, rnd)}
    draft = D.record(
        D.Draft(round=rnd), D.decision_from(props[ESCALATED], rnd, store.policy, DIRECTOR, DECIDED)
    )
    D.publish_round(root, store, draft, DIRECTOR, props)
    frame = pl.read_parquet(live_dir(root) / "categorisations.parquet")
    assert frame["local_ref"].null_count() == 1 and frame["local_ref"].drop_nulls().unique().to_list() == [
        "kept"
    ]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"effective_from": date(2025, 8, 1)}, "field 'effective from'"),
        ({"action": "change", "reason": "  "}, "field 'reason'"),
        ({"level": "intensive_a", "target_exit_on": date(2026, 8, 31)}, "field 'target exit date'"),
    ],
    ids=["effective-before-current", "reason-missing", "target-exit-before-effective"],
)
def test_bad_decisions_are_refused_naming_school_and_field_and_nothing_is_published(
    root: Path, change: dict, words: str
) -> None:
    store = load_store(root)
    rnd = D.round_for(store.policy, EFFECTIVE, AS_OF)
    props = {p.urn: p for p in D.proposals(store, DIRECTOR, rnd)}
    good = D.decision_from(props[STEPPED_DOWN], rnd, store.policy, DIRECTOR, DECIDED)
    bad = D.decision_from(props[ESCALATED], rnd, store.policy, DIRECTOR, DECIDED).model_copy(update=change)
    if "effective_from" in change:
        rnd_bad = rnd.model_copy(update={"effective_from": change["effective_from"]})
        draft = D.record(D.Draft(round=rnd_bad), bad)
    else:
        draft = D.record(D.record(D.Draft(round=rnd), good), bad)
    before = tables_digest(live_dir(root))
    with pytest.raises(D.DecisionError) as err:
        D.publish_round(root, store, draft, DIRECTOR, props)
    message = "\n".join(err.value.problems)
    assert "Briscton Primary School (URN 900017)" in message and words in message
    assert current_version(root) is None  # still the flat directory: nothing published
    assert tables_digest(live_dir(root)) == before
    assert audit_log(root).read(DIRECTOR)["action"][0] == "decisions_refused"  # newest first


def test_a_stale_draft_save_is_refused_and_a_fresh_one_resumes(root: Path) -> None:
    store = load_store(root)
    rnd = D.round_for(store.policy, EFFECTIVE, AS_OF)
    props = {p.urn: p for p in D.proposals(store, DIRECTOR, rnd)}
    first = D.save_draft(root, D.Draft(round=rnd), DIRECTOR)
    other = Viewer("director2", "director", None)
    mine = D.load_draft(root, rnd.id, DIRECTOR)
    theirs = D.load_draft(root, rnd.id, other)
    assert mine == theirs == first
    theirs = D.save_draft(
        root, D.record(theirs, D.decision_from(props[ESCALATED], rnd, store.policy, other)), other
    )
    with pytest.raises(D.StaleDraftError, match="saved by director2"):
        D.save_draft(
            root, D.record(mine, D.decision_from(props[STEPPED_DOWN], rnd, store.policy, DIRECTOR)), DIRECTOR
        )
    resumed = D.load_draft(root, rnd.id, DIRECTOR)
    assert resumed.version == 2 and set(resumed.decisions) == {ESCALATED}
    resumed = D.save_draft(
        root, D.record(resumed, D.decision_from(props[STEPPED_DOWN], rnd, store.policy, DIRECTOR)), DIRECTOR
    )
    assert set(D.load_draft(root, rnd.id, DIRECTOR).decisions) == {ESCALATED, STEPPED_DOWN}
    assert [d.round.id for d in D.list_drafts(root, DIRECTOR)] == [rnd.id]
    assert (
        not (live_dir(root) / "decisions").exists() or live_dir(root) == root
    )  # drafts sit outside versions


def test_only_a_director_may_see_proposals_save_drafts_or_publish(root: Path) -> None:
    store = load_store(root)
    rnd = D.round_for(store.policy, EFFECTIVE, AS_OF)
    adviser = Viewer("lama.ashworth", "adviser", frozenset({ESCALATED}))
    head = Viewer("head.nolbbrook", "head", frozenset({STEPPED_DOWN}))
    for viewer in (adviser, head):
        with pytest.raises(PermissionError):
            D.proposals(store, viewer, rnd)
        with pytest.raises(PermissionError):
            D.save_draft(root, D.Draft(round=rnd), viewer)
        with pytest.raises(PermissionError):
            D.load_draft(root, rnd.id, viewer)
        with pytest.raises(PermissionError):
            D.publish_round(root, store, D.Draft(round=rnd), viewer)
        with pytest.raises(PermissionError):
            D.mark_letters_sent(root, store, viewer, [(ESCALATED, EFFECTIVE)], EFFECTIVE)


def test_an_intensive_decision_gets_the_policy_target_exit_date_by_default(root: Path) -> None:
    store = load_store(root)
    rnd = D.round_for(store.policy, EFFECTIVE, AS_OF)
    props = {p.urn: p for p in D.proposals(store, DIRECTOR, rnd)}
    concern = D.decision_from(props[900023], rnd, store.policy, DIRECTOR, DECIDED)
    assert concern.level == "intensive_b"
    # Four terms from Autumn 2026/27: autumn, spring, summer, autumn -> the last day of Autumn 2027/28.
    assert store.policy.intensive_exit_terms == 4
    assert concern.target_exit_on == date(2027, 12, 31)
    # Already intensive (Tarncombe, Intensive A to B): the run goes on, so its target date is kept.
    assert D.decision_from(props[900026], rnd, store.policy, DIRECTOR).target_exit_on == date(2026, 12, 31)


def test_a_round_can_be_published_in_two_steps_without_offering_the_first_decisions_again(root: Path) -> None:
    store = load_store(root)
    rnd = D.round_for(store.policy, EFFECTIVE, AS_OF)
    props = {p.urn: p for p in D.proposals(store, DIRECTOR, rnd)}
    first = D.record(
        D.Draft(round=rnd), D.decision_from(props[ESCALATED], rnd, store.policy, DIRECTOR, DECIDED)
    )
    first = D.save_draft(root, first, DIRECTOR)
    one = D.publish_round(root, store, first, DIRECTOR, props)
    resumed = D.load_draft(root, rnd.id, DIRECTOR)
    assert set(resumed.published) == {ESCALATED} and resumed.decisions == {}
    assert resumed.published_version == one.id
    assert D.to_publish(resumed, props) == []
    second = D.record(resumed, D.decision_from(props[STEPPED_DOWN], rnd, store.policy, DIRECTOR, DECIDED))
    two = D.publish_round(root, load_store(root), second, DIRECTOR, props)
    assert two.parent == one.id
    assert set(D.load_draft(root, rnd.id, DIRECTOR).published) == {ESCALATED, STEPPED_DOWN}
    rows = D.published_rows(load_store(root), DIRECTOR, EFFECTIVE)
    assert {ESCALATED, STEPPED_DOWN} <= set(rows["urn"].to_list())


def test_marking_letters_refuses_an_unknown_decision_or_a_date_before_the_decision(root: Path) -> None:
    store = load_store(root)
    with pytest.raises(D.DecisionError, match="no decision takes effect on 2 September 2026"):
        D.mark_letters_sent(root, store, DIRECTOR, [(ESCALATED, date(2026, 9, 2))], date(2026, 9, 3))
    row = store.sql(
        "SELECT effective_from, decided_on FROM categorisations WHERE urn = $u LIMIT 1", {"u": ESCALATED}
    )
    eff, decided = row.row(0)
    with pytest.raises(D.DecisionError, match="field 'letter sent on'"):
        D.mark_letters_sent(root, store, DIRECTOR, [(ESCALATED, eff)], date(decided.year - 1, 1, 1))
    with pytest.raises(D.DecisionError, match="No decision was chosen"):
        D.mark_letters_sent(root, store, DIRECTOR, [], date(2026, 9, 3))
    assert current_version(root) is None  # nothing published

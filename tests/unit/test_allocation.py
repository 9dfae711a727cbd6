"""Support allocation (issue: What-if) and saved scenarios: answers worked out by hand from the 2023 policy."""

from __future__ import annotations

import json
from datetime import date

import polars as pl
import pytest
from pydantic import ValidationError

from g2g_core.access import Viewer
from g2g_core.allocation import (
    NO_ADVISER,
    LevelChange,
    Move,
    Scenario,
    allocate,
    apply_moves,
    baseline,
    caseload,
    compare,
    summary,
)
from g2g_core.policy import LEVELS, load_policy
from g2g_core.scenarios import LocalScenarioStore, ScenarioError, key_of, slug
from g2g_core.store import load_store
from g2g_core.views import schools_now

POLICY = load_policy("2023")
SINCE = date(2025, 9, 1)


def schools(*rows: tuple) -> pl.DataFrame:
    """A caseload frame: (urn, level, adviser[, phase, maintained, level_since]) per school."""
    data = []
    for row in rows:
        urn, level, adviser, *rest = row
        phase, maintained, since = (rest + [None, None, None])[:3]
        data.append(
            {
                "urn": urn,
                "name": f"School {urn}",
                "level": level,
                "level_since": since or SINCE,
                "phase": phase or "primary",
                "maintained": True if maintained is None else maintained,
                "adviser": adviser,
            }
        )
    return pl.DataFrame(
        data,
        schema={
            "urn": pl.Int64,
            "name": pl.String,
            "level": pl.String,
            "level_since": pl.Date,
            "phase": pl.String,
            "maintained": pl.Boolean,
            "adviser": pl.String,
        },
    )


def three_schools() -> pl.DataFrame:
    return schools((1, "focused", "lama.a"), (2, "enhanced", "lama.a"), (3, "intensive_a", "lama.b"))


def counts(frame: pl.DataFrame) -> dict[str, int]:
    got = dict(frame.group_by("level").len().iter_rows())
    return {lv: got.get(lv, 0) for lv in LEVELS}


def test_one_focused_one_enhanced_and_one_intensive_school_need_61_and_two_thirds_hours_a_term():
    """Three maintained primaries under the 2023 defaults, two advisers at 150 hours a term.

    SIP visits: 3 a year x 3.5 h / 3 terms = 3.5 h a term for every maintained school.
    TAG meetings: 3 a year x 1.5 h / 3 terms = 1.5 h a term at Focused, Enhanced and Intensive.
    Focused:     3.5 SIP + 14 h a year / 3 = 4.667 LaMA + 1.5 TAG              =  9.667 h a term
    Enhanced:    3.5 SIP + 14 h a term LaMA + 1.5 TAG                          = 19.0   h a term
    Intensive A: 3.5 SIP + 14 h a term LaMA + 14 h one-day review + 1.5 TAG    = 33.0   h a term
    Demand 61.667 h a term; capacity 2 x 150 = 300; utilisation 61.667 / 300 = 20.56 %;
    slack 238.333 h = 1.589 full-time advisers; the hours needed cost 3 terms x 61.667 x £75 = £13,875 a year.
    Caseloads: lama.a 9.667 + 19 = 28.667 h, lama.b 33 h, each under 150.
    """
    result = baseline(three_schools(), POLICY)
    by_level = {r["level"]: r for r in result.by_level.iter_rows(named=True)}
    assert by_level["focused"]["demand"] == pytest.approx(3.5 + 14 / 3 + 1.5)
    assert by_level["enhanced"]["demand"] == pytest.approx(19.0)
    assert by_level["intensive_a"]["demand"] == pytest.approx(33.0)
    assert by_level["intensive_a"]["one_day_review"] == pytest.approx(14.0)
    assert by_level["core"]["schools"] == 0 and by_level["core"]["demand"] == 0
    assert result.demand == pytest.approx(61 + 2 / 3)
    assert result.capacity == 300 and result.advisers == 2
    assert result.utilisation == pytest.approx((61 + 2 / 3) / 300)
    assert result.gap == pytest.approx(-(238 + 1 / 3))
    assert result.gap_fte == pytest.approx(-(238 + 1 / 3) / 150)
    assert result.cost_a_year == pytest.approx(13_875)
    assert result.team_cost_a_year == pytest.approx(3 * 300 * 75)
    caseloads = dict(result.by_adviser.select("adviser", "demand").iter_rows())
    assert caseloads == pytest.approx({"lama.a": 28 + 2 / 3, "lama.b": 33.0})
    assert result.over_capacity.is_empty()


def test_the_baseline_matches_the_dashboards_entitlement_table_school_by_school():
    """The what-if reuses views.entitlement_table, so an academy gets no SIP visit hours here either."""
    frame = schools((1, "core", "lama.a", "secondary", False), (2, "intensive_b", "lama.a", "nursery", False))
    result = baseline(frame, POLICY)
    assert result.schools.sort("urn")["sip_visit"].to_list() == [0.0, 0.0]
    assert result.demand == pytest.approx(0 + 14 + 14 + 1.5)


def test_an_empty_scenario_gives_exactly_the_baseline():
    frame = three_schools()
    base, same = baseline(frame, POLICY), allocate(frame, POLICY, Scenario(name="nothing changes"))
    assert same.by_level.equals(base.by_level)
    assert same.by_adviser.equals(base.by_adviser)
    assert (same.demand, same.capacity, same.advisers) == (base.demand, base.capacity, base.advisers)
    assert compare(base, same)["change"].drop_nulls().abs().max() == 0


def test_enhanced_at_10_hours_a_term_instead_of_14_cuts_demand_by_4_hours_for_each_enhanced_school():
    frame = schools(
        (1, "enhanced", "lama.a"), (2, "enhanced", "lama.a"), (3, "enhanced", "lama.b"), (4, "core", "lama.b")
    )
    base = baseline(frame, POLICY)
    cut = allocate(frame, POLICY, Scenario(levels={"enhanced": LevelChange(additional_hours=10)}))
    assert base.demand - cut.demand == pytest.approx(4 * 3)
    assert "12.0 hours a term fewer than today" in summary(cut, base)


def test_a_yearly_figure_can_be_replaced_by_a_termly_one():
    """Focused: 14 h a year (4.667 a term) replaced by 6 h a term adds 1.333 h a term per focused school."""
    frame = schools((1, "focused", "lama.a"))
    change = LevelChange(additional_hours=6, additional_hours_per="term")
    result = allocate(frame, POLICY, Scenario(levels={"focused": change}))
    assert result.demand - baseline(frame, POLICY).demand == pytest.approx(6 - 14 / 3)


def test_sip_visits_la_reviews_and_the_hours_of_a_visit_can_change():
    """Core with 6 visits of 3 h: 6 x 3 / 3 = 6 h a term; Enhanced with a review each term: 3 + 14 + 14 + 1.5."""
    frame = schools((1, "core", "lama.a"), (2, "enhanced", "lama.a"))
    scenario = Scenario(
        levels={"core": LevelChange(sip_visits_a_year=6), "enhanced": LevelChange(la_review_each_term=True)},
        sip_visit_hours=3.0,
    )
    result = allocate(frame, POLICY, scenario)
    by_level = dict(result.by_level.select("level", "demand").iter_rows())
    assert by_level["core"] == pytest.approx(6.0)
    assert by_level["enhanced"] == pytest.approx(3 + 14 + 14 + 1.5)


def test_moves_conserve_schools_and_take_the_longest_at_the_level_first():
    frame = schools(
        (1, "intensive_a", "lama.a", None, None, date(2025, 1, 6)),
        (2, "intensive_a", "lama.a", None, None, date(2024, 9, 1)),
        (3, "intensive_a", "lama.b", None, None, date(2024, 9, 1)),
        (4, "core", "lama.b"),
        (5, "core", "lama.b"),
    )
    moved, chosen, notes = apply_moves(
        frame, [Move(from_level="intensive_a", to_level="enhanced", schools=2)]
    )
    assert moved.height == frame.height
    assert counts(moved) == {"core": 2, "focused": 0, "enhanced": 2, "intensive_a": 1, "intensive_b": 0}
    assert chosen["urn"].to_list() == [2, 3]  # since 2024-09-01, lowest URN first; school 1 came later
    assert notes == []


def test_moving_more_schools_than_a_level_has_is_clipped_and_said():
    frame = schools((1, "intensive_a", "lama.a"), (2, "core", "lama.a"), (3, "core", "lama.b"))
    moves = [
        Move(from_level="intensive_a", to_level="enhanced", schools=3),
        Move(from_level="core", to_level="focused", schools=2),
    ]
    result = allocate(frame, POLICY, Scenario(moves=moves))
    assert result.schools.height == 3
    assert counts(result.schools) == {
        "core": 0,
        "focused": 2,
        "enhanced": 1,
        "intensive_a": 0,
        "intensive_b": 0,
    }
    assert result.notes == (
        "Move 1 asks for 3 Intensive A schools to move to Enhanced, but only 1 is at Intensive A: 1 moved.",
    )


def test_a_school_moved_earlier_is_the_last_to_move_on():
    frame = schools((1, "intensive_a", "lama.a"), (2, "enhanced", "lama.a", None, None, date(2025, 12, 1)))
    moves = [
        Move(from_level="intensive_a", to_level="enhanced", schools=1),
        Move(from_level="enhanced", to_level="core", schools=1),
    ]
    _, chosen, _ = apply_moves(frame, moves)
    assert chosen.select("urn", "to_level").rows() == [(1, "enhanced"), (2, "core")]


def test_a_move_needs_two_different_levels_and_a_known_level():
    with pytest.raises(ValidationError, match="two different levels"):
        Move(from_level="core", to_level="core", schools=1)
    with pytest.raises(ValidationError):
        Move(from_level="intensive_c", to_level="core", schools=1)


def test_capacity_follows_the_team_size_hours_and_each_advisers_own_hours():
    """Team of 3 at 120 h, lama.a part-time at 60 h: 60 + 120 (lama.b) + 120 (a new adviser) = 300 h a term."""
    frame = three_schools()
    scenario = Scenario(advisers=3, hours_a_term=120, hourly_cost=80, adviser_hours={"lama.a": 60})
    result = allocate(frame, POLICY, scenario)
    assert result.capacity == 300 and result.advisers == 3
    assert dict(result.by_adviser.select("adviser", "capacity").iter_rows()) == {
        "lama.a": 60.0,
        "lama.b": 120.0,
    }
    assert result.cost_a_year == pytest.approx(3 * (61 + 2 / 3) * 80)
    assert result.gap_fte == pytest.approx((61 + 2 / 3 - 300) / 120)


def test_a_shortfall_is_said_in_hours_and_full_time_advisers_and_overloaded_advisers_are_named():
    """Four Intensive A schools (33 h each = 132 h) with one adviser at 100 h: 32 h short, 0.32 of an adviser."""
    frame = schools(*[(u, "intensive_a", "lama.a") for u in range(1, 5)])
    result = allocate(frame, POLICY, Scenario(hours_a_term=100))
    assert result.gap == pytest.approx(32.0)
    assert result.over_capacity["adviser"].to_list() == ["lama.a"]
    assert summary(result, baseline(frame, POLICY)).startswith(
        "This scenario needs 32.0 more adviser hours a term than the team has: about 0.3 more full-time advisers."
    )


def test_schools_without_an_adviser_count_in_demand_but_are_nobodys_overload():
    frame = schools((1, "enhanced", None), (2, "core", "lama.a"))
    result = baseline(caseload(frame), POLICY)
    assert result.demand == pytest.approx(19.0 + 3.5)
    assert result.capacity == 150
    assert NO_ADVISER in result.by_adviser["adviser"].to_list()
    assert result.over_capacity.is_empty()
    assert any("no adviser" in n for n in result.notes)


def test_the_model_runs_on_the_schools_now_frame_of_a_hand_made_borough(borough):
    """Two open maintained primaries, one closed school and one not yet categorised: only the two count."""
    (
        borough.school(1)
        .categorise(1, "2024-09-01", "enhanced")
        .school(2, adviser="lama.b")
        .categorise(2, "2024-09-01", "core")
        .school(3, closed_on="2025-08-31")
        .categorise(3, "2024-09-01", "intensive_b")
        .school(4)
    )
    store = load_store(borough.write())
    frame = caseload(schools_now(store, Viewer.system(), date(2026, 5, 18)))
    assert sorted(frame["urn"].to_list()) == [1, 2]
    result = baseline(frame, store.policy)
    assert result.demand == pytest.approx(19.0 + 3.5)
    assert result.capacity == 300


# Saved scenarios ---------------------------------------------------------------------------------------


def test_every_field_of_a_scenario_is_described_and_the_planning_assumptions_say_so():
    for model in (Scenario, LevelChange, Move):
        for name, field in model.model_fields.items():
            assert field.description, f"{model.__name__}.{name} has no description"
    assert Scenario().hours_a_term == 150 and Scenario().hourly_cost == 75
    for name in ("hours_a_term", "hourly_cost"):
        assert "Planning assumption, not a policy number" in (Scenario.model_fields[name].description or "")


def test_a_scenario_that_would_not_load_is_never_saved(tmp_path):
    store = LocalScenarioStore(tmp_path)
    with pytest.raises(ScenarioError, match="cannot be saved"):
        store.save(Scenario().model_copy(update={"name": "x" * 200}))
    assert list(tmp_path.iterdir()) == []


def test_a_scenario_round_trips_through_json_and_the_local_store(tmp_path):
    store = LocalScenarioStore(tmp_path / "scenarios")
    scenario = Scenario(
        name="Enhanced at 10, two exits",
        levels={"enhanced": LevelChange(additional_hours=10, additional_hours_per="term")},
        moves=[Move(from_level="intensive_a", to_level="enhanced", schools=2)],
        advisers=7,
        hours_a_term=140,
        hourly_cost=80,
        adviser_hours={"lama.a": 75},
    )
    assert Scenario.model_validate_json(scenario.model_dump_json()) == scenario
    entry = store.save(scenario)
    assert entry.key == "enhanced-at-10-two-exits"
    assert [p.name for p in (tmp_path / "scenarios").iterdir()] == ["enhanced-at-10-two-exits.json"]
    assert store.load("Enhanced at 10, two exits") == scenario
    assert store.load("enhanced-at-10-two-exits") == scenario
    assert [(s.name, s.problem) for s in store.list()] == [("Enhanced at 10, two exits", None)]
    assert store.delete("Enhanced at 10, two exits") is True
    assert store.list() == [] and store.delete("Enhanced at 10, two exits") is False


def test_file_names_are_slugs_never_the_raw_name_and_a_name_with_no_letter_is_refused(tmp_path):
    assert slug("../../etc/passwd") == "etc-passwd"
    assert slug("Écoles: plan B!") == "ecoles-plan-b"
    with pytest.raises(ScenarioError, match="at least one letter or digit"):
        key_of("../ ?!")
    store = LocalScenarioStore(tmp_path)
    with pytest.raises(ScenarioError, match="at least one letter or digit"):
        store.save(Scenario(name="***"))
    store.save(Scenario(name="/tmp/x y"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tmp-x-y.json"]


def test_saving_under_the_same_name_replaces_and_leaves_no_temporary_file(tmp_path):
    store = LocalScenarioStore(tmp_path)
    store.save(Scenario(name="Plan", hours_a_term=150))
    store.save(Scenario(name="Plan", hours_a_term=120))
    assert store.load("plan").hours_a_term == 120
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("{not json", "is not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        (json.dumps({"name": "x", "hours_a_week": 37}), "hours_a_week: not a field of a scenario"),
        (json.dumps({"name": "x", "levels": {"intensive_c": {}}}), "levels.intensive_c"),
        (
            json.dumps({"name": "x", "moves": [{"from_level": "special", "to_level": "core", "schools": 1}]}),
            "moves.0.from_level",
        ),
        (json.dumps({"name": "x", "hours_a_term": -5}), "hours_a_term"),
    ],
)
def test_a_bad_or_stale_scenario_file_is_reported_by_name_not_raised_from_the_list(tmp_path, content, says):
    (tmp_path / "stale.json").write_text(content, encoding="utf-8")
    store = LocalScenarioStore(tmp_path)
    with pytest.raises(ScenarioError, match="'stale.json'") as err:
        store.load("stale")
    assert says in str(err.value)
    [listed] = store.list()
    assert listed.key == "stale" and says in (listed.problem or "")
    assert store.delete("stale") is True


def test_opening_a_scenario_that_is_not_there_says_so(tmp_path):
    with pytest.raises(ScenarioError, match="no saved scenario called 'Nothing'"):
        LocalScenarioStore(tmp_path).load("Nothing")
    assert LocalScenarioStore(tmp_path / "missing").list() == []


def test_an_adviser_who_leaves_has_their_schools_reassigned_to_the_least_loaded_first():
    """lama.a leaves: their schools go to the remaining adviser with the most hours spare, most hours first.

    lama.a has an Intensive A school (33 h) and an Enhanced one (19 h); lama.b has 3.5 h of Core, lama.c
    22.5 h (Core and Enhanced), each 150 h a term.

    By the rule (most hours first, each to whoever has most hours spare at that moment): the Intensive A
    school goes to lama.b (146.5 h spare), whose spare falls to 113.5 h; the Enhanced school then goes to
    lama.c (127.5 h spare). Demand is unchanged (78 h); the team is two advisers, 300 h.
    """
    frame = schools(
        (1, "intensive_a", "lama.a"),
        (2, "enhanced", "lama.a"),
        (3, "core", "lama.b"),
        (4, "core", "lama.c"),
        (5, "enhanced", "lama.c"),
    )
    base = baseline(frame, POLICY)
    for scenario in (Scenario(leavers=["lama.a"]), Scenario(adviser_hours={"lama.a": 0})):
        result = allocate(frame, POLICY, scenario)
        moved = {
            r["urn"]: (r["from_adviser"], r["to_adviser"]) for r in result.reassigned.iter_rows(named=True)
        }
        assert moved == {1: ("lama.a", "lama.b"), 2: ("lama.a", "lama.c")}
        assert result.reassigned["hours"].to_list() == pytest.approx([33.0, 19.0])
        assert result.demand == pytest.approx(base.demand) == pytest.approx(78.0)
        assert result.advisers == 2 and result.capacity == pytest.approx(300.0)
        per = {r["adviser"]: (r["schools"], r["demand"]) for r in result.by_adviser.iter_rows(named=True)}
        assert per == {"lama.b": (2, pytest.approx(36.5)), "lama.c": (3, pytest.approx(41.5))}
        assert "lama.a" not in set(result.schools["adviser"])
        assert any("reassigned" in note for note in result.notes)


def test_a_leaver_with_nobody_left_leaves_the_schools_with_no_adviser():
    frame = schools((1, "enhanced", "lama.a"))
    result = allocate(frame, POLICY, Scenario(leavers=["lama.a"]))
    assert result.reassigned["to_adviser"].to_list() == [NO_ADVISER]
    assert result.capacity == 0 and result.advisers == 0

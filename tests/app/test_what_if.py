"""The What-if page (issue: What-if) through AppTest: the director's answers, checked against the demo data by hand.

Each test runs the app on its own copy of the demo borough (so saved scenarios land in a temporary folder,
never in the repository), with the demo accounts and empty Streamlit caches.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest
from support.pages import new_app, sign_in_as

from g2g_core.access import Viewer
from g2g_core.allocation import Scenario
from g2g_core.audit import audit_log
from g2g_core.scenarios import LocalScenarioStore

# Every test works on its own copy of the demo borough (it saves scenarios or uploads data).
pytestmark = pytest.mark.usefixtures("data_dir")
APP = Path(__file__).resolve().parents[2] / "app.py"
PAGE = "app_pages/what_if.py"
AS_OF = date(2026, 5, 18)
DEMAND = "Hours needed a term"
ENHANCED = "Enhanced: additional adviser hours a term"
# Who may not open the What-if page: one account of each other role in the demo accounts.
OTHERS = {"adviser": "lama.brennan", "head": "head.nolbbrook", "governor": "chair.tarncombe"}


def signed_in(username: str, role: str) -> AppTest:
    """An AppTest of app.py signed in as that account, not yet run."""
    return sign_in_as(new_app(), username, role)


def what_if(scenario: str | None = None) -> AppTest:
    at = signed_in("director", "director").run()
    assert not at.exception, at.exception
    at.switch_page(PAGE)
    if scenario is not None:
        at.query_params["scenario"] = scenario
    at.run()
    assert not at.exception, at.exception
    return at


def widget(elements, label: str):
    """The one input with this label (inputs are found as a person finds them: by their label)."""
    [found] = [w for w in elements if w.label == label]
    return found


def metric(at: AppTest, label: str) -> str:
    [found] = [m for m in at.metric if m.label == label]
    return found.value


def demand_by_hand(data_dir: Path, enhanced_hours: float = 14.0, intensive_a_exits: int = 0) -> float:
    """Hours a term from the 2023 policy text, worked from the Parquet files without the app's code.

    Every open school at its latest level on 18 May 2026: SIP 3 visits x 3.5 h / 3 = 3.5 h a term if
    maintained; Focused +14 h a year / 3; Enhanced +14 h a term (or the scenario's figure); Intensive A and
    B +14 h a term and a one-day LA review of 14 h each term; TAG 3 x 1.5 h / 3 = 1.5 h a term above Core.
    An Intensive A school that exits to Enhanced keeps its SIP and TAG hours and swaps 14 + 14 h for
    Enhanced's hours.
    """
    schools = pl.read_parquet(data_dir / "schools.parquet").filter(
        pl.col("closed_on").is_null() | (pl.col("closed_on") > AS_OF)
    )
    levels = (
        pl.read_parquet(data_dir / "categorisations.parquet")
        .filter(pl.col("effective_from") <= AS_OF)
        .sort("effective_from")
        .group_by("urn")
        .agg(pl.col("level").last())
    )
    extra = {
        "core": 0.0,
        "focused": 14 / 3,
        "enhanced": enhanced_hours,
        "intensive_a": 28.0,
        "intensive_b": 28.0,
    }
    total = 0.0
    for row in schools.join(levels, on="urn").iter_rows(named=True):
        total += (3 * 3.5 / 3 if row["maintained"] else 0.0) + extra[row["level"]]
        total += 0.0 if row["level"] == "core" else 3 * 1.5 / 3
    return total - intensive_a_exits * (28.0 - enhanced_hours)


def test_the_what_if_page_runs_for_the_director_and_shows_todays_demand(data_dir):
    at = what_if()
    assert [t.value for t in at.title] == ["What-if: support allocation"]
    assert metric(at, DEMAND) == f"{demand_by_hand(data_dir):,.1f}"
    assert (
        metric(at, "Team's hours a term") == "900.0"
    )  # six advisers x 150 h, hours to one decimal everywhere
    assert any(m.value.startswith("**The answer.** This scenario leaves") for m in at.markdown)
    assert "Saved scenarios" in [h.value for h in at.header]


def test_enhanced_at_10_hours_a_term_changes_the_total_by_4_hours_for_each_enhanced_school(data_dir):
    at = what_if()
    field = widget(at.number_input, ENHANCED)
    assert field.value == 14
    field.set_value(10.0).run()
    assert not at.exception, at.exception
    assert metric(at, DEMAND) == f"{demand_by_hand(data_dir, enhanced_hours=10):,.1f}"


def test_two_intensive_a_schools_exiting_to_enhanced_at_10_hours(data_dir):
    at = what_if()
    widget(at.number_input, ENHANCED).set_value(10.0)
    widget(at.selectbox, "Move 1: from level").select("intensive_a")
    widget(at.selectbox, "Move 1: to level").select("enhanced")
    widget(at.number_input, "Move 1: how many schools").set_value(2).run()
    assert not at.exception, at.exception
    assert metric(at, DEMAND) == f"{demand_by_hand(data_dir, enhanced_hours=10, intensive_a_exits=2):,.1f}"
    moved = [f for f in at.dataframe if "From" in f.value.columns]
    assert len(moved) == 1 and len(moved[0].value) == 2


def test_moving_more_schools_than_a_level_has_says_so_and_moves_what_there_is():
    at = what_if()
    widget(at.selectbox, "Move 1: from level").select("intensive_b")
    widget(at.selectbox, "Move 1: to level").select("core")
    widget(at.number_input, "Move 1: how many schools").set_value(50).run()
    assert not at.exception, at.exception
    assert any("asks for 50 Intensive B schools" in w.value for w in at.warning)


def test_a_saved_scenario_reopens_with_the_same_settings_from_the_list_and_from_a_link(data_dir):
    at = what_if()
    widget(at.number_input, ENHANCED).set_value(10.0)
    widget(at.slider, "Core: SIP visits a year").set_value(2)
    widget(at.checkbox, "Enhanced: one-day review each term").check()
    widget(at.selectbox, "Move 1: from level").select("intensive_a")
    widget(at.number_input, "Move 1: how many schools").set_value(2)
    widget(at.number_input, "Hours a term each adviser gives to schools").set_value(140.0)
    widget(at.number_input, "Cost of an adviser hour (£)").set_value(80.0)
    widget(at.text_input, "Name of this scenario").input("Enhanced 10, two exits").run()
    at.button(key="wi_save").click().run()
    assert not at.exception, at.exception
    assert at.query_params["scenario"] == "Enhanced 10, two exits"
    saved = at.session_state["wi_values"]
    assert (saved["enhanced_hours"], saved["core_visits"], saved["move_0_n"], saved["hours_a_term"]) == (
        10,
        2,
        2,
        140,
    )
    total = metric(at, DEMAND)
    assert [p.name for p in (data_dir / "scenarios").iterdir()] == ["enhanced-10-two-exits.json"]

    widget(at.number_input, ENHANCED).set_value(20.0)
    widget(at.number_input, "Hours a term each adviser gives to schools").set_value(100.0).run()
    assert metric(at, DEMAND) != total
    at.selectbox(key="wi_chosen").select("enhanced-10-two-exits")
    at.button(key="wi_open").click().run()
    assert not at.exception, at.exception
    assert at.session_state["wi_values"] == saved
    assert metric(at, DEMAND) == total

    linked = what_if(scenario="Enhanced 10, two exits")
    assert linked.session_state["wi_values"] == saved
    assert metric(linked, DEMAND) == total
    stored = LocalScenarioStore(data_dir / "scenarios").load("Enhanced 10, two exits")
    assert stored.levels["enhanced"].additional_hours == 10 and stored.hours_a_term == 140


def test_two_saved_scenarios_can_be_compared_and_one_deleted(data_dir):
    at = what_if()
    widget(at.text_input, "Name of this scenario").input("As today").run()
    at.button(key="wi_save").click().run()
    widget(at.number_input, ENHANCED).set_value(10.0)
    widget(at.text_input, "Name of this scenario").input("Enhanced 10").run()
    at.button(key="wi_save").click().run()
    assert not at.exception, at.exception
    assert "Two saved scenarios side by side" in [s.value for s in at.subheader]
    at.selectbox(key="wi_chosen").select("as-today")
    at.button(key="wi_delete").click().run()
    assert not at.exception, at.exception
    # Delete asks first: nothing is deleted until the dialog's "Delete it".
    assert sorted(p.name for p in (data_dir / "scenarios").iterdir()) == ["as-today.json", "enhanced-10.json"]
    at.button(key="wi_delete_yes").click().run()
    assert not at.exception, at.exception
    assert [p.name for p in (data_dir / "scenarios").iterdir()] == ["enhanced-10.json"]
    assert "Deleted the saved scenario 'As today'." in [s.value for s in at.success]
    events = audit_log(data_dir).read(Viewer("director", "director", None))
    done = list(zip(events["action"], events["detail"], strict=True))
    assert ("delete_scenario", "As today") in done
    assert ("save_scenario", "As today") in done and ("save_scenario", "Enhanced 10") in done


def test_a_name_with_no_letter_or_digit_is_refused_with_a_message(data_dir):
    at = what_if()
    widget(at.text_input, "Name of this scenario").input("../..").run()
    at.button(key="wi_save").click().run()
    assert not at.exception, at.exception
    assert any("at least one letter or digit" in e.value for e in at.error)
    assert not (data_dir / "scenarios").exists() or not any((data_dir / "scenarios").iterdir())


def test_a_bad_or_stale_scenario_file_is_a_message_not_a_crash(data_dir):
    folder = data_dir / "scenarios"
    folder.mkdir()
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    (folder / "stale.json").write_text('{"name": "Stale", "levels": {"intensive_c": {}}}', encoding="utf-8")
    at = what_if(scenario="stale")
    assert any("'stale.json' cannot be used" in e.value for e in at.error)
    assert any("'broken.json' is not valid JSON" in w.value for w in at.warning)
    at.selectbox(key="wi_chosen").select("broken")
    at.button(key="wi_open").click().run()
    assert not at.exception, at.exception
    assert any("'broken.json' is not valid JSON" in e.value for e in at.error)
    missing = what_if(scenario="Never saved")
    assert any("no saved scenario called 'Never saved'" in e.value for e in missing.error)


@pytest.mark.parametrize(("role", "username"), OTHERS.items())
def test_only_the_director_can_reach_the_what_if_page(role, username):
    at = signed_in(username, role).run()
    assert not at.exception, at.exception
    with pytest.raises(ValueError):
        at.switch_page(PAGE)


def test_the_own_hours_table_names_each_adviser_and_keeps_their_hours_by_login(data_dir):
    """The table of advisers' own hours lists people by name (A to Z); an adviser's own hours stay theirs."""
    LocalScenarioStore(data_dir / "scenarios").save(
        Scenario(name="Brennan part-time", adviser_hours={"lama.brennan": 60.0})
    )
    at = what_if(scenario="Brennan part-time")
    [hours] = [d.value for d in at.dataframe if list(d.value.columns) == ["Adviser", "Own hours a term"]]
    names = hours["Adviser"].tolist()
    assert names == sorted(names, key=str.casefold) and not any("." in n for n in names), names
    own = dict(zip(hours["Adviser"], hours["Own hours a term"], strict=True))
    assert own["Sean Brennan"] == 60.0
    assert all(v != v for n, v in own.items() if n != "Sean Brennan")  # NaN: the team's figure
    at.toggle(key="table_what_if_advisers").set_value(True).run()  # the chart's table
    [table] = [d.value for d in at.dataframe if "Adviser's hours a term" in d.value.columns]
    capacity = dict(zip(table["Adviser"], table["Adviser's hours a term"], strict=True))
    assert capacity["Sean Brennan"] == 60.0  # the scenario keeps the hours under Brennan's login
    assert {v for n, v in capacity.items() if n != "Sean Brennan"} == {150.0}  # the team's figure

"""Every page for every role: the pages of a role's navigation run and show what matters; the others are out of reach."""

from __future__ import annotations

import duckdb
import pytest
import yaml
from support.pages import (
    ACCOUNTS,
    DEMO_ACCOUNTS,
    GOVERNOR_URN,
    HEAD_URN,
    ROLES,
    frames,
    open_address,
    subheaders,
    titles,
)

from g2g_core.policy import LEVEL_NAMES, LEVELS
from ui import navigation

# Every page but Data (tests/app/test_data_page.py), as the app declares them (ui/navigation.py).
PAGES = {p.key: p.file for p in navigation.PAGES if p.key != "data"}
ADDRESSES = {p.key: p.url_path for p in navigation.PAGES}
# SPEC: the table of roles and §5 (What-if is the director's; a head or governor sees their own school only).
NAVIGATION = {
    "director": {"overview", "attention", "school", "what_if", "policy"},
    "adviser": {"overview", "attention", "school", "policy"},
    "head": {"school", "policy"},
    "governor": {"school", "policy"},
}
ALLOWED = [(page, role) for role in ROLES for page in PAGES if page in NAVIGATION[role]]
FORBIDDEN = [(page, role) for role in ROLES for page in PAGES if page not in NAVIGATION[role]]
OWN_SCHOOL = {"head": HEAD_URN, "governor": GOVERNOR_URN}
# A school the director and the adviser may open: Tarncombe Primary School is one of lama.brennan's.
OPENED_SCHOOL = {"director": HEAD_URN, "adviser": GOVERNOR_URN}
DRILLDOWN_SECTIONS = [
    "Key judgements",
    "Plan priorities",
    "Ofsted inspections",
    "Warning notices",
    "Next dates",
]


def school_name(demo_dir, urn: int) -> str:
    return duckdb.sql(
        "SELECT name FROM read_parquet(?) WHERE urn = ?", params=[str(demo_dir / "schools.parquet"), urn]
    ).fetchall()[0][0]


def open_page(at, page: str):
    """Run the app as signed in, then go to the page (as a click in the navigation does)."""
    at.run()
    assert not at.exception, at.exception
    return at.switch_page(PAGES[page]).run()


@pytest.mark.parametrize(("page", "role"), ALLOWED)
def test_every_page_in_a_roles_navigation_runs_without_an_error(as_role, page, role):
    at = open_page(as_role(role), page)
    assert not at.exception, at.exception
    assert len(titles(at)) == 1, "one title per page"


@pytest.mark.parametrize(("page", "role"), FORBIDDEN)
def test_a_page_outside_a_roles_navigation_cannot_be_reached(as_role, page, role):
    at = as_role(role).run()
    assert not at.exception, at.exception
    with pytest.raises(ValueError):
        at.switch_page(PAGES[page])


@pytest.mark.parametrize(("page", "role"), FORBIDDEN)
def test_typing_the_address_of_a_page_outside_a_roles_navigation_says_whom_the_page_is_for(
    as_role, page, role
):
    at = open_address(as_role(role), ADDRESSES[page])
    assert not at.exception, at.exception
    assert titles(at) == ["Not one of your pages"]
    assert [i.value for i in at.info] == [navigation.refusal(navigation.BY_KEY[page])]
    assert not at.metric and not frames(at) and not at.get("plotly_chart")


def test_the_refusal_names_the_roles_in_words():
    assert navigation.refusal(navigation.BY_KEY["data"]) == "This page is for the Assistant Director."
    assert navigation.refusal(navigation.BY_KEY["overview"]) == (
        "This page is for the Assistant Director and advisers (LaMAs and SIPs)."
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_may_open_has_its_own_address(as_role, demo_dir, role):
    for spec in navigation.pages_for(role):
        at = open_address(as_role(role), spec.url_path)
        assert not at.exception, at.exception
        assert titles(at) and titles(at) != ["Not one of your pages"]
        if spec.key == "school" and role in OWN_SCHOOL:
            assert titles(at) == [school_name(demo_dir, OWN_SCHOOL[role])]


@pytest.mark.parametrize("role", ROLES)
def test_the_root_address_opens_the_roles_first_page(as_role, demo_dir, role):
    at = as_role(role).run()
    assert not at.exception, at.exception
    first = school_name(demo_dir, OWN_SCHOOL[role]) if role in OWN_SCHOOL else "Borough overview"
    assert titles(at) == [first]


@pytest.mark.parametrize("role", ["director", "adviser"])
def test_the_borough_overview_shows_schools_per_level_flags_and_hours(as_role, role):
    at = open_page(as_role(role), "overview")
    assert titles(at) == ["Borough overview"]
    labels = [m.label for m in at.metric]
    assert [LEVEL_NAMES[lv] for lv in LEVELS] == labels[: len(LEVELS)]
    assert "Flags overdue" in labels
    assert any(label.startswith("Adviser hours") for label in labels)
    assert all(int(m.value) >= 0 for m in at.metric[: len(LEVELS)])
    toggles = [t for t in at.toggle if t.label == "Show as table"]
    downloads = [b for b in at.get("download_button") if b.label.endswith("(CSV)")]
    assert len(toggles) >= 3, "distribution by phase, trend, Ofsted against level (and moves)"
    assert len(downloads) == len(toggles), "every chart has a table alternative and a CSV download"


@pytest.mark.parametrize("role", ["director", "adviser"])
def test_the_attention_page_lists_the_flags_with_a_link_to_each_school(as_role, role):
    at = open_page(as_role(role), "attention")
    assert titles(at) == ["Attention"]
    (flags,) = frames(at)
    assert {"Severity", "What", "School", "Open", "Since"} <= set(flags.columns)
    assert len(flags) > 0
    assert all(link.startswith("school?urn=") for link in flags["Open"])
    labels = [b.label for b in at.get("download_button")]
    assert any("(CSV)" in label for label in labels) and any("(Excel)" in label for label in labels)


@pytest.mark.parametrize("role", ["head", "governor"])
def test_a_head_or_governor_lands_on_their_own_schools_drilldown(as_role, demo_dir, role):
    at = as_role(role).run()
    assert not at.exception, at.exception
    assert titles(at) == [school_name(demo_dir, OWN_SCHOOL[role])]
    assert [s for s in DRILLDOWN_SECTIONS if s in subheaders(at)] == DRILLDOWN_SECTIONS
    assert "Level of support" in [m.label for m in at.metric]


@pytest.mark.parametrize("role", ["director", "adviser"])
def test_the_drilldown_shows_the_chosen_schools_sections(as_role, demo_dir, role):
    at = as_role(role)
    at.query_params["urn"] = str(OPENED_SCHOOL[role])
    at = open_page(at, "school")
    assert not at.exception, at.exception
    assert titles(at) == [school_name(demo_dir, OPENED_SCHOOL[role])]
    assert [s for s in DRILLDOWN_SECTIONS if s in subheaders(at)] == DRILLDOWN_SECTIONS


@pytest.mark.parametrize("role", ["director", "adviser"])
def test_the_drilldown_without_a_chosen_school_asks_for_one(as_role, role):
    at = open_page(as_role(role), "school")
    assert titles(at) == ["School"]
    assert [i.value for i in at.info] == ["Choose a school in the sidebar."]
    assert [s.label for s in at.sidebar.selectbox] == ["School"]


@pytest.mark.parametrize("role", ROLES)
def test_the_policy_page_shows_the_configuration_in_force_with_paragraph_references(as_role, role):
    at = open_page(as_role(role), "policy")
    assert titles(at) == ["Policy"]
    tables = frames(at)
    assert tables and all("Policy" in t.columns for t in tables)


def test_the_what_if_page_opens_for_the_director(as_role):
    at = open_page(as_role("director"), "what_if")
    assert titles(at)[0].startswith("What-if")


def test_each_role_is_tested_with_a_demo_account_of_that_role():
    users = yaml.safe_load(DEMO_ACCOUNTS.read_text(encoding="utf-8"))["credentials"]["usernames"]
    assert {role: users[name]["roles"] for role, name in ACCOUNTS.items()} == {r: [r] for r in ROLES}

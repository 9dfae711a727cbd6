"""Who sees what: a head or governor their own school only, an adviser their caseload, the director all.

Council-only information (risk assessments, notes on hours, the ESC_RISK flag) is never shown to a school.
"""

from __future__ import annotations

import re

import duckdb
import pytest
import yaml
from support.pages import (
    ACCOUNTS,
    AS_OF,
    DEMO_ACCOUNTS,
    GOVERNOR_URN,
    HEAD_URN,
    frames,
    rendered_text,
    subheaders,
    titles,
)

from g2g_core.access import viewer_for
from g2g_core.rules import compute_flags
from g2g_core.store import load_store
from g2g_core.views import Filters, attention, school_detail

OTHER_URN = 900001  # Vorrton Primary School: not the head's, the governor's or lama.brennan's
RISK_URN = 900029  # Tarnby Infant and Nursery School: a high risk rating this term, so an ESC_RISK flag
NOT_AVAILABLE = "not available"
COUNCIL_ONLY = "For authority staff only"


def school_names(demo_dir) -> dict[int, str]:
    return dict(
        duckdb.sql(
            "SELECT urn, name FROM read_parquet(?)", params=[str(demo_dir / "schools.parquet")]
        ).fetchall()
    )


def other_schools_shown(text: str, names: dict[int, str], own: set[int]) -> list[str]:
    """Names of schools outside `own` that appear anywhere in the text."""
    own_names = [names[u] for u in own]
    return [n for u, n in names.items() if u not in own and n in text and not any(n in o for o in own_names)]


@pytest.fixture(scope="module")
def store(demo_dir):
    return load_store(demo_dir)


@pytest.mark.parametrize(("role", "urn"), [("head", HEAD_URN), ("governor", GOVERNOR_URN)])
def test_a_head_or_governor_sees_exactly_their_own_school_and_no_school_selector(
    as_role, demo_dir, role, urn
):
    at = as_role(role).run()
    assert not at.exception, at.exception
    names = school_names(demo_dir)
    assert titles(at) == [names[urn]]
    assert at.selectbox.len == 0 and at.sidebar.selectbox.len == 0
    assert at.session_state["viewer"].urns == frozenset({urn})
    assert other_schools_shown(rendered_text(at), names, {urn}) == []


def test_an_advisers_school_selector_lists_exactly_their_caseload(as_role, demo_dir):
    at = as_role("adviser").run().switch_page("app_pages/school.py").run()
    assert not at.exception, at.exception
    (selector,) = at.sidebar.selectbox
    listed = {int(re.search(r"\((\d+)\)", option).group(1)) for option in selector.options}
    caseload = duckdb.sql(
        "SELECT urn FROM read_parquet(?) WHERE adviser = ?",
        params=[str(demo_dir / "schools.parquet"), ACCOUNTS["adviser"]],
    ).fetchall()
    assert listed == {u for (u,) in caseload}
    assert len(selector.options) == len(listed) == 8


# A school not theirs, then addresses typed by hand: not a number, negative, huge, zero, decimal, empty.
ADDRESSES = [str(OTHER_URN), "abc", "-900005", "-1", "99999999999999999999", "0", "900001.0", "9e5", ""]


@pytest.mark.parametrize("raw", ADDRESSES)
@pytest.mark.parametrize(("role", "own"), [("head", HEAD_URN), ("governor", GOVERNOR_URN)])
def test_a_head_or_governor_who_asks_for_another_urn_sees_not_available_and_nothing_of_it(
    as_role, demo_dir, raw, role, own
):
    at = as_role(role)
    at.query_params["urn"] = raw
    at.run()
    assert not at.exception, at.exception
    text = rendered_text(at)
    names = school_names(demo_dir)
    assert any(NOT_AVAILABLE in w.value for w in at.warning)
    assert titles(at) == ["School"]
    assert names[OTHER_URN] not in text and str(OTHER_URN) not in text
    assert other_schools_shown(text, names, {own}) == []


def test_an_adviser_who_asks_for_a_school_outside_their_caseload_sees_not_available(as_role, demo_dir):
    at = as_role("adviser")
    at.query_params["urn"] = str(OTHER_URN)
    at = at.run().switch_page("app_pages/school.py").run()
    assert not at.exception, at.exception
    assert any(NOT_AVAILABLE in w.value for w in at.warning)
    assert school_names(demo_dir)[OTHER_URN] not in rendered_text(at)


@pytest.fixture
def risk_school_accounts(tmp_path, monkeypatch) -> None:
    """The demo accounts plus a head and a governor of the school with a high risk rating."""
    accounts = yaml.safe_load(DEMO_ACCOUNTS.read_text(encoding="utf-8"))
    users = accounts["credentials"]["usernames"]
    for username, role in (("head.tarnby", "head"), ("chair.tarnby", "governor")):
        users[username] = {
            "name": f"Test {role} of Tarnby",
            "email": f"{username}@example.invalid",
            "password": users["director"]["password"],
            "roles": [role],
            "urn": RISK_URN,
        }
    path = tmp_path / "accounts.yaml"
    path.write_text(yaml.safe_dump(accounts), encoding="utf-8")
    monkeypatch.setenv("G2G_AUTH_FILE", str(path))


def council_notes(demo_dir, urn: int) -> list[str]:
    """The notes on the school's hours and risk assessments: council-only text."""
    rows = duckdb.sql(
        "SELECT note FROM read_parquet($h) WHERE urn = $u AND note IS NOT NULL AND date >= DATE '2023-09-01' "
        "UNION SELECT note FROM read_parquet($r) WHERE urn = $u AND note IS NOT NULL "
        "AND term_start = (SELECT max(term_start) FROM read_parquet($r) WHERE urn = $u AND term_start <= $as_of)",
        params={
            "h": str(demo_dir / "hours.parquet"),
            "r": str(demo_dir / "risk_assessments.parquet"),
            "u": urn,
            "as_of": AS_OF,
        },
    ).fetchall()
    return [n for (n,) in rows]


def risk_flag_message(store) -> str:
    flags = compute_flags(store, viewer_for(store, "director", "director"), AS_OF)
    (message,) = flags.filter((flags["urn"] == RISK_URN) & (flags["rule"] == "ESC_RISK"))["message"]
    return message


def test_the_director_sees_the_council_only_information_of_a_school(as_role, demo_dir, store):
    at = as_role("director")
    at.query_params["urn"] = str(RISK_URN)
    at = at.run().switch_page("app_pages/school.py").run()
    assert not at.exception, at.exception
    text = rendered_text(at)
    assert COUNCIL_ONLY in subheaders(at)
    columns = {str(c) for t in frames(at) for c in t.columns}
    assert {"rating", "note"} <= columns
    assert risk_flag_message(store) in text
    notes = council_notes(demo_dir, RISK_URN)
    assert notes and all(n in text for n in notes)


@pytest.mark.usefixtures("risk_school_accounts")
@pytest.mark.parametrize("username", ["head.tarnby", "chair.tarnby"])
def test_a_head_or_governor_never_sees_risk_ratings_notes_on_hours_or_the_risk_flag(
    signed_in, demo_dir, store, username
):
    at = signed_in(username, "head" if username.startswith("head") else "governor").run()
    assert not at.exception, at.exception
    assert titles(at) == [school_names(demo_dir)[RISK_URN]]
    text = rendered_text(at)
    assert COUNCIL_ONLY not in text
    columns = {str(c).lower() for t in frames(at) for c in t.columns}
    assert not columns & {"rating", "note", "notes", "assessed_by"}
    assert risk_flag_message(store) not in text
    assert "ESC_RISK" not in text and "risk assessment" not in text.lower()
    assert [n for n in council_notes(demo_dir, RISK_URN) if n in text] == []
    # Every table shown to the school, the hours one included: turn on every "show as table".
    for toggle in at.toggle:
        toggle.set_value(True)
    at.run()
    assert not at.exception, at.exception
    columns = {str(c).lower() for t in frames(at) for c in t.columns}
    assert not columns & {"rating", "note", "notes", "assessed_by"}
    assert [n for n in council_notes(demo_dir, RISK_URN) if n in rendered_text(at)] == []


def test_the_drilldown_of_a_school_outside_a_heads_scope_is_none(store):
    head = viewer_for(store, "head.nolbbrook", "head", HEAD_URN)
    assert school_detail(store, head, HEAD_URN, AS_OF) is not None
    for urn in (OTHER_URN, GOVERNOR_URN, RISK_URN, 0, -1, 10**12):
        assert school_detail(store, head, urn, AS_OF) is None


def test_a_heads_attention_list_holds_their_own_school_only(store):
    head = viewer_for(store, "head.nolbbrook", "head", HEAD_URN)
    flags = attention(store, head, AS_OF, Filters())
    assert not flags.is_empty()
    assert set(flags["urn"]) == {HEAD_URN}


def test_the_risk_flag_is_kept_from_the_schools_own_viewers_but_not_from_staff(store):
    head = viewer_for(store, "head.tarnby", "head", RISK_URN)
    governor = viewer_for(store, "chair.tarnby", "governor", RISK_URN)
    adviser = viewer_for(store, "lama.ashworth", "adviser")
    director = viewer_for(store, "director", "director")
    rules = {
        who: set(attention(store, v, AS_OF, Filters()).filter(urn=RISK_URN)["rule"])
        for who, v in {"head": head, "governor": governor, "adviser": adviser, "director": director}.items()
    }
    assert "ESC_RISK" in rules["director"] and "ESC_RISK" in rules["adviser"]
    assert "ESC_RISK" not in rules["head"] | rules["governor"]
    assert set(attention(store, head, AS_OF, Filters())["urn"]) <= {RISK_URN}
    detail = school_detail(store, head, RISK_URN, AS_OF)
    assert detail.council == {}
    assert "ESC_RISK" not in set(detail.flags["rule"])

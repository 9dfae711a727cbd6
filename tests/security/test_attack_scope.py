"""Attacks on scope through AppTest and the core: every role, every address, every query parameter.

A head or governor must see their own school only, an adviser their caseload only, a signed-out visitor
nothing but the sign-in form, whatever address or parameters they type. The browser half is in
test_attack_browser.py.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pytest
from support.pages import (
    ACCOUNTS,
    GOVERNOR_URN,
    HEAD_URN,
    frames,
    new_app,
    open_address,
    rendered_text,
    titles,
)

from g2g_core.access import Viewer, parse_urn, viewer_for
from g2g_core.audit import audit_log
from g2g_core.packs import build_pack
from g2g_core.store import load_store
from g2g_core.views import Filters, attention, school_detail, visible_schools

AS_OF = date(2026, 5, 18)
OTHER_URN = 900001  # Vorrton Primary School: nobody's but the director's (and lama.ashworth's)
CLOSED_URN = 900053  # Corrinby Primary School, closed 31 December 2025
ADDRESSES = ["overview", "attention", "school", "what-if", "data", "policy"]
DIRECTOR_ONLY_TITLES = {"What-if: support allocation", "Data"}
PORTFOLIO_TITLES = {"Borough overview", "Attention"}


def names(demo_dir) -> dict[int, str]:
    return dict(
        duckdb.sql(
            "SELECT urn, name FROM read_parquet(?)", params=[str(demo_dir / "schools.parquet")]
        ).fetchall()
    )


def own_schools(demo_dir, role: str) -> set[int]:
    if role == "head":
        return {HEAD_URN}
    if role == "governor":
        return {GOVERNOR_URN}
    rows = duckdb.sql(
        "SELECT urn FROM read_parquet(?) WHERE adviser = ?",
        params=[str(demo_dir / "schools.parquet"), ACCOUNTS[role]],
    ).fetchall()
    return {u for (u,) in rows}


def outsiders_shown(text: str, all_names: dict[int, str], own: set[int]) -> list[str]:
    """Names of schools outside `own` found in the text (ignoring names that are part of an own name)."""
    own_names = [all_names[u] for u in own]
    return [
        n for u, n in all_names.items() if u not in own and n in text and not any(n in o for o in own_names)
    ]


def shows_only_the_sign_in_form(at) -> bool:
    return (
        titles(at) == ["Good to Great"]
        and [t.label for t in at.text_input] == ["Username", "Password"]
        and not at.metric
        and not frames(at)
        and not at.selectbox
        and not at.sidebar.button
        and not at.get("plotly_chart")
        and not at.get("download_button")
    )


# --- Signed out -------------------------------------------------------------------------------------------------

SIGNED_OUT_PARAMS = [
    {"urn": str(HEAD_URN)},
    {"urn": [str(OTHER_URN), str(HEAD_URN)], "as_of": "2024-01-01", "scenario": "x", "phase": "primary"},
]


@pytest.mark.parametrize("params", SIGNED_OUT_PARAMS, ids=["urn", "everything"])
@pytest.mark.parametrize("address", ADDRESSES)
def test_a_signed_out_visitor_gets_only_the_sign_in_form_at_every_address(address, params):
    """Attack: open any page's address, with any parameters, without signing in.

    Expected: the sign-in form and nothing of any page (no metric, table, chart, selector, download or
    sign-out button).
    """
    at = new_app()
    for key, value in params.items():
        at.query_params[key] = value
    open_address(at, address)
    assert not at.exception, at.exception
    assert shows_only_the_sign_in_form(at)


def test_a_session_state_without_a_username_is_signed_out():
    """Attack: a session marked signed in but with no username (a half-finished sign-in).

    Expected: the viewer sees no school at all (deny by default), and no exception.
    """
    at = new_app()
    at.session_state["authentication_status"] = True
    at.session_state["username"] = None
    at.run()
    assert not at.exception, at.exception
    assert not frames(at) and not at.metric


# --- Every role, every address ---------------------------------------------------------------------------------


@pytest.mark.parametrize("address", ADDRESSES)
@pytest.mark.parametrize("role", ["head", "governor", "adviser"])
def test_no_role_but_the_director_sees_anything_outside_its_scope_at_any_address(
    as_role, demo_dir, role, address
):
    """Attack: a head, governor or adviser types every page's address, with another school's URN and an adviser filter.

    Expected: pages not theirs are not served (they land on their own default page); no name of a school
    outside their scope appears anywhere on what is shown.
    """
    at = as_role(role)
    at.query_params["urn"] = str(OTHER_URN)
    at.query_params["adviser"] = "lama.ashworth"
    open_address(at, address)
    assert not at.exception, at.exception
    shown = set(titles(at))
    assert not shown & DIRECTOR_ONLY_TITLES
    if role != "adviser":
        assert not shown & PORTFOLIO_TITLES
    all_names = names(demo_dir)
    own = own_schools(demo_dir, role)
    assert outsiders_shown(rendered_text(at), all_names, own) == []


URN_ATTACKS = {
    "another school": str(OTHER_URN),
    "a closed school": str(CLOSED_URN),
    "a list, other first": [str(OTHER_URN), str(HEAD_URN)],
    "a list, own first": [str(HEAD_URN), str(OTHER_URN)],
    "not a number": "nine",
    "negative": "-900005",
    "huge": "9" * 40,
    "SQL": "900005 OR 1=1",
    "padded": " 900001 ",
    "unicode digits": "９００００１",
}


@pytest.mark.parametrize("raw", list(URN_ATTACKS.values()), ids=list(URN_ATTACKS))
@pytest.mark.parametrize("role", ["head", "governor", "adviser"])
def test_an_edited_urn_never_reaches_a_school_outside_scope_in_the_core(store, demo_dir, role, raw):
    """Attack: edit `?urn=` on the school page (another school, a closed one, a list, text, negative, huge, SQL, padding, full-width digits).

    Expected: the school page's parse (`access.parse_urn`, the last value of a repeated parameter, as
    `st.query_params.get` gives it) and the core's scope leave only the viewer's own schools or nothing.
    The parser itself is proved on arbitrary text in tests/unit/test_params.py; one page run per role follows.
    """
    text = raw[-1] if isinstance(raw, list) else raw
    urn = parse_urn(text)
    viewer = viewer_for(store, ACCOUNTS[role], role, {"head": HEAD_URN, "governor": GOVERNOR_URN}.get(role))
    detail = school_detail(store, viewer, urn, AS_OF) if urn is not None else None
    assert detail is None or urn in own_schools(demo_dir, role)


@pytest.mark.parametrize("role", ["head", "governor", "adviser"])
def test_editing_urn_in_the_address_never_shows_a_school_outside_scope(as_role, demo_dir, role):
    """Attack: one page run per role with `?urn=` repeated: another school, then a closed one.

    Expected: the neutral 'not available' message, never anything of another school, and no exception.
    """
    at = as_role(role)
    at.query_params["urn"] = [str(OTHER_URN), str(CLOSED_URN)]
    open_address(at, "school")
    assert not at.exception, at.exception
    all_names = names(demo_dir)
    assert outsiders_shown(rendered_text(at), all_names, own_schools(demo_dir, role)) == []
    assert all_names[OTHER_URN] not in rendered_text(at)


def test_the_director_may_open_a_closed_school_by_its_address(as_role, demo_dir):
    """Attack: none; the control case that makes the scope tests meaningful.

    Expected: the director's `?urn=` of a closed school opens it, with the closure shown.
    """
    at = as_role("director")
    at.query_params["urn"] = str(CLOSED_URN)
    open_address(at, "school")
    assert not at.exception, at.exception
    assert titles(at) == [names(demo_dir)[CLOSED_URN]]
    assert any("closed" in w.value for w in at.warning)


@pytest.mark.parametrize("role", ["head", "governor", "adviser"])
def test_the_what_if_and_data_pages_cannot_be_switched_to_by_a_non_director(as_role, role):
    """Attack: switch to the What-if or Data page by its file. Expected: not registered for the role."""
    at = as_role(role).run()
    for page in ("app_pages/what_if.py", "app_pages/data.py"):
        with pytest.raises(ValueError):
            at.switch_page(page)


# --- The core answers the same way, whatever the page does -----------------------------------------------------


@pytest.fixture
def store(demo_dir):
    s = load_store(demo_dir)
    yield s
    s.con.close()


@pytest.mark.parametrize("urn", [OTHER_URN, CLOSED_URN, GOVERNOR_URN, 0, -1, 10**18])
@pytest.mark.parametrize("fmt", ["pdf", "pptx"])
def test_a_heads_pack_download_of_another_school_is_refused_in_the_core(store, urn, fmt):
    """Attack: call the pack builder (what the download button runs) for a school not theirs.

    Expected: LookupError, no file.
    """
    head = viewer_for(store, "head.nolbbrook", "head", HEAD_URN)
    with pytest.raises(LookupError):
        build_pack(store, head, urn, AS_OF, fmt)


@pytest.mark.parametrize(
    "viewer",
    [
        Viewer("head.nolbbrook", "head", frozenset({HEAD_URN})),
        Viewer("mystery", "superuser", None),
        Viewer("anonymous", "none", frozenset()),
        Viewer("director-without-scope", "director", frozenset()),
    ],
    ids=["head", "unknown-role", "nobody", "director-with-empty-scope"],
)
def test_the_core_denies_by_default(store, viewer):
    """Attack: a viewer with an unknown role, none, or a director whose scope was emptied.

    Expected: no school outside the scope in the school list, the attention export or a drilldown.
    """
    allowed = viewer.urns or frozenset()
    assert set(visible_schools(store, viewer, AS_OF)["urn"]) <= allowed
    assert set(attention(store, viewer, AS_OF, Filters())["urn"]) <= allowed
    assert school_detail(store, viewer, OTHER_URN, AS_OF) is None


@pytest.mark.parametrize("role", ["head", "governor", "adviser"])
def test_only_a_director_may_read_the_audit_log(demo_dir, role):
    """Attack: read the audit log as a head, governor or adviser (it says who opened which school).

    Expected: PermissionError from the core, whatever the page does.
    """
    log = audit_log(demo_dir)
    with pytest.raises(PermissionError):
        log.read(Viewer(ACCOUNTS[role], role, frozenset({HEAD_URN})))
    assert log.read(Viewer("director", "director", None)) is not None


@pytest.mark.parametrize("filters", [Filters(adviser=("lama.ashworth",)), Filters(phase=("primary",))])
def test_an_advisers_filters_never_widen_their_caseload(store, demo_dir, filters):
    """Attack: an adviser filters by another adviser's name (crafted `?adviser=`).

    Expected: the result is still inside their caseload (here: empty for another adviser's name).
    """
    adviser = viewer_for(store, "lama.brennan", "adviser")
    caseload = own_schools(demo_dir, "adviser")
    assert set(attention(store, adviser, AS_OF, filters)["urn"]) <= caseload

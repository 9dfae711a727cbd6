"""Who is who with OpenID Connect: an ID token's claims, the configuration and the people register -> a viewer.

Each case of issue 17 item 2: identity by subject (`tid:oid`, else `sub`), never by e-mail; the role from the
token's `roles` claim and/or the register; refusals for an unknown person, no role, a role without its URN
or adviser name, a foreign tenant; and viewers built over the demo borough exactly as the accounts file's.
"""

from __future__ import annotations

import pytest

from g2g_core.access import viewer_for
from g2g_core.identity import (
    DEFAULT_ROLE_CLAIMS,
    OidcSettings,
    PeopleError,
    Person,
    SettingsError,
    clean_person,
    decide,
    parse_role_claims,
    people_register,
    session_expires_at,
    session_id,
    subject_of,
)
from g2g_core.store import open_store

HOME = "5f0e2a8c-6b1d-4c3e-9a7f-0d2b8e4c1a11"
AWAY = "9c4d7b21-3e8f-4a5b-b6c0-7e1f2d3a4b22"
SETTINGS = OidcSettings(tenant=HOME)
HEAD_URN, GOVERNOR_URN = 900005, 900026


def token(oid: str, roles=None, tid: str = HOME, **extra) -> dict:
    claims = {"sub": f"pairwise-{oid}", "oid": oid, "tid": tid, "iat": 1_790_000_000, **extra}
    claims.setdefault("name", f"Person {oid}")
    claims.setdefault("email", f"{oid}@wexmoor.example")
    if roles is not None:
        claims["roles"] = roles
    return claims


def subject(oid: str, tid: str = HOME) -> str:
    return f"{tid}:{oid}"


REGISTER = [
    Person("p-adv", "Sam Brennan", "adviser", subject("adv"), None, None, "lama.brennan"),
    Person("p-head", "Pat Nolan", "head", None, "pat.nolan@nolbbrook.example", HEAD_URN),
    Person("p-gov", "Chris Tarn", "governor", subject("gov"), None, GOVERNOR_URN),
    Person("p-dir", "Alex Morgan", "director", subject("dir")),
    Person("p-norole", "Role Less", None, subject("norole")),
    Person("p-headnourn", "Urn Less", None, subject("headnourn")),
]


@pytest.fixture(scope="module")
def store(demo_source):
    """The session's demo borough (tests/conftest.py), read only."""
    return open_store(demo_source)


# --- identity ------------------------------------------------------------------------------------------------


def test_the_identity_is_tenant_and_object_id_for_entra_else_sub():
    assert subject_of({"oid": "ABC", "tid": HOME.upper(), "sub": "x"}) == f"{HOME}:abc"
    assert subject_of({"sub": "user-17"}) == "user-17"
    assert subject_of({"oid": "abc"}) is None  # an oid without its tenant is not an identity
    assert subject_of({"email": "a@b.example"}) is None  # an e-mail never is


def test_a_token_without_a_subject_is_refused():
    access = decide({"email": "alex.morgan@wexmoor.example", "roles": ["G2G.Director"]}, REGISTER, SETTINGS)
    assert not access.allowed and "subject" in access.reason


def test_the_same_subject_with_a_changed_email_is_the_same_person_with_the_same_role(store):
    before = decide(token("gov", email="chris.tarn@tarncombe.example"), REGISTER, SETTINGS)
    after = decide(
        token("gov", email="c.tarn@new-domain.example", name="Chris Tarn-Smith"), REGISTER, SETTINGS
    )
    assert before.allowed and after.allowed
    assert (before.person_id, before.role, before.urn) == (after.person_id, after.role, after.urn)
    assert after.viewer(store) == before.viewer(store)
    assert after.name == "Chris Tarn-Smith"  # the display name follows the token, nothing else does


def test_another_persons_email_in_a_token_gives_nothing_of_theirs():
    # Somebody whose e-mail was changed to the adviser's (reused address) is not the adviser.
    access = decide(token("stranger", email="adv@wexmoor.example"), REGISTER, SETTINGS)
    assert not access.allowed and access.person_id is None


def test_a_first_sign_in_finds_the_register_entry_by_email_and_then_records_the_subject(tmp_path, store):
    register = people_register(tmp_path)
    for person in REGISTER:
        register.save(person)
    first = decide(token("head", email="Pat.Nolan@nolbbrook.example"), register.people(), SETTINGS)
    assert first.allowed and first.person_id == "p-head" and first.role == "head" and first.urn == HEAD_URN
    register.signed_in(first)
    (entry,) = [p for p in register.people() if p.id == "p-head"]
    assert entry.subject == subject("head") and entry.last_sign_in and entry.last_sign_in_as == first.name
    # Later the e-mail changes: the subject still finds the entry.
    later = decide(token("head", email="p.nolan@elsewhere.example"), register.people(), SETTINGS)
    assert later.allowed and later.person_id == "p-head"
    # And the old e-mail, now in somebody else's token, finds nothing any more.
    other = decide(token("someone-else", email="pat.nolan@nolbbrook.example"), register.people(), SETTINGS)
    assert not other.allowed
    assert first.viewer(store) == viewer_for(store, "Pat Nolan", "head", HEAD_URN)
    assert first.viewer(store).urns == frozenset({HEAD_URN})


# --- roles ---------------------------------------------------------------------------------------------------


def test_a_director_by_app_role_alone_sees_every_school(store):
    access = decide(token("new-director", roles=["G2G.Director"], name="Alex Morgan"), REGISTER, SETTINGS)
    assert access.allowed and access.role == "director" and access.person_id is None
    assert access.subject == subject("new-director")
    viewer = access.viewer(store)
    assert viewer.all_schools and viewer.username == "Alex Morgan"


def test_an_adviser_sees_the_schools_of_their_adviser_name_as_with_the_accounts_file(store):
    access = decide(token("adv", roles=["G2G.Adviser"]), REGISTER, SETTINGS)
    assert access.allowed and access.username == "lama.brennan"
    viewer = access.viewer(store)
    assert viewer == viewer_for(store, "lama.brennan", "adviser")
    assert len(viewer.urns) == 8


def test_the_register_alone_gives_the_role_when_the_token_has_none(store):
    access = decide(token("gov"), REGISTER, SETTINGS)
    assert access.allowed and access.role == "governor"
    assert access.viewer(store).urns == frozenset({GOVERNOR_URN})


def test_the_head_sees_only_their_school(store):
    access = decide(
        token("head", roles=["G2G.Head"], email="pat.nolan@nolbbrook.example"), REGISTER, SETTINGS
    )
    assert access.allowed
    assert access.viewer(store).urns == frozenset({HEAD_URN})


def test_an_unknown_person_without_an_app_role_is_refused():
    access = decide(token("nobody"), REGISTER, SETTINGS)
    assert not access.allowed and access.viewer(None) is None
    assert "not in the people register" in access.reason


def test_a_registered_person_without_a_role_is_refused():
    access = decide(token("norole"), REGISTER, SETTINGS)
    assert not access.allowed and access.reason == "no role" and access.person_id == "p-norole"


def test_app_roles_the_configuration_does_not_map_give_no_role():
    access = decide(token("nobody", roles=["Some.Other.App", "Director"]), REGISTER, SETTINGS)
    assert not access.allowed


@pytest.mark.parametrize(("role", "claim"), [("head", "G2G.Head"), ("governor", "G2G.Governor")])
def test_a_head_or_governor_without_a_urn_is_refused(role, claim):
    unknown = decide(token("new-head", roles=[claim]), REGISTER, SETTINGS)
    registered = decide(token("headnourn", roles=[claim]), REGISTER, SETTINGS)
    for access in (unknown, registered):
        assert not access.allowed and access.role is None
        assert f"a {role} without a URN" in access.reason


def test_an_adviser_without_an_adviser_name_is_refused():
    access = decide(token("new-adviser", roles=["G2G.Adviser"]), REGISTER, SETTINGS)
    assert not access.allowed and "adviser name" in access.reason


def test_a_role_in_the_register_that_differs_from_the_app_role_is_refused():
    access = decide(token("gov", roles=["G2G.Director"]), REGISTER, SETTINGS)
    assert not access.allowed and "register says governor" in access.reason


def test_two_app_roles_are_refused_rather_than_guessed():
    access = decide(token("dir", roles=["G2G.Director", "G2G.Adviser"]), REGISTER, SETTINGS)
    assert not access.allowed and "more than one app role" in access.reason


def test_the_role_mapping_is_configurable():
    mapping = parse_role_claims("Schools.Boss=director, Schools.LaMA=adviser")
    assert mapping == {"Schools.Boss": "director", "Schools.LaMA": "adviser"}
    access = decide(token("x", roles=["Schools.Boss"]), [], OidcSettings(tenant=HOME, role_claims=mapping))
    assert access.allowed and access.role == "director"
    assert not decide(
        token("x", roles=["G2G.Director"]), [], OidcSettings(tenant=HOME, role_claims=mapping)
    ).allowed
    assert parse_role_claims("") == DEFAULT_ROLE_CLAIMS
    with pytest.raises(SettingsError, match="G2G_OIDC_ROLES"):
        parse_role_claims("G2G.Director=superuser")


# --- tenant --------------------------------------------------------------------------------------------------


def test_an_account_of_another_tenant_is_refused_whatever_its_roles():
    access = decide(token("dir", roles=["G2G.Director"], tid=AWAY), REGISTER, SETTINGS)
    assert not access.allowed and "another tenant" in access.reason and AWAY in access.reason


def test_a_token_without_a_tenant_is_refused_when_a_tenant_is_configured():
    access = decide({"sub": "plain-sub", "roles": ["G2G.Director"], "iat": 1}, REGISTER, SETTINGS)
    assert not access.allowed and "another tenant" in access.reason


def test_without_a_configured_tenant_a_plain_sub_is_the_identity():
    access = decide({"sub": "plain-sub", "roles": ["G2G.Director"], "iat": 1}, [], OidcSettings())
    assert access.allowed and access.subject == "plain-sub"


# --- sessions ------------------------------------------------------------------------------------------------


def test_a_session_is_named_by_subject_and_issue_time_and_ends_at_its_lifetime():
    claims = token("dir")
    assert session_id(claims) == session_id({**claims, "email": "changed@x.example", "name": "Other"})
    assert session_id(claims) != session_id({**claims, "iat": claims["iat"] + 1})
    assert session_id({**claims, "iat": None}) is None
    assert session_expires_at(claims, 8) == claims["iat"] + 8 * 3600


# --- the register --------------------------------------------------------------------------------------------


def test_register_entries_are_checked_naming_the_field():
    with pytest.raises(PeopleError, match="URN"):
        clean_person(name="A Head", role="head", email="a@b.example")
    with pytest.raises(PeopleError, match="URN"):
        clean_person(name="A Head", role="head", email="a@b.example", urn="12ab")
    with pytest.raises(PeopleError, match="Adviser name"):
        clean_person(name="An Adviser", role="adviser", email="a@b.example")
    with pytest.raises(PeopleError, match="Role"):
        clean_person(name="X", role="admin", email="a@b.example")
    with pytest.raises(PeopleError, match="subject or the e-mail"):
        clean_person(name="X", role="director")
    ok = clean_person(name=" Pat Nolan ", role="head", email="Pat.Nolan@Nolbbrook.example", urn="900005")
    assert (ok.name, ok.email, ok.urn) == ("Pat Nolan", "pat.nolan@nolbbrook.example", 900005)


def test_the_register_keeps_its_entries_refuses_clashes_and_removes(tmp_path):
    register = people_register(tmp_path)
    assert register.people() == []
    first = register.save(clean_person(name="Pat Nolan", role="head", email="pat@n.example", urn=900005))
    with pytest.raises(PeopleError, match="e-mail"):
        register.save(clean_person(name="Other", role="director", email="pat@n.example"))
    changed = clean_person(name="Pat Nolan", role="governor", email="pat@n.example", urn=900026, id=first.id)
    register.save(changed)
    assert [(p.role, p.urn) for p in register.people()] == [("governor", 900026)]
    assert register.remove(first.id).name == "Pat Nolan"
    assert register.people() == [] and register.remove(first.id) is None


def test_a_director_let_in_by_app_role_is_added_to_the_register_at_sign_in(tmp_path):
    register = people_register(tmp_path)
    access = decide(token("dir2", roles=["G2G.Director"], name="Alex Morgan"), [], SETTINGS)
    register.signed_in(access)
    (entry,) = register.people()
    assert (entry.subject, entry.role, entry.name) == (subject("dir2"), None, "Alex Morgan")
    assert entry.last_sign_in

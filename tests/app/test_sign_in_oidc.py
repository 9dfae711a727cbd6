"""Signing in with the council's own accounts (`G2G_SIGNIN_MODE=oidc`), through the app in AppTest.

Streamlit's `st.user` is seeded as a signed-in browser's identity cookie gives it (the ID token's claims plus
`is_logged_in` and `provider`); the browser journeys through a real provider are in tests/e2e. Who is who
comes from the core (g2g_core.identity) and the people register beside the data.
"""

from __future__ import annotations

import json
import time
import tomllib

import pytest
from support.pages import frames, new_app, titles

from g2g_core import identity
from g2g_core.identity import NO_ACCESS, Person, people_register

HOME = "5f0e2a8c-6b1d-4c3e-9a7f-0d2b8e4c1a11"
AWAY = "9c4d7b21-3e8f-4a5b-b6c0-7e1f2d3a4b22"
BUTTON = "Sign in with your council account"
ENDED = "Your session has ended. Sign in again."


SECRETS = """
[auth]
redirect_uri = "http://localhost:8501/oauth2callback"
cookie_secret = "a-cookie-secret-for-the-page-tests-only-0123456789"
[auth.council]
client_id = "good-to-great"
client_secret = "a-client-secret"
server_metadata_url = "http://127.0.0.1:9/.well-known/openid-configuration"
"""


@pytest.fixture
def auth_section(monkeypatch, tmp_path) -> dict:
    """secrets.toml's [auth] as the app reads it (a real TOML file, parsed; AppTest's secrets do not reach it)."""
    path = tmp_path / "secrets.toml"
    path.write_text(SECRETS, encoding="utf-8")
    section = tomllib.loads(path.read_text(encoding="utf-8"))["auth"]
    from ui import oidc

    monkeypatch.setattr(oidc, "_secrets_auth", lambda: section)
    return section


@pytest.fixture(autouse=True)
def oidc_mode(monkeypatch, data_dir, auth_section):
    """The oidc mode, the home tenant, and a people register in this test's copy of the demo borough."""
    monkeypatch.setenv("G2G_SIGNIN_MODE", "oidc")
    monkeypatch.setenv("G2G_OIDC_PROVIDER", "council")
    monkeypatch.setenv("G2G_OIDC_TENANT", HOME)
    register = people_register(data_dir)
    register.save(Person("head", "Pat Nolan", "head", None, "pat.nolan@nolbbrook.example", 900005))
    register.save(Person("adviser", "Sam Brennan", None, f"{HOME}:oid-adviser", None, None, "lama.brennan"))
    return register


def user(oid: str, roles=None, tid: str = HOME, iat: float | None = None, **claims) -> dict:
    """st.user as Streamlit fills it from the ID token after a sign-in."""
    out = {
        "is_logged_in": True,
        "provider": "council",
        "sub": f"pairwise-{oid}",
        "oid": oid,
        "tid": tid,
        "iat": int(iat if iat is not None else time.time()),
        "exp": int(time.time()) + 3600,
        "name": f"Person {oid}",
        "email": f"{oid}@wexmoor.example",
        **claims,
    }
    if roles is not None:
        out["roles"] = roles
    return out


def run_as(claims: dict | None):
    at = new_app()
    at.user = claims or {"is_logged_in": False}
    return at.run()


def sign_in_page_only(at) -> bool:
    return (
        titles(at) == ["Good to Great"]
        and [b.label for b in at.button] == [BUTTON]
        and not at.text_input
        and not at.metric
        and not frames(at)
        and not at.sidebar.button
    )


def audit(data_dir) -> list[dict]:
    path = data_dir / "audit" / "audit.jsonl"
    return (
        [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []
    )


def test_a_signed_out_visitor_sees_one_button_and_nothing_else():
    at = run_as(None)
    assert not at.exception, at.exception
    assert sign_in_page_only(at)
    assert not at.error and not at.info


@pytest.mark.parametrize("missing", ["auth", "client_secret"])
def test_an_auth_section_that_cannot_sign_anybody_in_stops_the_app_with_a_message(auth_section, missing):
    if missing == "auth":
        auth_section.clear()
    else:
        del auth_section["council"][missing]
    at = run_as(None)
    assert not at.exception, at.exception
    (error,) = at.error
    assert error.value.startswith("The app cannot start") and "[auth" in error.value
    assert missing in error.value
    assert not at.button and not frames(at)


def test_the_director_by_app_role_lands_on_the_overview(data_dir):
    at = run_as(user("oid-director", ["G2G.Director"], name="Alex Morgan"))
    assert not at.exception, at.exception
    assert titles(at) == ["Borough overview"]
    assert at.metric
    assert any("Alex Morgan" in m.value for m in at.sidebar.markdown)
    (entry,) = [e for e in audit(data_dir) if e["action"] == "sign_in"]
    assert (
        entry["role"] == "director"
        and f"{HOME}:oid-director" in entry["detail"]
        and "Alex Morgan" in entry["detail"]
    )
    at.run()  # a rerun is no second sign-in
    assert len([e for e in audit(data_dir) if e["action"] == "sign_in"]) == 1


def test_the_head_found_by_email_lands_on_their_school(oidc_mode):
    at = run_as(user("oid-head", ["G2G.Head"], email="Pat.Nolan@nolbbrook.example"))
    assert not at.exception, at.exception
    assert titles(at) == ["Nolbbrook School"]
    (entry,) = [p for p in oidc_mode.people() if p.id == "head"]
    assert entry.subject == f"{HOME}:oid-head" and entry.last_sign_in


@pytest.mark.parametrize(
    "claims",
    [
        user("oid-nobody"),
        user("oid-nobody", ["Some.Other.App"]),
        user("oid-head-2", ["G2G.Head"]),
        user("oid-director", ["G2G.Director"], tid=AWAY),
    ],
    ids=["unknown, no role", "unmapped role", "head without URN", "another tenant"],
)
def test_a_refused_account_sees_the_message_and_nothing_of_any_page(data_dir, claims):
    at = run_as(claims)
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [NO_ACCESS]
    assert sign_in_page_only(at)
    (entry,) = [e for e in audit(data_dir) if e["action"] == "sign_in_failed"]
    assert entry["actor"] == identity.subject_of(claims) and claims["name"] in entry["detail"]


def test_a_session_past_its_lifetime_is_signed_out(monkeypatch):
    monkeypatch.setenv("G2G_COOKIE_HOURS", "1")
    at = run_as(user("oid-director", ["G2G.Director"], iat=time.time() - 3601))
    assert not at.exception, at.exception
    assert [i.value for i in at.info] == [ENDED]
    assert sign_in_page_only(at)


def test_sign_out_ends_the_session_and_its_cookie_no_longer_signs_in(data_dir):
    claims = user("oid-director", ["G2G.Director"])
    at = run_as(claims)
    assert titles(at) == ["Borough overview"]
    at.sidebar.button(key="g2g_sign_out").click().run()
    assert not at.exception, at.exception
    from ui import auth

    assert auth.guard().ended(identity.session_id(claims))
    assert [e["action"] for e in audit(data_dir)][-1] == "sign_out"
    # The same identity cookie, presented by another browser (a copy taken before signing out): refused.
    again = run_as(claims)
    assert not again.exception, again.exception
    assert [i.value for i in again.info] == [ENDED]
    assert sign_in_page_only(again)


def test_a_role_removed_from_the_register_ends_the_session_at_the_next_run(oidc_mode):
    at = run_as(user("oid-adviser", ["G2G.Adviser"]))
    assert titles(at) == ["Your schools"]  # an adviser's overview
    oidc_mode.remove("adviser")
    at.run()  # the session ends on this run and the app reruns into the sign-in page
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [NO_ACCESS]
    assert sign_in_page_only(at)


def test_the_director_adds_a_person_on_the_people_page(oidc_mode, data_dir):
    at = run_as(user("oid-director", ["G2G.Director"], name="Alex Morgan"))
    at = at.switch_page("app_pages/people.py").run()
    assert not at.exception, at.exception
    assert titles(at) == ["People"]
    (table,) = frames(at)
    assert {"Pat Nolan", "Sam Brennan", "Alex Morgan"} <= set(table["Name"])
    signed = table.set_index("Name").loc["Alex Morgan", "Signed in last"]
    assert signed != "Never" and " at " in signed
    fields = {t.label: t for t in at.text_input}
    fields["Name"].input("Chris Tarn")
    fields["E-mail for the first sign-in"].input("chris.tarn@tarncombe.example")
    fields["School URN (headteachers and governors)"].input("900026")
    [role] = [s for s in at.selectbox if s.label == "Role"]
    role.set_value("governor")
    at = at.button(key="FormSubmitter:people_form-Save").click().run()
    assert not at.exception, at.exception
    added = [p for p in oidc_mode.people() if p.name == "Chris Tarn"]
    assert [(p.role, p.urn, p.email) for p in added] == [("governor", 900026, "chris.tarn@tarncombe.example")]
    (change,) = [e for e in audit(data_dir) if e["action"] == "people_change"]
    assert "Chris Tarn" in change["detail"] and change["urn"] == 900026


def test_a_governor_without_a_urn_is_not_saved(oidc_mode):
    at = run_as(user("oid-director", ["G2G.Director"]))
    at = at.switch_page("app_pages/people.py").run()
    fields = {t.label: t for t in at.text_input}
    fields["Name"].input("No School")
    fields["E-mail for the first sign-in"].input("no.school@example.org")
    [role] = [s for s in at.selectbox if s.label == "Role"]
    role.set_value("governor")
    at = at.button(key="FormSubmitter:people_form-Save").click().run()
    assert not at.exception, at.exception
    assert any("URN" in e.value for e in at.error)
    assert not [p for p in oidc_mode.people() if p.name == "No School"]


def test_the_people_page_is_not_an_advisers(oidc_mode):
    at = run_as(user("oid-adviser", ["G2G.Adviser"]))
    assert titles(at) == ["Your schools"]  # an adviser's overview
    with pytest.raises(ValueError):
        at.switch_page("app_pages/people.py")

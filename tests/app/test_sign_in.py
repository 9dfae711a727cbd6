"""Signing in and out through the real form: a signed-out visitor sees the sign-in form and nothing else."""

from __future__ import annotations

import pytest
from support.pages import frames, new_app, open_address, titles

from ui.navigation import PAGES

WRONG = "The username or password is incorrect."
# The pages' addresses in the app (ui/navigation.py).
ADDRESSES = [p.url_path for p in PAGES]


def shows_only_the_sign_in_form(at) -> bool:
    """The title, the form and nothing of any page: no metric, table, chart, selector or sign-out button."""
    return (
        titles(at) == ["Good to Great"]
        and [t.label for t in at.text_input] == ["Username", "Password"]
        and not at.metric
        and not frames(at)
        and not at.selectbox
        and not at.sidebar.button
        and not at.get("plotly_chart")
    )


def fill_in(at, username: str, password: str):
    user, pw = at.text_input
    user.input(username)
    pw.input(password)
    (submit,) = at.button
    assert submit.key == "FormSubmitter:Login-Login"
    return submit.click().run()


def test_a_signed_out_visitor_sees_only_the_sign_in_form():
    at = new_app().run()
    assert not at.exception, at.exception
    assert shows_only_the_sign_in_form(at)


@pytest.mark.parametrize("address", ADDRESSES)
def test_a_signed_out_visitor_who_opens_a_pages_address_sees_only_the_sign_in_form(address):
    at = new_app()
    at.query_params["urn"] = "900005"
    open_address(at, address)
    assert not at.exception, at.exception
    assert shows_only_the_sign_in_form(at)


def test_a_wrong_password_says_so_and_shows_nothing_else():
    at = fill_in(new_app().run(), "director", "not-the-password")
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [WRONG]
    assert shows_only_the_sign_in_form(at)
    assert at.session_state["authentication_status"] is False


def test_an_unknown_username_gets_the_same_answer_as_a_wrong_password():
    at = fill_in(new_app().run(), "nobody.at.all", "g2g-director-demo")
    assert [e.value for e in at.error] == [WRONG]
    assert shows_only_the_sign_in_form(at)


def test_the_director_signs_in_sees_the_borough_overview_and_signs_out_again():
    at = fill_in(new_app().run(), "director", "g2g-director-demo")
    assert not at.exception, at.exception
    assert at.session_state["authentication_status"] is True
    # In a browser the component that writes the sign-in cookie starts the next run a moment later.
    at.run()
    assert not at.exception, at.exception
    assert titles(at) == ["Borough overview"]
    assert at.metric

    at.sidebar.button(key="g2g_sign_out").click().run()
    assert not at.exception, at.exception
    assert at.session_state["authentication_status"] is None
    assert not at.metric and not frames(at), "nothing of the page is drawn once signed out"
    at.run()
    assert not at.exception, at.exception
    assert shows_only_the_sign_in_form(at)
    with pytest.raises(ValueError):
        at.switch_page("app_pages/overview.py")


def test_the_app_refuses_to_start_in_production_with_the_demo_accounts(monkeypatch):
    monkeypatch.setenv("G2G_ENV", "production")
    at = new_app().run()
    assert not at.exception, at.exception
    (error,) = at.error
    assert error.value.startswith("The app cannot start")
    assert not at.text_input and not at.metric and not frames(at)

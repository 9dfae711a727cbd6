"""Attacks on signing in and out, through the real form in AppTest (and the core's sign-in guard).

Guessing passwords, finding which usernames exist, replaying a cookie after sign-out, keeping a session of
a removed or changed account, forging or stretching a cookie: each case states the attack and what must happen.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import jwt
import pytest
from support.accounts import edit_accounts
from support.pages import frames, new_app, open_address, titles

from g2g_core.access import Viewer
from g2g_core.audit import audit_log
from ui.navigation import BY_KEY, refusal

WRONG = "The username or password is incorrect."
LOCKED = "Too many attempts. Try again in 15 minutes."
DIRECTOR_PW = "g2g-director-demo"
HEAD_PW = "g2g-head-demo"
DEMO_KEY = "g2g-demo-cookie-key-not-for-production-use-0001"


def fill_in(at, username: str, password: str):
    """Type a username and password into the sign-in form and press Login."""
    user, pw = at.text_input
    user.input(username)
    pw.input(password)
    (submit,) = at.button
    return submit.click().run()


def errors(at) -> list[str]:
    return [e.value for e in at.error]


def sign_in_form_only(at) -> bool:
    """The sign-in form and nothing of any page."""
    return (
        titles(at) == ["Good to Great"]
        and [t.label for t in at.text_input] == ["Username", "Password"]
        and not at.metric
        and not frames(at)
        and not at.sidebar.button
    )


def signed_in_run(username: str, password: str):
    """A new session that signs in through the form, then the run the cookie component starts."""
    at = fill_in(new_app().run(), username, password)
    assert at.session_state["authentication_status"] is True, errors(at)
    return at.run()


@pytest.fixture
def issued(monkeypatch) -> list[str]:
    """The sign-in cookies the app writes to browsers, captured as a browser would store them."""
    from ui import auth

    tokens: list[str] = []
    monkeypatch.setattr(auth, "write_cookie", lambda _authenticator, token, _expires: tokens.append(token))
    return tokens


@pytest.fixture
def browser_cookie(monkeypatch):
    """`browser_cookie(token)`: every later run presents this sign-in cookie, as a browser holding it does."""
    from ui import auth

    def present(token: str | None) -> None:
        monkeypatch.setattr(auth, "presented_cookie", lambda: token)

    return present


# --- Guessing passwords -------------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_even_against_the_right_password():
    """Attack: guess the director's password five times.

    Expected: the sixth try, right or wrong, is refused with the lock message, and nobody is signed in.
    """
    at = new_app().run()
    for _ in range(5):
        at = fill_in(at, "director", "guess")
        assert errors(at) == [WRONG]
    at = fill_in(at, "director", DIRECTOR_PW)
    assert errors(at) == [LOCKED]
    assert at.session_state["authentication_status"] is not True
    assert sign_in_form_only(at)


def test_the_lock_holds_in_a_new_session():
    """Attack: after being locked, open a new browser session (the library counts per session).

    Expected: the lock is per username on the server; the new session is locked too.
    """
    at = new_app().run()
    for _ in range(5):
        at = fill_in(at, "director", "guess")
    fresh = fill_in(new_app().run(), "director", DIRECTOR_PW)
    assert errors(fresh) == [LOCKED]
    assert fresh.session_state["authentication_status"] is not True


def test_the_lock_on_one_account_leaves_other_accounts_alone():
    """Attack: lock the director out. Expected: a head can still sign in (the lock is per username)."""
    at = new_app().run()
    for _ in range(5):
        at = fill_in(at, "director", "guess")
    at = signed_in_run("head.nolbbrook", HEAD_PW)
    assert not at.exception and titles(at) == ["Nolbbrook School"]


def test_an_unknown_username_is_locked_with_the_same_words_so_accounts_cannot_be_enumerated():
    """Attack: tell real usernames from made-up ones by the messages (wrong vs locked).

    Expected: a made-up username gets exactly the same messages, including the lock after five tries.
    """
    real, fake = new_app().run(), new_app().run()
    for _ in range(5):
        real = fill_in(real, "lama.brennan", "guess")
        fake = fill_in(fake, "no.such.adviser", "guess")
        assert errors(real) == errors(fake) == [WRONG]
    real = fill_in(real, "lama.brennan", "guess")
    fake = fill_in(fake, "no.such.adviser", "guess")
    assert errors(real) == errors(fake) == [LOCKED]


def test_the_lock_ends_after_its_time(monkeypatch):
    """Attack: none; a locked person waits. Expected: after the lock time the right password works again."""
    from ui import auth

    monkeypatch.setenv("G2G_SIGNIN_LOCK_MINUTES", "15")
    auth.reset_guard()
    at = new_app().run()
    for _ in range(5):
        at = fill_in(at, "head.nolbbrook", "guess")
    clock = auth.guard().clock
    monkeypatch.setattr(auth.guard(), "clock", lambda: clock() + 16 * 60)
    at = fill_in(new_app().run(), "head.nolbbrook", HEAD_PW)
    assert at.session_state["authentication_status"] is True


def test_the_number_of_attempts_and_the_lock_time_are_configurable(monkeypatch):
    """Attack: three guesses, where the service allows only two.

    Expected: G2G_SIGNIN_MAX_FAILURES=2 locks after two, and G2G_SIGNIN_LOCK_MINUTES=5 says five minutes.
    """
    from ui import auth

    monkeypatch.setenv("G2G_SIGNIN_MAX_FAILURES", "2")
    monkeypatch.setenv("G2G_SIGNIN_LOCK_MINUTES", "5")
    auth.reset_guard()
    at = new_app().run()
    for _ in range(2):
        at = fill_in(at, "director", "guess")
    at = fill_in(at, "director", DIRECTOR_PW)
    assert errors(at) == ["Too many attempts. Try again in 5 minutes."]


def test_password_spraying_across_many_usernames_hits_the_process_wide_limit(monkeypatch):
    """Attack: one guess each for many usernames (no single account reaches its limit).

    Expected: the process-wide limit (G2G_SIGNIN_GLOBAL_MAX) stops further password checks with the same
    lock message.
    """
    from ui import auth

    monkeypatch.setenv("G2G_SIGNIN_GLOBAL_MAX", "6")
    auth.reset_guard()
    at = new_app().run()
    for i in range(6):
        at = fill_in(at, f"user{i}", "Summer2026!")
    at = fill_in(at, "director", DIRECTOR_PW)
    assert errors(at) == [LOCKED]
    assert at.session_state["authentication_status"] is not True


def test_a_password_over_72_bytes_is_just_wrong_not_a_crash():
    """Attack: a 10,000-character password (bcrypt 5 raises over 72 bytes).

    Expected: the ordinary wrong password message, no exception.
    """
    at = fill_in(new_app().run(), "director", "é" * 10_000)
    assert not at.exception, at.exception
    assert errors(at) == [WRONG]


@pytest.mark.parametrize(
    "username",
    ["' OR 1=1 --", "<script>alert(1)</script>", "director\x00", "../../etc/passwd", "Ｄｉｒｅｃｔｏｒ", ""],
)
def test_hostile_usernames_get_the_ordinary_answer(username):
    """Attack: SQL, HTML, NUL bytes, paths, full-width letters or nothing as the username.

    Expected: the ordinary wrong-password message (or nothing for an empty form), no exception, nobody
    signed in.
    """
    at = fill_in(new_app().run(), username, DIRECTOR_PW)
    assert not at.exception, at.exception
    assert errors(at) in ([WRONG], [])
    assert at.session_state["authentication_status"] is not True


@pytest.mark.parametrize("username", ["director", "no.such.person", "", None])
def test_every_username_known_or_not_costs_one_bcrypt_check_of_the_same_cost(monkeypatch, username):
    """Attack: time the answers (the library answers unknown names at once, known ones after bcrypt).

    Expected: every answer, known username or not, runs exactly one bcrypt check against a hash of the same
    cost as the accounts' own, so the answer takes the same work. (Proved by counting the checks, not by a
    clock, which a loaded machine makes unreliable; the benchmark reports the times.)
    """
    import bcrypt

    from g2g_core import signin
    from ui.auth import load_accounts

    accounts = load_accounts()
    real = bcrypt.checkpw
    checks: list[bytes] = []

    def spy(password: bytes, hashed: bytes) -> bool:
        checks.append(hashed)
        return real(password, hashed)

    monkeypatch.setattr(signin.bcrypt, "checkpw", spy)
    assert signin.check_password(accounts, username, "not-the-password") is None
    own_cost = str(accounts["usernames"]["director"]["password"])[:7]  # "$2b$12$": the scheme and its cost
    assert [h[:7].decode() for h in checks] == [own_cost]


# --- Signing out, removed and changed accounts ---------------------------------------------------------------


def test_signing_out_ends_the_session_and_a_copied_cookie_no_longer_signs_in(issued, browser_cookie):
    """Attack: copy the sign-in cookie, let its owner sign out, replay the cookie.

    Expected: before sign-out the cookie opens the pages; after it, the same cookie gets the sign-in form
    only.
    """
    at = signed_in_run("director", DIRECTOR_PW)
    (token,) = issued
    browser_cookie(token)
    thief = new_app().run()
    assert titles(thief) == ["Borough overview"], "the cookie works while its session is live"

    at.sidebar.button(key="g2g_sign_out").click().run()
    assert at.session_state["authentication_status"] is not True
    at.run()
    assert sign_in_form_only(at)

    replay = new_app().run()
    assert not replay.exception, replay.exception
    assert sign_in_form_only(replay)
    thief.run()
    assert sign_in_form_only(thief), "the other tab of the same sign-in ends too"


@pytest.mark.usefixtures("accounts_file")
def test_a_removed_account_loses_its_open_session_at_the_next_rerun(accounts_file):
    """Attack: keep using an open session after the account was removed.

    Expected: the next rerun shows the sign-in form and nothing of the school.
    """
    at = signed_in_run("head.nolbbrook", HEAD_PW)
    assert titles(at) == ["Nolbbrook School"]
    edit_accounts(accounts_file, lambda users: users.pop("head.nolbbrook"))
    at.run()
    assert not at.exception, at.exception
    assert "Nolbbrook School" not in titles(at)
    assert not frames(at) and not at.metric
    at.run()
    assert sign_in_form_only(at)


def test_a_removed_account_cannot_come_back_with_its_cookie(accounts_file, issued, browser_cookie):
    """Attack: replay a still-valid cookie of an account that was removed. Expected: the sign-in form."""
    signed_in_run("head.nolbbrook", HEAD_PW)
    browser_cookie(issued[0])
    edit_accounts(accounts_file, lambda users: users.pop("head.nolbbrook"))
    at = new_app().run()
    assert not at.exception, at.exception
    assert sign_in_form_only(at)


def test_a_changed_role_takes_effect_at_the_next_rerun(accounts_file):
    """Attack: an adviser moved to be a school's governor keeps their open session.

    Expected: the next rerun shows that one school only, with no overview, no attention list and no school
    selector.
    """
    at = signed_in_run("lama.brennan", "g2g-adviser-demo")
    assert titles(at) == ["Borough overview"]

    def demote(users):
        users["lama.brennan"]["roles"] = ["governor"]
        users["lama.brennan"]["urn"] = 900026

    edit_accounts(accounts_file, demote)
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["viewer"].role == "governor"
    assert at.session_state["viewer"].urns == frozenset({900026})
    # The open address is the overview's, no longer theirs: it says so and shows nothing of the overview.
    assert titles(at) == ["Not one of your pages"]
    assert [i.value for i in at.info] == [refusal(BY_KEY["overview"])]
    assert not at.metric and not frames(at)
    open_address(at, "")  # the app's root: the role's first page
    assert not at.exception, at.exception
    assert titles(at) == ["Tarncombe Primary School"]
    with pytest.raises(ValueError):
        at.switch_page("app_pages/overview.py")


def test_a_changed_password_ends_the_sessions_signed_in_with_the_old_one(
    accounts_file, issued, browser_cookie
):
    """Attack: keep a session (or its cookie) after the password was changed because it leaked.

    Expected: the open session and the cookie both stop working.
    """
    at = signed_in_run("head.nolbbrook", HEAD_PW)
    browser_cookie(issued[0])

    def change(users):
        users["head.nolbbrook"]["password"] = users["director"]["password"]

    edit_accounts(accounts_file, change)
    at.run()
    at.run()
    assert sign_in_form_only(at)
    assert sign_in_form_only(new_app().run())


# --- Cookies --------------------------------------------------------------------------------------------------


def forged(payload: dict, key: str = DEMO_KEY, algorithm: str = "HS256") -> str:
    return jwt.encode(payload, key, algorithm=algorithm)


def later(hours: float) -> float:
    return (datetime.now() + timedelta(hours=hours)).timestamp()


@pytest.mark.parametrize(
    "token",
    [
        "not-a-jwt",
        "",
        "e30.e30.",
        forged({"username": "director", "exp_date": later(1)}, key="the-wrong-key-" * 3),
        forged({"username": "director", "exp_date": later(1)}, algorithm="HS512"),
        jwt.encode({"username": "director", "exp_date": later(1)}, None, algorithm="none"),
        forged({"username": "director", "exp_date": later(-1)}),
        forged({"username": "director"}),
        forged({"username": "nobody.at.all", "exp_date": later(1)}),
        forged({"username": ["director"], "exp_date": later(1)}),
        forged({"username": "director", "exp_date": "tomorrow"}),
    ],
    ids=[
        "garbage",
        "empty",
        "empty-claims",
        "wrong-key",
        "hs512",
        "alg-none",
        "expired",
        "no-expiry",
        "unknown-user",
        "list-username",
        "text-expiry",
    ],
)
def test_a_bad_cookie_gets_the_sign_in_form_and_no_crash(browser_cookie, token):
    """Attack: present a garbage, re-signed, unsigned (alg none), expired or foreign cookie.

    Expected: the sign-in form only, no exception (the library raises on alg none and HS512).
    """
    browser_cookie(token)
    at = new_app().run()
    assert not at.exception, at.exception
    assert sign_in_form_only(at)


def test_a_library_style_cookie_without_a_session_id_is_refused(browser_cookie):
    """Attack: mint a library-style cookie {username, exp_date} with the (demo) key.

    Expected: refused: our cookies also carry a session id (ended at sign-out) and a password fingerprint.
    (Holding the key still lets someone mint a full cookie: the key must stay secret; see SECURITY.md.)
    """
    browser_cookie(forged({"username": "director", "exp_date": later(1)}))
    at = new_app().run()
    assert sign_in_form_only(at)


def test_the_cookie_lasts_eight_hours_by_default(issued):
    """Attack: none; a stolen cookie's useful life. Expected: the cookie expires within 8 hours."""
    signed_in_run("director", DIRECTOR_PW)
    claims = jwt.decode(issued[0], DEMO_KEY, algorithms=["HS256"])
    assert claims["exp_date"] <= later(8) + 5
    assert claims["exp_date"] >= later(8) - 60


def test_the_cookie_lifetime_is_configurable_in_hours(monkeypatch, issued):
    """Attack: none; a service that wants shorter sign-ins. Expected: G2G_COOKIE_HOURS=1 gives a 1-hour cookie."""
    monkeypatch.setenv("G2G_COOKIE_HOURS", "1")
    signed_in_run("director", DIRECTOR_PW)
    claims = jwt.decode(issued[0], DEMO_KEY, algorithms=["HS256"])
    assert later(1) - 60 <= claims["exp_date"] <= later(1) + 5


def test_an_open_session_older_than_the_cookie_lifetime_ends(monkeypatch):
    """Attack: leave a browser tab open and connected for days.

    Expected: once the sign-in lifetime has passed, the next rerun shows the sign-in form.
    """
    at = signed_in_run("director", DIRECTOR_PW)
    at.session_state["_g2g_signed_in_at"] = time.time() - 9 * 3600
    at.run()
    at.run()
    assert sign_in_form_only(at)


# --- What is recorded -----------------------------------------------------------------------------------------


def test_sign_ins_failures_and_sign_outs_are_audited_once_each_without_passwords(demo_dir):
    """Attack: none; accountability.

    Expected: one entry per sign-in, refused sign-in and sign-out, however many reruns; a refused one
    names the attempted username (cut to 64 printable characters), never the password.
    """
    at = fill_in(new_app().run(), "x" * 300 + "\x07", "secret-guess-1")
    at = fill_in(at, "director", DIRECTOR_PW)
    for _ in range(3):
        at.run()
    at.sidebar.button(key="g2g_sign_out").click().run()
    at.run()
    log = audit_log(demo_dir).read(Viewer("director", "director", None))
    actions = sorted(log["action"].to_list())
    assert actions == ["sign_in", "sign_in_failed", "sign_out"]
    failed = log.filter(log["action"] == "sign_in_failed").row(0, named=True)
    assert (
        "x" * 64 in failed["detail"] and "x" * 65 not in failed["detail"] and "\x07" not in failed["detail"]
    )
    text = audit_log(demo_dir).path.read_text(encoding="utf-8")
    assert "secret-guess-1" not in text and DIRECTOR_PW not in text

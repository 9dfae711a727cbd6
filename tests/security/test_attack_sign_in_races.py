"""Attacks on the sign-in throttle's timing and on ended sessions over a restart (issue 19, items 5 and 6).

* Many attempts at once: the limit must hold however the attempts interleave (each attempt is reserved
  before its password is checked).
* One attacker's failures must not lock everybody out: the director, from another browser session, still
  signs in while the attacker's session is refused.
* A cookie copied before sign-out must stay refused after the server restarts.
"""

from __future__ import annotations

import threading

import bcrypt
import pytest
from support.pages import new_app, titles
from test_attack_sign_in import DIRECTOR_PW, LOCKED, WRONG, errors, fill_in, sign_in_form_only, signed_in_run


@pytest.fixture
def password_checks(monkeypatch) -> list[int]:
    """Every bcrypt password check made from now on (one entry each), counted across threads."""
    checks: list[int] = []
    lock = threading.Lock()
    real = bcrypt.checkpw

    def counting(password: bytes, hashed: bytes) -> bool:
        with lock:
            checks.append(1)
        return real(password, hashed)

    monkeypatch.setattr(bcrypt, "checkpw", counting)
    return checks


def test_25_simultaneous_attempts_get_at_most_the_limits_worth_of_password_checks(password_checks):
    """Attack: 25 browser tabs submit a guess for the director at the same moment (limit 5).

    The sign-in form hands each attempt to the core's `attempt` (ui/auth.py); AppTest cannot run sessions
    in parallel threads, so the tabs are threads calling the core as the form does, each its own session.
    Expected: exactly 5 password checks, 20 attempts refused as locked unchecked, and the right password
    sent afterwards is refused too.
    """
    from g2g_core.signin import SignInGuard, Source, attempt
    from ui.auth import load_accounts

    guard, accounts = SignInGuard(), load_accounts()
    outcomes: list = []
    start = threading.Barrier(25)

    def guess(i: int) -> None:
        start.wait()
        outcomes.append(attempt(guard, accounts, "director", f"guess-{i}", (Source("session", f"tab{i}"),)))

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(25)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(password_checks) == 5, f"{len(password_checks)} password checks against a limit of 5"
    assert sum(o.locked for o in outcomes) == 20
    late = attempt(guard, accounts, "director", DIRECTOR_PW, (Source("session", "late"),))
    assert late.entry is None and late.locked


def test_a_spraying_session_does_not_lock_the_director_out(monkeypatch):
    """Attack: one tab sprays a password over many usernames until the service-wide limit (here 6) is hit.

    Expected: that tab is refused from then on, but the director signing in from another browser session
    gets in.
    """
    from ui import auth

    monkeypatch.setenv("G2G_SIGNIN_GLOBAL_MAX", "6")
    auth.reset_guard()
    attacker = new_app().run()
    for i in range(6):
        attacker = fill_in(attacker, f"user{i}", "Summer2026!")
        assert errors(attacker) == [WRONG]
    attacker = fill_in(attacker, "director", DIRECTOR_PW)
    assert errors(attacker) == [LOCKED]

    director = fill_in(new_app().run(), "director", DIRECTOR_PW)
    assert director.session_state["authentication_status"] is True, errors(director)
    assert titles(director.run()) == ["Borough overview"]


def test_one_session_is_throttled_by_its_own_failures(monkeypatch):
    """Attack: one tab tries one password on many usernames, none reaching its own limit (session limit 3).

    Expected: the tab is refused after 3 failures; another tab signs in as a head meanwhile.
    """
    from ui import auth

    monkeypatch.setenv("G2G_SIGNIN_SESSION_MAX", "3")
    auth.reset_guard()
    attacker = new_app().run()
    for i in range(3):
        attacker = fill_in(attacker, f"user{i}", "Summer2026!")
    attacker = fill_in(attacker, "user9", "Summer2026!")
    assert errors(attacker) == [LOCKED]
    head = fill_in(new_app().run(), "head.nolbbrook", "g2g-head-demo")
    assert head.session_state["authentication_status"] is True, errors(head)


def test_a_cookie_copied_before_sign_out_stays_refused_after_a_restart(monkeypatch):
    """Attack: copy the director's cookie, wait for the sign-out and a server restart, replay the cookie.

    Expected: the sign-in form only (ended sessions are kept beside the audit log, not in memory).
    """
    from ui import auth

    tokens: list[str] = []
    monkeypatch.setattr(auth, "write_cookie", lambda _authenticator, token, _expires: tokens.append(token))
    at = signed_in_run("director", DIRECTOR_PW)
    (token,) = tokens
    at.sidebar.button(key="g2g_sign_out").click().run()
    assert at.session_state["authentication_status"] is not True

    auth.reset_guard()  # a new process: nothing of the old one's memory
    monkeypatch.setattr(auth, "presented_cookie", lambda: token)
    replay = new_app().run()
    assert not replay.exception, replay.exception
    assert sign_in_form_only(replay)


def test_ended_sessions_survive_a_new_store_object(tmp_path):
    """Core: a session ended through one guard is ended for a new guard reading the same folder."""
    from g2g_core import storage
    from g2g_core.signin import SignInGuard

    first = SignInGuard(ended_sessions=storage.ended_sessions(tmp_path))
    first.end_session("session-1", 4_102_444_800.0)
    again = SignInGuard(ended_sessions=storage.ended_sessions(tmp_path))
    assert again.ended("session-1")
    assert not again.ended("session-2")
    assert "session-1" not in (tmp_path / "audit" / "ended-sessions.jsonl").read_text()

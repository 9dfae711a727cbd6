"""The storage interfaces, each run against both implementations.

Files and memory (the default) and PostgreSQL (several servers). `backend` is 'files' or 'postgres'; the
PostgreSQL cluster is a real one, started for the session (tests/support/postgres.py).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import threading
import time

import psycopg
import pytest

from g2g_core import storage
from g2g_core.access import Viewer
from g2g_core.allocation import Scenario
from g2g_core.audit import AuditEvent, audit_log
from g2g_core.scenarios import ScenarioError
from g2g_core.signin import SignInGuard, Source
from g2g_core.storage.postgres import Database

HEAD = Viewer("head.nolbbrook", "head", frozenset({900005}))


def director() -> Viewer:
    return Viewer("director", "director", None)


# --- Audit log ------------------------------------------------------------------------------------------------


def test_the_audit_log_appends_reads_and_verifies(backend, tmp_path):
    log = audit_log(tmp_path)
    log.record(AuditEvent("director", "director", "sign_in", None, "with a password"))
    log.record(AuditEvent("lama.brennan", "adviser", "view_school", 900005, ""))
    frame = log.read(director())
    assert frame["action"].to_list() == ["view_school", "sign_in"]
    assert frame["urn"].to_list() == [900005, None]
    assert log.read(director(), actor="director")["action"].to_list() == ["sign_in"]
    assert log.verify() == []
    with pytest.raises(PermissionError):
        log.read(HEAD)


def _tamper(backend: str, tmp_path) -> None:
    """Change the second entry's detail behind the app's back, with full rights over the storage."""
    if backend == "files":
        path = tmp_path / "audit" / "audit.jsonl"
        lines = path.read_text(encoding="utf-8").splitlines()
        entry = json.loads(lines[1])
        entry["detail"] = "nothing to see"
        lines[1] = json.dumps(entry, ensure_ascii=False, sort_keys=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return
    with psycopg.connect(os.environ["G2G_DATABASE_URL"], autocommit=True) as conn:
        with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
            conn.execute("UPDATE audit_log SET detail = 'nothing to see' WHERE seq = 2")
        with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
            conn.execute("DELETE FROM audit_log WHERE seq = 2")
        # A superuser can switch the trigger off: verification must still see the edit.
        conn.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
        conn.execute("UPDATE audit_log SET detail = 'nothing to see' WHERE seq = 2")
        conn.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only")


def test_an_edit_made_with_full_rights_is_reported_by_verification(backend, tmp_path):
    log = audit_log(tmp_path)
    for i in range(3):
        log.record(AuditEvent("director", "director", "upload", None, f"version {i}"))
    _tamper(backend, tmp_path)
    problems = log.verify()
    assert problems, "the edit went unnoticed"
    where = "line 3" if backend == "files" else "entry 2"  # the file names the line after the edited one
    assert any(where in p for p in problems), problems


def _append_many(url: str | None, folder: str, n: int, start) -> None:
    if url:
        os.environ["G2G_DATABASE_URL"] = url
    else:
        os.environ.pop("G2G_DATABASE_URL", None)
    start.wait()
    log = audit_log(folder)
    for i in range(n):
        log.record(AuditEvent(f"writer{os.getpid()}", "director", "view_school", 900000 + i, f"entry {i}"))


def test_four_processes_appending_at_once_leave_one_unbroken_chain(backend, tmp_path):
    """4 processes append 250 entries each (1,000 in all) at the same moment.

    Every entry is there, in one chain that verifies.
    """
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(5)
    url = os.environ.get("G2G_DATABASE_URL")
    procs = [ctx.Process(target=_append_many, args=(url, str(tmp_path), 250, start)) for _ in range(4)]
    for p in procs:
        p.start()
    start.wait(
        timeout=300
    )  # a writer that died before the start fails the test (BrokenBarrierError), never hangs
    began = time.perf_counter()
    for p in procs:
        p.join(timeout=600)
    took = time.perf_counter() - began
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    log = audit_log(tmp_path)
    frame = log.read(director())
    assert frame.height == 1000
    assert frame["actor"].n_unique() == 4
    assert log.verify() == []
    print(f"\n{backend}: 1,000 audit appends from 4 processes in {took:.2f} s ({1000 / took:.0f} appends/s)")


# --- Sign-in counts and ended sessions ----------------------------------------------------------------------------


def test_simultaneous_reservations_never_pass_the_limit(backend, tmp_path):
    """25 attempts at one username at once, through two guards (two servers in the PostgreSQL case).

    Exactly 5 are let through to a password check.
    """
    guards = [SignInGuard(state=storage.throttle_state()) for _ in range(2)]
    if backend == "files":
        guards[1].state = guards[0].state  # one process: one memory
    else:
        second = Database(os.environ["G2G_DATABASE_URL"])  # a second pool, as a second server has
        guards[1].state = second.throttle()
    start = threading.Barrier(25)
    waits: list[float] = []

    def one(i: int) -> None:
        start.wait()
        waits.append(guards[i % 2].reserve("director", (Source("session", f"tab{i}"),)))

    threads = [threading.Thread(target=one, args=(i,)) for i in range(25)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(w == 0 for w in waits) == 5
    assert guards[0].locked_for("director") > 0 and guards[1].locked_for("director") > 0
    if backend == "postgres":
        second.close()


def test_failures_add_up_and_a_success_forgets_them(backend):
    guard = SignInGuard(state=storage.throttle_state())
    second = None if backend == "files" else Database(os.environ["G2G_DATABASE_URL"])
    other = SignInGuard(state=guard.state if second is None else second.throttle())
    for g in (guard, other, guard, other):
        assert g.reserve("head", ()) == 0
    assert other.reserve("head", ()) == 0  # the fifth: let through, then the username is locked
    assert guard.reserve("head", ()) > 0
    guard.succeeded("head")  # the fifth was right
    assert other.locked_for("head") == 0
    if second is not None:
        second.close()


def test_the_overall_limit_refuses_only_sources_that_failed(backend):
    guard = SignInGuard(global_max=3, state=storage.throttle_state())
    attacker = (Source("session", "attacker"),)
    for i in range(3):
        assert guard.reserve(f"user{i}", attacker) == 0
    assert guard.reserve("director", attacker) > 0
    assert guard.reserve("director", (Source("session", "the-director"),)) == 0


def test_ended_sessions_outlive_the_object_that_recorded_them(backend, tmp_path):
    storage.ended_sessions(tmp_path).add("sid-1", time.time() + 3600)
    storage.close_databases()  # a restart: a new pool, a new object
    again = storage.ended_sessions(tmp_path)
    assert again.contains("sid-1")
    assert not again.contains("sid-2")


# --- Scenarios --------------------------------------------------------------------------------------------------


def test_scenarios_save_load_list_delete(backend, tmp_path):
    store = storage.scenario_store(tmp_path / "scenarios")
    saved = store.save(Scenario(name="Enhanced 10"))
    assert saved.key == "enhanced-10" and saved.revision
    assert store.load("Enhanced 10").name == "Enhanced 10"
    assert [s.name for s in store.list()] == ["Enhanced 10"]
    assert store.delete("Enhanced 10") is True
    assert store.delete("Enhanced 10") is False
    with pytest.raises(ScenarioError):
        store.load("Enhanced 10")


def test_a_stale_scenario_save_is_refused_with_a_message(backend, tmp_path):
    """Two advisers open the same scenario; the first saves; the second's save is refused, not lost."""
    store = storage.scenario_store(tmp_path / "scenarios")
    store.save(Scenario(name="Plan A"))
    opened_by_both = store.revision("Plan A")
    store.save(Scenario(name="Plan A", advisers=7), expected=opened_by_both)
    with pytest.raises(ScenarioError, match="saved by someone else"):
        store.save(Scenario(name="Plan A", advisers=9), expected=opened_by_both)
    assert store.load("Plan A").advisers == 7
    with pytest.raises(ScenarioError, match="saved by someone else"):
        store.save(Scenario(name="Plan A", advisers=11), expected="")  # "a new one" but it exists

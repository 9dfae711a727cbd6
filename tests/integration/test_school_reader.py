"""Issue 14 (core): the school page and the pack written for their reader, on hand-made boroughs.

Advisers by name (the optional `advisers` table, validated like every table), flags in the school's words
and aware of an open warning notice, the current plan counted apart from earlier plans, and the hours
expected by now in the term.
"""

from __future__ import annotations

import json
from datetime import date

import polars as pl
import pytest

from g2g_core.access import Viewer
from g2g_core.attention import attention_list
from g2g_core.cli import main
from g2g_core.packs import pack_content
from g2g_core.rules import FLAG_COLUMNS
from g2g_core.store import load_store, validate_dir
from g2g_core.views import Filters, attention, person_name, school_detail

AS_OF = date(2026, 5, 18)
A, B = 100001, 100002


def _staff() -> Viewer:
    return Viewer.system()


def _governor(urn: int) -> Viewer:
    return Viewer("chair.x", "governor", frozenset({urn}))


def _base(borough):
    borough.school(A, adviser="lama.a").school(B, adviser="lama.b")
    borough.categorise(A, "2025-09-01", "intensive_a", target_exit_on="2027-07-31")
    borough.categorise(B, "2025-09-01", "core")
    return borough


# -- advisers: validation ---------------------------------------------------------------------------------
def test_bad_adviser_rows_are_refused_with_file_row_column_value_and_rule(borough):
    _base(borough)
    borough.adviser("lama.a", "Ann Ashworth")
    borough.adviser("lama.a", "Another Ashworth")  # row 2: duplicate username
    borough.adviser("lama.b", "  ")  # row 3: empty name
    borough.adviser("lama.c", "Cal Carr", email="not an address")  # row 4: bad e-mail
    found = [str(p) for p in validate_dir(borough.write())]
    assert (
        "advisers.parquet, row 2, column 'username': value 'lama.a': duplicates an earlier row: "
        "username must be unique" in found
    )
    assert any(
        p.startswith("advisers.parquet, row 3, column 'name'") and "must not be empty" in p for p in found
    )
    assert any(
        p.startswith("advisers.parquet, row 4, column 'email'") and "'not an address'" in p and "e-mail" in p
        for p in found
    )
    assert len(found) == 3


def test_the_advisers_table_is_optional_and_the_login_is_the_fallback(borough):
    store = load_store(_base(borough).write(omit=("advisers",)))
    assert person_name(store, "lama.a") == "lama.a"
    assert person_name(store, "lama.a", {"lama.a": "Demo adviser"}) == "Demo adviser"
    assert person_name(store, None) is None


# -- advisers: names where a person is shown --------------------------------------------------------------
def test_the_school_view_the_attention_list_and_the_pack_give_the_advisers_name(borough):
    _base(borough).adviser("lama.a", "Ann Ashworth", email="ann.ashworth@example.org")
    borough.categorise(B, "2026-01-05", "enhanced", letter_sent_on=None)  # a flag for B (letter not sent)
    borough.adviser("lama.b", "Ben Brom", job_title="School Improvement Partner")
    store = load_store(borough.write())
    detail = school_detail(store, _governor(A), A, AS_OF)
    assert detail.school["adviser"] == "lama.a" and detail.school["adviser_name"] == "Ann Ashworth"
    assert person_name(store, "lama.a", {"lama.a": "Accounts name"}) == "Ann Ashworth"
    flags = attention(store, _staff(), AS_OF, Filters())
    assert set(flags.filter(pl.col("urn") == B)["adviser_name"]) == {"Ben Brom"}
    facts = dict(pack_content(store, _staff(), A, AS_OF).facts)
    assert facts["Attached adviser"] == "Ann Ashworth (Leadership and Management Adviser)"


# -- flags worded for their reader, aware of an open notice -----------------------------------------------
def _off_track_with_notice(borough):
    _base(borough)
    borough.review(A, "single_action_plan", "Reading", "2025-12-15", "2025-12-12", "off_track")
    borough.review(A, "single_action_plan", "Reading", "2026-03-20", "2026-03-18", "off_track")
    borough.review(A, "single_action_plan", "Reading", "2026-07-15")
    borough.warning(A, "2026-04-15", "pre_formal", grounds="Slow progress in reading")
    return borough


def test_an_open_pre_formal_notice_changes_the_next_step_for_staff_and_school(borough):
    store = load_store(_off_track_with_notice(borough).write())
    staff = school_detail(store, _staff(), A, AS_OF)
    school = school_detail(store, _governor(A), A, AS_OF)
    [s] = [f for f in staff.flag_texts if f.rule == "ESC_OFF_TRACK"]
    [g] = [f for f in school.flag_texts if f.rule == "ESC_OFF_TRACK"]
    # staff: the officer's wording, with the policy's references
    assert s.severity_words == "Overdue" and s.policy == "2.7.4; 2.6.2" and s.next_label == "Next step"
    assert "already issued to the governing body on 15 April 2026" in s.next_step
    assert "review its effect or consider a formal warning notice (2.7.4, 2.8)" in s.next_step
    assert "pre-formal warning notice to the governing body (2.7.4)" not in s.next_step  # not proposed again
    # the school: its own wording, severity in words, no policy reference, no records trail
    assert g.severity_words == "Needs action now" and g.policy == "" and g.evidence == ""
    assert g.next_label == "What the council will do"
    assert "already issued a pre-formal warning notice to the governing body on 15 April 2026" in g.next_step
    assert "consider a formal warning notice" in g.next_step
    assert "senior officers" not in g.message + g.next_step
    # the pack carries the school's wording
    pack = pack_content(store, _staff(), A, AS_OF)
    [item] = [f for f in pack.flags if f.title == s.title]
    assert item.action == g.next_step and item.severity == "Needs action now" and "policy" not in item.since


def test_without_an_open_notice_the_rule_keeps_its_own_next_step(borough):
    _off_track_with_notice(borough).rows["warnings"][0]["closed_on"] = date(2026, 5, 1)
    store = load_store(borough.write())
    [s] = [f for f in school_detail(store, _staff(), A, AS_OF).flag_texts if f.rule == "ESC_OFF_TRACK"]
    assert "pre-formal warning notice to the governing body (2.7.4)" in s.next_step


def test_g2g_flags_json_keeps_exactly_its_eight_keys(borough, capsys):
    directory = _off_track_with_notice(borough).write()
    assert main(["flags", str(directory), "--as-of", AS_OF.isoformat(), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(list(r) == list(FLAG_COLUMNS) for r in rows) and len(FLAG_COLUMNS) == 8


# -- current plan first -------------------------------------------------------------------------------------
def test_an_earlier_action_plan_is_listed_apart_and_not_counted(borough):
    borough.school(A)
    borough.categorise(A, "2024-09-01", "enhanced")
    borough.categorise(A, "2025-09-01", "intensive_a", target_exit_on="2027-07-31")
    for p in (
        "Old one",
        "Old two",
        "Old three",
    ):  # the Action Plan of the Enhanced years, last reviewed July 2025
        borough.review(A, "action_plan", p, "2025-03-20", "2025-03-18", "at_risk")
        borough.review(
            A, "action_plan", p, "2025-07-15", "2025-07-14", "off_track" if p == "Old one" else "at_risk"
        )
    for p in ("New one", "New two"):  # the current Single Action Plan
        borough.review(A, "single_action_plan", p, "2026-03-20", "2026-03-18", "on_track")
        borough.review(A, "single_action_plan", p, "2026-07-15")
    store = load_store(borough.write())
    detail = school_detail(store, _governor(A), A, AS_OF)
    assert sorted(detail.current_priorities["priority"]) == ["New one", "New two"]
    assert sorted(detail.earlier_priorities["priority"]) == ["Old one", "Old three", "Old two"]
    pack = pack_content(store, _staff(), A, AS_OF)
    assert pack.priorities_words[0] == "2 plan priorities: 2 on track."
    assert [r[1] for r in pack.priorities.rows] == ["New one", "New two"]
    assert sorted(r[1] for r in pack.earlier_priorities.rows) == ["Old one", "Old three", "Old two"]
    assert pack.earlier_words.startswith("3 priorities of an earlier plan (Action plan)")
    # the rules still read every review: the old plan's two off-track reviews are not what fires here
    staff = school_detail(store, _staff(), A, AS_OF)
    assert "ESC_OFF_TRACK" not in staff.flags["rule"].to_list()


# -- hours expected by now ----------------------------------------------------------------------------------
def test_hours_this_term_show_what_is_expected_by_now(borough):
    _base(borough)
    borough.hours(A, "2026-04-20", "lama_support", 6.0)
    borough.hours(A, "2026-05-05", "sip_visit", 3.5)
    borough.hours(A, "2026-05-06", "governors_meeting", 2.0)  # not part of the entitlement
    store = load_store(borough.write())
    detail = school_detail(store, _governor(A), A, AS_OF)
    t = detail.term_hours
    assert t.used == pytest.approx(9.5)
    assert t.entitled == pytest.approx(detail.entitlement["entitled"][-1])
    assert 0 < t.elapsed < 1 and t.expected_by_now == pytest.approx(t.entitled * t.elapsed)
    pack = pack_content(store, _staff(), A, AS_OF)
    assert any("would be expected" in w and "18 May 2026" in w for w in pack.hours_words)


# -- advisers: through the Data page's upload ---------------------------------------------------------------
def test_an_advisers_csv_is_uploaded_like_any_table_bad_rows_refused_good_ones_live(borough):
    from g2g_core.datadir import Upload, UploadError, publish

    root = _base(borough).write(omit=("advisers",))
    director = Viewer("director", "director", None)
    bad = b"username,name,job_title,email\nlama.a,Ann Ashworth,LaMA,\nlama.a,,LaMA,\n"
    with pytest.raises(UploadError) as refused:
        publish(root, [Upload("advisers", "Advisers May.csv", bad)], director)
    said = [str(p) for p in refused.value.problems]
    assert any("row 2, column 'username'" in p and "must be unique" in p for p in said), said
    assert any("row 2, column 'name'" in p for p in said), said
    assert person_name(load_store(root), "lama.a") == "lama.a"  # nothing changed
    good = b"username,name,job_title,email\nlama.a,Ann Ashworth,Leadership and Management Adviser,\n"
    publish(root, [Upload("advisers", "Advisers May.csv", good)], director)
    assert person_name(load_store(root), "lama.a") == "Ann Ashworth"


def test_the_demo_borough_names_every_adviser_it_mentions(demo_source):
    store = load_store(demo_source)
    named = store.sql("SELECT * FROM advisers")
    assert named.height == 6 and named["username"].n_unique() == 6
    used = store.sql(
        "SELECT adviser FROM schools WHERE adviser IS NOT NULL UNION SELECT adviser FROM hours "
        "UNION SELECT reviewer FROM plan_reviews WHERE reviewer IS NOT NULL"
    )["adviser"]
    assert set(used) <= set(named["username"])
    assert set(named["job_title"]) == {"Leadership and Management Adviser", "School Improvement Partner"}
    assert person_name(store, "lama.brennan") == "Sean Brennan"


def test_staff_read_the_records_behind_a_flag_in_words_on_the_school_page(borough):
    borough.school(A, adviser="lama.a")
    borough.categorise(A, "2025-09-01", "focused")
    borough.inspection(A, "2026-03-10", overall_grade=3)
    store = load_store(borough.write())
    [s] = [f for f in school_detail(store, _staff(), A, AS_OF).flag_texts if f.rule == "ESC_OFSTED_RI"]
    # the same words the Attention list gives (no framework or level codes)
    assert (
        s.evidence
        == "Inspection of 10 March 2026 (2019 framework, graded), overall grade 3; current level Focused"
    )
    [listed] = attention_list(store, _staff(), AS_OF).filter(rule="ESC_OFSTED_RI").iter_rows(named=True)
    assert listed["evidence"] == s.evidence

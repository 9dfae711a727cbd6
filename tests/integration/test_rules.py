"""The attention rules of SPEC §4, each on hand-made schools whose answer was worked out from the spec.

Term indexes (SPEC §1.2, index = 3*Y + k): autumn 2024/25 = 6072 (1 Sep-31 Dec 2024), spring = 6073,
summer = 6074 (1 Apr-31 Aug 2025); autumn 2025/26 = 6075 (1 Sep-31 Dec 2025), spring 2025/26 = 6076
(1 Jan-31 Mar 2026), summer 2025/26 = 6077 (1 Apr-31 Aug 2026); autumn 2026/27 = 6078.
The usual as_of is 18 May 2026: summer 2025/26, whose last ended term is spring 2025/26 (last day
31 Mar 2026) and in whose academic year two terms have ended.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from fixtures import Borough, flags_of

from g2g_core.access import Viewer
from g2g_core.cli import main
from g2g_core.policy import SHIPPED_DIR, load_policy

URN = 100001
OTHER = 100002
MAY = date(2026, 5, 18)


def fired(borough: Borough, as_of, rule: str, urn: int = URN, **kw):
    """(severity, since) of one school's flag for one rule, or None; at most one flag per school and rule."""
    found = [
        (sev, since) for u, r, sev, since in flags_of(borough.write(), as_of, **kw) if (u, r) == (urn, rule)
    ]
    assert len(found) <= 1, f"more than one {rule} flag for {urn}: {found}"
    return found[0] if found else None


def rules_of(borough: Borough, as_of, urn: int = URN, **kw) -> dict[str, tuple]:
    """Every flag of one school, by rule."""
    return {r: (sev, since) for u, r, sev, since in flags_of(borough.write(), as_of, **kw) if u == urn}


# --------------------------------------------------------------------------------------------------
# Whole pictures


def test_a_core_school_with_everything_in_order_has_no_flags(borough):
    """Core since 2024.

    Two SIP visits this year by 18 May 2026 (3 a year x 2 terms ended / 3 = 2 required), no plan needed at
    core, no inspection, no risk: nothing for any rule.
    """
    borough.school(URN).categorise(URN, "2024-09-01", "core")
    borough.hours(URN, "2025-10-15", "sip_visit", 3.5).hours(URN, "2026-02-10", "sip_visit", 3.5)
    assert rules_of(borough, MAY) == {}


def test_an_intensive_school_left_alone_for_two_years_collects_every_process_flag(borough):
    """Intensive A from 1 Sep 2024 (decided 12 Aug 2024, no letter), nothing recorded since.

    On 18 May 2026: EXIT_INTENSIVE overdue since 1 Jan 2026 (term 6 of the run, first day of term 5 = index
    6076); LETTER_NOT_SENT since 12 Aug + 14 = 26 Aug 2024 (a first categorisation that is not core);
    PLAN_MISSING since 1 Sep 2024 + 30 = 1 Oct 2024; LA_REVIEW_MISSING, HOURS_SHORTFALL (0 < 14 x 0.75) and
    SIP_VISITS_BEHIND (0 < floor(3 x 2 / 3) = 2) all dated 31 Mar 2026, the last day of spring 2025/26. No
    HOURS_OVERRUN (a minimum), no EXIT_READY (no reviews), no escalation (no Ofsted, no risk).
    """
    borough.school(URN).categorise(URN, "2024-09-01", "intensive_a", letter_sent_on=None)
    assert rules_of(borough, MAY) == {
        "EXIT_INTENSIVE": ("overdue", date(2026, 1, 1)),
        "HOURS_SHORTFALL": ("due", date(2026, 3, 31)),
        "LA_REVIEW_MISSING": ("overdue", date(2026, 3, 31)),
        "LETTER_NOT_SENT": ("overdue", date(2024, 8, 26)),
        "PLAN_MISSING": ("overdue", date(2024, 10, 1)),
        "SIP_VISITS_BEHIND": ("due", date(2026, 3, 31)),
    }


def test_a_school_closed_on_or_before_as_of_has_no_flags(borough):
    """SPEC §4: a school closed on or before as_of has no flags; closed the day after as_of, it still has."""
    borough.school(URN, closed_on="2026-05-18").categorise(
        URN, "2024-09-01", "intensive_a", letter_sent_on=None
    )
    borough.school(OTHER, closed_on="2026-05-19").categorise(OTHER, "2024-09-01", "intensive_a")
    flags = flags_of(borough.write(), MAY)
    assert [f for f in flags if f[0] == URN] == []
    assert (OTHER, "EXIT_INTENSIVE", "overdue", date(2026, 1, 1)) in flags


def test_a_school_with_no_categorisation_yet_in_force_has_no_flags(borough):
    """The current level is the latest effective_from <= as_of.

    A school first categorised on 1 Jun 2026 has none on 18 May 2026, so no flags, even for its SIP visits.
    """
    borough.school(URN).categorise(URN, "2026-06-01", "intensive_a", letter_sent_on=None)
    assert rules_of(borough, MAY) == {}


def test_a_categorisation_dated_after_as_of_is_ignored(borough):
    """Core since 2024, Intensive A decided 1 May 2026 to take effect on 1 Jun 2026, no letter.

    On 18 May the current level is core: no EXIT_INTENSIVE, no LA review due, no letter flag (the current,
    core, row did not change the level). On 2 Jun 2026 the intensive row is current: letter overdue since 1
    May + 14 = 15 May.
    """
    borough.school(URN).categorise(URN, "2024-09-01", "core")
    borough.categorise(URN, "2026-06-01", "intensive_a", decided_on="2026-05-01", letter_sent_on=None)
    now = rules_of(borough, MAY)
    assert not {"EXIT_INTENSIVE", "LETTER_NOT_SENT", "PLAN_MISSING", "LA_REVIEW_MISSING"} & now.keys()
    assert fired(borough, date(2026, 6, 2), "LETTER_NOT_SENT") == ("overdue", date(2026, 5, 15))


# --------------------------------------------------------------------------------------------------
# EXIT_INTENSIVE


def test_a_school_in_its_sixth_intensive_term_is_overdue_to_exit_since_the_first_day_of_term_5(borough):
    """Run starts 1 Sep 2024 = autumn 2024/25, index 6072.

    On 18 May 2026 = index 6077: term 6077 - 6072 + 1 = 6 >= 5 -> overdue since the first day of term 5 =
    index 6076 = 1 Jan 2026.
    """
    borough.school(URN).categorise(URN, "2024-09-01", "intensive_a")
    assert fired(borough, MAY, "EXIT_INTENSIVE") == ("overdue", date(2026, 1, 1))


def test_a_school_is_overdue_to_exit_on_the_first_day_of_its_fifth_intensive_term(borough):
    """Run from 1 Sep 2024 (6072); 1 Jan 2026 is index 6076 = term 5 -> overdue since 1 Jan 2026."""
    borough.school(URN).categorise(URN, "2024-09-01", "intensive_a")
    assert fired(borough, date(2026, 1, 1), "EXIT_INTENSIVE") == ("overdue", date(2026, 1, 1))


@pytest.mark.parametrize("as_of", [date(2025, 9, 1), date(2025, 12, 31)])
def test_a_school_in_its_fourth_intensive_term_is_due_to_exit(borough, as_of):
    """Run from 1 Sep 2024 (6072).

    1 Sep-31 Dec 2025 is index 6075 = term 4 -> due since the first day of term 4, 1 Sep 2025.
    """
    borough.school(URN).categorise(URN, "2024-09-01", "intensive_b")
    assert fired(borough, as_of, "EXIT_INTENSIVE") == ("due", date(2025, 9, 1))


def test_a_school_in_its_third_intensive_term_is_not_yet_due_to_exit(borough):
    """Run from 1 Sep 2024 (6072); 31 Aug 2025 is index 6074 = term 3: no flag."""
    borough.school(URN).categorise(URN, "2024-09-01", "intensive_a")
    assert fired(borough, date(2025, 8, 31), "EXIT_INTENSIVE") is None


def test_moves_between_intensive_a_and_b_count_as_one_run(borough):
    """A (1 Sep 2024) -> B (1 Jan 2025) -> A (20 Apr 2025).

    One intensive run from 1 Sep 2024 (6072), so on 18 May 2026 (6077) it is term 6 -> overdue since 1 Jan
    2026, not counted from the latest row.
    """
    borough.school(URN).categorise(URN, "2024-09-01", "intensive_a")
    borough.categorise(URN, "2025-01-01", "intensive_b").categorise(URN, "2025-04-20", "intensive_a")
    assert fired(borough, MAY, "EXIT_INTENSIVE") == ("overdue", date(2026, 1, 1))


def test_a_run_broken_by_another_level_restarts_the_clock(borough):
    """Intensive A 1 Sep 2023, Enhanced 1 Sep 2024, Intensive B 15 Feb 2025.

    The run starts 15 Feb 2025 = spring 2024/25, index 6073. 31 Mar 2026 is 6076 = term 4 -> due since first
    day of 6076 = 1 Jan 2026; 18 May 2026 is 6077 = term 5 -> overdue since first day of 6077 = 1 Apr 2026.
    """
    borough.school(URN).categorise(URN, "2023-09-01", "intensive_a")
    borough.categorise(URN, "2024-09-01", "enhanced").categorise(URN, "2025-02-15", "intensive_b")
    assert fired(borough, date(2026, 3, 31), "EXIT_INTENSIVE") == ("due", date(2026, 1, 1))
    assert fired(borough, MAY, "EXIT_INTENSIVE") == ("overdue", date(2026, 4, 1))


def test_a_school_past_its_target_exit_date_is_overdue_from_that_date(borough):
    """Intensive B from 1 Jan 2026 (term 1 = 6076) with target_exit_on 30 Apr 2026.

    On 30 Apr the target is not < as_of (and it is term 2): no flag. On 1 May 2026 the target has passed ->
    overdue since 30 Apr.
    """
    borough.school(URN).categorise(URN, "2026-01-01", "intensive_b", target_exit_on="2026-04-30")
    assert fired(borough, date(2026, 4, 30), "EXIT_INTENSIVE") is None
    assert fired(borough, date(2026, 5, 1), "EXIT_INTENSIVE") == ("overdue", date(2026, 4, 30))


def test_a_passed_target_in_term_4_makes_the_flag_overdue_since_the_target(borough):
    """Run from 1 Sep 2024 (6072).

    1 Dec 2025 is term 4 (due since 1 Sep 2025) but target_exit_on 30 Sep 2025 has passed (overdue): the most
    severe ground wins -> overdue since 30 Sep 2025.
    """
    borough.school(URN).categorise(URN, "2024-09-01", "intensive_a", target_exit_on="2025-09-30")
    assert fired(borough, date(2025, 12, 1), "EXIT_INTENSIVE") == ("overdue", date(2025, 9, 30))


def test_with_both_overdue_grounds_since_is_the_earlier_date(borough):
    """Term 6 on 18 May 2026 (overdue since 1 Jan 2026) and target 31 Jul 2025 passed (overdue since then).

    The flag is dated the earlier of the two: 31 Jul 2025.
    """
    borough.school(URN).categorise(URN, "2024-09-01", "intensive_a", target_exit_on="2025-07-31")
    borough.school(OTHER).categorise(OTHER, "2024-09-01", "intensive_a", target_exit_on="2026-03-01")
    assert fired(borough, MAY, "EXIT_INTENSIVE") == ("overdue", date(2025, 7, 31))
    assert fired(borough, MAY, "EXIT_INTENSIVE", urn=OTHER) == ("overdue", date(2026, 1, 1))


def test_a_school_that_has_left_intensive_support_has_no_exit_flag(borough):
    """Intensive A from 1 Sep 2023, Enhanced from 1 Jan 2026.

    Not intensive on 18 May 2026, whatever the length of the old run; a school enhanced for years is never
    'overdue to exit'.
    """
    borough.school(URN).categorise(URN, "2023-09-01", "intensive_a").categorise(URN, "2026-01-01", "enhanced")
    borough.school(OTHER).categorise(OTHER, "2022-09-01", "enhanced")
    assert fired(borough, MAY, "EXIT_INTENSIVE") is None
    assert fired(borough, MAY, "EXIT_INTENSIVE", urn=OTHER) is None


# --------------------------------------------------------------------------------------------------
# EXIT_READY


def _improving(borough: Borough, urn: int = URN, level: str = "enhanced", maths_status: str = "on_track"):
    """Enhanced since 1 Sep 2024.

    Reviews by term of review_due: summer 2024/25 (6074) one at_risk; autumn 2025/26 (6075) Reading on track;
    spring 2025/26 (6076) Reading achieved (12 Mar 2026) and Maths (`maths_status`, reviewed 20 Mar 2026).
    """
    borough.school(urn).categorise(urn, "2024-09-01", level)
    borough.review(urn, "action_plan", "Maths", "2025-07-10", "2025-07-08", "at_risk")
    borough.review(urn, "action_plan", "Reading", "2025-12-15", "2025-12-10", "on_track")
    borough.review(urn, "action_plan", "Reading", "2026-03-15", "2026-03-12", "achieved")
    borough.review(urn, "action_plan", "Maths", "2026-03-15", "2026-03-20", maths_status)
    return borough


def test_a_school_on_track_in_its_two_latest_review_terms_may_be_ready_to_exit(borough):
    """The two latest review terms are 6076 and 6075.

    Every review in them is on_track or achieved (the older at_risk of 6074 is not among them); the later,
    6076, is the last ended term on 18 May 2026 (6077) -> info since the latest reviewed_on among them, 20 Mar
    2026.
    """
    _improving(borough)
    assert fired(borough, MAY, "EXIT_READY") == ("info", date(2026, 3, 20))


def test_a_school_with_one_priority_at_risk_in_the_latest_term_is_not_ready(borough):
    """Maths at_risk in 6076: not every review of the two latest terms is on track or achieved."""
    _improving(borough, maths_status="at_risk")
    assert fired(borough, MAY, "EXIT_READY") is None


def test_a_school_with_reviews_in_only_one_term_is_not_ready(borough):
    """Only 6076 has reviews: fewer than two review terms -> not ready."""
    borough.school(URN).categorise(URN, "2024-09-01", "enhanced")
    borough.review(URN, "action_plan", "Reading", "2026-03-15", "2026-03-12", "achieved")
    borough.review(URN, "action_plan", "Maths", "2026-01-15", "2026-01-20", "on_track")
    assert fired(borough, MAY, "EXIT_READY") is None


def test_exit_ready_needs_the_later_review_term_to_be_current_or_last_ended(borough):
    """Latest review term 6076.

    On 31 Aug 2026 (6077) it is the last ended term -> ready; on 1 Sep 2026 (6078, last ended 6077) it is
    older -> not ready.
    """
    _improving(borough)
    assert fired(borough, date(2026, 8, 31), "EXIT_READY") == ("info", date(2026, 3, 20))
    assert fired(borough, date(2026, 9, 1), "EXIT_READY") is None


def test_a_review_recorded_after_as_of_does_not_count_yet(borough):
    """As at 18 Mar 2026 (6076, the current term) Maths (reviewed 20 Mar) is not yet reviewed.

    The reviews are Reading 12 Mar (6076) and 10 Dec (6075) -> ready, since 12 Mar 2026.
    """
    _improving(borough)
    assert fired(borough, date(2026, 3, 18), "EXIT_READY") == ("info", date(2026, 3, 12))


def test_an_escalation_flag_suppresses_exit_ready(borough):
    """The same reviews, but Ofsted found safeguarding not met on 5 Feb 2026.

    ESC_OFSTED_CONCERN fires (enhanced is not intensive_b), so the school is not ready.
    """
    _improving(borough)
    borough.inspection(URN, "2026-02-05", overall_grade=2, safeguarding_met=False)
    got = rules_of(borough, MAY)
    assert got["ESC_OFSTED_CONCERN"] == ("overdue", date(2026, 2, 5))
    assert "EXIT_READY" not in got


def test_a_core_school_is_never_ready_to_exit(borough):
    """EXIT_READY is for levels above core."""
    _improving(borough, level="core")
    assert fired(borough, MAY, "EXIT_READY") is None


def test_a_council_only_risk_escalation_suppresses_exit_ready_only_for_council_staff(borough):
    """A focused school ready by its reviews but rated high for finance in summer 2025/26.

    ESC_RISK (council only) suppresses EXIT_READY for the director, who sees ESC_RISK only. The head sees
    EXIT_READY and not ESC_RISK: what a school sees never depends on council-only rows (issue 19, item 3).
    """
    _improving(borough, level="focused")
    borough.risk(URN, "2026-04-01", "finance", "high")
    directory = borough.write()
    director = {r for u, r, *_ in flags_of(directory, MAY) if u == URN}
    head = {r for u, r, *_ in flags_of(directory, MAY, viewer=Viewer("head", "head", frozenset({URN})))}
    assert "ESC_RISK" in director and "EXIT_READY" not in director
    assert "ESC_RISK" not in head and "EXIT_READY" in head


# --------------------------------------------------------------------------------------------------
# ESC_OFSTED_RI


def test_a_core_school_graded_3_should_be_at_least_enhanced(borough):
    """EIF graded inspection 10 Mar 2025, grade 3, level core -> overdue since the inspection date."""
    borough.school(URN).categorise(URN, "2024-09-01", "core").inspection(URN, "2025-03-10", overall_grade=3)
    assert fired(borough, MAY, "ESC_OFSTED_RI") == ("overdue", date(2025, 3, 10))


def test_a_focused_school_whose_report_card_needs_attention_should_be_at_least_enhanced(borough):
    """Renewed report card 20 Jan 2026.

    Achievement needs_attention, no category of concern -> 'at risk of RI' (§1.4); level focused -> overdue
    since 20 Jan 2026. `urgent_improvement` maps the same way.
    """
    borough.school(URN).categorise(URN, "2024-09-01", "focused")
    borough.report_card(
        URN, "2026-01-20", {"inclusion": "expected_standard", "achievement": "needs_attention"}
    )
    borough.school(OTHER).categorise(OTHER, "2024-09-01", "core")
    borough.report_card(OTHER, "2026-02-20", {"attendance_and_behaviour": "urgent_improvement"})
    assert fired(borough, MAY, "ESC_OFSTED_RI") == ("overdue", date(2026, 1, 20))
    assert fired(borough, MAY, "ESC_OFSTED_RI", urn=OTHER) == ("overdue", date(2026, 2, 20))


def test_a_report_card_at_expected_standard_or_better_is_not_at_risk_of_ri(borough):
    """No area needs attention or urgent improvement -> no flag."""
    borough.school(URN).categorise(URN, "2024-09-01", "core")
    borough.report_card(
        URN, "2026-01-20", {"inclusion": "expected_standard", "achievement": "strong_standard"}
    )
    assert fired(borough, MAY, "ESC_OFSTED_RI") is None


@pytest.mark.parametrize("level", ["enhanced", "intensive_a", "intensive_b"])
def test_a_school_graded_3_already_at_enhanced_or_above_is_not_flagged(borough, level):
    """ESC_OFSTED_RI fires only for core or focused."""
    borough.school(URN).categorise(URN, "2024-09-01", level).inspection(URN, "2025-03-10", overall_grade=3)
    assert fired(borough, MAY, "ESC_OFSTED_RI") is None


def test_a_later_ungraded_visit_without_a_category_does_not_override_a_graded_inspection(borough):
    """Graded 3 on 10 Mar 2025, then an ungraded visit on 5 Feb 2026 with no category.

    Ungraded visits count only when they set a category, so the latest counted inspection is still 10 Mar 2025
    -> overdue since then.
    """
    borough.school(URN).categorise(URN, "2024-09-01", "core").inspection(URN, "2025-03-10", overall_grade=3)
    borough.inspection(URN, "2026-02-05", inspection_type="ungraded")
    assert fired(borough, MAY, "ESC_OFSTED_RI") == ("overdue", date(2025, 3, 10))


def test_a_later_good_graded_inspection_clears_the_ri_trigger(borough):
    """Graded 3 in 2023, graded 2 on 5 Feb 2026: the latest inspection is good -> no flag."""
    borough.school(URN).categorise(URN, "2022-09-01", "core").inspection(URN, "2023-03-10", overall_grade=3)
    borough.inspection(URN, "2026-02-05", overall_grade=2)
    assert fired(borough, MAY, "ESC_OFSTED_RI") is None


def test_an_inspection_dated_after_as_of_is_not_read(borough):
    """Graded 3 on 1 Jun 2026 is after 18 May 2026 -> no flag yet; on 2 Jun 2026 -> overdue since 1 Jun."""
    borough.school(URN).categorise(URN, "2024-09-01", "core").inspection(URN, "2026-06-01", overall_grade=3)
    assert fired(borough, MAY, "ESC_OFSTED_RI") is None
    assert fired(borough, date(2026, 6, 2), "ESC_OFSTED_RI") == ("overdue", date(2026, 6, 1))


def test_a_report_card_with_a_category_of_concern_is_a_concern_not_ri(borough):
    """Areas needing attention but requires_significant_improvement.

    'at risk of RI' needs no category, so ESC_OFSTED_RI does not fire; ESC_OFSTED_CONCERN does, since 2 Feb
    2026.
    """
    borough.school(URN).categorise(URN, "2024-09-01", "core")
    borough.report_card(
        URN,
        "2026-02-02",
        {"achievement": "needs_attention"},
        category_of_concern="requires_significant_improvement",
    )
    got = rules_of(borough, MAY)
    assert "ESC_OFSTED_RI" not in got
    assert got["ESC_OFSTED_CONCERN"] == ("overdue", date(2026, 2, 2))


# --------------------------------------------------------------------------------------------------
# ESC_OFSTED_CONCERN


def test_an_enhanced_school_in_special_measures_should_be_intensive_b(borough):
    """EIF graded 4 with special measures on 12 Nov 2024.

    Level enhanced (not intensive_b) -> overdue since 12 Nov 2024. Grade 4 is not grade 3, so no ESC_OFSTED_RI
    (and enhanced would not get it anyway).
    """
    borough.school(URN).categorise(URN, "2024-09-01", "enhanced")
    borough.inspection(URN, "2024-11-12", overall_grade=4, category_of_concern="special_measures")
    got = rules_of(borough, MAY)
    assert got["ESC_OFSTED_CONCERN"] == ("overdue", date(2024, 11, 12))
    assert "ESC_OFSTED_RI" not in got


def test_an_intensive_a_school_found_to_require_significant_improvement_should_be_intensive_b(borough):
    """Renewed report card 2 Feb 2026 with requires_significant_improvement; level intensive_a -> overdue."""
    borough.school(URN).categorise(URN, "2025-09-01", "intensive_a")
    borough.report_card(
        URN, "2026-02-02", {"leadership_and_governance": "urgent_improvement"},
        category_of_concern="requires_significant_improvement",
    )  # fmt: skip
    assert fired(borough, MAY, "ESC_OFSTED_CONCERN") == ("overdue", date(2026, 2, 2))


def test_safeguarding_not_met_is_a_concern_even_when_the_grade_is_good(borough):
    """§1.4.

    Safeguarding not met maps to the concern trigger; graded 2 on 3 Mar 2026, core -> overdue since 3 Mar
    2026, and no RI flag (grade 2).
    """
    borough.school(URN).categorise(URN, "2024-09-01", "core")
    borough.inspection(URN, "2026-03-03", overall_grade=2, safeguarding_met=False)
    got = rules_of(borough, MAY)
    assert got["ESC_OFSTED_CONCERN"] == ("overdue", date(2026, 3, 3))
    assert "ESC_OFSTED_RI" not in got


def test_an_intensive_b_school_in_a_category_of_concern_is_where_it_should_be(borough):
    """ESC_OFSTED_CONCERN does not fire for intensive_b."""
    borough.school(URN).categorise(URN, "2025-01-01", "intensive_b")
    borough.inspection(URN, "2024-11-12", overall_grade=4, category_of_concern="special_measures")
    assert fired(borough, MAY, "ESC_OFSTED_CONCERN") is None


def test_a_monitoring_visit_that_sets_a_category_counts(borough):
    """Graded 2 on 1 Oct 2024, then a monitoring visit on 10 Feb 2026 finding serious weaknesses.

    Monitoring visits count when they set a category -> overdue since 10 Feb 2026.
    """
    borough.school(URN).categorise(URN, "2024-09-01", "core").inspection(URN, "2024-10-01", overall_grade=2)
    borough.inspection(
        URN, "2026-02-10", inspection_type="monitoring", category_of_concern="serious_weaknesses"
    )
    assert fired(borough, MAY, "ESC_OFSTED_CONCERN") == ("overdue", date(2026, 2, 10))


def test_a_later_monitoring_visit_without_a_category_leaves_the_graded_concern_in_force(borough):
    """Special measures on 12 Nov 2024, a monitoring visit with no category on 10 Feb 2026.

    The monitoring visit does not count, so the concern stands, since 12 Nov 2024.
    """
    borough.school(URN).categorise(URN, "2024-09-01", "enhanced")
    borough.inspection(URN, "2024-11-12", overall_grade=4, category_of_concern="special_measures")
    borough.inspection(URN, "2026-02-10", inspection_type="monitoring")
    assert fired(borough, MAY, "ESC_OFSTED_CONCERN") == ("overdue", date(2024, 11, 12))


def test_a_later_good_inspection_clears_the_concern(borough):
    """Special measures in 2023, graded 2 on 10 Feb 2026 -> no concern now."""
    borough.school(URN).categorise(URN, "2022-09-01", "enhanced")
    borough.inspection(URN, "2023-01-12", overall_grade=4, category_of_concern="special_measures")
    borough.inspection(URN, "2026-02-10", overall_grade=2)
    assert fired(borough, MAY, "ESC_OFSTED_CONCERN") is None


# --------------------------------------------------------------------------------------------------
# ESC_OFF_TRACK


def test_a_priority_off_track_at_its_two_latest_reviews_is_escalated(borough):
    """Attendance off_track on 10 Dec 2025 and 12 Mar 2026 -> overdue since the earlier, 10 Dec 2025."""
    borough.school(URN).categorise(URN, "2025-09-01", "enhanced")
    borough.review(URN, "action_plan", "Attendance", "2025-12-15", "2025-12-10", "off_track")
    borough.review(URN, "action_plan", "Attendance", "2026-03-15", "2026-03-12", "off_track")
    assert fired(borough, MAY, "ESC_OFF_TRACK") == ("overdue", date(2025, 12, 10))


def test_a_priority_back_on_track_at_its_latest_review_is_not_escalated(borough):
    """off_track, off_track, then on_track at the latest review: the two latest are off and on -> no flag."""
    borough.school(URN).categorise(URN, "2025-09-01", "enhanced")
    borough.review(URN, "action_plan", "Attendance", "2025-10-15", "2025-10-10", "off_track")
    borough.review(URN, "action_plan", "Attendance", "2025-12-15", "2025-12-10", "off_track")
    borough.review(URN, "action_plan", "Attendance", "2026-03-15", "2026-03-12", "on_track")
    assert fired(borough, MAY, "ESC_OFF_TRACK") is None


def test_the_two_latest_reviews_are_those_recorded_by_as_of(borough):
    """The same three reviews as at 1 Mar 2026.

    The on_track review of 12 Mar is not yet recorded, so the two latest are 10 Dec and 10 Oct 2025, both off
    track -> overdue since 10 Oct 2025.
    """
    borough.school(URN).categorise(URN, "2025-09-01", "enhanced")
    borough.review(URN, "action_plan", "Attendance", "2025-10-15", "2025-10-10", "off_track")
    borough.review(URN, "action_plan", "Attendance", "2025-12-15", "2025-12-10", "off_track")
    borough.review(URN, "action_plan", "Attendance", "2026-03-15", "2026-03-12", "on_track")
    assert fired(borough, date(2026, 3, 1), "ESC_OFF_TRACK") == ("overdue", date(2025, 10, 10))


def test_one_off_track_review_is_not_enough(borough):
    """A single off_track review.

    And two different priorities (or the same wording in two plans) each off track once: a priority is (urn,
    plan, priority), none has two off-track reviews -> no flag.
    """
    borough.school(URN).categorise(URN, "2025-09-01", "enhanced")
    borough.review(URN, "action_plan", "Attendance", "2026-03-15", "2026-03-12", "off_track")
    borough.review(URN, "action_plan", "Reading", "2025-12-15", "2025-12-10", "off_track")
    borough.review(URN, "tag_plan", "Attendance", "2025-12-15", "2025-12-10", "off_track")
    assert fired(borough, MAY, "ESC_OFF_TRACK") is None


def test_several_off_track_priorities_make_one_flag_since_the_earliest(borough):
    """Reading off track 10 Oct 2025 and 12 Mar 2026.

    Maths 10 Dec 2025 and 12 Mar 2026 -> one flag, since the earliest of the grounds, 10 Oct 2025.
    """
    borough.school(URN).categorise(URN, "2025-09-01", "intensive_a")
    borough.review(URN, "single_action_plan", "Reading", "2025-10-15", "2025-10-10", "off_track")
    borough.review(URN, "single_action_plan", "Reading", "2026-03-15", "2026-03-12", "off_track")
    borough.review(URN, "single_action_plan", "Maths", "2025-12-15", "2025-12-10", "off_track")
    borough.review(URN, "single_action_plan", "Maths", "2026-03-15", "2026-03-12", "off_track")
    assert fired(borough, MAY, "ESC_OFF_TRACK") == ("overdue", date(2025, 10, 10))


# --------------------------------------------------------------------------------------------------
# ESC_RISK


def test_a_core_school_rated_high_risk_in_its_latest_assessment_is_due_for_escalation(borough):
    """Latest term_start <= 18 May 2026 is 1 Apr 2026.

    Safeguarding is high; level core -> due since 1 Apr 2026.
    """
    borough.school(URN).categorise(URN, "2024-09-01", "core")
    borough.risk(URN, "2026-01-01", "finance", "low")
    borough.risk(URN, "2026-04-01", "finance", "low").risk(URN, "2026-04-01", "safeguarding", "high")
    assert fired(borough, MAY, "ESC_RISK") == ("due", date(2026, 4, 1))


def test_only_the_latest_risk_assessment_counts(borough):
    """Finance high on 1 Jan 2026, low on 1 Apr 2026: the latest (1 Apr) has no high area -> no flag."""
    borough.school(URN).categorise(URN, "2024-09-01", "focused")
    borough.risk(URN, "2026-01-01", "finance", "high").risk(URN, "2026-04-01", "finance", "low")
    assert fired(borough, MAY, "ESC_RISK") is None


def test_a_risk_assessment_for_a_term_after_as_of_is_not_read(borough):
    """Low on 1 Apr 2026, high for the term starting 1 Sep 2026.

    On 18 May 2026 the latest term_start <= as_of is 1 Apr -> no flag.
    """
    borough.school(URN).categorise(URN, "2024-09-01", "core")
    borough.risk(URN, "2026-04-01", "finance", "low").risk(URN, "2026-09-01", "finance", "high")
    assert fired(borough, MAY, "ESC_RISK") is None


def test_high_risk_escalates_only_core_and_focused_schools(borough):
    """Focused -> due since 1 Apr 2026; enhanced (already above) -> no flag."""
    borough.school(URN).categorise(URN, "2024-09-01", "focused").risk(URN, "2026-04-01", "hr", "high")
    borough.school(OTHER).categorise(OTHER, "2024-09-01", "enhanced").risk(OTHER, "2026-04-01", "hr", "high")
    assert fired(borough, MAY, "ESC_RISK") == ("due", date(2026, 4, 1))
    assert fired(borough, MAY, "ESC_RISK", urn=OTHER) is None


@pytest.mark.parametrize(
    ("role", "shown"), [("director", True), ("adviser", True), ("head", False), ("governor", False)]
)
def test_esc_risk_is_council_only(borough, role, shown):
    """SPEC §2: risk assessments are for the authority's staff; a head or governor never gets ESC_RISK."""
    borough.school(URN).categorise(URN, "2024-09-01", "core").risk(URN, "2026-04-01", "finance", "high")
    viewer = Viewer(role, role, None if role == "director" else frozenset({URN}))
    assert (fired(borough, MAY, "ESC_RISK", viewer=viewer) is not None) is shown


# --------------------------------------------------------------------------------------------------
# REVIEW_OVERDUE


def test_a_review_is_overdue_the_day_after_its_grace_period_ends(borough):
    """Due 1 May 2026, not reviewed; 1 May + 14 = 15 May.

    On 15 May that is not < as_of -> no flag; on 16 May -> overdue since 1 May 2026.
    """
    borough.school(URN).categorise(URN, "2025-09-01", "enhanced")
    borough.review(URN, "action_plan", "Reading", "2026-05-01")
    assert fired(borough, date(2026, 5, 15), "REVIEW_OVERDUE") is None
    assert fired(borough, date(2026, 5, 16), "REVIEW_OVERDUE") == ("overdue", date(2026, 5, 1))


def test_several_overdue_reviews_make_one_flag_since_the_earliest(borough):
    """Due 1 Mar and 1 Apr 2026 unreviewed (1 Feb reviewed): one flag, since 1 Mar 2026."""
    borough.school(URN).categorise(URN, "2025-09-01", "enhanced")
    borough.review(URN, "action_plan", "Reading", "2026-02-01", "2026-02-03", "on_track")
    borough.review(URN, "action_plan", "Reading", "2026-04-01").review(
        URN, "action_plan", "Maths", "2026-03-01"
    )
    assert fired(borough, MAY, "REVIEW_OVERDUE") == ("overdue", date(2026, 3, 1))


def test_a_review_recorded_after_as_of_was_not_yet_reviewed_on_as_of(borough):
    """Due 1 May, reviewed 20 May 2026.

    As at 16 May it was not reviewed -> overdue since 1 May; as at 20 May it is reviewed -> no flag.
    (Deliberate reading: reviews are judged as at as_of.)
    """
    borough.school(URN).categorise(URN, "2025-09-01", "enhanced")
    borough.review(URN, "action_plan", "Reading", "2026-05-01", "2026-05-20", "on_track")
    assert fired(borough, date(2026, 5, 16), "REVIEW_OVERDUE") == ("overdue", date(2026, 5, 1))
    assert fired(borough, date(2026, 5, 20), "REVIEW_OVERDUE") is None


# --------------------------------------------------------------------------------------------------
# PLAN_MISSING


def test_a_plan_is_missing_the_day_after_the_plan_grace_ends(borough):
    """Enhanced from 1 Jan 2026, no plan reviews; 1 Jan + 30 = 31 Jan.

    On 31 Jan not < as_of -> no flag; on 1 Feb 2026 -> overdue since 31 Jan 2026.
    """
    borough.school(URN).categorise(URN, "2026-01-01", "enhanced")
    assert fired(borough, date(2026, 1, 31), "PLAN_MISSING") is None
    assert fired(borough, date(2026, 2, 1), "PLAN_MISSING") == ("overdue", date(2026, 1, 31))


def test_an_intensive_school_needs_a_single_action_plan(borough):
    """An action plan does not satisfy an intensive level; a single action plan does.

    Intensive A from 1 Jan 2026 with only an action_plan due 15 Mar 2026 -> still overdue since 31 Jan 2026;
    another with a single_action_plan due 15 Mar 2026 -> no flag.
    """
    borough.school(URN).categorise(URN, "2026-01-01", "intensive_a")
    borough.review(URN, "action_plan", "Reading", "2026-03-15", "2026-03-12", "on_track")
    borough.school(OTHER).categorise(OTHER, "2026-01-01", "intensive_a")
    borough.review(OTHER, "single_action_plan", "Reading", "2026-03-15", "2026-03-12", "on_track")
    assert fired(borough, MAY, "PLAN_MISSING") == ("overdue", date(2026, 1, 31))
    assert fired(borough, MAY, "PLAN_MISSING", urn=OTHER) is None


def test_a_plan_from_before_the_current_level_does_not_count(borough):
    """Focused from 1 Jan 2026.

    Its only tag_plan review was due 15 Dec 2025 (< effective_from) -> overdue since 31 Jan 2026. A review due
    on the effective date itself (>=) does count.
    """
    borough.school(URN).categorise(URN, "2025-09-01", "enhanced").categorise(URN, "2026-01-01", "focused")
    borough.review(URN, "tag_plan", "Governance", "2025-12-15", "2025-12-10", "on_track")
    borough.school(OTHER).categorise(OTHER, "2026-01-01", "focused")
    borough.review(OTHER, "tag_plan", "Governance", "2026-01-01")
    assert fired(borough, MAY, "PLAN_MISSING") == ("overdue", date(2026, 1, 31))
    assert fired(borough, MAY, "PLAN_MISSING", urn=OTHER) is None


def test_a_core_school_needs_no_plan(borough):
    """PLAN_MISSING is for levels above core."""
    borough.school(URN).categorise(URN, "2024-09-01", "core")
    assert fired(borough, MAY, "PLAN_MISSING") is None


# --------------------------------------------------------------------------------------------------
# LA_REVIEW_MISSING


def test_an_intensive_school_without_a_one_day_review_last_term_is_overdue(borough):
    """Intensive A since 1 Sep 2025.

    Last ended term on 18 May 2026 is spring 2025/26 (1 Jan-31 Mar 2026); no one_day_review hours in it (7 h
    of lama_support do not count) -> overdue since 31 Mar 2026.
    """
    borough.school(URN).categorise(URN, "2025-09-01", "intensive_a").hours(
        URN, "2026-02-02", "lama_support", 7
    )
    assert fired(borough, MAY, "LA_REVIEW_MISSING") == ("overdue", date(2026, 3, 31))


@pytest.mark.parametrize(
    ("review_on", "flagged"),
    [("2026-01-01", False), ("2026-03-31", False), ("2025-12-31", True), ("2026-04-01", True)],
)
def test_the_one_day_review_must_be_dated_within_the_last_ended_term(borough, review_on, flagged):
    """Spring 2025/26 runs 1 Jan-31 Mar 2026 inclusive.

    A review on either day satisfies it; one on 31 Dec (autumn) or 1 Apr (this term) does not.
    """
    borough.school(URN).categorise(URN, "2025-09-01", "intensive_b").hours(
        URN, review_on, "one_day_review", 7
    )
    expected = ("overdue", date(2026, 3, 31)) if flagged else None
    assert fired(borough, MAY, "LA_REVIEW_MISSING") == expected


def test_the_la_review_follows_the_level_held_on_the_last_day_of_the_last_ended_term(borough):
    """Enhanced until 31 Mar, Intensive B from 1 Apr 2026: enhanced on 31 Mar -> no flag.

    Intensive A until 31 Mar, Enhanced from 1 Apr 2026: intensive on 31 Mar -> overdue since 31 Mar 2026.
    """
    borough.school(URN).categorise(URN, "2025-09-01", "enhanced").categorise(URN, "2026-04-01", "intensive_b")
    borough.school(OTHER).categorise(OTHER, "2025-09-01", "intensive_a").categorise(
        OTHER, "2026-04-01", "enhanced"
    )
    assert fired(borough, MAY, "LA_REVIEW_MISSING") is None
    assert fired(borough, MAY, "LA_REVIEW_MISSING", urn=OTHER) == ("overdue", date(2026, 3, 31))


# --------------------------------------------------------------------------------------------------
# HOURS_SHORTFALL


@pytest.mark.parametrize(
    ("hours", "flagged"),
    [([("2026-01-01", 2.0), ("2026-03-31", 1.5)], False), ([("2026-02-15", 3.4)], True), ([], True)],
)
def test_a_focused_school_is_short_of_hours_below_three_and_a_half_a_term(borough, hours, flagged):
    """Focused: 14 h a year = 14/3 a term; x (1 - 0.25) = 3.5 exactly.

    3.5 h in spring 2025/26 (1 Jan and 31 Mar count) is not < 3.5 -> no flag; 3.4 h or none -> due since 31
    Mar 2026.
    """
    borough.school(URN).categorise(URN, "2025-09-01", "focused")
    for day, h in hours:
        borough.hours(URN, day, "lama_support", h)
    expected = ("due", date(2026, 3, 31)) if flagged else None
    assert fired(borough, MAY, "HOURS_SHORTFALL") == expected


def test_only_lama_support_in_the_last_ended_term_counts(borough):
    """3.5 h of lama_support on 31 Dec 2025 (autumn) and 1 Apr 2026 (summer).

    And 3.5 h of sip_visit in spring: none of it is lama_support in spring 2025/26 -> due since 31 Mar 2026.
    """
    borough.school(URN).categorise(URN, "2025-09-01", "focused")
    borough.hours(URN, "2025-12-31", "lama_support", 3.5).hours(URN, "2026-04-01", "lama_support", 3.5)
    borough.hours(URN, "2026-02-01", "sip_visit", 3.5)
    assert fired(borough, MAY, "HOURS_SHORTFALL") == ("due", date(2026, 3, 31))


def test_hours_are_judged_by_the_level_held_on_the_last_day_of_the_last_ended_term(borough):
    """Focused until 31 Mar, core from 1 Apr 2026: focused on 31 Mar, 0 h < 3.5 -> due.

    Core until 31 Mar, enhanced from 1 Apr: core has no additional hours -> no flag.
    """
    borough.school(URN).categorise(URN, "2025-09-01", "focused").categorise(URN, "2026-04-01", "core")
    borough.school(OTHER).categorise(OTHER, "2025-09-01", "core").categorise(OTHER, "2026-04-01", "enhanced")
    assert fired(borough, MAY, "HOURS_SHORTFALL") == ("due", date(2026, 3, 31))
    assert fired(borough, MAY, "HOURS_SHORTFALL", urn=OTHER) is None


@pytest.mark.parametrize(
    ("level", "hours", "flagged"),
    [
        ("enhanced", 10.5, False),
        ("enhanced", 10.4, True),
        ("intensive_a", 10.5, False),
        ("intensive_b", 10.4, True),
    ],
)
def test_enhanced_and_intensive_schools_are_short_below_ten_and_a_half_hours_a_term(
    borough, level, hours, flagged
):
    """14 h a term x 0.75 = 10.5: 10.5 h is enough, 10.4 h is short -> due since 31 Mar 2026."""
    borough.school(URN).categorise(URN, "2025-09-01", level).hours(URN, "2026-02-10", "lama_support", hours)
    expected = ("due", date(2026, 3, 31)) if flagged else None
    assert fired(borough, MAY, "HOURS_SHORTFALL") == expected


# --------------------------------------------------------------------------------------------------
# HOURS_OVERRUN


@pytest.mark.parametrize(
    ("level", "hours", "flagged"),
    [
        ("enhanced", 17.5, False),  # 14 x 1.25 = 17.5: not more
        ("enhanced", 17.75, True),
        ("focused", 5.8, False),  # 14/3 x 1.25 = 5.83
        ("focused", 5.9, True),
        ("intensive_a", 40.0, False),  # a minimum: no upper limit
        ("intensive_b", 40.0, False),
        ("core", 20.0, False),  # no additional hours at core
    ],
)
def test_hours_overrun_only_past_a_maximum(borough, level, hours, flagged):
    """Focused and enhanced hours are 'up to' (a maximum).

    More than entitlement x 1.25 in spring 2025/26 -> info since 31 Mar 2026. Intensive hours are 'at least',
    core has none: never an overrun.
    """
    borough.school(URN).categorise(URN, "2025-09-01", level)
    borough.hours(URN, "2026-01-12", "lama_support", hours / 2).hours(
        URN, "2026-03-02", "lama_support", hours / 2
    )
    expected = ("info", date(2026, 3, 31)) if flagged else None
    assert fired(borough, MAY, "HOURS_OVERRUN") == expected


# --------------------------------------------------------------------------------------------------
# LETTER_NOT_SENT


def test_a_letter_is_overdue_the_day_after_the_letter_grace_ends(borough):
    """Core -> enhanced from 1 Jan 2026, decided 20 Dec 2025, no letter.

    20 Dec + 14 = 3 Jan 2026: on 3 Jan not < as_of -> no flag; on 4 Jan -> overdue since 3 Jan 2026.
    """
    borough.school(URN).categorise(URN, "2024-09-01", "core")
    borough.categorise(URN, "2026-01-01", "enhanced", decided_on="2025-12-20", letter_sent_on=None)
    assert fired(borough, date(2026, 1, 3), "LETTER_NOT_SENT") is None
    assert fired(borough, date(2026, 1, 4), "LETTER_NOT_SENT") == ("overdue", date(2026, 1, 3))


def test_a_move_down_needs_a_letter_too(borough):
    """Enhanced -> core from 1 Jan 2026 (decided 20 Dec 2025), no letter.

    The level changed -> overdue since 3 Jan 2026.
    """
    borough.school(URN).categorise(URN, "2024-09-01", "enhanced")
    borough.categorise(URN, "2026-01-01", "core", decided_on="2025-12-20", letter_sent_on=None)
    assert fired(borough, MAY, "LETTER_NOT_SENT") == ("overdue", date(2026, 1, 3))


def test_a_recategorisation_at_the_same_level_needs_no_letter(borough):
    """Enhanced again from 1 Jan 2026 with new judgements and no letter: the level did not change."""
    borough.school(URN).categorise(URN, "2025-09-01", "enhanced")
    borough.categorise(URN, "2026-01-01", "enhanced", letter_sent_on=None, outcomes=3)
    assert fired(borough, MAY, "LETTER_NOT_SENT") is None


def test_a_first_categorisation_needs_a_letter_unless_it_is_core(borough):
    """First categorisation core with no letter -> no flag.

    First categorisation focused, decided 12 Aug 2025, no letter -> overdue since 26 Aug 2025.
    """
    borough.school(URN).categorise(URN, "2025-09-01", "core", letter_sent_on=None)
    borough.school(OTHER).categorise(
        OTHER, "2025-09-01", "focused", decided_on="2025-08-12", letter_sent_on=None
    )
    assert fired(borough, MAY, "LETTER_NOT_SENT") is None
    assert fired(borough, MAY, "LETTER_NOT_SENT", urn=OTHER) == ("overdue", date(2025, 8, 26))


def test_a_letter_sent_after_as_of_had_not_been_sent_on_as_of(borough):
    """Decided 20 Dec 2025, letter sent 10 Jan 2026.

    As at 5 Jan it was not sent -> overdue since 3 Jan; as at 10 Jan it was -> no flag. (Deliberate reading:
    letters are judged as at as_of.)
    """
    borough.school(URN).categorise(URN, "2024-09-01", "core")
    borough.categorise(URN, "2026-01-01", "enhanced", decided_on="2025-12-20", letter_sent_on="2026-01-10")
    assert fired(borough, date(2026, 1, 5), "LETTER_NOT_SENT") == ("overdue", date(2026, 1, 3))
    assert fired(borough, date(2026, 1, 10), "LETTER_NOT_SENT") is None


# --------------------------------------------------------------------------------------------------
# SIP_VISITS_BEHIND


def test_a_maintained_school_with_too_few_sip_visits_is_behind(borough):
    """Core primary, 3 visits a year; on 18 May 2026 two terms have ended -> floor(3 x 2 / 3) = 2 required.

    One visit (20 Oct 2025) -> due since 31 Mar 2026; a second (10 Feb 2026) -> no flag.
    """
    borough.school(URN).categorise(URN, "2024-09-01", "core").hours(URN, "2025-10-20", "sip_visit", 3.5)
    borough.school(OTHER).categorise(OTHER, "2024-09-01", "core")
    borough.hours(OTHER, "2025-10-20", "sip_visit", 3.5).hours(OTHER, "2026-02-10", "sip_visit", 3.5)
    assert fired(borough, MAY, "SIP_VISITS_BEHIND") == ("due", date(2026, 3, 31))
    assert fired(borough, MAY, "SIP_VISITS_BEHIND", urn=OTHER) is None


def test_only_visits_of_this_academic_year_up_to_as_of_count(borough):
    """Visits on 31 Aug 2025 (last year) and 20 May 2026 (after as_of) do not count; only 20 Oct 2025 does.

    1 < 2 -> due since 31 Mar 2026.
    """
    borough.school(URN).categorise(URN, "2024-09-01", "core")
    for day in ("2025-08-31", "2025-10-20", "2026-05-20"):
        borough.hours(URN, day, "sip_visit", 3.5)
    assert fired(borough, MAY, "SIP_VISITS_BEHIND") == ("due", date(2026, 3, 31))


def test_no_visits_are_required_before_the_autumn_term_ends(borough):
    """15 Dec 2025: no term of 2025/26 has ended -> floor(3 x 0 / 3) = 0 -> no flag with no visits.

    1 Jan 2026: one term ended -> floor(3 x 1 / 3) = 1 -> due since 31 Dec 2025.
    """
    borough.school(URN).categorise(URN, "2024-09-01", "core")
    assert fired(borough, date(2025, 12, 15), "SIP_VISITS_BEHIND") is None
    assert fired(borough, date(2026, 1, 1), "SIP_VISITS_BEHIND") == ("due", date(2025, 12, 31))


def test_an_academy_never_gets_a_sip_visits_flag(borough):
    """SIP_VISITS_BEHIND is for maintained schools; an academy with no visits -> no flag."""
    borough.school(URN, maintained=False).categorise(URN, "2024-09-01", "core")
    assert fired(borough, MAY, "SIP_VISITS_BEHIND") is None


def test_under_the_2019_policy_primary_core_schools_need_two_visits_a_year(borough):
    """2019: primary core 2 a year, secondary 3.

    On 1 Feb 2026 (one term ended): primary floor(2/3) = 0 -> no flag; secondary floor(3/3) = 1 -> due since
    31 Dec 2025. On 18 May 2026 (two ended): primary floor(4/3) = 1 -> no visits -> due since 31 Mar 2026.
    """
    borough.school(URN, phase="primary").categorise(URN, "2024-09-01", "core")
    borough.school(OTHER, phase="secondary").categorise(OTHER, "2024-09-01", "core")
    policy = load_policy("2019")
    assert fired(borough, date(2026, 2, 1), "SIP_VISITS_BEHIND", policy=policy) is None
    assert fired(borough, date(2026, 2, 1), "SIP_VISITS_BEHIND", urn=OTHER, policy=policy) == (
        "due",
        date(2025, 12, 31),
    )
    assert fired(borough, MAY, "SIP_VISITS_BEHIND", policy=policy) == ("due", date(2026, 3, 31))


# --------------------------------------------------------------------------------------------------
# The rules read the policy in force


def _policy(tmp_path, **replace: str):
    """The shipped 2023 policy with some lines replaced, loaded from a file of its own."""
    text = (SHIPPED_DIR / "2023.toml").read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return load_policy(path)


def test_the_intensive_exit_target_comes_from_the_policy(borough, tmp_path):
    """intensive_exit_terms = 3: run from 1 Sep 2024 (6072).

    1 Apr 2025 (6074) is term 3 -> due since 1 Apr 2025; 1 Sep 2025 (6075) is term 4 > 3 -> overdue since the
    first day of term 4, 1 Sep 2025.
    """
    policy = _policy(tmp_path, **{"intensive_exit_terms = 4": "intensive_exit_terms = 3"})
    borough.school(URN).categorise(URN, "2024-09-01", "intensive_a")
    assert fired(borough, date(2025, 4, 1), "EXIT_INTENSIVE", policy=policy) == ("due", date(2025, 4, 1))
    assert fired(borough, date(2025, 9, 1), "EXIT_INTENSIVE", policy=policy) == ("overdue", date(2025, 9, 1))


def test_the_last_ended_term_follows_the_configured_term_boundaries(borough, tmp_path):
    """A one-day review on 3 Jan 2026.

    By default spring 2025/26 is 1 Jan-31 Mar, so it is in the last ended term on 18 May 2026 -> no flag. With
    spring starting 5 Jan, 3 Jan is still autumn and spring runs 5 Jan- 31 Mar -> no review in it -> overdue
    since 31 Mar 2026.
    """
    late = _policy(tmp_path, **{'spring_starts = "01-01"': 'spring_starts = "01-05"'})
    borough.school(URN).categorise(URN, "2025-09-01", "intensive_a").hours(
        URN, "2026-01-03", "one_day_review", 7
    )
    assert fired(borough, MAY, "LA_REVIEW_MISSING") is None
    assert fired(borough, MAY, "LA_REVIEW_MISSING", policy=late) == ("overdue", date(2026, 3, 31))


# --------------------------------------------------------------------------------------------------
# Scope and the command line


def test_a_viewer_gets_only_the_flags_of_schools_in_scope(borough):
    """Two intensive schools both overdue to exit; an adviser attached to the first sees only its flags."""
    for urn in (URN, OTHER):
        borough.school(urn).categorise(urn, "2024-09-01", "intensive_a")
    directory = borough.write()
    everyone = flags_of(directory, MAY)
    assert {f[0] for f in everyone} == {URN, OTHER}
    mine = flags_of(directory, MAY, viewer=Viewer("lama.a", "adviser", frozenset({URN})))
    assert mine == [f for f in everyone if f[0] == URN]
    assert flags_of(directory, MAY, viewer=Viewer.nobody()) == []


def test_the_json_of_g2g_flags_has_the_contract_keys_in_order_sorted_by_urn_then_rule(borough, capsys):
    """SPEC §6.

    A list of objects with exactly urn, rule, kind, severity, since, policy_ref, message, action; ISO dates;
    sorted by urn then rule. Two neglected intensive schools (see the whole-picture test above).
    """
    for urn in (OTHER, URN):
        borough.school(urn).categorise(urn, "2024-09-01", "intensive_a", letter_sent_on=None)
    code = main(["flags", str(borough.write()), "--as-of", "2026-05-18", "--format", "json"])
    assert code == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(
        list(r) == ["urn", "rule", "kind", "severity", "since", "policy_ref", "message", "action"]
        for r in rows
    )
    assert [(r["urn"], r["rule"]) for r in rows] == sorted((r["urn"], r["rule"]) for r in rows)
    first = rows[0]
    assert first["urn"] == URN and first["rule"] == "EXIT_INTENSIVE"
    assert (first["kind"], first["severity"], first["since"]) == ("exit", "overdue", "2026-01-01")
    assert first["policy_ref"] == "2.9.2; 2.6.2"
    assert first["message"].endswith(".") and first["action"]
    assert all(date.fromisoformat(r["since"]) for r in rows)
    assert len(rows) == 12  # six rules each (see the whole-picture test)

"""Academic years and terms (SPEC §1.2): boundaries, indexes, labels, and the SQL macros that mirror them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from g2g_core.policy import Terms
from g2g_core.store import _connect
from g2g_core.terms import Calendar

DEFAULT = Calendar(Terms())


@pytest.mark.parametrize(
    ("day", "index", "name"),
    [
        (date(2025, 9, 1), 3 * 2025, "autumn"),
        (date(2025, 12, 31), 3 * 2025, "autumn"),
        (date(2026, 1, 1), 3 * 2025 + 1, "spring"),
        (date(2026, 3, 31), 3 * 2025 + 1, "spring"),
        (date(2026, 4, 1), 3 * 2025 + 2, "summer"),
        (date(2026, 8, 31), 3 * 2025 + 2, "summer"),
        (date(2026, 9, 1), 3 * 2026, "autumn"),
    ],
)
def test_each_term_starts_and_ends_on_the_default_boundaries(day, index, name):
    """Autumn 1 Sep-31 Dec of Y, spring 1 Jan-31 Mar and summer 1 Apr-31 Aug of Y+1 have index 3Y + k."""
    term = DEFAULT.term_of(day)
    assert (term.index, term.name) == (index, name)
    assert term.first_day <= day <= term.last_day


def test_31_august_belongs_to_the_summer_term_of_the_academic_year_that_began_the_year_before():
    """31 Aug 2026 is in academic year 2025/26 (Y = 2025), not 2026/27."""
    term = DEFAULT.term_of(date(2026, 8, 31))
    assert term.year == 2025
    assert term.label == "Summer 2025/26"


def test_the_first_and_last_days_of_the_terms_of_2025_26():
    """SPEC §1.2: autumn 1 Sep-31 Dec, spring 1 Jan-31 Mar, summer 1 Apr-31 Aug."""
    autumn, spring, summer = (DEFAULT.term(6075 + k) for k in range(3))
    assert (autumn.first_day, autumn.last_day) == (date(2025, 9, 1), date(2025, 12, 31))
    assert (spring.first_day, spring.last_day) == (date(2026, 1, 1), date(2026, 3, 31))
    assert (summer.first_day, summer.last_day) == (date(2026, 4, 1), date(2026, 8, 31))


def test_the_year_rolls_over_from_summer_to_the_next_autumn():
    """Index 6077 (summer 2025/26) + 1 = 6078 = autumn 2026/27, starting the day after 31 Aug 2026."""
    summer, autumn = DEFAULT.term(6077), DEFAULT.term(6078)
    assert autumn.first_day == summer.last_day + timedelta(days=1) == date(2026, 9, 1)
    assert (autumn.year, autumn.name) == (2026, "autumn")
    assert DEFAULT.year_start(date(2026, 8, 31)) == date(2025, 9, 1)
    assert DEFAULT.year_start(date(2026, 9, 1)) == date(2026, 9, 1)


@pytest.mark.parametrize(
    ("as_of", "last_index", "last_day"),
    [
        (date(2026, 1, 1), 6075, date(2025, 12, 31)),  # a term's first day: the previous term has ended
        (date(2025, 12, 31), 6074, date(2025, 8, 31)),  # the autumn term's last day: autumn has not ended
        (date(2025, 9, 1), 6074, date(2025, 8, 31)),
        (date(2026, 4, 1), 6076, date(2026, 3, 31)),
        (date(2026, 5, 18), 6076, date(2026, 3, 31)),
    ],
)
def test_the_last_ended_term_is_the_latest_whose_last_day_is_before_as_of(as_of, last_index, last_day):
    """SPEC §4: the last ended term is the latest term whose last day is before as_of."""
    last = DEFAULT.last_ended(as_of)
    assert (last.index, last.last_day) == (last_index, last_day)
    assert last.last_day < as_of


@pytest.mark.parametrize(
    ("as_of", "ended"),
    [
        (date(2025, 9, 1), 0),
        (date(2025, 12, 31), 0),
        (date(2026, 1, 1), 1),
        (date(2026, 3, 31), 1),
        (date(2026, 4, 1), 2),
        (date(2026, 8, 31), 2),
        (date(2026, 9, 1), 0),
    ],
)
def test_terms_ended_this_year_counts_the_terms_of_the_academic_year_already_over(as_of, ended):
    """Autumn: none has ended; spring: autumn has; summer: autumn and spring have."""
    assert DEFAULT.terms_ended_this_year(as_of) == ended


def test_terms_are_labelled_with_their_name_and_academic_year():
    """'Autumn 2025/26'; the year after 1999 is written '00'."""
    assert DEFAULT.term(6075).label == "Autumn 2025/26"
    assert DEFAULT.term(6076).label == "Spring 2025/26"
    assert DEFAULT.term(6077).label == "Summer 2025/26"
    assert DEFAULT.term(3 * 1999).label == "Autumn 1999/00"


def test_terms_between_lists_every_term_from_one_date_to_another():
    """15 Oct 2025 (autumn 6075) to 2 Apr 2026 (summer 6077): three terms."""
    terms = DEFAULT.terms_between(date(2025, 10, 15), date(2026, 4, 2))
    assert [t.index for t in terms] == [6075, 6076, 6077]


def test_a_late_spring_start_keeps_early_january_in_the_autumn_term():
    """Spring from 5 Jan: 3 and 4 Jan 2026 are still autumn 2025/26, which ends on 4 Jan; 5 Jan is spring."""
    late = Calendar(Terms(spring_starts="01-05"))
    assert late.index_of(date(2026, 1, 3)) == 6075
    assert late.index_of(date(2026, 1, 4)) == 6075
    assert late.index_of(date(2026, 1, 5)) == 6076
    assert late.term(6075).last_day == date(2026, 1, 4)
    assert late.last_ended(date(2026, 1, 4)).index == 6074
    assert late.last_ended(date(2026, 1, 5)).index == 6075
    assert late.terms_ended_this_year(date(2026, 1, 3)) == 0


def test_other_configured_boundaries_move_every_term():
    """Autumn from 3 Sep, summer from 20 Apr: 2 Sep 2025 is still summer 2024/25; 19 Apr 2026 still spring."""
    cal = Calendar(Terms(autumn_starts="09-03", spring_starts="01-06", summer_starts="04-20"))
    assert cal.index_of(date(2025, 9, 2)) == 6074
    assert cal.index_of(date(2025, 9, 3)) == 6075
    assert cal.index_of(date(2026, 4, 19)) == 6076
    assert cal.index_of(date(2026, 4, 20)) == 6077
    assert cal.term(6077).last_day == date(2026, 9, 2)


@pytest.mark.parametrize(
    "terms",
    [
        Terms(),
        Terms(spring_starts="01-05"),
        Terms(autumn_starts="09-03", spring_starts="01-06", summer_starts="04-20"),
    ],
    ids=["default", "late-spring", "all-moved"],
)
def test_the_sql_term_macros_agree_with_the_calendar_on_every_day(terms):
    """g2g_term_index / g2g_term_first / g2g_term_last equal Calendar for every day of 2019-2028."""
    cal = Calendar(terms)
    con = _connect()
    try:
        rows = con.sql(
            "WITH days AS (SELECT CAST(x AS DATE) AS d "
            "FROM generate_series(DATE '2019-01-01', DATE '2028-12-31', INTERVAL 1 DAY) t(x)) "
            "SELECT d, g2g_term_index(d, $aut, $spr, $sm) AS i, "
            "g2g_term_first(g2g_term_index(d, $aut, $spr, $sm), $aut, $spr, $sm) AS first, "
            "g2g_term_last(g2g_term_index(d, $aut, $spr, $sm), $aut, $spr, $sm) AS last FROM days ORDER BY d",
            params={"aut": terms.autumn_md, "spr": terms.spring_md, "sm": terms.summer_md},
        ).fetchall()
    finally:
        con.close()
    assert len(rows) == (date(2028, 12, 31) - date(2019, 1, 1)).days + 1
    wrong = [
        (day, i, first, last)
        for day, i, first, last in rows
        if (i, first, last) != (cal.index_of(day), cal.term_of(day).first_day, cal.term_of(day).last_day)
    ]
    assert wrong == []

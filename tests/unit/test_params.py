"""The query-parameter parser: any text a browser can send is answered, never an exception (issue 19 item 2).

The URN table replaces the page runs the security suite made for each edited `?urn=` (one page run per role
is left in tests/security/test_attack_scope.py).
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from g2g_core.access import parse_urn
from g2g_core.params import AS_OF_MAX, AS_OF_MIN, parse_as_of, parse_choices, parse_name

URN_TABLE = {
    "900005": 900005,
    "1": 1,
    "123456789": 123456789,
    "": None,
    "0": None,
    "000000000": None,
    "nine": None,
    "-900005": None,
    "+900005": None,
    "9" * 10: None,
    "9" * 40: None,
    "900005 OR 1=1": None,
    " 900001 ": None,
    "900001\n": None,
    "9_000_05": None,
    "９００００１": None,  # full-width digits
    "¹": None,  # superscript one: str.isdigit() is true, int() raises
    "²": None,
    "①": None,
    "٩٠٠٠٠٥": None,  # Arabic-Indic digits: int() would accept them
    "900005.0": None,
    "0x1F": None,
    "1e5": None,
}


@pytest.mark.parametrize(("text", "urn"), list(URN_TABLE.items()), ids=[repr(k) for k in URN_TABLE])
def test_a_urn_is_one_to_nine_ascii_digits_above_zero_and_nothing_else(text, urn):
    assert parse_urn(text) == urn


@pytest.mark.parametrize("value", [None, 900005, ["900005"], b"900005"])
def test_a_urn_that_is_not_text_is_none(value):
    assert parse_urn(value) is None


@given(st.text())
def test_parse_urn_never_raises_and_returns_only_a_positive_urn_of_nine_digits_at_most(text):
    urn = parse_urn(text)
    assert urn is None or (0 < urn < 10**9 and str(urn) == text.lstrip("0"))


@given(st.integers(min_value=1, max_value=10**9 - 1))
def test_every_urn_written_out_reads_back(urn):
    assert parse_urn(str(urn)) == urn


@given(st.text())
def test_parse_as_of_never_raises_and_stays_in_the_pickers_range(text):
    parsed = parse_as_of(text)
    assert parsed.day is None or AS_OF_MIN <= parsed.day <= AS_OF_MAX
    assert parsed.note is None or parsed.day is not None


@given(st.dates())
def test_every_date_reads_back_or_is_clamped_with_a_sentence(day):
    parsed = parse_as_of(day.isoformat())
    if AS_OF_MIN <= day <= AS_OF_MAX:
        assert parsed.day == day and parsed.note is None
    else:
        assert parsed.day == (AS_OF_MIN if day < AS_OF_MIN else AS_OF_MAX)
        assert parsed.note and "is shown instead" in parsed.note


@pytest.mark.parametrize(
    ("text", "day", "words"),
    [
        ("1999-12-31", AS_OF_MIN, "31 December 1999"),
        ("0001-01-01", AS_OF_MIN, "1 January 1"),
        ("2101-01-01", AS_OF_MAX, "1 January 2101"),
    ],
)
def test_a_date_outside_the_range_says_which_date_was_asked_and_which_is_shown(text, day, words):
    parsed = parse_as_of(text)
    assert parsed.day == day
    assert words in parsed.note and f"{day.day} {day:%B %Y}" in parsed.note


@pytest.mark.parametrize(
    "text", [None, "", "2026-02-30", "2026-5-18", "18/05/2026", "２０２６-０５-１８", "2026-W01"]
)
def test_a_text_that_is_not_a_yyyy_mm_dd_date_is_no_date(text):
    assert parse_as_of(text).day is None


def test_a_date_in_the_range_is_that_date():
    assert parse_as_of("2026-05-18").day == date(2026, 5, 18)


@given(st.lists(st.text()), st.lists(st.text()))
def test_parse_choices_never_raises_and_keeps_only_allowed_values_once(values, allowed):
    chosen = parse_choices(values, allowed)
    assert set(chosen) <= set(allowed) and len(chosen) == len(set(chosen))


def test_choices_come_repeated_or_comma_separated():
    assert parse_choices(
        ["primary,secondary", "special", "nursery", "primary"], ["primary", "secondary", "special"]
    ) == [
        "primary",
        "secondary",
        "special",
    ]


@given(st.text())
def test_parse_name_never_raises_and_returns_printable_text(text):
    name = parse_name(text)
    assert name is None or (name.isprintable() and name == name.strip() and 0 < len(name) <= 200)

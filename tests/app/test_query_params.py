"""Query parameters typed into the address never crash a page (issue 19 item 2).

`?urn=¹` (`str.isdigit()` is true, `int()` raises) and an `?as_of=` outside the date picker's range showed an
exception box. The parser itself is proved on arbitrary text in tests/unit/test_params.py; here one page run
per value shows the pages use it.
"""

from __future__ import annotations

from datetime import date

import pytest
from support.pages import open_address

AS_OF_MIN, AS_OF_MAX = date(2000, 1, 1), date(2100, 12, 31)  # the date picker's range
NOT_AVAILABLE = "This school is not available to you"


@pytest.mark.parametrize("raw", ["¹", "①", "²", "９００００５"])
@pytest.mark.parametrize("role", ["director", "head"])
def test_a_urn_of_digits_that_are_not_ascii_shows_not_available_not_an_exception(as_role, role, raw):
    at = as_role(role)
    at.query_params["urn"] = raw
    open_address(at, "school")
    assert not at.exception, at.exception
    assert any(w.value.startswith(NOT_AVAILABLE) for w in at.warning)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [("1999-12-31", AS_OF_MIN), ("0001-01-01", AS_OF_MIN), ("2101-01-01", AS_OF_MAX)],
)
def test_an_as_of_date_outside_the_range_is_clamped_with_a_sentence(as_role, raw, shown):
    at = as_role("director")
    at.query_params["as_of"] = raw
    open_address(at, "overview")
    assert not at.exception, at.exception
    assert at.sidebar.date_input[0].value == shown
    assert any("is shown instead" in i.value for i in at.info), [i.value for i in at.info]

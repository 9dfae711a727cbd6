"""Academic years and terms from the configured boundaries (SPEC §1.2).

Academic year Y runs from the autumn start in Y to the day before the next autumn start and is labelled
"Y/Y+1". Its terms have index 3*Y + k (k = 0 autumn, 1 spring, 2 summer), so terms can be counted and
compared. The same arithmetic exists as SQL macros (`g2g_core.store`), and a test keeps the two equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from g2g_core.policy import Terms

TERM_NAMES = ("autumn", "spring", "summer")


@dataclass(frozen=True)
class Term:
    """One term of one academic year."""

    index: int
    first_day: date
    last_day: date

    @property
    def year(self) -> int:
        """The academic year's starting calendar year."""
        return self.index // 3

    @property
    def name(self) -> str:
        """autumn, spring or summer."""
        return TERM_NAMES[self.index % 3]

    @property
    def year_label(self) -> str:
        """The academic year as '2025/26'."""
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    @property
    def label(self) -> str:
        """A label a reader understands: 'Autumn 2025/26'."""
        return f"{self.name.capitalize()} {self.year_label}"


class Calendar:
    """Terms computed from a policy's term boundaries."""

    def __init__(self, terms: Terms) -> None:
        self._starts = ((terms.autumn_md, 0), (terms.spring_md, 1), (terms.summer_md, 2))
        self._aut, self._spr, self._sum = terms.autumn_md, terms.spring_md, terms.summer_md

    def index_of(self, day: date) -> int:
        """The index of the term that contains a date."""
        md = day.month * 100 + day.day
        if md >= self._aut:
            return 3 * day.year
        if md >= self._sum:
            return 3 * (day.year - 1) + 2
        if md >= self._spr:
            return 3 * (day.year - 1) + 1
        return 3 * (day.year - 1)  # early January before a late spring start: still autumn

    def first_day(self, index: int) -> date:
        """The first day of the term with this index."""
        year, k = divmod(index, 3)
        md = (self._aut, self._spr, self._sum)[k]
        return date(year if k == 0 else year + 1, md // 100, md % 100)

    def last_day(self, index: int) -> date:
        """The last day of the term with this index."""
        return self.first_day(index + 1) - timedelta(days=1)

    def term(self, index: int) -> Term:
        """The term with this index."""
        return Term(index, self.first_day(index), self.last_day(index))

    def term_of(self, day: date) -> Term:
        """The term that contains a date."""
        return self.term(self.index_of(day))

    def last_ended(self, as_of: date) -> Term:
        """The latest term whose last day is before as_of."""
        return self.term(self.index_of(as_of) - 1)

    def year_start(self, day: date) -> date:
        """The first day of the academic year that contains a date."""
        return self.first_day(3 * (self.index_of(day) // 3))

    def terms_ended_this_year(self, as_of: date) -> int:
        """How many terms of as_of's academic year have ended before as_of."""
        return self.index_of(as_of) % 3

    def terms_between(self, first: date, last: date) -> list[Term]:
        """Every term from the one containing `first` to the one containing `last`."""
        return [self.term(i) for i in range(self.index_of(first), self.index_of(last) + 1)]

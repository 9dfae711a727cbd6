"""The generator: the state every table is built in, block by block (background schools and scenarios)."""

from __future__ import annotations

import random
from datetime import date

from g2g_core.demo.history import _History
from g2g_core.demo.model import BLOCK, FIRST_URN, Columns, School, ymd
from g2g_core.demo.rows import _Rows
from g2g_core.demo.scenarios import SCENARIO_AT, Scenario
from g2g_core.policy import load_policy
from g2g_core.terms import Calendar


class Generator(_History, _Rows):
    """Builds every table block by block: first each school's story, then the rows it implies."""

    def __init__(self, seed: int, years: int, as_of: date) -> None:
        self.rng = random.Random(seed)
        self.r = self.rng.random
        self.years = years
        self.as_of = as_of.toordinal()
        self.cal = Calendar(load_policy("2023").terms)
        self.cur = self.cal.index_of(as_of)
        self.last = self.cur - 1
        self.yc = self.cur // 3  # the current academic year's first calendar year
        self.y0 = self.yc - years + 1
        self.first = 3 * self.y0
        self.terms = []  # (index, first day, last day, window start, window end, review due)
        for t in range(self.first, self.cur + 1):
            y, k = divmod(t, 3)
            first, last = self.cal.first_day(t).toordinal(), self.cal.last_day(t).toordinal()
            ws, we, due = (
                (ymd(y, 9, 3), ymd(y, 12, 17), ymd(y, 12, 15)),
                (ymd(y + 1, 1, 6), ymd(y + 1, 3, 27), ymd(y + 1, 3, 20)),
                (ymd(y + 1, 4, 14), ymd(y + 1, 7, 18), ymd(y + 1, 7, 15)),
            )[k]
            self.terms.append((t, first, last, ws, we, due))
        self.schools = Columns("schools")
        self.cats = Columns("categorisations")
        self.hours = Columns("hours")
        self.reviews = Columns("plan_reviews")
        self.insps = Columns("ofsted_inspections")
        self.areas = Columns("ofsted_areas")
        self.risks = Columns("risk_assessments")
        self.warnings = Columns("warnings")
        self.names_used: dict[str, int] = {}

    def scenario(self, scenario: Scenario, urn: int) -> School:
        """A scenario school: its own story (one function of `scenarios`), then the steps every school takes."""
        story = scenario.build(self, urn)
        s = story.school
        s.background = False
        self.finish_cats(s)
        s.insps = story.insps
        self.auto_ofsted(s, story.ri_p, story.ri_int_p, recent=False)
        return s

    def block(self, start: int, n: int) -> None:
        """The schools of one block of 70 (scenario slots and background), their advisers, then their rows."""
        schools = []
        for slot in range(n):
            urn = FIRST_URN + start + slot
            scenario = SCENARIO_AT.get(slot)
            schools.append(self.background(urn) if scenario is None else self.scenario(scenario, urn))
        self.assign_advisers(start // BLOCK, schools)
        for s in schools:
            self.emit(s)

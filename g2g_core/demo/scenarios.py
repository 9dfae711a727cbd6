"""The scenario schools of every block: one small function per school, registered once with what it shows.

Each function lays out one school so that one rule of SPEC §4 fires for it at the recorded as_of (or, for the
edge cases, so that nothing fires). `@scenario(slot, shows, rule)` declares the school's slot in a block of
70, the sentence describing it and the rule expected to fire; `SCENARIOS` lists them in that order. The
function returns a `Story`: the school, the inspections it adds, and the chances that the generated Ofsted
history holds a "requires improvement" outcome before an escalation (see `history.History.auto_ofsted`).
Every function draws from the generator's one random stream in a fixed order, so the borough stays
byte-identical for a seed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from g2g_core.demo.model import CORE_AREAS, Cat, Insp, School, ymd
from g2g_core.demo.words import REASONS, WARNING_GROUNDS

if TYPE_CHECKING:
    from g2g_core.demo.generator import Generator


@dataclass
class Story:
    """What a scenario function lays out: the school, its own inspections, and the Ofsted chances."""

    school: School
    insps: list[Insp] = field(default_factory=list)
    ri_p: float = 0.0
    ri_int_p: float = 0.0


@dataclass(frozen=True)
class Scenario:
    """One scenario school of a block: its slot, what it shows, the rule expected to fire, how it is built."""

    slot: int
    shows: str
    rule: str | None
    build: Callable[[Generator, int], Story]


TABLE: list[Scenario] = []


def scenario(slot: int, shows: str, rule: str | None) -> Callable:
    """Register the decorated function as the scenario school of `slot`."""

    def register(build: Callable[[Generator, int], Story]) -> Callable[[Generator, int], Story]:
        TABLE.append(Scenario(slot, shows, rule, build))
        return build

    return register


@scenario(
    1, "intensive A since 1 Sep two years ago: term 6 of the run, target exit date passed", "EXIT_INTENSIVE"
)
def _intensive_run_overdue(g: Generator, urn: int) -> Story:
    s = g.new_school(urn, "primary", True)
    s.cats = g.year_rows(["core", "enhanced", "intensive_a", "intensive_a"])
    s.warnings.append((ymd(g.yc, 6, 9), "pre_formal", WARNING_GROUNDS[0], ymd(g.yc, 12, 12)))
    return Story(s, ri_p=1.0)


@scenario(
    4, "intensive A from 1 Sep two years ago, intensive B from April: one run, overdue", "EXIT_INTENSIVE"
)
def _intensive_a_then_b(g: Generator, urn: int) -> Story:
    s = g.new_school(urn, "secondary", True)
    s.cats = g.year_rows(["core", "focused", "intensive_a", "intensive_b"], tas_runs=False)
    target = ymd(g.yc + 1, 7, 31)
    s.cats[-1].target = target
    s.cats.append(
        Cat(
            ymd(g.yc, 4, 20),
            "intensive_b",
            target=target,
            reason="Ofsted judged the school inadequate and placed it in a category of concern.",
        )
    )
    s.warnings.append((ymd(g.yc, 5, 19), "formal", WARNING_GROUNDS[1], None))
    return Story(s, ri_int_p=1.0)


@scenario(7, "intensive since 22 April last year: term 4 of the run", "EXIT_INTENSIVE")
def _intensive_term_four(g: Generator, urn: int) -> Story:
    s = g.new_school(urn, "primary", True)
    s.cats = g.year_rows(["core", "enhanced", "intensive_a"])
    s.cats.append(Cat(ymd(g.yc, 4, 22), "intensive_a"))
    return Story(s, ri_int_p=1.0)


@scenario(10, "intensive since 1 Sep with a target exit date already passed", "EXIT_INTENSIVE")
def _intensive_target_passed(g: Generator, urn: int) -> Story:
    s = g.new_school(urn, "primary", True)
    s.cats = g.year_rows(["core", "enhanced", "intensive_a"])
    s.cats[-1].target = g.as_of - 18
    s.cats[
        -1
    ].reason = "Leadership capacity not yet shown; a short intensive spell, with exit planned for April."
    return Story(s)


@scenario(13, "enhanced, every review in the two latest terms on track or achieved", "EXIT_READY")
def _ready_for_less(g: Generator, urn: int) -> Story:
    s = g.new_school(urn, "secondary", True)
    s.cats = g.year_rows(["core", "enhanced", "enhanced"])
    s.ready = True
    return Story(s)


@scenario(16, "core, EIF graded inspection grade 3 in March", "ESC_OFSTED_RI")
def _core_graded_three(g: Generator, urn: int) -> Story:
    s = g.new_school(urn, "primary", True)
    s.cats = g.year_rows(["core"])
    return Story(s, [Insp(ymd(g.yc, 10, 8), "eif_2019", "graded", 3, "none", True)])


@scenario(19, "focused, renewed report card with an area needing attention", "ESC_OFSTED_RI")
def _focused_needs_attention(g: Generator, urn: int) -> Story:
    s = g.new_school(urn, "primary", True)
    s.cats = g.year_rows(["core", "focused"], tas_runs=False)
    areas = [(ar, "expected_standard" if n % 2 else "strong_standard") for n, ar in enumerate(CORE_AREAS)]
    areas[3] = ("attendance_and_behaviour", "needs_attention")
    areas.append(("early_years", "expected_standard"))
    return Story(
        s, [Insp(ymd(g.yc + 1, 1, 21), "renewed_2025", "report_card", None, "none", True, tuple(areas))]
    )


@scenario(22, "enhanced, renewed report card: requires significant improvement", "ESC_OFSTED_CONCERN")
def _enhanced_in_concern(g: Generator, urn: int) -> Story:
    s = g.new_school(urn, "secondary", False)
    s.post_16 = True
    s.cats = g.year_rows(["core", "enhanced", "enhanced"])
    grades = (
        "needs_attention",
        "needs_attention",
        "urgent_improvement",
        "needs_attention",
        "expected_standard",
    )
    areas = tuple(zip(CORE_AREAS, grades + ("urgent_improvement",), strict=True)) + (
        ("post_16", "expected_standard"),
    )
    card = Insp(
        ymd(g.yc + 1, 2, 11),
        "renewed_2025",
        "report_card",
        None,
        "requires_significant_improvement",
        True,
        areas,
    )
    return Story(s, [card])


@scenario(
    25,
    "intensive A, one priority off track at the two latest reviews, pre-formal notice open",
    "ESC_OFF_TRACK",
)
def _off_track_twice(g: Generator, urn: int) -> Story:
    s = g.new_school(urn, "primary", True)
    s.cats = g.year_rows(["core", "enhanced", "intensive_a"])
    s.off_track = True
    s.warnings.append((ymd(g.yc + 1, 4, 15), "pre_formal", WARNING_GROUNDS[0], None))
    return Story(s)


@scenario(28, "focused (team around the school), finance rated high this term", "ESC_RISK")
def _high_risk(g: Generator, urn: int) -> Story:
    s = g.new_school(urn, "primary", True)
    s.cats = g.year_rows(["core", "focused"])
    s.cats[-1].tas = True
    s.cats[-1].reason = REASONS[("focused", "tas")][0]
    s.risk_high = ((g.cur, "finance"),)
    return Story(s)


@scenario(31, "enhanced, the spring review of one priority never recorded", "REVIEW_OVERDUE")
def _review_not_recorded(g: Generator, urn: int) -> Story:
    s = g.new_school(urn, "primary", True)
    s.cats = g.year_rows(["core", "enhanced"])
    s.unreviewed = ((g.last, 1),)
    return Story(s)


@scenario(34, "core to focused from 5 January, no plan recorded", "PLAN_MISSING")
def _no_plan(g: Generator, urn: int) -> Story:
    s = g.new_school(urn, "primary", True)
    s.cats = g.year_rows(["core"])
    s.cats.append(Cat(ymd(g.yc + 1, 1, 5), "focused", decided=ymd(g.yc, 12, 12), letter=ymd(g.yc, 12, 17)))
    s.no_plans = True
    return Story(s)


@scenario(37, "intensive B from January, no one-day LA review in the spring term", "LA_REVIEW_MISSING")
def _no_la_review(g: Generator, urn: int) -> Story:
    s = g.new_school(urn, "primary", True)
    s.cats = g.year_rows(["core", "enhanced"])
    s.cats.append(Cat(ymd(g.yc + 1, 1, 12), "intensive_b"))
    s.no_la_review = (g.last,)
    return Story(s)


@scenario(40, "enhanced, 6 hours of LaMA support in the spring term", "HOURS_SHORTFALL")
def _too_few_hours(g: Generator, urn: int) -> Story:
    s = g.new_school(urn, "primary", True)
    s.cats = g.year_rows(["core", "enhanced", "enhanced"])
    s.lama_hours = {g.last: 6.0}
    return Story(s)


@scenario(43, "focused, 9 hours of LaMA support in the spring term", "HOURS_OVERRUN")
def _too_many_hours(g: Generator, urn: int) -> Story:
    s = g.new_school(urn, "primary", True)
    s.cats = g.year_rows(["core", "focused"], tas_runs=False)
    s.lama_hours = {g.last: 9.0}
    return Story(s)


@scenario(46, "core to enhanced from 20 April, decided 10 April, no letter", "LETTER_NOT_SENT")
def _no_letter(g: Generator, urn: int) -> Story:
    s = g.new_school(urn, "primary", True)
    s.cats = g.year_rows(["core"])
    s.cats.append(Cat(g.as_of - 28, "enhanced", decided=g.as_of - 38, letter=None))
    return Story(s)


@scenario(49, "maintained core school with one SIP visit this year", "SIP_VISITS_BEHIND")
def _sip_visits_behind(g: Generator, urn: int) -> Story:
    s = g.new_school(urn, "primary", True)
    s.cats = g.year_rows(["core"])
    s.no_sip = (g.last, g.cur)
    return Story(s)


@scenario(52, "closed on 31 December with data that would otherwise be flagged", None)
def _closed_at_christmas(g: Generator, urn: int) -> Story:
    s = g.new_school(urn, "primary", True)
    s.closed = ymd(g.yc, 12, 31)
    s.cats = g.year_rows(["core", "enhanced", "intensive_a", "intensive_a"])
    return Story(s, [Insp(ymd(g.yc, 3, 4), "eif_2019", "graded", 4, "serious_weaknesses", True)], ri_p=1.0)


@scenario(55, "core, with intensive A decided for next September", None)
def _intensive_next_year(g: Generator, urn: int) -> Story:
    s = g.new_school(urn, "primary", True)
    s.cats = g.year_rows(["core"])
    s.cats.append(Cat(ymd(g.yc + 1, 9, 1), "intensive_a", decided=g.as_of - 7, letter=None))
    return Story(s)


@scenario(58, "academy (not maintained) with no SIP visits", None)
def _academy_without_sip(g: Generator, urn: int) -> Story:
    s = g.new_school(urn, "primary", False)
    s.buys_sip = False
    s.cats = g.year_rows(["core"])
    return Story(s)


@scenario(61, "closed two summers ago, kept for history", None)
def _closed_long_ago(g: Generator, urn: int) -> Story:
    s = g.new_school(urn, "primary", True)
    s.closed = ymd(g.yc - 1, 8, 31)
    s.cats = g.year_rows(["core", "focused", "core", "core", "core"], tas_runs=False)
    return Story(s)


# (slot in the block, what it shows, the rule expected to fire), in slot order
SCENARIOS: tuple[tuple[int, str, str | None], ...] = tuple((sc.slot, sc.shows, sc.rule) for sc in TABLE)
SCENARIO_AT: dict[int, Scenario] = {sc.slot: sc for sc in TABLE}

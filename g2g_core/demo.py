"""The Wexmoor demo borough: a deterministic, fictional data set that exercises every attention rule.

`write_demo(out)` writes one Parquet file per table of the data contract (SPEC §2) and `dataset.json`,
whose `as_of` the store uses as the default date. Everything is invented: the borough, the schools
(URNs from 900001, a range no English school uses, and names built from made-up syllables), the people
and the advisers. Only `random.Random(seed)` is used, so one seed always gives byte-identical files.

Each block of 70 schools holds the same pattern: 21 *scenario* schools, each laid out so that one rule of
SPEC §4 fires for it at the recorded as_of (or, for the edge cases, so that nothing fires), and 49
*background* schools whose histories (moves between levels, Ofsted outcomes, adviser hours, plan reviews,
risk assessments, warning notices) are random but consistent with the policy, so that they raise no flag.
`SCENARIOS` lists the scenario schools and the rule each one shows. The scenarios are dated relative to
the academic year of as_of and assume as_of falls in a summer term (as 18 May 2026 does), with the shipped
term boundaries (autumn 1 Sep, spring 1 Jan, summer 1 Apr).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from g2g_core.policy import INTENSIVE, load_policy
from g2g_core.schema import TABLES
from g2g_core.terms import Calendar

DATASET_NAME = "Wexmoor demo borough (fictional)"
DEFAULT_AS_OF = date(2026, 5, 18)
BLOCK = 70
FIRST_URN = 900001
EPOCH = date(1970, 1, 1).toordinal()
RENEWED_FROM = date(2025, 11, 10).toordinal()  # the renewed Ofsted framework's first day
COVID_GAP = (date(2020, 3, 17).toordinal(), date(2021, 9, 1).toordinal())  # no routine inspections
INT8_COLUMNS = ("outcomes", "ambition", "leadership", "capacity", "overall_grade")
ARROW_TYPES = {"int": pa.int64(), "float": pa.float64(), "str": pa.string(), "enum": pa.string()}
ARROW_TYPES.update({"bool": pa.bool_(), "date": pa.date32()})

# The scenario schools of every block: (slot in the block, what it shows, the rule expected to fire).
SCENARIOS: tuple[tuple[int, str, str | None], ...] = (
    (
        1,
        "intensive A since 1 Sep two years ago: term 6 of the run, target exit date passed",
        "EXIT_INTENSIVE",
    ),
    (4, "intensive A from 1 Sep two years ago, intensive B from April: one run, overdue", "EXIT_INTENSIVE"),
    (7, "intensive since 22 April last year: term 4 of the run", "EXIT_INTENSIVE"),
    (10, "intensive since 1 Sep with a target exit date already passed", "EXIT_INTENSIVE"),
    (13, "enhanced, every review in the two latest terms on track or achieved", "EXIT_READY"),
    (16, "core, EIF graded inspection grade 3 in March", "ESC_OFSTED_RI"),
    (19, "focused, renewed report card with an area needing attention", "ESC_OFSTED_RI"),
    (22, "enhanced, renewed report card: requires significant improvement", "ESC_OFSTED_CONCERN"),
    (
        25,
        "intensive A, one priority off track at the two latest reviews, pre-formal notice open",
        "ESC_OFF_TRACK",
    ),
    (28, "focused (team around the school), finance rated high this term", "ESC_RISK"),
    (31, "enhanced, the spring review of one priority never recorded", "REVIEW_OVERDUE"),
    (34, "core to focused from 5 January, no plan recorded", "PLAN_MISSING"),
    (37, "intensive B from January, no one-day LA review in the spring term", "LA_REVIEW_MISSING"),
    (40, "enhanced, 6 hours of LaMA support in the spring term", "HOURS_SHORTFALL"),
    (43, "focused, 9 hours of LaMA support in the spring term", "HOURS_OVERRUN"),
    (46, "core to enhanced from 20 April, decided 10 April, no letter", "LETTER_NOT_SENT"),
    (49, "maintained core school with one SIP visit this year", "SIP_VISITS_BEHIND"),
    (52, "closed on 31 December with data that would otherwise be flagged", None),
    (55, "core, with intensive A decided for next September", None),
    (58, "academy (not maintained) with no SIP visits", None),
    (61, "closed two summers ago, kept for history", None),
)
SCENARIO_AT = {slot: k for k, (slot, _, _) in enumerate(SCENARIOS)}

NAMED_ADVISERS = (
    "lama.ashworth",
    "lama.brennan",
    "lama.chowdhury",
    "lama.dimitrova",
    "sip.ellison",
    "sip.farouk",
)
CASELOADS = (15, 8, 12, 11, 12, 10)  # open schools of a full block: 68
LAMAS = 4  # the first four advisers of a block are LaMAs, the other two SIPs

PHASE_WEIGHTS = (
    ("primary", 0.62),
    ("secondary", 0.15),
    ("nursery", 0.05),
    ("special", 0.08),
    ("all_through", 0.03),
    ("alternative_provision", 0.07),
)
MAINTAINED_P = {
    "primary": 0.84,
    "secondary": 0.35,
    "nursery": 1.0,
    "special": 0.75,
    "all_through": 0.5,
    "alternative_provision": 0.7,
}
FINAL_LEVEL = (
    ("core", 0.78),
    ("focused", 0.1),
    ("enhanced", 0.08),
    ("intensive_a", 0.025),
    ("intensive_b", 0.015),
)
PREVIOUS_LEVEL = {  # the level of the year before, given this year's (the walk runs backwards in time)
    "core": (("core", 0.97), ("focused", 0.015), ("enhanced", 0.015)),
    "focused": (("core", 0.55), ("focused", 0.25), ("enhanced", 0.2)),
    "enhanced": (
        ("core", 0.2),
        ("focused", 0.2),
        ("enhanced", 0.35),
        ("intensive_a", 0.17),
        ("intensive_b", 0.08),
    ),
    "intensive_a": (("enhanced", 0.55), ("focused", 0.15), ("core", 0.15), ("intensive_a", 0.15)),
    "intensive_b": (
        ("core", 0.25),
        ("focused", 0.15),
        ("enhanced", 0.35),
        ("intensive_a", 0.15),
        ("intensive_b", 0.1),
    ),
}
RANK = {"core": 0, "focused": 1, "enhanced": 2, "intensive_a": 3, "intensive_b": 4}
PLAN_OF = {
    "focused": "tag_plan",
    "enhanced": "action_plan",
    "intensive_a": "single_action_plan",
    "intensive_b": "single_action_plan",
}
LAMA_HOURS = {
    "focused": (4.0, 5.5),
    "enhanced": (11.0, 15.0),
    "intensive_a": (14.0, 20.0),
    "intensive_b": (14.0, 20.0),
}
STATUS_P = {  # cumulative thresholds for on_track, at_risk, off_track (the rest achieved)
    "focused": (0.55, 0.78, 0.82),
    "enhanced": (0.5, 0.78, 0.85),
    "intensive_a": (0.4, 0.75, 0.88),
    "intensive_b": (0.35, 0.72, 0.88),
}
RISK_P = {  # cumulative thresholds for low, medium (the rest high)
    "core": (0.72, 0.985),
    "focused": (0.55, 0.96),
    "enhanced": (0.4, 0.9),
    "intensive_a": (0.25, 0.8),
    "intensive_b": (0.2, 0.75),
}
BASE_RISK_AREAS = ("standards", "leadership", "governance", "safeguarding", "finance")
EXTRA_RISK_AREAS = ("attendance", "sen", "hr", "premises", "admissions", "parents")
CORE_AREAS = (
    "inclusion",
    "curriculum_and_teaching",
    "achievement",
    "attendance_and_behaviour",
    "personal_development_and_wellbeing",
    "leadership_and_governance",
)

PLACE_FIRST = tuple(
    (
        "Quill Tarn Vesk Brisc Corrin Drav Ellish Fenwy Gorst Hallap Iskel Jorm Kesp Lomp Mirk Nolb "
        "Orrin Plass Qell Ruddle Skarr Thel Umber Vorr Yelv Zarn Brannow Cressil Dunmer Errow Fallick "
        "Grisel Hoskin Lullow Marrow Nettick Oskel Pimber Rask Sellow Tivvy Wendle Yarrow Blen Cathrow "
        "Dimble"
    ).split()
)
PLACE_END = tuple(
    (
        "marsh wick holme stead brook ridge mere gate lowe hythe worth combe garth ley thorpe dale by "
        "ton well moss"
    ).split()
)
PLACE_EXTRA = ("", "", "", "", " Green", " Vale", " Park", " Hill", " Lane", " Fields")
FIRST_NAMES = tuple(
    (
        "Amara Priya Tomasz Yusuf Grace Oluwaseun Hannah Mehmet Siobhan Declan Aisha Rhys Ngozi Fatima "
        "Callum Ewa Rohan Imogen Kwame Leila Bronwen Tariq Maeve Jonah Anjali Colm Zainab Harriet Dev "
        "Ines Gareth Yasmin Piotr Abena Fraser"
    ).split()
)
SURNAME_A = tuple("Ash Brom Carr Dell Fair Hal Kil Lind Mor Pen Rad Shel Tam Wain".split())
SURNAME_B = tuple("combe ley wood ridge by ton more well hurst thwaite sall brook".split())

PRIORITIES = {
    "primary": (
        "Raise attainment in KS2 reading",
        "Raise attainment in KS2 writing",
        "Improve the teaching of phonics in Reception and Year 1",
        "Raise attainment in KS2 mathematics",
        "Increase the proportion of children reaching a good level of development",
    ),
    "secondary": (
        "Improve outcomes in GCSE mathematics",
        "Raise the attainment of disadvantaged pupils at KS4",
        "Improve the quality of teaching in KS3 English",
        "Increase the number of pupils studying a modern foreign language",
        "Improve retention in the sixth form",
    ),
    "nursery": (
        "Develop children's early language and communication",
        "Strengthen the assessment of children's starting points",
        "Work with parents to support early reading at home",
    ),
    "special": (
        "Strengthen the personalised curriculum for pupils with complex needs",
        "Improve the attendance of pupils with EHC plans",
        "Prepare older pupils better for adult life",
    ),
    "alternative_provision": (
        "Return more pupils successfully to mainstream schools",
        "Improve the attendance of pupils on part-time timetables",
        "Raise attainment in English and mathematics",
    ),
    "general": (
        "Improve attendance, especially of disadvantaged pupils",
        "Strengthen governors' challenge on standards",
        "Improve provision for pupils with SEND",
        "Develop subject leadership across the curriculum",
        "Reduce suspensions and improve behaviour at social times",
        "Make the science curriculum well sequenced",
        "Make leaders' self-evaluation sharper and more accurate",
    ),
    "tas": (
        "Set a balanced budget for next year",
        "Resolve HR casework and stabilise staffing",
        "Complete the premises condition works",
        "Strengthen the governing body's skills and membership",
    ),
}
PRIORITIES["all_through"] = PRIORITIES["primary"][:2] + PRIORITIES["secondary"][:3]
REVIEW_NOTES = {
    "on_track": (
        "Evidence from book looks and data supports the judgement.",
        "Leaders' actions are having an effect.",
    ),
    "at_risk": (
        "Progress has slowed; actions to be tightened before the next review.",
        "Staffing changes have delayed the work.",
        "Data show improvement for some groups only.",
    ),
    "off_track": ("No measurable improvement since the last review.", "Actions not carried out as planned."),
    "achieved": ("Target met and sustained.",),
}
HOURS_NOTES = {
    "sip_visit": (
        "Visit focused on the school's self-evaluation.",
        "Learning walk with the headteacher.",
        "Reviewed the pupil premium strategy.",
        "Discussed the latest attainment data.",
    ),
    "lama_support": (
        "Coaching for the deputy headteacher.",
        "Joint lesson visits with subject leaders.",
        "Worked with the SENCo on provision maps.",
        "Support for middle leaders on monitoring.",
        "Checked progress on plan priorities.",
    ),
    "governors_meeting": (
        "Presented the categorisation to the full governing body.",
        "Attended the standards committee.",
    ),
    "brokered_support": (
        "HR casework support brokered from the council's HR service.",
        "Finance officer reviewed the budget forecast.",
        "Premises surveyor visit arranged.",
    ),
    "keeping_in_touch": ("Phone call with the headteacher.", "Termly keeping-in-touch meeting."),
    "other": ("Headteacher recruitment panel.", "Support after a serious incident."),
}
RISK_NOTES = {
    "standards": ("Attainment below the local average in two subjects.", "Sharp fall in results this year."),
    "leadership": (
        "New headteacher in post; capacity still developing.",
        "Senior team depleted by long absence.",
    ),
    "governance": ("Several governor vacancies.", "Governors not yet holding leaders to account."),
    "safeguarding": ("Record keeping needs tightening.", "Concerns raised in a recent audit."),
    "finance": (
        "Budget balanced only by using reserves.",
        "Deficit forecast for next year; recovery plan requested.",
    ),
    "attendance": ("Persistent absence above the national figure.", "Persistent absence rising sharply."),
    "sen": ("Rising number of pupils with EHC plans.", "SEND provision not meeting needs."),
    "hr": ("Two long-term absences.", "Grievance and capability cases open."),
    "premises": ("Roof repairs outstanding.", "Part of the building closed on safety grounds."),
    "admissions": ("Falling rolls in Reception.", "Roll falling fast; viability in question."),
    "parents": ("Some complaints to governors.", "Complaints escalated to the council."),
}
WARNING_GROUNDS = (
    "Standards of performance are unacceptably low and progress on the Single Action Plan is too slow.",
    "Serious weaknesses in leadership and governance put pupils' education at risk.",
    "Safeguarding is not effective and leaders have not acted on the council's advice.",
)
REASONS = {
    ("core", "same"): (
        "Leaders evaluate the school accurately and outcomes remain good.",
        "Good outcomes are sustained; the school is self-improving.",
        "Strong leadership and good outcomes; core support continues.",
    ),
    ("core", "down"): (
        "The plan's priorities have been met and the school can sustain improvement with core support.",
        "Secure leadership and a good inspection outcome; support reduced to core.",
    ),
    ("focused", "any"): (
        "Good overall; targeted help is needed with early reading.",
        "Good overall; targeted help is needed with attendance.",
        "Good overall; targeted help is needed with writing.",
        "Good overall; targeted help is needed with provision for pupils with SEND.",
    ),
    ("focused", "tas"): (
        "Teaching and outcomes are good; support is brokered for the budget and HR.",
        "Teaching and outcomes are good; support is brokered for governance and premises.",
    ),
    ("enhanced", "up"): (
        "Outcomes have dipped; targeted support will speed up improvement.",
        "At risk of a requires improvement judgement; needs at least Enhanced support.",
    ),
    ("enhanced", "same"): ("Improving, but not yet securely good; Enhanced support continues.",),
    ("enhanced", "down"): ("Good progress out of intensive support; a planned exit continues at Enhanced.",),
    ("intensive_a", "any"): (
        "Graded requires improvement before and at high risk of the same; capacity to improve not yet shown.",
        "Significant decline in outcomes and in leadership capacity.",
    ),
    ("intensive_b", "any"): (
        "Ofsted placed the school in a category of concern; intensive support and a Single Action Plan "
        "follow.",
        "Significant council concern that the school is no longer good.",
    ),
}

_AUTO = -1  # a categorisation field still to be filled in


@dataclass
class _Cat:
    eff: int
    level: str
    tas: bool = False
    decided: int = _AUTO
    letter: int | None = _AUTO
    target: int | None = _AUTO
    reason: str | None = None
    by: str = "Categorisation panel"
    judgements: tuple = ()


@dataclass
class _Insp:
    day: int
    framework: str
    kind: str
    grade: int | None
    category: str
    safeguarding: bool | None
    areas: tuple = ()
    main: bool = True  # a graded inspection or report card (monitoring and ungraded visits are not)


@dataclass
class _School:
    urn: int
    name: str
    phase: str
    maintained: bool
    headteacher: str | None
    chair: str | None
    closed: int | None = None
    adviser: str | None = None
    former_adviser: str = ""
    buys_sip: bool = True
    post_16: bool = False
    risk_areas: tuple = BASE_RISK_AREAS
    cats: list = field(default_factory=list)
    insps: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    # what a scenario changes in the generated activity
    lama_hours: dict = field(default_factory=dict)  # term index -> exact LaMA hours
    no_la_review: tuple = ()  # term indexes without the one-day LA review
    no_sip: tuple = ()  # term indexes without a SIP visit
    no_plans: bool = False
    ready: bool = False  # the two latest review terms all on track or achieved
    off_track: bool = False  # the first priority off track at the two latest reviews
    unreviewed: tuple = ()  # (term index, priority number) never reviewed
    risk_high: tuple = ()  # (term index, area) rated high
    background: bool = True


class _Columns:
    """The columns of one table as Python lists, in contract order."""

    def __init__(self, table: str) -> None:
        self.table = next(t for t in TABLES if t.name == table)
        self.cols: list[list] = [[] for _ in self.table.columns]

    def __len__(self) -> int:
        return len(self.cols[0])

    def add(self, *values) -> None:
        for col, value in zip(self.cols, values, strict=True):
            col.append(value)

    def arrow(self) -> pa.Table:
        arrays, fields = [], []
        for col, values in zip(self.table.columns, self.cols, strict=True):
            typ = pa.int8() if col.name in INT8_COLUMNS else ARROW_TYPES[col.type]
            if col.type == "date":
                values = [None if v is None else v - EPOCH for v in values]
            arrays.append(pa.array(values, type=typ))
            fields.append(pa.field(col.name, typ))
        return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def _d(y: int, m: int, day: int) -> int:
    return date(y, m, day).toordinal()


def _weekday(o: int) -> int:
    """0 Monday ... 6 Sunday, for an ordinal."""
    return (o - 1) % 7


class _Generator:
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
                (_d(y, 9, 3), _d(y, 12, 17), _d(y, 12, 15)),
                (_d(y + 1, 1, 6), _d(y + 1, 3, 27), _d(y + 1, 3, 20)),
                (_d(y + 1, 4, 14), _d(y + 1, 7, 18), _d(y + 1, 7, 15)),
            )[k]
            self.terms.append((t, first, last, ws, we, due))
        self.schools = _Columns("schools")
        self.cats = _Columns("categorisations")
        self.hours = _Columns("hours")
        self.reviews = _Columns("plan_reviews")
        self.insps = _Columns("ofsted_inspections")
        self.areas = _Columns("ofsted_areas")
        self.risks = _Columns("risk_assessments")
        self.warnings = _Columns("warnings")
        self.names_used: dict[str, int] = {}

    # ----------------------------------------------------------------------------------------------
    # small helpers

    def ri(self, a: int, b: int) -> int:
        return a + int(self.r() * (b - a + 1))

    def pick(self, seq):
        return seq[int(self.r() * len(seq))]

    def weighted(self, pairs):
        x, acc = self.r(), 0.0
        for value, p in pairs:
            acc += p
            if x < acc:
                return value
        return pairs[-1][0]

    def school_day(self, lo: int, hi: int) -> int:
        """A random weekday between two ordinals (inclusive), or lo when the range holds none."""
        d = self.ri(lo, hi) if hi >= lo else lo
        wd = _weekday(d)
        if wd == 5:
            d = d - 1 if d - 1 >= lo else d + 2
        elif wd == 6:
            d = d + 1 if d + 1 <= hi else d - 2
        return d

    def term_time(self, o: int) -> int:
        """The date moved out of the summer and Christmas holidays, for a visit that cannot fall in them."""
        d = date.fromordinal(o)
        if d.month == 8 or (d.month == 7 and d.day > 18):
            return self.school_day(_d(d.year, 9, 8), _d(d.year, 9, 26))
        if d.month == 12 and d.day > 17:
            return self.school_day(_d(d.year + 1, 1, 7), _d(d.year + 1, 1, 16))
        if d.month == 1 and d.day < 6:
            return self.school_day(_d(d.year, 1, 7), _d(d.year, 1, 16))
        return o

    def term_of(self, o: int) -> int:
        return self.cal.index_of(date.fromordinal(o))

    def term_last(self, index: int) -> int:
        return self.cal.last_day(index).toordinal()

    def person(self) -> str:
        return f"{self.pick(FIRST_NAMES)} {self.pick(SURNAME_A)}{self.pick(SURNAME_B)}"

    def school_name(self, phase: str, maintained: bool) -> str:
        for _ in range(8):
            place = self.pick(PLACE_FIRST) + self.pick(PLACE_END) + self.pick(PLACE_EXTRA)
            if place not in self.names_used or len(self.names_used) > 5000:
                break
        self.names_used[place] = self.names_used.get(place, 0) + 1
        if phase == "primary":
            suffix = self.pick(
                (
                    " Primary School",
                    " Primary School",
                    " Community Primary School",
                    " Infant and Nursery School",
                )
            )
            return place + (" Primary Academy" if not maintained and self.r() < 0.7 else suffix)
        if phase == "secondary":
            return place + (
                self.pick((" Academy", " High School"))
                if not maintained
                else self.pick((" High School", " School"))
            )
        return (
            place
            + {
                "nursery": " Nursery School",
                "special": self.pick((" School", " Park School")),
                "all_through": " All-Through School",
                "alternative_provision": self.pick((" Learning Centre", " Pupil Referral Unit")),
            }[phase]
        )

    def new_school(self, urn: int, phase: str | None = None, maintained: bool | None = None) -> _School:
        phase = phase or self.weighted(PHASE_WEIGHTS)
        maintained = (self.r() < MAINTAINED_P[phase]) if maintained is None else maintained
        s = _School(
            urn,
            self.school_name(phase, maintained),
            phase,
            maintained,
            self.person() if self.r() < 0.98 else None,
            self.person() if self.r() < 0.95 else None,
        )
        s.buys_sip = maintained or self.r() < 0.6
        s.post_16 = phase == "all_through" or (phase in ("secondary", "special") and self.r() < 0.55)
        extras = tuple(a for a in EXTRA_RISK_AREAS if self.r() < 0.25)
        s.risk_areas = BASE_RISK_AREAS + extras
        return s

    # ----------------------------------------------------------------------------------------------
    # categorisations

    def year_rows(self, levels: list[str], tas_runs: bool = True) -> list[_Cat]:
        """One categorisation effective 1 September of each year of the history (right-aligned levels)."""
        levels = (["core"] * self.years + list(levels))[-self.years :]
        rows, tas = [], False
        for i, level in enumerate(levels):
            if level == "focused" and (i == 0 or levels[i - 1] != "focused"):
                tas = tas_runs and self.r() < 0.3
            rows.append(_Cat(_d(self.y0 + i, 9, 1), level, tas=level == "focused" and tas))
        return rows

    def finish_cats(self, s: _School) -> None:
        """Fill decision dates, letters, targets, reasons and judgements, oldest first."""
        s.cats = [c for c in sorted(s.cats, key=lambda c: c.eff) if c.eff >= _d(self.y0, 9, 1)]
        if s.closed is not None:
            s.cats = [c for c in s.cats if c.eff < s.closed]
        prev, target = None, None
        for c in s.cats:
            sep1 = date.fromordinal(c.eff).month == 9 and date.fromordinal(c.eff).day == 1
            if c.decided == _AUTO:
                y = date.fromordinal(c.eff).year
                c.decided = (
                    self.school_day(_d(y, 7, 6), _d(y, 7, 18))
                    if sep1
                    else self.school_day(c.eff - 14, c.eff - 5)
                )
                if not sep1:
                    c.by = "Assistant Director, School Improvement"
            if c.letter == _AUTO:
                c.letter = self.school_day(c.decided + 2, c.decided + 7)
            if c.level in INTENSIVE:
                if prev not in INTENSIVE or target is None:
                    target = self.term_last(self.term_of(c.eff) + 3)
                if c.target == _AUTO:
                    c.target = target
                target = c.target
            else:
                target = None
                if c.target == _AUTO:
                    c.target = None
            if c.reason is None:
                if c.level == "focused":
                    key = ("focused", "tas" if c.tas else "any")
                elif c.level in INTENSIVE:
                    key = (c.level, "any")
                elif prev is None or RANK[prev] == RANK[c.level]:
                    key = (c.level, "same")
                else:
                    key = (c.level, "up" if RANK[c.level] > RANK[prev] else "down")
                c.reason = self.pick(REASONS[key])
            if not c.judgements:
                c.judgements = self.judgements(c.level)
            prev = c.level

    def judgements(self, level: str) -> tuple:
        r = self.r
        if level == "core":
            j = [1 if x < 0.25 else 2 if x < 0.97 else 3 for x in (r(), r(), r(), r())]
        elif level == "focused":
            j = [1 if r() < 0.15 else 2 for _ in range(4)]
            j[self.ri(0, 2)] = 3
        elif level == "enhanced":
            j = [2 if r() < 0.5 else 3 for _ in range(4)]
        elif level == "intensive_a":
            j = [2 if x < 0.1 else 3 if x < 0.8 else 4 for x in (r(), r(), r(), r())]
        else:
            j = [3 if r() < 0.45 else 4 for _ in range(4)]
        return tuple(None if r() < 0.02 else v for v in j)

    @staticmethod
    def level_at(cats: list[_Cat], day: int) -> _Cat | None:
        found = None
        for c in cats:
            if c.eff > day:
                break
            found = c
        return found

    # ----------------------------------------------------------------------------------------------
    # Ofsted

    def framework(self, day: int) -> str:
        return "renewed_2025" if day >= RENEWED_FROM else "eif_2019"

    def inspection(self, s: _School, day: int, outcome: str) -> _Insp:
        """A graded inspection (EIF) or report card (renewed) with outcome good, ri or concern."""
        renewed = day >= RENEWED_FROM
        r = self.r
        if not renewed:
            if outcome == "good":
                return _Insp(day, "eif_2019", "graded", 1 if r() < 0.15 else 2, "none", True)
            if outcome == "ri":
                return _Insp(day, "eif_2019", "graded", 3, "none", True)
            cat = "special_measures" if r() < 0.5 else "serious_weaknesses"
            return _Insp(day, "eif_2019", "graded", 4, cat, r() >= 0.3)
        areas = list(CORE_AREAS)
        if s.phase in ("nursery", "primary", "all_through"):
            areas.append("early_years")
        if s.post_16:
            areas.append("post_16")
        if outcome == "good":
            grades = [
                self.weighted((("expected_standard", 0.55), ("strong_standard", 0.38), ("exceptional", 0.07)))
                for _ in areas
            ]
            return _Insp(
                day, "renewed_2025", "report_card", None, "none", True, tuple(zip(areas, grades, strict=True))
            )
        if outcome == "ri":
            grades = [self.weighted((("expected_standard", 0.75), ("strong_standard", 0.25))) for _ in areas]
            for _ in range(self.ri(1, 2)):
                grades[self.ri(0, len(CORE_AREAS) - 1)] = "needs_attention"
            return _Insp(
                day, "renewed_2025", "report_card", None, "none", True, tuple(zip(areas, grades, strict=True))
            )
        grades = [self.weighted((("expected_standard", 0.4), ("needs_attention", 0.6))) for _ in areas]
        for _ in range(self.ri(1, 3)):
            grades[self.ri(0, len(CORE_AREAS) - 1)] = "urgent_improvement"
        cat = "special_measures" if r() < 0.4 else "requires_significant_improvement"
        return _Insp(
            day, "renewed_2025", "report_card", None, cat, r() >= 0.3, tuple(zip(areas, grades, strict=True))
        )

    def avoid_covid(self, day: int) -> int:
        lo, hi = COVID_GAP
        return day - 400 if lo <= day < hi else day

    def auto_ofsted(self, s: _School, ri_p: float, ri_int_p: float, recent: bool) -> None:
        """Inspections consistent with the school's moves between levels (see the module docstring)."""
        cats = [c for c in s.cats if c.eff <= self.as_of]
        if not cats:
            return
        end = self.as_of if s.closed is None else min(self.as_of, s.closed - 1)
        first = cats[0].level
        base = self.term_time(self.avoid_covid(self.school_day(_d(self.y0 - 4, 9, 15), _d(self.y0, 7, 10))))
        state = {"core": "good", "focused": "good", "enhanced": "ri" if self.r() < 0.5 else "good"}.get(first)
        state = state or ("concern" if first == "intensive_b" else "ri")
        main = [self.inspection(s, base, state)]
        prev = first
        for c in cats[1:]:
            need = None
            if c.level != prev:
                if c.level == "intensive_b" and state != "concern":
                    need = "concern"
                elif c.level in ("core", "focused") and state != "good":
                    need = "good"
                elif c.level in ("enhanced", "intensive_a") and state == "concern":
                    need = "ri"
                elif c.level == "enhanced" and state == "good" and self.r() < ri_p:
                    need = "ri"
                elif c.level == "intensive_a" and state == "good" and self.r() < ri_int_p:
                    need = "ri"
            prev = c.level
            if need is None:
                continue
            d = date.fromordinal(c.eff)
            lo, hi = (
                (_d(d.year, 5, 6), _d(d.year, 7, 11))
                if (d.month, d.day) == (9, 1)
                else (c.eff - 42, c.eff - 21)
            )
            lo, hi = max(lo, main[-1].day + 60), min(hi, end)
            if lo > hi:
                lo = hi = min(c.eff - 1, end)
            if lo <= main[-1].day:
                continue
            main.append(self.inspection(s, self.school_day(lo, hi), need))
            state = need
        if recent and s.closed is None and self.r() < 0.15:
            now = cats[-1].level
            lo, hi = max(RENEWED_FROM + 7, main[-1].day + 700), self.as_of - 7
            if hi >= lo and now != "intensive_b" and (state == "good" or now in ("enhanced", "intensive_a")):
                outcome = "good" if now in ("core", "focused") or self.r() < 0.5 else "ri"
                main.append(self.inspection(s, self.school_day(lo, hi), outcome))
        s.insps = main + s.insps  # scenario inspections come after
        self.visits_between(s, end)

    def visits_between(self, s: _School, end: int) -> None:
        """Monitoring visits for schools in a category (or requiring improvement), ungraded ones for good."""
        main = sorted((i for i in s.insps if i.main), key=lambda i: i.day)
        extra = []
        for n, insp in enumerate(main):
            stop = min(main[n + 1].day - 30 if n + 1 < len(main) else end, end)
            if insp.category != "none":
                d = insp.day + self.ri(120, 200)
                while d <= stop:
                    day = self.term_time(self.school_day(d, d + 4))
                    if day <= stop:
                        extra.append(
                            _Insp(
                                day, self.framework(day), "monitoring", None, insp.category, None, main=False
                            )
                        )
                    d += self.ri(150, 240)
            elif insp.grade == 3 and self.r() < 0.35:
                day = self.term_time(self.school_day(insp.day + 200, insp.day + 280))
                if day <= stop:
                    extra.append(
                        _Insp(day, self.framework(day), "monitoring", None, "none", None, main=False)
                    )
            elif insp.grade in (1, 2) and self.r() < 0.5:
                day = self.term_time(self.school_day(insp.day + 1300, insp.day + 1600))
                if day <= stop and day < RENEWED_FROM:
                    extra.append(_Insp(day, "eif_2019", "ungraded", None, "none", True, main=False))
        seen, out = set(), []
        for insp in sorted(main + extra, key=lambda i: (i.day, not i.main)):
            if insp.day not in seen:
                seen.add(insp.day)
                out.append(insp)
        s.insps = out

    # ----------------------------------------------------------------------------------------------
    # warnings

    def auto_warnings(self, s: _School) -> None:
        runs, start, prev, with_b = [], None, None, False
        for c in s.cats:
            if c.eff > self.as_of:
                break
            if c.level in INTENSIVE and prev not in INTENSIVE:
                start, with_b = c.eff, False
            with_b = with_b or c.level == "intensive_b"
            if c.level not in INTENSIVE and prev in INTENSIVE:
                runs.append((start, c.eff, with_b))
            prev = c.level
        if prev in INTENSIVE:
            runs.append((start, None, with_b))
        end = self.as_of if s.closed is None else min(self.as_of, s.closed - 1)
        for begun, ended, b in runs:
            if self.r() >= 0.35:
                continue
            stop = end if ended is None else min(end, ended - 1)
            issued = self.school_day(begun + 100, begun + 200)
            if issued > stop:
                continue
            closed = (
                ended if ended is not None and self.r() < 0.8 else self.school_day(issued + 90, issued + 200)
            )
            formal = b and self.r() < 0.5 and closed is not None and closed + 7 <= stop
            s.warnings.append(
                (issued, "pre_formal", self.pick(WARNING_GROUNDS), closed if closed <= end else None)
            )
            if formal:
                again = self.school_day(closed + 1, closed + 7)
                shut = ended if ended is not None and ended <= end else None
                s.warnings.append((again, "formal", self.pick(WARNING_GROUNDS), shut))

    # ----------------------------------------------------------------------------------------------
    # schools of a block

    def background(self, urn: int) -> _School:
        s = self.new_school(urn)
        levels = [self.weighted(FINAL_LEVEL)]
        for i in range(self.years - 1):
            prev = self.weighted(PREVIOUS_LEVEL[levels[0]])
            if levels[0] in INTENSIVE and prev in INTENSIVE and (i == 0 or levels[1] in INTENSIVE):
                prev = (
                    "enhanced"  # a current intensive run starts this year; past runs last two years at most
                )
            levels.insert(0, prev)
        s.cats = self.year_rows(levels)
        # some escalations happened part-way through the year before, after an inspection
        for i in range(1, self.years - 1):
            if levels[i] in INTENSIVE and levels[i - 1] not in INTENSIVE and self.r() < 0.4:
                y = self.y0 + i - 1
                eff = (
                    self.school_day(_d(y + 1, 1, 12), _d(y + 1, 3, 6))
                    if self.r() < 0.6
                    else self.school_day(_d(y + 1, 4, 20), _d(y + 1, 6, 5))
                )
                s.cats.append(_Cat(eff, levels[i]))
        self.finish_cats(s)
        self.auto_ofsted(s, 0.5, 0.9, recent=True)
        self.auto_warnings(s)
        return s

    def scenario(self, k: int, urn: int) -> _School:  # noqa: C901 - one branch per scenario, read as a list
        yc, a = self.yc, self.as_of
        last, cur = self.last, self.cur
        ri_p, ri_int_p = 0.0, 0.0
        insps: list[_Insp] = []
        if k == 0:  # EXIT_INTENSIVE overdue: intensive A since 1 Sep two years ago, target date passed
            s = self.new_school(urn, "primary", True)
            s.cats = self.year_rows(["core", "enhanced", "intensive_a", "intensive_a"])
            ri_p = 1.0
            s.warnings.append((_d(yc, 6, 9), "pre_formal", WARNING_GROUNDS[0], _d(yc, 12, 12)))
        elif k == 1:  # EXIT_INTENSIVE overdue: A then B from April is one run
            s = self.new_school(urn, "secondary", True)
            s.cats = self.year_rows(["core", "focused", "intensive_a", "intensive_b"], tas_runs=False)
            target = _d(yc + 1, 7, 31)
            s.cats[-1].target = target
            s.cats.append(
                _Cat(
                    _d(yc, 4, 20),
                    "intensive_b",
                    target=target,
                    reason="Ofsted judged the school inadequate and placed it in a category of concern.",
                )
            )
            ri_int_p = 1.0
            s.warnings.append((_d(yc, 5, 19), "formal", WARNING_GROUNDS[1], None))
        elif k == 2:  # EXIT_INTENSIVE due: the run began on 22 April last year, so this is term 4
            s = self.new_school(urn, "primary", True)
            s.cats = self.year_rows(["core", "enhanced", "intensive_a"])
            s.cats.append(_Cat(_d(yc, 4, 22), "intensive_a"))
            ri_int_p = 1.0
        elif k == 3:  # EXIT_INTENSIVE overdue by its target date
            s = self.new_school(urn, "primary", True)
            s.cats = self.year_rows(["core", "enhanced", "intensive_a"])
            s.cats[-1].target = a - 18
            s.cats[
                -1
            ].reason = (
                "Leadership capacity not yet shown; a short intensive spell, with exit planned for April."
            )
        elif k == 4:  # EXIT_READY
            s = self.new_school(urn, "secondary", True)
            s.cats = self.year_rows(["core", "enhanced", "enhanced"])
            s.ready = True
        elif k == 5:  # ESC_OFSTED_RI: core school graded 3 under the EIF, its last month (October 2025)
            s = self.new_school(urn, "primary", True)
            s.cats = self.year_rows(["core"])
            insps.append(_Insp(_d(yc, 10, 8), "eif_2019", "graded", 3, "none", True))
        elif k == 6:  # ESC_OFSTED_RI: focused school, renewed report card with one area needing attention
            s = self.new_school(urn, "primary", True)
            s.cats = self.year_rows(["core", "focused"], tas_runs=False)
            areas = [
                (ar, "expected_standard" if n % 2 else "strong_standard") for n, ar in enumerate(CORE_AREAS)
            ]
            areas[3] = ("attendance_and_behaviour", "needs_attention")
            areas.append(("early_years", "expected_standard"))
            insps.append(
                _Insp(_d(yc + 1, 1, 21), "renewed_2025", "report_card", None, "none", True, tuple(areas))
            )
        elif k == 7:  # ESC_OFSTED_CONCERN: enhanced academy, report card in a category of concern
            s = self.new_school(urn, "secondary", False)
            s.post_16 = True
            s.cats = self.year_rows(["core", "enhanced", "enhanced"])
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
            insps.append(
                _Insp(
                    _d(yc + 1, 2, 11),
                    "renewed_2025",
                    "report_card",
                    None,
                    "requires_significant_improvement",
                    True,
                    areas,
                )
            )
        elif k == 8:  # ESC_OFF_TRACK: intensive A, one priority off track twice, pre-formal notice open
            s = self.new_school(urn, "primary", True)
            s.cats = self.year_rows(["core", "enhanced", "intensive_a"])
            s.off_track = True
            s.warnings.append((_d(yc + 1, 4, 15), "pre_formal", WARNING_GROUNDS[0], None))
        elif k == 9:  # ESC_RISK: focused (team around the school), finance high this term
            s = self.new_school(urn, "primary", True)
            s.cats = self.year_rows(["core", "focused"])
            s.cats[-1].tas = True
            s.cats[-1].reason = REASONS[("focused", "tas")][0]
            s.risk_high = ((cur, "finance"),)
        elif k == 10:  # REVIEW_OVERDUE: one spring review never recorded
            s = self.new_school(urn, "primary", True)
            s.cats = self.year_rows(["core", "enhanced"])
            s.unreviewed = ((last, 1),)
        elif k == 11:  # PLAN_MISSING: core to focused from 5 January, no plan
            s = self.new_school(urn, "primary", True)
            s.cats = self.year_rows(["core"])
            s.cats.append(_Cat(_d(yc + 1, 1, 5), "focused", decided=_d(yc, 12, 12), letter=_d(yc, 12, 17)))
            s.no_plans = True
        elif k == 12:  # LA_REVIEW_MISSING: intensive B from January, no one-day review in the spring term
            s = self.new_school(urn, "primary", True)
            s.cats = self.year_rows(["core", "enhanced"])
            s.cats.append(_Cat(_d(yc + 1, 1, 12), "intensive_b"))
            s.no_la_review = (last,)
        elif k == 13:  # HOURS_SHORTFALL: enhanced, 6 hours in the spring term
            s = self.new_school(urn, "primary", True)
            s.cats = self.year_rows(["core", "enhanced", "enhanced"])
            s.lama_hours = {last: 6.0}
        elif k == 14:  # HOURS_OVERRUN: focused, 9 hours in the spring term
            s = self.new_school(urn, "primary", True)
            s.cats = self.year_rows(["core", "focused"], tas_runs=False)
            s.lama_hours = {last: 9.0}
        elif k == 15:  # LETTER_NOT_SENT: core to enhanced from 20 April, decided 10 April
            s = self.new_school(urn, "primary", True)
            s.cats = self.year_rows(["core"])
            s.cats.append(_Cat(a - 28, "enhanced", decided=a - 38, letter=None))
        elif k == 16:  # SIP_VISITS_BEHIND: one SIP visit this school year
            s = self.new_school(urn, "primary", True)
            s.cats = self.year_rows(["core"])
            s.no_sip = (last, cur)
        elif k == 17:  # closed on 31 December: would be flagged if it were open
            s = self.new_school(urn, "primary", True)
            s.closed = _d(yc, 12, 31)
            s.cats = self.year_rows(["core", "enhanced", "intensive_a", "intensive_a"])
            ri_p = 1.0
            insps.append(_Insp(_d(yc, 3, 4), "eif_2019", "graded", 4, "serious_weaknesses", True))
        elif k == 18:  # core now, intensive A decided for next September
            s = self.new_school(urn, "primary", True)
            s.cats = self.year_rows(["core"])
            s.cats.append(_Cat(_d(yc + 1, 9, 1), "intensive_a", decided=a - 7, letter=None))
        elif k == 19:  # an academy with no SIP visits
            s = self.new_school(urn, "primary", False)
            s.buys_sip = False
            s.cats = self.year_rows(["core"])
        else:  # closed two summers ago
            s = self.new_school(urn, "primary", True)
            s.closed = _d(yc - 1, 8, 31)
            s.cats = self.year_rows(["core", "focused", "core", "core", "core"], tas_runs=False)
        s.background = False
        self.finish_cats(s)
        s.insps = insps
        self.auto_ofsted(s, ri_p, ri_int_p, recent=False)
        return s

    def assign_advisers(self, block: int, schools: list[_School]) -> None:
        names = (
            NAMED_ADVISERS
            if block == 0
            else tuple(f"adviser.{7 + 6 * (block - 1) + j:04d}" for j in range(len(NAMED_ADVISERS)))
        )
        open_ = [s for s in schools if s.closed is None or s.closed > self.as_of]
        total = sum(CASELOADS)
        shares = [c * len(open_) / total for c in CASELOADS]
        counts = [int(x) for x in shares]
        by_fraction = sorted(range(len(shares)), key=lambda j: (-(shares[j] - counts[j]), j))
        for j in by_fraction[: len(open_) - sum(counts)]:
            counts[j] += 1
        lama = [names[j] for j in range(LAMAS) for _ in range(counts[j])]
        sip = [names[j] for j in range(LAMAS, len(names)) for _ in range(counts[j])]
        self.rng.shuffle(lama)
        self.rng.shuffle(sip)
        above = [
            s for s in open_ if (c := self.level_at(s.cats, self.as_of)) is not None and c.level != "core"
        ]
        above_urns = [s.urn for s in above]
        rest = [s for s in open_ if s.urn not in above_urns]
        for s in above:
            s.adviser = lama.pop() if lama else sip.pop()
        pool = lama + sip
        self.rng.shuffle(pool)
        for s, name in zip(rest, pool, strict=True):
            s.adviser = name
        for s in schools:
            s.former_adviser = s.adviser or self.pick(names)

    def block(self, start: int, n: int) -> None:
        schools = []
        for slot in range(n):
            urn = FIRST_URN + start + slot
            k = SCENARIO_AT.get(slot)
            schools.append(self.background(urn) if k is None else self.scenario(k, urn))
        self.assign_advisers(start // BLOCK, schools)
        for s in schools:
            self.emit(s)

    # ----------------------------------------------------------------------------------------------
    # rows

    def emit(self, s: _School) -> None:
        to_d = None if s.closed is None else s.closed
        self.schools.add(s.urn, s.name, s.phase, s.maintained, s.adviser, s.headteacher, s.chair, to_d)
        for c in s.cats:
            self.cats.add(
                s.urn, c.eff, c.level, c.tas, c.decided, c.by, c.reason, *c.judgements, c.letter, c.target
            )
        for i in s.insps:
            self.insps.add(s.urn, i.day, i.framework, i.kind, i.grade, i.category, i.safeguarding)
            for area, grade in i.areas:
                self.areas.add(s.urn, i.day, area, grade)
        for issued, kind, grounds, closed in s.warnings:
            self.warnings.add(s.urn, issued, kind, grounds, closed)
        self.emit_hours(s)
        self.emit_reviews(s)
        self.emit_risks(s)

    def emit_hours(self, s: _School) -> None:
        r, ri, pick, day = self.r, self.ri, self.pick, self.school_day
        end = self.as_of if s.closed is None else min(self.as_of, s.closed - 1)
        who = s.adviser or s.former_adviser
        cats = s.cats
        add = self.hours.add
        for t, _first, last, ws, we, _due in self.terms:
            if ws > end:
                break
            cat = self.level_at(cats, min(last, end))
            if cat is None:
                continue
            level = cat.level
            rows = []
            if s.buys_sip and t not in s.no_sip:
                rows.append(
                    (day(ws, we), "sip_visit", 3.5, pick(HOURS_NOTES["sip_visit"]) if r() < 0.3 else None)
                )
            if level != "core":
                lo, hi = LAMA_HOURS[level]
                total = s.lama_hours.get(t)
                if total is None:
                    total = lo + r() * (hi - lo)
                units = max(1, round(total * 2))
                n = min(units, {"focused": ri(2, 3), "enhanced": ri(3, 5)}.get(level, ri(4, 6)))
                cuts = sorted(self.rng.sample(range(1, units), n - 1)) if n > 1 else []
                for lo_u, hi_u in zip([0, *cuts], [*cuts, units], strict=True):
                    note = pick(HOURS_NOTES["lama_support"]) if r() < 0.25 else None
                    rows.append((day(ws, we), "lama_support", (hi_u - lo_u) / 2, note))
                rows.append((day(ws, we), "tag_meeting", 1.5, None))
                if level in INTENSIVE and t not in s.no_la_review:
                    rows.append((day(max(ws, min(cat.eff + 7, we)), we), "one_day_review", 14.0, None))
                elif level == "enhanced" and t % 3 == 1 and r() < 0.4:
                    rows.append(
                        (day(ws, we), "one_day_review", 14.0, "Optional one-day review agreed with the head.")
                    )
                if cat.tas:
                    for _ in range(ri(1, 3)):
                        rows.append(
                            (
                                day(ws, we),
                                "brokered_support",
                                float(ri(2, 5)),
                                pick(HOURS_NOTES["brokered_support"]),
                            )
                        )
            if r() < (0.15 if level == "core" else 0.4):
                rows.append(
                    (
                        day(ws, we),
                        "governors_meeting",
                        2.0,
                        pick(HOURS_NOTES["governors_meeting"]) if r() < 0.5 else None,
                    )
                )
            if level == "core" and r() < (0.25 if s.buys_sip else 0.5):
                rows.append(
                    (
                        day(ws, we),
                        "keeping_in_touch",
                        1.0,
                        pick(HOURS_NOTES["keeping_in_touch"]) if r() < 0.3 else None,
                    )
                )
            if r() < 0.03:
                rows.append((day(ws, we), "other", float(ri(1, 3)), pick(HOURS_NOTES["other"])))
            rows.sort(key=lambda x: (x[0], x[1]))
            for d, activity, hours, note in rows:
                if d <= end:
                    add(s.urn, d, who, activity, hours, note)

    def emit_reviews(self, s: _School) -> None:
        if s.no_plans:
            return
        r, pick = self.r, self.pick
        who = s.adviser or s.former_adviser
        rows = []  # [plan, priority, due, reviewed_on, status, note, term, number]
        plans: dict[tuple, list[str]] = {}
        last_status: dict[tuple, str] = {}
        for t, _first, _last, _ws, _we, due in self.terms:
            if s.closed is not None and due + 7 >= s.closed:
                break
            cat = self.level_at(s.cats, due)
            if cat is None or cat.level == "core":
                continue
            plan = PLAN_OF[cat.level]
            key = (plan, t // 3)
            if key not in plans:
                pool = PRIORITIES["tas"] if cat.tas else PRIORITIES.get(s.phase, PRIORITIES["general"])
                pool = list(pool) + list(PRIORITIES["general"])
                plans[key] = self.rng.sample(pool, self.ri(2, 4))
            on, at, off = STATUS_P[cat.level]
            for n, text in enumerate(plans[key]):
                prev = last_status.get((plan, text))
                x = r()
                if prev == "achieved" and x < 0.75:
                    status = "achieved"
                else:
                    status = (
                        "on_track"
                        if x < on
                        else "at_risk"
                        if x < at
                        else "off_track"
                        if x < off
                        else "achieved"
                    )
                    if status == "off_track" and prev == "off_track":
                        status = "at_risk"
                last_status[(plan, text)] = status
                reviewed = None
                if due <= self.as_of:
                    reviewed = self.school_day(due - 3, due + 6)
                    if reviewed > self.as_of:
                        reviewed = None
                rows.append([plan, text, due, reviewed, status, None, t, n])
        if not rows:
            return
        for term, number in s.unreviewed:
            for row in rows:
                if row[6] == term and row[7] == number:
                    row[3] = None
        done = [row for row in rows if row[3] is not None]
        review_terms = sorted({row[6] for row in done})
        if s.ready:
            for row in done:
                if row[6] in review_terms[-2:]:
                    row[4] = "achieved" if row[4] == "achieved" else "on_track"
        elif s.off_track:
            for row in done:
                if row[6] in review_terms[-2:]:
                    row[4] = "off_track" if row[7] == 0 else ("at_risk" if row[4] == "off_track" else row[4])
        if not s.ready and review_terms:
            latest = [row for row in done if row[6] == review_terms[-1]]
            if all(row[4] in ("on_track", "achieved") for row in latest):
                candidates = [row for row in latest if row[4] == "on_track"] or latest
                pick(candidates)[4] = "at_risk"
        add = self.reviews.add
        for plan, text, due, reviewed, status, _note, _t, _n in rows:
            if reviewed is None:
                add(s.urn, plan, text, due, None, None, None, None)
            else:
                note = (
                    pick(REVIEW_NOTES[status])
                    if r() < (0.4 if status in ("at_risk", "off_track") else 0.1)
                    else None
                )
                add(s.urn, plan, text, due, reviewed, status, who, note)

    def emit_risks(self, s: _School) -> None:
        r = self.r
        who = s.adviser or s.former_adviser
        add = self.risks.add
        now = self.level_at(s.cats, self.as_of)
        for t, first, _last, _ws, _we, _due in self.terms:
            if first > self.as_of or (s.closed is not None and first >= s.closed):
                break
            cat = self.level_at(s.cats, self.as_of if t == self.cur else first)
            if cat is None:
                continue
            low, medium = RISK_P[cat.level]
            no_high = t == self.cur and (
                not s.background or (now is not None and now.level in ("core", "focused"))
            )
            for area in s.risk_areas:
                x = r()
                rating = "low" if x < low else "medium" if x < medium else "high"
                if (t, area) in s.risk_high:
                    rating = "high"
                elif rating == "high" and no_high:
                    rating = "medium"
                note = None
                if rating == "high" or (rating == "medium" and r() < 0.12):
                    note = RISK_NOTES[area][rating == "high"]
                add(s.urn, first, area, rating, who, note)

    def tables(self) -> dict[str, _Columns]:
        return {
            "schools": self.schools,
            "categorisations": self.cats,
            "hours": self.hours,
            "plan_reviews": self.reviews,
            "ofsted_inspections": self.insps,
            "ofsted_areas": self.areas,
            "risk_assessments": self.risks,
            "warnings": self.warnings,
        }


def write_demo(
    out: Path,
    schools: int = 70,
    years: int = 5,
    seed: int = 2026,
    as_of: date = DEFAULT_AS_OF,
) -> str:
    """Write the demo borough (or, with many schools, a national-scale set) into `out`; return a summary."""
    if schools < 1:
        raise ValueError("schools must be at least 1")
    if not 1 <= years <= 30:
        raise ValueError("years must be between 1 and 30")
    out = Path(out)
    gen = _Generator(seed, years, as_of)
    for start in range(0, schools, BLOCK):
        gen.block(start, min(BLOCK, schools - start))
    out.mkdir(parents=True, exist_ok=True)
    for table in TABLES:
        for suffix in (".csv", ".xlsx"):
            (out / f"{table.name}{suffix}").unlink(missing_ok=True)
    counts = {}
    for name, cols in gen.tables().items():
        pq.write_table(cols.arrow(), out / f"{name}.parquet", compression="zstd")
        counts[name] = len(cols)
    meta = {
        "name": DATASET_NAME,
        "as_of": as_of.isoformat(),
        "generator": "g2g demo-data",
        "seed": seed,
        "schools": schools,
        "years": years,
    }
    (out / "dataset.json").write_text(json.dumps(meta, sort_keys=True, indent=2) + "\n", encoding="utf-8")
    return (
        f"wrote {counts['schools']:,} schools, {counts['categorisations']:,} categorisations, "
        f"{counts['hours']:,} hours records, {counts['plan_reviews']:,} plan reviews, "
        f"{counts['ofsted_inspections']:,} inspections ({counts['ofsted_areas']:,} report card areas), "
        f"{counts['risk_assessments']:,} risk ratings and {counts['warnings']:,} warning notices "
        f"to {out} (as at {as_of.isoformat()})"
    )

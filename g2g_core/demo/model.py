"""The demo borough's shapes and numbers: the generator's records, its probabilities and its calendar facts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pyarrow as pa

from g2g_core.schema import TABLES

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

AUTO = -1  # a categorisation field still to be filled in


@dataclass
class Cat:
    """One categorisation being laid out (ordinal days; AUTO = still to be filled in)."""

    eff: int
    level: str
    tas: bool = False
    decided: int = AUTO
    letter: int | None = AUTO
    target: int | None = AUTO
    reason: str | None = None
    by: str = "Categorisation panel"
    judgements: tuple = ()


@dataclass
class Insp:
    """One Ofsted inspection being laid out (its report card areas as (area, grade) pairs)."""

    day: int
    framework: str
    kind: str
    grade: int | None
    category: str
    safeguarding: bool | None
    areas: tuple = ()
    main: bool = True  # a graded inspection or report card (monitoring and ungraded visits are not)


@dataclass
class School:
    """One school's story before its rows are written, with what a scenario changes in them."""

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


class Columns:
    """The columns of one table as Python lists, in contract order."""

    def __init__(self, table: str) -> None:
        self.table = next(t for t in TABLES if t.name == table)
        self.cols: list[list] = [[] for _ in self.table.columns]

    def __len__(self) -> int:
        return len(self.cols[0])

    def add(self, *values) -> None:
        """Append one row, its values in contract order."""
        for col, value in zip(self.cols, values, strict=True):
            col.append(value)

    def arrow(self) -> pa.Table:
        """The table as Arrow, typed as the contract says (dates from ordinals)."""
        arrays, fields = [], []
        for col, values in zip(self.table.columns, self.cols, strict=True):
            typ = pa.int8() if col.name in INT8_COLUMNS else ARROW_TYPES[col.type]
            if col.type == "date":
                values = [None if v is None else v - EPOCH for v in values]
            arrays.append(pa.array(values, type=typ))
            fields.append(pa.field(col.name, typ))
        return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def ymd(y: int, m: int, day: int) -> int:
    """The ordinal of a date."""
    return date(y, m, day).toordinal()


def weekday(o: int) -> int:
    """0 Monday ... 6 Sunday, for an ordinal."""
    return (o - 1) % 7

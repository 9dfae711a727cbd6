"""Hand-made boroughs for tests: a few schools and their history, written as real Parquet files.

A test states only what matters to it; everything else takes a default chosen so that it makes no flag
fire by accident (a categorisation's letter is sent three days after a decision made twenty days before it
takes effect). The files have exactly the columns, order and logical types of `g2g_core.schema`.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import polars as pl

from g2g_core.access import Viewer
from g2g_core.policy import Policy
from g2g_core.rules import compute_flags
from g2g_core.schema import TABLE_BY_NAME, TABLES
from g2g_core.store import load_store

POLARS_TYPES = {
    "int": pl.Int64,
    "float": pl.Float64,
    "str": pl.String,
    "enum": pl.String,
    "bool": pl.Boolean,
    "date": pl.Date,
}
# SPEC §2 gives these as int8: written narrow, so every test also proves that any integer width serves.
NARROW_INTS = {"outcomes", "ambition", "leadership", "capacity", "overall_grade"}
_UNSET = object()

Day = date | str


def d(value: Day | None) -> date | None:
    """A date from an ISO string (or a date, or None)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def dtype_of(table: str, column: str) -> pl.DataType:
    """The Polars type a column is written with."""
    if column in NARROW_INTS:
        return pl.Int8
    return POLARS_TYPES[TABLE_BY_NAME[table].column(column).type]


def contract_frame(table: str, rows: list[dict]) -> pl.DataFrame:
    """A frame with exactly the contract's columns, in order, with explicit types."""
    spec = TABLE_BY_NAME[table]
    schema = {c.name: dtype_of(table, c.name) for c in spec.columns}
    data = [{name: row.get(name) for name in schema} for row in rows]
    return pl.DataFrame(data, schema=schema, orient="row")


class Borough:
    """A data directory built by hand: call the methods, then `write()`."""

    def __init__(self, directory: Path) -> None:
        self.dir = Path(directory)
        self.rows: dict[str, list[dict]] = {t.name: [] for t in TABLES}

    def school(
        self,
        urn: int,
        phase: str = "primary",
        maintained: bool = True,
        adviser: str | None = "lama.a",
        closed_on: Day | None = None,
        name: str | None = None,
        headteacher: str | None = "A. Head",
        chair_of_governors: str | None = "A. Chair",
    ) -> Borough:
        """A school, open and LA-maintained unless told otherwise."""
        self.rows["schools"].append(
            {
                "urn": urn,
                "name": name or f"School {urn}",
                "phase": phase,
                "maintained": maintained,
                "adviser": adviser,
                "headteacher": headteacher,
                "chair_of_governors": chair_of_governors,
                "closed_on": d(closed_on),
            }
        )
        return self

    def categorise(
        self,
        urn: int,
        effective_from: Day,
        level: str,
        decided_on: Day | None = None,
        letter_sent_on: Day | None | object = _UNSET,
        target_exit_on: Day | None = None,
        team_around_school: bool = False,
        decided_by: str | None = "director",
        reason: str | None = None,
        outcomes: int | None = 2,
        ambition: int | None = 2,
        leadership: int | None = 2,
        capacity: int | None = 2,
    ) -> Borough:
        """A categorisation decided 20 days before it takes effect and confirmed by letter 3 days later."""
        start = d(effective_from)
        decided = d(decided_on) or start - timedelta(days=20)
        letter = decided + timedelta(days=3) if letter_sent_on is _UNSET else d(letter_sent_on)
        self.rows["categorisations"].append(
            {
                "urn": urn,
                "effective_from": start,
                "level": level,
                "team_around_school": team_around_school,
                "decided_on": decided,
                "decided_by": decided_by,
                "reason": reason or f"{level} support",
                "outcomes": outcomes,
                "ambition": ambition,
                "leadership": leadership,
                "capacity": capacity,
                "letter_sent_on": letter,
                "target_exit_on": d(target_exit_on),
            }
        )
        return self

    def hours(
        self,
        urn: int,
        date: Day,
        activity: str,
        hours: float,
        adviser: str = "lama.a",
        note: str | None = None,
    ) -> Borough:
        """Adviser time used on one day."""
        self.rows["hours"].append(
            {
                "urn": urn,
                "date": d(date),
                "adviser": adviser,
                "activity": activity,
                "hours": hours,
                "note": note,
            }
        )
        return self

    def review(
        self,
        urn: int,
        plan: str,
        priority: str,
        review_due: Day,
        reviewed_on: Day | None = None,
        status: str | None = None,
        reviewer: str | None = "lama.a",
        note: str | None = None,
    ) -> Borough:
        """One plan priority due for review (and reviewed, if reviewed_on is given)."""
        self.rows["plan_reviews"].append(
            {
                "urn": urn,
                "plan": plan,
                "priority": priority,
                "review_due": d(review_due),
                "reviewed_on": d(reviewed_on),
                "status": status,
                "reviewer": reviewer if reviewed_on else None,
                "note": note,
            }
        )
        return self

    def inspection(
        self,
        urn: int,
        inspection_date: Day,
        framework: str = "eif_2019",
        inspection_type: str = "graded",
        overall_grade: int | None = None,
        category_of_concern: str = "none",
        safeguarding_met: bool | None = True,
    ) -> Borough:
        """An Ofsted inspection (EIF 2019 graded unless told otherwise)."""
        self.rows["ofsted_inspections"].append(
            {
                "urn": urn,
                "inspection_date": d(inspection_date),
                "framework": framework,
                "inspection_type": inspection_type,
                "overall_grade": overall_grade,
                "category_of_concern": category_of_concern,
                "safeguarding_met": safeguarding_met,
            }
        )
        return self

    def area(self, urn: int, inspection_date: Day, area: str, grade: str) -> Borough:
        """One evaluation area of a renewed-framework report card."""
        self.rows["ofsted_areas"].append(
            {"urn": urn, "inspection_date": d(inspection_date), "area": area, "grade": grade}
        )
        return self

    def report_card(
        self,
        urn: int,
        inspection_date: Day,
        grades: dict[str, str],
        category_of_concern: str = "none",
        safeguarding_met: bool = True,
    ) -> Borough:
        """A renewed-framework report card and its area grades."""
        self.inspection(
            urn,
            inspection_date,
            framework="renewed_2025",
            inspection_type="report_card",
            category_of_concern=category_of_concern,
            safeguarding_met=safeguarding_met,
        )
        for area, grade in grades.items():
            self.area(urn, inspection_date, area, grade)
        return self

    def risk(
        self,
        urn: int,
        term_start: Day,
        area: str,
        rating: str,
        assessed_by: str | None = "lama.a",
        note: str | None = None,
    ) -> Borough:
        """One area of a termly risk assessment."""
        self.rows["risk_assessments"].append(
            {
                "urn": urn,
                "term_start": d(term_start),
                "area": area,
                "rating": rating,
                "assessed_by": assessed_by,
                "note": note,
            }
        )
        return self

    def warning(
        self, urn: int, issued_on: Day, kind: str, grounds: str | None = None, closed_on: Day | None = None
    ) -> Borough:
        """A warning notice."""
        self.rows["warnings"].append(
            {
                "urn": urn,
                "issued_on": d(issued_on),
                "kind": kind,
                "grounds": grounds,
                "closed_on": d(closed_on),
            }
        )
        return self

    def adviser(
        self,
        username: str,
        name: str,
        job_title: str = "Leadership and Management Adviser",
        email: str | None = None,
    ) -> Borough:
        """An adviser by name (the optional `advisers` table)."""
        self.rows["advisers"].append(
            {"username": username, "name": name, "job_title": job_title, "email": email}
        )
        return self

    def frame(self, table: str) -> pl.DataFrame:
        """One table as it will be written."""
        return contract_frame(table, self.rows[table])

    def write(self, omit: tuple[str, ...] = ()) -> Path:
        """Write every table (empty ones too, except those in `omit`) as Parquet; return the directory."""
        self.dir.mkdir(parents=True, exist_ok=True)
        for table in TABLES:
            path = self.dir / f"{table.name}.parquet"
            if table.name in omit:
                path.unlink(missing_ok=True)
                continue
            self.frame(table.name).write_parquet(path)
        return self.dir


Flag = tuple[int, str, str, date]


def flags_of(
    directory: Path, as_of: Day, viewer: Viewer | None = None, policy: Policy | None = None
) -> list[Flag]:
    """Every flag of a data directory as at a date: (urn, rule, severity, since), sorted."""
    store = load_store(directory, policy)
    try:
        flags = compute_flags(store, viewer or Viewer.system(), d(as_of))
    finally:
        store.con.close()
    return [(r["urn"], r["rule"], r["severity"], r["since"]) for r in flags.iter_rows(named=True)]

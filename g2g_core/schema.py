"""The data contract (SPEC §2): tables, columns, types and rules, declared once as data.

`g2g_core.validate` turns these declarations into set-based checks; `g2g_core.store` into typed tables.
Table and column names used in SQL come only from here, never from input.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from g2g_core.vocabulary import (
    ACTIVITIES,
    AREAS,
    CATEGORIES,
    FRAMEWORKS,
    INSPECTION_TYPES,
    LEVELS,
    PHASES,
    PLANS,
    RENEWED_GRADES,
    STATUSES,
    WARNING_KINDS,
)

ColumnType = Literal["int", "float", "str", "enum", "bool", "date"]

TYPE_WORDS: dict[str, str] = {
    "int": "must be a whole number",
    "float": "must be a number",
    "str": "must be text",
    "enum": "must be text",
    "bool": "must be true or false",
    "date": "must be an ISO date (YYYY-MM-DD)",
}
SQL_TYPES: dict[str, str] = {
    "int": "BIGINT",
    "float": "DOUBLE",
    "str": "VARCHAR",
    "enum": "VARCHAR",
    "bool": "BOOLEAN",
    "date": "DATE",
}

RISK_AREAS = (
    "standards",
    "leadership",
    "governance",
    "safeguarding",
    "finance",
    "hr",
    "attendance",
    "sen",
    "admissions",
    "premises",
    "parents",
)
RATINGS = ("low", "medium", "high")


# Text every output can carry (issue 19): no control characters in any text column (a vertical tab or ESC
# pasted from Word broke the PowerPoint pack; tab, line feed and carriage return are allowed), and names no
# longer than MAX_NAME_CHARS (a school name over 192 characters left the pack without a file).
MAX_NAME_CHARS = 200
NAME_COLUMNS = frozenset(
    {"name", "adviser", "headteacher", "chair_of_governors", "decided_by", "reviewer", "assessed_by"}
)
CONTROL_CHARACTERS_RE = r"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]"  # RE2, for DuckDB's regexp_matches
# The controls that reorder text on screen (bidirectional embeddings, overrides and isolates): removed from
# every text value as it is loaded, so no page, table, pack or export shows "…exe.pdf" as "…fdp.exe".
BIDI_CONTROLS_RE = r"[\x{202A}-\x{202E}\x{2066}-\x{2069}]"


@dataclass(frozen=True)
class Column:
    """One column of an export and the rules its values obey."""

    name: str
    type: ColumnType
    required: bool = True
    enum: tuple[str, ...] = ()
    check: str | None = None  # SQL over the typed value, written as `v`
    check_rule: str = ""
    default: str | None = (
        None  # SQL literal used when the column is absent; None = the column must be present
    )

    @property
    def sql_type(self) -> str:
        """The DuckDB type of the typed column."""
        return SQL_TYPES[self.type]


@dataclass(frozen=True)
class RowCheck:
    """A rule across columns of one row: `sql` must hold (NULLs pass)."""

    column: str
    sql: str
    rule: str


@dataclass(frozen=True)
class Table:
    """One export file."""

    name: str
    required: bool
    columns: tuple[Column, ...]
    unique: tuple[str, ...] = ()
    urn_in_schools: bool = False
    row_checks: tuple[RowCheck, ...] = ()
    council_only: tuple[str, ...] = ()
    description: str = ""

    def column(self, name: str) -> Column:
        """The column with this name."""
        return next(c for c in self.columns if c.name == name)

    @property
    def names(self) -> tuple[str, ...]:
        """The column names, in contract order."""
        return tuple(c.name for c in self.columns)


def _urn() -> Column:
    return Column("urn", "int", check="v > 0", check_rule="must be a positive whole number (a DfE URN)")


def _judgement(name: str) -> Column:
    return Column(name, "int", required=False, check="v BETWEEN 1 AND 4", check_rule="must be 1, 2, 3 or 4")


TABLES: tuple[Table, ...] = (
    Table(
        "schools",
        required=True,
        description="One row per school.",
        columns=(
            _urn(),
            Column("name", "str", check="length(trim(v)) > 0", check_rule="must not be empty"),
            Column("phase", "enum", enum=PHASES),
            Column("maintained", "bool"),
            Column("adviser", "str", required=False),
            Column("headteacher", "str", required=False),
            Column("chair_of_governors", "str", required=False),
            Column("closed_on", "date", required=False),
        ),
        unique=("urn",),
    ),
    Table(
        "categorisations",
        required=True,
        description="The history of categorisation decisions, one row each.",
        columns=(
            _urn(),
            Column("effective_from", "date"),
            Column("level", "enum", enum=LEVELS),
            Column("team_around_school", "bool", default="false"),
            Column("decided_on", "date"),
            Column("decided_by", "str", required=False),
            Column("reason", "str", required=False),
            _judgement("outcomes"),
            _judgement("ambition"),
            _judgement("leadership"),
            _judgement("capacity"),
            Column("letter_sent_on", "date", required=False),
            Column("target_exit_on", "date", required=False),
        ),
        unique=("urn", "effective_from"),
        urn_in_schools=True,
        row_checks=(
            RowCheck(
                "decided_on",
                "decided_on <= effective_from + INTERVAL 31 DAY",
                "must be no later than 31 days after effective_from",
            ),
        ),
    ),
    Table(
        "hours",
        required=True,
        description="Adviser time actually used, one row per activity.",
        columns=(
            _urn(),
            Column("date", "date"),
            Column("adviser", "str"),
            Column("activity", "enum", enum=ACTIVITIES),
            Column(
                "hours", "float", check="v > 0 AND v <= 24", check_rule="must be more than 0 and at most 24"
            ),
            Column("note", "str", required=False),
        ),
        urn_in_schools=True,
        council_only=("note",),
    ),
    Table(
        "plan_reviews",
        required=True,
        description="One row per plan priority per review.",
        columns=(
            _urn(),
            Column("plan", "enum", enum=PLANS),
            Column("priority", "str", check="length(trim(v)) > 0", check_rule="must not be empty"),
            Column("review_due", "date"),
            Column("reviewed_on", "date", required=False),
            Column("status", "enum", required=False, enum=STATUSES),
            Column("reviewer", "str", required=False),
            Column("note", "str", required=False),
        ),
        urn_in_schools=True,
        row_checks=(
            RowCheck(
                "status", "reviewed_on IS NULL OR status IS NOT NULL", "is required when reviewed_on is set"
            ),
        ),
    ),
    Table(
        "ofsted_inspections",
        required=False,
        description="Ofsted inspections, both frameworks.",
        columns=(
            _urn(),
            Column("inspection_date", "date"),
            Column("framework", "enum", enum=FRAMEWORKS),
            Column("inspection_type", "enum", enum=INSPECTION_TYPES),
            Column(
                "overall_grade",
                "int",
                required=False,
                check="v BETWEEN 1 AND 4",
                check_rule="must be 1, 2, 3 or 4",
            ),
            Column("category_of_concern", "enum", enum=CATEGORIES),
            Column("safeguarding_met", "bool", required=False),
        ),
        unique=("urn", "inspection_date"),
        row_checks=(
            RowCheck(
                "overall_grade",
                "overall_grade IS NULL OR framework = 'eif_2019'",
                "must be empty for the renewed framework (an overall grade exists only under EIF 2019)",
            ),
        ),
    ),
    Table(
        "ofsted_areas",
        required=False,
        description="Renewed-framework report card grades, one row per area.",
        columns=(
            _urn(),
            Column("inspection_date", "date"),
            Column("area", "enum", enum=AREAS),
            Column("grade", "enum", enum=RENEWED_GRADES),
        ),
        unique=("urn", "inspection_date", "area"),
    ),
    Table(
        "risk_assessments",
        required=False,
        description="Termly risk assessments by SIPs and service teams (council only).",
        columns=(
            _urn(),
            Column("term_start", "date"),
            Column("area", "enum", enum=RISK_AREAS),
            Column("rating", "enum", enum=RATINGS),
            Column("assessed_by", "str", required=False),
            Column("note", "str", required=False),
        ),
        unique=("urn", "term_start", "area"),
        urn_in_schools=True,
        council_only=("*",),
    ),
    Table(
        "warnings",
        required=False,
        description="Pre-formal and formal warning notices.",
        columns=(
            _urn(),
            Column("issued_on", "date"),
            Column("kind", "enum", enum=WARNING_KINDS),
            Column("grounds", "str", required=False),
            Column("closed_on", "date", required=False),
        ),
        urn_in_schools=True,
        row_checks=(RowCheck("closed_on", "closed_on >= issued_on", "must not be before issued_on"),),
    ),
    Table(
        "advisers",
        required=False,
        description="The council's advisers by name: the people behind the logins in schools and hours.",
        columns=(
            Column(
                "username",
                "str",
                check="length(trim(v)) > 0 AND v = trim(v)",
                check_rule="must not be empty nor start or end with a space",
            ),
            Column("name", "str", check="length(trim(v)) > 0", check_rule="must not be empty"),
            Column("job_title", "str", check="length(trim(v)) > 0", check_rule="must not be empty"),
            Column(
                "email",
                "str",
                required=False,
                check="regexp_full_match(v, '[^@\\s]+@[^@\\s]+\\.[^@\\s]+')",
                check_rule="must be an e-mail address (name@example.org)",
            ),
        ),
        unique=("username",),
    ),
)

TABLE_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}
FILE_SUFFIXES: tuple[str, ...] = (".parquet", ".csv", ".xlsx")

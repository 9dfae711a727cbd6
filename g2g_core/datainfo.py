"""What the Data page says about the data in force: sizes, dates, sources, and checks across tables.

Each table's rows, date range and source file; the rules each passed; and the checks across tables and
accounts that loading cannot make (SPEC §5 Data, issue 6).

Every function takes the viewer and answers only a director: the Data page is the authority's own view of
its exports, and its checks name schools and accounts across the whole portfolio.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

import polars as pl

from g2g_core.access import Viewer
from g2g_core.datadir import DATE_COLUMN, MANIFEST
from g2g_core.schema import TABLES, Table
from g2g_core.store import Store
from g2g_core.vocabulary import TABLE_NAMES


def _director(viewer: Viewer) -> None:
    if viewer.role != "director":
        raise PermissionError("only a director may see the Data page")


def manifest(store: Store) -> dict:
    """The manifest of the version in force ({} for a directory never uploaded to)."""
    try:
        body = json.loads(((store.live or store.data_dir) / MANIFEST).read_text(encoding="utf-8"))
        return body if isinstance(body, dict) else {}
    except (OSError, ValueError):
        return {}


def rule_count(table: Table) -> int:
    """How many rules of the contract a table's rows are checked against on load."""
    per_column = sum(1 + bool(c.required) + bool(c.enum) + bool(c.check) for c in table.columns)
    return per_column + len(table.row_checks) + bool(table.unique) + bool(table.urn_in_schools)


def table_summary(store: Store, viewer: Viewer) -> pl.DataFrame:
    """One row per table: rows, date range, when it was last refreshed, from which file, rules passed."""
    _director(viewer)
    files = manifest(store).get("files", {})
    rows = []
    for table in TABLES:
        info = store.tables.get(table.name)
        entry = files.get(table.name) if isinstance(files.get(table.name), dict) else {}
        first = last = None
        if table.name in DATE_COLUMN and info is not None and info.rows:
            col = DATE_COLUMN[table.name]  # identifiers from the contract, never from input
            first, last = store.sql(f'SELECT min("{col}"), max("{col}") FROM "{table.name}"').row(0)
        refreshed = None
        if entry.get("uploaded_at"):
            try:
                refreshed = datetime.fromisoformat(entry["uploaded_at"]).astimezone(UTC)
            except ValueError:
                refreshed = None
        if refreshed is None and info is not None and info.modified is not None:
            refreshed = info.modified.astimezone(UTC)
        if info is None or info.path is None:
            source = "not supplied (none recorded)"
        else:
            source = str(entry.get("source") or info.path.name)
        rows.append(
            {
                "Table": TABLE_NAMES[table.name],
                "Rows": info.rows if info else 0,
                "Earliest": first,
                "Latest": last,
                "Last refreshed (UTC)": refreshed.replace(tzinfo=None) if refreshed else None,
                "Source file": source,
                "Uploaded by": str(entry.get("uploaded_by") or ""),
                "Rules checked": rule_count(table),
            }
        )
    return pl.DataFrame(rows)


@dataclass(frozen=True)
class Check:
    """One check across tables or accounts: what it looks for, how many it found, and examples."""

    title: str
    explanation: str
    count: int
    examples: pl.DataFrame


def _accounts_frame(accounts: dict[str, dict]) -> pl.DataFrame:
    rows = []
    for username, entry in (accounts or {}).items():
        entry = entry if isinstance(entry, dict) else {}
        roles = entry.get("roles") or []
        role = roles[0] if isinstance(roles, list) and roles else entry.get("role")
        urn = entry.get("urn")
        try:
            urn = int(urn) if urn is not None else None
        except (TypeError, ValueError):
            urn = None
        rows.append({"username": str(username), "role": str(role or ""), "urn": urn})
    schema = {"username": pl.String, "role": pl.String, "urn": pl.Int64}
    return pl.DataFrame(rows, schema=schema) if rows else pl.DataFrame(schema=schema)


def referential_checks(
    store: Store, viewer: Viewer, accounts: dict[str, dict], limit: int = 20
) -> list[Check]:
    """Checks across tables and the accounts file; `accounts` is the credentials' `usernames` mapping."""
    _director(viewer)
    acc = _accounts_frame(accounts)
    advisers = set(acc.filter(pl.col("role") == "adviser")["username"].to_list())
    people = set(acc.filter(pl.col("role").is_in(["head", "governor"]))["urn"].drop_nulls().to_list())
    schools = store.sql("SELECT urn, name, adviser, closed_on FROM schools ORDER BY urn")
    open_schools = schools.filter(pl.col("closed_on").is_null())
    checks = []

    orphan_parts = []
    for table in TABLES:
        if table.name == "schools" or not store.tables.get(table.name) or not store.tables[table.name].rows:
            continue
        orphan_parts.append(
            f'SELECT \'{TABLE_NAMES[table.name]}\' AS "Table", t.urn AS "URN", count(*) AS "Rows" '
            f'FROM "{table.name}" t ANTI JOIN schools s ON t.urn = s.urn GROUP BY t.urn'
        )
    orphans = (
        store.sql(" UNION ALL ".join(orphan_parts) + ' ORDER BY "Table", "URN"')
        if orphan_parts
        else pl.DataFrame(schema={"Table": pl.String, "URN": pl.Int64, "Rows": pl.Int64})
    )
    checks.append(
        Check(
            "Rows for a school that is not in the schools table",
            "Categorisations, hours, plan reviews, risk assessments and warnings are refused on load when their "
            "school is unknown; Ofsted rows are accepted but not shown on any school.",
            int(orphans["Rows"].sum()) if orphans.height else 0,
            orphans.head(limit),
        )
    )

    unmatched_areas = store.sql(
        'SELECT a.urn AS "URN", a.inspection_date AS "Inspection date", count(*) AS "Areas" '
        "FROM ofsted_areas a ANTI JOIN ofsted_inspections i "
        "ON a.urn = i.urn AND a.inspection_date = i.inspection_date "
        "GROUP BY ALL ORDER BY 1, 2"
    )
    checks.append(
        Check(
            "Ofsted report-card areas with no matching inspection",
            "Each graded area should belong to an inspection of the same school on the same date.",
            int(unmatched_areas["Areas"].sum()) if unmatched_areas.height else 0,
            unmatched_areas.head(limit),
        )
    )

    attached = open_schools.filter(pl.col("adviser").is_not_null())
    no_account = (
        attached.filter(~pl.col("adviser").is_in(sorted(advisers)))
        .group_by("adviser")
        .agg(pl.len().alias("Open schools"), pl.col("urn").min().alias("First URN"))
        .sort("adviser")
        .rename({"adviser": "Adviser"})
    )
    hours_names = store.sql(
        'SELECT adviser AS "Adviser", count(*) AS "Hours rows" FROM hours GROUP BY adviser ORDER BY adviser'
    ).filter(~pl.col("Adviser").is_in(sorted(advisers)))
    checks.append(
        Check(
            "Advisers named in the data who have no adviser account",
            "A school's adviser must have an adviser account to see the school; hours may also be recorded by "
            "people without one (for example brokered support).",
            no_account.height,
            no_account.head(limit),
        )
    )
    checks.append(
        Check(
            "People who recorded hours and have no adviser account",
            "For information: their hours count towards the school's support, but they cannot sign in.",
            hours_names.height,
            hours_names.head(limit),
        )
    )

    nobody = open_schools.filter(
        (pl.col("adviser").is_null() | ~pl.col("adviser").is_in(sorted(advisers)))
        & ~pl.col("urn").is_in(sorted(people))
    ).select(pl.col("urn").alias("URN"), pl.col("name").alias("School"), pl.col("adviser").alias("Adviser"))
    checks.append(
        Check(
            "Open schools in scope of nobody but directors",
            "No adviser account is attached to these schools, and no headteacher or governor account names them.",
            nobody.height,
            nobody.head(limit),
        )
    )

    open_urns = set(open_schools["urn"].to_list())
    stray = acc.filter(
        pl.col("role").is_in(["head", "governor"])
        & (pl.col("urn").is_null() | ~pl.col("urn").is_in(sorted(open_urns)))
    ).rename({"username": "Account", "role": "Role", "urn": "URN"})
    checks.append(
        Check(
            "Headteacher and governor accounts whose school is not open",
            "These accounts see nothing until their URN names an open school.",
            stray.height,
            stray.head(limit),
        )
    )
    return checks

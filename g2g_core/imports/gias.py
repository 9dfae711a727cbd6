"""DfE's GIAS establishment extract into `schools` (SPEC §2): the authority's own remit, advisers kept."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import polars as pl

from g2g_core.datadir import display_name
from g2g_core.imports.common import (
    ImportResult,
    blank,
    date_of,
    decode_windows_1252,
    find_columns,
    read_csv_text,
    source_bytes,
    urn_of,
)
from g2g_core.schema import TABLE_BY_NAME
from g2g_core.validate import Problem

G_URN = "URN"
G_LA = "LA (code)"
G_NAME = "EstablishmentName"
G_TYPE = "TypeOfEstablishment (name)"
G_GROUP = "EstablishmentTypeGroup (name)"
G_STATUS = "EstablishmentStatus (name)"
G_CLOSE = "CloseDate"
G_PHASE = "PhaseOfEducation (name)"
G_HEAD_FIRST = "HeadFirstName"
G_HEAD_LAST = "HeadLastName"
GIAS_COLUMNS = (G_URN, G_LA, G_NAME, G_TYPE, G_GROUP, G_STATUS, G_CLOSE, G_PHASE, G_HEAD_FIRST, G_HEAD_LAST)

# Establishment types run by the authority whatever their group: GIAS puts community and foundation special
# schools in the "Special schools" group, beside non-maintained special schools, which are not the LA's.
LA_MAINTAINED_TYPES = {
    "community special school",
    "foundation special school",
    "pupil referral unit",
    "local authority nursery school",
}
MAINTAINED_GROUPS = {"local authority maintained schools"}
ACADEMY_GROUPS = {"academies", "free schools"}
# Phase of education (name) -> contract phase; "Not applicable" is decided from the type.
PHASE_NAMES = {
    "nursery": "nursery",
    "primary": "primary",
    "middle deemed primary": "primary",
    "secondary": "secondary",
    "middle deemed secondary": "secondary",
    "16 plus": "secondary",
    "all-through": "all_through",
    "all through": "all_through",
}


def _gias_scope(type_name: str, group: str) -> tuple[bool | None, str]:
    """(maintained, why): True/False for the schools an authority supports, None (with the group) otherwise."""
    t, g = type_name.casefold(), group.casefold()
    if t in LA_MAINTAINED_TYPES or g in MAINTAINED_GROUPS:
        return True, ""
    if g in ACADEMY_GROUPS:
        return False, ""
    # Independent schools, non-maintained special schools, colleges, universities, "Other types", Welsh
    # establishments, online providers: outside a local authority's school-improvement remit.
    if t == "non-maintained special school":
        return None, "non-maintained special schools"
    return None, (group or "no establishment type group").casefold()


def _gias_phase(phase_name: str | None, type_name: str) -> str | None:
    """The contract phase: special and alternative provision by type first, then the phase of education."""
    t = type_name.casefold()
    if "special" in t:
        return "special"
    if "pupil referral unit" in t or "alternative provision" in t:
        return "alternative_provision"
    phase = PHASE_NAMES.get((phase_name or "").casefold())
    if phase:
        return phase
    if "nursery" in t:  # a local authority nursery school has the phase "Not applicable"
        return "nursery"
    return None


def gias_schools(
    source: bytes | Path, la_code: int, existing: pl.DataFrame | None, *, name: str | None = None
) -> ImportResult:
    """The `schools` table from a GIAS establishment extract: the authority's schools, merged with `existing`."""
    label = display_name(name or (source.name if isinstance(source, Path) else "GIAS extract"))
    result = ImportResult()
    data = source_bytes(source, label)
    text = data if isinstance(data, Problem) else decode_windows_1252(data, label, "GIAS")
    frame = text if isinstance(text, Problem) else read_csv_text(text, label)
    if isinstance(frame, Problem):
        result.problems.append(frame)
        return result
    cols = find_columns(frame, GIAS_COLUMNS, (), label, "GIAS establishment extract")
    if isinstance(cols, list):
        result.problems.extend(cols)
        return result

    ours = frame.filter(pl.col(cols[G_LA]).str.strip_chars().cast(pl.Int64, strict=False) == la_code)
    rows_read, rows_la = frame.height, ours.height
    excluded: Counter[str] = Counter()
    imported: dict[int, dict] = {}
    seen_rows: dict[int, int] = {}
    for rec in ours.iter_rows(named=True):
        row = rec["__row"]
        cell = {k: blank(rec[c]) for k, c in cols.items()}
        urn = urn_of(cell[G_URN])
        if urn is None:
            result.problems.append(
                Problem(label, row, G_URN, cell[G_URN], "must be a positive whole number (a DfE URN)")
            )
            continue
        if urn in seen_rows:
            result.problems.append(
                Problem(label, row, G_URN, str(urn), f"duplicates row {seen_rows[urn]}: URN must be unique")
            )
            continue
        seen_rows[urn] = row
        type_name, group = cell[G_TYPE] or "", cell[G_GROUP] or ""
        maintained, why = _gias_scope(type_name, group)
        if maintained is None:
            excluded[why] += 1
            continue
        phase = _gias_phase(cell[G_PHASE], type_name)
        if phase is None:
            result.problems.append(
                Problem(
                    label,
                    row,
                    G_PHASE,
                    cell[G_PHASE],
                    f"gives no phase for a '{type_name}': expected Nursery, Primary, Middle deemed primary, "
                    "Secondary, Middle deemed secondary, 16 plus or All-through",
                )
            )
        if not cell[G_NAME]:
            result.problems.append(Problem(label, row, G_NAME, None, "is required (it must not be empty)"))
        closed_on = date_of(cell[G_CLOSE])
        if cell[G_CLOSE] and (closed_on is None or not re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", cell[G_CLOSE])):
            result.problems.append(
                Problem(label, row, G_CLOSE, cell[G_CLOSE], "must be a date written dd/mm/yyyy")
            )
            closed_on = None
        status = (cell[G_STATUS] or "").casefold()
        if status == "closed":
            if cell[G_CLOSE] is None:
                result.problems.append(
                    Problem(label, row, G_CLOSE, None, "is required for a school whose status is Closed")
                )
        else:
            # "Open, but proposed to close" carries the proposed date: the school is still open.
            closed_on = None
        head = " ".join(p for p in (cell[G_HEAD_FIRST], cell[G_HEAD_LAST]) if p) or None
        imported[urn] = {
            "urn": urn,
            "name": cell[G_NAME],
            "phase": phase,
            "maintained": maintained,
            "headteacher": head,
            "closed_on": closed_on,
        }

    before = {r["urn"]: r for r in (existing.iter_rows(named=True) if existing is not None else [])}
    merged: list[dict] = []
    new = updated = unchanged = 0
    for urn, row in imported.items():
        old = before.get(urn)
        if old is None:
            new += 1
            merged.append({**row, "adviser": None, "chair_of_governors": None})
            continue
        # GIAS is the record of name, phase, status and head; the council's own assignments are kept. A head
        # left blank in GIAS (common for closed schools) keeps the name already recorded.
        row = {**row, "headteacher": row["headteacher"] or old.get("headteacher")}
        changed = any(
            row[k] != old.get(k) for k in ("name", "phase", "maintained", "headteacher", "closed_on")
        )
        updated += changed
        unchanged += not changed
        merged.append(
            {**old, **row, "adviser": old.get("adviser"), "chair_of_governors": old.get("chair_of_governors")}
        )
    kept = [r for urn, r in before.items() if urn not in imported]
    merged.extend(kept)

    columns = TABLE_BY_NAME["schools"].names
    schema = {
        "urn": pl.Int64,
        "name": pl.String,
        "phase": pl.String,
        "maintained": pl.Boolean,
        "adviser": pl.String,
        "headteacher": pl.String,
        "chair_of_governors": pl.String,
        "closed_on": pl.Date,
    }
    table = pl.DataFrame([{c: r.get(c) for c in columns} for r in merged], schema=schema, orient="row")
    result.tables["schools"] = table.sort("urn")
    closed = sum(1 for r in imported.values() if r["closed_on"] is not None)
    result.counts = {
        "rows_read": rows_read,
        "rows_la": rows_la,
        "excluded": sum(excluded.values()),
        "imported": len(imported),
        "new": new,
        "updated": updated,
        "unchanged": unchanged,
        "closed": closed,
        "kept": len(kept),
    }
    result.summary = [
        f"{rows_read:,} establishment(s) read from {label}; {rows_la:,} in LA {la_code}.",
        f"{len(imported):,} school(s) imported: {new:,} new, {updated:,} updated, {unchanged:,} unchanged; "
        f"{closed:,} of them closed (kept for history).",
    ]
    if excluded:
        parts = ", ".join(f"{why} ({n:,})" for why, n in sorted(excluded.items()))
        result.summary.append(
            f"{sum(excluded.values()):,} left out as outside the authority's school-improvement remit: {parts}."
        )
    result.summary.append(
        f"{len(kept):,} school(s) already recorded but not in the extract for LA {la_code} kept as they were."
    )
    return result

"""Ofsted's management information (most recent inspections) into `ofsted_inspections` and `ofsted_areas`."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import polars as pl

from g2g_core.datadir import display_name
from g2g_core.imports.common import (
    RENEWED_FROM,
    ImportResult,
    blank,
    date_of,
    decode_windows_1252,
    dedupe,
    find_columns,
    norm,
    read_csv_text,
    source_bytes,
    urn_of,
)
from g2g_core.sheets import SheetError, body_rows, read_workbook, text_frame
from g2g_core.validate import Problem

O_URN = "URN"
O_RC_DATE = "Inspection start date"
O_RC_TYPE = "Inspection type"
O_RC_GROUPING = "Inspection type grouping"
O_RC_EVENT = "Event type grouping"
O_RC_CATEGORY = "Category of concern"
O_RC_SAFEGUARDING = "Safeguarding standards"
O_OEIF_DATE = "Inspection start date of latest OEIF graded inspection"
O_OEIF_CATEGORY = "Latest OEIF category of concern"
O_OEIF_OVERALL = "Latest OEIF overall effectiveness"
O_OEIF_SAFEGUARDING = "Latest OEIF  safeguarding is effective?"  # sic: Ofsted writes two spaces
O_UNGRADED_DATE = "Date of latest ungraded inspection"
AREA_COLUMNS = {
    "Inclusion": "inclusion",
    "Curriculum and teaching": "curriculum_and_teaching",
    "Achievement": "achievement",
    "Attendance and behaviour": "attendance_and_behaviour",
    "Personal development and wellbeing": "personal_development_and_wellbeing",
    "Early years (where applicable)": "early_years",
    "Post-16 provision (where applicable)": "post_16",
    "Leadership and governance": "leadership_and_governance",
}
OFSTED_COLUMNS = (
    O_URN,
    O_RC_DATE,
    O_RC_CATEGORY,
    O_RC_SAFEGUARDING,
    *AREA_COLUMNS,
    O_OEIF_DATE,
    O_OEIF_CATEGORY,
    O_OEIF_OVERALL,
    O_OEIF_SAFEGUARDING,
    O_UNGRADED_DATE,
)
OFSTED_OPTIONAL = (O_RC_TYPE, O_RC_GROUPING, O_RC_EVENT)

RENEWED_GRADE_WORDS = {
    "exceptional": "exceptional",
    "strong standard": "strong_standard",
    "expected standard": "expected_standard",
    "needs attention": "needs_attention",
    "urgent improvement": "urgent_improvement",
}
# Renewed-framework areas that do not apply to a school are left empty or written as one of these.
AREA_NOT_GRADED = {"not applicable", "not graded", "not judged", "9"}
CATEGORY_WORDS = {
    "sm": "special_measures",
    "special measures": "special_measures",
    "swk": "serious_weaknesses",
    "serious weaknesses": "serious_weaknesses",
    "rsi": "requires_significant_improvement",
    "requires significant improvement": "requires_significant_improvement",
    "none": "none",
    "no category": "none",
    "not applicable": "none",
    "9": "none",
}
OEIF_GRADE_NULL = {"9", "not judged", "not applicable"}  # 9 = not applicable; "Not judged" since Sept 2024
OEIF_SAFEGUARDING = {"yes": True, "no": False, "9": None, "not applicable": None, "not judged": None}
RENEWED_SAFEGUARDING = {"met": True, "not met": False, "not applicable": None}
# When two inspections of one school share a date, the one that judged the school wins.
TYPE_RANK = {"report_card": 0, "graded": 1, "monitoring": 2, "ungraded": 3}


def _most_recent_sheet(wb) -> pl.DataFrame:
    """The "most recent inspections" sheet of the MI workbook: found by name, header found by its URN cell."""
    sheets = [ws for ws in wb.worksheets if "most recent" in norm(ws.title)]
    if not sheets:
        names = ", ".join(ws.title for ws in wb.worksheets)
        raise SheetError(f"has no 'most recent inspections' sheet (it has: {names})")
    rows = sheets[0].iter_rows(values_only=True)
    header, above = None, 0
    for row in rows:  # Ofsted puts title lines above the header
        above += 1
        if any(norm(c) == "urn" for c in row if c is not None):
            header = [str(c).strip() if c is not None else f"column {i + 1}" for i, c in enumerate(row)]
            break
        if above > 30:
            break
    if header is None:
        raise SheetError("has no header row with a URN column in its first 30 rows")
    return text_frame(dedupe(header), body_rows(rows, whole_days=True))


def _read_mi_xlsx(data: bytes, label: str) -> pl.DataFrame | Problem:
    """The MI workbook's most recent inspections as text columns, numbered from row 1; a Problem if unreadable."""
    try:
        frame = read_workbook(data, _most_recent_sheet)
    except SheetError as exc:
        return Problem(label, None, None, None, str(exc))
    except (OSError, ValueError):
        return Problem(label, None, None, None, "is not an Excel workbook (.xlsx)")
    return frame.with_row_index("__row", offset=1).with_columns(pl.col("__row").cast(pl.Int64))


def _lookup(
    mapping: dict, text: str | None, label: str, row: int, column: str, rule: str, problems: list[Problem]
) -> tuple[bool, object]:
    """(found, value) for a cell through a table of words (compared case- and space-insensitively)."""
    if text is None:
        return True, None
    key = norm(text)
    if key in mapping:
        return True, mapping[key]
    problems.append(Problem(label, row, column, text, rule))
    return False, None


def _mi_date(text: str | None, label: str, row: int, column: str, problems: list[Problem]) -> date | None:
    value = date_of(text)
    if text is not None and value is None:
        problems.append(Problem(label, row, column, text, "must be a date written dd/mm/yyyy or YYYY-MM-DD"))
    return value


def _mi_row(
    rec: dict, cols: dict[str, str], urn: int, label: str, problems: list[Problem]
) -> list[tuple[dict, list]]:
    """Up to three inspections of one school (report card, latest OEIF graded, latest ungraded), with areas."""
    row = rec["__row"]
    cell = {k: blank(rec[c]) for k, c in cols.items()}
    found: list[tuple[dict, list]] = []

    # The renewed framework's latest full inspection: a report card (or, if Ofsted says so, a monitoring visit).
    rc_date = _mi_date(cell[O_RC_DATE], label, row, O_RC_DATE, problems)
    if rc_date is not None:
        kind_text = " ".join(cell.get(k) or "" for k in OFSTED_OPTIONAL).casefold()
        kind = "monitoring" if "monitoring" in kind_text else "report_card"
        if rc_date < RENEWED_FROM:
            problems.append(
                Problem(
                    label,
                    row,
                    O_RC_DATE,
                    cell[O_RC_DATE],
                    "must be on or after 10 November 2025 (the renewed framework's inspections start then)",
                )
            )
        _, category = _lookup(
            CATEGORY_WORDS,
            cell[O_RC_CATEGORY],
            label,
            row,
            O_RC_CATEGORY,
            "is not a category of concern Ofsted uses (Special measures, Requires significant improvement, or empty)",
            problems,
        )
        _, safeguarding = _lookup(
            RENEWED_SAFEGUARDING,
            cell[O_RC_SAFEGUARDING],
            label,
            row,
            O_RC_SAFEGUARDING,
            "must be Met, Not met or empty",
            problems,
        )
        areas = []
        for column, area in AREA_COLUMNS.items():
            text = cell[column]
            if text is None or norm(text) in AREA_NOT_GRADED:
                continue
            ok, grade = _lookup(
                RENEWED_GRADE_WORDS,
                text,
                label,
                row,
                column,
                "is not a report card grade (Exceptional, Strong standard, Expected standard, Needs attention, "
                "Urgent improvement)",
                problems,
            )
            if ok and kind == "report_card":
                areas.append({"urn": urn, "inspection_date": rc_date, "area": area, "grade": grade})
        found.append(
            (
                {
                    "urn": urn,
                    "inspection_date": rc_date,
                    "framework": "renewed_2025",
                    "inspection_type": kind,
                    "overall_grade": None,
                    "category_of_concern": category or "none",
                    "safeguarding_met": safeguarding,
                },
                areas,
            )
        )

    # The latest graded inspection under the EIF (2019-2025).
    oeif_date = _mi_date(cell[O_OEIF_DATE], label, row, O_OEIF_DATE, problems)
    if oeif_date is not None:
        grade = None
        overall = cell[O_OEIF_OVERALL]
        if overall is not None and norm(overall) not in OEIF_GRADE_NULL:
            if overall in {"1", "2", "3", "4"}:
                grade = int(overall)
            else:
                problems.append(
                    Problem(
                        label,
                        row,
                        O_OEIF_OVERALL,
                        overall,
                        "must be 1, 2, 3, 4, 9 (not applicable), Not judged or empty",
                    )
                )
        _, category = _lookup(
            CATEGORY_WORDS,
            cell[O_OEIF_CATEGORY],
            label,
            row,
            O_OEIF_CATEGORY,
            "is not a category of concern Ofsted uses (SM, SWK or empty)",
            problems,
        )
        _, safeguarding = _lookup(
            OEIF_SAFEGUARDING,
            cell[O_OEIF_SAFEGUARDING],
            label,
            row,
            O_OEIF_SAFEGUARDING,
            "must be Yes, No, 9 (not applicable) or empty",
            problems,
        )
        found.append(
            (
                {
                    "urn": urn,
                    "inspection_date": oeif_date,
                    "framework": "eif_2019",
                    "inspection_type": "graded",
                    "overall_grade": grade,
                    "category_of_concern": category or "none",
                    "safeguarding_met": safeguarding,
                },
                [],
            )
        )

    # The latest ungraded inspection: no grade, no category; its framework follows from its date.
    ungraded = _mi_date(cell[O_UNGRADED_DATE], label, row, O_UNGRADED_DATE, problems)
    if ungraded is not None:
        found.append(
            (
                {
                    "urn": urn,
                    "inspection_date": ungraded,
                    "framework": "renewed_2025" if ungraded >= RENEWED_FROM else "eif_2019",
                    "inspection_type": "ungraded",
                    "overall_grade": None,
                    "category_of_concern": "none",
                    "safeguarding_met": None,
                },
                [],
            )
        )
    # (urn, inspection_date) is unique: of inspections on one day, the one that judged the school is kept.
    found.sort(key=lambda f: TYPE_RANK[f[0]["inspection_type"]])
    days: set[date] = set()
    kept = []
    for insp, areas in found:
        if insp["inspection_date"] not in days:
            days.add(insp["inspection_date"])
            kept.append((insp, areas))
    return kept


INSPECTION_SCHEMA = {
    "urn": pl.Int64,
    "inspection_date": pl.Date,
    "framework": pl.String,
    "inspection_type": pl.String,
    "overall_grade": pl.Int8,
    "category_of_concern": pl.String,
    "safeguarding_met": pl.Boolean,
}
AREA_SCHEMA = {"urn": pl.Int64, "inspection_date": pl.Date, "area": pl.String, "grade": pl.String}


def ofsted_tables(
    source: bytes | Path, *, name: str | None = None, urns: set[int] | None = None
) -> ImportResult:
    """`ofsted_inspections` and `ofsted_areas` from Ofsted's MI, most recent inspections (CSV or xlsx).

    Only the schools in `urns` are kept when it is given (the authority's own).
    """
    label = display_name(name or (source.name if isinstance(source, Path) else "Ofsted MI"))
    result = ImportResult()
    data = source_bytes(source, label)
    if isinstance(data, Problem):
        frame: pl.DataFrame | Problem = data
    elif data.startswith(b"PK\x03\x04"):
        frame = _read_mi_xlsx(data, label)
    else:
        text = decode_windows_1252(data, label, "Ofsted")
        frame = text if isinstance(text, Problem) else read_csv_text(text, label)
    if isinstance(frame, Problem):
        result.problems.append(frame)
        return result
    cols = find_columns(frame, OFSTED_COLUMNS, OFSTED_OPTIONAL, label, "Ofsted most recent inspections file")
    if isinstance(cols, list):
        result.problems.extend(cols)
        return result

    inspections: list[dict] = []
    areas: list[dict] = []
    outside = 0
    seen: dict[int, int] = {}
    for rec in frame.iter_rows(named=True):
        row = rec["__row"]
        raw = blank(rec[cols[O_URN]])
        urn = urn_of(raw)
        if urn is None:
            if raw is not None or any(blank(v) for k, v in rec.items() if k != "__row"):
                result.problems.append(
                    Problem(label, row, O_URN, raw, "must be a positive whole number (a DfE URN)")
                )
            continue
        if urns is not None and urn not in urns:
            outside += 1
            continue
        if urn in seen:
            result.problems.append(
                Problem(label, row, O_URN, str(urn), f"duplicates row {seen[urn]}: one row per school")
            )
            continue
        seen[urn] = row
        for insp, insp_areas in _mi_row(rec, cols, urn, label, result.problems):
            inspections.append(insp)
            areas.extend(insp_areas)

    result.tables["ofsted_inspections"] = pl.DataFrame(
        inspections, schema=INSPECTION_SCHEMA, orient="row"
    ).sort("urn", "inspection_date")
    result.tables["ofsted_areas"] = pl.DataFrame(areas, schema=AREA_SCHEMA, orient="row").sort(
        "urn", "inspection_date", "area"
    )
    kinds = Counter(i["inspection_type"] for i in inspections)
    result.counts = {
        "rows_read": frame.height,
        "schools": len(seen),
        "outside": outside,
        "inspections": len(inspections),
        "areas": len(areas),
        **{f"type_{k}": v for k, v in kinds.items()},
    }
    scope = "" if urns is None else f"; {outside:,} row(s) for schools outside the authority left out"
    by_kind = ", ".join(f"{kinds[k]:,} {k.replace('_', ' ')}" for k in TYPE_RANK if kinds[k])
    result.summary = [
        f"{frame.height:,} school row(s) read from {label}{scope}.",
        f"{len(inspections):,} inspection(s) of {len(seen):,} school(s)"
        + (f" ({by_kind})" if by_kind else "")
        + f", with {len(areas):,} report card area grade(s).",
    ]
    return result


def merge_inspections(
    imported: ImportResult, existing_inspections: pl.DataFrame, existing_areas: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, int]]:
    """The Ofsted tables after an import: the file's inspections, plus every earlier one it does not restate.

    An inspection already recorded for the same school and date is replaced by the file's, areas and all.
    """
    new_insp = imported.tables["ofsted_inspections"]
    new_areas = imported.tables["ofsted_areas"]
    keys = new_insp.select("urn", "inspection_date")
    old_insp = existing_inspections.select(list(INSPECTION_SCHEMA)).cast(INSPECTION_SCHEMA)
    old_areas = existing_areas.select(list(AREA_SCHEMA)).cast(AREA_SCHEMA)
    kept_insp = old_insp.join(keys, on=["urn", "inspection_date"], how="anti")
    kept_areas = old_areas.join(keys, on=["urn", "inspection_date"], how="anti")
    replaced = old_insp.height - kept_insp.height
    counts = {"new": new_insp.height - replaced, "replaced": replaced, "kept": kept_insp.height}
    inspections = pl.concat([kept_insp, new_insp]).sort("urn", "inspection_date")
    areas = pl.concat([kept_areas, new_areas]).sort("urn", "inspection_date", "area")
    return inspections, areas, counts

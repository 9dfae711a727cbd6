"""The national imports (SPEC §2): GIAS establishments into `schools`, Ofsted's MI into the Ofsted tables.

DfE's GIAS establishment extract gives `schools`; Ofsted's monthly management information (most recent
inspections) gives `ofsted_inspections` and `ofsted_areas`, both frameworks.

Both files are read as they are published: Windows-1252 CSV, columns found by name (never by position;
unknown columns ignored), dates written dd/mm/yyyy (Ofsted's may also be ISO). `gias_schools` and
`ofsted_tables` turn a file into contract frames, a summary and a list of `Problem`s, and never raise on bad
data. `import_gias` and `import_ofsted` merge those frames with the live data and hand them to
`g2g_core.datadir.publish`, so the result is checked with the rest of the data and goes live whole or not at
all.

Decisions the mapping makes (each one also explained where it is made):

* GIAS rows are kept only for the authority's own school-improvement remit: LA-maintained schools
  (including community and foundation special schools, pupil referral units and LA nursery schools) and
  academies and free schools (which may buy in services). Independent schools, non-maintained special
  schools, colleges, universities, "Other types" (secure units, service children's education, ...), Welsh
  establishments and online providers are left out and counted in the summary.
* Nothing already recorded is lost: advisers and chairs of governors are kept by URN, a school missing from
  the extract is kept as it was, and an Ofsted inspection already recorded is kept unless the file holds
  the same school's inspection of the same date (then the file's version replaces it, with its areas).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import polars as pl

from g2g_core.access import Viewer
from g2g_core.audit import AuditEvent, audit_log
from g2g_core.datadir import UploadError, Version, display_name, frame_upload, publish, require_director
from g2g_core.policy import Policy, load_policy
from g2g_core.schema import TABLE_BY_NAME
from g2g_core.store import DataError, Store, open_store
from g2g_core.validate import XLSX_MAX_UNCOMPRESSED, Problem

RENEWED_FROM = date(2025, 11, 10)  # the renewed Ofsted framework's first day (SPEC §1.4)
NULL_WORDS = {"", "null", "n/a", "na"}  # how the MI writes "nothing here"

# --- GIAS ------------------------------------------------------------------------------------------------

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

# --- Ofsted MI ---------------------------------------------------------------------------------------------

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


@dataclass
class ImportResult:
    """What a national file became: contract frames by table, a summary for people, and every problem."""

    tables: dict[str, pl.DataFrame] = field(default_factory=dict)
    summary: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Imported:
    """A national import that went live: what it did, and the new version."""

    summary: list[str]
    version: Version


# --- reading ----------------------------------------------------------------------------------------------


def _norm(name: object) -> str:
    """A header as compared: spaces collapsed, trimmed, case folded (Ofsted's double space tolerated)."""
    return " ".join(str(name).split()).casefold()


def _blank(value: object) -> str | None:
    """A cell's text, or None for an empty cell (or the MI's NULL)."""
    if value is None:
        return None
    text = str(value).strip()
    return None if text.casefold() in NULL_WORDS else text


def _source_bytes(source: bytes | Path, label: str) -> bytes | Problem:
    if isinstance(source, bytes | bytearray):
        return bytes(source)
    try:
        return Path(source).read_bytes()
    except FileNotFoundError:
        return Problem(label, None, None, None, "could not be found (was it moved or deleted?)")
    except OSError as exc:
        return Problem(label, None, None, None, f"could not be read ({exc.strerror or exc})")


def decode_windows_1252(data: bytes, label: str, publisher: str) -> str | Problem:
    """The text of a Windows-1252 file, or a Problem saying which encoding it seems to be in instead.

    Pure ASCII is valid in every encoding and accepted. A byte-order mark or NUL bytes mean UTF-8 with a
    BOM or UTF-16 (what Excel's "Unicode text" and "CSV UTF-8" write). Non-ASCII bytes that are all valid
    UTF-8 mean a UTF-8 file: decoding it as Windows-1252 would not fail but would turn "é" into "Ã©", so it
    is refused rather than imported garbled.
    """
    fix = f"{publisher} publishes this file in Windows-1252: import the file as downloaded, not re-saved"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        return Problem(label, None, None, None, f"is UTF-16 text, not Windows-1252; {fix}")
    if data.startswith(b"\xef\xbb\xbf"):
        return Problem(label, None, None, None, f"is UTF-8 text (it starts with a byte-order mark); {fix}")
    if not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return Problem(
                label,
                None,
                None,
                None,
                f"is UTF-8 text (accented letters are written as two bytes), not Windows-1252; {fix}",
            )
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start)  # 0 = the header
        return Problem(
            label,
            line or None,
            None,
            f"byte 0x{data[exc.start]:02X}",
            f"is not a Windows-1252 character (at byte {exc.start}); {fix}",
        )


def _read_csv_text(text: str, label: str) -> pl.DataFrame | Problem:
    if not text.strip():
        return Problem(label, None, None, None, "is empty (no header row)")
    try:
        frame = pl.read_csv(
            io.BytesIO(text.encode("utf-8")),
            infer_schema=False,
            truncate_ragged_lines=False,
        )
    except (pl.exceptions.PolarsError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return Problem(label, None, None, None, f"could not be read as CSV ({first[:200]})")
    return frame.with_row_index("__row", offset=1).with_columns(pl.col("__row").cast(pl.Int64))


def _xlsx_cell(cell: object) -> str | None:
    if cell is None:
        return None
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def _read_mi_xlsx(data: bytes, label: str) -> pl.DataFrame | Problem:
    """The "most recent inspections" sheet of the MI workbook: found by name, header found by its URN cell."""
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if sum(i.file_size for i in zf.infolist()) > XLSX_MAX_UNCOMPRESSED:
                return Problem(label, None, None, None, "unpacks to more than 200 MB; refused as unsafe")
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return Problem(label, None, None, None, "is not an Excel workbook (.xlsx)")
    try:
        sheets = [ws for ws in wb.worksheets if "most recent" in _norm(ws.title)]
        if not sheets:
            names = ", ".join(ws.title for ws in wb.worksheets)
            return Problem(
                label, None, None, None, f"has no 'most recent inspections' sheet (it has: {names})"
            )
        rows = sheets[0].iter_rows(values_only=True)
        header, above = None, 0
        for row in rows:  # Ofsted puts title lines above the header
            above += 1
            if any(_norm(c) == "urn" for c in row if c is not None):
                header = [str(c).strip() if c is not None else f"column {i + 1}" for i, c in enumerate(row)]
                break
            if above > 30:
                break
        if header is None:
            return Problem(
                label, None, None, None, "has no header row with a URN column in its first 30 rows"
            )
        body = [[_xlsx_cell(c) for c in r] for r in rows if any(c is not None for c in r)]
    finally:
        wb.close()
    width = len(header)
    body = [(r + [None] * width)[:width] for r in body]
    frame = pl.DataFrame(body, schema=dict.fromkeys(_dedupe(header), pl.String), orient="row")
    return frame.with_row_index("__row", offset=1).with_columns(pl.col("__row").cast(pl.Int64))


def _dedupe(names: list[str]) -> list[str]:
    seen: Counter[str] = Counter()
    out = []
    for n in names:
        seen[n] += 1
        out.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    return out


def _find_columns(
    frame: pl.DataFrame, needed: tuple[str, ...], optional: tuple[str, ...], label: str, what: str
) -> dict[str, str] | list[Problem]:
    """Map each needed (and optional) column name to the file's own header, by name; problems if missing."""
    by_norm: dict[str, str] = {}
    for col in frame.columns:
        by_norm.setdefault(_norm(col), col)
    missing = [n for n in needed if _norm(n) not in by_norm]
    if missing:
        return [
            Problem(
                label,
                None,
                n,
                None,
                f"column is missing (the {what} must have it; columns are found by name)",
            )
            for n in missing
        ]
    return {n: by_norm[_norm(n)] for n in (*needed, *optional) if _norm(n) in by_norm}


def _date(text: str | None) -> date | None:
    """A dd/mm/yyyy or ISO date (with or without a midnight time); None if it is neither. Raises nothing."""
    if text is None:
        return None
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    try:
        if m:
            return date(int(m[3]), int(m[2]), int(m[1]))
        m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00(?::00(?:\.0+)?)?)?", text)
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
    return None


def _urn(text: str | None) -> int | None:
    if text is None or not re.fullmatch(r"\d{1,9}", text):
        return None
    value = int(text)
    return value if value > 0 else None


# --- GIAS -> schools ----------------------------------------------------------------------------------------


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
    data = _source_bytes(source, label)
    text = data if isinstance(data, Problem) else decode_windows_1252(data, label, "GIAS")
    frame = text if isinstance(text, Problem) else _read_csv_text(text, label)
    if isinstance(frame, Problem):
        result.problems.append(frame)
        return result
    cols = _find_columns(frame, GIAS_COLUMNS, (), label, "GIAS establishment extract")
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
        cell = {k: _blank(rec[c]) for k, c in cols.items()}
        urn = _urn(cell[G_URN])
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
        closed_on = _date(cell[G_CLOSE])
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


# --- Ofsted MI -> ofsted_inspections, ofsted_areas --------------------------------------------------------------


def _lookup(
    mapping: dict, text: str | None, label: str, row: int, column: str, rule: str, problems: list[Problem]
) -> tuple[bool, object]:
    """(found, value) for a cell through a table of words (compared case- and space-insensitively)."""
    if text is None:
        return True, None
    key = _norm(text)
    if key in mapping:
        return True, mapping[key]
    problems.append(Problem(label, row, column, text, rule))
    return False, None


def _mi_date(text: str | None, label: str, row: int, column: str, problems: list[Problem]) -> date | None:
    value = _date(text)
    if text is not None and value is None:
        problems.append(Problem(label, row, column, text, "must be a date written dd/mm/yyyy or YYYY-MM-DD"))
    return value


def _mi_row(
    rec: dict, cols: dict[str, str], urn: int, label: str, problems: list[Problem]
) -> list[tuple[dict, list]]:
    """Up to three inspections of one school (report card, latest OEIF graded, latest ungraded), with areas."""
    row = rec["__row"]
    cell = {k: _blank(rec[c]) for k, c in cols.items()}
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
            if text is None or _norm(text) in AREA_NOT_GRADED:
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
        if overall is not None and _norm(overall) not in OEIF_GRADE_NULL:
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
    data = _source_bytes(source, label)
    if isinstance(data, Problem):
        frame: pl.DataFrame | Problem = data
    elif data.startswith(b"PK\x03\x04"):
        frame = _read_mi_xlsx(data, label)
    else:
        text = decode_windows_1252(data, label, "Ofsted")
        frame = text if isinstance(text, Problem) else _read_csv_text(text, label)
    if isinstance(frame, Problem):
        result.problems.append(frame)
        return result
    cols = _find_columns(frame, OFSTED_COLUMNS, OFSTED_OPTIONAL, label, "Ofsted most recent inspections file")
    if isinstance(cols, list):
        result.problems.extend(cols)
        return result

    inspections: list[dict] = []
    areas: list[dict] = []
    outside = 0
    seen: dict[int, int] = {}
    for rec in frame.iter_rows(named=True):
        row = rec["__row"]
        raw = _blank(rec[cols[O_URN]])
        urn = _urn(raw)
        if urn is None:
            if raw is not None or any(_blank(v) for k, v in rec.items() if k != "__row"):
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


# --- going live ---------------------------------------------------------------------------------------------


def _refuse(root: Path, viewer: Viewer, action: str, label: str, problems: list[Problem]) -> UploadError:
    """Record a refused import in the audit log and return the error to raise."""
    detail = f"{action}: {label}; {len(problems)} problem(s), first: {problems[0]}"
    audit_log(root).record(AuditEvent(viewer.username, viewer.role, "upload_refused", None, detail))
    return UploadError(problems)


def _prepare(
    data_dir: str | Path,
    viewer: Viewer,
    policy: Policy | None,
    file: bytes | Path,
    name: str | None,
    fallback: str,
) -> tuple[Path, Policy, str, Store]:
    """Check the viewer, name the file, and take the live data as the app holds them (loaded once a process)."""
    require_director(viewer)
    root = Path(data_dir).resolve()
    policy = policy or load_policy()
    label = display_name(name or (file.name if isinstance(file, Path) else fallback))
    try:
        return root, policy, label, open_store(root, policy)
    except DataError as err:
        raise UploadError(err.problems) from None


def import_gias(
    data_dir: str | Path,
    file: bytes | Path,
    la_code: int,
    viewer: Viewer,
    *,
    name: str | None = None,
    policy: Policy | None = None,
) -> Imported:
    """Import the authority's schools from a GIAS extract and make them live (UploadError if anything is wrong)."""
    root, policy, label, store = _prepare(data_dir, viewer, policy, file, name, "GIAS extract")
    existing = store.sql("SELECT * FROM schools")
    result = gias_schools(file, la_code, existing, name=label)
    if result.problems:
        raise _refuse(root, viewer, "import_gias", label, result.problems)
    note = " ".join(result.summary)
    version = publish(
        root,
        [frame_upload("schools", result.tables["schools"], label)],
        viewer,
        action="import_gias",
        note=note,
        policy=policy,
    )
    return Imported(result.summary, version)


def import_ofsted(
    data_dir: str | Path,
    file: bytes | Path,
    viewer: Viewer,
    *,
    name: str | None = None,
    policy: Policy | None = None,
) -> Imported:
    """Import the inspections of the authority's schools from Ofsted's MI and make them live (or UploadError)."""
    root, policy, label, store = _prepare(data_dir, viewer, policy, file, name, "Ofsted MI")
    urns = set(store.sql("SELECT urn FROM schools")["urn"].to_list())
    old_insp = store.sql("SELECT * FROM ofsted_inspections")
    old_areas = store.sql("SELECT * FROM ofsted_areas")
    result = ofsted_tables(file, name=label, urns=urns)
    if result.problems:
        raise _refuse(root, viewer, "import_ofsted", label, result.problems)
    inspections, areas, counts = merge_inspections(result, old_insp, old_areas)
    summary = [
        *result.summary,
        f"{counts['new']:,} inspection(s) new, {counts['replaced']:,} already recorded and restated by the file, "
        f"{counts['kept']:,} earlier one(s) kept for history.",
    ]
    version = publish(
        root,
        [
            frame_upload("ofsted_inspections", inspections, label),
            frame_upload("ofsted_areas", areas, label),
        ],
        viewer,
        action="import_ofsted",
        note=" ".join(summary),
        policy=policy,
    )
    return Imported(summary, version)

"""Uploads you can check before publishing: templates per table, and what an upload would change.

`preview` stages the uploads over a copy of the live version in a private folder, loads it through the same
validation as the app, and compares it with the live data: rows added, removed and changed per table
(matched on each table's key; a table without one, such as `hours`, compares whole rows), the schools whose
level would change, and the flags that would appear or clear, all as at one date. It changes nothing: the
folder is removed when the preview is made.

`publish_previewed` then publishes exactly those files through `datadir.publish`, and only if the live
version is still the one the preview was made against (else it refuses and asks for a new check). The
same files over the same version give the same data, so what was previewed is what goes live.

Templates: for each table a CSV and an Excel workbook with the headers and one example row, the workbook
with a second sheet explaining every column.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl
import xlsxwriter

from g2g_core import datadir
from g2g_core.access import Viewer
from g2g_core.policy import LEVEL_NAMES, Policy, load_policy
from g2g_core.rules import RULE_BY_ID, compute_flags
from g2g_core.schema import TABLE_BY_NAME, TABLES, TYPE_WORDS, Column, Table
from g2g_core.store import DataError, Problem, live_dir, load_store, open_store
from g2g_core.views import schools_now

# The columns that identify a row, where a table has them (the contract's unique keys); others compare rows.
KEYS: dict[str, tuple[str, ...]] = {t.name: t.unique for t in TABLES if t.unique}
KEYS.setdefault("plan_reviews", ("urn", "plan", "priority", "review_due"))
KEYS.setdefault("warnings", ("urn", "issued_on", "kind"))


@dataclass(frozen=True)
class TableChange:
    """What an upload does to one table."""

    table: str
    rows_before: int
    rows_after: int
    added: int
    removed: int
    changed: int
    compared_on: tuple[str, ...]  # the key rows are matched on; () = whole rows


@dataclass
class Preview:
    """What publishing the uploads would change, as at `as_of`; `problems` non-empty means it cannot go live."""

    as_of: date
    parent: str | None
    fingerprint: str
    tables: list[TableChange] = field(default_factory=list)
    levels: pl.DataFrame = field(default_factory=pl.DataFrame)  # urn, name, level_before, level_after
    flags_appear: pl.DataFrame = field(default_factory=pl.DataFrame)  # urn, name, rule, title, severity
    flags_clear: pl.DataFrame = field(default_factory=pl.DataFrame)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the uploads passed every check (and so may be published)."""
        return not self.problems


def fingerprint(uploads: list[datadir.Upload]) -> str:
    """One hash of the uploads' tables, names and bytes: what a preview was made of."""
    h = hashlib.sha256()
    for up in sorted(uploads, key=lambda u: u.table):
        h.update(f"{up.table}\0{up.name}\0{len(up.data)}\0".encode())
        h.update(up.data)
    return h.hexdigest()


def _stage(root: Path, uploads: list[datadir.Upload], into: Path) -> dict[str, str]:
    """Copy the live version's tables into `into` and write the uploads over them; staged name -> shown name."""
    live = live_dir(root)
    replaced = {u.table for u in uploads}
    for table, path in datadir._table_files(live).items():
        if table not in replaced:
            shutil.copy2(path, into / path.name)
    meta = live / datadir.META_FILE
    if meta.is_file():
        shutil.copy2(meta, into / datadir.META_FILE)
    names = {}
    for up in uploads:
        staged = f"{up.table}{Path(datadir.display_name(up.name)).suffix.lower()}"
        (into / staged).write_bytes(up.data)
        names[staged] = datadir.display_name(up.name)
    return names


def _rows(store, table: str) -> pl.DataFrame:
    cols = ", ".join(f'"{c}"' for c in TABLE_BY_NAME[table].names)
    return store.sql(f'SELECT {cols} FROM "{table}"')


def compare_table(table: str, before: pl.DataFrame, after: pl.DataFrame) -> TableChange:
    """Rows added, removed and changed between two versions of a table (on its key, else whole rows)."""
    key = KEYS.get(table, ())
    if key:
        added = after.join(before, on=list(key), how="anti", nulls_equal=True).height
        removed = before.join(after, on=list(key), how="anti", nulls_equal=True).height
        both = after.join(before, on=list(key), how="semi", nulls_equal=True)
        same = both.join(before, on=list(before.columns), how="semi", nulls_equal=True).height
        changed = both.height - same
    else:
        cols = list(before.columns)
        a = after.with_columns(_n=pl.int_range(pl.len()).over(cols))
        b = before.with_columns(_n=pl.int_range(pl.len()).over(cols))
        added = a.join(b, on=[*cols, "_n"], how="anti", nulls_equal=True).height
        removed = b.join(a, on=[*cols, "_n"], how="anti", nulls_equal=True).height
        changed = 0
    return TableChange(table, before.height, after.height, added, removed, changed, key)


def _flag_frame(flags: pl.DataFrame, names: pl.DataFrame) -> pl.DataFrame:
    return (
        flags.select("urn", "rule", "severity")
        .join(names, on="urn", how="left")
        .with_columns(title=pl.col("rule").replace_strict({k: r.title for k, r in RULE_BY_ID.items()}))
        .select("urn", "name", "rule", "title", "severity")
        .sort("name", "urn", "rule")
    )


def preview(
    data_dir: str | Path,
    uploads: list[datadir.Upload],
    viewer: Viewer,
    *,
    as_of: date | None = None,
    policy: Policy | None = None,
) -> Preview:
    """What publishing the uploads would change, as at `as_of` (default: the live data's date). Changes nothing.

    PermissionError for anyone but a director. Problems with the files are returned in `problems`.
    """
    datadir.require_director(viewer)
    root = Path(data_dir).resolve()
    policy = policy or load_policy()
    live = open_store(root, policy)
    as_of = as_of or live.default_as_of()
    result = Preview(as_of, datadir.current_version(root), fingerprint(uploads))
    result.problems = [p for up in uploads for p in datadir.check_upload(up)]
    tables = [u.table for u in uploads]
    for dup in sorted({t for t in tables if tables.count(t) > 1}):
        result.problems.append(Problem(dup, None, None, None, "has more than one file; upload one per table"))
    if not uploads:
        result.problems.append(Problem(root.name, None, None, None, "no file was uploaded"))
    if result.problems:
        return result
    folder = Path(tempfile.mkdtemp(prefix="g2g-preview-"))
    try:
        names = _stage(root, uploads, folder)
        try:
            staged = load_store(folder, policy)
        except DataError as err:
            result.problems = [datadir._renamed(p, names) for p in err.problems]
            return result
        try:
            for table in sorted(set(tables), key=[t.name for t in TABLES].index):
                result.tables.append(compare_table(table, _rows(live, table), _rows(staged, table)))
            system = Viewer.system() if viewer.role == "director" else viewer
            before = schools_now(live, system, as_of).select(
                "urn", "name", pl.col("level").alias("level_before")
            )
            after = schools_now(staged, system, as_of).select(
                "urn", "name", pl.col("level").alias("level_after")
            )
            both = before.join(after, on="urn", how="full", coalesce=True).with_columns(
                name=pl.coalesce("name", "name_right")
            )
            result.levels = (
                both.filter(pl.col("level_before").ne_missing(pl.col("level_after")))
                .select(
                    "urn",
                    "name",
                    pl.col("level_before").replace_strict(LEVEL_NAMES, default="Not categorised"),
                    pl.col("level_after").replace_strict(LEVEL_NAMES, default="Not categorised"),
                )
                .sort("name", "urn")
            )
            school_names = both.select("urn", "name")
            old = compute_flags(live, system, as_of, policy).select("urn", "rule", "severity")
            new = compute_flags(staged, system, as_of, policy).select("urn", "rule", "severity")
            key = ["urn", "rule", "severity"]
            result.flags_appear = _flag_frame(new.join(old, on=key, how="anti"), school_names)
            result.flags_clear = _flag_frame(old.join(new, on=key, how="anti"), school_names)
        finally:
            staged.con.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return result


def publish_previewed(
    data_dir: str | Path,
    uploads: list[datadir.Upload],
    checked: Preview,
    viewer: Viewer,
    *,
    note: str = "",
    policy: Policy | None = None,
) -> datadir.Version:
    """Publish the uploads a preview was made of, if nothing has changed since (else UploadError)."""
    root = Path(data_dir).resolve()
    if not checked.ok:
        raise datadir.UploadError(checked.problems)
    if fingerprint(uploads) != checked.fingerprint:
        raise datadir.UploadError(
            [
                Problem(
                    root.name,
                    None,
                    None,
                    None,
                    "the files are not the ones that were checked; check them again",
                )
            ]
        )
    if datadir.current_version(root) != checked.parent:
        raise datadir.UploadError(
            [
                Problem(
                    root.name,
                    None,
                    None,
                    None,
                    "the data in force changed after the check (someone else published); check again",
                )
            ]
        )
    return datadir.publish(root, uploads, viewer, note=note, policy=policy)


# --- templates -------------------------------------------------------------------------------------------

EXAMPLES: dict[str, object] = {
    "urn": 100001,
    "name": "Example Primary School",
    "adviser": "lama.example",
    "headteacher": "A. Head",
    "chair_of_governors": "A. Chair",
    "decided_by": "director",
    "reason": "Improving outcomes; leadership secure",
    "priority": "Raise attainment in Key Stage 2 mathematics",
    "reviewer": "lama.example",
    "assessed_by": "sip.example",
    "grounds": "Standards have fallen for two years",
    "note": "",
    "hours": 3.5,
    "overall_grade": 2,
    "effective_from": "2026-09-01",
    "decided_on": "2026-08-20",
    "date": "2026-09-15",
    "review_due": "2026-12-15",
    "inspection_date": "2025-11-12",
    "term_start": "2026-09-01",
    "issued_on": "2026-10-01",
    "username": "lama.example",
    "job_title": "Leadership and Management Adviser",
}
# Where one table means something else by a column's name (an adviser's name is a person's, not a school's).
TABLE_EXAMPLES: dict[str, dict[str, object]] = {"advisers": {"name": "Alex Example"}}
EXAMPLE_BY_TYPE: dict[str, object] = {"int": 2, "float": 1.0, "str": "", "bool": True, "date": ""}


def example_value(column: Column, table: str | None = None) -> object:
    """A valid example value for a column of `table` (blank for an optional date or text)."""
    if column.name in TABLE_EXAMPLES.get(table or "", {}):
        return TABLE_EXAMPLES[table][column.name]
    if column.name in EXAMPLES:
        return EXAMPLES[column.name]
    if column.type == "enum":
        return column.enum[0] if column.required else ""
    return EXAMPLE_BY_TYPE[column.type]


def explain(column: Column) -> str:
    """What a column holds, in words: its type, whether it may be empty, and its rule or allowed values."""
    parts = [TYPE_WORDS[column.type].replace("must be ", "").capitalize()]
    if column.enum:
        parts.append("one of: " + ", ".join(column.enum))
    if column.check_rule:
        parts.append(column.check_rule)
    if column.default is not None:
        parts.append(f"may be left out (then {column.default.strip(chr(39))})")
    return "; ".join(parts)


def _example_text(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def template_rows(table: Table) -> list[dict[str, object]]:
    """One row per column: name, required, what it holds."""
    return [
        {
            "Column": c.name,
            "Required": "Yes" if c.required else "No (may be empty)",
            "What it holds": explain(c),
            "Example": _example_text(example_value(c, table.name)),
        }
        for c in table.columns
    ]


def template_csv(table_name: str) -> bytes:
    """A CSV template: the headers and one example row."""
    table = TABLE_BY_NAME[table_name]
    values = [example_value(c, table.name) for c in table.columns]
    frame = pl.DataFrame(
        {
            c.name: [str(v).lower() if isinstance(v, bool) else str(v)]
            for c, v in zip(table.columns, values, strict=True)
        }
    )
    return frame.write_csv().encode("utf-8")


def template_xlsx(table_name: str) -> bytes:
    """An Excel template: sheet 1 the headers and one example row; sheet 2 what each column holds."""
    table = TABLE_BY_NAME[table_name]
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True})
    text = book.add_format({"num_format": "@"})
    data = book.add_worksheet(table_name[:31])
    for j, c in enumerate(table.columns):
        data.write_string(0, j, c.name, bold)
        v = example_value(c, table.name)
        if isinstance(v, bool):
            data.write_boolean(1, j, v)
        elif isinstance(v, int | float):
            data.write_number(1, j, v)
        elif v != "":
            data.write_string(1, j, str(v), text)
        data.set_column(j, j, max(len(c.name), len(str(v))) + 2)
    about = book.add_worksheet("About the columns")
    about.write_string(0, 0, f"The {table_name} table: {table.description}", bold)
    about.write_string(
        1, 0, "Fill in the first sheet, one row per record; delete the example row. Dates as YYYY-MM-DD."
    )
    rows = template_rows(table)
    for j, head in enumerate(rows[0]):
        about.write_string(3, j, head, bold)
    for i, row in enumerate(rows, start=4):
        for j, value in enumerate(row.values()):
            about.write_string(i, j, str(value))
    about.set_column(0, 0, 22)
    about.set_column(1, 1, 20)
    about.set_column(2, 2, 80)
    about.set_column(3, 3, 30)
    book.close()
    return buf.getvalue()

"""Uploads you can preview (issue 15): a check shows exactly what publishing would change.

Nothing changes until Publish, and then exactly the previewed files go live.

On a copy of the demo borough (as at 18 May 2026): an hours file that adds three LaMA-support records for
the school short of hours last term, and a categorisations file that moves one Core school to Enhanced.
"""

from __future__ import annotations

import io
import shutil
from datetime import date
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from g2g_core import datadir, preview
from g2g_core.access import Viewer
from g2g_core.demo import write_demo
from g2g_core.rules import compute_flags
from g2g_core.schema import TABLES
from g2g_core.store import live_dir, load_store

DIRECTOR = Viewer("director", "director", None)
AS_OF = date(2026, 5, 18)
SHORT_OF_HOURS = 900041  # HOURS_SHORTFALL: 6.0 LaMA hours last term against 14 at Enhanced
MOVED = 900037  # Blenholme Fields Primary School: Core, maintained, no flags


@pytest.fixture(scope="module")
def demo_source(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("preview_demo")
    write_demo(out)
    return out


@pytest.fixture
def root(tmp_path, demo_source) -> Path:
    return Path(shutil.copytree(demo_source, tmp_path / "data"))


def hours_csv(root: Path) -> bytes:
    hours = pl.read_parquet(root / "hours.parquet")
    extra = pl.DataFrame(
        {
            "urn": [SHORT_OF_HOURS] * 3,
            "date": [date(2026, 2, 2), date(2026, 2, 9), date(2026, 3, 2)],
            "adviser": ["lama.ashworth"] * 3,
            "activity": ["lama_support"] * 3,
            "hours": [2.0, 2.0, 2.0],
            "note": [None, None, None],
        },
        schema=hours.schema,
    )
    return pl.concat([hours, extra]).write_csv().encode()


def categorisations_csv(root: Path) -> bytes:
    cats = pl.read_parquet(root / "categorisations.parquet")
    row = {c: None for c in cats.columns} | {
        "urn": MOVED,
        "effective_from": date(2026, 5, 1),
        "level": "enhanced",
        "team_around_school": False,
        "decided_on": date(2026, 4, 24),
        "decided_by": "director",
        "reason": "Outcomes falling",
    }
    return pl.concat([cats, pl.DataFrame([row], schema=cats.schema)]).write_csv().encode()


def uploads(root: Path) -> list[datadir.Upload]:
    return [
        datadir.Upload("hours", "hours.csv", hours_csv(root)),
        datadir.Upload("categorisations", "categorisations.csv", categorisations_csv(root)),
    ]


def flag_keys(folder: Path) -> set[tuple[int, str, str]]:
    store = load_store(folder)
    try:
        return set(compute_flags(store, Viewer.system(), AS_OF).select("urn", "rule", "severity").iter_rows())
    finally:
        store.con.close()


def test_the_check_shows_exactly_the_rows_levels_and_flags_that_would_change_and_changes_nothing(
    root, tmp_path
):
    before = {p.name: p.read_bytes() for p in root.iterdir() if p.is_file()}
    files = uploads(root)
    checked = preview.preview(root, files, DIRECTOR, as_of=AS_OF)
    assert checked.ok, checked.problems

    # Nothing was published: the folder holds the same files, no version, no pointer.
    assert {p.name: p.read_bytes() for p in root.iterdir() if p.is_file()} == before
    assert datadir.current_version(root) is None

    changes = {t.table: (t.added, t.removed, t.changed) for t in checked.tables}
    assert changes == {"categorisations": (1, 0, 0), "hours": (3, 0, 0)}
    by_table = {t.table: t for t in checked.tables}
    assert by_table["hours"].rows_after == by_table["hours"].rows_before + 3

    assert checked.levels.select("urn", "level_before", "level_after").rows() == [(MOVED, "Core", "Enhanced")]

    # The flags that would appear and clear, against the rules run independently on a folder with the files.
    manual = Path(shutil.copytree(root, tmp_path / "manual"))
    (manual / "hours.parquet").unlink()
    (manual / "categorisations.parquet").unlink()
    for up in files:
        (manual / up.name).write_bytes(up.data)
    old, new = flag_keys(root), flag_keys(manual)
    appear = set(checked.flags_appear.select("urn", "rule", "severity").iter_rows())
    clear = set(checked.flags_clear.select("urn", "rule", "severity").iter_rows())
    assert appear == new - old and clear == old - new
    assert (SHORT_OF_HOURS, "HOURS_SHORTFALL", "due") in clear
    assert (MOVED, "LETTER_NOT_SENT", "overdue") in appear


def test_publish_puts_live_exactly_what_was_checked(root):
    files = uploads(root)
    checked = preview.preview(root, files, DIRECTOR, as_of=AS_OF)
    version = preview.publish_previewed(root, files, checked, DIRECTOR)
    assert datadir.current_version(root) == version.id
    live = live_dir(root)
    assert (
        pl.read_parquet(live / "hours.parquet").height == pl.read_parquet(root / "hours.parquet").height + 3
    )
    assert flag_keys(live) == (
        flag_keys(root) - set(checked.flags_clear.select("urn", "rule", "severity").iter_rows())
    ) | set(checked.flags_appear.select("urn", "rule", "severity").iter_rows())


def test_publish_refuses_files_other_than_the_checked_ones_or_a_version_that_moved_on(root):
    files = uploads(root)
    checked = preview.preview(root, files, DIRECTOR, as_of=AS_OF)
    with pytest.raises(datadir.UploadError, match="not the ones that were checked"):
        preview.publish_previewed(root, files[:1], checked, DIRECTOR)
    datadir.publish(root, files[:1], DIRECTOR)  # someone else publishes first
    with pytest.raises(datadir.UploadError, match="changed after the check"):
        preview.publish_previewed(root, files, checked, DIRECTOR)


def test_a_bad_file_is_reported_by_the_check_with_file_row_column_and_rule(root):
    bad = hours_csv(root).replace(b"lama_support", b"lama_suport", 1)
    checked = preview.preview(root, [datadir.Upload("hours", "my hours.csv", bad)], DIRECTOR, as_of=AS_OF)
    assert not checked.ok
    problem = checked.problems[0]
    assert problem.file == "my hours.csv" and problem.column == "activity" and problem.row
    assert datadir.current_version(root) is None


def test_only_a_director_may_check_an_upload(root):
    with pytest.raises(PermissionError):
        preview.preview(root, uploads(root), Viewer("lama.a", "adviser", frozenset({900001})))


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_templates_example_rows_make_a_valid_borough_and_the_workbook_explains_every_column(
    tmp_path, suffix
):
    """Every table's template (all about the example school, URN 100001) together pass the data contract."""
    folder = tmp_path / "templates"
    folder.mkdir()
    for table in TABLES:
        data = preview.template_csv(table.name) if suffix == ".csv" else preview.template_xlsx(table.name)
        (folder / f"{table.name}{suffix}").write_bytes(data)
        if suffix == ".xlsx":
            book = openpyxl.load_workbook(io.BytesIO(data))
            assert book.sheetnames == [table.name[:31], "About the columns"]
            about = [row[0] for row in book["About the columns"].iter_rows(min_row=5, values_only=True)]
            assert about == list(table.names)
    store = load_store(folder)
    try:
        assert {t.name: store.tables[t.name].rows for t in TABLES} == {t.name: 1 for t in TABLES}
    finally:
        store.con.close()

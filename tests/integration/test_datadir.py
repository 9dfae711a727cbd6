"""Data management (issue 6): uploads, versions, atomic switch, roll back, lock, audit log.

Real files in a temporary data directory, loaded by the real store.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import threading
from pathlib import Path

import polars as pl
import pytest

from g2g_core import datadir
from g2g_core.access import Viewer
from g2g_core.audit import ACTIONS, AuditEvent, audit_log
from g2g_core.datadir import BusyError, Upload, UploadError, publish, rollback, versions
from g2g_core.store import HISTORY_DIR, POINTER_FILE, StoreCache, live_dir, load_store

DIRECTOR = Viewer("director", "director", None)
URN = 900001


@pytest.fixture
def root(demo_copy) -> Path:
    """A fresh flat copy of the demo borough (tests/conftest.py)."""
    return demo_copy


def digest(folder: Path) -> dict[str, str]:
    """SHA-256 of every table file and dataset.json in a folder: 'byte for byte'."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file() and p.suffix in (".parquet", ".csv", ".xlsx", ".json") and p.name != "manifest.json"
    }


def school_name(store, urn: int = URN) -> str:
    return store.sql("SELECT name FROM schools WHERE urn = $u", {"u": urn}).item()


def renamed_schools_csv(root: Path, name: str = "Renamed Academy") -> bytes:
    frame = pl.read_parquet(live_dir(root) / "schools.parquet")
    frame = frame.with_columns(
        pl.when(pl.col("urn") == URN).then(pl.lit(name)).otherwise(pl.col("name")).alias("name")
    )
    return frame.write_csv().encode()


def hours_parquet(root: Path, extra_hours: float) -> bytes:
    frame = pl.read_parquet(live_dir(root) / "hours.parquet")
    frame = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == 0)
        .then(pl.lit(extra_hours))
        .otherwise(pl.col("hours"))
        .alias("hours")
    )
    buf = io.BytesIO()
    frame.write_parquet(buf)
    return buf.getvalue()


def test_a_good_upload_goes_live_and_the_old_version_is_kept_then_roll_back_restores_it_byte_for_byte(root):
    before_files = digest(root)
    cache = StoreCache()
    old = cache.get(root)
    assert school_name(old) != "Renamed Academy"

    version = publish(root, [Upload("schools", "schools export.csv", renamed_schools_csv(root))], DIRECTOR)

    # The new version is live: the running cache sees it on its next call, without a restart.
    new = cache.get(root)
    assert new.version != old.version
    assert school_name(new) == "Renamed Academy"
    assert (root / POINTER_FILE).read_text().strip() == version.id
    # The CSV was kept as Parquet once valid, and the manifest names the uploader's file.
    assert (root / HISTORY_DIR / version.id / "schools.parquet").is_file()
    assert not (root / HISTORY_DIR / version.id / "schools.csv").exists()
    assert version.files["schools"]["source"] == "schools export.csv"
    assert version.files["schools"]["rows"] == 70

    # The data before the first upload are the first version in history, unchanged byte for byte.
    listed = versions(root, DIRECTOR)
    assert [v.action for v in listed] == ["upload", "initial"]
    first = listed[1]
    assert digest(root / HISTORY_DIR / first.id) == before_files

    rollback(root, first.id, DIRECTOR)
    back = cache.get(root)
    assert digest(live_dir(root)) == before_files
    assert school_name(back) == school_name(old)
    assert [v.current for v in versions(root, DIRECTOR)] == [False, True]
    # The newer version stays in history and can be restored in turn.
    rollback(root, version.id, DIRECTOR)
    assert school_name(cache.get(root)) == "Renamed Academy"


def test_several_files_go_live_together_and_unchanged_tables_are_copied_from_the_live_version(root):
    untouched = digest(root)["plan_reviews.parquet"]
    publish(
        root,
        [
            Upload("schools", "schools.csv", renamed_schools_csv(root)),
            Upload("hours", "hours.parquet", hours_parquet(root, 7.25)),
        ],
        DIRECTOR,
    )
    store = load_store(root)
    assert school_name(store) == "Renamed Academy"
    assert store.sql("SELECT hours FROM hours LIMIT 1").item() == 7.25
    assert digest(live_dir(root))["plan_reviews.parquet"] == untouched


def test_a_bad_file_among_good_ones_changes_nothing_and_every_problem_is_listed(root):
    good = renamed_schools_csv(root)
    hours = pl.read_parquet(live_dir(root) / "hours.parquet").head(5)
    bad = hours.with_columns(
        pl.Series("hours", [1.5, 30.0, -2.0, 2.0, 1.0]),
        pl.Series("activity", ["sip_visit", "sip_visit", "sip_visit", "gardening", "sip_visit"]),
    )
    before = digest(root)
    cache = StoreCache()
    served = cache.get(root).version
    with pytest.raises(UploadError) as err:
        publish(
            root,
            [
                Upload("schools", "schools.csv", good),
                Upload("hours", "Hours May.csv", bad.write_csv().encode()),
            ],
            DIRECTOR,
        )
    # Every problem, each naming the uploader's file, the row, the column and the value.
    assert {p.file for p in err.value.problems} == {"Hours May.csv"}
    assert sorted((p.row, p.column, p.value) for p in err.value.problems) == [
        (2, "hours", "30.0"),
        (3, "hours", "-2.0"),
        (4, "activity", "gardening"),
    ]
    # Nothing changed: no pointer, no history, no staging left, the same files, the same store served.
    assert digest(live_dir(root)) == before
    assert list((root / "staging").iterdir()) == []
    assert cache.get(root).version == served
    # The refusal is in the audit log.
    log = audit_log(root).read(DIRECTOR)
    assert log["action"].to_list()[0] == "upload_refused"


def test_files_are_checked_before_parsing(root):
    cases = {
        "wrong type": Upload("schools", "schools.txt", b"urn,name\n1,a\n"),
        "lying extension": Upload("schools", "schools.parquet", b"urn,name\n1,a\n"),
        "empty": Upload("schools", "schools.csv", b""),
        "unknown table": Upload("pupils", "pupils.csv", b"urn\n1\n"),
        "xlsx that is not a zip": Upload("schools", "schools.xlsx", b"PAR1 nothing like a workbook"),
    }
    for what, upload in cases.items():
        with pytest.raises(UploadError) as err:
            publish(root, [upload], DIRECTOR)
        assert err.value.problems, what
    assert not (root / POINTER_FILE).exists()
    assert not (root / HISTORY_DIR).exists()


def test_an_upload_over_the_size_limit_is_refused_before_parsing(root, monkeypatch):
    monkeypatch.setattr(datadir, "max_upload_bytes", lambda: 1024)
    with pytest.raises(UploadError) as err:
        publish(root, [Upload("schools", "schools.csv", renamed_schools_csv(root))], DIRECTOR)
    assert "the limit is" in str(err.value.problems[0])


@pytest.mark.parametrize("step", ["_switch_pointer", "_move_into_history"])
def test_a_failure_in_the_middle_of_the_switch_leaves_the_previous_version_serving(root, monkeypatch, step):
    first = publish(
        root, [Upload("schools", "schools.csv", renamed_schools_csv(root, "First Name"))], DIRECTOR
    )
    cache = StoreCache()
    assert school_name(cache.get(root)) == "First Name"
    before = digest(live_dir(root))
    history_before = sorted(p.name for p in (root / HISTORY_DIR).iterdir())

    real = getattr(datadir, step)

    def broken(*args, **kwargs):
        if step == "_switch_pointer":
            # Fail after the new pointer file is written but before it replaces the old one.
            raise OSError(28, "No space left on device")
        real(*args, **kwargs)
        raise RuntimeError("power cut after the rename")

    monkeypatch.setattr(datadir, step, broken)
    with pytest.raises((UploadError, RuntimeError)):
        publish(root, [Upload("schools", "schools.csv", renamed_schools_csv(root, "Second Name"))], DIRECTOR)
    monkeypatch.setattr(datadir, step, real)

    assert (root / POINTER_FILE).read_text().strip() == first.id
    assert digest(live_dir(root)) == before
    assert school_name(cache.get(root)) == "First Name"
    if step == "_switch_pointer":
        # The version that never went live is not left in history.
        assert sorted(p.name for p in (root / HISTORY_DIR).iterdir()) == history_before
    assert list((root / "staging").iterdir()) == []


def test_two_uploads_at_once_cannot_interleave(root):
    first = publish(root, [Upload("schools", "schools.csv", renamed_schools_csv(root))], DIRECTOR)
    initial = versions(root, DIRECTOR)[-1]
    with datadir.locked(root.resolve()):  # another upload holds the lock
        with pytest.raises(BusyError) as err:
            publish(root, [Upload("schools", "schools.csv", renamed_schools_csv(root, "Other"))], DIRECTOR)
        assert "in progress" in str(err.value)
        with pytest.raises(BusyError):
            rollback(root, initial.id, DIRECTOR)
    assert (root / POINTER_FILE).read_text().strip() == first.id
    # Once released, an upload goes through.
    publish(root, [Upload("schools", "schools.csv", renamed_schools_csv(root, "Other"))], DIRECTOR)
    assert school_name(load_store(root)) == "Other"


def test_concurrent_uploads_from_threads_leave_one_consistent_version_each(root):
    results: list[object] = []

    def upload(name: str) -> None:
        try:
            results.append(
                publish(root, [Upload("schools", "schools.csv", renamed_schools_csv(root, name))], DIRECTOR)
            )
        except BusyError as err:
            results.append(err)

    threads = [threading.Thread(target=upload, args=(f"Name {i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    published = [r for r in results if isinstance(r, datadir.Version)]
    assert published, results
    live_name = school_name(load_store(root))
    assert live_name in {f"Name {i}" for i in range(4)}
    # Every version in history is complete and loads.
    for v in versions(root, DIRECTOR):
        load_store(root / HISTORY_DIR / v.id)


def test_only_a_director_may_change_the_data(root):
    for role, urns in (
        ("adviser", frozenset({URN})),
        ("head", frozenset({URN})),
        ("governor", frozenset({URN})),
    ):
        viewer = Viewer(f"a.{role}", role, urns)
        with pytest.raises(PermissionError):
            publish(root, [Upload("schools", "schools.csv", renamed_schools_csv(root))], viewer)
        with pytest.raises(PermissionError):
            versions(root, viewer)
    assert not (root / POINTER_FILE).exists()


def test_rolling_back_to_something_that_is_not_a_version_is_refused(root):
    publish(root, [Upload("schools", "schools.csv", renamed_schools_csv(root))], DIRECTOR)
    for bad in ("../../etc", "20261123T121449000000Z-zzzzzz", "20990101T000000000000Z-abcdef", ""):
        with pytest.raises(UploadError):
            rollback(root, bad, DIRECTOR)


def test_a_damaged_pointer_is_reported_and_the_running_app_keeps_the_last_good_version(root):
    publish(root, [Upload("schools", "schools.csv", renamed_schools_csv(root))], DIRECTOR)
    cache = StoreCache()
    good = cache.get(root)
    (root / POINTER_FILE).write_text("20990101T000000000000Z-abcdef\n")
    assert cache.get(root) is good
    [problem] = cache.last_problems[str(root.resolve())]
    assert "the version named in CURRENT is missing" in str(problem)


def test_the_audit_log_records_uploads_and_roll_backs_and_only_a_director_reads_it(root):
    v = publish(root, [Upload("schools", "s.csv", renamed_schools_csv(root))], DIRECTOR)
    first = versions(root, DIRECTOR)[-1]
    rollback(root, first.id, DIRECTOR)
    log = audit_log(root)
    events = log.read(DIRECTOR)
    assert events["action"].to_list() == ["rollback", "upload"]
    assert v.id in events["detail"].to_list()[1]
    assert events["actor"].unique().to_list() == ["director"]
    for role in ("adviser", "head", "governor"):
        with pytest.raises(PermissionError):
            log.read(Viewer("x", role, frozenset({URN})))
    assert log.verify() == []


def test_the_audit_log_is_append_only_and_detects_an_edited_line(root):
    log = audit_log(root)
    log.record(AuditEvent("head.nolbbrook", "head", "view_school", 900005, "Nolbbrook School"))
    log.record(AuditEvent("head.nolbbrook", "head", "export_pack", 900005, "pdf as at 2026-05-18"))
    log.record(AuditEvent("director", "director", "view_school", 900001, ""))
    assert set(ACTIONS) >= {"view_school", "export_pack", "upload", "rollback", "sign_in"}
    filtered = log.read(DIRECTOR, actor="head.nolbbrook", action="export_pack")
    assert filtered.select("urn", "detail").rows() == [(900005, "pdf as at 2026-05-18")]
    assert log.read(DIRECTOR, urn=900001).height == 1
    lines = log.path.read_text().splitlines()
    entry = json.loads(lines[1])
    entry["urn"] = 900009
    lines[1] = json.dumps(entry, sort_keys=True)
    log.path.write_text("\n".join(lines) + "\n")
    assert log.verify() == ["audit.jsonl, line 3: the entry before it was changed or removed"]
    with pytest.raises(ValueError):
        log.record(AuditEvent("director", "director", "delete_everything"))


def test_nothing_is_written_outside_the_staging_folder_for_a_hostile_file_name(root):
    publish(
        root, [Upload("schools", "../../../../tmp/evil/schools.csv", renamed_schools_csv(root))], DIRECTOR
    )
    assert not Path("/tmp/evil").exists()
    [v, _] = versions(root, DIRECTOR)
    assert v.files["schools"]["source"] == "schools.csv"
    assert sorted(os.listdir(root / HISTORY_DIR / v.id)) == sorted(
        [*(p.name for p in root.iterdir() if p.suffix == ".parquet"), "dataset.json", "manifest.json"]
    )

"""Data faults while the app runs: a missing directory, files deleted or truncated, the disk full mid-switch.

The app must say clearly what is wrong and keep serving the last good version; a failed switch must leave
`CURRENT` naming a complete version.
"""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import pytest
from support.pages import frames, titles

from g2g_core import datadir
from g2g_core.access import Viewer
from g2g_core.datadir import Upload, UploadError, publish
from g2g_core.store import POINTER_FILE, STORES, load_store, open_store

DIRECTOR = Viewer("director", "director", None)


def all_messages(at) -> str:
    return " ".join(str(e.value) for kind in ("error", "warning", "info") for e in at.get(kind))


def test_a_missing_data_directory_gives_a_clear_message_not_a_traceback(as_role, monkeypatch, tmp_path):
    """Attack: start the app with G2G_DATA_DIR pointing nowhere.

    Expected: a message saying the data cannot be used, no exception, nothing of any page.
    """
    monkeypatch.setenv("G2G_DATA_DIR", str(tmp_path / "nowhere"))
    at = as_role("director").run()
    assert not at.exception, at.exception
    assert "cannot be used" in all_messages(at)
    assert not frames(at) and not at.metric


@pytest.mark.parametrize("fault", ["deleted", "truncated", "garbage", "directory gone"])
def test_a_file_broken_while_the_app_runs_keeps_the_last_good_version_and_says_so(as_role, demo_dir, fault):
    """Attack: delete or truncate an export, overwrite it with garbage, or remove the whole directory while people are using the app.

    Expected: the next rerun still serves the last good data (the overview still shows its figures), a
    director is told the new files could not be loaded, and nothing raises.
    """
    at = as_role("director").run()
    assert titles(at) == ["Borough overview"]
    figures = [m.value for m in at.metric]
    path = demo_dir / "hours.parquet"
    if fault == "deleted":
        path.unlink()
    elif fault == "truncated":
        path.write_bytes(path.read_bytes()[:100])
    elif fault == "garbage":
        path.write_bytes(b"\x00garbage" * 1000)
    else:
        shutil.rmtree(demo_dir)
    at.run()
    assert not at.exception, at.exception
    assert titles(at) == ["Borough overview"]
    assert [m.value for m in at.metric] == figures
    assert "could not be loaded" in all_messages(at)


def test_the_store_cache_keeps_the_last_good_store_and_records_the_problem(demo_dir):
    """Attack: truncate a file between two reads.

    Expected: the same store is returned, and its problem is recorded for the Data page.
    """
    first = open_store(demo_dir)
    (demo_dir / "schools.parquet").write_bytes(b"PAR1")
    assert open_store(demo_dir) is first
    assert STORES.last_problems[str(demo_dir.resolve())]


def upload(demo_dir: Path) -> list[Upload]:
    return [Upload("schools", "schools.parquet", (demo_dir / "schools.parquet").read_bytes())]


def disk_full(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("step", ["_switch_pointer", "_move_into_history", "_write_file"])
def test_a_full_disk_during_an_upload_changes_nothing(demo_dir, monkeypatch, step):
    """Attack: the disk fills up while an upload is written, moved into history or switched in.

    Expected: UploadError saying the disk is full; the data served are the same version; no half version
    is left in history/ and no staging folder remains.
    """
    first = publish(demo_dir, upload(demo_dir), DIRECTOR)  # a versioned directory
    live_before = (demo_dir / POINTER_FILE).read_text()
    history_before = sorted(p.name for p in (demo_dir / "history").iterdir())
    monkeypatch.setattr(datadir, step, disk_full)
    with pytest.raises(UploadError, match="disk is full"):
        publish(demo_dir, upload(demo_dir), DIRECTOR)
    assert (demo_dir / POINTER_FILE).read_text() == live_before
    assert sorted(p.name for p in (demo_dir / "history").iterdir()) == history_before
    assert not any((demo_dir / datadir.STAGING_DIR).iterdir())
    store = load_store(demo_dir)
    try:
        assert store.live.name == first.id
    finally:
        store.con.close()


def test_a_failure_after_the_pointer_was_switched_never_deletes_the_live_version(demo_dir, monkeypatch):
    """Attack: the pointer is replaced, then syncing the directory fails (an I/O error on the last step).

    Expected: the version went live, so the publish reports success; CURRENT names it, it exists and loads.
    """
    publish(demo_dir, upload(demo_dir), DIRECTOR)
    real = datadir._fsync_dir

    def failing(path: Path) -> None:
        if Path(path).resolve() == demo_dir.resolve():
            raise OSError(errno.EIO, "Input/output error")
        real(path)

    monkeypatch.setattr(datadir, "_fsync_dir", failing)
    version = publish(demo_dir, upload(demo_dir), DIRECTOR)
    live = (demo_dir / POINTER_FILE).read_text().strip()
    assert live == version.id and version.current
    assert (demo_dir / "history" / live).is_dir(), "CURRENT names a version that was deleted"
    load_store(demo_dir).con.close()


def test_a_corrupt_pointer_is_reported_and_the_app_keeps_serving(as_role, demo_dir):
    """Attack: CURRENT overwritten with garbage (or a path) while the app runs.

    Expected: the pointer is never followed outside history/, the last good data keep being served, and
    the problem is reported.
    """
    publish(demo_dir, upload(demo_dir), DIRECTOR)
    at = as_role("director").run()
    assert titles(at) == ["Borough overview"]
    (demo_dir / POINTER_FILE).write_text("../../../etc\n")
    at.run()
    assert not at.exception, at.exception
    assert titles(at) == ["Borough overview"]
    with pytest.raises(Exception, match="CURRENT|history"):
        load_store(demo_dir)

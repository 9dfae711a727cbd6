"""Helpers the security tests import by name (conftest.py is not importable by name: every test folder has one)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml


def edit_accounts(path: Path, change: Callable[[dict], None]) -> None:
    """Apply `change` to the accounts mapping of a file and write it back (a new modification time)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data["credentials"]["usernames"])
    path.write_text(yaml.safe_dump(data), encoding="utf-8")

"""People's names for letters (SPEC §2 advisers).

The `advisers` table if the data has one, else the accounts file's name, else the username.
"""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEMO_ACCOUNTS = ROOT / ".streamlit" / "accounts.demo.yaml"


def accounts_setting() -> Path:
    """The accounts file in force for the command line: `G2G_AUTH_FILE`, else the demo accounts.

    The app passes its own loaded accounts (ui.auth); this is only for `g2g letters`.
    """
    from g2g_core.settings import settings

    return settings().auth_file or DEMO_ACCOUNTS


def read_accounts(path: str | Path | None = None) -> dict[str, dict]:
    """The `usernames` mapping of a streamlit-authenticator credentials file ({} when it cannot be read)."""
    file = Path(path) if path else accounts_setting()
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}
    users = (data.get("credentials") or {}).get("usernames") if isinstance(data, dict) else None
    return users if isinstance(users, dict) else {}


def person(store, username: str | None, accounts: dict[str, dict] | None = None) -> tuple[str, str | None]:
    """(name, job title or None) of a person in the data: advisers table, then accounts file, then username."""
    if not username:
        return "", None
    if "advisers" in getattr(store, "tables", {}):
        found = store.sql("SELECT name, job_title FROM advisers WHERE username = $u", {"u": username})
        if found.height and found["name"][0]:
            return str(found["name"][0]), found["job_title"][0] if "job_title" in found.columns else None
    entry = (accounts or {}).get(username)
    if isinstance(entry, dict) and str(entry.get("name") or "").strip():
        return str(entry["name"]).strip(), None
    return username, None

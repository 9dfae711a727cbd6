"""People by name on the pages: the accounts file's name, else the login.

Issue 14 item 1 (g14core) adds the `advisers` table and puts its names first; this module is the page's end
of it and is replaced by that version when the two branches meet.
"""

from __future__ import annotations

from ui.auth import load_accounts


def account_names() -> dict[str, str]:
    """The name the accounts file gives each login."""
    users = load_accounts().get("usernames", {})
    return {u: str(e["name"]) for u, e in users.items() if isinstance(e, dict) and e.get("name")}


def name_of(store, username: str | None) -> str | None:
    """The name a person is shown by on a page (None for no username)."""
    if not username:
        return None
    return account_names().get(username) or username

"""People by name, not login: the names in the accounts file, by username (the core's names win once it has them)."""

from __future__ import annotations

from ui import auth


def person_names() -> dict[str, str]:
    """Username -> display name, from the accounts file (falls back to the username where no name is set)."""
    try:
        users = auth.load_accounts().get("usernames", {})
    except (OSError, ValueError):
        return {}
    return {user: str(entry.get("name") or user) for user, entry in users.items()}

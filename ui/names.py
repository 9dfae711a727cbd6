"""People by name on the pages: the `advisers` table's name, else the accounts file's name, else the login."""

from __future__ import annotations

import polars as pl

from g2g_core import views
from g2g_core.views import person_name, with_person_names
from ui.auth import load_accounts


def account_names() -> dict[str, str]:
    """The name the accounts file gives each login (the fallback when `advisers` does not name a person)."""
    users = load_accounts().get("usernames", {})
    return {u: str(e["name"]) for u, e in users.items() if isinstance(e, dict) and e.get("name")}


def name_of(store, username: str | None) -> str | None:
    """The name a person is shown by on a page (None for no username)."""
    return person_name(store, username, account_names())


def with_names(store, frame: pl.DataFrame, column: str = "adviser") -> pl.DataFrame:
    """`frame` with `<column>_name`: each login's name (`advisers`, then the accounts file, then the login)."""
    return with_person_names(store, frame, column, account_names())


def person_names() -> dict[str, str]:
    """Every login's name for a whole table or chart: the `advisers` table's, else the accounts file's."""
    from ui import data  # the store in force; imported here, as ui.data's loaders import this module's users

    return {**account_names(), **views.person_names(data.store())}

"""The app's pages and the roles that may open each, declared once.

`app.py` builds the navigation from `PAGES`; the page tests and the benchmark read the same table. Adding a page
is one line in `PAGES`.

Every page has its own address for every signed-in role. A role's first page is not served at `/` under its own
address only: `/` is a small home page that switches to the role's first page, so `/overview` (a director) and
`/school` (a head) open the page itself, never Streamlit's "Page not found" dialog. A page the role may not open
is still registered at its address, hidden from the menu, and says in words who it is for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from g2g_core.vocabulary import ROLE_AUDIENCES


@dataclass(frozen=True)
class PageSpec:
    """One page: its file under app_pages/, its title and icon, its address and the roles that may open it."""

    key: str
    file: str
    title: str
    icon: str
    url_path: str
    roles: tuple[str, ...]


_ALL = ("director", "adviser", "head", "governor")
_COUNCIL = ("director", "adviser")
_DIRECTOR = ("director",)

# In menu order. A role's first page here is where `/` takes it.
PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "overview", "app_pages/overview.py", "Borough overview", ":material/dashboard:", "overview", _COUNCIL
    ),
    PageSpec("attention", "app_pages/attention.py", "Attention", ":material/flag:", "attention", _COUNCIL),
    PageSpec("school", "app_pages/school.py", "School", ":material/school:", "school", _ALL),
    PageSpec("what_if", "app_pages/what_if.py", "What-if", ":material/tune:", "what-if", _DIRECTOR),
    PageSpec("data", "app_pages/data.py", "Data", ":material/database:", "data", _DIRECTOR),
    PageSpec("policy", "app_pages/policy.py", "Policy", ":material/gavel:", "policy", _ALL),
)
BY_KEY: dict[str, PageSpec] = {p.key: p for p in PAGES}


def pages_for(role: str) -> list[PageSpec]:
    """The pages a role may open, in menu order (none for an unknown role)."""
    return [p for p in PAGES if role in p.roles]


def refusal(spec: PageSpec) -> str:
    """The sentence shown to a role that may not open a page ("This page is for the Assistant Director.")."""
    names = [ROLE_AUDIENCES.get(r, r) for r in spec.roles]
    who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"This page is for {who}."


def _refuse(spec: PageSpec, home: st.Page) -> Callable[[], None]:
    def page() -> None:
        st.title("Not one of your pages")
        st.info(refusal(spec))
        st.page_link(home, label="Go to your first page", icon=":material/home:")

    page.__name__ = f"not_for_you_{spec.key}"
    return page


def signed_out_navigation(sign_in: Callable[[], None]) -> list[st.Page]:
    """Every address serves the sign-in form, so the address (and its ?urn=...) survives signing in."""
    home = st.Page(sign_in, title="Sign in", url_path="", default=True)
    return [home] + [st.Page(sign_in, title="Sign in", url_path=p.url_path) for p in PAGES]


def signed_in_navigation(role: str) -> list[st.Page]:
    """The role's pages in the menu; every other page at its address with a refusal; `/` opens the first page."""
    own = {p.key: st.Page(p.file, title=p.title, icon=p.icon, url_path=p.url_path) for p in pages_for(role)}
    first = next(iter(own.values()), None)

    def home() -> None:
        if first is None:
            st.error("This account has no pages in Good to Great.")
            st.stop()
        # The address's parameters (a school's ?urn=, a date) go along to the page.
        st.switch_page(first, query_params={k: st.query_params.get_all(k) for k in st.query_params})

    start = st.Page(home, title="Home", url_path="", default=True, visibility="hidden")
    pages = [start]
    for spec in PAGES:
        if spec.key in own:
            pages.append(own[spec.key])
        else:
            refused = _refuse(spec, first or start)
            pages.append(st.Page(refused, title=spec.title, url_path=spec.url_path, visibility="hidden"))
    return pages

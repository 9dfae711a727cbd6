"""Injection attacks: hostile text in the data, in filters and in query parameters.

School names, priorities, reasons, grounds and notes that carry HTML, script, Markdown links (`javascript:`
and phishing), Streamlit colour directives, maths, very long strings and odd Unicode must be shown as text:
never as a link, colour, formula or markup. Filter values and parameters like `'; DROP VIEW schools; --`
must change nothing, because every value is bound, never pasted into SQL.
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from support.pages import HEAD_URN, open_address, rendered_text, titles

from g2g_core.access import Viewer, viewer_for
from g2g_core.scenarios import LocalScenarioStore
from g2g_core.store import load_store
from g2g_core.views import Filters, attention, overview, school_detail, visible_schools

AS_OF = date(2026, 5, 18)
SCRIPT = "<script>alert('g2g')</script><img src=x onerror=alert(2)>"
JS_LINK = "[Sign in again](javascript:alert(1))"
PHISH = "[Your session expired: sign in here](https://evil.example/login)"
DIRECTIVE = ":red[URGENT: call 0800 000 000]"
MATHS = "$x^2$"
BOLD = "**bold**"
ODD = "\u202egnp.exe \u200b\ufeff 🏫 Ünïcødé 𝓢𝓬𝓱𝓸𝓸𝓵"
NAME = f"Nolbbrook {SCRIPT} {JS_LINK} {DIRECTIVE} {MATHS} {BOLD} {ODD}"
PRIORITY = f"# Heading {PHISH} {JS_LINK} {DIRECTIVE}"
LONG = "A" * 20_000 + " " + PHISH
# The Markdown that must never reach a Markdown-rendering element unescaped.
ACTIVE = ["](javascript:", "](https://evil", ":red[", MATHS, BOLD]
SQL = "'; DROP VIEW schools; --"


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory, demo_source) -> Path:
    """The demo borough with hostile text in the head's school's name, priorities, reasons, grounds and notes."""
    out = Path(shutil.copytree(demo_source, tmp_path_factory.mktemp("hostile") / "data"))

    def rewrite(table: str, column: str, value: str, only_head: bool = True) -> None:
        path = out / f"{table}.parquet"
        frame = pl.read_parquet(path)
        where = pl.col("urn") == HEAD_URN if only_head else pl.lit(True)
        frame.with_columns(
            pl.when(where).then(pl.lit(value)).otherwise(pl.col(column)).alias(column)
        ).write_parquet(path)

    rewrite("schools", "name", NAME)
    rewrite("schools", "headteacher", SCRIPT + JS_LINK)
    rewrite("plan_reviews", "priority", PRIORITY)
    rewrite("plan_reviews", "note", PHISH)
    rewrite("categorisations", "reason", LONG)
    rewrite("categorisations", "decided_by", DIRECTIVE)
    rewrite("warnings", "grounds", PHISH + " " + SCRIPT, only_head=False)
    rewrite("hours", "note", PHISH + DIRECTIVE)
    rewrite("risk_assessments", "note", JS_LINK, only_head=False)
    return out


@pytest.fixture
def hostile(monkeypatch, hostile_dir) -> Path:
    monkeypatch.setenv("G2G_DATA_DIR", str(hostile_dir))
    return hostile_dir


def markdown_bodies(at) -> list[str]:
    """The text of every element that Streamlit renders as Markdown (titles, headings, text, alerts, labels)."""
    bodies: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "error",
        "warning",
        "info",
        "success",
    ):
        bodies += [str(e.value) for e in at.get(kind)]
    bodies += [str(m.label) for m in at.metric]
    bodies += [str(x.label) for x in at.get("expander")]
    return bodies


def unescaped_markdown(at) -> list[str]:
    """Markdown syntax from the payloads that reached a Markdown element unescaped, and autolinkable URLs.

    GitHub-flavoured autolinks are found in the text *after* escapes are removed, so a bare URL is checked
    with its backslashes taken out.
    """
    found = [f"{frag!r} in {body[:120]!r}" for body in markdown_bodies(at) for frag in ACTIVE if frag in body]
    for body in markdown_bodies(at):
        text = re.sub(r"\\(.)", r"\1", body)
        found += [f"autolink {m!r}" for m in re.findall(r"(?i)https?://\S+|www\.\S+", text) if "evil" in m]
    return found


@pytest.mark.usefixtures("hostile")
@pytest.mark.parametrize(
    ("role", "address"),
    [
        ("head", "school"),
        ("director", "school"),
        ("director", "overview"),
        ("director", "attention"),
        ("director", "what-if"),
        ("director", "data"),
    ],
)
def test_hostile_text_in_the_data_is_never_rendered_as_markdown(as_role, role, address):
    """Attack: a school name, priorities, reason, grounds and notes carrying HTML, script, `javascript:` and phishing links, colour directives and maths.

    Expected: no Markdown-rendering element holds any of it unescaped (tables and plain text show it as it
    is), and no exception.
    """
    at = as_role(role)
    at.query_params["urn"] = str(HEAD_URN)
    open_address(at, address)
    assert not at.exception, at.exception
    assert unescaped_markdown(at) == []


@pytest.mark.usefixtures("hostile")
def test_the_hostile_name_is_still_shown_to_the_head_as_text(as_role):
    """Attack: as above.

    Expected: the head still sees their school, its name shown (escaped) as the title, the long reason and
    the priorities in full as text.
    """
    at = as_role("head").run()
    assert not at.exception, at.exception
    (title,) = titles(at)
    assert "Nolbbrook" in title and "javascript" in title
    text = rendered_text(at)
    assert "A" * 20_000 in text
    # The priorities are a Markdown list (they read in full on a phone): escaped there, whole once unescaped.
    plain = re.sub(r"\\(.)", r"\1", text).replace("\u2060", "")
    assert PRIORITY in plain


def test_no_page_passes_data_to_unsafe_html():
    """Attack: any page that renders data with `unsafe_allow_html=True` or `st.html` is an XSS sink.

    Expected: the app's own code never uses either, but for `ui/stylesheets.py`, which takes only the name of a
    CSS file shipped in `ui/styles/` (checked below), never text.
    """
    root = Path(__file__).resolve().parents[2]
    allowed = root / "ui" / "stylesheets.py"
    sources = [p for d in ("app_pages", "ui") for p in (root / d).rglob("*.py") if p != allowed] + [
        root / "app.py"
    ]
    offenders = [
        str(p.relative_to(root))
        for p in sources
        if "unsafe_allow_html" in p.read_text(encoding="utf-8") or "st.html(" in p.read_text(encoding="utf-8")
    ]
    assert offenders == []
    from ui import stylesheets

    with pytest.raises(ValueError):
        stylesheets._css("../../etc/passwd")


@pytest.mark.parametrize(
    "name",
    [PHISH, JS_LINK, f"x']({'https://evil.example'}) [y", DIRECTIVE + MATHS],
    ids=["phish", "js", "break", "dir"],
)
def test_a_scenario_link_with_markdown_in_its_name_is_shown_as_text(as_role, name):
    """Attack: send the director a What-if link whose `?scenario=` name is a Markdown link or directive (the page repeats the name in its messages and in its own link).

    Expected: the messages show it as text: no element renders the attacker's link or colour.
    """
    at = as_role("director")
    at.query_params["scenario"] = name
    open_address(at, "what-if")
    assert not at.exception, at.exception
    assert unescaped_markdown(at) == []
    assert not [b for b in markdown_bodies(at) if "](https://evil" in b or "](javascript:" in b]


# --- SQL --------------------------------------------------------------------------------------------------------


@pytest.fixture
def store(demo_dir):
    s = load_store(demo_dir)
    yield s
    s.con.close()


@pytest.mark.parametrize(
    "value", [SQL, "primary' OR '1'='1", 'x"); DROP TABLE schools; --', "%", "*", "\x00", "🏫" * 1000]
)
def test_hostile_filter_values_match_nothing_and_change_nothing(store, value):
    """Attack: filter by phase, adviser or level values carrying SQL.

    Expected: nothing matches, nothing raises, and the schools table is intact afterwards.
    """
    director = Viewer.system()
    before = store.sql("SELECT count(*) AS n FROM schools")["n"][0]
    for filters in (Filters(phase=(value,)), Filters(adviser=(value,)), Filters(level=(value,))):
        assert attention(store, director, AS_OF, filters).is_empty()
        assert overview(store, director, AS_OF, filters).schools.is_empty()
    assert store.sql("SELECT count(*) AS n FROM schools")["n"][0] == before


@pytest.mark.parametrize("username", [SQL, "' OR adviser IS NOT NULL OR '", "lama.brennan' --"])
def test_a_hostile_username_gets_an_empty_caseload(store, username):
    """Attack: an account whose username is SQL (the adviser's caseload is looked up by username).

    Expected: an empty scope, never every school.
    """
    viewer = viewer_for(store, username, "adviser")
    assert viewer.urns == frozenset()
    assert visible_schools(store, viewer, AS_OF).is_empty()


@pytest.mark.parametrize("address", ["overview", "attention", "school"])
def test_hostile_query_parameters_change_nothing(as_role, demo_dir, address):
    """Attack: SQL in every query parameter the pages read (`as_of`, `phase`, `level`, `adviser`, `urn`).

    Expected: no exception, and the data are intact afterwards (the school still opens).
    """
    at = as_role("director")
    for key in ("as_of", "phase", "level", "adviser", "urn", "scenario"):
        at.query_params[key] = SQL
    open_address(at, address)
    assert not at.exception, at.exception
    s = load_store(demo_dir)
    try:
        assert school_detail(s, Viewer.system(), HEAD_URN, AS_OF) is not None
        assert s.sql("SELECT count(*) AS n FROM schools")["n"][0] == 70
    finally:
        s.con.close()


def test_a_hostile_scenario_name_never_leaves_the_scenarios_folder(tmp_path):
    """Attack: save or open a scenario named like a path (`../../CURRENT`).

    Expected: the file is written inside the scenarios folder under a safe name, and nothing else is
    touched.
    """
    from g2g_core.allocation import Scenario

    sandbox = tmp_path / "sandbox"
    folder = sandbox / "data" / "scenarios"
    saved = LocalScenarioStore(folder)
    saved.save(Scenario(name="../../CURRENT"))
    assert [p.parent for p in sandbox.rglob("*") if p.is_file()] == [folder]
    assert not (sandbox / "data" / "CURRENT").exists() and not (sandbox / "CURRENT").exists()

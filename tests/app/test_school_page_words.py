"""The School and Policy pages in words (issue 14 items 2, 3, 6 and 8): dates in words, no codes, the glossary.

Every text element, table cell, table heading, chart legend and tooltip the School page sends to a governor
is read here, with every "Show as table" turned on: no date in ISO form or with a time of day, no snake_case
code, no "None". The glossary is on the School page and the Policy page in the vocabulary's words (the pack's
"Words used"). A head at another school's address is told which school they can see, with a link to it.
"""

from __future__ import annotations

import json
import re

import pytest
from support.pages import GOVERNOR_URN, HEAD_URN, frames, open_address, titles

from g2g_core.access import viewer_for
from g2g_core.store import open_store
from g2g_core.views import school_detail
from g2g_core.vocabulary import ACTIVITY_NAMES, GLOSSARY, PACK_GLOSSARY, date_words

ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")
SNAKE_CASE = re.compile(r"\b[a-z]+_[a-z_]+\b")
NONE = re.compile(r"\bNone\b")
RISK_SCHOOL = 900029  # the demo's school with a risk assessment and notes on hours


@pytest.fixture(scope="module")
def store(demo_dir):
    """The core's view of the session's demo borough: the expected answers."""
    return open_store(demo_dir)


def chart_words(at) -> list[str]:
    """Every trace name, tooltip template, axis and legend title of the page's charts."""
    words: list[str] = []
    for node in at.get("plotly_chart"):
        spec = json.loads(node.proto.spec)
        for trace in spec.get("data", []):
            words += [str(trace.get(k)) for k in ("name", "hovertemplate") if trace.get(k)]
        layout = spec.get("layout", {})
        for axis in ("xaxis", "yaxis"):
            title = (layout.get(axis) or {}).get("title") or {}
            words += [str(title.get("text"))] if isinstance(title, dict) and title.get("text") else []
        legend_title = ((layout.get("legend") or {}).get("title") or {}).get("text")
        words += [legend_title] if legend_title else []
    return words


def page_words(at) -> list[str]:
    """Everything a reader reads on the page: texts, headings, metrics, labels, table cells, chart words."""
    words: list[str] = []
    for kind in ("title", "subheader", "markdown", "caption", "text", "warning", "info", "success", "error"):
        words += [str(e.value) for e in getattr(at, kind)]
    words += [f"{m.label} {m.value}" for m in at.metric]
    words += [e.label for e in at.expander] + [t.label for t in at.toggle]
    for frame in frames(at):
        words += [str(c) for c in frame.columns]
        words += [str(v) for v in frame.to_numpy().ravel()]
    return words + chart_words(at)


def governors_page(as_role) -> tuple[list[str], list[str]]:
    """What the governor reads with the charts shown, then with every "Show as table" turned on."""
    at = as_role("governor").run()
    assert not at.exception, at.exception
    assert len(at.get("plotly_chart")) == 2
    with_charts = page_words(at)
    for toggle in at.toggle:  # every "Show as table"
        toggle.set_value(True)
    at.run()
    assert not at.exception, at.exception
    assert len(frames(at)) == 2  # the two chart tables, nothing else as a grid
    return with_charts, page_words(at)


def test_the_governors_school_page_has_no_code_no_iso_date_and_no_none(as_role):
    for words in governors_page(as_role):
        text = "\n".join(words)
        assert not ISO_DATE.findall(text), ISO_DATE.findall(text)
        assert not SNAKE_CASE.findall(text), sorted(set(SNAKE_CASE.findall(text)))
        assert not [w for w in words if NONE.search(w)]
        assert not [w for w in words if w in ("nan", "NaN", "null")]


def test_the_hours_table_and_chart_name_activities_and_the_entitlement_in_words(as_role):
    at = as_role("governor").run()
    chart = chart_words(at)
    assert "Hours the level provides" in chart and "Intensive A" in chart
    at.toggle(key="table_hours_900026").set_value(True).run()
    (hours,) = [f for f in frames(at) if "Hours the level provides" in f.columns]
    assert hours.columns[0] == "Term"
    assert set(hours.columns[1:-1]) <= set(ACTIVITY_NAMES.values())
    assert set(hours.columns[1:-1]) <= set(chart)
    assert hours.notna().all().all()


def test_key_facts_are_lists_not_grids_with_dates_in_words(as_role, store):
    at = as_role("governor").run()
    detail = school_detail(
        store,
        viewer_for(store, "chair.tarncombe", "governor", GOVERNOR_URN),
        GOVERNOR_URN,
        store.default_as_of(),
    )
    markdown = "\n".join(m.value for m in at.markdown).replace("\\", "")
    for _, when in detail.next_dates:
        assert f"**{date_words(when)}**" in markdown
    for w in detail.warnings.iter_rows(named=True):
        assert f"issued on {date_words(w['issued_on'])}" in markdown
    assert frames(at) == []  # no grid until a "Show as table" is turned on


def test_the_glossary_is_on_the_school_page_in_the_packs_words(as_role):
    at = as_role("governor").run()
    (glossary,) = [e for e in at.expander if e.label == "Words used on this page"]
    shown = "\n".join(m.value for m in glossary.markdown).replace("\\", "")
    for term, meaning in GLOSSARY:
        assert f"**{term}**: {meaning}" in shown
    assert set(PACK_GLOSSARY) <= set(GLOSSARY)


@pytest.mark.parametrize("role", ["director", "governor"])
def test_the_policy_page_explains_the_words_used(as_role, role):
    at = open_address(as_role(role), "policy")
    assert not at.exception, at.exception
    assert "Words used" in [s.value for s in at.subheader]
    shown = "\n".join(m.value for m in at.markdown).replace("\\", "")
    for term, meaning in GLOSSARY:
        assert f"**{term}**: {meaning}" in shown
    cells = " ".join(str(v) for f in frames(at) for v in f.to_numpy().ravel())
    assert "(month-day)" not in cells and "1 September" in cells
    (rules,) = [f for f in frames(at) if "Kind" in f.columns]
    assert set(rules["Kind"]) <= {"Exit", "Escalation", "Process"}


def test_the_staff_only_tables_are_in_words(as_role):
    at = as_role("director")
    at.query_params["urn"] = str(RISK_SCHOOL)
    at = open_address(at, "school")
    assert not at.exception, at.exception
    tables = frames(at)
    columns = {str(c) for t in tables for c in t.columns}
    assert {"Term starting", "Area", "Rating", "Assessed by", "Date", "Activity", "Note"} <= columns
    text = " ".join(columns) + " " + " ".join(str(v) for t in tables for v in t.to_numpy().ravel())
    assert not SNAKE_CASE.findall(text.replace(".", " ")), sorted(set(SNAKE_CASE.findall(text)))
    assert not ISO_DATE.findall(text)


def test_a_head_at_another_schools_address_reads_the_school_they_can_see_with_a_link(as_role, store):
    own = store.sql("SELECT name FROM schools WHERE urn = $u", {"u": HEAD_URN})["name"][0]
    at = as_role("head")
    at.query_params["urn"] = str(GOVERNOR_URN)
    at.run()
    assert not at.exception, at.exception
    assert titles(at) == ["School"]
    assert [w.value.replace("\\", "") for w in at.warning] == [
        f"This school is not available to you. You can see {own} only."
    ]
    (link,) = at.get("page_link")
    assert link.proto.label.replace("\\", "") == f"Open {own}"
    assert (link.proto.page, link.proto.query_string) == ("school", f"urn={HEAD_URN}")


def test_print_gives_the_pdf_pack_of_the_school_for_a4(as_role):
    at = as_role("governor").run()
    buttons = {b.label: b for b in at.get("download_button")}
    printing = buttons["Print"].proto
    assert printing.help.startswith("Downloads this page as the governors' pack (PDF)")
    assert printing.deferred_file_id  # built on the click, as the PDF button's file
    assert {"Governors' pack (PowerPoint)", "Governors' pack (PDF)", "Print"} <= set(buttons)

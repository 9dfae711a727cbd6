"""The vocabulary: every enumeration declared once, complete, and the only place a code's words are spelled."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

import pytest

from g2g_core import vocabulary as v
from g2g_core.schema import TABLE_BY_NAME, TABLES

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    p
    for folder in ("g2g_core", "ui", "pages", "app_pages")
    if (ROOT / folder).is_dir()
    for p in sorted((ROOT / folder).rglob("*.py"))
] + [ROOT / "app.py"]

# (Literal type, its codes, its words)
ENUMERATIONS = {
    "levels": (v.Level, v.LEVELS, v.LEVEL_NAMES),
    "severities": (v.Severity, v.SEVERITIES, v.SEVERITY_NAMES),
    "flag kinds": (v.FlagKind, v.KINDS, v.KIND_NAMES),
    "activities": (v.Activity, v.ACTIVITIES, v.ACTIVITY_NAMES),
    "phases": (v.Phase, v.PHASES, v.PHASE_NAMES),
    "plans": (v.Plan, v.PLANS, v.PLAN_NAMES),
    "statuses": (v.Status, v.STATUSES, v.STATUS_NAMES),
    "report-card grades": (v.RenewedGrade, v.RENEWED_GRADES, v.RENEWED_GRADE_NAMES),
    "inspection types": (v.InspectionType, v.INSPECTION_TYPES, v.INSPECTION_TYPE_NAMES),
    "areas": (v.Area, v.AREAS, v.AREA_NAMES),
    "categories": (v.Category, v.CATEGORIES, v.CATEGORY_NAMES),
    "warning kinds": (v.WarningKind, v.WARNING_KINDS, v.WARNING_NAMES),
    "judgements": (v.Judgement, tuple(v.JUDGEMENTS), v.JUDGEMENTS),
    "roles": (v.Role, v.ROLES, v.ROLE_NAMES),
    "tables": (v.TableName, v.TABLE_CODES, v.TABLE_NAMES),
    "version actions": (v.VersionAction, v.VERSION_ACTIONS, v.VERSION_ACTION_NAMES),
}


@pytest.mark.parametrize("name", ENUMERATIONS)
def test_each_enumeration_has_one_tuple_of_codes_and_words_for_every_code(name):
    literal, codes, words = ENUMERATIONS[name]
    assert codes == get_args(literal)
    assert list(words) == list(codes), "words in the codes' order, one for each"
    assert all(w and w.strip() == w for w in words.values())


def test_colours_cover_their_codes_and_are_hex():
    for colours, codes in (
        (v.LEVEL_COLOURS, v.LEVELS),
        (v.LEVEL_PATTERNS, v.LEVELS),
        (v.ACTIVITY_COLOURS, v.ACTIVITIES),
        (v.SEVERITY_COLOURS, v.SEVERITIES),
    ):
        assert list(colours) == list(codes)
    for colour in [*v.LEVEL_COLOURS.values(), *v.ACTIVITY_COLOURS.values(), *v.SEVERITY_COLOURS.values()]:
        assert re.fullmatch(r"#[0-9A-F]{6}", colour)


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def test_level_and_severity_colours_are_at_least_3_to_1_against_white():
    for colour in [*v.LEVEL_COLOURS.values(), *v.SEVERITY_COLOURS.values()]:
        assert 1.05 / (_luminance(colour) + 0.05) >= 3, colour


def test_the_data_contract_uses_the_vocabularys_codes():
    assert [t.name for t in TABLES] == list(v.TABLE_CODES)
    assert TABLE_BY_NAME["hours"].column("activity").enum == v.ACTIVITIES


def test_the_packs_glossary_keeps_its_terms_in_order_and_every_term_has_an_entry():
    assert [t for t, _ in v.PACK_GLOSSARY] == [
        "LA",
        "LaMA",
        "SIP",
        "TAG",
        "One-day LA review",
        "Levels of support",
        "Key judgements",
        "Ofsted frameworks",
    ]
    for term in ("URN", "Maintained", "Intensive A and Intensive B", "Pre-formal warning notice"):
        assert v.TERMS[term].endswith(".")
    assert "Category of concern" in v.TERMS


def test_no_other_module_spells_a_codes_words():
    """`"code": "Words"` (a code->words map entry) appears in the vocabulary only."""
    tables = [t for _, _, t in ENUMERATIONS.values()] + [v.EIF_GRADES, v.JUDGEMENT_SCALE]
    # A column renamed to its heading ("adviser" -> "Adviser", "schools" -> "Schools") is a heading, not a code.
    headings = {("adviser", "Adviser"), ("schools", "Schools")}
    entries = [
        re.compile(rf"""["']?{re.escape(str(code))}["']?\s*:\s*["']{re.escape(words)}["']""")
        for table in tables
        for code, words in table.items()
        if (code, words) not in headings
    ]
    found = [
        f"{path.relative_to(ROOT)}: {pattern.pattern}"
        for path in SOURCES
        if path.name != "vocabulary.py"
        for pattern in entries
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert not found, found

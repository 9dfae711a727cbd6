"""Issue 14: the text of 900026's packs (PDF through pypdf, PowerPoint through python-pptx).

Written for governors: no date with a time, no snake_case code, no adviser's login where the adviser has a
name, no "None", and the glossary's terms present.
"""

from __future__ import annotations

import io
import re

import pytest
from pptx import Presentation
from pypdf import PdfReader

from g2g_core.access import Viewer
from g2g_core.packs import build_pack
from g2g_core.store import load_store
from g2g_core.vocabulary import PACK_GLOSSARY

URN = 900026  # Tarncombe Primary School: its chair of governors is a demo account
DATE_WITH_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:")
SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
NONE = re.compile(r"\bNone\b")


@pytest.fixture(scope="module")
def store(demo_source):
    return load_store(demo_source)


def _pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _pptx_text(data: bytes) -> str:
    parts = []
    for slide in Presentation(io.BytesIO(data)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
            if shape.has_chart:
                parts.append(shape._element.nvGraphicFramePr.cNvPr.get("descr") or "")
                for plot in shape.chart.plots:
                    parts += [str(c) for c in plot.categories] + [s.name for s in plot.series]
    return " ".join(parts)


@pytest.mark.parametrize("fmt", ["pdf", "pptx"])
def test_the_pack_of_900026_is_written_for_governors(store, fmt):
    data = build_pack(store, Viewer.system(), URN, store.default_as_of(), fmt)
    text = _pdf_text(data) if fmt == "pdf" else _pptx_text(data)
    flat = " ".join(text.split())
    assert "Tarncombe" in flat
    assert not DATE_WITH_TIME.findall(text)
    assert not SNAKE_CASE.findall(text)
    assert not NONE.findall(text)
    named = store.sql("SELECT username, name FROM advisers")
    assert named.height > 0
    adviser = store.sql("SELECT adviser FROM schools WHERE urn = $u", {"u": URN})["adviser"][0]
    assert adviser in named["username"].to_list()
    assert named.filter(named["username"] == adviser)["name"][0] in flat  # the attached adviser, by name
    for login in named["username"]:
        assert login not in text
    for term, _ in PACK_GLOSSARY:
        assert term in flat, term

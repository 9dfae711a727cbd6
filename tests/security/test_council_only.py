"""Nothing a head or a governor sees or downloads depends on council-only rows (issue 19, item 3).

Council-only information (SPEC §2) is `risk_assessments` and every `note` of `hours`. A school-side viewer must
not be able to infer it: here a copy of the demo borough changes *only* one risk rating (and, separately, only
one hours note) of a school that a head and a governor look at, and everything they can see and download must
be identical before and after: their flags, the school views the school page calls, the school page as
rendered (all its text) and both governors' packs (PDF text through pypdf, PowerPoint text).

The school chosen is a Focused school whose every reviewed priority is on track (EXIT_READY, "may be ready for
a lower level of support"); a high risk would raise the council-only ESC_RISK flag for it, which must not make
EXIT_READY vanish for the school.
"""

from __future__ import annotations

import difflib
import io
import re
import shutil
from datetime import date
from pathlib import Path

import polars as pl
import pytest
import yaml
from pptx import Presentation
from pypdf import PdfReader
from support.pages import AS_OF, app_environment, new_app, open_address, rendered_text, sign_in_as

from g2g_core.access import Viewer
from g2g_core.packs import build_pack
from g2g_core.rules import compute_flags
from g2g_core.store import load_store
from g2g_core.views import school_detail, schools_now, visible_schools

HEAD = "head.ready"
GOVERNOR = "chair.ready"


def _director_sees(data: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    store = load_store(data)
    director = Viewer("director", "director", None)
    return compute_flags(store, director, AS_OF), schools_now(store, director, AS_OF)


def _ready_focused_school(data: Path) -> int:
    """A focused school that may be ready for a lower level (EXIT_READY) in `data`, made so in this copy.

    The demo borough's ready school (slot 13 of the block) is Enhanced, and ESC_RISK is for core and focused
    schools only, so the copy records its current categorisation as Focused, as the issue describes.
    """
    flags, _ = _director_sees(data)
    escalated = set(flags.filter(pl.col("kind") == "escalation")["urn"].to_list())
    ready = sorted(set(flags.filter(pl.col("rule") == "EXIT_READY")["urn"].to_list()) - escalated)
    assert ready, "the demo borough holds no school that may be ready for a lower level"
    urn = ready[0]
    path = data / "categorisations.parquet"
    frame = pl.read_parquet(path)
    latest = frame.filter(pl.col("urn") == urn)["effective_from"].max()
    hit = (pl.col("urn") == urn) & (pl.col("effective_from") == latest)
    frame.with_columns(
        pl.when(hit).then(pl.lit("focused")).otherwise(pl.col("level")).alias("level")
    ).write_parquet(path)
    flags, now = _director_sees(data)
    assert now.filter(pl.col("urn") == urn)["level"].to_list() == ["focused"]
    assert "EXIT_READY" in flags.filter(pl.col("urn") == urn)["rule"].to_list()
    return urn


def _edit(path: Path, change) -> None:
    frame = pl.read_parquet(path)
    edited = change(frame)
    assert edited.height == frame.height and edited.columns == frame.columns
    assert not edited.equals(frame), "the edit changed nothing"
    edited.write_parquet(path)


def _high_risk(data: Path, urn: int) -> None:
    """Rate one area of the school's latest risk assessment high: the only change."""
    path = data / "risk_assessments.parquet"
    frame = pl.read_parquet(path)
    latest = frame.filter((pl.col("urn") == urn) & (pl.col("term_start") <= AS_OF))["term_start"].max()
    area = (
        frame.filter((pl.col("urn") == urn) & (pl.col("term_start") == latest))
        .sort("area")["area"]
        .to_list()[0]
    )
    hit = (pl.col("urn") == urn) & (pl.col("term_start") == latest) & (pl.col("area") == area)
    _edit(
        path,
        lambda f: f.with_columns(
            pl.when(hit).then(pl.lit("high")).otherwise(pl.col("rating")).alias("rating")
        ),
    )


def _hours_note(data: Path, urn: int) -> None:
    """Give one of the school's hours records (this year) a new note: the only change."""
    path = data / "hours.parquet"
    frame = pl.read_parquet(path).with_row_index("_row")
    row = frame.filter((pl.col("urn") == urn) & (pl.col("date") <= AS_OF)).sort("date")["_row"].to_list()[-1]
    text = "Head under capability procedures; chair told in confidence."

    def change(f: pl.DataFrame) -> pl.DataFrame:
        f = f.with_row_index("_row")
        f = f.with_columns(
            pl.when(pl.col("_row") == row).then(pl.lit(text)).otherwise(pl.col("note")).alias("note")
        )
        return f.drop("_row")

    _edit(path, change)


def _accounts(path: Path, urn: int) -> None:
    """Add a head and a governor of `urn` to the accounts file in force."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    users = doc["credentials"]["usernames"]
    template = users["head.nolbbrook"]
    for username, role in ((HEAD, "head"), (GOVERNOR, "governor")):
        users[username] = {
            **template,
            "email": f"{username}@example.invalid",
            "name": f"Demo {role}",
            "roles": [role],
        }
        users[username]["urn"] = urn
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")


def _frame_text(frame: pl.DataFrame) -> str:
    return repr((frame.columns, frame.rows()))


def _core_views(data: Path, viewer: Viewer, urn: int, as_of: date) -> dict[str, str]:
    """What the core gives this viewer: flags, the school list and the school's drilldown, as text."""
    store = load_store(data)
    seen = {
        "flags": _frame_text(compute_flags(store, viewer, as_of)),
        "visible_schools": _frame_text(visible_schools(store, viewer, as_of)),
    }
    detail = school_detail(store, viewer, urn, as_of)
    assert detail is not None
    for name in (
        "history",
        "timeline",
        "hours",
        "entitlement",
        "priorities",
        "flags",
        "inspections",
        "warnings",
    ):
        seen[f"detail.{name}"] = _frame_text(getattr(detail, name))
    seen["detail.school"] = repr(sorted(detail.school.items()))
    seen["detail.next_dates"] = repr(detail.next_dates)
    seen["detail.responsibilities"] = repr(detail.responsibilities)
    seen["detail.council"] = repr(sorted(detail.council))
    return seen


def _packs(data: Path, viewer: Viewer, urn: int, as_of: date) -> dict[str, str]:
    """Both governors' packs as the viewer downloads them, as text."""
    store = load_store(data)
    pdf = PdfReader(io.BytesIO(build_pack(store, viewer, urn, as_of, "pdf")))
    deck = Presentation(io.BytesIO(build_pack(store, viewer, urn, as_of, "pptx")))
    slides = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                slides.append(shape.text_frame.text)
            if getattr(shape, "has_chart", False) and shape.has_chart:
                chart = shape.chart
                slides += [str(c) for c in chart.plots[0].categories] if chart.plots else []
                slides += [f"{s.name}: {list(s.values)}" for p in chart.plots for s in p.series]
            if getattr(shape, "has_table", False) and shape.has_table:
                slides += [cell.text for row in shape.table.rows for cell in row.cells]
    return {"pdf": "\n".join(page.extract_text() for page in pdf.pages), "pptx": "\n".join(slides)}


def _page(monkeypatch: pytest.MonkeyPatch, data: Path, accounts: Path, username: str, role: str) -> str:
    """The school page as the viewer's browser receives it, as text."""
    app_environment(monkeypatch, data)
    monkeypatch.setenv("G2G_AUTH_FILE", str(accounts))
    at = open_address(sign_in_as(new_app(), username, role), "school")
    assert not at.exception, at.exception
    # A deferred download button's id is random per run (its file is compared as a pack above).
    return re.sub(r"\b[0-9a-f]{32}\b", "<download id>", rendered_text(at))


def _everything(monkeypatch, data: Path, accounts: Path, urn: int) -> dict[str, str]:
    seen: dict[str, str] = {}
    for username, role in ((HEAD, "head"), (GOVERNOR, "governor")):
        viewer = Viewer(username, role, frozenset({urn}))
        for key, text in _core_views(data, viewer, urn, AS_OF).items():
            seen[f"{role} core {key}"] = text
        for key, text in _packs(data, viewer, urn, AS_OF).items():
            seen[f"{role} pack {key}"] = text
        seen[f"{role} school page"] = _page(monkeypatch, data, accounts, username, role)
    return seen


@pytest.fixture
def ready_school(demo_dir: Path, accounts_file: Path) -> int:
    urn = _ready_focused_school(demo_dir)
    _accounts(accounts_file, urn)
    return urn


@pytest.mark.parametrize("change", [_high_risk, _hours_note], ids=["risk rating", "hours note"])
def test_school_side_sees_nothing_of_council_only_rows(
    change, ready_school: int, demo_dir: Path, accounts_file: Path, tmp_path: Path, monkeypatch
) -> None:
    urn = ready_school
    before = _everything(monkeypatch, demo_dir, accounts_file, urn)
    # the page shows the school and the flag this is about, so a comparison of "nothing" cannot pass
    assert "may be ready for a lower level of support" in before["head school page"]
    assert "EXIT_READY" in before["governor core flags"]

    after_dir = Path(shutil.copytree(demo_dir, tmp_path / "after"))
    change(after_dir, urn)
    if change is _high_risk:  # the change is one the council does see: the director's flags move
        director = Viewer("director", "director", None)
        council = compute_flags(load_store(after_dir), director, AS_OF).filter(pl.col("urn") == urn)
        assert "ESC_RISK" in council["rule"].to_list()
    after = _everything(monkeypatch, after_dir, accounts_file, urn)

    differ = [key for key in before if before[key] != after[key]]
    shown = [
        f"{key}:\n"
        + "\n".join(
            list(difflib.unified_diff(before[key].splitlines(), after[key].splitlines(), lineterm=""))[2:14]
        )
        for key in differ
    ]
    assert not differ, "a school-side viewer can tell the council-only change apart in:\n" + "\n".join(shown)

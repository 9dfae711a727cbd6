"""The governors' pack (SPEC §5): one school's picture as PowerPoint (native charts) or PDF, for its governors.

`build_pack(store, viewer, urn, as_of, fmt)` checks the viewer may see the school, then reads the school's
drilldown (`views.school_detail`) *as the school's own audience*: a pack is handed to governors, so it never
holds council-only information (risk assessments, notes on hours, flags found from risk assessments), even
when a director builds it.
"""

from __future__ import annotations

from datetime import date

from g2g_core.access import Viewer
from g2g_core.packs.content import Pack, assemble
from g2g_core.views import school_detail

FORMATS: dict[str, str] = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf",
}


def audience_of(viewer: Viewer, urn: int) -> Viewer:
    """The viewer a pack is read as: the same person, scoped to the one school, without council-only rights."""
    return Viewer(viewer.username, "governor", frozenset({urn}))


def pack_content(store, viewer: Viewer, urn: int, as_of: date) -> Pack:
    """The pack's content for one school, or LookupError when the school is outside the viewer's scope."""
    if not viewer.may_see(urn):
        raise LookupError("school not available")
    detail = school_detail(store, audience_of(viewer, urn), urn, as_of)
    if detail is None:
        raise LookupError("school not available")
    return assemble(detail, store.policy)


def build_pack(store, viewer: Viewer, urn: int, as_of: date, fmt: str) -> bytes:
    """The governors' pack of one school as at a date, as PowerPoint ('pptx') or PDF ('pdf') bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown pack format {fmt!r}: choose pdf or pptx")
    pack = pack_content(store, viewer, urn, as_of)
    if fmt == "pptx":
        from g2g_core.packs.powerpoint import render_pptx

        return render_pptx(pack)
    from g2g_core.packs.pdf import render_pdf

    return render_pdf(pack)


def pack_filename(urn: int, as_of: date, fmt: str) -> str:
    """The file name a pack downloads as: governors-pack-900005-2026-05-18.pptx."""
    return f"governors-pack-{urn}-{as_of.isoformat()}.{fmt}"

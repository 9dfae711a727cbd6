"""Letters confirming a school's level of support (App.3 1.2; issue 16): PDF and Word, one or a whole round.

`letter_bytes(store, viewer, urn, effective_from, fmt, ...)` builds one letter of a published decision for a
viewer who may see the school (a head or governor: their own school only). `round_zip` puts every letter of
a round (the decisions taking effect on one date) in one zip, both formats. Letters are built from the data
in force, never from a draft.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date

from g2g_core.access import Viewer
from g2g_core.letters.content import Letter, build_letter, letter_filename
from g2g_core.letters.letterhead import Letterhead, load_letterhead

FORMATS: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def render(letter: Letter, fmt: str) -> bytes:
    """A built letter as PDF ('pdf') or Word ('docx') bytes."""
    if fmt == "pdf":
        from g2g_core.letters.pdf import render_pdf

        return render_pdf(letter)
    if fmt == "docx":
        from g2g_core.letters.word import render_docx

        return render_docx(letter)
    raise ValueError(f"unknown letter format {fmt!r}: choose pdf or docx")


def letter_bytes(
    store,
    viewer: Viewer,
    urn: int,
    effective_from: date,
    fmt: str,
    letterhead: Letterhead | None = None,
    accounts: dict[str, dict] | None = None,
    dated: date | None = None,
) -> bytes:
    """One letter as PDF or Word (LookupError when the school is out of scope or has no such decision)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown letter format {fmt!r}: choose pdf or docx")
    letter = build_letter(
        store, viewer, urn, effective_from, letterhead or load_letterhead(), accounts, dated
    )
    return render(letter, fmt)


def round_urns(store, viewer: Viewer, effective_from: date) -> list[int]:
    """The schools in scope with a decision taking effect on a round's date."""
    frame = store.sql(
        "SELECT urn FROM categorisations WHERE effective_from = $eff "
        "AND ($scope_all OR urn IN (SELECT unnest($scope_urns::BIGINT[]))) ORDER BY urn",
        {"eff": effective_from, **viewer.params()},
    )
    return frame["urn"].to_list()


def round_zip(
    store,
    viewer: Viewer,
    effective_from: date,
    letterhead: Letterhead | None = None,
    accounts: dict[str, dict] | None = None,
    urns: list[int] | None = None,
    dated: date | None = None,
) -> bytes:
    """Every letter of a round (or of the chosen schools) as PDF and Word, in one zip."""
    head = letterhead or load_letterhead()
    chosen = urns if urns is not None else round_urns(store, viewer, effective_from)
    if not chosen:
        raise LookupError(f"no published decision takes effect on {effective_from.isoformat()}")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for urn in chosen:
            letter = build_letter(store, viewer, urn, effective_from, head, accounts, dated)
            for fmt in FORMATS:
                zf.writestr(letter_filename(urn, effective_from, fmt), render(letter, fmt))
    return buf.getvalue()


def round_zip_name(effective_from: date) -> str:
    """The zip's file name: letters-2027-01-01.zip."""
    return f"letters-{effective_from.isoformat()}.zip"


def latest_decision(store, viewer: Viewer, urn: int, as_of: date) -> dict | None:
    """The published decision in force for one school on a date (for its own page), or None."""
    if not viewer.may_see(urn):
        return None
    frame = store.sql(
        "SELECT * FROM categorisations WHERE urn = $urn AND effective_from <= $as_of "
        "ORDER BY effective_from DESC LIMIT 1",
        {"urn": urn, "as_of": as_of},
    )
    future = store.sql(
        "SELECT * FROM categorisations WHERE urn = $urn AND effective_from > $as_of "
        "ORDER BY effective_from LIMIT 1",
        {"urn": urn, "as_of": as_of},
    )
    if future.height:  # a decision already published that takes effect later: the school is told now
        return future.row(0, named=True)
    return frame.row(0, named=True) if frame.height else None


__all__ = [
    "FORMATS",
    "Letter",
    "Letterhead",
    "build_letter",
    "latest_decision",
    "letter_bytes",
    "letter_filename",
    "load_letterhead",
    "render",
    "round_urns",
    "round_zip",
    "round_zip_name",
]

"""Query parameters (`?urn=`, `?as_of=`, `?phase=`, `?scenario=` …) read from the address: user input, parsed once.

Every function here takes any text a browser can send and never raises: a value that cannot be used is
ignored (None or an empty list), and a date outside the range the app covers is clamped to that range with a
sentence saying so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from g2g_core.access import parse_urn

__all__ = ["AS_OF_MAX", "AS_OF_MIN", "AsOf", "parse_as_of", "parse_choices", "parse_name", "parse_urn"]

# The dates the "as at" picker offers; a date in the address outside them is clamped.
AS_OF_MIN = date(2000, 1, 1)
AS_OF_MAX = date(2100, 12, 31)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_NAME_MAX = 200


def _in_words(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class AsOf:
    """A date read from the address: `day` is None when there was none or it was not a date (YYYY-MM-DD)."""

    day: date | None
    note: str | None = None  # a sentence when the date was changed (clamped to the range the app covers)


def parse_as_of(text: str | None, earliest: date = AS_OF_MIN, latest: date = AS_OF_MAX) -> AsOf:
    """The `?as_of=` date: a YYYY-MM-DD date, clamped to [earliest, latest] with a sentence when outside it."""
    if text is None:
        return AsOf(None)
    match = _ISO_DATE.fullmatch(text.strip())
    if match is None:
        return AsOf(None)
    year, month, day = (int(g) for g in match.groups())
    try:
        asked = date(year, month, day)
    except ValueError:
        return AsOf(None)
    if asked < earliest:
        return AsOf(
            earliest,
            f"The date in the address, {_in_words(asked)}, is before the earliest date the app shows, "
            f"{_in_words(earliest)}: {_in_words(earliest)} is shown instead.",
        )
    if asked > latest:
        return AsOf(
            latest,
            f"The date in the address, {_in_words(asked)}, is after the latest date the app shows, "
            f"{_in_words(latest)}: {_in_words(latest)} is shown instead.",
        )
    return AsOf(asked)


def parse_choices(values: Iterable[str], allowed: Iterable[str]) -> list[str]:
    """Values of a list parameter (repeated, or comma-separated), kept only if allowed, in order, once each."""
    permitted = set(allowed)
    out: list[str] = []
    for value in values:
        for part in str(value).split(","):
            if part in permitted and part not in out:
                out.append(part)
    return out


def parse_name(text: str | None, max_length: int = _NAME_MAX) -> str | None:
    """A free-text name (`?scenario=`): stripped, without control characters, None when empty or too long."""
    if text is None:
        return None
    cleaned = "".join(c for c in text if c.isprintable()).strip()
    if not cleaned or len(cleaned) > max_length:
        return None
    return cleaned

"""The Attention list as the page and its downloads show it.

The flags of the viewer's schools with the filters (kind, severity, rule, and "new since" a date), the
evidence in words, and the readable columns.

`new_since`: a flag is new when the same rule did not flag the same school on that date (so a flag raised by
data published this week is new even if the condition it reports began long ago).
"""

from __future__ import annotations

import re
from datetime import date

import polars as pl

from g2g_core.access import Viewer
from g2g_core.policy import LEVEL_NAMES
from g2g_core.rules import KIND_NAMES, compute_flags
from g2g_core.views import ACTIVITY_NAMES, CATEGORY_NAMES, Filters, attention
from g2g_core.vocabulary import SEVERITY_NAMES


def _mid(words: str) -> str:
    """Words for the middle of a sentence: 'one-day LA review', but 'LaMA support', 'SIP visit' as they are."""
    return words if words.startswith(("LaMA", "SIP", "TAG")) else words[0].lower() + words[1:]


_WORDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\beif_2019\b"), "2019 framework"),
    (re.compile(r"\brenewed_2025\b"), "renewed framework"),
    (re.compile(r"\breport_card\b"), "report card"),
    (re.compile(r"category: none\b"), "no category of concern"),
    (re.compile(r"safeguarding met: true\b"), "safeguarding met"),
    (re.compile(r"safeguarding met: false\b"), "safeguarding not met"),
    (re.compile(r"no letter_sent_on\b"), "no date recorded for the letter being sent"),
    *[
        (re.compile(rf"\b{code}\b"), words.lower())
        for code, words in CATEGORY_NAMES.items()
        if code != "none"
    ],
    *[(re.compile(rf"\b{code}\b"), _mid(words)) for code, words in ACTIVITY_NAMES.items() if "_" in code],
    (re.compile(r"\bintensive_a\b"), LEVEL_NAMES["intensive_a"]),
    (re.compile(r"\bintensive_b\b"), LEVEL_NAMES["intensive_b"]),
    *[
        (re.compile(rf"\b(level|Level|at|to) {code}\b"), rf"\1 {LEVEL_NAMES[code]}")
        for code in ("core", "focused", "enhanced")
    ],
    *[
        (re.compile(rf": {code} to\b"), f": {LEVEL_NAMES[code]} to")
        for code in ("core", "focused", "enhanced")
    ],
]


def evidence_in_words(text: str | None) -> str:
    """A flag's evidence with the data's codes (levels, frameworks, activities, columns) put into words."""
    out = text or ""
    for pattern, words in _WORDS:
        out = pattern.sub(words, out)
    return out


def attention_list(
    store,
    viewer: Viewer,
    as_of: date,
    filters: Filters = Filters(),
    kinds: tuple[str, ...] = (),
    severities: tuple[str, ...] = (),
    rules: tuple[str, ...] = (),
    new_since: date | None = None,
) -> pl.DataFrame:
    """The viewer's flags, most severe and oldest first, with the evidence in words.

    `new` says a flag was not raised on `new_since`; when `new_since` is given only the new ones are kept.
    """
    frame = attention(store, viewer, as_of, filters, kinds, severities, rules)
    frame = frame.with_columns(pl.col("evidence").map_elements(evidence_in_words, return_dtype=pl.String))
    if new_since is None or new_since >= as_of:
        return frame.with_columns(new=pl.lit(False))
    before = compute_flags(store, viewer, new_since).select("urn", "rule").with_columns(_was=pl.lit(True))
    frame = frame.join(before, on=["urn", "rule"], how="left").with_columns(new=pl.col("_was").is_null())
    return frame.drop("_was").filter(pl.col("new"))


def readable(frame: pl.DataFrame, names: dict[str, str] | None = None) -> pl.DataFrame:
    """The flags in the words of the screen, for the downloads."""
    names = names or {}
    return frame.select(
        pl.col("name").alias("School"),
        pl.col("urn").alias("URN"),
        pl.col("level").replace_strict(LEVEL_NAMES, default="Not categorised").alias("Level of support"),
        pl.col("adviser")
        .replace_strict(names, default=pl.col("adviser"))
        .fill_null("No adviser")
        .alias("Adviser"),
        pl.col("severity").replace_strict(SEVERITY_NAMES).alias("Severity"),
        pl.col("kind").replace_strict(KIND_NAMES).alias("Kind"),
        pl.col("title").alias("What"),
        pl.col("since").alias("Since"),
        pl.col("age_days").alias("Days since"),
        pl.col("message").alias("Why"),
        pl.col("action").alias("Next step"),
        pl.col("evidence").alias("The records behind it"),
        pl.col("policy_ref").alias("Policy paragraph"),
    )

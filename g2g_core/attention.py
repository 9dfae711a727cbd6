"""The Attention list as the page and its downloads show it.

The flags of the viewer's schools with the filters (kind, severity, rule, and "new since" a date), the
evidence in words, and the readable columns.

`new_since`: a flag is new when the same rule did not flag the same school on that date (so a flag raised by
data published this week is new even if the condition it reports began long ago).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from g2g_core.access import Viewer
from g2g_core.rules import KIND_NAMES, compute_flags
from g2g_core.views import Filters, attention
from g2g_core.vocabulary import LEVEL_NAMES, NOT_CATEGORISED, SEVERITY_NAMES, evidence_in_words


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
        pl.col("level").replace_strict(LEVEL_NAMES, default=NOT_CATEGORISED).alias("Level of support"),
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

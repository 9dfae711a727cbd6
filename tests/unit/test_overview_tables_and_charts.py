"""Overview polish (issue 15): cross-tab tables in policy order with totals; chart text readable."""

from __future__ import annotations

import polars as pl
import pytest

from g2g_core.crosstab import level_crosstab
from g2g_core.vocabulary import LEVEL_COLOURS
from ui.chart_style import TEXT, contrast, readable_figure, text_on
from ui.charts import level_bars


def test_a_crosstab_has_levels_as_columns_in_policy_order_and_totals():
    frame = pl.DataFrame(
        {
            "phase": ["Primary", "Primary", "Secondary", "Primary"],
            "level": ["intensive_b", "core", "intensive_a", "focused"],
            "schools": [2, 30, 1, 5],
        }
    )
    table = level_crosstab(frame, "phase", "Phase", order=["Primary", "Secondary"])
    assert table.columns == ["Phase", "Core", "Focused", "Enhanced", "Intensive A", "Intensive B", "Total"]
    assert table.rows() == [
        ("Primary", 30, 5, 0, 0, 2, 37),
        ("Secondary", 0, 0, 0, 1, 0, 1),
        ("Total", 30, 5, 0, 1, 2, 38),
    ]
    assert level_crosstab(frame, "phase", "Phase", total_row=False).height == 2


@pytest.mark.parametrize("level", list(LEVEL_COLOURS))
def test_numbers_on_every_level_colour_reach_4_5_to_1(level):
    assert contrast(text_on(LEVEL_COLOURS[level]), LEVEL_COLOURS[level]) >= 4.5


def test_chart_text_is_dark_and_small_segments_carry_no_number():
    frame = pl.DataFrame(
        {
            "phase": ["Primary", "Primary", "Nursery"],
            "level": ["core", "focused", "core"],
            "schools": [50, 1, 9],
        }
    )
    fig = readable_figure(level_bars(frame, "phase", "schools", "Phase", "Schools"))
    assert contrast(TEXT, "#FFFFFF") >= 4.5 and fig.layout.font.color == TEXT
    assert fig.layout.xaxis.tickfont.color == TEXT and fig.layout.legend.font.color == TEXT
    texts = {t.name: list(t.text) for t in fig.data}
    assert texts == {"Core": ["50", "9"], "Focused": [""]}, "1 of 51 is too small to hold a number"

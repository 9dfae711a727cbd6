"""Cross-tabulations for the 'show as table' views.

One row per category, levels as columns in policy order, with a total column and a total row.
"""

from __future__ import annotations

import polars as pl

from g2g_core.policy import LEVEL_NAMES, LEVELS

TOTAL = "Total"


def level_crosstab(
    frame: pl.DataFrame,
    row: str,
    row_title: str,
    value: str = "schools",
    order: list | None = None,
    level: str = "level",
    total_row: bool = True,
) -> pl.DataFrame:
    """`frame` (row, level code, value) as a cross-tab: `row_title`, one column per level (named), Total.

    Rows follow `order` when given (else first appearance); every level is a column, 0 where none; the last
    row is the total of each column (left out with `total_row=False`, e.g. for terms, where it means nothing).
    """
    rows = order if order is not None else list(dict.fromkeys(frame[row].to_list()))
    cells = {(r, lv): 0 for r in rows for lv in LEVELS}
    for r, lv, v in frame.select(row, level, value).iter_rows():
        if (r, lv) in cells:
            cells[(r, lv)] += v
    data: dict[str, list] = {row_title: [*map(str, rows), TOTAL]}
    for lv in LEVELS:
        column = [cells[(r, lv)] for r in rows]
        data[LEVEL_NAMES[lv]] = [*column, sum(column)]
    data[TOTAL] = [sum(data[LEVEL_NAMES[lv]][i] for lv in LEVELS) for i in range(len(rows) + 1)]
    numeric = pl.Float64 if frame.schema[value].is_float() else pl.Int64
    table = pl.DataFrame(data, schema={row_title: pl.String, **{k: numeric for k in list(data)[1:]}})
    return table if total_row else table.head(len(rows))

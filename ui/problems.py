"""Showing a refused change: that nothing changed, then every problem as a table (file, row, column, value, rule).

A change that could not be made for a reason outside its files (another upload or roll back in progress, the
shared storage away, a full disk) is said in a sentence instead: there is no file to correct.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from g2g_core.datadir import NotDoneError, UploadError

SCHEMA = {"File": pl.String, "Row": pl.Int64, "Column": pl.String, "Value": pl.String, "Rule": pl.String}


def problems_frame(problems) -> pl.DataFrame:
    """Problems as a table a person can read and sort."""
    rows = [
        {
            "File": p.file,
            "Row": p.row,
            "Column": p.column or "",
            "Value": "" if p.value is None else str(p.value)[:200],
            "Rule": p.rule,
        }
        for p in problems
    ]
    return pl.DataFrame(rows, schema=SCHEMA, orient="row") if rows else pl.DataFrame(schema=SCHEMA)


def show_refused(err: UploadError, what: str) -> None:
    """Say that the change was refused and nothing changed, then list every problem."""
    if isinstance(err, NotDoneError):
        reasons = "; ".join(p.rule for p in err.problems)
        st.warning(f"{what} did not go ahead, and nothing was changed: {reasons}.")
        return
    st.error(
        f"{what} was refused and nothing was changed: {len(err.problems)} problem(s). "
        "Correct the file(s) and try again."
    )
    st.dataframe(problems_frame(err.problems), hide_index=True, width="stretch")

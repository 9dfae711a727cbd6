"""The School page's Ofsted inspections (both frameworks, never converted) and warning notices."""

from __future__ import annotations

import polars as pl
import streamlit as st

from g2g_core.views import SchoolDetail
from g2g_core.vocabulary import (
    AREA_NAMES,
    CATEGORY_NAMES,
    EIF_GRADES,
    INSPECTION_TYPE_NAMES,
    RENEWED_GRADE_NAMES,
    WARNING_NAMES,
)


def render(detail: SchoolDetail) -> None:
    """Inspections under each framework side by side, then the warning notices."""
    st.subheader("Ofsted inspections")
    insp = detail.inspections
    if insp.is_empty():
        st.write("No Ofsted inspection is recorded for this school.")
    else:
        eif = insp.filter(pl.col("framework") == "eif_2019")
        ren = insp.filter(pl.col("framework") == "renewed_2025")
        left, right = st.columns(2)
        with left:
            st.markdown("**2019 framework (overall grade)**")
            if eif.is_empty():
                st.write("None recorded.")
            else:
                st.dataframe(
                    eif.select(
                        pl.col("inspection_date").alias("As at (inspection date)"),
                        pl.col("inspection_type")
                        .replace_strict(INSPECTION_TYPE_NAMES, default=pl.col("inspection_type"))
                        .alias("Type"),
                        pl.col("overall_grade")
                        .map_elements(lambda g: f"{g} {EIF_GRADES[g]}", return_dtype=pl.String)
                        .alias("Overall grade"),
                        pl.col("category_of_concern")
                        .replace_strict(CATEGORY_NAMES)
                        .alias("Category of concern"),
                    ),
                    hide_index=True,
                    width="stretch",
                )
        with right:
            st.markdown("**Renewed framework (report card, from November 2025)**")
            if ren.is_empty():
                st.write("None recorded.")
            else:
                rows = []
                for r in ren.iter_rows(named=True):
                    for a in r["areas"] or [{"area": "—", "grade": None}]:
                        rows.append(
                            {
                                "As at (inspection date)": r["inspection_date"],
                                "Type": INSPECTION_TYPE_NAMES.get(r["inspection_type"], r["inspection_type"]),
                                "Area": AREA_NAMES.get(a["area"], a["area"]),
                                "Grade": RENEWED_GRADE_NAMES.get(a["grade"], "—"),
                                "Category of concern": CATEGORY_NAMES[r["category_of_concern"]],
                            }
                        )
                st.dataframe(pl.DataFrame(rows), hide_index=True, width="stretch")
        st.caption(
            "Every judgement is shown with the date of its inspection: it describes the school as it was then."
        )

    st.subheader("Warning notices")
    w = detail.warnings
    if w.is_empty():
        st.write("No warning notice has been issued to this school.")
    else:
        st.dataframe(
            w.select(
                pl.col("kind").replace_strict(WARNING_NAMES, default=pl.col("kind")).alias("Kind"),
                pl.col("issued_on").alias("Issued"),
                pl.col("grounds").alias("Grounds"),
                pl.col("state").alias("State"),
                pl.col("closed_on").alias("Closed"),
                pl.col("age_days").alias("Age (days)"),
            ),
            hide_index=True,
            width="stretch",
        )

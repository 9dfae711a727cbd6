"""School drilldown: one school's level, judgements, support, plan, flags, Ofsted, warnings and next dates."""

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from g2g_core.policy import LEVEL_NAMES
from g2g_core.views import (
    ACTIVITY_NAMES,
    CATEGORY_NAMES,
    EIF_GRADES,
    JUDGEMENT_SCALE,
    JUDGEMENTS,
    RENEWED_GRADE_NAMES,
)
from ui import auth, data
from ui.audit import record_once
from ui.components import (
    SEVERITY_WORDS,
    chart_with_table,
    level_label,
    level_marker,
    page_header,
)
from ui.controls import as_of_control
from ui.links import back_link
from ui.pack_download import pack_buttons
from ui.text import md_text

viewer = auth.page_viewer()
store = data.store()
as_of = as_of_control(store)
choices = data.visible_schools(store, viewer, store.version, viewer.scope_key, as_of)
NOT_AVAILABLE = (
    "This school is not available to you. Choose a school from the list, or check the link you were given."
)

raw = st.query_params.get("urn")
urn = None
if raw is not None:
    urn = int(raw) if raw.isdigit() and len(raw) <= 9 else -1
if viewer.role in ("head", "governor"):
    own = sorted(viewer.urns or ())
    if urn is None and own:
        urn = own[0]
elif not choices.is_empty():
    labels = {
        r["urn"]: f"{r['name']} ({r['urn']})" + (" — closed" if r["closed_on"] else "")
        for r in choices.iter_rows(named=True)
    }
    options = list(labels)
    index = options.index(urn) if urn in labels else None
    picked = st.sidebar.selectbox(
        "School", options, index=index, format_func=labels.get, placeholder="Choose a school"
    )
    if picked is not None and picked != urn and (urn is None or urn in labels):
        urn = picked
        st.query_params["urn"] = str(urn)

detail = (
    data.school(store, viewer, store.version, viewer.scope_key, urn, as_of)
    if urn is not None and urn > 0
    else None
)
if detail is None:
    page_header("School", "One school's picture.")
    if urn is None:
        st.info("Choose a school in the sidebar.")
    else:
        st.warning(NOT_AVAILABLE)
    st.stop()

back_link()
s = detail.school
level = s.get("level")
record_once(viewer, f"view_school:{s['urn']}", "view_school", s["urn"], s["name"])
page_header(
    md_text(s["name"]),
    f"URN {s['urn']} · {s['phase'].replace('_', ' ')} · {'maintained' if s['maintained'] else 'academy'} · as at {as_of:%-d %B %Y}",
)
if s.get("closed_on"):
    st.warning(f"This school closed on {s['closed_on']:%-d %B %Y}; it is kept for its history.")

pack_buttons(store, viewer, s["urn"], as_of)

c1, c2, c3 = st.columns(3)
c1.metric(
    "Level of support",
    level_label(level)
    + (" (Team Around the School)" if s.get("team_around_school") and level == "focused" else ""),
)
c2.metric("Since", f"{s['level_since']:%-d %B %Y}" if s.get("level_since") else "—")
c3.metric("Adviser", s.get("adviser") or "None attached")
if s.get("reason"):
    st.write("**Why this level:**")
    st.text(s["reason"])

st.subheader("Key judgements")
st.caption(
    "The authority's judgement of the four key indicators at the latest categorisation (1 strong, 2 good, 3 requires improvement, 4 weak)."
)
st.dataframe(
    pl.DataFrame(
        [
            {"Indicator": label, "Judgement": JUDGEMENT_SCALE.get(s.get(key), "Not recorded")}
            for key, label in JUDGEMENTS.items()
        ]
    ),
    hide_index=True,
    width="stretch",
)

tl = detail.timeline.with_columns(
    level_name=pl.col("level").replace_strict(LEVEL_NAMES, default="Not categorised")
)
fig = go.Figure()
for lv in tl["level"].unique(maintain_order=True).drop_nulls():
    part = tl.filter(pl.col("level") == lv)
    fig.add_bar(
        x=part["term"].to_list(),
        y=[1] * part.height,
        name=LEVEL_NAMES[lv],
        text=[LEVEL_NAMES[lv]] * part.height,
        textposition="inside",
        marker=level_marker(lv),
        hovertemplate="%{x}: " + LEVEL_NAMES[lv] + "<extra></extra>",
    )
fig.update_layout(
    barmode="stack",
    height=220,
    yaxis={"visible": False},
    xaxis={"categoryorder": "array", "categoryarray": tl["term"].to_list()},
    margin={"t": 10, "b": 10},
    legend_title_text="Level of support",
)
changes = tl.filter(pl.col("level") != pl.col("level").shift(1))
chart_with_table(
    "Level of support, term by term",
    f"Over the last {tl.height} terms the school's level changed {max(changes.height - 1, 0)} time(s); it is now {level_label(level)}.",
    fig,
    tl.select(pl.col("term").alias("Term"), pl.col("level_name").alias("Level at the end of the term")),
    f"timeline_{s['urn']}",
)

hours = detail.hours
ent = detail.entitlement
fig = go.Figure()
for act in sorted(hours["activity"].unique()) if not hours.is_empty() else []:
    part = hours.filter(pl.col("activity") == act)
    fig.add_bar(x=part["term"].to_list(), y=part["hours"].to_list(), name=ACTIVITY_NAMES.get(act, act))
fig.add_scatter(
    x=ent["term"].to_list(),
    y=ent["entitled"].to_list(),
    mode="lines+markers",
    name="Entitlement",
    line={"color": "black", "dash": "dash"},
)
fig.update_layout(
    barmode="stack",
    height=360,
    yaxis_title="Hours",
    xaxis={"categoryorder": "array", "categoryarray": ent["term"].to_list()},
    margin={"t": 10},
)
per_term = (
    hours.group_by("term_idx", "term")
    .agg(pl.col("hours").sum().alias("used"))
    .join(ent.select("term_idx", "entitled"), on="term_idx", how="right")
)
this_term = per_term.sort("term_idx").tail(1)
table = (
    hours.pivot(on="activity", index=["term_idx", "term"], values="hours")
    .join(ent.select("term_idx", "term", "entitled"), on=["term_idx", "term"], how="right")
    .sort("term_idx")
    .drop("term_idx")
    if not hours.is_empty()
    else ent.select("term", "entitled")
)
chart_with_table(
    "Adviser support received, term by term",
    "Hours recorded by activity in each term, against the hours the school's level entitles it to (dashed line)"
    + (
        f"; this term so far {this_term['used'].fill_null(0)[0]:.1f} of {this_term['entitled'][0]:.1f}."
        if this_term.height and this_term["entitled"][0] is not None
        else "."
    ),
    fig,
    table,
    f"hours_{s['urn']}",
)

st.subheader("Plan priorities")
pr = detail.priorities
if pr.is_empty():
    st.write("No plan priorities have been recorded for this school.")
else:
    st.dataframe(
        pr.select(
            pl.col("plan").str.replace_all("_", " ").str.to_titlecase().alias("Plan"),
            pl.col("priority").alias("Priority"),
            pl.col("latest_status")
            .str.replace_all("_", " ")
            .fill_null("not yet reviewed")
            .alias("Latest status"),
            pl.col("last_reviewed_on").dt.strftime("%-d %b %Y").fill_null("not yet").alias("Last reviewed"),
            pl.col("next_due").dt.strftime("%-d %b %Y").fill_null("none scheduled").alias("Next review due"),
        ),
        hide_index=True,
        width="stretch",
    )

st.subheader("What needs attention")
if detail.flags.is_empty():
    st.write("Nothing is overdue or due for this school on this date.")
for f in detail.flags.iter_rows(named=True):
    with st.container(border=True):
        st.markdown(
            f"**{SEVERITY_WORDS[f['severity']]}** · since {f['since']:%-d %B %Y} · policy {f['policy_ref']}"
        )
        st.text(f["message"])
        st.text("Next step: " + f["action"])
        st.caption("The records behind it: " + md_text(f["evidence"]))

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
                    pl.col("inspection_type").alias("Type"),
                    pl.col("overall_grade")
                    .map_elements(lambda g: f"{g} {EIF_GRADES[g]}", return_dtype=pl.String)
                    .alias("Overall grade"),
                    pl.col("category_of_concern").replace_strict(CATEGORY_NAMES).alias("Category of concern"),
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
                            "Type": r["inspection_type"],
                            "Area": a["area"].replace("_", " "),
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
            pl.col("kind").str.replace_all("_", "-").alias("Kind"),
            pl.col("issued_on").alias("Issued"),
            pl.col("grounds").alias("Grounds"),
            pl.col("state").alias("State"),
            pl.col("closed_on").alias("Closed"),
            pl.col("age_days").alias("Age (days)"),
        ),
        hide_index=True,
        width="stretch",
    )

st.subheader("Next dates")
if detail.next_dates:
    st.dataframe(
        pl.DataFrame([{"What": what, "When": when} for what, when in detail.next_dates]),
        hide_index=True,
        width="stretch",
    )
else:
    st.write("No dates are due.")

st.subheader(f"Who does what at {level_label(level)} level")
for who, duties in detail.responsibilities.items():
    with st.expander(who):
        for d in duties:
            st.text("• " + d)

if detail.council:
    st.subheader("For authority staff only")
    st.caption("Risk assessments and notes on hours are never shown to the school.")
    st.dataframe(detail.council["risk"], hide_index=True, width="stretch")
    if not detail.council["hour_notes"].is_empty():
        st.dataframe(detail.council["hour_notes"], hide_index=True, width="stretch")

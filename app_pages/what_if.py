"""What-if: support allocation. Does the adviser team have the time the policy promises, and what if it changes.

Director only. The promise, the levels of schools and the team can be changed; scenarios can be saved,
reopened, compared and shared as a link.
"""

import polars as pl
import streamlit as st

from g2g_core import allocation
from ui import auth, data
from ui import what_if as wi
from ui.components import chart_with_table, page_header
from ui.controls import as_of_control

viewer = auth.page_viewer()
store = data.store()
policy = store.policy
as_of = as_of_control(store)
schools = allocation.caseload(data.schools_now(store, viewer, store.version, viewer.scope_key, as_of))
advisers = sorted(a for a in schools["adviser"].unique().to_list() if a != allocation.NO_ADVISER)
saved = wi.scenario_store()

page_header(
    "What-if: support allocation",
    f"Adviser hours a term that the policy promises against the team's time, as at {as_of:%-d %B %Y}: "
    "today, and under the scenario you set below.",
)
wi.open_from_link(saved, policy, len(advisers))
if message := st.session_state.pop("wi_message", None):
    getattr(st, message[0])(message[1])
answer = st.container()
st.header("The scenario")
scenario, notes = wi.inputs(policy, advisers)
base = allocation.baseline(schools, policy)
result = allocation.allocate(schools, policy, scenario)

with answer:
    st.header("The answer")
    st.info(allocation.summary(result, base))
    for note in notes + list(result.notes):
        st.warning(note)
    wi.answer_metrics(base, result)

st.header("Today and the scenario in detail")
by_level = wi.readable_levels(allocation.level_activity(base, result))
chart_with_table(
    "Adviser hours needed a term, by level",
    f"Today {base.demand:,.1f} hours a term against the team's {base.capacity:,.0f}; "
    f"the scenario {result.demand:,.1f} against {result.capacity:,.0f}.",
    wi.demand_chart({"Today": base, "Scenario": result}),
    by_level.rename(
        {
            "level": "Level",
            "activity": "Activity",
            "baseline": "Today: hours a term",
            "scenario": "Scenario: hours a term",
            "change": "Change",
        }
    ),
    "what_if_by_level",
)
per_adviser = allocation.adviser_comparison(base, result)
chart_with_table(
    "Caseload demand per adviser",
    f"In the scenario, {result.over_capacity.height} of {len(advisers)} advisers would need more hours for their "
    "schools than they have (the 25 busiest are shown; the table and the download list every adviser).",
    wi.adviser_chart(per_adviser),
    per_adviser.rename(
        {
            "adviser": "Adviser",
            "schools": "Schools",
            "baseline_demand": "Today: hours a term",
            "scenario_demand": "Scenario: hours a term",
            "capacity": "Adviser's hours a term",
            "utilisation": "Utilisation",
            "over_by": "Over (+) or under (-) their hours",
        }
    ),
    "what_if_advisers",
)

st.subheader("Advisers whose caseload would exceed their hours")
over = result.over_capacity
if over.is_empty():
    st.write("None: every adviser's caseload fits their hours in this scenario.")
else:
    st.write(f"{over.height} adviser(s), most over first.")
    st.dataframe(
        over.select(
            pl.col("adviser").alias("Adviser"),
            pl.col("schools").alias("Schools"),
            pl.col("demand").round(1).alias("Hours needed a term"),
            pl.col("capacity").alias("Their hours a term"),
            pl.col("over_by").round(1).alias("Hours over"),
        ),
        hide_index=True,
    )

st.subheader("Which schools move")
if result.moved.is_empty():
    st.write("No school moves in this scenario.")
else:
    st.write("The schools longest at their level move first (earliest date at the level, then lowest URN).")
    st.dataframe(
        wi.readable_levels(result.moved).rename(
            {
                "urn": "URN",
                "name": "School",
                "from_level": "From",
                "to_level": "To",
                "level_since": "At level since",
            }
        ),
        hide_index=True,
    )

st.header("Saved scenarios")
wi.saved_scenarios(saved, scenario, schools, policy, len(advisers))

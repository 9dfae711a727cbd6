"""Policy: the configuration in force, as readable tables with the policy's paragraph references, and the words used."""

import polars as pl
import streamlit as st

from g2g_core.rules import RULES
from g2g_core.vocabulary import (
    ACTIVITY_NAMES,
    CATEGORY_NAMES,
    KIND_NAMES,
    LEVEL_NAMES,
    LEVELS,
    PHASE_NAMES,
    PLAN_NAMES,
    RENEWED_GRADE_NAMES,
    SEVERITY_NAMES,
    month_day_words,
)
from ui import auth, data
from ui.components import glossary_section, page_header

auth.page_viewer()
store = data.store()
policy = store.policy
page_header("Policy", f"The figures in force: {policy.name}. Source: {policy.source}.")

st.subheader("What each level of support provides")
rows = []
for lv in LEVELS:
    sup = policy.level(lv)
    bound = {"maximum": "up to ", "minimum": "at least ", "none": ""}[sup.additional_hours_bound]
    extra = (
        f"{bound}{sup.additional_hours:g} a {sup.additional_hours_per}" if sup.additional_hours else "none"
    )
    visits = f"{sup.sip_visits_a_year}" + "".join(
        f"; {v} for {PHASE_NAMES[p].lower()}" for p, v in sup.sip_visits_by_phase.items()
    )
    rows.append(
        {
            "Level": LEVEL_NAMES[lv],
            "Who it is for": sup.description,
            "SIP visits a year": visits,
            "Additional adviser hours": extra,
            ACTIVITY_NAMES["one_day_review"]: "each term"
            if sup.la_review_each_term
            else (
                f"{sup.la_reviews_a_year_optional} a year, optional"
                if sup.la_reviews_a_year_optional
                else "no"
            ),
            "TAG meetings a year": sup.tag_meetings_a_year,
            "Plan": ", ".join(PLAN_NAMES[p] for p in sup.plan_types) or "none required",
            "Policy": sup.policy_ref,
        }
    )
st.dataframe(pl.DataFrame(rows), hide_index=True, width="stretch")

st.subheader("Timings and tolerances")
t = policy.terms
st.dataframe(
    pl.DataFrame(
        [
            {
                "Setting": "Terms start",
                "Value": (
                    f"autumn {month_day_words(t.autumn_starts)}, spring {month_day_words(t.spring_starts)}, "
                    f"summer {month_day_words(t.summer_starts)}"
                ),
                "Policy": "SPEC §1.2",
            },
            {
                "Setting": "Target for leaving intensive support",
                "Value": f"within {policy.intensive_exit_terms} terms",
                "Policy": "2.9.2",
            },
            {
                "Setting": "A SIP visit takes",
                "Value": f"{policy.sip_visit_hours:g} hours",
                "Policy": "App.3 1.1",
            },
            {
                "Setting": "A one-day LA review takes",
                "Value": f"{policy.la_review_hours:g} adviser hours (one day, two advisers)",
                "Policy": "2.9.4; App.3 1.3",
            },
            {
                "Setting": "Plan reviews overdue after",
                "Value": f"{policy.grace_days.review} days",
                "Policy": "App.3 1.3.1",
            },
            {
                "Setting": "Letters overdue after",
                "Value": f"{policy.grace_days.letter} days",
                "Policy": "App.3 1.2",
            },
            {
                "Setting": "A new plan is expected within",
                "Value": f"{policy.grace_days.plan} days",
                "Policy": "App.3 1.1; 2.9.1",
            },
            {
                "Setting": "Hours may differ from the entitlement by",
                "Value": f"{policy.hours_tolerance:.0%}",
                "Policy": "App.3 1.1, 1.2",
            },
        ]
    ),
    hide_index=True,
    width="stretch",
)

st.subheader("How Ofsted outcomes set the level")
o = policy.ofsted
st.write(
    f"At least Enhanced: a 2019-framework grade {', '.join(map(str, o.ri_eif_grades))}, or a report card with an area graded "
    f"{' or '.join(RENEWED_GRADE_NAMES[g].lower() for g in o.ri_renewed_grades)} and no category of concern (App.3 1.1; 2.5.10)."
)
st.write(
    f"Intensive B: a 2019-framework grade {', '.join(map(str, o.concern_eif_grades))}, a category of concern "
    f"({', '.join(CATEGORY_NAMES[c].lower() for c in o.concern_categories)})"
    + (", or safeguarding not met" if o.safeguarding_not_met_is_concern else "")
    + " (App.3 1.1; 2.5.15)."
)

st.subheader("The attention rules")
st.dataframe(
    pl.DataFrame(
        [
            {
                "Rule": r.title,
                "Kind": KIND_NAMES.get(r.kind, r.kind),
                "Severity": ", ".join(SEVERITY_NAMES[s] for s in r.messages),
                "Next step": r.action if isinstance(r.action, str) else r.action["overdue"],
                "Policy": r.policy_ref,
            }
            for r in RULES
        ]
    ),
    hide_index=True,
    width="stretch",
)

glossary_section()

"""The attention rules of SPEC §4: each declared once here, its query beside it in `<id>.sql`.

`compute_flags(store, viewer, as_of)` runs every rule as a set-based query on one cursor (shared facts in
temporary tables, see `_context.sql`) and returns one Polars frame of flags, at most one per school and
rule, each with a sentence a governor understands, what should happen next, and the evidence: the rows
that made it fire.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import polars as pl

from g2g_core.access import Viewer
from g2g_core.policy import LEVEL_NAMES, LEVELS, PHASES, Policy
from g2g_core.store import bind
from g2g_core.terms import Calendar
from g2g_core.vocabulary import KIND_NAMES, KINDS, SEVERITIES, SEVERITY_NAMES  # noqa: F401 (re-exported)

RULE_DIR = Path(__file__).parent
FLAG_COLUMNS: tuple[str, ...] = (
    "urn",
    "rule",
    "kind",
    "severity",
    "since",
    "policy_ref",
    "message",
    "action",
)


@cache
def _sql_text(name: str) -> str:
    """The text of `rules/<name>.sql`, read once per process."""
    return (RULE_DIR / f"{name}.sql").read_text(encoding="utf-8")


@dataclass(frozen=True, kw_only=True)
class Rule:
    """One attention rule: what it is, what it says, what should happen, and the query that finds it.

    `council_only`: the rule reads council-only data (SPEC §2), so for a head or a governor it is not run at
    all: neither shown nor able to change anything else they see. `suppressed_by`: the rules whose flag on
    the same school withdraws this one, among the rules run for the viewer.
    """

    id: str
    kind: str
    title: str
    policy_ref: str
    messages: dict[str, str]  # severity -> sentence template over the query's columns
    action: dict[str, str] | str
    query: str
    council_only: bool = False  # fires on council-only data: never run for a head or governor
    suppressed_by: tuple[str, ...] = ()  # rule ids whose flag on the same school withdraws this one

    def sql(self) -> str:
        """The rule's query text."""
        return _sql_text(self.query)

    def action_for(self, severity: str) -> str:
        """The next step for a flag of this severity."""
        return self.action if isinstance(self.action, str) else self.action[severity]


RULES: tuple[Rule, ...] = (
    Rule(
        id="EXIT_INTENSIVE",
        kind="exit",
        title="Overdue or due to leave intensive support",
        policy_ref="2.9.2; 2.6.2",
        messages={
            "overdue": "The school has been in intensive support since {run_start}: {reason}.",
            "due": "The school is in term {term_n} of intensive support (since {run_start}), the last term within "
            "the policy's {exit_terms}-term target for leaving it.",
        },
        action={
            "overdue": "Senior officers should decide now whether the school can move to Enhanced with an exit "
            "strategy (2.9.9), or record why it must stay and set a new target exit date.",
            "due": "Plan the exit review this term: check progress against the Single Action Plan and confirm the "
            "target exit date.",
        },
        query="exit_intensive",
    ),
    Rule(
        id="EXIT_READY",
        kind="exit",
        title="May be ready for a lower level of support",
        policy_ref="2.9.9",
        messages={
            "info": "Every plan priority reviewed in the school's two latest review terms is on track or achieved, "
            "so it may be ready for a lower level of support."
        },
        action="The LaMA and senior officers should consider moving the school to a lower level, with an exit strategy "
        "that reduces support in planned steps (2.9.9).",
        query="exit_ready",
        suppressed_by=("ESC_OFSTED_RI", "ESC_OFSTED_CONCERN", "ESC_OFF_TRACK", "ESC_RISK"),
    ),
    Rule(
        id="ESC_OFSTED_RI",
        kind="escalation",
        title="Ofsted outcome needs at least Enhanced support",
        policy_ref="App.3 1.1 Enhanced; 2.5.10",
        messages={
            "overdue": "Ofsted's inspection of {since} ({what}) means the school should have at least Enhanced "
            "support, but it has {level} support."
        },
        action="Re-categorise the school to Enhanced or Intensive support and send the letter confirming it (App.3 1.2).",
        query="esc_ofsted_ri",
    ),
    Rule(
        id="ESC_OFSTED_CONCERN",
        kind="escalation",
        title="Ofsted category of concern needs Intensive B support",
        policy_ref="App.3 1.1 Intensive B; 2.5.15",
        messages={
            "overdue": "Ofsted's inspection of {since} found {what}, which calls for Intensive B support, but the "
            "school has {level} support."
        },
        action="Re-categorise the school to Intensive B, agree a Single Action Plan with a target exit date, and plan "
        "a one-day LA review each term.",
        query="esc_ofsted_concern",
    ),
    Rule(
        id="ESC_OFF_TRACK",
        kind="escalation",
        title="Plan priorities off track at two reviews running",
        policy_ref="2.7.4; 2.6.2",
        messages={
            "overdue": "{n_text} been off track at each of the two latest reviews, the first of them on {since}."
        },
        action="Discuss escalation with senior officers: more support, or for an intensive school a pre-formal warning "
        "notice to the governing body (2.7.4).",
        query="esc_off_track",
    ),
    Rule(
        id="ESC_RISK",
        kind="escalation",
        title="High risk in the termly risk assessment",
        policy_ref="2.6.4; 2.6.6",
        messages={
            "due": "The risk assessment for the term starting {since} rates {areas} as high risk, while the school "
            "has {level} support."
        },
        action="Consider moving the school to Enhanced or Intensive support (2.6.6); senior officers decide what of the "
        "assessment to discuss with the headteacher and chair of governors (2.2.1).",
        query="esc_risk",
        council_only=True,
    ),
    Rule(
        id="REVIEW_OVERDUE",
        kind="process",
        title="Plan reviews not recorded",
        policy_ref="App.3 1.3.1",
        messages={"overdue": "{n_text} not been recorded although due, the earliest on {since}."},
        action="The LaMA and headteacher should review the plan's priorities and record each status (App.3 1.3.1).",
        query="review_overdue",
    ),
    Rule(
        id="PLAN_MISSING",
        kind="process",
        title="No plan for the level of support",
        policy_ref="App.3 1.1; App.3 1.3.1; 2.9.1",
        messages={
            "overdue": "The school has had {level} support since {effective_from}, but no plan ({plans}) with "
            "review dates has been recorded."
        },
        action="Draw up the plan with the school (headteacher and LaMA, with the governing body) and record its "
        "priorities and review dates.",
        query="plan_missing",
    ),
    Rule(
        id="LA_REVIEW_MISSING",
        kind="process",
        title="No one-day LA review last term",
        policy_ref="2.9.4; App.3 1.1",
        messages={
            "overdue": "The school was in intensive support in the {last_label} term, but no one-day LA review was "
            "recorded in that term."
        },
        action="Hold the one-day LA review this term, led by the LaMA with a second adviser (2.9.4), and record it.",
        query="la_review_missing",
    ),
    Rule(
        id="HOURS_SHORTFALL",
        kind="process",
        title="Less adviser support than the level provides",
        policy_ref="App.3 1.1",
        messages={
            "due": "In the {last_label} term the school received {used} hours of LaMA support, below the {entitled} "
            "hours a term that {level} support provides."
        },
        action="Check that the adviser's records are complete; if the support was not given, plan the missing hours "
        "this term.",
        query="hours_shortfall",
    ),
    Rule(
        id="HOURS_OVERRUN",
        kind="process",
        title="More adviser support than the level provides",
        policy_ref="App.3 1.2",
        messages={
            "info": "In the {last_label} term the school received {used} hours of LaMA support, more than the "
            "{entitled} hours a term that {level} support provides."
        },
        action="Check whether the school needs a higher level of support, or whether the extra time should be traded.",
        query="hours_overrun",
    ),
    Rule(
        id="LETTER_NOT_SENT",
        kind="process",
        title="Letter confirming the level not sent",
        policy_ref="App.3 1.2",
        messages={
            "overdue": "There is no record that the letter confirming the decision of {decided_on} to give the school "
            "{level} support was sent."
        },
        action="Send the school the letter confirming its level of support (App.3 1.2) and record the date.",
        query="letter_not_sent",
    ),
    Rule(
        id="SIP_VISITS_BEHIND",
        kind="process",
        title="Fewer SIP visits than expected",
        policy_ref="App.3 1.1 Core; 2.5.5",
        messages={
            "due": "The school has had {visits_text} this school year, fewer than the {required} expected by now."
        },
        action="Book the missing school improvement partner visit(s) for this term.",
        query="sip_visits_behind",
    ),
)
RULE_BY_ID: dict[str, Rule] = {r.id: r for r in RULES}
assert all(s in RULE_BY_ID for r in RULES for s in r.suppressed_by), "suppressed_by names an unknown rule"
ESCALATIONS = tuple(r.id for r in RULES if r.kind == "escalation")


def _statements(text: str) -> list[str]:
    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def rule_params(policy: Policy, viewer: Viewer, as_of: date) -> dict[str, object]:
    """Every parameter the rule queries bind, for one policy, viewer and date."""
    cal = Calendar(policy.terms)
    last = cal.last_ended(as_of)
    levels = [policy.level(lv) for lv in LEVELS]
    return {
        "as_of": as_of,
        **policy.term_params(),
        **viewer.params(),
        "cur_idx": cal.index_of(as_of),
        "last_idx": last.index,
        "last_first": last.first_day,
        "last_last": last.last_day,
        "last_label": f"{last.name} {last.year_label}",
        "year_start": cal.year_start(as_of),
        "terms_ended": cal.terms_ended_this_year(as_of),
        "exit_terms": policy.intensive_exit_terms,
        "review_grace": policy.grace_days.review,
        "letter_grace": policy.grace_days.letter,
        "plan_grace": policy.grace_days.plan,
        "tolerance": policy.hours_tolerance,
        "lv_level": list(LEVELS),
        "lv_hours": [lv.hours_per_term() for lv in levels],
        "lv_bound": [lv.additional_hours_bound for lv in levels],
        "lv_la": [lv.la_review_each_term for lv in levels],
        "lv_plans": [list(lv.plan_types) for lv in levels],
        "vi_level": [lv for lv in LEVELS for _ in PHASES],
        "vi_phase": [ph for _ in LEVELS for ph in PHASES],
        "vi_visits": [policy.level(lv).visits_for(ph) for lv in LEVELS for ph in PHASES],
        "ri_eif": list(policy.ofsted.ri_eif_grades),
        "ri_renewed": list(policy.ofsted.ri_renewed_grades),
        "concern_eif": list(policy.ofsted.concern_eif_grades),
        "concern_cats": list(policy.ofsted.concern_categories),
        "sg_concern": policy.ofsted.safeguarding_not_met_is_concern,
    }


def _readable(key: str, value: object) -> object:
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    if key == "level" and isinstance(value, str):
        return LEVEL_NAMES.get(value, value)
    if isinstance(value, float):
        return f"{value:.1f}".removesuffix(".0")
    if isinstance(value, list):
        words = [str(v) for v in value]
        return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]
    return value


EMPTY_FLAGS = pl.DataFrame(
    schema={
        "urn": pl.Int64,
        "rule": pl.String,
        "kind": pl.String,
        "severity": pl.String,
        "since": pl.Date,
        "policy_ref": pl.String,
        "message": pl.String,
        "action": pl.String,
        "evidence": pl.String,
    }
)


def compute_flags(store, viewer: Viewer, as_of: date, policy: Policy | None = None) -> pl.DataFrame:
    """Every flag of SPEC §4 for the schools in the viewer's scope, as at a date, sorted by urn then rule."""
    if policy is None or policy is store.policy:  # the store's own policy: computed once per scope and date
        key = ("flags", viewer.role, viewer.scope_key, as_of)
        return store.memo(key, lambda: _compute_flags(store, viewer, as_of, store.policy))
    return _compute_flags(store, viewer, as_of, policy)


def rules_for(viewer: Viewer) -> tuple[Rule, ...]:
    """The rules run for a viewer: all of them for council staff; for a school, none that read council-only data.

    A rule that is not run cannot suppress another, so what a head or governor sees never depends on
    council-only rows (issue 19: a high risk must not make "may be ready for a lower level" vanish).
    """
    return RULES if viewer.sees_council_only else tuple(r for r in RULES if not r.council_only)


def _compute_flags(store, viewer: Viewer, as_of: date, policy: Policy) -> pl.DataFrame:
    params = rule_params(policy, viewer, as_of)
    records: list[dict] = []
    with store.cursor() as cur:
        for part in ("_context", "_hours_last_term"):
            for stmt in _statements(_sql_text(part)):
                cur.sql(stmt, params=bind(stmt, params) or None)
        for rule in rules_for(viewer):
            sql = rule.sql()
            frame = cur.sql(sql, params=bind(sql, params) or None).pl()
            for row in frame.iter_rows(named=True):
                facts = {k: _readable(k, v) for k, v in row.items()}
                facts.update(exit_terms=policy.intensive_exit_terms, last_label=params["last_label"])
                severity = row["severity"]
                records.append(
                    {
                        "urn": row["urn"],
                        "rule": rule.id,
                        "kind": rule.kind,
                        "severity": severity,
                        "since": row["since"],
                        "policy_ref": rule.policy_ref,
                        "message": rule.messages[severity].format(**facts),
                        "action": rule.action_for(severity),
                        "evidence": row.get("evidence") or "",
                    }
                )
    if not records:
        return EMPTY_FLAGS.clone()
    flags = pl.DataFrame(records, schema=EMPTY_FLAGS.schema)
    for rule in RULES:
        if rule.suppressed_by:
            by = flags.filter(pl.col("rule").is_in(rule.suppressed_by))["urn"].unique()
            flags = flags.filter(~((pl.col("rule") == rule.id) & pl.col("urn").is_in(by.implode())))
    return flags.sort("urn", "rule")

"""The What-if page's parts: inputs in the policy's words read into a Scenario, its charts, saved scenarios.

Every input keeps its value in `st.session_state` under a `wi_` key, so opening a saved scenario (a button
callback, or `?scenario=<name>` in the link) only has to write those keys before the widgets are drawn.
"""

from __future__ import annotations

from urllib.parse import quote

import polars as pl
import streamlit as st

from g2g_core import storage
from g2g_core.allocation import (
    REASSIGN_RULE,
    Allocation,
    LevelChange,
    Move,
    Scenario,
    allocate,
    compare,
    hours_text,
    summary,
)
from g2g_core.params import parse_name
from g2g_core.policy import LEVEL_NAMES, LEVELS, Policy
from g2g_core.scenarios import ScenarioError, ScenarioStore, slug
from g2g_core.views import ACTIVITY_NAMES
from ui import stylesheets
from ui.audit import record
from ui.charts import adviser_chart, demand_chart, level_frame  # noqa: F401 (the page draws them)
from ui.components import chart_with_table
from ui.data import data_dir
from ui.names import person_names
from ui.text import md_text

MOVE_ROWS = 3
FIELDS = Scenario.model_fields


def scenario_store() -> ScenarioStore:
    """Saved scenarios.

    One JSON file each in the data directory's `scenarios/` folder, or the shared database with several
    servers (`g2g_core.storage.scenario_store`).
    """
    return storage.scenario_store(data_dir() / "scenarios")


def _convert(hours: float, per: str, to: str) -> float:
    return hours if per == to else (hours * 3 if to == "year" else hours / 3)


def widget_values(scenario: Scenario, policy: Policy, team: int) -> dict[str, object]:
    """The value of every input for a scenario (the policy's own figure wherever it changes nothing)."""
    values: dict[str, object] = {"name": scenario.name}
    for lv in LEVELS:
        sup, change = policy.level(lv), scenario.levels.get(lv) or LevelChange()  # type: ignore[call-overload]
        hours = sup.additional_hours
        if change.additional_hours is not None:
            per = change.additional_hours_per or sup.additional_hours_per
            hours = _convert(change.additional_hours, per, sup.additional_hours_per)
        values[f"{lv}_hours"] = float(hours)
        visits = change.sip_visits_a_year
        values[f"{lv}_visits"] = sup.sip_visits_a_year if visits is None else visits
        review = change.la_review_each_term
        values[f"{lv}_review"] = sup.la_review_each_term if review is None else review
    values["sip_hours"] = float(scenario.sip_visit_hours or policy.sip_visit_hours)
    moves = list(scenario.moves)
    values["move_rows"] = max(MOVE_ROWS, len(moves))
    for i in range(values["move_rows"]):  # type: ignore[arg-type]
        move = moves[i] if i < len(moves) else None
        values[f"move_{i}_from"] = move.from_level if move else "intensive_a"
        values[f"move_{i}_to"] = move.to_level if move else "enhanced"
        values[f"move_{i}_n"] = move.schools if move else 0
    values["advisers"] = team if scenario.advisers is None else scenario.advisers
    values["hours_a_term"] = float(scenario.hours_a_term)
    values["hourly_cost"] = float(scenario.hourly_cost)
    values["leavers"] = list(scenario.leavers)
    return values


# An input is never set through st.session_state: in the browser, a selectbox whose value was set that way
# showed its first option after an interrupted run (the sign-in cookie's rerun), while the model used the
# value. So each opened scenario gets a new generation of widget keys, drawn with explicit defaults, and
# the inputs' current values are kept in `wi_values` (they survive a visit to another page).
def fill(scenario: Scenario, policy: Policy, team: int) -> None:
    """Show a scenario in the inputs: its values become the defaults of a fresh generation of widgets."""
    st.session_state["wi_values"] = widget_values(scenario, policy, team)
    st.session_state["wi_adviser_hours"] = dict(scenario.adviser_hours)
    st.session_state["wi_gen"] = st.session_state.get("wi_gen", 0) + 1


def _key(name: str) -> str:
    return f"wi_{name}_g{st.session_state['wi_gen']}"


def current_values() -> dict[str, object]:
    """The inputs' values as last drawn (what a saved scenario reopens to)."""
    return dict(st.session_state.get("wi_values", {}))


def open_saved(store: ScenarioStore, name: str, policy: Policy, team: int) -> None:
    """Open a saved scenario into the inputs and the link; a problem is kept as a message for the page."""
    try:
        scenario = store.load(name)
    except ScenarioError as err:
        st.session_state["wi_message"] = ("error", md_text(err))
        return
    fill(scenario, policy, team)
    # The revision opened, so saving over a version someone else saved meanwhile is refused (not lost).
    st.session_state.setdefault("wi_revisions", {})[slug(name)] = store.revision(name)
    st.session_state["wi_link"] = scenario.name or name
    st.query_params["scenario"] = scenario.name or name
    st.session_state["wi_message"] = (
        "success",
        f"Opened the saved scenario '{md_text(scenario.name or name)}'.",
    )


def open_from_link(store: ScenarioStore, policy: Policy, team: int) -> None:
    """Open the scenario named in the link (`?scenario=`) once; otherwise start from today's figures."""
    if "wi_values" not in st.session_state:
        fill(Scenario(), policy, team)
    wanted = parse_name(st.query_params.get("scenario"))
    if wanted and wanted != st.session_state.get("wi_link"):
        st.session_state["wi_link"] = wanted
        open_saved(store, wanted, policy, team)


def _help(field: str) -> str:
    return FIELDS[field].description or ""


def inputs(policy: Policy, advisers: list[str]) -> tuple[Scenario, list[str]]:
    """Draw the inputs, grouped as the policy groups them; return the scenario they describe and any notes."""
    values = current_values()
    notes: list[str] = []
    levels: dict[str, LevelChange] = {}
    with st.expander("Policy: the support each level receives", expanded=True):
        cols = st.columns(len(LEVELS))
        for col, lv in zip(cols, LEVELS, strict=True):
            sup, name = policy.level(lv), LEVEL_NAMES[lv]
            col.markdown(f"**{name}**")
            hours = values[f"{lv}_hours"] = col.number_input(
                f"{name}: additional adviser hours a {sup.additional_hours_per}",
                min_value=0.0,
                max_value=500.0,
                value=float(values[f"{lv}_hours"]),  # type: ignore[arg-type]
                step=1.0,
                key=_key(f"{lv}_hours"),
                help=f"Policy: {sup.additional_hours:g} a {sup.additional_hours_per} ({sup.policy_ref}).",
            )
            visits = values[f"{lv}_visits"] = col.slider(
                f"{name}: SIP visits a year", 0, 12, value=values[f"{lv}_visits"], key=_key(f"{lv}_visits")
            )
            review = values[f"{lv}_review"] = col.checkbox(
                f"{name}: one-day review each term",
                value=bool(values[f"{lv}_review"]),
                key=_key(f"{lv}_review"),
            )
            changed_hours = abs(hours - sup.additional_hours) > 1e-9
            change = LevelChange(
                additional_hours=hours if changed_hours else None,
                additional_hours_per=sup.additional_hours_per if changed_hours else None,
                sip_visits_a_year=visits if visits != sup.sip_visits_a_year else None,
                la_review_each_term=review if review != sup.la_review_each_term else None,
            )
            if change != LevelChange():
                levels[lv] = change
        sip_hours = values["sip_hours"] = st.number_input(
            "Hours of a SIP visit",
            min_value=0.5,
            max_value=24.0,
            value=float(values["sip_hours"]),  # type: ignore[arg-type]
            step=0.5,
            key=_key("sip_hours"),
        )
        st.caption(
            "Hours a year are spread evenly over the three terms. Optional one-day reviews "
            "(Enhanced: one a year at an agreed point) are not counted, as on the dashboard."
        )

    moves: list[Move] = []
    with st.expander("Moves between levels", expanded=True):
        st.caption(
            "The schools longest at a level move first (earliest date at that level, then lowest URN); "
            "asking for more schools than a level has moves the schools there, and says so."
        )
        for i in range(int(values["move_rows"])):  # type: ignore[call-overload]
            a, b, c = st.columns(3)
            frm = values[f"move_{i}_from"] = a.selectbox(
                f"Move {i + 1}: from level",
                LEVELS,
                index=LEVELS.index(values[f"move_{i}_from"]),  # type: ignore[arg-type]
                format_func=LEVEL_NAMES.get,
                key=_key(f"move_{i}_from"),
            )
            to = values[f"move_{i}_to"] = b.selectbox(
                f"Move {i + 1}: to level",
                LEVELS,
                index=LEVELS.index(values[f"move_{i}_to"]),  # type: ignore[arg-type]
                format_func=LEVEL_NAMES.get,
                key=_key(f"move_{i}_to"),
            )
            n = values[f"move_{i}_n"] = c.number_input(
                f"Move {i + 1}: how many schools",
                min_value=0,
                max_value=100_000,
                value=int(values[f"move_{i}_n"]),  # type: ignore[call-overload]
                step=1,
                key=_key(f"move_{i}_n"),
            )
            if n and frm == to:
                notes.append(f"Move {i + 1} goes from {LEVEL_NAMES[frm]} to the same level: left out.")
            elif n:
                moves.append(Move(from_level=frm, to_level=to, schools=int(n)))

    with st.expander("Advisers and cost (planning assumptions)", expanded=True):
        a, b, c = st.columns(3)
        team = values["advisers"] = a.number_input(
            "Advisers in the team",
            min_value=0,
            max_value=100_000,
            value=int(values["advisers"]),  # type: ignore[call-overload]
            step=1,
            key=_key("advisers"),
            help=_help("advisers"),
        )
        hours_a_term = values["hours_a_term"] = b.number_input(
            "Hours a term each adviser gives to schools",
            min_value=1.0,
            max_value=1_000.0,
            value=float(values["hours_a_term"]),  # type: ignore[arg-type]
            step=5.0,
            key=_key("hours_a_term"),
            help=_help("hours_a_term"),
        )
        cost = values["hourly_cost"] = c.number_input(
            "Cost of an adviser hour (£)",
            min_value=0.0,
            max_value=10_000.0,
            value=float(values["hourly_cost"]),  # type: ignore[arg-type]
            step=5.0,
            key=_key("hourly_cost"),
            help=_help("hourly_cost"),
        )
        people = person_names()
        leavers = values["leavers"] = st.multiselect(
            "Advisers who leave",
            advisers,
            default=[a for a in values.get("leavers", []) if a in advisers],  # type: ignore[union-attr]
            format_func=lambda a: people.get(a, a),
            key=_key("leavers"),
            placeholder="Nobody leaves",
            help=_help("leavers"),
        )
        st.caption(f"Their schools are reassigned: {REASSIGN_RULE[0].lower()}{REASSIGN_RULE[1:]}")
        own = st.session_state["wi_adviser_hours"]
        # One row an adviser, by name (sorted as read); the row's position gives back the login.
        logins = sorted(set(advisers) | set(own), key=lambda a: (people.get(a, a).casefold(), a))
        edited = st.data_editor(
            pl.DataFrame(
                {
                    "Adviser": [people.get(a, a) for a in logins],
                    "Own hours a term": [own.get(a) for a in logins],
                },
                schema={"Adviser": pl.String, "Own hours a term": pl.Float64},
            ),
            key=_key("adviser_hours"),
            disabled=["Adviser"],
            hide_index=True,
            width="stretch",
            height=min(400, 38 + 35 * len(logins)),
        )
        st.caption(
            "Leave 'Own hours a term' empty for an adviser who gives the team's figure; fill it in for one who "
            "gives more or less (part-time, other duties)."
        )
    adviser_hours = {
        login: float(hours)
        for login, hours in zip(logins, pl.DataFrame(edited)["Own hours a term"].to_list(), strict=True)
        if hours is not None
    }
    st.session_state["wi_values"] = values
    scenario = Scenario(
        name=str(values["name"]),
        levels=levels,
        sip_visit_hours=sip_hours if abs(sip_hours - policy.sip_visit_hours) > 1e-9 else None,
        moves=moves,
        advisers=int(team) if int(team) != len(advisers) else None,
        hours_a_term=float(hours_a_term),
        hourly_cost=float(cost),
        adviser_hours=adviser_hours,
        leavers=list(leavers),
    )
    return scenario, notes


def readable_levels(frame: pl.DataFrame) -> pl.DataFrame:
    """Level and activity codes (and dates) as words, for tables and downloads."""
    out = frame
    for col in ("level", "from_level", "to_level"):
        if col in out.columns:
            out = out.with_columns(pl.col(col).replace_strict(LEVEL_NAMES))
    if "level_since" in out.columns:
        out = out.with_columns(pl.col("level_since").dt.strftime("%-d %B %Y"))
    if "activity" in out.columns:
        out = out.with_columns(pl.col("activity").replace_strict(ACTIVITY_NAMES))
    return out


def delete_saved(store: ScenarioStore, key: str, label: str = "") -> None:
    """Delete a saved scenario; drop it from the link if the link names it; say what happened by the button."""
    try:
        gone = store.delete(key)
    except ScenarioError as err:
        st.session_state["wi_deleted"] = ("error", md_text(err))
        return
    viewer = st.session_state.get("viewer")
    if gone and viewer is not None:
        record(viewer, "delete_scenario", None, label or key)
    if slug(parse_name(st.query_params.get("scenario")) or "") == key:
        del st.query_params["scenario"]
        st.session_state.pop("wi_link", None)
    st.session_state["wi_deleted"] = (
        ("success", f"Deleted the saved scenario '{md_text(label or key)}'.")
        if gone
        else ("warning", "That scenario was already gone.")
    )


def _dismissed() -> None:
    st.session_state.pop("wi_confirm", None)
    st.session_state["wi_deleted"] = ("info", "Nothing was deleted.")


@st.dialog("Delete this saved scenario?", on_dismiss=_dismissed)
def confirm_delete(store: ScenarioStore, key: str, label: str) -> None:
    """Ask before deleting: the scenario's name, and Delete or Keep it."""
    st.write(f"'{md_text(label)}' will be deleted for everyone. This cannot be undone.")
    yes, no = st.columns(2)
    if yes.button("Delete it", type="primary", key="wi_delete_yes"):
        st.session_state.pop("wi_confirm", None)
        delete_saved(store, key, label)
        st.rerun()
    if no.button("Keep it", key="wi_delete_no"):
        st.session_state.pop("wi_confirm", None)
        st.session_state["wi_deleted"] = ("info", f"Kept '{md_text(label)}'.")
        st.rerun()


def answer_metrics(base: Allocation, result: Allocation) -> None:
    """The headline figures of the scenario, each against today (hours always to one decimal place)."""
    cols = st.columns(5)
    cost_change = result.cost_a_year - base.cost_a_year
    change = result.demand - base.demand
    cols[0].metric(
        "Hours needed a term",
        hours_text(result.demand),
        delta=f"{'+' if change > 0 else '-' if change < 0 else ''}{hours_text(abs(change))} on today",
        delta_arrow="auto" if abs(change) >= 0.05 else "off",
        help=f"Today: {hours_text(base.demand)} hours a term.",
        delta_color="off",
    )
    cols[1].metric(
        "Team's hours a term",
        hours_text(result.capacity),
        delta=f"{result.advisers} adviser{'s' if result.advisers != 1 else ''}",
        delta_arrow="off",
        delta_color="off",
    )
    cols[2].metric(
        "Utilisation",
        "no team" if result.utilisation is None else f"{result.utilisation:.0%}",
        delta=None if base.utilisation is None else f"today {base.utilisation:.0%}",
        delta_arrow="off",
        delta_color="off",
    )
    cols[3].metric(
        "Shortfall, hours a term" if result.gap > 0 else "Spare, hours a term",
        hours_text(abs(result.gap)),
        delta=f"{abs(result.gap_fte):.1f} full-time advisers",
        delta_arrow="off",
        help="Hours a term divided by one adviser's hours a term (full-time equivalents).",
        delta_color="off",
    )
    cols[4].metric(
        "Cost a year",
        f"£{result.cost_a_year:,.0f}",
        delta=f"{'-' if cost_change < 0 else '+'}£{abs(cost_change):,.0f} on today",
        delta_arrow="auto" if abs(cost_change) >= 0.5 else "off",
        help="What the hours needed cost over a school year (three terms) at the hourly cost.",
        delta_color="off",
    )


def sticky_answer():
    """A container that stays at the top of the page while the inputs below it scroll and change."""
    stylesheets.use("sticky_answer")
    return st.container(key="wi_answer")


def reassigned_table(result: Allocation) -> None:
    """The leaving advisers' schools and who takes each on."""
    if result.reassigned.is_empty():
        return
    people = person_names()
    st.subheader("Schools reassigned from advisers who leave")
    st.write(REASSIGN_RULE)
    st.dataframe(
        readable_levels(result.reassigned).select(
            pl.col("name").alias("School"),
            pl.col("urn").alias("URN"),
            pl.col("level").alias("Level"),
            pl.col("hours").round(1).alias("Hours needed a term"),
            pl.col("from_adviser").replace_strict(people, default=pl.col("from_adviser")).alias("From"),
            pl.col("to_adviser").replace_strict(people, default=pl.col("to_adviser")).alias("To"),
        ),
        hide_index=True,
        width="stretch",
    )


def saved_scenarios(
    store: ScenarioStore, scenario: Scenario, schools: pl.DataFrame, policy: Policy, team: int
) -> None:
    """Save, open, delete and compare saved scenarios; bad files are listed with what is wrong with them."""
    listed = store.list()
    name = st.text_input(
        "Name of this scenario", value=str(current_values().get("name", "")), max_chars=80, key=_key("name")
    )
    st.session_state["wi_values"] = {**current_values(), "name": name}
    if st.button("Save this scenario", key="wi_save"):
        try:
            revisions = st.session_state.setdefault("wi_revisions", {})
            entry = store.save(
                scenario.model_copy(update={"name": name.strip()}), expected=revisions.get(slug(name))
            )
        except ScenarioError as err:
            st.error(md_text(err))
        else:
            if (viewer := st.session_state.get("viewer")) is not None:
                record(viewer, "save_scenario", None, entry.name)
            revisions[slug(entry.name)] = entry.revision
            st.session_state["wi_link"] = name.strip()
            st.query_params["scenario"] = name.strip()
            st.success(f"Saved '{md_text(entry.name)}'. Saving again under the same name replaces it.")
            listed = store.list()
    for entry in listed:
        if entry.problem:
            st.warning(md_text(entry.problem))
    if link := st.session_state.get("wi_link"):
        st.markdown(
            f"[Link that opens the saved scenario '{md_text(link)}'](?scenario={quote(link, safe='')})"
        )
    if not listed:
        st.write("No scenario has been saved yet.")
        return
    labels = {e.key: e.name + (" (cannot be opened)" if e.problem else "") for e in listed}
    pick, open_col, delete_col = st.columns([3, 1, 1], vertical_alignment="bottom")
    chosen = pick.selectbox("Saved scenario", list(labels), format_func=labels.get, key="wi_chosen")
    open_col.button("Open", key="wi_open", on_click=open_saved, args=(store, chosen, policy, team))
    if delete_col.button("Delete", key="wi_delete"):
        st.session_state["wi_confirm"] = (chosen, labels[chosen])
    if confirm := st.session_state.get("wi_confirm"):  # the dialog stays open until Delete it or Keep it
        confirm_delete(store, *confirm)
    if done := st.session_state.pop("wi_deleted", None):
        getattr(st, done[0])(done[1])

    names = {e.key: e.name for e in listed if not e.problem}
    if len(names) < 2:
        return
    st.subheader("Compare two saved scenarios")
    left, right = st.columns(2)
    first = left.selectbox("First scenario", list(names), format_func=names.get, key="wi_cmp_a")
    second = right.selectbox("Second scenario", list(names), index=1, format_func=names.get, key="wi_cmp_b")
    try:
        a, b = (allocate(schools, policy, store.load(k)) for k in (first, second))
    except ScenarioError as err:
        st.error(md_text(err))
        return
    label_a, label_b = f"A: {names[first]}", f"B: {names[second]}"
    chart_with_table(
        "Two saved scenarios side by side",
        summary(b, a, who=f"Scenario B ({names[second]})", against=f"A ({names[first]})"),
        demand_chart({label_a: a, label_b: b}),
        compare(a, b).rename(
            {
                "measure": "Measure",
                "unit": "Unit",
                "baseline": label_a,
                "scenario": label_b,
                "change": "B less A",
            }
        ),
        "what_if_compare",
    )

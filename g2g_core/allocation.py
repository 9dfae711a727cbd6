"""Support allocation: adviser time the policy promises against the team's capacity, now and under a scenario.

Plain functions over an already-loaded frame of schools (one row per open school: urn, name, level,
level_since, phase, maintained, adviser), so a scenario recomputes in milliseconds without scanning the
exports. Demand comes from `views.entitlement_table`, the figures the dashboard shows, so the two agree.

Everything here is in adviser hours **a term** (a yearly figure is divided by three, as in the policy
model). Optional one-day reviews (Enhanced: one a year at an agreed point) are not counted, as in the
dashboard's entitlement: only the reviews due every term are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import polars as pl
from pydantic import BaseModel, ConfigDict, Field, model_validator

from g2g_core.policy import LEVEL_NAMES, LEVELS, Policy
from g2g_core.views import ENTITLED_ACTIVITIES, entitlement_table

Level = Literal["core", "focused", "enhanced", "intensive_a", "intensive_b"]

CASELOAD_COLUMNS = ("urn", "name", "level", "level_since", "phase", "maintained", "adviser")
NO_ADVISER = "(no adviser)"
DEFAULT_HOURS_A_TERM = 150.0
DEFAULT_HOURLY_COST = 75.0


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LevelChange(_Strict):
    """Changes to what one level entitles a school to; a field left empty keeps the policy's figure."""

    additional_hours: float | None = Field(
        None,
        ge=0,
        le=500,
        description="Additional adviser (LaMA) hours, in the unit of additional_hours_per.",
    )
    additional_hours_per: Literal["year", "term"] | None = Field(
        None,
        description="Whether additional_hours is a yearly or a termly figure; empty means the policy's own unit.",
    )
    sip_visits_a_year: int | None = Field(
        None, ge=0, le=12, description="SIP visits a year, for every phase of school at this level."
    )
    la_review_each_term: bool | None = Field(
        None, description="Whether a one-day LA review (one day, two advisers) is due every term."
    )


class Move(_Strict):
    """N schools moving from one level to another (the longest at the level move first)."""

    from_level: Level = Field(description="The level the schools leave.")
    to_level: Level = Field(description="The level the schools join.")
    schools: int = Field(ge=0, le=100_000, description="How many schools move.")

    @model_validator(mode="after")
    def _two_levels(self) -> Move:
        if self.from_level == self.to_level:
            raise ValueError(f"a move needs two different levels (both are {self.from_level})")
        return self


class Scenario(_Strict):
    """A what-if: changes to the policy's numbers, moves between levels and changes to the adviser team."""

    name: str = Field("", max_length=80, description="The scenario's name, as its author typed it.")
    levels: dict[Level, LevelChange] = Field(
        default_factory=dict, description="Changes to the support of particular levels."
    )
    sip_visit_hours: float | None = Field(
        None, gt=0, le=24, description="Adviser hours of one SIP visit; empty keeps the policy's figure."
    )
    moves: list[Move] = Field(
        default_factory=list, max_length=20, description="Moves of schools between levels, applied in order."
    )
    advisers: int | None = Field(
        None,
        ge=0,
        le=100_000,
        description="Advisers in the team; empty means the advisers who hold a caseload in the data.",
    )
    hours_a_term: float = Field(
        DEFAULT_HOURS_A_TERM,
        gt=0,
        le=1_000,
        description="Planning assumption, not a policy number: the hours a term one full-time adviser gives to "
        "schools. Also the full-time equivalent used to express a shortfall or slack in advisers.",
    )
    hourly_cost: float = Field(
        DEFAULT_HOURLY_COST,
        ge=0,
        le=10_000,
        description="Planning assumption, not a policy number: the cost of one adviser hour, in pounds.",
    )
    adviser_hours: dict[str, float] = Field(
        default_factory=dict,
        description="Hours a term of particular advisers (by username) where they differ from hours_a_term.",
    )
    leavers: list[str] = Field(
        default_factory=list,
        max_length=1_000,
        description="Advisers (by username) who leave the team: their schools go to the others, least loaded "
        "first. An adviser whose own hours are set to 0 leaves too.",
    )

    def settings(self) -> dict:
        """Everything but the name: what two scenarios must share to give the same answer."""
        return self.model_dump(exclude={"name"})


@dataclass(frozen=True)
class Allocation:
    """The answer for one scenario: demand against capacity, in adviser hours a term."""

    scenario: Scenario
    schools: pl.DataFrame  # each school after the moves, with its hours a term by activity and `entitled`
    moved: pl.DataFrame  # urn, name, from_level, to_level, level_since: the schools chosen to move
    reassigned: pl.DataFrame  # urn, name, level, hours, from_adviser, to_adviser: leavers' schools given on
    by_level: pl.DataFrame  # level, schools, one column per activity, demand
    by_adviser: pl.DataFrame  # adviser, schools, demand, capacity, utilisation, over_by
    demand: float
    capacity: float
    advisers: int
    notes: tuple[str, ...]

    @property
    def gap(self) -> float:
        """Demand less capacity: a shortfall when positive, slack when negative (hours a term)."""
        return self.demand - self.capacity

    @property
    def gap_fte(self) -> float:
        """The gap in full-time advisers at the scenario's hours a term."""
        return self.gap / self.scenario.hours_a_term

    @property
    def utilisation(self) -> float | None:
        """Demand as a share of capacity (None with no capacity)."""
        return self.demand / self.capacity if self.capacity else None

    @property
    def cost_a_year(self) -> float:
        """What the hours needed cost over a school year (three terms) at the hourly rate."""
        return 3 * self.demand * self.scenario.hourly_cost

    @property
    def team_cost_a_year(self) -> float:
        """What the team's hours cost over a school year at the hourly rate."""
        return 3 * self.capacity * self.scenario.hourly_cost

    @property
    def over_capacity(self) -> pl.DataFrame:
        """The advisers whose caseload needs more hours than they have, most over first."""
        over = self.by_adviser.filter((pl.col("over_by") > 0) & (pl.col("adviser") != NO_ADVISER))
        return over.sort("over_by", descending=True)


def caseload(schools_now: pl.DataFrame) -> pl.DataFrame:
    """The aggregate the model runs on: open, categorised schools with level, phase, maintained, adviser."""
    return (
        schools_now.filter(pl.col("level").is_not_null())
        .select(CASELOAD_COLUMNS)
        .with_columns(pl.col("adviser").fill_null(NO_ADVISER))
    )


def scenario_policy(policy: Policy, scenario: Scenario) -> Policy:
    """The policy with the scenario's numbers in place of its own."""
    levels = {}
    for lv in LEVELS:
        sup, change = policy.level(lv), scenario.levels.get(lv)  # type: ignore[call-overload]
        update: dict = {}
        if change is not None:
            if change.additional_hours is not None:
                update["additional_hours"] = change.additional_hours
                update["additional_hours_per"] = change.additional_hours_per or sup.additional_hours_per
            if change.sip_visits_a_year is not None:  # one figure for every phase
                update["sip_visits_a_year"] = change.sip_visits_a_year
                update["sip_visits_by_phase"] = {}
            if change.la_review_each_term is not None:
                update["la_review_each_term"] = change.la_review_each_term
        levels[lv] = sup.model_copy(update=update) if update else sup
    update = {"levels": levels}
    if scenario.sip_visit_hours is not None:
        update["sip_visit_hours"] = scenario.sip_visit_hours
    return policy.model_copy(update=update)


def apply_moves(schools: pl.DataFrame, moves: list[Move]) -> tuple[pl.DataFrame, pl.DataFrame, list[str]]:
    """Move schools between levels, conserving them; return the schools, those moved, and notes.

    Which schools move is deterministic: those longest at the level (earliest level_since, then lowest
    URN); a school that arrived by an earlier move counts as the newest at its new level. A move of more
    schools than the level has is clipped to the schools there, with a note saying so.
    """
    frame = schools.with_columns(_arrived=pl.lit(0, pl.Int32))
    moved: list[dict] = []
    notes: list[str] = []
    for step, move in enumerate(moves, start=1):
        if move.schools == 0:
            continue
        at_level = frame.filter(pl.col("level") == move.from_level)
        chosen = at_level.sort(["_arrived", "level_since", "urn"], nulls_last=True).head(move.schools)
        if chosen.height < move.schools:
            notes.append(
                f"Move {step} asks for {move.schools} {LEVEL_NAMES[move.from_level]} schools to move to "
                f"{LEVEL_NAMES[move.to_level]}, but only {at_level.height} "
                f"{'is' if at_level.height == 1 else 'are'} at {LEVEL_NAMES[move.from_level]}"
                f"{' after the moves before it' if step > 1 else ''}: {chosen.height} moved."
            )
        urns = chosen["urn"].implode()
        frame = frame.with_columns(
            level=pl.when(pl.col("urn").is_in(urns)).then(pl.lit(move.to_level)).otherwise(pl.col("level")),
            _arrived=pl.when(pl.col("urn").is_in(urns)).then(pl.lit(step)).otherwise(pl.col("_arrived")),
        )
        moved += [
            {**row, "from_level": move.from_level, "to_level": move.to_level}
            for row in chosen.select("urn", "name", "level_since").iter_rows(named=True)
        ]
    moved_frame = pl.DataFrame(
        moved,
        schema={
            "urn": pl.Int64,
            "name": pl.String,
            "level_since": pl.Date,
            "from_level": pl.String,
            "to_level": pl.String,
        },
    ).select("urn", "name", "from_level", "to_level", "level_since")
    return frame.drop("_arrived"), moved_frame, notes


def adviser_capacity(advisers: list[str], scenario: Scenario) -> dict[str, float]:
    """Each adviser's hours a term: their own figure where the scenario gives one, else hours_a_term."""
    return {a: float(scenario.adviser_hours.get(a, scenario.hours_a_term)) for a in advisers}


REASSIGN_RULE = (
    "Each leaving adviser's schools, the most hours needed first (then lowest URN), go one at a time to the "
    "remaining adviser with the most hours to spare at that moment (their hours a term less the hours their "
    "schools already need; ties by name)."
)
REASSIGNED_SCHEMA = {
    "urn": pl.Int64,
    "name": pl.String,
    "level": pl.String,
    "hours": pl.Float64,
    "from_adviser": pl.String,
    "to_adviser": pl.String,
}


def leaving(named: list[str], scenario: Scenario) -> list[str]:
    """The advisers who leave: those named as leavers and those whose own hours are set to 0."""
    zero = {a for a, h in scenario.adviser_hours.items() if h <= 0}
    return sorted(a for a in named if a in set(scenario.leavers) | zero)


def reassign(
    priced: pl.DataFrame, leavers: list[str], capacity: dict[str, float]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Give the leavers' schools to the remaining advisers by REASSIGN_RULE; return the schools and the moves.

    `priced` has one row per school with `adviser` and `entitled` (hours a term); `capacity` holds the hours
    a term of every remaining adviser. With no adviser remaining the schools are left with no adviser.
    """
    if not leavers:
        return priced, pl.DataFrame(schema=REASSIGNED_SCHEMA)
    remaining = sorted(capacity)
    load = dict.fromkeys(remaining, 0.0)
    for adviser, hours in (
        priced.filter(pl.col("adviser").is_in(remaining))
        .group_by("adviser")
        .agg(pl.col("entitled").sum())
        .iter_rows()
    ):
        load[adviser] = float(hours or 0.0)
    going = priced.filter(pl.col("adviser").is_in(leavers)).sort(
        pl.col("entitled").fill_null(0.0), "urn", descending=[True, False]
    )
    moves = []
    for row in going.iter_rows(named=True):
        hours = float(row["entitled"] or 0.0)
        if remaining:
            to = min(remaining, key=lambda a: (-(capacity[a] - load[a]), a))
            load[to] += hours
        else:
            to = NO_ADVISER
        moves.append(
            {
                "urn": row["urn"],
                "name": row["name"],
                "level": row["level"],
                "hours": hours,
                "from_adviser": row["adviser"],
                "to_adviser": to,
            }
        )
    moved = pl.DataFrame(moves, schema=REASSIGNED_SCHEMA)
    new_adviser = dict(zip(moved["urn"].to_list(), moved["to_adviser"].to_list(), strict=True))
    out = priced.with_columns(
        adviser=pl.col("urn").replace_strict(new_adviser, default=pl.col("adviser"), return_dtype=pl.String)
    )
    return out, moved


def allocate(schools: pl.DataFrame, policy: Policy, scenario: Scenario | None = None) -> Allocation:
    """Demand against capacity for the schools (a `caseload` frame) under the policy changed by a scenario.

    With no scenario (or an empty one) this is the baseline: today's categorisation, the policy in force
    and the advisers who hold a caseload, each at the default hours a term.
    """
    scenario = scenario or Scenario()
    notes: list[str] = []
    moved_schools, moved, move_notes = apply_moves(schools, scenario.moves)
    notes += move_notes
    ent = entitlement_table(scenario_policy(policy, scenario))
    priced = moved_schools.join(ent, on=["level", "phase", "maintained"], how="left", coalesce=True)

    by_level = (
        pl.DataFrame({"level": list(LEVELS)})
        .join(
            priced.group_by("level").agg(
                pl.len().alias("schools"), *[pl.col(a).sum() for a in ENTITLED_ACTIVITIES]
            ),
            on="level",
            how="left",
        )
        .with_columns(
            pl.col("schools").fill_null(0).cast(pl.Int64), pl.col(ENTITLED_ACTIVITIES).fill_null(0.0)
        )
        .with_columns(demand=pl.sum_horizontal(*ENTITLED_ACTIVITIES))
    )

    named = sorted(a for a in priced["adviser"].unique().to_list() if a != NO_ADVISER)
    leavers = leaving(named, scenario)
    unknown_leavers = sorted(set(scenario.leavers) - set(named))
    if unknown_leavers:
        notes.append(
            f"{', '.join(unknown_leavers)} {'holds' if len(unknown_leavers) == 1 else 'hold'} no caseload in the "
            "data: nobody's schools were reassigned for them."
        )
    named = [a for a in named if a not in leavers]
    own = adviser_capacity(named, scenario)
    priced, reassigned = reassign(priced, leavers, own)
    if leavers:
        notes.append(
            f"{len(leavers)} adviser{'s leave' if len(leavers) != 1 else ' leaves'}: "
            f"{reassigned.height} school{'s' if reassigned.height != 1 else ''} reassigned. {REASSIGN_RULE}"
        )
    unknown = sorted(set(scenario.adviser_hours) - set(named) - set(leavers))
    if unknown:
        notes.append(
            f"Hours were given for {', '.join(unknown)}, who {'holds' if len(unknown) == 1 else 'hold'} no "
            "caseload in the data: ignored."
        )
    team = len(named) if scenario.advisers is None else scenario.advisers
    # Advisers beyond today's caseload holders join at hours_a_term; a smaller team loses standard advisers.
    capacity = sum(own.values()) + (team - len(named)) * scenario.hours_a_term
    capacity = max(capacity, 0.0)
    if team < len(named):
        notes.append(
            f"The team has {team} advisers but {len(named)} hold a caseload today: caseloads per adviser are "
            "shown as they stand, the team's capacity with the smaller team."
        )
    no_adviser = priced.filter(pl.col("adviser") == NO_ADVISER).height
    if no_adviser:
        notes.append(
            f"{no_adviser} school{'s have' if no_adviser != 1 else ' has'} no adviser: counted in the team's "
            "demand, listed as '(no adviser)' per adviser."
        )

    caps = pl.DataFrame(
        {"adviser": list(own), "capacity": list(own.values())},
        schema={"adviser": pl.String, "capacity": pl.Float64},
    )
    by_adviser = (
        priced.group_by("adviser")
        .agg(pl.len().alias("schools"), pl.col("entitled").sum().alias("demand"))
        .join(caps, on="adviser", how="full", coalesce=True)
        .with_columns(
            pl.col("schools").fill_null(0).cast(pl.Int64),
            pl.col("demand").fill_null(0.0),
            pl.col("capacity").fill_null(0.0),
        )
        .with_columns(
            utilisation=pl.when(pl.col("capacity") > 0).then(pl.col("demand") / pl.col("capacity")),
            over_by=pl.col("demand") - pl.col("capacity"),
        )
        .sort("adviser")
    )
    return Allocation(
        scenario,
        priced,
        moved,
        reassigned,
        by_level,
        by_adviser,
        float(by_level["demand"].sum()),
        float(capacity),
        int(team),
        tuple(notes),
    )


def baseline(schools: pl.DataFrame, policy: Policy) -> Allocation:
    """Today's categorisation under the policy in force, with the advisers at the default hours a term."""
    return allocate(schools, policy, Scenario())


def compare(baseline: Allocation, scenario: Allocation) -> pl.DataFrame:
    """The headline figures of two allocations side by side, with the change."""
    rows = [
        ("Schools", "schools", lambda a: float(a.schools.height)),
        ("Adviser hours needed a term", "hours", lambda a: a.demand),
        ("Adviser hours the team has a term", "hours", lambda a: a.capacity),
        ("Advisers in the team", "advisers", lambda a: float(a.advisers)),
        ("Utilisation", "%", lambda a: None if a.utilisation is None else 100 * a.utilisation),
        ("Shortfall (+) or slack (-), hours a term", "hours", lambda a: a.gap),
        ("Shortfall (+) or slack (-), full-time advisers", "advisers", lambda a: a.gap_fte),
        ("Cost of the hours needed a year", "£", lambda a: a.cost_a_year),
        ("Cost of the team's hours a year", "£", lambda a: a.team_cost_a_year),
        ("Advisers whose caseload exceeds their hours", "advisers", lambda a: float(a.over_capacity.height)),
    ]
    data = []
    for measure, unit, get in rows:
        b, s = get(baseline), get(scenario)
        data.append(
            {
                "measure": measure,
                "unit": unit,
                "baseline": b,
                "scenario": s,
                "change": None if b is None or s is None else s - b,
            }
        )
    return pl.DataFrame(
        data,
        schema={
            "measure": pl.String,
            "unit": pl.String,
            "baseline": pl.Float64,
            "scenario": pl.Float64,
            "change": pl.Float64,
        },
    )


def level_activity(baseline: Allocation, scenario: Allocation) -> pl.DataFrame:
    """Hours a term by level and activity, baseline beside scenario (every level and activity listed)."""

    def long(a: Allocation, name: str) -> pl.DataFrame:
        return a.by_level.unpivot(
            on=list(ENTITLED_ACTIVITIES), index="level", variable_name="activity", value_name=name
        )

    both = long(baseline, "baseline").join(long(scenario, "scenario"), on=["level", "activity"])
    order = {lv: i for i, lv in enumerate(LEVELS)}
    act = {a: i for i, a in enumerate(ENTITLED_ACTIVITIES)}
    return (
        both.with_columns(change=pl.col("scenario") - pl.col("baseline"))
        .sort(
            pl.col("level").replace_strict(order, return_dtype=pl.Int8),
            pl.col("activity").replace_strict(act, return_dtype=pl.Int8),
        )
        .select("level", "activity", "baseline", "scenario", "change")
    )


def adviser_comparison(baseline: Allocation, scenario: Allocation) -> pl.DataFrame:
    """Each adviser's caseload demand in the baseline and the scenario, against their hours in the scenario."""
    b = baseline.by_adviser.select("adviser", pl.col("demand").alias("baseline_demand"))
    s = scenario.by_adviser.select(
        "adviser", "schools", pl.col("demand").alias("scenario_demand"), "capacity", "utilisation", "over_by"
    )
    return (
        b.join(s, on="adviser", how="full", coalesce=True)
        .with_columns(pl.col("baseline_demand", "scenario_demand", "capacity").fill_null(0.0))
        .select(
            "adviser", "schools", "baseline_demand", "scenario_demand", "capacity", "utilisation", "over_by"
        )
        .sort("adviser")
    )


def hours_text(hours: float) -> str:
    """Adviser hours as every screen shows them: one decimal place ('121.5'), the same rounding everywhere."""
    return f"{hours:,.1f}"


def _advisers(n: float) -> str:
    """'1.4 full-time advisers' (singular at 1.0)."""
    return f"{n:.1f} full-time adviser{'' if round(n, 1) == 1 else 's'}"


def summary(
    scenario: Allocation,
    baseline: Allocation | None = None,
    who: str = "This scenario",
    against: str = "today",
) -> str:
    """A plain-English sentence or two on the scenario's shortfall or slack, and its change from a baseline."""
    who = who if baseline is not None else "Today's categorisation"
    gap, fte = scenario.gap, abs(scenario.gap_fte)
    if gap >= 0.5:
        text = (
            f"{who} needs {hours_text(gap)} more adviser hours a term than the team has: about "
            f"{_advisers(fte).replace(' ', ' more ', 1)}."
        )
    elif gap <= -0.5:
        text = (
            f"{who} leaves {hours_text(-gap)} adviser hours a term spare: the team has about "
            f"{_advisers(fte)} more than it needs."
        )
    else:
        text = f"{who} needs just the hours the team has."
    if baseline is not None:
        change = scenario.demand - baseline.demand
        cost = scenario.cost_a_year - baseline.cost_a_year
        if abs(change) >= 0.05:
            text += (
                f" It needs {hours_text(abs(change))} hours a term {'more' if change > 0 else 'fewer'} than {against} "
                f"({hours_text(scenario.demand)} against {hours_text(baseline.demand)}); the hours needed cost "
                f"£{abs(cost):,.0f} a year {'more' if cost > 0 else 'less'}."
            )
        else:
            text += f" It needs the same hours as {against} ({hours_text(scenario.demand)} a term)."
    over = scenario.over_capacity.height
    if over:
        text += (
            f" {over} adviser{'s' if over != 1 else ''} would have more demand in their caseload than hours."
        )
    return text

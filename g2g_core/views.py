"""What the screens show, as plain functions of (store, viewer, as_of, filters) returning Polars frames.

Every function here takes the viewer and filters in the query (the scope parameters are bound in SQL), so a
page cannot ask for a school outside its viewer's scope. Council-only columns are dropped for a school's
own viewers here, not in the page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

import polars as pl

from g2g_core.access import Viewer
from g2g_core.policy import Policy
from g2g_core.rules import RULE_BY_ID, SEVERITIES, compute_flags
from g2g_core.terms import Calendar
from g2g_core.vocabulary import (  # noqa: F401 (re-exported for the pages and packs)
    ACTIVITY_NAMES,
    CATEGORY_NAMES,
    EIF_GRADES,
    ENTITLED_ACTIVITIES,
    JUDGEMENT_SCALE,
    JUDGEMENTS,
    LEVEL_NAMES,
    LEVELS,
    PHASES,
    RENEWED_GRADE_NAMES,
    SEVERITY_NAMES,
    SEVERITY_SCHOOL_NAMES,
    evidence_in_words,
)


@dataclass(frozen=True)
class Filters:
    """Filters every chart and table obeys; an empty tuple means 'all'."""

    phase: tuple[str, ...] = ()
    adviser: tuple[str, ...] = ()
    level: tuple[str, ...] = ()

    def apply(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Keep the rows that match (on the frame's phase, adviser and level columns)."""
        for name in ("phase", "adviser", "level"):
            chosen = getattr(self, name)
            if chosen and name in frame.columns:
                frame = frame.filter(pl.col(name).is_in(list(chosen)))
        return frame


def person_names(store) -> dict[str, str]:
    """The name of each adviser login in the `advisers` table (empty when the table is not supplied)."""

    def read() -> dict[str, str]:
        frame = store.sql("SELECT username, name FROM advisers ORDER BY username")
        return dict(zip(frame["username"].to_list(), frame["name"].to_list(), strict=True))

    return store.memo(("person_names",), read)


def person_name(store, username: str | None, fallback: Mapping[str, str] | None = None) -> str | None:
    """The name a person is shown by.

    From `advisers`, else from `fallback` (the accounts file's names), else the username itself; None for no
    username.
    """
    if not username:
        return None
    return person_names(store).get(username) or (fallback or {}).get(username) or username


def with_person_names(
    store, frame: pl.DataFrame, column: str = "adviser", fallback: Mapping[str, str] | None = None
) -> pl.DataFrame:
    """`frame` with `<column>_name` beside `column`: each username's name (see `person_name`)."""
    names = {**(fallback or {}), **person_names(store)}
    return frame.with_columns(
        pl.col(column)
        .replace_strict(names, default=pl.col(column), return_dtype=pl.String)
        .alias(f"{column}_name")
    )


def _p(store, viewer: Viewer, **extra) -> dict:
    return {**viewer.params(), **store.term_params(), **extra}


def schools_now(store, viewer: Viewer, as_of: date) -> pl.DataFrame:
    """Open schools in scope with their current level and since when."""
    key = ("schools_now", viewer.role, viewer.scope_key, as_of)
    return store.memo(key, lambda: store.named("schools_now", _p(store, viewer, as_of=as_of)))


def entitlement_table(policy: Policy) -> pl.DataFrame:
    """Adviser hours a term that each (level, phase, maintained) is entitled to, by activity."""
    rows = []
    for lv in LEVELS:
        sup = policy.level(lv)
        for phase in PHASES:
            for maintained in (True, False):
                sip = sup.visits_for(phase) / 3 * policy.sip_visit_hours if maintained else 0.0
                rows.append(
                    {
                        "level": lv,
                        "phase": phase,
                        "maintained": maintained,
                        "sip_visit": sip,
                        "lama_support": sup.hours_per_term(),
                        "one_day_review": policy.la_review_hours if sup.la_review_each_term else 0.0,
                        "tag_meeting": sup.tag_meetings_a_year / 3 * sup.tag_meeting_hours,
                    }
                )
    frame = pl.DataFrame(rows)
    return frame.with_columns(entitled=pl.sum_horizontal(*ENTITLED_ACTIVITIES))


def levels_at_terms(store, viewer: Viewer, as_of: date, first_idx: int, last_idx: int) -> pl.DataFrame:
    """Each school's level at the end of each term in a range (on as_of for the current term)."""
    return store.named(
        "levels_at_terms", _p(store, viewer, as_of=as_of, first_idx=first_idx, last_idx=last_idx)
    )


@dataclass
class Overview:
    """Everything on the Borough overview, already filtered."""

    as_of: date
    schools: pl.DataFrame
    counts: pl.DataFrame  # level, now, last_term, change
    flags_overdue: int
    flags_total: int
    hours_used: float
    hours_entitled_year: float
    year_elapsed: float
    by_phase: pl.DataFrame
    trend: pl.DataFrame
    moves: pl.DataFrame
    ofsted: pl.DataFrame
    notes: list[str] = field(default_factory=list)


def _count_levels(frame: pl.DataFrame, name: str) -> pl.DataFrame:
    base = pl.DataFrame({"level": list(LEVELS)})
    got = frame.filter(pl.col("level").is_not_null()).group_by("level").agg(pl.len().alias(name))
    return base.join(got, on="level", how="left").with_columns(pl.col(name).fill_null(0).cast(pl.Int64))


def share_elapsed(first_day: date, next_first_day: date, as_of: date) -> float:
    """The share of a period (a school year, a term) gone by on as_of, counting as_of itself: 0 to 1."""
    days = (next_first_day - first_day).days
    return max(0.0, min(1.0, ((as_of - first_day).days + 1) / days))


def overview(store, viewer: Viewer, as_of: date, filters: Filters, trend_terms: int = 15) -> Overview:
    """The Borough overview of the viewer's schools as at a date."""
    cal = Calendar(store.policy.terms)
    cur_idx = cal.index_of(as_of)
    schools = filters.apply(schools_now(store, viewer, as_of)).filter(pl.col("level").is_not_null())
    history = filters.apply(levels_at_terms(store, viewer, as_of, cur_idx - trend_terms + 1, cur_idx))

    last = history.filter(pl.col("term_idx") == cur_idx - 1)
    counts = _count_levels(schools, "now").join(_count_levels(last, "last_term"), on="level")
    counts = counts.with_columns(
        change=pl.col("now") - pl.col("last_term"), name=pl.col("level").replace_strict(LEVEL_NAMES)
    )

    flags = compute_flags(store, viewer, as_of)
    flags = flags.filter(pl.col("urn").is_in(schools["urn"].implode()))

    year_first = 3 * (cur_idx // 3)
    year = history.filter(pl.col("term_idx").is_between(year_first, year_first + 2))
    future = [i for i in range(year_first, year_first + 3) if i > cur_idx]
    if future:  # terms not yet reached: the current level carries on
        now_rows = history.filter(pl.col("term_idx") == cur_idx)
        year = pl.concat([year] + [now_rows.with_columns(term_idx=pl.lit(i, pl.Int64)) for i in future])
    ent = entitlement_table(store.policy).select("level", "phase", "maintained", "entitled")
    entitled = year.join(ent, on=["level", "phase", "maintained"], how="left")["entitled"].sum() or 0.0
    first_day = cal.first_day(year_first)
    used_frame = store.named("hours_by_term", _p(store, viewer, first_day=first_day, last_day=as_of)).filter(
        pl.col("activity").is_in(ENTITLED_ACTIVITIES) & pl.col("urn").is_in(schools["urn"].implode())
    )
    used = float(used_frame["hours"].sum() or 0.0)
    elapsed = share_elapsed(first_day, cal.first_day(year_first + 3), as_of)

    by_phase = schools.group_by("phase", "level").agg(pl.len().alias("schools")).sort("phase", "level")
    trend = (
        history.filter(pl.col("level").is_not_null())
        .group_by("term_idx", "level")
        .agg(pl.len().alias("schools"))
        .sort("term_idx", "level")
        .with_columns(
            term=pl.col("term_idx").map_elements(lambda i: cal.term(i).label, return_dtype=pl.String)
        )
    )
    moves = level_moves(store, viewer, as_of, filters)
    ofsted = ofsted_against_level(store, viewer, as_of, schools)
    return Overview(
        as_of,
        schools,
        counts,
        int((flags["severity"] == "overdue").sum()),
        flags.height,
        used,
        float(entitled),
        elapsed,
        by_phase,
        trend,
        moves,
        ofsted,
    )


def level_moves(store, viewer: Viewer, as_of: date, filters: Filters) -> pl.DataFrame:
    """Schools by level a year before as_of and on as_of: the moves between levels over the year."""
    before = as_of - timedelta(days=365)
    a = filters.apply(schools_now(store, viewer, before)).select("urn", pl.col("level").alias("from_level"))
    b = filters.apply(schools_now(store, viewer, as_of)).select("urn", pl.col("level").alias("to_level"))
    both = a.join(b, on="urn").filter(pl.col("from_level").is_not_null() & pl.col("to_level").is_not_null())
    return (
        both.group_by("from_level", "to_level").agg(pl.len().alias("schools")).sort("from_level", "to_level")
    )


def ofsted_outcome(
    framework: str | None, grade, category: str | None, lowest_area: str | None, safeguarding
) -> str:
    """A short, framework-true description of an inspection outcome (never converted between frameworks)."""
    if framework is None:
        return "No inspection recorded"
    if category and category != "none":
        return f"Category of concern: {CATEGORY_NAMES[category]}"
    if safeguarding is False:
        return "Safeguarding not met"
    if framework == "eif_2019":
        return f"2019 framework: {grade} {EIF_GRADES[grade]}" if grade else "2019 framework: not graded"
    return f"Report card: lowest area {RENEWED_GRADE_NAMES.get(lowest_area or '', 'not graded').lower()}"


def ofsted_against_level(store, viewer: Viewer, as_of: date, schools: pl.DataFrame) -> pl.DataFrame:
    """Counts of schools by their latest Ofsted outcome and their current level."""
    insp = store.named("latest_inspections", _p(store, viewer, as_of=as_of))
    joined = schools.select("urn", "level").join(insp, on="urn", how="left")
    outcomes = [
        ofsted_outcome(
            r["framework"],
            r["overall_grade"],
            r["category_of_concern"],
            r["lowest_area_grade"],
            r["safeguarding_met"],
        )
        for r in joined.iter_rows(named=True)
    ]
    joined = joined.with_columns(outcome=pl.Series(outcomes, dtype=pl.String))
    return joined.group_by("outcome", "level").agg(pl.len().alias("schools")).sort("outcome", "level")


def attention(
    store,
    viewer: Viewer,
    as_of: date,
    filters: Filters,
    kinds: tuple[str, ...] = (),
    severities: tuple[str, ...] = (),
    rules: tuple[str, ...] = (),
) -> pl.DataFrame:
    """The flags of the viewer's schools with school name, adviser and level, most severe and oldest first."""
    flags = compute_flags(store, viewer, as_of)
    schools = schools_now(store, viewer, as_of).select("urn", "name", "phase", "adviser", "level")
    frame = with_person_names(store, filters.apply(flags.join(schools, on="urn", how="inner")))
    if kinds:
        frame = frame.filter(pl.col("kind").is_in(list(kinds)))
    if severities:
        frame = frame.filter(pl.col("severity").is_in(list(severities)))
    if rules:
        frame = frame.filter(pl.col("rule").is_in(list(rules)))
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    return (
        frame.with_columns(
            severity_rank=pl.col("severity").replace_strict(rank, return_dtype=pl.Int8),
            age_days=(pl.lit(as_of) - pl.col("since")).dt.total_days(),
            title=pl.col("rule").replace_strict({k: r.title for k, r in RULE_BY_ID.items()}),
        )
        .sort("severity_rank", "since", "name", "rule")
        .drop("severity_rank")
    )


@dataclass(frozen=True)
class FlagText:
    """One flag as its reader reads it.

    Council staff get the officer wording with the policy reference and the records behind it; a school (head,
    governor, the pack) gets what it means for the school and what the council will do, with the severity in
    words and no policy reference.
    """

    rule: str
    severity: str  # the code, for colour
    severity_words: str
    title: str
    since: date
    policy: str  # "" for a school
    message: str
    next_label: str
    next_step: str
    evidence: str  # "" for a school


def flag_texts(flags: pl.DataFrame, for_school: bool) -> tuple[FlagText, ...]:
    """The flags of one school in their reader's wording, most severe and oldest first."""
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    rows = sorted(flags.iter_rows(named=True), key=lambda f: (rank[f["severity"]], f["since"], f["rule"]))
    return tuple(
        FlagText(
            rule=f["rule"],
            severity=f["severity"],
            severity_words=(SEVERITY_SCHOOL_NAMES if for_school else SEVERITY_NAMES)[f["severity"]],
            title=RULE_BY_ID[f["rule"]].title,
            since=f["since"],
            policy="" if for_school else f["policy_ref"],
            message=f["school_message"] if for_school else f["message"],
            next_label="What the council will do" if for_school else "Next step",
            next_step=f["council_will"] if for_school else f["action"],
            evidence="" if for_school else evidence_in_words(f["evidence"]),
        )
        for f in rows
    )


@dataclass(frozen=True)
class TermHours:
    """Adviser hours of the current term against what the level provides, and what is expected by now."""

    term: str
    used: float
    entitled: float | None  # for the whole term; None without a level
    elapsed: float  # share of the term gone by, 0 to 1
    expected_by_now: (
        float | None
    )  # entitled pro rata to the days of the term gone by (as the overview's year)


def term_hours_words(t: TermHours) -> str:
    """The current term's hours in a sentence: used so far, what is expected by now, and the whole term's hours."""
    if t.entitled is None:
        return f"this term ({t.term}) so far {t.used:.1f} hours; the school has no level of support."
    return (
        f"this term ({t.term}) so far {t.used:.1f} hours of the {t.entitled:.1f} its level provides for the whole "
        f"term; about {t.expected_by_now:.1f} expected by now, {round(t.elapsed * 100)}% of the way through the term."
    )


@dataclass
class SchoolDetail:
    """Everything on one school's drilldown (and in its governors' pack)."""

    urn: int
    as_of: date
    school: dict
    history: pl.DataFrame
    timeline: pl.DataFrame  # term_idx, term, level
    hours: pl.DataFrame  # term, activity, hours
    entitlement: pl.DataFrame  # term, entitled (a term)
    priorities: pl.DataFrame
    flags: pl.DataFrame
    inspections: pl.DataFrame
    warnings: pl.DataFrame
    next_dates: list[tuple[str, date]]
    responsibilities: dict[str, list[str]]
    council: dict[str, pl.DataFrame] = field(default_factory=dict)  # council-only: risk, hour notes
    for_school: bool = False  # read by the school's own audience (head, governor, the pack)
    flag_texts: tuple[FlagText, ...] = ()
    term_hours: TermHours | None = None

    @property
    def current_priorities(self) -> pl.DataFrame:
        """The priorities of the current plan(s): the ones counted in summaries."""
        return self.priorities.filter(~pl.col("earlier"))

    @property
    def earlier_priorities(self) -> pl.DataFrame:
        """Priorities of earlier plans (see `school_detail`): listed apart, never counted in summaries."""
        return self.priorities.filter(pl.col("earlier"))


def visible_schools(store, viewer: Viewer, as_of: date) -> pl.DataFrame:
    """The schools a viewer may open (urn, name), closed ones included for history."""
    return store.sql(
        "SELECT urn, name, closed_on FROM schools "
        "WHERE g2g_in_scope(urn, $scope_all, $scope_urns) ORDER BY name, urn",
        viewer.params(),
    )


def school_detail(store, viewer: Viewer, urn: int, as_of: date, terms: int = 9) -> SchoolDetail | None:
    """One school's picture as at a date, or None when it does not exist or is outside the viewer's scope."""
    if not viewer.may_see(urn):
        return None
    found = store.sql(
        "SELECT * FROM schools WHERE urn = $urn AND g2g_in_scope(urn, $scope_all, $scope_urns)",
        {"urn": urn, **viewer.params()},
    )
    if found.is_empty():
        return None
    # Every query below is about this one school: narrow the scope to it (same role, so the same council
    # rules) rather than computing the whole portfolio and filtering afterwards.
    viewer = Viewer(viewer.username, viewer.role, frozenset({urn}))
    cal = Calendar(store.policy.terms)
    school = found.row(0, named=True)
    now = schools_now(store, viewer, as_of).filter(pl.col("urn") == urn)
    if not now.is_empty():
        school.update({k: v for k, v in now.row(0, named=True).items() if k not in school})
    school.setdefault("level", None)
    school["adviser_name"] = person_name(store, school.get("adviser"))
    titled = store.sql("SELECT job_title FROM advisers WHERE username = $u", {"u": school.get("adviser")})
    school["adviser_title"] = titled["job_title"][0] if titled.height else None
    history = store.named("school_categorisations", {"urn": urn, "as_of": as_of})

    cur_idx = cal.index_of(as_of)
    first_idx = cur_idx - terms + 1
    timeline = levels_at_terms(store, viewer, as_of, first_idx, cur_idx).filter(pl.col("urn") == urn)
    timeline = timeline.sort("term_idx").with_columns(
        term=pl.col("term_idx").map_elements(lambda i: cal.term(i).label, return_dtype=pl.String)
    )
    used = store.named(
        "hours_by_term", _p(store, viewer, first_day=cal.first_day(first_idx), last_day=as_of)
    ).filter(pl.col("urn") == urn)
    hours = (
        used.with_columns(
            term=pl.col("term_idx").map_elements(lambda i: cal.term(i).label, return_dtype=pl.String)
        )
        .select("term_idx", "term", "activity", "hours", "records")
        .sort("term_idx", "activity")
    )
    ent = entitlement_table(store.policy)
    entitlement = (
        timeline.join(ent, on=["level", "phase", "maintained"], how="left")
        .select("term_idx", "term", "level", "lama_support", "entitled")
        .sort("term_idx")
    )
    priorities = store.named("school_reviews", {"urn": urn, "as_of": as_of})
    # A priority of an earlier plan: none of its reviews is due on or after the start of the current
    # categorisation, and none is still to come (issue 14). The attention rules still read every review.
    started = school.get("effective_from")
    priorities = priorities.with_columns(
        earlier=(
            pl.lit(started is not None)
            & (pl.col("last_due") < pl.lit(started, pl.Date))
            & (pl.col("next_due").is_null() | (pl.col("next_due") < as_of))
        ).fill_null(False)
    )
    flags = compute_flags(store, viewer, as_of).filter(pl.col("urn") == urn)
    for_school = viewer.role in ("head", "governor")
    term = cal.term(cur_idx)
    this_term = hours.filter(pl.col("term_idx") == cur_idx)
    this_ent = entitlement.filter(pl.col("term_idx") == cur_idx)["entitled"]
    entitled_now = this_ent[0] if this_ent.len() and this_ent[0] is not None else None
    elapsed = share_elapsed(term.first_day, cal.first_day(cur_idx + 1), as_of)
    term_hours = TermHours(
        term.label,
        float(this_term.filter(pl.col("activity").is_in(ENTITLED_ACTIVITIES))["hours"].sum() or 0.0),
        entitled_now,
        elapsed,
        None if entitled_now is None else entitled_now * elapsed,
    )
    inspections = store.named("school_inspections", {"urn": urn, "as_of": as_of})
    warnings = (
        store.named("warnings", _p(store, viewer, as_of=as_of)).filter(pl.col("urn") == urn).drop("name")
    )

    next_dates: list[tuple[str, date]] = []
    upcoming = priorities.filter(pl.col("next_due").is_not_null() & (pl.col("next_due") >= as_of))
    if not upcoming.is_empty():
        next_dates.append(("Next plan review due", upcoming["next_due"].min()))
    if school.get("target_exit_on") and school.get("level") in ("intensive_a", "intensive_b"):
        next_dates.append(("Target date for leaving intensive support", school["target_exit_on"]))
    if (
        school.get("level") in ("intensive_a", "intensive_b")
        and store.policy.level(school["level"]).la_review_each_term
    ):
        next_dates.append(("One-day LA review due by the end of this term", cal.term(cur_idx).last_day))

    council: dict[str, pl.DataFrame] = {}
    if viewer.sees_council_only:
        council["risk"] = store.named("school_risks", {"urn": urn, "as_of": as_of})
        council["hour_notes"] = store.named(
            "school_hours", {"urn": urn, "first_day": cal.first_day(first_idx), "last_day": as_of}
        ).filter(pl.col("note").is_not_null())
    return SchoolDetail(
        urn,
        as_of,
        school,
        history,
        timeline,
        hours,
        entitlement,
        priorities,
        flags,
        inspections,
        warnings,
        next_dates,
        responsibilities(school.get("level")),
        council,
        for_school,
        flag_texts(flags, for_school),
        term_hours,
    )


def responsibilities(level: str | None) -> dict[str, list[str]]:
    """Who does what at this level (App.3 1.3, 1.3.1; policy 2.3.5, 2.9.1)."""
    head = [
        "Agree the action plan with the LaMA, monitor its impact and review progress.",
        "Populate the Team Action Group (TAG) template.",
        "Share the strategic action and activity plans with relevant staff.",
        "Name a senior member of staff to co-ordinate the school's response to the plans.",
        "Inform and involve the chair of governors in monitoring the plans, and advise the governing body.",
    ]
    governors = [
        "Work in partnership with the SIP/LaMA to raise standards and improve outcomes for all pupils (2.3.5).",
        "Hold the school to account for the plan: ask for progress against each priority at every meeting.",
        "Make sure performance management of the headteacher and staff is rigorous (2.3.5).",
        "Hear the SIP or LaMA's overview at the first governors' meeting of the year (2.4.2).",
    ]
    lama = [
        "Identify and assess concerns and make them explicit with the headteacher.",
        "Report strengths, areas for improvement, barriers and risks through visit reports or one-day reviews.",
        "Alert the authority so that early action can be taken, and assess the risk of slippage.",
        "Make sure TAG reports are completed.",
    ]
    if level and level != "core":
        lama += [
            "Be the headteacher's main point of contact and agree the main targets and actions with them.",
            "Co-ordinate support from the authority and others, and monitor progress towards the agreed outcomes.",
        ]
        head.insert(
            0, "Draw up the plan with the SIP or LaMA; it is reviewed at the end of each term (App.3 1.3.1)."
        )
    if level in ("intensive_a", "intensive_b"):
        governors.insert(0, "Help draw up the Single Action Plan with the headteacher and LaMA (2.9.1).")
        lama.append("Lead a one-day LA review each term with a second adviser (2.9.4).")
    return {"Headteacher": head, "Governing body": governors, "LaMA": lama}

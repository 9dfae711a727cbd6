"""The governors' pack as words, tables and chart data: one model that both formats draw.

Everything comes from `views.school_detail` (the drilldown's own function), read for the school's own
audience, so the pack never holds a number of its own nor any council-only information. This module only
turns that detail into sentences a governor understands, tables, and chart series.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from g2g_core.policy import Policy
from g2g_core.terms import Calendar
from g2g_core.views import SchoolDetail, flag_texts
from g2g_core.vocabulary import (  # noqa: F401 (LEVEL_COLOURS and STATUS_NAMES re-exported for the formats)
    ACTIVITIES,
    ACTIVITY_COLOURS,
    ACTIVITY_NAMES,
    AREA_NAMES,
    CATEGORY_NAMES,
    EIF_GRADES,
    ENTITLED_ACTIVITIES,
    FRAMEWORK_NAMES,
    INSPECTION_TYPE_NAMES,
    JUDGEMENT_SCALE,
    JUDGEMENTS,
    LEVEL_COLOURS,
    LEVEL_NAMES,
    LEVELS,
    NOT_REVIEWED,
    PACK_GLOSSARY,
    PHASE_NAMES,
    PLAN_NAMES,
    RENEWED_GRADE_NAMES,
    SEVERITIES,
    SEVERITY_NAMES,
    STATUS_NAMES,
    WARNING_NAMES,
    level_words,
)

ENTITLEMENT_NAME = "Hours the level provides"


def long_date(day: date | None) -> str:
    """A date as a governor reads it: '18 May 2026'."""
    return f"{day.day} {day:%B %Y}" if day else ""


def hours_text(value: float | None) -> str:
    """Hours with one decimal ('9.7'), or a dash for none."""
    return "–" if value is None else f"{value:.1f}"


def join_words(words: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


@dataclass(frozen=True)
class Series:
    """One named series of a chart, with its colour."""

    name: str
    values: tuple[float | None, ...]
    colour: str


@dataclass(frozen=True)
class Chart:
    """A chart's data: categories, bars (stacked) and an optional line, with its alternative text."""

    categories: tuple[str, ...]
    bars: tuple[Series, ...]
    line: Series | None
    alt: str
    value_title: str = ""


@dataclass(frozen=True)
class Table:
    """A table of text: column headings, rows, and relative column widths."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]


@dataclass(frozen=True)
class FlagItem:
    """One thing that needs attention, in words."""

    severity: str  # Overdue, Due, For information
    title: str
    since: str
    message: str
    action: str


@dataclass(frozen=True)
class Pack:
    """Everything in a governors' pack, in the order it is presented."""

    urn: int
    name: str
    as_of: date
    level: str | None
    level_name: str
    facts: tuple[tuple[str, str], ...]
    level_line: str
    reason: str
    closed: str
    level_means: str
    level_provides: tuple[str, ...]
    judgements: Table
    judgements_note: str
    timeline: Chart | None
    timeline_words: tuple[str, ...]
    hours: Chart | None
    hours_words: tuple[str, ...]
    hours_table: Table | None
    priorities: Table | None
    priorities_words: tuple[str, ...]
    flags: tuple[FlagItem, ...]
    flags_words: str
    next_dates: Table | None
    eif: Table | None
    renewed: Table | None
    ofsted_words: tuple[str, ...]
    warnings: Table | None
    warnings_words: str
    responsibilities: dict[str, list[str]]
    earlier_priorities: Table | None = None
    earlier_words: str = ""
    glossary: tuple[tuple[str, str], ...] = PACK_GLOSSARY

    @property
    def subtitle(self) -> str:
        """The line under every page: school, URN and the date of the information."""
        return f"{self.name} (URN {self.urn}) · governors' pack · information as at {long_date(self.as_of)}"


def _level_name(code: str | None, team_around_school: bool = False) -> str:
    name = level_words(code)
    return name + (" (Team Around the School)" if team_around_school and code == "focused" else "")


def level_provides(policy: Policy, level: str | None, phase: str, maintained: bool) -> tuple[str, ...]:
    """What a level entitles a school to, in sentences, from the policy in force."""
    if level is None:
        return ()
    sup = policy.level(level)
    said: list[str] = []
    visits = sup.visits_for(phase)
    who = "made by the LaMA" if level != "core" else "made by the school improvement partner"
    if maintained and visits:
        said.append(f"{visits} school improvement (SIP) visits a year, {who}.")
    elif not maintained:
        said.append("No SIP visits are provided because the school is not maintained by the council.")
    if sup.additional_hours:
        bound = {"maximum": "Up to ", "minimum": "At least ", "none": ""}[sup.additional_hours_bound]
        amount = f"{sup.additional_hours:g} extra hours of LaMA support a {sup.additional_hours_per}"
        said.append((bound + amount)[0].upper() + (bound + amount)[1:] + ".")
    if sup.la_review_each_term:
        said.append("A one-day LA review each term.")
    elif sup.la_reviews_a_year_optional:
        said.append(f"Up to {sup.la_reviews_a_year_optional} optional one-day LA review(s) a year.")
    if sup.tag_meetings_a_year:
        termly = sup.tag_meetings_a_year == 3
        said.append(
            "A TAG meeting each term." if termly else f"{sup.tag_meetings_a_year} TAG meetings a year."
        )
    if sup.plan_types:
        plans = " or ".join(PLAN_NAMES[p] for p in sup.plan_types)
        said.append(f"A plan ({plans}), reviewed each term.")
    return tuple(said)


def _judgements(detail: SchoolDetail) -> tuple[Table, str]:
    s = detail.school
    history = detail.history
    previous = (
        history.filter(pl.col("effective_from") < s["effective_from"]) if s.get("effective_from") else None
    )
    before = previous.row(-1, named=True) if previous is not None and not previous.is_empty() else None
    columns = ["Key indicator", "Now"]
    if before:
        columns.append("Before")
    rows = []
    for key, label in JUDGEMENTS.items():
        row = [label, JUDGEMENT_SCALE.get(s.get(key), "Not recorded")]
        if before:
            row.append(JUDGEMENT_SCALE.get(before[key], "Not recorded"))
        rows.append(tuple(row))
    widths = (0.46, 0.27, 0.27) if before else (0.6, 0.4)
    if not s.get("effective_from"):
        note = "The council has not yet judged the key indicators for this school."
    else:
        note = (
            f"The council's judgements when the current level was set (from {long_date(s['effective_from'])})"
            + (
                f", beside those of the decision before it (from {long_date(before['effective_from'])})"
                if before
                else ""
            )
            + ". Scale: 1 strong, 2 good, 3 requires improvement, 4 weak."
        )
    return Table(tuple(columns), tuple(rows), widths), note


def _runs(timeline: pl.DataFrame) -> list[tuple[str, str, str, int]]:
    """Unbroken runs of one level: (level, first term, last term, terms)."""
    runs: list[list] = []
    for r in timeline.iter_rows(named=True):
        if runs and runs[-1][0] == r["level"]:
            runs[-1][2] = r["term"]
            runs[-1][3] += 1
        else:
            runs.append([r["level"], r["term"], r["term"], 1])
    return [tuple(x) for x in runs]


def _timeline(detail: SchoolDetail) -> tuple[Chart | None, tuple[str, ...]]:
    tl = detail.timeline
    if tl.is_empty():
        return None, ("The school has had no level of support in the terms this pack covers.",)
    rank = {lv: i + 1 for i, lv in enumerate(LEVELS)}
    cats = tuple(tl["term"].to_list())
    levels = tl["level"].to_list()
    bars = tuple(
        Series(
            LEVEL_NAMES[lv], tuple(float(rank[lv]) if x == lv else None for x in levels), LEVEL_COLOURS[lv]
        )
        for lv in LEVELS
        if lv in levels
    )
    words = []
    for lv, first, last, n in _runs(tl):
        span = first if n == 1 else f"{first} to {last}"
        words.append(f"{span}: {LEVEL_NAMES[lv]} ({n} term{'s' if n > 1 else ''}).")
    alt = (
        f"Bar chart of the school's level of support in each of the last {len(cats)} terms, one bar per "
        "term; a longer bar means more support (Core shortest, Intensive B longest). " + " ".join(words)
    )
    return Chart(cats, bars, None, alt, "Level of support"), tuple(words)


def _hours(detail: SchoolDetail, cur_idx: int) -> tuple[Chart | None, tuple[str, ...], Table | None]:
    hours, ent = detail.hours, detail.entitlement
    terms = (
        pl.concat([hours.select("term_idx", "term"), ent.select("term_idx", "term")])
        .unique()
        .sort("term_idx")
    )
    if hours.is_empty():
        words = ["No adviser support hours have been recorded for this school in the terms this pack covers."]
        if not ent.is_empty() and ent["entitled"][-1] is not None:
            words.append(
                f"Its level of support now provides {hours_text(ent['entitled'][-1])} hours a term "
                f"({join_words([ACTIVITY_NAMES[a] for a in ENTITLED_ACTIVITIES])})."
            )
        return None, tuple(words), None
    idx = terms["term_idx"].to_list()
    cats = tuple(terms["term"].to_list())
    used = {(r["term_idx"], r["activity"]): r["hours"] for r in hours.iter_rows(named=True)}
    provided = dict(zip(ent["term_idx"].to_list(), ent["entitled"].to_list(), strict=True))
    acts = [a for a in ACTIVITIES if a in set(hours["activity"].to_list())]
    bars = tuple(
        Series(ACTIVITY_NAMES[a], tuple(used.get((i, a)) for i in idx), ACTIVITY_COLOURS[a]) for a in acts
    )
    line = Series(ENTITLEMENT_NAME, tuple(provided.get(i) for i in idx), "#000000")

    # Activities down, terms across: as many columns as terms, however many kinds of activity there are.
    rows = [(ACTIVITY_NAMES[a], *(hours_text(used.get((i, a))) for i in idx)) for a in acts]
    rows.append(("Total", *(hours_text(sum(used.get((i, a)) or 0.0 for a in acts)) for i in idx)))
    rows.append(("Level provides", *(hours_text(provided.get(i)) for i in idx)))
    table = Table(("Hours", *cats), tuple(rows), (1.5, *([1.0] * len(cats))))

    entitled_words = join_words([ACTIVITY_NAMES[a] for a in ENTITLED_ACTIVITIES])
    words = [
        f"Each bar is the adviser time recorded for the school in a term, by activity; the line is the hours "
        f"its level of support provides in a term ({entitled_words})."
    ]

    def counted(i: int) -> tuple[float, float]:
        inside = sum(used.get((i, a)) or 0.0 for a in acts if a in ENTITLED_ACTIVITIES)
        outside = sum(used.get((i, a)) or 0.0 for a in acts if a not in ENTITLED_ACTIVITIES)
        return inside, outside

    def sentence(i: int, term: str, so_far: bool) -> str:
        inside, outside = counted(i)
        extra = f", plus {hours_text(outside)} hours of other support" if outside else ""
        when = f"So far this term ({term})" if so_far else f"In {term}"
        if provided.get(i) is None:
            return (
                f"{when} the school received {hours_text(inside)} hours{extra}; it had no level of support."
            )
        return (
            f"{when} the school received {hours_text(inside)} hours of the support its level provides, "
            f"against {hours_text(provided[i])} hours for the {'whole ' if so_far else ''}term{extra}."
        )

    label = dict(zip(idx, cats, strict=True))
    if cur_idx - 1 in label:
        words.append(sentence(cur_idx - 1, label[cur_idx - 1], False))
    if cur_idx in label:
        words.append(sentence(cur_idx, label[cur_idx], True))
        t = detail.term_hours
        if t is not None and t.expected_by_now is not None:
            words.append(
                f"By {long_date(detail.as_of)}, {round(t.elapsed * 100)}% of the way through the term, about "
                f"{hours_text(t.expected_by_now)} hours would be expected."
            )
    alt = (
        f"Stacked column chart of adviser hours in each of the last {len(cats)} terms by activity "
        f"({join_words([ACTIVITY_NAMES[a] for a in acts])}), with a line for the hours the level provides. "
        + " ".join(words[1:])
        + " The table that follows gives every number."
    )
    return Chart(cats, bars, line, alt, "Hours"), tuple(words), table


def _priority_rows(pr: pl.DataFrame, as_of: date) -> tuple[tuple[str, ...], ...]:
    rows = []
    for r in pr.iter_rows(named=True):
        status = STATUS_NAMES.get(r["latest_status"] or "", NOT_REVIEWED)
        due = r["next_due"]
        if due is None:
            next_text = "No review planned"
        elif due < as_of:
            next_text = f"Was due {long_date(due)}"
        else:
            next_text = long_date(due)
        rows.append(
            (
                PLAN_NAMES.get(r["plan"], r["plan"]),
                r["priority"],
                status,
                long_date(r["last_reviewed_on"]) or "–",
                next_text,
            )
        )
    return tuple(rows)


PRIORITY_COLUMNS = ("Plan", "Priority", "Latest status", "Last reviewed", "Next review due")
PRIORITY_WIDTHS = (1.5, 4.4, 1.5, 1.75, 1.85)


def _earlier(detail: SchoolDetail) -> tuple[Table | None, str]:
    pr = detail.earlier_priorities
    if pr.is_empty():
        return None, ""
    plans = join_words(sorted({PLAN_NAMES.get(p, p) for p in pr["plan"].to_list()}))
    n = "1 priority" if pr.height == 1 else f"{pr.height} priorities"
    words = (
        f"{n} of an earlier plan ({plans}), from before the current categorisation, with no review still "
        "to come. They are listed here for the record and not counted above."
    )
    return Table(PRIORITY_COLUMNS, _priority_rows(pr, detail.as_of), PRIORITY_WIDTHS), words


def _priorities(detail: SchoolDetail) -> tuple[Table | None, tuple[str, ...]]:
    pr = detail.current_priorities
    if detail.priorities.is_empty():
        return None, ("No plan priorities have been recorded.",)
    if pr.is_empty():
        return None, ("No priorities of a current plan have been recorded.",)
    rows = _priority_rows(pr, detail.as_of)
    counts = pr.group_by(pl.col("latest_status").fill_null("")).len()
    by = dict(zip(counts["latest_status"].to_list(), counts["len"].to_list(), strict=True))
    parts = [f"{by[k]} {STATUS_NAMES[k].lower()}" for k in STATUS_NAMES if by.get(k)]
    if by.get(""):
        parts.append(f"{by['']} not yet reviewed")
    words = [f"{pr.height} plan priorit{'ies' if pr.height != 1 else 'y'}: {join_words(parts)}."]
    upcoming = pr.filter(pl.col("next_due").is_not_null() & (pl.col("next_due") >= detail.as_of))
    if not upcoming.is_empty():
        words.append(f"The next review is due on {long_date(upcoming['next_due'].min())}.")
    missed = pr.filter(pl.col("next_due").is_not_null() & (pl.col("next_due") < detail.as_of))
    if not missed.is_empty():
        n = (
            "1 review that was due has"
            if missed.height == 1
            else f"{missed.height} reviews that were due have"
        )
        words.append(f"{n} not been recorded yet.")
    return Table(PRIORITY_COLUMNS, rows, PRIORITY_WIDTHS), tuple(words)


def _flags(detail: SchoolDetail) -> tuple[tuple[FlagItem, ...], str]:
    """The flags in the school's wording (the pack is read as the school's own audience)."""
    items = tuple(
        FlagItem(
            f.severity_words,
            f.title,
            f"{f.severity_words} · since {long_date(f.since)}"
            + (f" (policy {f.policy})" if f.policy else ""),
            f.message,
            f.next_step,
        )
        for f in flag_texts(detail.flags, for_school=True)
    )
    words = "" if items else f"Nothing is overdue or due for this school on {long_date(detail.as_of)}."
    return items, words


def _safeguarding(met: bool | None) -> str:
    return {True: "Met", False: "Not met"}.get(met, "Not reported")


def _ofsted(detail: SchoolDetail) -> tuple[Table | None, Table | None, tuple[str, ...]]:
    insp = detail.inspections
    if insp.is_empty():
        return None, None, ("No Ofsted inspection has been recorded for this school.",)
    eif_rows, ren_rows = [], []
    for r in insp.iter_rows(named=True):
        kind = INSPECTION_TYPE_NAMES.get(r["inspection_type"], r["inspection_type"])
        category = CATEGORY_NAMES.get(r["category_of_concern"], r["category_of_concern"])
        if r["framework"] == "eif_2019":
            grade = r["overall_grade"]
            grade_text = f"{grade} {EIF_GRADES[grade]}" if grade else "No overall grade"
            eif_rows.append(
                (
                    long_date(r["inspection_date"]),
                    kind,
                    grade_text,
                    category,
                    _safeguarding(r["safeguarding_met"]),
                )
            )
        else:
            order = list(AREA_NAMES)  # the report card's own order, not the alphabet's
            areas = sorted(
                r["areas"] or [], key=lambda a: order.index(a["area"]) if a["area"] in order else 99
            )
            area_text = "\n".join(
                f"{AREA_NAMES.get(a['area'], a['area'])}: {RENEWED_GRADE_NAMES.get(a['grade'], a['grade'])}"
                for a in areas
            )
            ren_rows.append(
                (
                    long_date(r["inspection_date"]),
                    kind,
                    area_text or "No areas graded",
                    category,
                    _safeguarding(r["safeguarding_met"]),
                )
            )
    latest = insp.row(0, named=True)
    framework = FRAMEWORK_NAMES[latest["framework"]]
    words = (
        "Every judgement is shown with the date of its inspection (“as at”): it describes the school on "
        "that date, not necessarily today.",
        "Inspections under the 2019 framework give an overall grade; report cards under the renewed framework "
        "(from 10 November 2025) grade each area. They are shown separately and never converted.",
        f"The latest recorded visit was a {INSPECTION_TYPE_NAMES.get(latest['inspection_type'], '').lower()} "
        f"on {long_date(latest['inspection_date'])} ({framework}).",
    )
    eif = (
        Table(
            ("As at (inspection date)", "Type", "Overall grade", "Category of concern", "Safeguarding"),
            tuple(eif_rows),
            (2.1, 2.1, 2.2, 2.4, 2.0),
        )
        if eif_rows
        else None
    )
    renewed = (
        Table(
            (
                "As at (inspection date)",
                "Type",
                "Evaluation areas and grades",
                "Category of concern",
                "Safeguarding",
            ),
            tuple(ren_rows),
            (1.7, 1.7, 4.4, 2.0, 2.0),
        )
        if ren_rows
        else None
    )
    return eif, renewed, words


def _warnings(detail: SchoolDetail) -> tuple[Table | None, str]:
    w = detail.warnings
    if w.is_empty():
        return None, "No warning notice has been issued to this school."
    rows = []
    for r in w.iter_rows(named=True):
        now = (
            f"Open ({r['age_days']} days)"
            if r["state"] == "open"
            else f"Closed on {long_date(r['closed_on'])}"
        )
        rows.append(
            (
                WARNING_NAMES.get(r["kind"], r["kind"]),
                long_date(r["issued_on"]),
                r["grounds"] or "Not recorded",
                now,
            )
        )
    open_n = int((w["state"] == "open").sum())
    issued = "1 warning notice has" if w.height == 1 else f"{w.height} warning notices have"
    still = (
        {0: "none is", 1: "1 is"}.get(open_n, f"{open_n} are")
        if w.height > 1
        else ("it is" if open_n else "it is not")
    )
    words = f"{issued} been issued to the school; {still} still open on {long_date(detail.as_of)}."
    return Table(("Notice", "Issued", "Grounds", "Now"), tuple(rows), (2.3, 1.7, 5.2, 1.8)), words


def _adviser(s: dict) -> str:
    name = s.get("adviser_name") or s.get("adviser")
    if not name:
        return "None attached"
    return name + (f" ({s['adviser_title']})" if s.get("adviser_title") else "")


def assemble(detail: SchoolDetail, policy: Policy) -> Pack:
    """Turn a school's drilldown into the pack's words, tables and charts."""
    s = detail.school
    level = s.get("level")
    level_name = _level_name(level, bool(s.get("team_around_school")))
    since = f", since {long_date(s['level_since'])}" if s.get("level_since") else ""
    maintained = "maintained by the council" if s["maintained"] else "academy"
    facts = (
        ("URN", str(s["urn"])),
        ("School", f"{PHASE_NAMES.get(s['phase'], s['phase'])}, {maintained}"),
        ("Level of support", level_name + since),
        ("Attached adviser", _adviser(s)),
        ("Headteacher", s.get("headteacher") or "Not recorded"),
        ("Chair of governors", s.get("chair_of_governors") or "Not recorded"),
        ("Information as at", long_date(detail.as_of)),
    )
    closed = (
        f"This school closed on {long_date(s['closed_on'])}; the pack shows its history."
        if s.get("closed_on") and s["closed_on"] <= detail.as_of
        else ""
    )
    judgements, judgements_note = _judgements(detail)
    timeline, timeline_words = _timeline(detail)
    hours, hours_words, hours_table = _hours(detail, Calendar(policy.terms).index_of(detail.as_of))
    priorities, priorities_words = _priorities(detail)
    earlier, earlier_words = _earlier(detail)
    flags, flags_words = _flags(detail)
    eif, renewed, ofsted_words = _ofsted(detail)
    warnings, warnings_words = _warnings(detail)
    next_dates = (
        Table(
            ("What", "When"), tuple((what, long_date(when)) for what, when in detail.next_dates), (0.7, 0.3)
        )
        if detail.next_dates
        else None
    )
    return Pack(
        urn=detail.urn,
        name=s["name"],
        as_of=detail.as_of,
        level=level,
        level_name=level_name,
        facts=facts,
        level_line=level_name + since,
        reason=s.get("reason") or "",
        closed=closed,
        level_means=policy.level(level).description if level else "",
        level_provides=level_provides(policy, level, s["phase"], s["maintained"]),
        judgements=judgements,
        judgements_note=judgements_note,
        timeline=timeline,
        timeline_words=timeline_words,
        hours=hours,
        hours_words=hours_words,
        hours_table=hours_table,
        priorities=priorities,
        priorities_words=priorities_words,
        flags=flags,
        flags_words=flags_words,
        next_dates=next_dates,
        eif=eif,
        renewed=renewed,
        ofsted_words=ofsted_words,
        warnings=warnings,
        warnings_words=warnings_words,
        responsibilities=detail.responsibilities,
        earlier_priorities=earlier,
        earlier_words=earlier_words,
    )

"""Termly decisions (issue 16): a round of proposals from the rules, the director's decisions, drafts, publishing.

A *round* is a term and an effective date. For every open school it offers a **proposal** derived from the
attention rules as at the day the round is prepared, with the flags behind it as evidence:

* `ESC_OFSTED_CONCERN` → Intensive B (App.3 1.1 Intensive B; 2.5.15);
* `ESC_OFSTED_RI` → at least Enhanced (App.3 1.1 Enhanced; 2.5.10);
* `ESC_OFF_TRACK`, `ESC_RISK` → consider a higher level (2.6.2, 2.6.6, 2.7.4): one level up is offered;
* `EXIT_INTENSIVE`, `EXIT_READY` → a step down with an exit strategy (2.9.9: from intensive, Enhanced);
* anything else → no change.

The director accepts, changes or rejects each proposal (a `Decision`). Decisions live in a **draft** (one JSON
file per round under `DIR/decisions/`, outside every data version, like the audit log) that any director may
resume; every save carries the version it was based on, and a save based on an older version than the file
holds is refused (`StaleDraftError`), so two directors never overwrite each other silently.

`publish_round` checks every decision (`check_decisions`: a message naming the school and the field, nothing
published if any is wrong), appends the decisions to `categorisations` and makes them live through
`datadir.publish`: validated, atomic, audited, one new version per round, undone by `datadir.rollback`.
`mark_letters_sent` records `letter_sent_on` the same way. Only a director may do any of this
(`PermissionError`); the viewer is always passed in.
"""

from __future__ import annotations

import fcntl
import os
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from g2g_core.access import Viewer
from g2g_core.audit import AuditEvent, audit_log
from g2g_core.datadir import require_director
from g2g_core.policy import INTENSIVE, LEVEL_NAMES, LEVELS, Policy
from g2g_core.rules import RULE_BY_ID, compute_flags
from g2g_core.terms import Calendar
from g2g_core.vocabulary import PROPOSAL_NAMES, Level

DRAFT_DIR = "decisions"  # DIR/decisions/<round id>.json: drafts, outside every version (like DIR/audit/)
JUDGEMENT_KEYS = ("outcomes", "ambition", "leadership", "capacity")
KIND_WORDS = PROPOSAL_NAMES  # the words of each kind of proposal (g2g_core.vocabulary)
FIELD_WORDS: dict[str, str] = {
    "level": "level",
    "effective_from": "effective from",
    "decided_on": "decided on",
    "reason": "reason",
    "target_exit_on": "target exit date",
    "team_around_school": "team around the school",
    **{k: k for k in JUDGEMENT_KEYS},
}


class DecisionError(ValueError):
    """Decisions that cannot be published; `problems` names the school and the field of each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s); nothing was published:\n" + "\n".join(problems))


class StaleDraftError(RuntimeError):
    """A draft save based on an older version of the draft than the one on file (someone else saved)."""


# -- the round, its proposals and decisions -------------------------------------------------------------
class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Round(_Model):
    """A termly round: the term it is for, the date its decisions take effect, and the date it reads the data."""

    term: str = Field(description="The term the round is for, as a reader says it ('Spring 2026/27').")
    effective_from: date = Field(description="The date the round's decisions take effect.")
    as_of: date = Field(description="The date the proposals read the data (flags as at this date).")

    @property
    def id(self) -> str:
        """The round's id: its effective date (one round per effective date), e.g. '2027-01-01'."""
        return self.effective_from.isoformat()


class Decision(_Model):
    """The director's decision on one school's proposal."""

    urn: int
    action: Literal["accept", "change", "reject"]
    level: Level
    team_around_school: bool = False
    effective_from: date
    decided_on: date
    decided_by: str | None = None
    reason: str | None = None
    outcomes: int | None = Field(None, ge=1, le=4)
    ambition: int | None = Field(None, ge=1, le=4)
    leadership: int | None = Field(None, ge=1, le=4)
    capacity: int | None = Field(None, ge=1, le=4)
    target_exit_on: date | None = None

    @field_validator("reason")
    @classmethod
    def _strip(cls, value: str | None) -> str | None:
        return value.strip() or None if isinstance(value, str) else value


class Draft(_Model):
    """A round being decided: saved as JSON and resumed; `version` counts the saves."""

    round: Round
    version: int = 0
    decisions: dict[int, Decision] = Field(default_factory=dict)
    saved_by: str | None = None
    saved_at: datetime | None = None
    published_version: str | None = None  # the data version the round last went live in
    published: dict[int, Decision] = Field(default_factory=dict)  # decisions already live, by school


@dataclass(frozen=True)
class Evidence:
    """One flag behind a proposal."""

    rule: str
    title: str
    severity: str
    since: date | None
    policy_ref: str
    message: str
    evidence: str
    council_only: bool


@dataclass(frozen=True)
class Proposal:
    """What the rules suggest for one open school in a round."""

    urn: int
    name: str
    adviser: str | None
    level: str | None  # the level in force on the round's `as_of` date
    effective_from: date | None  # the school's latest categorisation's effective date (any date)
    proposed_level: str | None
    kind: str
    summary: str
    policy_ref: str
    evidence: tuple[Evidence, ...]
    judgements: dict[str, int | None]
    team_around_school: bool
    target_exit_on: date | None

    @property
    def changes_level(self) -> bool:
        """Whether accepting the proposal changes the school's level."""
        return self.proposed_level is not None and self.proposed_level != self.level


def level_rank(level: str | None) -> int:
    """The order of a level (core 0 … intensive_b 4; none -1)."""
    return LEVELS.index(level) if level in LEVELS else -1


def _up(level: str | None) -> str:
    return LEVELS[min(level_rank(level) + 1, len(LEVELS) - 1)] if level in LEVELS else "focused"


def _down(level: str) -> str:
    if level in INTENSIVE:
        return "enhanced"  # 2.9.9: from intensive, a re-categorisation into Enhanced
    return LEVELS[max(level_rank(level) - 1, 0)]


def _propose(level: str | None, rules: set[str]) -> tuple[str | None, str, str, str]:
    """(proposed level, kind, summary, policy ref) for a school's level and the rules that fired for it."""
    name = LEVEL_NAMES.get(level or "", "no level")
    if "ESC_OFSTED_CONCERN" in rules and level != "intensive_b":
        return (
            "intensive_b",
            "escalate",
            f"Move from {name} to Intensive B: Ofsted found a category of concern.",
            "App.3 1.1 Intensive B; 2.5.15",
        )
    if "ESC_OFSTED_RI" in rules and level_rank(level) < level_rank("enhanced"):
        return (
            "enhanced",
            "escalate",
            f"Move from {name} to at least Enhanced: the Ofsted outcome is graded 3 or at risk of RI.",
            "App.3 1.1 Enhanced; 2.5.10",
        )
    if rules & {"ESC_OFF_TRACK", "ESC_RISK"}:
        refs = "; ".join(RULE_BY_ID[r].policy_ref for r in ("ESC_OFF_TRACK", "ESC_RISK") if r in rules)
        if level == "intensive_b":
            return (
                level,
                "consider_higher",
                "Consider a pre-formal warning notice: the school already has the highest level (2.7.4).",
                refs,
            )
        higher = _up(level)
        return (
            higher,
            "consider_higher",
            f"Consider a higher level, for example {LEVEL_NAMES[higher]} (now {name}).",
            refs,
        )
    if rules & {"EXIT_INTENSIVE", "EXIT_READY"} and level in LEVELS and level != "core":
        lower = _down(level)
        return (
            lower,
            "step_down",
            f"Step down from {name} to {LEVEL_NAMES[lower]}, with an exit strategy that reduces support in "
            "planned steps (2.9.9).",
            "2.9.9" + ("; 2.9.2" if "EXIT_INTENSIVE" in rules else ""),
        )
    return level, "no_change", "No change: no flag calls for a different level.", ""


def proposals(store, viewer: Viewer, rnd: Round) -> list[Proposal]:
    """Every open school in scope (as at the round's date) with its proposal and the flags behind it."""
    require_director(viewer)
    from g2g_core.views import schools_now

    schools = schools_now(store, viewer, rnd.as_of)
    flags = compute_flags(store, viewer, rnd.as_of)
    latest = _latest_effective(store)
    by_school: dict[int, list[dict]] = {}
    for f in flags.iter_rows(named=True):
        if RULE_BY_ID[f["rule"]].kind in ("escalation", "exit"):
            by_school.setdefault(f["urn"], []).append(f)
    out = []
    for s in schools.iter_rows(named=True):
        found = by_school.get(s["urn"], [])
        proposed, kind, summary, ref = _propose(s["level"], {f["rule"] for f in found})
        evidence = tuple(
            Evidence(
                f["rule"],
                RULE_BY_ID[f["rule"]].title,
                f["severity"],
                f["since"],
                f["policy_ref"],
                f["message"],
                f["evidence"],
                RULE_BY_ID[f["rule"]].council_only,
            )
            for f in found
        )
        out.append(
            Proposal(
                urn=s["urn"],
                name=s["name"],
                adviser=s["adviser"],
                level=s["level"],
                effective_from=latest.get(s["urn"]),
                proposed_level=proposed,
                kind=kind,
                summary=summary,
                policy_ref=ref,
                evidence=evidence,
                judgements={k: s.get(k) for k in JUDGEMENT_KEYS},
                team_around_school=bool(s.get("team_around_school")),
                target_exit_on=s.get("target_exit_on"),
            )
        )
    return out


def _latest_effective(store) -> dict[int, date]:
    frame = store.sql("SELECT urn, max(effective_from) AS latest FROM categorisations GROUP BY urn")
    return dict(zip(frame["urn"].to_list(), frame["latest"].to_list(), strict=True))


def default_round(policy: Policy, as_of: date) -> Round:
    """The round for the term after the one containing `as_of`, effective on that term's first day."""
    cal = Calendar(policy.terms)
    term = cal.term(cal.index_of(as_of) + 1)
    return Round(term=term.label, effective_from=term.first_day, as_of=as_of)


def round_for(policy: Policy, effective_from: date, as_of: date) -> Round:
    """A round taking effect on a chosen date (its term is the one containing that date)."""
    return Round(
        term=Calendar(policy.terms).term_of(effective_from).label, effective_from=effective_from, as_of=as_of
    )


def default_target_exit(policy: Policy, effective_from: date) -> date:
    """The target date to leave intensive support (2.9.2: "usually within four terms").

    The last day of the policy's `intensive_exit_terms`-th term, counting the term the decision takes effect in.
    """
    cal = Calendar(policy.terms)
    return cal.last_day(cal.index_of(effective_from) + policy.intensive_exit_terms - 1)


def public_reason(p: Proposal) -> str:
    """A default reason for accepting a proposal, from the flags' sentences a school may read.

    Council-only evidence (risk assessments) is named, never quoted: the reason goes into the school's letter.
    """
    parts = []
    for e in p.evidence:
        if e.council_only:
            parts.append("The authority's termly risk assessment rates one or more areas as high risk.")
        else:
            parts.append(e.message)
    return " ".join([p.summary, *parts]).strip()


def decision_from(
    p: Proposal, rnd: Round, policy: Policy, viewer: Viewer, decided_on: date | None = None
) -> Decision:
    """The decision that accepts a proposal as it stands (level, reason and judgements filled in)."""
    level = p.proposed_level or p.level or "core"
    target = None
    if level in INTENSIVE:
        same_run = p.level in INTENSIVE and p.target_exit_on is not None
        target = p.target_exit_on if same_run else default_target_exit(policy, rnd.effective_from)
    return Decision(
        urn=p.urn,
        action="accept",
        level=level,  # type: ignore[arg-type]
        team_around_school=p.team_around_school and level == "focused",
        effective_from=rnd.effective_from,
        decided_on=decided_on or min(date.today(), rnd.effective_from),
        decided_by=viewer.username,
        reason=public_reason(p),
        target_exit_on=target,
        **p.judgements,
    )


# -- checking ------------------------------------------------------------------------------------------
def check_decisions(store, decisions: list[Decision], policy: Policy | None = None) -> list[str]:
    """Every reason the decisions cannot be published, each naming the school and the field."""
    policy = policy or store.policy
    names = dict(store.sql("SELECT urn, name FROM schools").iter_rows())
    latest = _latest_effective(store)
    levels = _latest_levels(store)
    problems = []
    for d in decisions:
        if d.action == "reject":
            continue
        name = names.get(d.urn)
        if name is None:
            problems.append(f"School URN {d.urn}: is not a school in the data.")
            continue
        who = f"{name} (URN {d.urn})"
        try:  # a decision changed with model_copy was never checked: check it again
            Decision.model_validate(d.model_dump())
        except ValidationError as exc:
            for err in exc.errors():
                key = str(err["loc"][0]) if err["loc"] else "decision"
                problems.append(f"{who}, field '{FIELD_WORDS.get(key, key)}': {err['msg']}.")
            continue
        current = latest.get(d.urn)
        if current is not None and d.effective_from <= current:
            problems.append(
                f"{who}, field 'effective from': {_day(d.effective_from)} is not after the school's current "
                f"categorisation, effective from {_day(current)}."
            )
        changes = levels.get(d.urn) != d.level
        if changes and not (d.reason or "").strip():
            problems.append(f"{who}, field 'reason': a reason is required when the level changes.")
        if d.decided_on > d.effective_from + _days(31):
            problems.append(
                f"{who}, field 'decided on': {_day(d.decided_on)} is more than 31 days after the effective date."
            )
        if d.target_exit_on is not None and d.target_exit_on < d.effective_from:
            problems.append(
                f"{who}, field 'target exit date': {_day(d.target_exit_on)} is before the effective date "
                f"{_day(d.effective_from)}."
            )
        if d.team_around_school and d.level != "focused":
            problems.append(f"{who}, field 'team around the school': applies to Focused support only.")
    return problems


def _latest_levels(store) -> dict[int, str]:
    frame = store.sql("SELECT urn, arg_max(level, effective_from) AS level FROM categorisations GROUP BY urn")
    return dict(zip(frame["urn"].to_list(), frame["level"].to_list(), strict=True))


def _days(n: int):
    from datetime import timedelta

    return timedelta(days=n)


def _day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def to_publish(draft: Draft, props: dict[int, Proposal] | None = None) -> list[Decision]:
    """The decisions of a draft that become categorisations: those accepted or changed.

    Accepting a "no change" proposal as it stands adds nothing.
    """
    out = []
    for d in sorted(draft.decisions.values(), key=lambda x: x.urn):
        if d.action == "reject" or d.urn in draft.published:
            continue
        p = (props or {}).get(d.urn)
        if d.action == "accept" and p is not None and p.kind == "no_change" and d.level == p.level:
            continue
        out.append(d)
    return out


# -- drafts --------------------------------------------------------------------------------------------
_ROUND_ID = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _draft_path(data_dir: str | Path, round_id: str) -> Path:
    if not _ROUND_ID.match(round_id):
        raise ValueError(f"not a round id (an effective date, YYYY-MM-DD): {round_id!r}")
    return Path(data_dir).resolve() / DRAFT_DIR / f"{round_id}.json"


def load_draft(data_dir: str | Path, round_id: str, viewer: Viewer) -> Draft | None:
    """The saved draft of a round, or None when there is none."""
    require_director(viewer)
    path = _draft_path(data_dir, round_id)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        return Draft.model_validate_json(text)
    except ValidationError as exc:
        raise ValueError(f"the draft {path.name} cannot be read ({exc.error_count()} problem(s))") from None


def list_drafts(data_dir: str | Path, viewer: Viewer) -> list[Draft]:
    """Every saved draft, newest round first."""
    require_director(viewer)
    folder = Path(data_dir).resolve() / DRAFT_DIR
    out = []
    for path in sorted(folder.glob("*.json"), reverse=True) if folder.is_dir() else []:
        try:
            out.append(Draft.model_validate_json(path.read_text(encoding="utf-8")))
        except (OSError, ValidationError):
            continue
    return out


def save_draft(data_dir: str | Path, draft: Draft, viewer: Viewer) -> Draft:
    """Save a draft whose `version` is the version it was loaded at; return it saved (version + 1).

    StaleDraftError when the file holds a newer version (another director saved since): nothing is written.
    """
    require_director(viewer)
    path = _draft_path(data_dir, draft.round.id)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path.parent / ".lock", os.O_RDWR | os.O_CREAT, 0o640)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        on_file = None
        if path.is_file():
            try:
                on_file = Draft.model_validate_json(path.read_text(encoding="utf-8"))
            except ValidationError:
                on_file = None
        if on_file is not None and on_file.version != draft.version:
            when = on_file.saved_at.strftime("%-d %B %Y at %H:%M") if on_file.saved_at else "meanwhile"
            raise StaleDraftError(
                f"The draft for {draft.round.term} was saved by {on_file.saved_by or 'someone else'} on {when} "
                f"after you opened it (their version {on_file.version}, yours {draft.version}). Your change was "
                "not saved: reload the draft and make it again."
            )
        saved = draft.model_copy(
            update={"version": draft.version + 1, "saved_by": viewer.username, "saved_at": datetime.now(UTC)}
        )
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(saved.model_dump_json(indent=2), encoding="utf-8")
        os.replace(tmp, path)
        audit_log(data_dir).record(
            AuditEvent(
                viewer.username,
                viewer.role,
                "decisions_draft",
                None,
                f"round {draft.round.id}: version {saved.version}, {len(saved.decisions)} decision(s)",
            )
        )
        return saved
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def record(draft: Draft, decision: Decision) -> Draft:
    """The draft with one school's decision set (not saved)."""
    return draft.model_copy(update={"decisions": {**draft.decisions, decision.urn: decision}})


# Publishing reads the round's model above; imported last, so that module finds every name defined.
from g2g_core.decisions.publishing import (  # noqa: E402, F401 (re-exported: the decisions API is one module)
    mark_letters_sent,
    publish_round,
    published_rows,
)

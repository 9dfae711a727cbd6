"""What a confirmation letter says (App.3 1.2), as one model both formats draw (PDF and Word).

Everything comes from the published data (never a draft), the policy configuration in force and the
letterhead: the decision in plain English, what the level provides, who does what at that level (App.3 1.3),
the reason and the four key judgements, the target exit date for an intensive level (2.9.2), the adviser by
name and who to contact. A letter is for the school: it never holds council-only information.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from g2g_core.access import Viewer
from g2g_core.letters.letterhead import Letterhead
from g2g_core.letters.names import person
from g2g_core.packs.content import level_provides, long_date
from g2g_core.policy import INTENSIVE, LEVEL_NAMES, LEVELS
from g2g_core.views import JUDGEMENT_SCALE, JUDGEMENTS, responsibilities

RESPONSIBILITY_REFS = (
    "From the policy's Appendix 3, section 1.3 (responsibilities) and 1.3.1 (the plan), with paragraphs 2.3.5 "
    "and 2.4.2 (governors) and 2.9.1 and 2.9.4 (intensive support)."
)


@dataclass(frozen=True)
class Letter:
    """One confirmation letter, ready to draw."""

    letterhead: Letterhead
    urn: int
    school: str
    dated: date
    to_lines: tuple[str, ...]
    salutation: str
    subject: str
    decision: str  # the decision in plain English
    level: str
    level_name: str
    previous_name: str | None
    effective_from: date
    decided_on: date
    level_means: str
    provides: tuple[str, ...]
    provides_note: str
    reason: str
    judgements: tuple[tuple[str, str], ...]
    target_exit: str | None  # the target exit date (intensive) or leaving intensive support, one sentence
    target_note: str | None  # what the policy says about it (2.9.2, 2.9.9)
    responsibilities: dict[str, list[str]]
    adviser_name: str
    adviser_title: str | None
    contact: str
    closing: str

    @property
    def title(self) -> str:
        """The document title."""
        return f"Level of support: {self.school}, from {long_date(self.effective_from)}"


def _previous(store, urn: int, effective_from: date) -> str | None:
    frame = store.sql(
        "SELECT level FROM categorisations WHERE urn = $urn AND effective_from < $eff "
        "ORDER BY effective_from DESC LIMIT 1",
        {"urn": urn, "eff": effective_from},
    )
    return frame["level"][0] if frame.height else None


def build_letter(
    store,
    viewer: Viewer,
    urn: int,
    effective_from: date,
    letterhead: Letterhead,
    accounts: dict[str, dict] | None = None,
    dated: date | None = None,
) -> Letter:
    """The letter confirming one published decision.

    LookupError when the school is outside the viewer's scope or there is no such decision.
    """
    if not viewer.may_see(urn):
        raise LookupError("school not available")
    found = store.sql(
        "SELECT c.*, s.name, s.phase, s.maintained, s.adviser, s.headteacher, s.chair_of_governors "
        "FROM categorisations c JOIN schools s USING (urn) WHERE c.urn = $urn AND c.effective_from = $eff",
        {"urn": urn, "eff": effective_from},
    )
    if found.is_empty():
        raise LookupError(f"no decision for URN {urn} takes effect on {effective_from.isoformat()}")
    row = found.row(0, named=True)
    policy = store.policy
    level = row["level"]
    name = LEVEL_NAMES[level] + (
        " (Team Around the School)" if row["team_around_school"] and level == "focused" else ""
    )
    prev = _previous(store, urn, effective_from)
    prev_name = LEVEL_NAMES.get(prev) if prev else None
    school = row["name"]
    eff_words, dec_words = long_date(effective_from), long_date(row["decided_on"])

    if prev is None:
        move = f"{school} will receive {name} support"
    elif prev == level:
        move = f"{school} will continue to receive {name} support"
    elif LEVELS.index(level) > LEVELS.index(prev):
        move = f"{school} will move from {prev_name} support up to {name} support"
    else:
        move = f"{school} will move from {prev_name} support down to {name} support"
    decision = (
        f"I am writing to confirm the local authority's decision, made on {dec_words}, that from {eff_words} "
        f"{move}. The policy asks us to confirm every decision on a school's level of support in writing "
        "(Appendix 3, paragraph 1.2)."
    )

    target = note = None
    if level in INTENSIVE:
        when = row["target_exit_on"]
        target = (
            f"The target date for the school to leave intensive support is {long_date(when)}."
            if when
            else "A target date for leaving intensive support will be agreed with you."
        )
        note = (
            f"The policy expects a school to leave intensive support within {policy.intensive_exit_terms} terms "
            "(paragraph 2.9.2). The headteacher, the chair of governors, the LaMA and senior officers will meet "
            "to confirm this judgement (Appendix 3, paragraph 1.2)."
        )
    elif prev in INTENSIVE:
        target = "The school leaves intensive support."
        note = (
            "An exit strategy will be agreed with you, with a planned reduction in support (paragraph 2.9.9)."
        )

    adviser_name, adviser_title = person(store, row["adviser"], accounts)
    if adviser_name:
        who = adviser_name + (f", {adviser_title}" if adviser_title else "")
        contact = (
            f"Your school's attached adviser is {who}. Please contact them first about this letter or your "
            f"school's plan. You can also contact {letterhead.contact}."
        )
    else:
        contact = f"No adviser is attached to the school yet. Please contact {letterhead.contact}."
    head, chair = row["headteacher"], row["chair_of_governors"]
    to_lines = (
        f"The Headteacher{', ' + head if head else ''}",
        f"The Chair of Governors{', ' + chair if chair else ''}",
        school,
    )
    sup = policy.level(level)
    provides_note = (
        f"From the policy configuration in force, {policy.name} ({sup.policy_ref}). The amount of additional "
        "support within this range is agreed with the school (Appendix 3, paragraph 1.2)."
    )
    return Letter(
        letterhead=letterhead,
        urn=urn,
        school=school,
        dated=dated or date.today(),
        to_lines=to_lines,
        salutation="Dear Headteacher and Chair of Governors,",
        subject=f"{school} (URN {urn}): {name} support from {eff_words}",
        decision=decision,
        level=level,
        level_name=name,
        previous_name=prev_name,
        effective_from=effective_from,
        decided_on=row["decided_on"],
        level_means=f"{name} support is for schools described by the policy as follows: {sup.description}",
        provides=level_provides(policy, level, row["phase"], row["maintained"]),
        provides_note=provides_note,
        reason=row["reason"] or "No reason was recorded.",
        judgements=tuple(
            (label, JUDGEMENT_SCALE.get(row[key], "Not recorded")) for key, label in JUDGEMENTS.items()
        ),
        target_exit=target,
        target_note=note,
        responsibilities=responsibilities(level),
        adviser_name=adviser_name or "No adviser attached",
        adviser_title=adviser_title,
        contact=contact,
        closing="Yours sincerely,",
    )


def letter_filename(urn: int, effective_from: date, fmt: str) -> str:
    """The file name of a letter: letter-900005-2027-01-01.pdf."""
    return f"letter-{urn}-{effective_from.isoformat()}.{fmt}"

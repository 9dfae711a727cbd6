"""The policy configuration: every number and mapping of the Good to Great policy, as validated data.

The shipped files are `2023.toml` (Appendix 3, September 2023, the default) and `2019.toml` (the policy
as updated in July 2019). `G2G_POLICY_FILE` chooses another file. A wrong key or value is refused with
a `PolicyError` that names the key.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from g2g_core.settings import Settings, settings
from g2g_core.vocabulary import (  # noqa: F401 (re-exported: the policy speaks in these codes)
    CATEGORIES,
    INTENSIVE,
    LEVEL_NAMES,
    LEVELS,
    PHASES,
    PLANS,
    RENEWED_GRADES,
    Level,
    Phase,
    Plan,
    RenewedGrade,
)

SHIPPED_DIR = Path(__file__).parent
DEFAULT_POLICY = Settings.model_fields["policy_file"].default  # "2023"; G2G_POLICY_FILE chooses another

Category = Literal["serious_weaknesses", "special_measures", "requires_significant_improvement"]


class PolicyError(ValueError):
    """A policy file that cannot be used; the message names the file and the key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Terms(_Strict):
    """The three terms of the school year, each given by the month and day it starts."""

    autumn_starts: str = Field(
        "09-01",
        pattern=r"^\d\d-\d\d$",
        description="First day of the autumn term (MM-DD); the academic year starts here.",
    )
    spring_starts: str = Field(
        "01-01",
        pattern=r"^\d\d-\d\d$",
        description="First day of the spring term (MM-DD), in the calendar year after the autumn term.",
    )
    summer_starts: str = Field(
        "04-01",
        pattern=r"^\d\d-\d\d$",
        description="First day of the summer term (MM-DD); the summer term ends the day before the next autumn term.",
    )

    @model_validator(mode="after")
    def _ordered(self) -> Terms:
        for key in ("autumn_starts", "spring_starts", "summer_starts"):
            month, day = (int(x) for x in getattr(self, key).split("-"))
            if not (1 <= month <= 12 and 1 <= day <= 28):
                raise ValueError(f"{key}: {getattr(self, key)!r} must be a month and a day of 1-28 (MM-DD)")
        if not (self.spring_md < self.summer_md < self.autumn_md):
            raise ValueError(
                "terms: spring_starts < summer_starts < autumn_starts must hold within a calendar year"
            )
        return self

    @property
    def autumn_md(self) -> int:
        """The autumn start as month*100 + day."""
        return _md(self.autumn_starts)

    @property
    def spring_md(self) -> int:
        """The spring start as month*100 + day."""
        return _md(self.spring_starts)

    @property
    def summer_md(self) -> int:
        """The summer start as month*100 + day."""
        return _md(self.summer_starts)


def _md(text: str) -> int:
    month, day = (int(x) for x in text.split("-"))
    return month * 100 + day


class LevelSupport(_Strict):
    """What one support level entitles a school to."""

    description: str = Field(description="Who the level is for, in the policy's words.")
    policy_ref: str = Field(description="Paragraphs of the policy that set this level's support.")
    sip_visits_a_year: int = Field(
        ge=0, le=12, description="School improvement partner visits a year (made by the LaMA above Core)."
    )
    sip_visits_by_phase: dict[Phase, int] = Field(
        default_factory=dict,
        description="Visits a year for particular phases, where they differ from sip_visits_a_year (2019: two for nursery and primary).",
    )
    additional_hours: float = Field(
        ge=0, le=500, description="Additional adviser (LaMA) hours on top of Core."
    )
    additional_hours_per: Literal["year", "term"] = Field(
        description="Whether additional_hours is a yearly or a termly figure."
    )
    additional_hours_bound: Literal["none", "maximum", "minimum"] = Field(
        description="Whether the additional hours are an upper limit ('up to'), a lower limit ('at least') or not limited.",
    )
    la_review_each_term: bool = Field(False, description="Whether a one-day LA review is due every term.")
    la_reviews_a_year_optional: int = Field(
        0, ge=0, le=3, description="Optional one-day LA reviews a year (Enhanced: one at an agreed point)."
    )
    tag_meetings_a_year: int = Field(
        0, ge=0, le=12, description="Team Action Group meetings a year (termly = 3)."
    )
    tag_meeting_hours: float = Field(0.0, ge=0, le=24, description="Adviser hours a TAG meeting takes.")
    plan_types: tuple[Plan, ...] = Field(
        default=(),
        description="Plans that satisfy this level's planning requirement; empty means no plan is required.",
    )

    def visits_for(self, phase: str) -> int:
        """SIP visits a year for a school of this phase."""
        return self.sip_visits_by_phase.get(phase, self.sip_visits_a_year)  # type: ignore[arg-type]

    def hours_per_term(self) -> float:
        """Additional hours a term (yearly figures divided by three)."""
        return self.additional_hours / 3 if self.additional_hours_per == "year" else self.additional_hours


class OfstedMapping(_Strict):
    """How Ofsted judgements map to the policy's two triggers (SPEC §1.4)."""

    ri_eif_grades: tuple[int, ...] = Field(
        (3,), description="EIF 2019 overall grades that mean 'graded 3 / at risk of RI'."
    )
    ri_renewed_grades: tuple[RenewedGrade, ...] = Field(
        ("needs_attention", "urgent_improvement"),
        description="Renewed-framework area grades that mean 'at risk of RI' when there is no category of concern.",
    )
    concern_eif_grades: tuple[int, ...] = Field(
        (4,), description="EIF 2019 overall grades that mean a category of concern."
    )
    concern_categories: tuple[Category, ...] = Field(
        ("serious_weaknesses", "special_measures", "requires_significant_improvement"),
        description="Categories of concern (either framework) that mean 'serious weaknesses / special measures'.",
    )
    safeguarding_not_met_is_concern: bool = Field(
        True, description="Whether safeguarding not met counts as a category of concern."
    )


class GraceDays(_Strict):
    """Days allowed after a date before the matter is overdue."""

    review: int = Field(
        14,
        ge=0,
        le=365,
        description="Days after a plan review's due date before it is overdue (App.3 1.3.1).",
    )
    letter: int = Field(
        14,
        ge=0,
        le=365,
        description="Days after a decision before the confirming letter is overdue (App.3 1.2).",
    )
    plan: int = Field(
        30,
        ge=0,
        le=365,
        description="Days after a new level takes effect before its plan must exist (App.3 1.1, 2.9.1).",
    )


class Policy(_Strict):
    """The Good to Great policy configuration in force."""

    name: str = Field(description="A name for this configuration, shown on the Policy page.")
    source: str = Field(description="The policy documents these figures come from.")
    terms: Terms = Field(default_factory=Terms, description="Term boundaries (SPEC §1.2).")
    levels: dict[Level, LevelSupport] = Field(
        description="Support each level entitles a school to (App.3 1.1; policy 2.5)."
    )
    sip_visit_hours: float = Field(
        3.5, gt=0, le=24, description="Adviser hours of one SIP visit (a half day)."
    )
    la_review_hours: float = Field(
        14.0, gt=0, le=48, description="Adviser hours of one one-day LA review (one day, two advisers)."
    )
    intensive_exit_terms: int = Field(
        4, ge=1, le=12, description="Terms within which a school should leave intensive support (2.9.2)."
    )
    grace_days: GraceDays = Field(
        default_factory=GraceDays, description="Grace periods before a process flag is overdue."
    )
    hours_tolerance: float = Field(
        0.25,
        ge=0,
        le=1,
        description="How far hours used may fall short of, or exceed, the entitlement before a flag (a fraction).",
    )
    ofsted: OfstedMapping = Field(
        default_factory=OfstedMapping,
        description="Ofsted triggers (App.3 1.1 Enhanced and Intensive B; 2.5.10, 2.5.15).",
    )

    @model_validator(mode="after")
    def _all_levels(self) -> Policy:
        missing = [lv for lv in LEVELS if lv not in self.levels]
        if missing:
            raise ValueError(f"levels: missing {', '.join(missing)}")
        return self

    def level(self, code: str) -> LevelSupport:
        """The support of one level."""
        return self.levels[code]  # type: ignore[index]

    def term_params(self) -> dict[str, int]:
        """The term boundaries as bound parameters for the SQL term macros."""
        return {"aut": self.terms.autumn_md, "spr": self.terms.spring_md, "sm": self.terms.summer_md}


def _key(loc: tuple) -> str:
    return ".".join(str(p) for p in loc) or "(top level)"


def load_policy(path: str | Path | None = None) -> Policy:
    """Load and validate a policy file: a path, a shipped name ('2023', '2019'), or G2G_POLICY_FILE."""
    chosen = path or settings().policy_file
    return _load(str(chosen))


@lru_cache(maxsize=8)
def _load(chosen: str) -> Policy:
    file = SHIPPED_DIR / f"{chosen}.toml" if chosen in ("2023", "2019") else Path(chosen)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PolicyError(f"policy file {file}: not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"policy file {file}: cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"policy file {file}: not valid TOML ({exc})") from None
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            what = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
            value = "" if err["type"] == "extra_forbidden" else f" (value {err.get('input')!r})"
            lines.append(f"key {_key(err['loc'])}: {what}{value}")
        raise PolicyError(f"policy file {file}: " + "; ".join(lines)) from None

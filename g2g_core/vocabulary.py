"""The app's vocabulary: every enumeration declared once, with its words for people, colour, pattern and glossary.

Each enumeration is a `Literal` type and the tuple of its codes (in display order), followed by the words a
person reads for each code and, where it has them, a colour and a pattern. The pages (`ui/`), the packs, the
exports, the views and the rules read their words and colours from here, so a code reads the same and is drawn
in the same colour on every screen and in both pack formats. Nothing else in the code base spells a code's
display words.

Colours: levels use the Okabe-Ito colour-blind-safe set, each at least 3:1 against white, and every chart also
labels levels in words and gives each a pattern, so colour is never the only cue. Activities use a muted
colour-blind-safe set (Paul Tol's), distinct from the level colours, fixed per activity so the same activity is
the same colour on every school's chart, in the PowerPoint and in the PDF.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Literal, get_args

# ------------------------------------------------------------------------------------------------- dates
# GOV.UK style, the same on every page, table and pack: "15 July 2026", never a time of day. `DATE_FORMAT` is
# the strftime pattern of `date_words` for a Polars column (`pl.col(c).dt.strftime(DATE_FORMAT)`).
DATE_FORMAT = "%-d %B %Y"


def date_words(day: date | datetime | None, none: str = "") -> str:
    """A date in words ('15 July 2026'); a date-time loses its time of day; `none` for no date."""
    if day is None:
        return none
    return f"{day.day} {day:%B %Y}"


def month_day_words(md: str) -> str:
    """A day of every year given as MM-DD ('09-01', a term's first day) in words ('1 September')."""
    month, day = (int(x) for x in md.split("-"))
    return f"{day} {date(2000, month, 1):%B}"


# ---------------------------------------------------------------------------------------------------- levels
Level = Literal["core", "focused", "enhanced", "intensive_a", "intensive_b"]
LEVELS: tuple[str, ...] = get_args(Level)
LEVEL_NAMES: dict[str, str] = {
    "core": "Core",
    "focused": "Focused",
    "enhanced": "Enhanced",
    "intensive_a": "Intensive A",
    "intensive_b": "Intensive B",
}
NOT_CATEGORISED = "Not categorised"
LEVEL_COLOURS: dict[str, str] = {
    "core": "#0072B2",
    "focused": "#009E73",
    "enhanced": "#A66A00",
    "intensive_a": "#D55E00",
    "intensive_b": "#882255",
}
LEVEL_PATTERNS: dict[str, str] = {
    "core": "",
    "focused": "/",
    "enhanced": ".",
    "intensive_a": "x",
    "intensive_b": "\\",
}
INTENSIVE: tuple[str, ...] = ("intensive_a", "intensive_b")


def level_words(code: str | None) -> str:
    """A level's name in words ('Not categorised' for none)."""
    return LEVEL_NAMES.get(code or "", NOT_CATEGORISED)


# ----------------------------------------------------------------------------------- flags: severities, kinds
Severity = Literal["overdue", "due", "info"]
SEVERITIES: tuple[str, ...] = get_args(Severity)
SEVERITY_NAMES: dict[str, str] = {"overdue": "Overdue", "due": "Due", "info": "For information"}
# How a flag's severity reads to a school (heads, governors, the pack): what it asks of them, not the label.
SEVERITY_SCHOOL_NAMES: dict[str, str] = {
    "overdue": "Needs action now",
    "due": "Needs action this term",
    "info": "For information",
}
SEVERITY_COLOURS: dict[str, str] = {"overdue": "#B42318", "due": "#9A5B00", "info": "#1F5F99"}

FlagKind = Literal["exit", "escalation", "process"]
KINDS: tuple[str, ...] = get_args(FlagKind)
KIND_NAMES: dict[str, str] = {"exit": "Exit", "escalation": "Escalation", "process": "Process"}

# ------------------------------------------------------------------------------------- adviser hours activities
Activity = Literal[
    "sip_visit",
    "lama_support",
    "one_day_review",
    "tag_meeting",
    "governors_meeting",
    "brokered_support",
    "keeping_in_touch",
    "other",
]
ACTIVITIES: tuple[str, ...] = get_args(Activity)
ACTIVITY_NAMES: dict[str, str] = {
    "sip_visit": "SIP visit",
    "lama_support": "LaMA support",
    "one_day_review": "One-day LA review",
    "tag_meeting": "TAG meeting",
    "governors_meeting": "Governors' meeting",
    "brokered_support": "Brokered support",
    "keeping_in_touch": "Keeping in touch",
    "other": "Other",
}
# The one table of activity colours: the web charts, the PowerPoint and the PDF all draw from it.
ACTIVITY_COLOURS: dict[str, str] = {
    "sip_visit": "#332288",
    "lama_support": "#44AA99",
    "one_day_review": "#CC6677",
    "tag_meeting": "#DDCC77",
    "governors_meeting": "#88CCEE",
    "brokered_support": "#117733",
    "keeping_in_touch": "#AA4499",
    "other": "#999933",
}
# What the hours a level provides in a term are called in a chart's legend and its table.
ENTITLEMENT_NAME = "Hours the level provides"
# The activities a level's hours entitlement covers.
ENTITLED_ACTIVITIES: tuple[str, ...] = ("sip_visit", "lama_support", "one_day_review", "tag_meeting")

# ------------------------------------------------------------------------------------------------- phases
Phase = Literal["nursery", "primary", "secondary", "all_through", "special", "alternative_provision"]
PHASES: tuple[str, ...] = get_args(Phase)
PHASE_NAMES: dict[str, str] = {
    "nursery": "Nursery",
    "primary": "Primary",
    "secondary": "Secondary",
    "all_through": "All-through",
    "special": "Special",
    "alternative_provision": "Alternative provision",
}

# -------------------------------------------------------------------------------------- plans and statuses
Plan = Literal["tag_plan", "action_plan", "single_action_plan"]
PLANS: tuple[str, ...] = get_args(Plan)
PLAN_NAMES: dict[str, str] = {
    "tag_plan": "TAG plan",
    "action_plan": "Action plan",
    "single_action_plan": "Single Action Plan",
}

Status = Literal["on_track", "at_risk", "off_track", "achieved"]
STATUSES: tuple[str, ...] = get_args(Status)
STATUS_NAMES: dict[str, str] = {
    "on_track": "On track",
    "at_risk": "At risk",
    "off_track": "Off track",
    "achieved": "Achieved",
}
NOT_REVIEWED = "Not yet reviewed"

# ------------------------------------------------------------------------------------------------- Ofsted
Framework = Literal["eif_2019", "renewed_2025"]
FRAMEWORKS: tuple[str, ...] = get_args(Framework)
# In the middle of a sentence ("graded under the 2019 framework").
FRAMEWORK_NAMES: dict[str, str] = {"eif_2019": "2019 framework", "renewed_2025": "renewed framework"}

EIF_GRADES: dict[int, str] = {1: "Outstanding", 2: "Good", 3: "Requires improvement", 4: "Inadequate"}

RenewedGrade = Literal[
    "exceptional", "strong_standard", "expected_standard", "needs_attention", "urgent_improvement"
]
RENEWED_GRADES: tuple[str, ...] = get_args(RenewedGrade)
RENEWED_GRADE_NAMES: dict[str, str] = {
    "exceptional": "Exceptional",
    "strong_standard": "Strong standard",
    "expected_standard": "Expected standard",
    "needs_attention": "Needs attention",
    "urgent_improvement": "Urgent improvement",
}

InspectionType = Literal["graded", "ungraded", "monitoring", "report_card"]
INSPECTION_TYPES: tuple[str, ...] = get_args(InspectionType)
INSPECTION_TYPE_NAMES: dict[str, str] = {
    "graded": "Graded inspection",
    "ungraded": "Ungraded inspection",
    "monitoring": "Monitoring visit",
    "report_card": "Report card inspection",
}

Area = Literal[
    "inclusion",
    "curriculum_and_teaching",
    "achievement",
    "attendance_and_behaviour",
    "personal_development_and_wellbeing",
    "leadership_and_governance",
    "early_years",
    "post_16",
]
AREAS: tuple[str, ...] = get_args(Area)
AREA_NAMES: dict[str, str] = {
    "inclusion": "Inclusion",
    "curriculum_and_teaching": "Curriculum and teaching",
    "achievement": "Achievement",
    "attendance_and_behaviour": "Attendance and behaviour",
    "personal_development_and_wellbeing": "Personal development and well-being",
    "leadership_and_governance": "Leadership and governance",
    "early_years": "Early years",
    "post_16": "Post-16",
}

# ------------------------------------------------------------------- decisions: what a round proposes
ProposalKind = Literal["escalate", "consider_higher", "step_down", "no_change"]
PROPOSAL_KINDS: tuple[str, ...] = get_args(ProposalKind)
PROPOSAL_NAMES: dict[str, str] = {
    "escalate": "Move up",
    "consider_higher": "Consider a higher level",
    "step_down": "Step down, with an exit strategy",
    "no_change": "No change",
}

Category = Literal["none", "serious_weaknesses", "special_measures", "requires_significant_improvement"]
CATEGORIES: tuple[str, ...] = get_args(Category)
CATEGORY_NAMES: dict[str, str] = {
    "none": "Not in a category",
    "serious_weaknesses": "Serious weaknesses",
    "special_measures": "Special measures",
    "requires_significant_improvement": "Requires significant improvement",
}

# ---------------------------------------------------------------------------------- risk assessments (staff)
RISK_AREA_NAMES: dict[str, str] = {
    "standards": "Standards",
    "leadership": "Leadership",
    "governance": "Governance",
    "safeguarding": "Safeguarding",
    "finance": "Finance",
    "hr": "Staffing (HR)",
    "attendance": "Attendance",
    "sen": "Special educational needs",
    "admissions": "Admissions",
    "premises": "Premises",
    "parents": "Parents",
}
RATING_NAMES: dict[str, str] = {"low": "Low", "medium": "Medium", "high": "High"}

# -------------------------------------------------------------------------------------------- warning notices
WarningKind = Literal["pre_formal", "formal"]
WARNING_KINDS: tuple[str, ...] = get_args(WarningKind)
WARNING_NAMES: dict[str, str] = {"pre_formal": "Pre-formal warning notice", "formal": "Formal warning notice"}
WarningState = Literal["open", "closed"]
WARNING_STATE_NAMES: dict[str, str] = {"open": "Open", "closed": "Closed"}

# ------------------------------------------------------------------------------------- the key judgements
Judgement = Literal["outcomes", "ambition", "leadership", "capacity"]
JUDGEMENTS: dict[str, str] = {
    "outcomes": "Outcomes: do learners achieve what they should?",
    "ambition": "Ambition: high-quality education for all pupils",
    "leadership": "Leadership and management, including governance",
    "capacity": "Overall effectiveness and capacity to improve",
}
JUDGEMENT_SCALE: dict[int, str] = {1: "1 Strong", 2: "2 Good", 3: "3 Requires improvement", 4: "4 Weak"}

# ------------------------------------------------------------------------------------------------- roles
Role = Literal["director", "adviser", "head", "governor"]
ROLES: tuple[str, ...] = get_args(Role)
# The caption under the signed-in name.
ROLE_NAMES: dict[str, str] = {
    "director": "Assistant Director",
    "adviser": "Adviser",
    "head": "Headteacher",
    "governor": "Governor",
}
# Who a page is for, as a sentence names them ("This page is for the Assistant Director and advisers").
ROLE_AUDIENCES: dict[str, str] = {
    "director": "the Assistant Director",
    "adviser": "advisers (LaMAs and SIPs)",
    "head": "headteachers",
    "governor": "governors",
}

# ------------------------------------------------------------------------------------- the data contract's tables
TableName = Literal[
    "schools",
    "categorisations",
    "hours",
    "plan_reviews",
    "ofsted_inspections",
    "ofsted_areas",
    "risk_assessments",
    "warnings",
    "advisers",
]
TABLE_CODES: tuple[str, ...] = get_args(TableName)
TABLE_NAMES: dict[str, str] = {
    "schools": "Schools",
    "categorisations": "Categorisations",
    "hours": "Adviser hours",
    "plan_reviews": "Plan reviews",
    "ofsted_inspections": "Ofsted inspections",
    "ofsted_areas": "Ofsted report-card areas",
    "risk_assessments": "Risk assessments",
    "warnings": "Warning notices",
    "advisers": "Advisers",
}

# How a version of the data came to be (the Data page's history).
VersionAction = Literal["initial", "upload", "import_gias", "import_ofsted", "decisions", "letters_sent"]
VERSION_ACTIONS: tuple[str, ...] = get_args(VersionAction)
VERSION_ACTION_NAMES: dict[str, str] = {
    "initial": "the data as they were before the first upload",
    "upload": "an upload",
    "import_gias": "a GIAS import",
    "import_ofsted": "an Ofsted import",
    "decisions": "a round of decisions (Decisions page)",
    "letters_sent": "letters recorded as sent (Decisions page)",
}

# ------------------------------------------------------------------------------------------------- glossary
# Terms a reader may not know, in the words of the governors' pack ("Words used"). `PACK_GLOSSARY` is the
# pack's page, in its order; the other entries explain the codes' words wherever a page needs them.
TERMS: dict[str, str] = {
    "LA": "The local authority (the council).",
    "LaMA": "Leadership and Management Adviser: the council's adviser attached to the school.",
    "SIP": "School Improvement Partner: makes the school improvement visits (the LaMA does so above Core).",
    "TAG": "Team Action Group: the termly meeting that reviews the plan's progress.",
    "One-day LA review": "A day's review of the school by two advisers, led by the LaMA.",
    "Levels of support": "Core, Focused, Enhanced, Intensive A and Intensive B, from least to most support.",
    "Key judgements": (
        "The council's judgement of four key indicators: 1 strong, 2 good, 3 requires improvement, 4 weak."
    ),
    "Ofsted frameworks": (
        "Inspections before November 2025 give an overall grade (2019 framework); since 10 November "
        "2025 a report card grades each area. The two are shown separately and never converted."
    ),
    "URN": "Unique Reference Number: the number the Department for Education gives each school.",
    "Maintained": "A school the council maintains (not an academy).",
    "Intensive A and Intensive B": (
        "The two levels of most support; both call for a Single Action Plan and a one-day LA review each term."
    ),
    "Pre-formal warning notice": "A letter from the council that warns a formal warning notice may follow.",
    "Formal warning notice": "A notice the council gives a maintained school under its statutory powers.",
    "Category of concern": (
        "Ofsted's judgement that a school has serious weaknesses, needs special measures or requires "
        "significant improvement."
    ),
}
PACK_GLOSSARY: tuple[tuple[str, str], ...] = tuple(
    (term, TERMS[term])
    for term in (
        "LA",
        "LaMA",
        "SIP",
        "TAG",
        "One-day LA review",
        "Levels of support",
        "Key judgements",
        "Ofsted frameworks",
    )
)
# Every term, the pack's first and in its order, then the rest: the glossary of the School and Policy pages.
GLOSSARY: tuple[tuple[str, str], ...] = PACK_GLOSSARY + tuple(
    (term, text) for term, text in TERMS.items() if term not in dict(PACK_GLOSSARY)
)


# ------------------------------------------------------------------------------------------- flag evidence
def _mid(words: str) -> str:
    """Words for the middle of a sentence: 'one-day LA review', but 'LaMA support', 'SIP visit' as they are."""
    return words if words.startswith(("LaMA", "SIP", "TAG")) else words[0].lower() + words[1:]


# A flag's evidence is written by its rule's SQL from the records, so it carries their codes: these put them
# into the words above (levels, frameworks, categories, activities, the few column values it names).
_EVIDENCE_WORDS: list[tuple[re.Pattern[str], str]] = [
    *[(re.compile(rf"\b{code}\b"), words) for code, words in FRAMEWORK_NAMES.items()],
    (re.compile(r"\breport_card\b"), "report card"),
    (re.compile(r"category: none\b"), "no category of concern"),
    (re.compile(r"safeguarding met: true\b"), "safeguarding met"),
    (re.compile(r"safeguarding met: false\b"), "safeguarding not met"),
    (re.compile(r"no letter_sent_on\b"), "no date recorded for the letter being sent"),
    *[
        (re.compile(rf"\b{code}\b"), words.lower())
        for code, words in CATEGORY_NAMES.items()
        if code != "none"
    ],
    *[(re.compile(rf"\b{code}\b"), _mid(words)) for code, words in ACTIVITY_NAMES.items() if "_" in code],
    *[(re.compile(rf"\b{code}\b"), LEVEL_NAMES[code]) for code in INTENSIVE],
    *[
        (re.compile(rf"\b(level|Level|at|to) {code}\b"), rf"\1 {LEVEL_NAMES[code]}")
        for code in ("core", "focused", "enhanced")
    ],
    *[
        (re.compile(rf": {code} to\b"), f": {LEVEL_NAMES[code]} to")
        for code in ("core", "focused", "enhanced")
    ],
]


def evidence_in_words(text: str | None) -> str:
    """A flag's evidence with the data's codes (levels, frameworks, activities, columns) put into words."""
    out = text or ""
    for pattern, words in _EVIDENCE_WORDS:
        out = pattern.sub(words, out)
    return out

"""The demo borough's made-up words: place and person names, plan priorities, notes, grounds and reasons."""

from __future__ import annotations

PLACE_FIRST = tuple(
    (
        "Quill Tarn Vesk Brisc Corrin Drav Ellish Fenwy Gorst Hallap Iskel Jorm Kesp Lomp Mirk Nolb "
        "Orrin Plass Qell Ruddle Skarr Thel Umber Vorr Yelv Zarn Brannow Cressil Dunmer Errow Fallick "
        "Grisel Hoskin Lullow Marrow Nettick Oskel Pimber Rask Sellow Tivvy Wendle Yarrow Blen Cathrow "
        "Dimble"
    ).split()
)
PLACE_END = tuple(
    (
        "marsh wick holme stead brook ridge mere gate lowe hythe worth combe garth ley thorpe dale by "
        "ton well moss"
    ).split()
)
PLACE_EXTRA = ("", "", "", "", " Green", " Vale", " Park", " Hill", " Lane", " Fields")
FIRST_NAMES = tuple(
    (
        "Amara Priya Tomasz Yusuf Grace Oluwaseun Hannah Mehmet Siobhan Declan Aisha Rhys Ngozi Fatima "
        "Callum Ewa Rohan Imogen Kwame Leila Bronwen Tariq Maeve Jonah Anjali Colm Zainab Harriet Dev "
        "Ines Gareth Yasmin Piotr Abena Fraser"
    ).split()
)
SURNAME_A = tuple("Ash Brom Carr Dell Fair Hal Kil Lind Mor Pen Rad Shel Tam Wain".split())
SURNAME_B = tuple("combe ley wood ridge by ton more well hurst thwaite sall brook".split())

PRIORITIES = {
    "primary": (
        "Raise attainment in KS2 reading",
        "Raise attainment in KS2 writing",
        "Improve the teaching of phonics in Reception and Year 1",
        "Raise attainment in KS2 mathematics",
        "Increase the proportion of children reaching a good level of development",
    ),
    "secondary": (
        "Improve outcomes in GCSE mathematics",
        "Raise the attainment of disadvantaged pupils at KS4",
        "Improve the quality of teaching in KS3 English",
        "Increase the number of pupils studying a modern foreign language",
        "Improve retention in the sixth form",
    ),
    "nursery": (
        "Develop children's early language and communication",
        "Strengthen the assessment of children's starting points",
        "Work with parents to support early reading at home",
    ),
    "special": (
        "Strengthen the personalised curriculum for pupils with complex needs",
        "Improve the attendance of pupils with EHC plans",
        "Prepare older pupils better for adult life",
    ),
    "alternative_provision": (
        "Return more pupils successfully to mainstream schools",
        "Improve the attendance of pupils on part-time timetables",
        "Raise attainment in English and mathematics",
    ),
    "general": (
        "Improve attendance, especially of disadvantaged pupils",
        "Strengthen governors' challenge on standards",
        "Improve provision for pupils with SEND",
        "Develop subject leadership across the curriculum",
        "Reduce suspensions and improve behaviour at social times",
        "Make the science curriculum well sequenced",
        "Make leaders' self-evaluation sharper and more accurate",
    ),
    "tas": (
        "Set a balanced budget for next year",
        "Resolve HR casework and stabilise staffing",
        "Complete the premises condition works",
        "Strengthen the governing body's skills and membership",
    ),
}
PRIORITIES["all_through"] = PRIORITIES["primary"][:2] + PRIORITIES["secondary"][:3]
REVIEW_NOTES = {
    "on_track": (
        "Evidence from book looks and data supports the judgement.",
        "Leaders' actions are having an effect.",
    ),
    "at_risk": (
        "Progress has slowed; actions to be tightened before the next review.",
        "Staffing changes have delayed the work.",
        "Data show improvement for some groups only.",
    ),
    "off_track": ("No measurable improvement since the last review.", "Actions not carried out as planned."),
    "achieved": ("Target met and sustained.",),
}
HOURS_NOTES = {
    "sip_visit": (
        "Visit focused on the school's self-evaluation.",
        "Learning walk with the headteacher.",
        "Reviewed the pupil premium strategy.",
        "Discussed the latest attainment data.",
    ),
    "lama_support": (
        "Coaching for the deputy headteacher.",
        "Joint lesson visits with subject leaders.",
        "Worked with the SENCo on provision maps.",
        "Support for middle leaders on monitoring.",
        "Checked progress on plan priorities.",
    ),
    "governors_meeting": (
        "Presented the categorisation to the full governing body.",
        "Attended the standards committee.",
    ),
    "brokered_support": (
        "HR casework support brokered from the council's HR service.",
        "Finance officer reviewed the budget forecast.",
        "Premises surveyor visit arranged.",
    ),
    "keeping_in_touch": ("Phone call with the headteacher.", "Termly keeping-in-touch meeting."),
    "other": ("Headteacher recruitment panel.", "Support after a serious incident."),
}
RISK_NOTES = {
    "standards": ("Attainment below the local average in two subjects.", "Sharp fall in results this year."),
    "leadership": (
        "New headteacher in post; capacity still developing.",
        "Senior team depleted by long absence.",
    ),
    "governance": ("Several governor vacancies.", "Governors not yet holding leaders to account."),
    "safeguarding": ("Record keeping needs tightening.", "Concerns raised in a recent audit."),
    "finance": (
        "Budget balanced only by using reserves.",
        "Deficit forecast for next year; recovery plan requested.",
    ),
    "attendance": ("Persistent absence above the national figure.", "Persistent absence rising sharply."),
    "sen": ("Rising number of pupils with EHC plans.", "SEND provision not meeting needs."),
    "hr": ("Two long-term absences.", "Grievance and capability cases open."),
    "premises": ("Roof repairs outstanding.", "Part of the building closed on safety grounds."),
    "admissions": ("Falling rolls in Reception.", "Roll falling fast; viability in question."),
    "parents": ("Some complaints to governors.", "Complaints escalated to the council."),
}
WARNING_GROUNDS = (
    "Standards of performance are unacceptably low and progress on the Single Action Plan is too slow.",
    "Serious weaknesses in leadership and governance put pupils' education at risk.",
    "Safeguarding is not effective and leaders have not acted on the council's advice.",
)
REASONS = {
    ("core", "same"): (
        "Leaders evaluate the school accurately and outcomes remain good.",
        "Good outcomes are sustained; the school is self-improving.",
        "Strong leadership and good outcomes; core support continues.",
    ),
    ("core", "down"): (
        "The plan's priorities have been met and the school can sustain improvement with core support.",
        "Secure leadership and a good inspection outcome; support reduced to core.",
    ),
    ("focused", "any"): (
        "Good overall; targeted help is needed with early reading.",
        "Good overall; targeted help is needed with attendance.",
        "Good overall; targeted help is needed with writing.",
        "Good overall; targeted help is needed with provision for pupils with SEND.",
    ),
    ("focused", "tas"): (
        "Teaching and outcomes are good; support is brokered for the budget and HR.",
        "Teaching and outcomes are good; support is brokered for governance and premises.",
    ),
    ("enhanced", "up"): (
        "Outcomes have dipped; targeted support will speed up improvement.",
        "At risk of a requires improvement judgement; needs at least Enhanced support.",
    ),
    ("enhanced", "same"): ("Improving, but not yet securely good; Enhanced support continues.",),
    ("enhanced", "down"): ("Good progress out of intensive support; a planned exit continues at Enhanced.",),
    ("intensive_a", "any"): (
        "Graded requires improvement before and at high risk of the same; capacity to improve not yet shown.",
        "Significant decline in outcomes and in leadership capacity.",
    ),
    ("intensive_b", "any"): (
        "Ofsted placed the school in a category of concern; intensive support and a Single Action Plan "
        "follow.",
        "Significant council concern that the school is no longer good.",
    ),
}

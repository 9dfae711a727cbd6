"""School drilldown: one school's level, judgements, support, plan, flags, Ofsted, warnings and next dates.

The page assembles its sections, one module each under `ui/school/`, and ends with the glossary ("Words used on
this page", the same words as the governors' pack).
"""

from ui import auth, data
from ui.components import glossary
from ui.controls import as_of_control
from ui.decision_letter import decision_and_letter
from ui.links import back_link
from ui.school import choose, duties, ofsted, plan, summary, support

viewer = auth.page_viewer()
store = data.store()
as_of = as_of_control(store)
detail = choose.school_detail(store, viewer, as_of)
back_link()
summary.render(store, viewer, detail, as_of)
decision_and_letter(store, viewer, detail.school["urn"], as_of)
support.render(detail)
plan.render(detail)
ofsted.render(detail)
duties.render(detail)
glossary()

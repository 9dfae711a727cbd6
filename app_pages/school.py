"""School drilldown: one school's level, judgements, support, plan, flags, Ofsted, warnings and next dates.

The page assembles its sections, one module each under `ui/school/`.
"""

from ui import auth, data
from ui.controls import as_of_control
from ui.school import choose, duties, ofsted, plan, summary, support

viewer = auth.page_viewer()
store = data.store()
as_of = as_of_control(store)
detail = choose.school_detail(store, viewer, as_of)
summary.render(store, viewer, detail, as_of)
support.render(detail)
plan.render(detail)
ofsted.render(detail)
duties.render(detail)

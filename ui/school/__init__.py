"""The School page's sections, one module each; `app_pages/school.py` assembles them in order."""

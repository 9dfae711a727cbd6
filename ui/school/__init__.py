"""The School page's sections, one module each; `pages/school.py` assembles them in order."""

"""Helpers shared by the test tiers, imported by name (`from support.pages import new_app`).

- `support.demo`: the one demo borough of a session and a copy of it for a test (fixtures in tests/conftest.py).
- `support.pages`: AppTest of the app signed in as a role, opening an address, everything a page rendered.
- `support.browser`: the real app served by `streamlit run`, Chromium, waiting for Streamlit to settle.
- `support.accounts`: editing an accounts file.

`tests/` is on `sys.path` (pytest puts the folder of tests/conftest.py there), so no test edits `sys.path`.
"""

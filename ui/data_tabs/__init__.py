"""The Data page's tabs, one module each; `app_pages/data.py` assembles them (national imports: `ui/national_imports.py`)."""

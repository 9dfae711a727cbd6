"""Good to Great: the plain-Python core (never imports Streamlit)."""

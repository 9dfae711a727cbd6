"""The only Streamlit-aware helpers: sign-in glue, cached loaders and shared accessible components."""

"""Good to Great: the entry script. Signs the visitor in, builds the pages their role allows, runs one."""

import streamlit as st

from g2g_core.store import DataError
from ui import auth
from ui.data import data_dir, store

st.set_page_config(page_title="Good to Great", page_icon=":material/school:", layout="wide")

try:
    auth.check_production()
    authenticator = auth.authenticator()
except auth.ConfigurationError as err:
    st.error(f"The app cannot start: {err}")
    st.stop()

if st.session_state.get("authentication_status") is not True:
    heading = st.container()
    with heading:
        st.title("Good to Great")
        st.write("School improvement support levels. Sign in to continue.")
    try:
        authenticator.login(location="main", max_login_attempts=None)
    except Exception:  # the library raises on a malformed cookie or form state: treat as signed out
        st.session_state["authentication_status"] = None
    if st.session_state.get("authentication_status") is False:
        st.error("The username or password is incorrect.")
    if st.session_state.get("authentication_status") is not True:
        st.stop()
    st.rerun()  # signed in (form or cookie): start the run again without the sign-in heading

try:
    current_store = store()
except DataError as err:
    st.error(
        f"The data in {data_dir().name} cannot be used yet ({len(err.problems)} problem(s)). Ask a director to check the Data page."
    )
    st.stop()

viewer = auth.current_viewer(current_store)
if viewer is None or viewer.role == "none":
    st.error("This account has no role in Good to Great. Ask the service to set one up.")
    authenticator.logout("Sign out", "main", key="g2g_sign_out_norole")
    st.stop()
st.session_state["viewer"] = viewer

with st.sidebar:
    st.write(f"Signed in as **{st.session_state.get('name') or viewer.username}**")
    st.caption(
        {
            "director": "Assistant Director",
            "adviser": "Adviser",
            "head": "Headteacher",
            "governor": "Governor",
        }[viewer.role]
    )
    authenticator.logout("Sign out", "sidebar", key="g2g_sign_out")

pages = {
    "overview": st.Page(
        "pages/overview.py", title="Borough overview", icon=":material/dashboard:", url_path="overview"
    ),
    "attention": st.Page(
        "pages/attention.py", title="Attention", icon=":material/flag:", url_path="attention"
    ),
    "school": st.Page("pages/school.py", title="School", icon=":material/school:", url_path="school"),
    "policy": st.Page("pages/policy.py", title="Policy", icon=":material/gavel:", url_path="policy"),
}
by_role = {
    "director": ["overview", "attention", "school", "policy"],
    "adviser": ["overview", "attention", "school", "policy"],
    "head": ["school", "policy"],
    "governor": ["school", "policy"],
}
st.navigation([pages[name] for name in by_role[viewer.role]]).run()

"""Good to Great: the entry script. Signs the visitor in, builds the pages their role allows, runs one."""

import streamlit as st

from g2g_core.store import STORES, DataError
from ui import auth
from ui.data import data_dir, store

st.set_page_config(page_title="Good to Great", page_icon=":material/school:", layout="wide")

try:
    auth.check_production()
    authenticator = auth.authenticator()
except auth.ConfigurationError as err:
    st.error(f"The app cannot start: {err}")
    st.stop()

PAGES = {  # name: (file, title, icon, url path)
    "overview": ("pages/overview.py", "Borough overview", ":material/dashboard:", "overview"),
    "schools": ("pages/schools.py", "Schools", ":material/list:", "schools"),
    "attention": ("pages/attention.py", "Attention", ":material/flag:", "attention"),
    "school": ("pages/school.py", "School", ":material/school:", "school"),
    "what_if": ("pages/what_if.py", "What-if", ":material/tune:", "what-if"),
    "policy": ("pages/policy.py", "Policy", ":material/gavel:", "policy"),
    "data": ("pages/data.py", "Data", ":material/database:", "data"),
}
BY_ROLE = {
    "director": ["overview", "schools", "attention", "school", "what_if", "data", "policy"],
    "adviser": ["overview", "schools", "attention", "school", "policy"],
    "head": ["school", "policy"],
    "governor": ["school", "policy"],
}


def sign_in() -> None:
    """The sign-in form: all a signed-out visitor can see, whatever address they opened."""
    st.title("Good to Great")
    st.write("School improvement support levels. Sign in to continue.")
    auth.sign_in_form(authenticator)


# A browser holding the cookie of a live session is signed in at once (ui/auth.py checks the session).
auth.restore_session()
if st.session_state.get("authentication_status") is not True:
    # Every address serves the sign-in form, so the address (and its ?urn=...) survives signing in.
    signed_out = [
        st.Page(sign_in, title="Sign in", url_path=spec[3], default=(i == 0))
        for i, spec in enumerate(PAGES.values())
    ]
    st.navigation(signed_out, position="hidden").run()
    if st.session_state.get("authentication_status") is True:
        # No st.rerun() here: it would cancel the component that writes the sign-in cookie. That component
        # starts the next run itself a moment later, and that run shows the pages of the role.
        st.write("Signed in. Opening your pages…")
    st.stop()

try:
    current_store = store()
except DataError as err:
    st.error(
        f"The data in {data_dir().name} cannot be used yet ({len(err.problems)} problem(s)). Ask a director to check the Data page."
    )
    st.stop()

viewer = auth.current_viewer(current_store)
if viewer is None:  # the session ended on the server (signed out elsewhere, account removed, too old)
    st.rerun()
if viewer.role == "none":
    st.error("This account has no role in Good to Great. Ask the service to set one up.")
    auth.sign_out_button(authenticator, "main", key="g2g_sign_out_norole")
    st.stop()
st.session_state["viewer"] = viewer
if viewer.role == "director" and STORES.last_problems.get(str(data_dir().resolve())):
    # Newer files are broken: the last good version is still served (g2g_core.store.StoreCache).
    st.warning(
        f"The newest data files could not be loaded, so the data loaded at {current_store.loaded_at:%-d %B %Y %H:%M} "
        "are still shown. The Data page lists what is wrong."
    )

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
    auth.sign_out_button(authenticator, "sidebar", key="g2g_sign_out")
if st.session_state.get("authentication_status") is not True:
    # Signed out on this run: draw nothing of the page. No st.rerun() here: it would cancel the component that
    # deletes the sign-in cookie. That component starts the next run itself, and that run shows the sign-in form.
    st.session_state.pop("viewer", None)
    st.write("Signed out.")
    st.stop()

pages = [
    st.Page(PAGES[name][0], title=PAGES[name][1], icon=PAGES[name][2], url_path=PAGES[name][3])
    for name in BY_ROLE[viewer.role]
]
st.navigation(pages).run()

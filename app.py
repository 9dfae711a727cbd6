"""Good to Great: the entry script. Signs the visitor in, builds the pages their role allows, runs one."""

import streamlit as st

from g2g_core.store import STORES, DataError
from g2g_core.vocabulary import ROLE_NAMES
from ui import auth
from ui.data import data_dir, store
from ui.navigation import signed_in_navigation, signed_out_navigation

st.set_page_config(page_title="Good to Great", page_icon=":material/school:", layout="wide")

try:
    auth.check_production()
    authenticator = auth.authenticator()
except auth.ConfigurationError as err:
    st.error(f"The app cannot start: {err}")
    st.stop()


def sign_in() -> None:
    """The sign-in form: all a signed-out visitor can see, whatever address they opened."""
    st.title("Good to Great")
    st.write("School improvement support levels. Sign in to continue.")
    auth.sign_in_form(authenticator)


# A browser holding the cookie of a live session is signed in at once (ui/auth.py checks the session).
auth.restore_session()
if st.session_state.get("authentication_status") is not True:
    st.navigation(signed_out_navigation(sign_in), position="hidden").run()
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
    st.caption(ROLE_NAMES[viewer.role])
    auth.sign_out_button(authenticator, "sidebar", key="g2g_sign_out")
if st.session_state.get("authentication_status") is not True:
    # Signed out on this run: draw nothing of the page. No st.rerun() here: it would cancel the component that
    # deletes the sign-in cookie. That component starts the next run itself, and that run shows the sign-in form.
    st.session_state.pop("viewer", None)
    st.write("Signed out.")
    st.stop()

st.navigation(signed_in_navigation(viewer.role)).run()

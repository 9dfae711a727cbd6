"""People: who may sign in with the authority's own accounts, in which role, for which school, and when they last did.

Director only. With `G2G_SIGNIN_MODE=oidc` the people register decides who is who (g2g_core.identity); with the
accounts file it can be prepared before the switch. Every change goes to the audit log.
"""

from datetime import datetime

import polars as pl
import streamlit as st

from g2g_core import identity
from g2g_core.audit import audit_log
from g2g_core.views import visible_schools
from g2g_core.vocabulary import ROLE_NAMES, ROLES
from ui import auth, data
from ui.components import page_header

viewer = auth.page_viewer()
page_header(
    "People", "Who may sign in with the council's own accounts, in which role, and when they last did."
)
if viewer.role != "director":
    st.warning("Only the Assistant Director's team can see and change the people register.")
    st.stop()

store = data.store()
register = identity.people_register(data.data_dir())
log = audit_log(data.data_dir())
schools = visible_schools(store, viewer, store.default_as_of())
SCHOOL_NAMES = dict(zip(schools["urn"].to_list(), schools["name"].to_list(), strict=True))
FROM_ACCOUNT = "From their account's app role"
ROLE_CHOICES = [FROM_ACCOUNT, *ROLES]

if not auth.oidc_mode():
    st.info(
        "People sign in with the accounts file at the moment. This register is used once the app is switched "
        "to the council's own accounts (see SECURITY.md)."
    )
if message := st.session_state.pop("people_message", None):
    st.success(message)

try:
    people = identity.register_rows(register, viewer)
except identity.PeopleError as err:
    st.error(str(err))
    st.stop()


def when(stamp: str | None) -> str:
    """A sign-in time in words, or 'Never'."""
    if not stamp:
        return "Never"
    return f"{datetime.fromisoformat(stamp):%-d %B %Y at %H:%M} UTC"


st.subheader("The register")
columns = {
    "Name": [p.name for p in people],
    "Role": [ROLE_NAMES.get(p.role or "", FROM_ACCOUNT) for p in people],
    "School": [
        f"{SCHOOL_NAMES.get(p.urn, 'not a school in the data')} ({p.urn})" if p.urn else "" for p in people
    ],
    "Adviser name in the data": [p.username or "" for p in people],
    "E-mail for the first sign-in": [p.email or "" for p in people],
    "Account": ["Linked" if p.subject else "Not signed in yet" for p in people],
    "Signed in last": [when(p.last_sign_in) for p in people],
    "As": [p.last_sign_in_as or "" for p in people],
}
table = pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))
if people:
    st.dataframe(table, hide_index=True, width="stretch")
else:
    st.write("Nobody is in the register yet.")

st.subheader("Add or change a person")
labels = {"": "A new person"} | {
    p.id: f"{p.name} ({ROLE_NAMES.get(p.role or '', FROM_ACCOUNT)})" for p in people
}
chosen = st.selectbox("Person", list(labels), format_func=labels.get, key="people_choice")
current = next((p for p in people if p.id == chosen), None)
with st.form("people_form"):
    name = st.text_input("Name", value=current.name if current else "")
    role = st.selectbox(
        "Role",
        ROLE_CHOICES,
        index=ROLE_CHOICES.index(current.role) if current and current.role else 0,
        format_func=lambda r: ROLE_NAMES.get(r, r),
    )
    email = st.text_input(
        "E-mail for the first sign-in", value=(current.email or "") if current else "", autocomplete="off"
    )
    subject = st.text_input(
        "Account subject (filled in at the first sign-in)",
        value=(current.subject or "") if current else "",
        autocomplete="off",
    )
    urn = st.text_input(
        "School URN (headteachers and governors)",
        value=str(current.urn) if current and current.urn else "",
        autocomplete="off",
    )
    username = st.text_input(
        "Adviser name in the data (advisers)",
        value=(current.username or "") if current else "",
        autocomplete="off",
    )
    saved = st.form_submit_button("Save")
if saved:
    try:
        person = identity.clean_person(
            name=name,
            role=None if role == FROM_ACCOUNT else role,
            subject=subject,
            email=email,
            urn=urn,
            username=username,
            id=current.id if current else None,
        )
        identity.save_person(register, viewer, person, log)
    except identity.PeopleError as err:
        st.error(str(err))
    else:
        st.session_state["people_message"] = f"Saved {person.name}."
        st.rerun()
if current is not None and st.button(f"Remove {current.name}", key="people_remove"):
    identity.remove_person(register, viewer, current.id, log)
    st.session_state["people_message"] = f"Removed {current.name}."
    st.session_state.pop("people_choice", None)
    st.rerun()

"""The People page in the default accounts mode: the director can prepare the register; nobody else sees it."""

from __future__ import annotations

import pytest
from support.pages import frames, titles

from g2g_core.identity import people_register


def test_the_director_prepares_the_register_before_the_switch(as_role, data_dir):
    at = as_role("director").run()
    at = at.switch_page("app_pages/people.py").run()
    assert not at.exception, at.exception
    assert titles(at) == ["People"]
    assert any("accounts file" in i.value for i in at.info)
    assert not frames(at)  # nobody in the register yet
    fields = {t.label: t for t in at.text_input}
    fields["Name"].input("Sam Brennan")
    fields["E-mail for the first sign-in"].input("sam.brennan@wexmoor.example")
    fields["Adviser name in the data (advisers)"].input("lama.brennan")
    [role] = [s for s in at.selectbox if s.label == "Role"]
    role.set_value("adviser")
    at = at.button(key="FormSubmitter:people_form-Save").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["Saved Sam Brennan."]
    (table,) = frames(at)
    assert table.to_dict("records") == [
        {
            "Name": "Sam Brennan",
            "Role": "Adviser",
            "School": "",
            "Adviser name in the data": "lama.brennan",
            "E-mail for the first sign-in": "sam.brennan@wexmoor.example",
            "Account": "Not signed in yet",
            "Signed in last": "Never",
            "As": "",
        }
    ]
    (person,) = people_register(data_dir).people()
    at.selectbox(key="people_choice").set_value(person.id).run()
    at = at.button(key="people_remove").click().run()
    assert not at.exception, at.exception
    assert people_register(data_dir).people() == []


@pytest.mark.parametrize("role", ["adviser", "head", "governor"])
def test_nobody_but_the_director_has_the_people_page(as_role, role):
    at = as_role(role).run()
    assert not at.exception, at.exception
    with pytest.raises(ValueError):
        at.switch_page("app_pages/people.py")

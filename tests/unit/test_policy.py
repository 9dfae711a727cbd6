"""The policy configuration (SPEC §3): the shipped files, every field described, bad files refused by key."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from pydantic import BaseModel

import g2g_core.policy as policy_module
from g2g_core.policy import LEVELS, SHIPPED_DIR, PolicyError, load_policy


def test_the_shipped_2023_policy_loads_with_the_appendix_3_figures():
    """SPEC §1.1 / §3.

    3 SIP visits at every level; focused +14 h a year, enhanced up to 14 h a term, intensive at least 14 h a
    term with an LA review each term; exit target 4 terms; graces 14/14/30; 25 %.
    """
    policy = load_policy("2023")
    assert [policy.level(lv).visits_for("primary") for lv in LEVELS] == [3, 3, 3, 3, 3]
    assert [policy.level(lv).visits_for("secondary") for lv in LEVELS] == [3, 3, 3, 3, 3]
    focused, enhanced = policy.level("focused"), policy.level("enhanced")
    assert (focused.additional_hours, focused.additional_hours_per, focused.additional_hours_bound) == (
        14,
        "year",
        "maximum",
    )
    assert (enhanced.additional_hours, enhanced.additional_hours_per, enhanced.additional_hours_bound) == (
        14,
        "term",
        "maximum",
    )
    for lv in ("intensive_a", "intensive_b"):
        intensive = policy.level(lv)
        assert (intensive.additional_hours, intensive.additional_hours_per) == (14, "term")
        assert intensive.additional_hours_bound == "minimum"
        assert intensive.la_review_each_term
        assert intensive.plan_types == ("single_action_plan",)
    assert policy.level("core").additional_hours == 0
    assert policy.sip_visit_hours == 3.5
    assert policy.intensive_exit_terms == 4
    assert (policy.grace_days.review, policy.grace_days.letter, policy.grace_days.plan) == (14, 14, 30)
    assert policy.hours_tolerance == 0.25
    assert (policy.terms.autumn_starts, policy.terms.spring_starts, policy.terms.summer_starts) == (
        "09-01",
        "01-01",
        "04-01",
    )


def test_the_default_policy_is_the_2023_file():
    """Without a path or G2G_POLICY_FILE, the shipped 2023 figures are in force."""
    assert load_policy() == load_policy("2023")


def test_the_2019_policy_expresses_the_older_figures():
    """SPEC §1.1.

    2019 had two SIP visits for nursery/primary core schools and three for secondary/special; focused schools
    had 7 hours a year and enhanced up to 7 hours a term.
    """
    policy = load_policy("2019")
    core = policy.level("core")
    assert core.visits_for("nursery") == 2
    assert core.visits_for("primary") == 2
    assert core.visits_for("secondary") == 3
    assert core.visits_for("special") == 3
    focused, enhanced = policy.level("focused"), policy.level("enhanced")
    assert (focused.additional_hours, focused.additional_hours_per) == (7, "year")
    assert focused.hours_per_term() == pytest.approx(7 / 3)
    assert (enhanced.additional_hours, enhanced.additional_hours_per, enhanced.additional_hours_bound) == (
        7,
        "term",
        "maximum",
    )
    assert policy.level("intensive_a").additional_hours == 14


def test_yearly_hours_are_divided_by_three_for_a_term():
    """Focused 14 h a year is 14/3 h a term; enhanced 14 h a term stays 14."""
    policy = load_policy("2023")
    assert policy.level("focused").hours_per_term() == pytest.approx(14 / 3)
    assert policy.level("enhanced").hours_per_term() == 14


def _models() -> list[type[BaseModel]]:
    return [
        obj
        for _, obj in inspect.getmembers(policy_module, inspect.isclass)
        if issubclass(obj, BaseModel) and obj.__module__ == policy_module.__name__ and obj.model_fields
    ]


def test_every_field_of_every_policy_model_is_described():
    """STYLE habit 3: the Policy page renders the model, so every field needs a description."""
    models = _models()
    assert {m.__name__ for m in models} >= {"Policy", "Terms", "LevelSupport", "GraceDays", "OfstedMapping"}
    undescribed = [
        f"{model.__name__}.{name}"
        for model in models
        for name, field in model.model_fields.items()
        if not (field.description or "").strip()
    ]
    assert undescribed == []


def _shipped_text() -> str:
    return (SHIPPED_DIR / "2023.toml").read_text(encoding="utf-8")


def _write_policy(tmp_path: Path, text: str, name: str = "policy.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_misspelt_key_is_refused_naming_the_key(tmp_path):
    """`sip_visits_a_yr` is not a key of a level: the error names levels.core.sip_visits_a_yr."""
    text = _shipped_text().replace("[levels.core]\n", "[levels.core]\nsip_visits_a_yr = 3\n", 1)
    with pytest.raises(PolicyError) as err:
        load_policy(_write_policy(tmp_path, text))
    assert "levels.core.sip_visits_a_yr" in str(err.value)
    assert "unknown key" in str(err.value)


def test_negative_hours_are_refused_naming_the_key(tmp_path):
    """Additional hours must be >= 0: the error names levels.focused.additional_hours and the value."""
    text = _shipped_text().replace(
        'additional_hours = 14\nadditional_hours_per = "year"',
        'additional_hours = -14\nadditional_hours_per = "year"',
    )
    assert "additional_hours = -14" in text
    with pytest.raises(PolicyError) as err:
        load_policy(_write_policy(tmp_path, text))
    assert "levels.focused.additional_hours" in str(err.value)
    assert "-14" in str(err.value)


@pytest.mark.parametrize(
    ("bad", "named"),
    [
        ('autumn_starts = "9/1"', "terms.autumn_starts"),  # not MM-DD
        ('autumn_starts = "13-01"', "autumn_starts"),  # no 13th month
        ('autumn_starts = "02-30"', "autumn_starts"),  # no day 30 (and not 1-28)
    ],
)
def test_a_bad_term_date_is_refused_naming_the_key(tmp_path, bad, named):
    """A term start must be a real MM-DD with a day of 1-28."""
    text = _shipped_text().replace('autumn_starts = "09-01"', bad)
    with pytest.raises(PolicyError) as err:
        load_policy(_write_policy(tmp_path, text))
    assert named in str(err.value)


def test_terms_out_of_order_are_refused(tmp_path):
    """Spring must start before summer within a calendar year."""
    text = (
        _shipped_text()
        .replace('summer_starts = "04-01"', 'summer_starts = "01-01"')
        .replace('spring_starts = "01-01"', 'spring_starts = "04-01"')
    )
    with pytest.raises(PolicyError) as err:
        load_policy(_write_policy(tmp_path, text))
    assert "terms" in str(err.value)


def test_a_missing_level_is_refused_naming_it(tmp_path):
    """Every level needs its figures."""
    text = _shipped_text()
    start = text.index("[levels.intensive_b]")
    with pytest.raises(PolicyError) as err:
        load_policy(_write_policy(tmp_path, text[:start]))
    assert "intensive_b" in str(err.value)


def test_a_file_that_is_not_toml_or_not_there_is_refused_clearly(tmp_path):
    """The message names the file."""
    broken = _write_policy(tmp_path, "levels = [", "broken.toml")
    with pytest.raises(PolicyError, match="broken.toml"):
        load_policy(broken)
    with pytest.raises(PolicyError, match="not found"):
        load_policy(tmp_path / "absent.toml")


def test_g2g_policy_file_chooses_the_policy_in_force(tmp_path, monkeypatch):
    """G2G_POLICY_FILE names the file load_policy() reads when no path is given."""
    text = _shipped_text().replace('name = "Good to Great 2023"', 'name = "Our borough 2026"')
    text = text.replace("intensive_exit_terms = 4", "intensive_exit_terms = 3")
    path = _write_policy(tmp_path, text, "ours.toml")
    monkeypatch.setenv("G2G_POLICY_FILE", str(path))
    policy = load_policy()
    assert (policy.name, policy.intensive_exit_terms) == ("Our borough 2026", 3)
    monkeypatch.setenv("G2G_POLICY_FILE", "2019")
    assert load_policy().name == "Good to Great 2019"

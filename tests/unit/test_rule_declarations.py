"""The attention rules as declared: keywords only, suppression a field, council-only rules never run for schools."""

from __future__ import annotations

import pytest

from g2g_core.access import Viewer
from g2g_core.rules import ESCALATIONS, RULE_BY_ID, RULES, Rule, rules_for


def test_a_rule_is_declared_with_keywords_only():
    with pytest.raises(TypeError):
        Rule("X", "exit", "t", "1.1", {"info": "m"}, "a", "exit_ready")  # type: ignore[misc]
    rule = Rule(
        id="X", kind="exit", title="t", policy_ref="1.1", messages={"info": "m"}, action="a", query="q"
    )
    assert rule.suppressed_by == () and rule.council_only is False


def test_exit_ready_is_suppressed_by_every_escalation_and_nothing_else_is_suppressed():
    assert set(RULE_BY_ID["EXIT_READY"].suppressed_by) == set(ESCALATIONS)
    assert [r.id for r in RULES if r.suppressed_by] == ["EXIT_READY"]


@pytest.mark.parametrize("role", ["head", "governor"])
def test_a_school_side_viewer_runs_no_council_only_rule(role):
    viewer = Viewer("someone", role, frozenset({900001}))
    run = {r.id for r in rules_for(viewer)}
    assert run == {r.id for r in RULES if not r.council_only}
    assert "ESC_RISK" not in run


@pytest.mark.parametrize("role", ["director", "adviser"])
def test_council_staff_run_every_rule(role):
    viewer = Viewer("someone", role, None if role == "director" else frozenset({900001}))
    assert rules_for(viewer) == RULES

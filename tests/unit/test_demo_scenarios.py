"""The demo borough's scenario table: one registered function per scenario school, each declared once."""

from __future__ import annotations

from g2g_core.demo import BLOCK, SCENARIOS
from g2g_core.demo.scenarios import SCENARIO_AT, TABLE
from g2g_core.rules import RULE_BY_ID, RULES


def test_each_scenario_has_one_slot_in_the_block_in_order():
    slots = [sc.slot for sc in TABLE]
    assert slots == sorted(set(slots)) and all(0 <= s < BLOCK for s in slots)
    assert SCENARIOS == tuple((sc.slot, sc.shows, sc.rule) for sc in TABLE)
    assert {slot: sc.build for slot, sc in SCENARIO_AT.items()} == {sc.slot: sc.build for sc in TABLE}


def test_each_scenario_names_a_declared_rule_and_every_rule_has_one():
    named = {sc.rule for sc in TABLE if sc.rule is not None}
    assert named <= set(RULE_BY_ID)
    assert named == {r.id for r in RULES}


def test_each_description_is_declared_once():
    shows = [sc.shows for sc in TABLE]
    assert len(shows) == len(set(shows)) and all(s.strip() for s in shows)
    assert len({sc.build for sc in TABLE}) == len(TABLE)

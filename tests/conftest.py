"""Shared fixtures: a hand-made borough in a temporary directory, and the shipped policy in force."""

from __future__ import annotations

import pytest
from fixtures import Borough, flags_of


@pytest.fixture(autouse=True)
def _shipped_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs under the shipped 2023 policy unless it chooses another."""
    monkeypatch.delenv("G2G_POLICY_FILE", raising=False)


@pytest.fixture
def borough(tmp_path) -> Borough:
    """An empty borough whose files will be written to a temporary data directory."""
    return Borough(tmp_path / "data")


@pytest.fixture
def flags():
    """`flags_of(directory, as_of, viewer=None, policy=None)` -> [(urn, rule, severity, since)]."""
    return flags_of

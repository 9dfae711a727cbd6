"""Shared fixtures: a hand-made borough, the demo borough (once a session, or a copy per test), the shipped policy."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures import Borough, flags_of
from support.demo import copy_of, write_demo_borough


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


@pytest.fixture(scope="session")
def demo_source(tmp_path_factory) -> Path:
    """The Wexmoor demo borough, written once for the session (as of 18 May 2026); never written to."""
    return write_demo_borough(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def demo_copy(tmp_path, demo_source) -> Path:
    """A copy of the demo borough of this test's own (uploads, audit entries and faults stay in it)."""
    return copy_of(demo_source, tmp_path)

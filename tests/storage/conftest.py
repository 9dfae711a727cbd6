"""Fixtures of the storage suite.

A throw-away PostgreSQL cluster for the session, a fresh database a test, and `backend`, which runs a test
once against the files-and-memory storage and once against PostgreSQL.
"""

from __future__ import annotations

import pytest
from support.postgres import Cluster


@pytest.fixture(scope="session")
def pg_cluster():
    cluster = Cluster()
    yield cluster
    cluster.remove()


@pytest.fixture
def pg_url(pg_cluster, monkeypatch) -> str:
    """A new empty database, in force through G2G_DATABASE_URL; its pools closed at the end."""
    from g2g_core import storage

    url = pg_cluster.database()
    monkeypatch.setenv("G2G_DATABASE_URL", url)
    yield url
    storage.close_databases()


@pytest.fixture(params=["files", "postgres"])
def backend(request, monkeypatch, tmp_path) -> str:
    """Run the test against each implementation: 'files' (default, no database) or 'postgres'."""
    from g2g_core import storage

    monkeypatch.delenv("G2G_DATA_URL", raising=False)
    if request.param == "postgres":
        request.getfixturevalue("pg_url")
    else:
        monkeypatch.delenv("G2G_DATABASE_URL", raising=False)
    yield request.param
    storage.close_databases()

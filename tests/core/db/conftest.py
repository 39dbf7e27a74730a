"""Fixtures for the database-plumbing tests: empty databases and bare ``Database`` objects."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from core.db import Database
from tests.conftest import skip_or_fail


def _postgres_schema_url(base_url: str, schema: str) -> str:
    """``base_url`` with a search path that puts every table into ``schema``."""
    url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", "postgres"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database (no tables, no alembic_version) per backend.

    On PostgreSQL a throwaway schema inside the test database keeps migration tests from
    disturbing the session-wide ``public`` schema the other tests use.
    """
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    base_url = os.environ.get("GELAR_TEST_DATABASE_URL")
    if not base_url:
        skip_or_fail("postgres", "GELAR_TEST_DATABASE_URL is not set")
    assert base_url is not None
    schema = f"gelar_mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base_url)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # any connection problem means "no PostgreSQL"
        admin.dispose()
        skip_or_fail("postgres", f"PostgreSQL is not reachable: {exc}")
    try:
        yield _postgres_schema_url(base_url, schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """A bare :class:`Database` (no Flask app) on a fresh migrated database, per backend."""
    db = Database(database_url, busy_timeout_ms=15000)
    yield db
    db.dispose()


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    """A migrated, empty SQLite file database (SQLite-only tests)."""
    path = tmp_path / "gelar.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def sqlite_database(sqlite_url: str) -> Iterator[Database]:
    """A bare :class:`Database` on a migrated SQLite file, busy timeout 2 s."""
    db = Database(sqlite_url, busy_timeout_ms=2000)
    yield db
    db.dispose()

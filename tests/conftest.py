"""Shared fixtures: ``app``, ``client``, ``runner``, ``auth``, ``db`` on SQLite and PostgreSQL.

Every test that uses ``app`` runs once per database backend: SQLite always, PostgreSQL
when ``GELAR_TEST_DATABASE_URL`` is set.  ``GELAR_TEST_REQUIRE=postgres,browser`` turns a
missing database or browser into a failure instead of a skip (CI sets it).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from core import create_app
from core.db import get_db
from core.models import Event, User
from core.services import accounts, events, plugin_settings, roles

PASSWORD = "correct-horse-battery"
TEST_SECRET = "test-secret-key-that-is-long-enough-for-production-checks"


def required(what: str) -> bool:
    """Whether CI demands ``what`` (``postgres``, ``browser``) instead of skipping."""
    wanted = {p.strip() for p in os.environ.get("GELAR_TEST_REQUIRE", "").split(",") if p.strip()}
    return what in wanted


def skip_or_fail(what: str, reason: str) -> None:
    """Skip the test, or fail it when ``GELAR_TEST_REQUIRE`` names ``what``."""
    if required(what):
        pytest.fail(f"{reason} (required by GELAR_TEST_REQUIRE)")
    pytest.skip(reason)


def _backends() -> list[str]:
    return ["sqlite", "postgres"]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file migrated to head once; each test gets a copy."""
    from core import migrate

    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    migrate.upgrade(f"sqlite:///{path}")
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.exec_driver_sql("PRAGMA journal_mode=DELETE")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The PostgreSQL test database, emptied and migrated to head once per session."""
    url = os.environ.get("GELAR_TEST_DATABASE_URL")
    if not url:
        skip_or_fail("postgres", "GELAR_TEST_DATABASE_URL is not set")
    assert url is not None
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    except Exception as exc:
        skip_or_fail("postgres", f"PostgreSQL is not reachable: {exc}")
    finally:
        engine.dispose()
    from core import migrate

    migrate.upgrade(url)
    return url


def _truncate_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        tables = [
            row[0]
            for row in conn.execute(
                text(
                    "SELECT tablename FROM pg_tables"
                    " WHERE schemaname = 'public' AND tablename != 'alembic_version'"
                )
            )
        ]
        if tables:
            conn.execute(
                text(
                    "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"
                )
            )
    engine.dispose()


@pytest.fixture(params=_backends())
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated, empty database for one test (per backend)."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "gelar.sqlite3"
        shutil.copy(template, path)
        yield f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres_url")
        _truncate_postgres(url)
        yield url


@pytest.fixture
def backend(database_url: str) -> str:
    """``sqlite`` or ``postgresql`` for the current test."""
    return "sqlite" if database_url.startswith("sqlite") else "postgresql"


@pytest.fixture
def app_config(database_url: str, tmp_path: Path) -> dict[str, Any]:
    """The configuration the ``app`` fixture is built with (override to change it)."""
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SECRET_KEY": TEST_SECRET,
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": "gelar.test",
        "RATELIMIT_ENABLED": True,
    }


@pytest.fixture
def app(app_config: dict[str, Any]) -> Iterator[Flask]:
    """A Gelar app on a fresh database."""
    application = create_app(app_config)
    yield application
    get_db(application).dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A CLI runner for ``gelar`` commands."""
    return app.test_cli_runner()


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    """A session on the test database (commit what you want the app to see)."""
    session = get_db(app).new_session()
    yield session
    session.rollback()
    session.close()


@pytest.fixture
def registry(app: Flask) -> Any:
    """The app's plugin registry."""
    return app.extensions["gelar_plugins"]


class Factory:
    """Creates users and events directly through the services (committed)."""

    def __init__(self, app: Flask, session: Session) -> None:
        self.app = app
        self.session = session

    def user(
        self,
        email: str = "user@example.id",
        name: str = "Test User",
        *,
        admin: bool = False,
        password: str | None = PASSWORD,
        verified: bool = True,
    ) -> User:
        user = accounts.create_user(
            self.session,
            email=email,
            name=name,
            password=password,
            is_admin=admin,
            verified=verified,
        )
        self.session.commit()
        return user

    def event(
        self,
        slug: str = "jatim-2026",
        *,
        plugins: list[str] | None = None,
        status: str = "published",
        organizer: User | None = None,
        starts_on: date = date(2026, 12, 10),
        ends_on: date = date(2026, 12, 11),
    ) -> Event:
        event = events.create_event(
            self.session,
            slug=slug,
            name=f"Event {slug}",
            year=starts_on.year,
            venue="Surabaya",
            starts_on=starts_on,
            ends_on=ends_on,
            status=status,
        )
        plugin_settings.set_enabled_plugins(
            self.session, self.app.extensions["gelar_plugins"], event, plugins or []
        )
        if organizer is not None:
            roles.appoint(self.session, event, email=organizer.email, role="organizer")
        self.session.commit()
        return event


@pytest.fixture
def make(app: Flask, db: Session) -> Factory:
    """Factory for users and events."""
    return Factory(app, db)


class AuthActions:
    """Sign in and out through the real forms."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(self, email: str = "user@example.id", password: str = PASSWORD) -> Any:
        return self._client.post("/auth/login", data={"email": email, "password": password})

    def logout(self) -> Any:
        return self._client.post("/auth/logout")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    """Sign-in helper bound to ``client``."""
    return AuthActions(client)


@pytest.fixture
def api_token(client: FlaskClient) -> Any:
    """Return a function giving bearer headers for an e-mail/password."""

    def _token(email: str, password: str = PASSWORD) -> dict[str, str]:
        response = client.post("/api/v1/auth/token", json={"email": email, "password": password})
        assert response.status_code == 200, response.get_json()
        return {"Authorization": f"Bearer {response.get_json()['token']}"}

    return _token


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing() -> Iterator[None]:
    """Cheap Argon2 parameters for the suite; production keeps argon2-cffi's defaults.

    Hashes stay Argon2id (the format is checked), only the cost is lowered so hundreds of
    sign-ins do not dominate the run.
    """
    from argon2 import PasswordHasher

    from core.services import accounts

    saved = accounts._hasher, accounts._DUMMY_HASH
    accounts._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    accounts._DUMMY_HASH = accounts._hasher.hash("gelar-timing-equaliser")
    yield
    accounts._hasher, accounts._DUMMY_HASH = saved

"""SQLite connection settings: WAL, foreign keys, busy timeout, IMMEDIATE vs DEFERRED BEGIN."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event, select, text

from core import create_app
from core.db import Database, get_db, get_session
from core.models import Event
from tests.conftest import TEST_SECRET


def _raw_writer_is_blocked(database_path: str) -> bool:
    """Whether another connection (not waiting at all) is refused a write lock right now."""
    raw = sqlite3.connect(database_path, timeout=0, isolation_level=None)
    try:
        raw.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        assert "database is locked" in str(exc)
        return True
    else:
        raw.execute("ROLLBACK")
        return False
    finally:
        raw.close()


def test_file_database_pragmas(sqlite_url: str) -> None:
    """Every connection has WAL, foreign keys on, the busy timeout and synchronous=NORMAL."""
    database = Database(sqlite_url, busy_timeout_ms=4321)
    try:
        with database.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one() == 4321
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar_one() == 1
    finally:
        database.dispose()


def test_memory_database_gets_keys_and_timeout_but_no_wal() -> None:
    """An in-memory database cannot use WAL; the other settings still apply."""
    database = Database("sqlite://", busy_timeout_ms=1234)
    try:
        with database.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "memory"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one() == 1234
    finally:
        database.dispose()


def test_write_session_begins_immediate(sqlite_database: Database, sqlite_url: str) -> None:
    """A write session takes the write lock at BEGIN, before its first statement writes."""
    path = sqlite_url.removeprefix("sqlite:///")
    session = sqlite_database.new_session(write=True)
    try:
        session.execute(select(Event.id)).all()
        assert _raw_writer_is_blocked(path)
    finally:
        session.close()
    assert not _raw_writer_is_blocked(path)


def test_read_session_begins_deferred(sqlite_database: Database, sqlite_url: str) -> None:
    """A read session holds no write lock, so writers go ahead while it reads."""
    path = sqlite_url.removeprefix("sqlite:///")
    session = sqlite_database.new_session(write=False)
    try:
        session.execute(select(Event.id)).all()
        assert not _raw_writer_is_blocked(path)
    finally:
        session.close()


def test_read_session_keeps_its_snapshot_while_a_writer_commits(
    sqlite_database: Database,
) -> None:
    """WAL: a reader is not blocked by, and does not see, a concurrent commit."""
    reader = sqlite_database.new_session(write=False)
    try:
        assert reader.execute(text("SELECT count(*) FROM organizations")).scalar_one() == 0
        with sqlite_database.transaction() as writer:
            writer.execute(
                text(
                    "INSERT INTO organizations (name, kind, region, created_at) "
                    "VALUES ('Dinas', 'government', '', '2026-01-01 00:00:00')"
                )
            )
        assert reader.execute(text("SELECT count(*) FROM organizations")).scalar_one() == 0
        reader.rollback()
        assert reader.execute(text("SELECT count(*) FROM organizations")).scalar_one() == 1
    finally:
        reader.close()


@pytest.mark.parametrize(("method", "blocks_writers"), [("GET", False), ("POST", True)])
def test_request_session_mode_follows_http_method(
    sqlite_url: str, tmp_path: Path, method: str, blocks_writers: bool
) -> None:
    """GET requests read in DEFERRED transactions; state-changing requests BEGIN IMMEDIATE."""
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": sqlite_url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SECRET_KEY": TEST_SECRET,
        }
    )
    try:
        with app.test_request_context("/", method=method):
            get_session().execute(select(Event.id)).all()
            assert _raw_writer_is_blocked(sqlite_url.removeprefix("sqlite:///")) is blocks_writers
        assert not _raw_writer_is_blocked(sqlite_url.removeprefix("sqlite:///"))
    finally:
        get_db(app).dispose()


def test_autocommit_connection_commits_each_statement_and_leaves_no_trace(
    sqlite_url: str,
) -> None:
    """No BEGIN, no held lock, and the pooled connection keeps Gelar's driver settings."""
    database = Database(sqlite_url)
    statements: list[str] = []
    try:
        with database.transaction() as session:
            session.execute(text("CREATE TABLE probe (n INTEGER)"))
        event.listen(
            database.engine,
            "before_cursor_execute",
            lambda _c, _cur, statement, *_a: statements.append(statement),
        )
        with database.autocommit_connection() as connection:
            connection.execute(text("INSERT INTO probe VALUES (1)"))
            assert not _raw_writer_is_blocked(sqlite_url.removeprefix("sqlite:///"))
        assert statements == ["INSERT INTO probe VALUES (1)"]
        with database.engine.connect() as connection:
            assert connection.connection.dbapi_connection.isolation_level is None
            assert connection.execute(text("SELECT COUNT(*) FROM probe")).scalar_one() == 1
        assert statements[-2:] == ["BEGIN IMMEDIATE", "SELECT COUNT(*) FROM probe"]
    finally:
        database.dispose()

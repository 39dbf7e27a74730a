"""Database plumbing: the declarative base, engines and per-request sessions.

Decisions written down here:

* One ``MetaData`` with a constraint naming convention, shared by core and every plugin,
  so Alembic produces stable names on SQLite and PostgreSQL alike.
* SQLite is the embedded default.  Each connection turns on WAL, foreign keys and a busy
  timeout.  The pysqlite driver's own transaction handling is switched off and Gelar emits
  ``BEGIN`` itself: ``BEGIN IMMEDIATE`` for sessions that will write (every non-GET request,
  the CLI, services run outside a request) so concurrent writers queue on the busy timeout
  instead of failing with "database is locked" on lock upgrade, and a plain deferred
  ``BEGIN`` for read-only requests so readers never wait for writers.
* A deferred (read) transaction must never write: SQLite cannot queue the upgrade from a
  read lock to the write lock (it answers "database is locked" at once, the busy timeout
  does not apply, and a stale WAL snapshot can never be upgraded at all).  A GET that must
  write (a cache refresh, a "last seen" stamp) writes in its own short
  :meth:`Database.transaction`.  With ``strict_reads`` (on in tests, ``SQLITE_STRICT_READS``)
  a write on a read transaction raises :class:`WriteInReadTransaction` at once, so such a
  path fails every time in the suite instead of now and then under load; otherwise it is
  logged.  See ``docs/database.md``.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, cast

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import JSON, DateTime, MetaData, TypeDecorator, create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)
AUTOCOMMIT = "AUTOCOMMIT"
DEFERRED = "DEFERRED"
_WRITE_STATEMENT = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
log = logging.getLogger("gelar.db")
# What a request caches on ``g`` besides its session (cleared when the request ends).
REQUEST_SCOPED_G_KEYS = (
    "_login_user",
    "api_bearer",
    "api_token_id",
    "api_user",
    "csp_nonce",
    "event",
    "lean_event",
    "organizer_of",
    "user_session_id",
)


class WriteInReadTransaction(RuntimeError):
    """A statement tried to write inside a deferred (read-only) SQLite transaction."""


def sql_in(column: str, values: Iterable[str]) -> str:
    """SQL text ``column IN ('a', 'b')`` for a check constraint over known constant values."""
    listed = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({listed})"


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored as UTC (SQLite keeps no offsets)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; attach a time zone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base for every Gelar table (core and plugins)."""

    metadata = metadata
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON(), list[Any]: JSON()}


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


def make_engine(
    url: str, *, busy_timeout_ms: int = 15000, strict_reads: bool = False, **kwargs: Any
) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys, busy timeout and explicit BEGINs.

    pysqlite's own ``timeout`` and the ``busy_timeout`` pragma set the same SQLite busy
    handler (both are given the same value); pysqlite's ``isolation_level`` is set to
    ``None`` on every new connection so the driver never opens a transaction of its own.
    ``strict_reads``: raise :class:`WriteInReadTransaction` instead of logging it.
    """
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False},
            **kwargs,
        )
        _configure_sqlite(engine, busy_timeout_ms, strict_reads)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


# A write transaction holding SQLite's lock longer than this is logged (others wait for it).
SLOW_WRITE_SECONDS = 2.0


def _configure_sqlite(engine: Engine, busy_timeout_ms: int, strict_reads: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # Gelar emits BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("gelar_begin", "IMMEDIATE")
        if mode == AUTOCOMMIT:
            return  # every statement is its own transaction (Database.autocommit_connection)
        connection.exec_driver_sql(f"BEGIN {mode}".strip())
        if mode == "IMMEDIATE":
            where = f"{request.method} {request.path}" if has_request_context() else "no request"
            connection.info["gelar_write_began"] = (time.monotonic(), where)

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _on_end(connection: Any) -> None:
        began, where = connection.info.pop("gelar_write_began", (None, ""))
        if began is None:
            return
        held = time.monotonic() - began
        if held > SLOW_WRITE_SECONDS:
            log.warning("SQLite write lock held %.1f s (%s): other writers waited", held, where)

    @event.listens_for(engine, "before_cursor_execute")
    def _no_write_in_read(connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if connection.get_execution_options().get("gelar_begin") != DEFERRED:
            return
        if not _WRITE_STATEMENT.match(statement):
            return
        message = (
            "a write inside a read-only (deferred) SQLite transaction cannot wait for the "
            "write lock; write in Database.transaction() instead: " + statement[:120]
        )
        if strict_reads:
            raise WriteInReadTransaction(message)
        log.warning(message)


class Database:
    """Holds the engine and hands out sessions; one per app, kept in ``app.extensions``."""

    def __init__(
        self, url: str, *, busy_timeout_ms: int = 15000, strict_reads: bool = False
    ) -> None:
        self.url = url
        self.strict_reads = strict_reads
        self.engine = make_engine(url, busy_timeout_ms=busy_timeout_ms, strict_reads=strict_reads)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        read_bind = self.engine.execution_options(gelar_begin=DEFERRED)
        self._write_factory = sessionmaker(bind=self.engine, expire_on_commit=False)
        self._read_factory = sessionmaker(bind=read_bind, expire_on_commit=False)

    def new_session(self, *, write: bool = True) -> Session:
        """Open a session; ``write=False`` starts deferred transactions on SQLite."""
        factory = self._write_factory if write or not self.is_sqlite else self._read_factory
        session = factory()
        session.info["gelar_write"] = write
        return session

    def autocommit_connection(self) -> Connection:
        """A Core connection in autocommit mode: each statement commits on its own.

        For hot paths whose work is a few single-statement reads and one atomic write
        (the people's-choice vote): no ``BEGIN``/``COMMIT`` round trips, no ORM session,
        and on SQLite the write lock is held only for the one writing statement.
        """
        if self.is_sqlite:
            # The driver already leaves transactions to Gelar; SQLAlchemy's AUTOCOMMIT level
            # would hand them back to the driver when the connection returns to the pool.
            return self.engine.connect().execution_options(gelar_begin=AUTOCOMMIT)
        return self.engine.connect().execution_options(isolation_level=AUTOCOMMIT)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A unit of work outside a request: commit on success, roll back on error.

        Inside a request (e.g. a GET that must write) it is a second connection: on SQLite
        it must not be opened while the request's own write session holds the lock, or it
        would wait for that lock until the busy timeout runs out.  That is refused at once
        (:class:`WriteInReadTransaction` with ``strict_reads``; logged otherwise).
        """
        self._check_not_waiting_for_own_request()
        session = self.new_session()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def _check_not_waiting_for_own_request(self) -> None:
        if not (self.is_sqlite and has_request_context()):
            return
        own = g.get("db_session")
        if own is None or not own.info.get("gelar_write") or not own.in_transaction():
            return
        message = (
            "Database.transaction() inside a request whose own session holds SQLite's write "
            "lock would wait for itself; commit the request session first"
        )
        if self.strict_reads:
            raise WriteInReadTransaction(message)
        log.warning(message)

    def dispose(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()


def get_db(app: Flask | None = None) -> Database:
    """Return the app's :class:`Database`."""
    return (app or current_app).extensions["gelar_db"]


def get_session() -> Session:
    """Return the request's session, opening it on first use (write mode unless GET/HEAD)."""
    if "db_session" not in g:
        write = True
        in_request = has_request_context()
        if in_request:
            write = request.method not in {"GET", "HEAD", "OPTIONS"}
        g.db_session = get_db().new_session(write=write)
        # Closed when its request ends, even if an outer application context lives on.
        g.db_session.info["gelar_request"] = in_request
    return g.db_session


def get_connection() -> Connection:
    """The request's autocommit Core connection (see :meth:`Database.autocommit_connection`).

    Opened on first use and closed when the request ends; lean views and the plugin gate
    of lean views share it, so a request checks out one pooled connection.

    If the request's session has begun a transaction by then — the API resolves a bearer
    token, Flask-Login a signed-in visitor, through it, and in a POST that is a
    ``BEGIN IMMEDIATE`` holding SQLite's write lock — that transaction is committed first.
    Otherwise a write on the autocommit connection would wait for the lock its own request
    holds, until the busy timeout runs out (issue 18: a vote sent with a bearer token).
    """
    session = g.get("db_session")
    if session is not None and session.in_transaction():
        session.commit()
    if "db_connection" not in g:
        g.db_connection = get_db().autocommit_connection()
    return cast(Connection, g.db_connection)


def is_busy_error(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite's "database is locked" (the busy timeout ran out)."""
    original = getattr(exc, "orig", exc)
    return isinstance(original, sqlite3.OperationalError) and (
        "database is locked" in str(original) or "database is busy" in str(original)
    )


def busy_response() -> Any:
    """The answer when the write lock did not come within the busy timeout: 503, retry.

    Every write path queues on ``BEGIN IMMEDIATE`` (see the module's docstring), so this
    only happens when one write held the lock longer than ``SQLITE_BUSY_TIMEOUT_MS``; the
    request's transaction is rolled back, nothing of it is stored, and the client may
    simply send it again.
    """
    from flask import jsonify, render_template
    from flask_babel import gettext as _

    from core.api import error_body

    log.warning("busy timeout ran out on %s %s", request.method, request.path)
    message = _("The database is busy. Please try again in a moment.")
    if request.path.startswith("/api/"):
        response = jsonify(error_body("database_busy", message))
    else:
        response = current_app.make_response(
            render_template("errors/error.html", status=503, message=message)
        )
    response.status_code = 503
    response.headers["Retry-After"] = "1"
    return response


def init_app(app: Flask, url: str) -> Database:
    """Create the app's database and close the request session on teardown."""
    strict = app.config.get("SQLITE_STRICT_READS")
    database = Database(
        url,
        busy_timeout_ms=app.config["SQLITE_BUSY_TIMEOUT_MS"],
        strict_reads=bool(app.testing if strict is None else strict),
    )
    app.extensions["gelar_db"] = database

    @app.errorhandler(OperationalError)
    def _database_busy(exc: OperationalError) -> Any:
        """503 + ``Retry-After`` when the busy timeout ran out; any other error stays a 500."""
        if not is_busy_error(exc):
            raise exc
        return busy_response()

    @app.teardown_request
    def _end_request_state(_exc: BaseException | None) -> None:
        """End what a request kept on ``g`` (its session, caches, signed-in user).

        Normally the request's application context ends with it; when an outer context was
        already pushed (a test or a CLI command making requests) it does not, and the next
        request must not inherit a transaction (on SQLite possibly a held write lock) or
        objects of a closed session.
        """
        session = g.get("db_session")
        if session is not None and session.info.get("gelar_request"):
            _close_session(_exc)
            for key in REQUEST_SCOPED_G_KEYS:
                g.pop(key, None)

    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.rollback()
            session.close()
        connection = g.pop("db_connection", None)
        if connection is not None:
            connection.close()

    return database

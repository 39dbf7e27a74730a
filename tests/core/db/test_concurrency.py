"""Concurrent read-modify-write through write sessions: no "database is locked", no lost update.

This is the pattern plugins use for counters and quotas: read the row inside a write session
(``SELECT ... FOR UPDATE``, which SQLite does not need because its write sessions begin
IMMEDIATE), change it, commit.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError

from core.db import Database
from core.models import OutboundMail

THREADS = 8
INCREMENTS = 50


def _counter(database: Database) -> int:
    with database.transaction() as session:
        row = OutboundMail(recipient="c@example.id", subject="counter", body_text="")
        session.add(row)
        session.flush()
        return row.id


def _read_counter(database: Database, counter_id: int) -> int:
    session = database.new_session(write=False)
    try:
        return session.scalars(
            select(OutboundMail.attempts).where(OutboundMail.id == counter_id)
        ).one()
    finally:
        session.close()


def _run_threads(work: Callable[[], None], count: int) -> list[BaseException]:
    errors: list[BaseException] = []

    def _guarded() -> None:
        try:
            work()
        except BaseException as exc:  # collected and asserted on
            errors.append(exc)

    threads = [threading.Thread(target=_guarded) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return errors


def test_read_modify_write_in_write_sessions_loses_nothing(database: Database) -> None:
    """N threads increment one row by reading it first; the final count is exact."""
    counter_id = _counter(database)

    def _increment_many() -> None:
        for _ in range(INCREMENTS):
            with database.transaction() as session:
                row = session.scalars(
                    select(OutboundMail).where(OutboundMail.id == counter_id).with_for_update()
                ).one()
                row.attempts = row.attempts + 1

    errors = _run_threads(_increment_many, THREADS)

    assert errors == []
    assert _read_counter(database, counter_id) == THREADS * INCREMENTS


def test_atomic_update_in_write_sessions_loses_nothing(database: Database) -> None:
    """The single-statement alternative: ``UPDATE ... SET n = n + 1``."""
    counter_id = _counter(database)

    def _increment_many() -> None:
        for _ in range(INCREMENTS):
            with database.transaction() as session:
                session.execute(
                    update(OutboundMail)
                    .where(OutboundMail.id == counter_id)
                    .values(attempts=OutboundMail.attempts + 1)
                )

    errors = _run_threads(_increment_many, THREADS)

    assert errors == []
    assert _read_counter(database, counter_id) == THREADS * INCREMENTS


def test_deferred_read_then_write_fails_on_sqlite(sqlite_database: Database) -> None:
    """Why writes BEGIN IMMEDIATE: two deferred readers that both then write collide.

    Both read the counter, then both try to write.  The second writer's snapshot is stale,
    so SQLite answers "database is locked" at once (the busy timeout cannot help) and its
    increment is lost.
    """
    counter_id = _counter(sqlite_database)
    both_have_read = threading.Barrier(2, timeout=30)

    def _increment_once() -> None:
        session = sqlite_database.new_session(write=False)  # plain deferred BEGIN
        try:
            value = session.scalars(
                select(OutboundMail.attempts).where(OutboundMail.id == counter_id)
            ).one()
            both_have_read.wait()
            session.execute(
                update(OutboundMail).where(OutboundMail.id == counter_id).values(attempts=value + 1)
            )
            session.commit()
        finally:
            session.close()

    errors = _run_threads(_increment_once, 2)

    assert len(errors) == 1
    assert isinstance(errors[0], OperationalError)
    assert "database is locked" in str(errors[0])
    assert _read_counter(sqlite_database, counter_id) == 1

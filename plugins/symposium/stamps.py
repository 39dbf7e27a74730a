"""The per-event content stamp: raised by every write the public programme shows.

A SQLAlchemy ``after_flush`` listener notes the events whose rooms, tracks, speakers,
sessions, speaker links or published versions changed, or whose own row or plugin
switches/settings changed, and raises their :class:`~plugins.symposium.models.ContentStamp`
in the same transaction (an upsert, on SQLite and PostgreSQL alike).  So the stamp changes
exactly when the change is committed, and a rolled-back change leaves it as it was.

Stars, sign-ups and availability are not shown on the shared pages and do not raise it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy import event as sa_event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session as OrmSession

from core.db import utcnow
from core.models import Event, EventPlugin
from plugins.symposium.models import (
    ContentStamp,
    Room,
    ScheduleVersion,
    Session,
    SessionSpeaker,
    Speaker,
    Track,
)

_WITH_EVENT_ID = (Room, Track, Speaker, Session, ScheduleVersion, EventPlugin)


@dataclass(frozen=True)
class Stamp:
    """An event's content stamp (counter, when raised) with the event's days and zone."""

    counter: int
    changed_at: datetime | None
    starts_on: date | None = None
    ends_on: date | None = None
    timezone: str = ""


_READ = (
    select(
        Event.starts_on,
        Event.ends_on,
        Event.timezone,
        ContentStamp.counter,
        ContentStamp.changed_at,
    )
    .select_from(Event)
    .outerjoin(ContentStamp, ContentStamp.event_id == Event.id)
    .where(Event.id == bindparam("event_id"))
)


def read(connection: Connection | OrmSession, event_id: int) -> Stamp:
    """The stamp of ``event_id`` (counter 0 before any change), with the event's days: one
    statement, so a cached answer learns its key and its clock-dependent parts at once."""
    row = connection.execute(_READ, {"event_id": event_id}).first()
    if row is None:
        return Stamp(0, None)
    return Stamp(int(row.counter or 0), row.changed_at, row.starts_on, row.ends_on, row.timezone)


def raise_stamps(connection: Connection, event_ids: Iterable[int]) -> None:
    """Raise the stamps of ``event_ids`` by one (creating them), inside the caller's transaction."""
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    table = ContentStamp.__table__
    now = utcnow()
    for event_id in sorted(set(event_ids)):
        statement = insert(table).values(event_id=event_id, counter=1, changed_at=now)
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.event_id],
            set_={"counter": table.c.counter + 1, "changed_at": now},
        )
        connection.execute(statement)


def _event_of(session: OrmSession, obj: Any) -> int | None:
    if isinstance(obj, Event):
        return obj.id
    if isinstance(obj, _WITH_EVENT_ID):
        return obj.event_id
    if isinstance(obj, SessionSpeaker):
        with session.no_autoflush:
            owner = session.get(Session, obj.session_id) if obj.session_id else None
        return owner.event_id if owner is not None else None
    return None


@sa_event.listens_for(OrmSession, "after_flush")
def _raise_after_flush(session: OrmSession, _context: Any) -> None:
    touched = (*session.new, *session.dirty, *session.deleted)
    if not any(isinstance(obj, (*_WITH_EVENT_ID, Event, SessionSpeaker)) for obj in touched):
        return
    gone = {obj.id for obj in session.deleted if isinstance(obj, Event)}
    events = {_event_of(session, obj) for obj in touched}
    events = {e for e in events if e is not None and e not in gone}
    if events:
        raise_stamps(session.connection(), events)

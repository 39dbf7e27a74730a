"""A per-process cache of what lean views need of their event, kept fresh across processes.

Lean views (:func:`core.web.lean`, e.g. the people's-choice vote) are the hottest paths of
an event; their plugin gate would otherwise read the event and the plugin switch for every
request.  Entries live ``LEAN_CACHE_SECONDS`` at most (default 2; 0 switches the cache off).

Consistency across workers and instances (issue 17): every commit that changed an event
or a plugin switch or setting raises a shared version, and each cache compares it at most
every ``LEAN_VERSION_CHECK_MS`` (default 50; 0: on every request) and forgets its entries
when it moved.  So closing the public vote on one instance stops votes on every other
one within that interval, not within an entry's lifetime.

* The version is the ``events`` row of ``state_versions``, raised *in the transaction* of
  the change (so a reader that sees the new version also sees the change).
* With ``REDIS_URL`` the version is also ``INCR``-ed in Redis right after the commit, and
  caches read Redis (one ``GET``; cheaper than a database round trip and off the
  database).  When Redis cannot be reached they read the database row instead.
* A commit in this process also clears this process's caches at once (the CLI, a
  single-process server and the tests never see a stale entry).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import bindparam, select, update
from sqlalchemy import event as sa_event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from core.models import Event, EventPlugin, StateVersion
from core.services.events import EventPluginState, plugin_state

log = logging.getLogger("gelar.event_cache")

MAX_ENTRIES = 1024
VERSION_NAME = "events"
REDIS_KEY = "gelar:state-version:events"
_TOUCHED = "gelar_event_touched"
_generation = 0

_READ_VERSION = select(StateVersion.version).where(StateVersion.name == VERSION_NAME)
_RAISE_VERSION = (
    update(StateVersion)
    .where(StateVersion.name == VERSION_NAME)
    .values(version=StateVersion.version + 1)
)
_CREATE_VERSION = {
    name: dialect.insert(StateVersion)
    .values(name=VERSION_NAME, version=bindparam("version"))
    .on_conflict_do_nothing(index_elements=["name"])
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
}


def read_database_version(connection: Connection) -> int:
    """The shared version as stored in the database (0 when the row is missing)."""
    return int(connection.execute(_READ_VERSION).scalar() or 0)


def raise_database_version(connection: Connection) -> None:
    """Raise the shared version by one in the connection's transaction."""
    if connection.execute(_RAISE_VERSION).rowcount == 0:
        connection.execute(_CREATE_VERSION[connection.dialect.name], {"version": 1})


class EventStateCache:
    """``(slug, plugin) → EventPluginState`` (``None`` = unknown slug), checked for freshness.

    ``redis`` (a client or ``None``) holds the shared version when configured;
    ``check_seconds`` is how often the shared version is compared.
    """

    def __init__(self, ttl: float, *, redis: Any | None = None, check_seconds: float = 0.05):
        self.ttl = ttl
        self.redis = redis
        self.check_seconds = check_seconds
        self._entries: dict[tuple[str, str], tuple[float, int, EventPluginState | None]] = {}
        self._shared: int | None = None
        self._next_check = 0.0

    def get(self, connection: Connection, slug: str, plugin: str) -> EventPluginState | None:
        """The cached state, or a fresh one read on ``connection`` (and then cached)."""
        if self.ttl <= 0:
            return plugin_state(connection, slug, plugin)
        now = time.monotonic()
        if now >= self._next_check:
            self._next_check = now + self.check_seconds
            self._compare_shared(connection)
        key = (slug, plugin)
        cached = self._entries.get(key)
        if cached is not None and cached[0] > now and cached[1] == _generation:
            return cached[2]
        generation = _generation
        state = plugin_state(connection, slug, plugin)
        if len(self._entries) >= MAX_ENTRIES:
            self._entries.clear()  # bounded: random slugs cannot grow it without limit
        self._entries[key] = (now + self.ttl, generation, state)
        return state

    def shared_version(self, connection: Connection) -> int:
        """The shared version: Redis's when configured and reachable, else the database's."""
        if self.redis is not None:
            try:
                value = self.redis.get(REDIS_KEY)
                return int(value or 0)
            except Exception as exc:  # any Redis failure: the database row still tells
                log.warning("event cache: Redis unreachable, reading the database: %s", exc)
        return read_database_version(connection)

    def _compare_shared(self, connection: Connection) -> None:
        shared = self.shared_version(connection)
        if shared != self._shared:
            self._shared = shared
            self._entries.clear()

    def announce(self) -> None:
        """Tell other processes through Redis that events changed (after a commit)."""
        if self.redis is None:
            return
        try:
            self.redis.incr(REDIS_KEY)
        except Exception as exc:  # the database row was raised anyway
            log.warning("event cache: could not raise the Redis version: %s", exc)

    def clear(self) -> None:
        """Forget every entry."""
        self._entries.clear()


def invalidate() -> None:
    """Make every cache in this process re-read its events (after a change to them)."""
    global _generation
    _generation += 1


def _touches_events(objects: Any) -> bool:
    return any(isinstance(obj, Event | EventPlugin) for obj in objects)


@sa_event.listens_for(Session, "after_flush")
def _note_event_changes(session: Session, _context: Any) -> None:
    if _touches_events((*session.new, *session.dirty, *session.deleted)):
        session.info[_TOUCHED] = True


@sa_event.listens_for(Session, "before_commit")
def _raise_version_before_commit(session: Session) -> None:
    """Raise the database's version in the committing transaction when events changed."""
    if session.info.get(_TOUCHED) or _touches_events(
        (*session.new, *session.dirty, *session.deleted)
    ):
        session.flush()
        if session.info.get(_TOUCHED) and session.in_transaction():
            raise_database_version(session.connection())


@sa_event.listens_for(Session, "after_commit")
def _invalidate_after_commit(session: Session) -> None:
    if session.info.pop(_TOUCHED, False):
        invalidate()
        if has_app_context():
            cache = current_app.extensions.get("gelar_event_cache")
            if cache is not None:
                cache.announce()


@sa_event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_TOUCHED, None)

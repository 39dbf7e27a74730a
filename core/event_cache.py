"""A short-lived, per-process cache of what lean views need of their event.

Lean views (:func:`core.web.lean`, e.g. the people's-choice vote) are the hottest paths of
an event; their plugin gate would otherwise read the event and the plugin switch for every
request.  Entries live ``LEAN_CACHE_SECONDS`` (default 2; 0 switches the cache off).

Consistency: a commit in this process that touched an event or a plugin switch or setting
clears the cache at once (so a single-process server, the CLI and the tests never see a
stale entry); other worker processes see such a change within the lifetime of an entry.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from core.models import Event, EventPlugin
from core.services.events import EventPluginState, plugin_state

MAX_ENTRIES = 1024
_TOUCHED = "gelar_event_touched"
_generation = 0


class EventStateCache:
    """``(slug, plugin) → EventPluginState`` for ``ttl`` seconds (``None`` = unknown slug)."""

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._entries: dict[tuple[str, str], tuple[float, int, EventPluginState | None]] = {}

    def get(self, connection: Connection, slug: str, plugin: str) -> EventPluginState | None:
        """The cached state, or a fresh one read on ``connection`` (and then cached)."""
        if self.ttl <= 0:
            return plugin_state(connection, slug, plugin)
        now = time.monotonic()
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

    def clear(self) -> None:
        """Forget every entry."""
        self._entries.clear()


def invalidate() -> None:
    """Make every cache in this process re-read its events (after a change to them)."""
    global _generation
    _generation += 1


@sa_event.listens_for(Session, "after_flush")
def _note_event_changes(session: Session, _context: Any) -> None:
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(obj, Event | EventPlugin) for obj in changed):
        session.info[_TOUCHED] = True


@sa_event.listens_for(Session, "after_commit")
def _invalidate_after_commit(session: Session) -> None:
    if session.info.pop(_TOUCHED, False):
        invalidate()

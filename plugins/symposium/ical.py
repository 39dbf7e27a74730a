"""RFC 5545 calendars of the schedule, built with ``icalendar``.

Times carry the event's ``TZID`` (e.g. ``Asia/Jakarta``) with a ``VTIMEZONE`` block.  Every
session keeps the UID ``session-<uid>@<event-slug>.gelar`` in every feed (whole schedule,
per room, personal), so calendar apps update an entry instead of adding a copy.  ``uid``
is a random key stored with the session: unlike an id, SQLite never hands it out again
after a deletion.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone


def session_uid(session_uid: str, event_slug: str) -> str:
    """The stable UID of a session's calendar entry (from the session's never-reused uid)."""
    return f"session-{session_uid}@{event_slug}.gelar"


def calendar(
    items: Iterable[dict[str, Any]],
    *,
    event_slug: str,
    event_name: str,
    timezone: str,
    title: str,
    url_for_session: Any = None,
    stamp: datetime | None = None,
) -> bytes:
    """A calendar of schedule items (see ``services.schedule_item``) as bytes.

    ``url_for_session`` (optional) maps an item to its public page.  ``stamp`` is the
    DTSTAMP (defaults to now).
    """
    zone = ZoneInfo(timezone)
    cal = Calendar()
    cal.add("prodid", "-//Gelar//Symposium//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{event_name}: {title}")
    cal.add("x-wr-timezone", timezone)
    placed = [item for item in items if item.get("starts_at")]
    # icalendar's default range (1970-2038) gives at least one STANDARD block, as RFC 5545
    # requires even for zones without daylight saving time.
    cal.add_component(Timezone.from_tzid(timezone))
    moment = stamp or datetime.now(UTC)
    for item in placed:
        entry = Event()
        entry.add("uid", session_uid(item.get("uid") or str(item["id"]), event_slug))
        entry.add("dtstamp", moment)
        entry.add("dtstart", datetime.fromisoformat(item["starts_at"]).astimezone(zone))
        entry.add("dtend", datetime.fromisoformat(item["ends_at"]).astimezone(zone))
        entry.add("summary", item["title"])
        speakers = ", ".join(s["name"] for s in item.get("speakers", []))
        description = "\n\n".join(part for part in (speakers, item.get("abstract") or "") if part)
        if description:
            entry.add("description", description)
        if item.get("room"):
            entry.add("location", item["room"]["name"])
        if item.get("track"):
            entry.add("categories", [item["track"]["name"]])
        if url_for_session is not None:
            entry.add("url", url_for_session(item))
        cal.add_component(entry)
    return cal.to_ical()

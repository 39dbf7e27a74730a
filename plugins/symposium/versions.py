"""Published schedule versions: a numbered snapshot with what changed since the last one.

Visitors see the newest published version; before the first publication they see the
live schedule, so a programme that is never "published" still shows.  Organizers always
see the live schedule.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from core.models import Event
from core.services import audit
from core.services.errors import Conflict, ValidationFailed
from plugins.symposium.models import ScheduleVersion
from plugins.symposium.services import live_schedule, lock_event


def versions(session: DbSession, event: Event) -> list[ScheduleVersion]:
    """The event's published versions, newest first."""
    return list(
        session.scalars(
            select(ScheduleVersion)
            .where(ScheduleVersion.event_id == event.id)
            .order_by(ScheduleVersion.number.desc())
        )
    )


def latest_version(session: DbSession, event: Event) -> ScheduleVersion | None:
    """The newest published version, or ``None``."""
    found = versions(session, event)
    return found[0] if found else None


def diff(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """``{new, moved, cancelled}`` between two lists of schedule items (matched by uid)."""
    old = {item.get("uid", item["id"]): item for item in before}
    now = {item.get("uid", item["id"]): item for item in after}

    def where(item: dict[str, Any]) -> dict[str, Any]:
        room = item.get("room") or {}
        return {
            "room": room.get("name"),
            "starts_at": item["starts_at"],
            "duration_minutes": item["duration_minutes"],
        }

    moved = [
        {"id": now[i]["id"], "title": now[i]["title"], "from": where(old[i]), "to": where(now[i])}
        for i in now
        if i in old and where(old[i]) != where(now[i])
    ]
    return {
        "new": [{"id": now[i]["id"], "title": now[i]["title"]} for i in now if i not in old],
        "moved": moved,
        "cancelled": [{"id": old[i]["id"], "title": old[i]["title"]} for i in old if i not in now],
    }


def publish(
    session: DbSession, event: Event, *, comment: str = "", actor_id: int | None = None
) -> ScheduleVersion:
    """Publish the live schedule as the next version; 409 when nothing changed."""
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise ValidationFailed(
            _("The note is too long."), fields={"comment": [_("At most %(n)s characters.", n=500)]}
        )
    lock_event(session, event)
    previous = latest_version(session, event)
    items = live_schedule(session, event)
    changes = diff(previous.items if previous else [], items)
    if previous is not None and not any(changes.values()):
        raise Conflict(_("Nothing changed since version %(n)s.", n=previous.number))
    version = ScheduleVersion(
        event_id=event.id,
        number=(previous.number if previous else 0) + 1,
        comment=comment,
        items=items,
        changes=changes,
    )
    session.add(version)
    session.flush()
    audit.record(
        session,
        "symposium.schedule_published",
        event_id=event.id,
        user_id=actor_id,
        version=version.number,
    )
    return version


def visible_schedule(
    session: DbSession, event: Event, *, organizer: bool = False
) -> list[dict[str, Any]]:
    """The schedule a caller sees: live for organizers, else the newest published version."""
    if not organizer:
        version = latest_version(session, event)
        if version is not None:
            return list(version.items)
    return live_schedule(session, event)

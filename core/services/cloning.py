"""Clone an event into next year's edition: plugins and their configuration, no participants."""

from __future__ import annotations

import copy
from datetime import date

from sqlalchemy.orm import Session

from core.models import Event, EventPlugin, EventRole
from core.plugins import PluginRegistry
from core.services import audit
from core.services.events import create_event


def clone_event(
    session: Session,
    registry: PluginRegistry,
    source: Event,
    *,
    slug: str,
    name: str,
    year: int,
    starts_on: date,
    ends_on: date,
    venue: str | None = None,
    actor_id: int | None = None,
) -> Event:
    """Create a draft copy of ``source``: plugin switches and settings, the organizers.

    Each plugin enabled on ``source`` copies its own configuration through
    ``on_event_cloned``.  Participants' data (registrations, innovations, scores, votes,
    passes) is never copied.  The organizers of ``source`` organize the copy too.
    """
    target = create_event(
        session,
        slug=slug,
        name=name,
        year=year,
        starts_on=starts_on,
        ends_on=ends_on,
        venue=source.venue if venue is None else venue,
        timezone=source.timezone,
        description=source.description,
        status="draft",
        actor_id=actor_id,
    )
    target.cloned_from_id = source.id
    for row in source.plugins:
        target.plugins.append(
            EventPlugin(
                name=row.name, enabled=row.enabled, settings=copy.deepcopy(row.settings or {})
            )
        )
    organizer_ids = {
        r.user_id for r in session.query(EventRole).filter_by(event_id=source.id, role="organizer")
    }
    if actor_id is not None:
        organizer_ids.add(actor_id)
    for user_id in sorted(organizer_ids):
        session.add(EventRole(event_id=target.id, user_id=user_id, role="organizer"))
    session.flush()
    registry.call_for_event(
        source, "on_event_cloned", source=source, target=target, session=session
    )
    audit.record(session, "event.cloned", event_id=target.id, user_id=actor_id, source=source.slug)
    audit.record(session, "event.cloned_to", event_id=source.id, user_id=actor_id, target=slug)
    return target

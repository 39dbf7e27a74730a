"""Demo programme: three rooms, three tracks, ten sessions placed by the scheduler.

The content (in Indonesian) is data: ``demo_content/programme.json``.
"""

from __future__ import annotations

import json
from datetime import datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from plugins.symposium import services, versions

PROGRAMME = Path(__file__).resolve().parent / "demo_content" / "programme.json"


def programme() -> dict[str, Any]:
    """The demo programme read from ``demo_content/programme.json`` (content is data)."""
    return dict(json.loads(PROGRAMME.read_text(encoding="utf-8")))


def seed_programme(session: Any, event: Any) -> None:
    """Create the demo programme and publish it, unless it has sessions (idempotent).

    An event cloned from the demo already has its rooms and tracks: they are reused.
    """
    if services.sessions(session, event):
        publish_once(session, event)
        return
    data = programme()
    if not services.rooms(session, event):
        for name, capacity in data["rooms"]:
            services.create_room(session, event, name=name, capacity=capacity)
    existing = {t.name: t.id for t in services.tracks(session, event)}
    track_ids = [
        existing.get(n) or services.create_track(session, event, name=n, color=c).id
        for n, c in data["tracks"]
    ]
    speakers_data = data["speakers"]
    zone = ZoneInfo(event.timezone)
    opening = datetime.combine(event.starts_on, time(8, 0), tzinfo=zone)
    hall = services.rooms(session, event)[0].id
    for index, item in enumerate(data["sessions"]):
        speakers = [services.SpeakerInput(*speakers_data[p]) for p in item["people"]]
        fields = services.SessionInput(
            title=item["title"],
            kind=item["kind"],
            abstract=item["abstract"],
            duration_minutes=item["minutes"],
            expected_audience=item["audience"],
            track_id=track_ids[item["track"]],
            fixed=index == 0,
        )
        placed = index == 0
        services.create_session(
            session,
            event,
            fields,
            speakers,
            room_id=hall if placed else None,
            starts_at=opening if placed else None,
        )
    services.auto_schedule(session, event)
    publish_once(session, event)


def publish_once(session: Any, event: Any) -> None:
    """Publish the schedule as a first version when it has sessions and none is published."""
    if services.sessions(session, event) and versions.latest_version(session, event) is None:
        versions.publish(session, event)

"""Demo programme: three rooms, three tracks, ten sessions placed by the scheduler.

The content (in Indonesian) is data: ``demo_content/programme.json``.
"""

from __future__ import annotations

import json
from datetime import datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from plugins.symposium import services

PROGRAMME = Path(__file__).resolve().parent / "demo_content" / "programme.json"


def programme() -> dict[str, Any]:
    """The demo programme read from ``demo_content/programme.json`` (content is data)."""
    return dict(json.loads(PROGRAMME.read_text(encoding="utf-8")))


def seed_programme(session: Any, event: Any) -> None:
    """Create the demo programme unless the event already has rooms (idempotent)."""
    if services.rooms(session, event):
        return
    data = programme()
    for name, capacity in data["rooms"]:
        services.create_room(session, event, name=name, capacity=capacity)
    track_ids = [
        services.create_track(session, event, name=n, color=c).id for n, c in data["tracks"]
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

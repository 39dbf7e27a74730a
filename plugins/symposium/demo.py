"""Demo programme: three rooms, three tracks, a dozen sessions placed by the scheduler."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from plugins.symposium import services

ROOMS = (("Pendopo Sabha Swagata", 400), ("Ruang Blambangan", 120), ("Ruang Osing", 40))
TRACKS = (("Digital services", "#1f6feb"), ("Health", "#2da44e"), ("Villages", "#bf8700"))
SPEAKERS = (
    ("Dr. Ani Wulandari", "ani.wulandari@demo.gelar.id", "Dinas Kominfo Jawa Timur"),
    ("Budi Santoso", "budi.santoso@demo.gelar.id", "Bappeda Banyuwangi"),
    ("Citra Lestari", "citra.lestari@demo.gelar.id", "RSUD Blambangan"),
    ("Dedi Kurniawan", "dedi.kurniawan@demo.gelar.id", "Dinas PMD Jember"),
    ("Eka Putri", "eka.putri@demo.gelar.id", "Kementerian PANRB"),
)
SESSIONS = (
    ("Opening keynote: public-service innovation in East Java", "keynote", 60, 0, 0, (4,)),
    ("One-stop digital licensing", "talk", 45, 0, 120, (0,)),
    ("Panel: data sharing between agencies", "panel", 90, 0, 150, (0, 1, 4)),
    ("Telemedicine for village health posts", "talk", 45, 1, 80, (2,)),
    ("Workshop: designing a complaint channel", "workshop", 120, 0, 30, (1,)),
    ("Smart villages: what worked", "talk", 45, 2, 100, (3,)),
    ("Panel: replicating innovations across regencies", "panel", 90, 2, 200, (1, 3, 4)),
    ("Mobile clinics and queue-free hospitals", "talk", 45, 1, 90, (2,)),
    ("Village funds, transparently", "talk", 30, 2, 60, (3,)),
    ("Closing keynote", "keynote", 45, 0, 350, (4,)),
)


def seed_programme(session: Any, event: Any) -> None:
    """Create the demo programme unless the event already has rooms (idempotent)."""
    if services.rooms(session, event):
        return
    for name, capacity in ROOMS:
        services.create_room(session, event, name=name, capacity=capacity)
    track_ids = [services.create_track(session, event, name=n, color=c).id for n, c in TRACKS]
    zone = ZoneInfo(event.timezone)
    opening = datetime.combine(event.starts_on, time(8, 0), tzinfo=zone)
    hall = services.rooms(session, event)[0].id
    for index, (title, kind, minutes, track, audience, people) in enumerate(SESSIONS):
        speakers = [services.SpeakerInput(*SPEAKERS[p]) for p in people]
        fields = services.SessionInput(
            title=title,
            kind=kind,
            abstract=title + ".",
            duration_minutes=minutes,
            expected_audience=audience,
            track_id=track_ids[track],
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

"""What the symposium holds about a person: speaker entries, agenda stars, session sign-ups.

Erasure anonymises the speaker entries matched by e-mail (the session keeps a speaker
called "[dihapus]", without e-mail, affiliation, biography, photo or availability) and
deletes the person's stars and sign-ups.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session as DbSession

from core.models import Event
from plugins.symposium.models import Availability, ScheduleVersion, Signup, Speaker, Star
from plugins.symposium.models import Session as SymSession

ERASED = "[dihapus]"


def collect(session: DbSession, user: Any) -> dict[str, list[Any]]:
    """The person's speaker entries, starred sessions and sign-ups, as ``agenda`` items."""
    items: list[dict[str, Any]] = []
    speakers = session.execute(
        select(Speaker, Event.slug)
        .join(Event, Event.id == Speaker.event_id)
        .where(func.lower(Speaker.email) == user.email.lower())
        .order_by(Speaker.id)
    ).all()
    for speaker, slug in speakers:
        items.append(
            {
                "kind": "speaker",
                "event": slug,
                "name": speaker.name,
                "email": speaker.email,
                "affiliation": speaker.affiliation,
                "bio": speaker.bio,
                "photo_url": speaker.photo_url,
            }
        )
    for model, kind in ((Star, "star"), (Signup, "signup")):
        rows = session.execute(
            select(model, SymSession.title, SymSession.starts_at, Event.slug)
            .join(SymSession, SymSession.id == model.session_id)
            .join(Event, Event.id == SymSession.event_id)
            .where(model.user_id == user.id)
            .order_by(model.id)
        ).all()
        for row, title, starts_at, slug in rows:
            item = {
                "kind": kind,
                "event": slug,
                "session": title,
                "starts_at": starts_at,
                "created_at": row.created_at,
            }
            if kind == "signup":
                item["status"] = row.status
            items.append(item)
    return {"agenda": items}


def _scrub_versions(session: DbSession, event_id: int, name: str) -> None:
    """Replace the speaker's name in the event's published schedule versions (snapshots)."""
    if len(name) < 3:
        return
    needle = json.dumps(name)[1:-1]
    replacement = json.dumps(ERASED)[1:-1]
    for version in session.scalars(
        select(ScheduleVersion).where(ScheduleVersion.event_id == event_id)
    ):
        for attribute in ("items", "changes"):
            text = json.dumps(getattr(version, attribute), ensure_ascii=False)
            if needle in text:
                setattr(version, attribute, json.loads(text.replace(needle, replacement)))


def erase(session: DbSession, user: Any, email: str, event: Any) -> None:
    """Anonymise the person's speaker entries; delete their stars and sign-ups."""
    query = select(Speaker).where(func.lower(Speaker.email) == email.lower())
    if event is not None:
        query = query.where(Speaker.event_id == event.id)
    for speaker in session.scalars(query):
        _scrub_versions(session, speaker.event_id, speaker.name)
        speaker.name = ERASED
        speaker.email = None
        speaker.affiliation = ""
        speaker.bio = ""
        speaker.photo_url = ""
        session.execute(delete(Availability).where(Availability.speaker_id == speaker.id))
    if user is None:
        return
    for model in (Star, Signup):
        condition = model.user_id == user.id
        if event is not None:
            ids = select(SymSession.id).where(SymSession.event_id == event.id)
            condition = condition & model.session_id.in_(ids)
        session.execute(delete(model).where(condition))

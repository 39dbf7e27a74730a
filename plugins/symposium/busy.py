"""Who is on stage when: the symposium's answer to ``event_busy_times``.

A person is busy during every placed session where they speak (panel moderators are listed
as speakers, so they count too), matched by e-mail.  An agency is busy while one of its
people presents: a speaker whose e-mail belongs to a member of the agency, or whose stated
affiliation is the agency's name (compared without case, accents or extra spaces).
"""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from core.models import Event, Membership, User
from core.plugins import BusyTime
from plugins.symposium.models import Session, SessionSpeaker


def fold(text: str) -> str:
    """Lower case, no accents, single spaces: names compared the way people read them."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def _placed_sessions(
    session: DbSession, event: Event, window: tuple[datetime, datetime]
) -> list[Session]:
    start, end = window
    rows = session.scalars(
        select(Session)
        .where(Session.event_id == event.id, Session.starts_at.is_not(None))
        .where(Session.starts_at < end)
        .options(selectinload(Session.links).selectinload(SessionSpeaker.speaker))
        .order_by(Session.starts_at, Session.id)
    ).all()
    return [
        s
        for s in rows
        if s.starts_at is not None and s.starts_at + timedelta(minutes=s.duration_minutes) > start
    ]


def _member_emails(session: DbSession, organization_ids: list[int]) -> dict[str, set[int]]:
    """Normalised e-mail → the given agencies the person belongs to."""
    if not organization_ids:
        return {}
    rows = session.execute(
        select(User.email, Membership.organization_id)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organization_id.in_(organization_ids))
    ).all()
    found: dict[str, set[int]] = {}
    for email, organization_id in rows:
        if email:
            found.setdefault(email.strip().lower(), set()).add(organization_id)
    return found


def busy_times(
    session: DbSession,
    event: Event,
    people: dict[int, str],
    organizations: dict[int, str],
    window: tuple[datetime, datetime],
) -> list[BusyTime]:
    """Placed sessions overlapping ``window`` in which the given people or agencies present."""
    if not people and not organizations:
        return []
    items = _placed_sessions(session, event, window)
    by_email: dict[str, list[int]] = {}
    for user_id, email in people.items():
        if email:
            by_email.setdefault(email.strip().lower(), []).append(user_id)
    by_name: dict[str, list[int]] = {}
    for organization_id, name in organizations.items():
        by_name.setdefault(fold(name), []).append(organization_id)
    members = _member_emails(session, list(organizations))
    found: list[BusyTime] = []
    for item in items:
        assert item.starts_at is not None
        ends = item.starts_at + timedelta(minutes=item.duration_minutes)
        persons: set[int] = set()
        agencies: set[int] = set()
        for speaker in item.speakers:
            email = (speaker.email or "").strip().lower()
            persons.update(by_email.get(email, ()))
            agencies.update(members.get(email, ()))
            agencies.update(
                by_name.get(fold(speaker.affiliation), ()) if speaker.affiliation else ()
            )
        for kind, keys in (("person", persons), ("organization", agencies)):
            for key in sorted(keys):
                found.append(BusyTime(kind, key, item.starts_at, ends, item.title, "symposium"))
    return found

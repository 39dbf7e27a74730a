"""What the exhibitors plugin holds about a person: their name on an agency's booth staff.

Booth profiles belong to agencies; the only personal data is the "staff on duty" list (one
name per line).  A person sees and erases the lines that carry their name or e-mail, on the
profiles of the agencies they belong to (and, for any profile, lines with their e-mail).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Event, Membership, Organization
from plugins.exhibitors.models import ExhibitorProfile


def _matches(line: str, needles: list[str]) -> bool:
    low = line.lower()
    return any(n and n.lower() in low for n in needles)


def _profiles(session: Session, event: Any) -> list[tuple[ExhibitorProfile, str, str]]:
    query = (
        select(ExhibitorProfile, Event.slug, Organization.name)
        .join(Event, Event.id == ExhibitorProfile.event_id)
        .join(Organization, Organization.id == ExhibitorProfile.organization_id)
        .order_by(ExhibitorProfile.id)
    )
    if event is not None:
        query = query.where(ExhibitorProfile.event_id == event.id)
    rows = session.execute(query).all()
    return [(p, slug, name) for p, slug, name in rows if p.staff_on_duty]


def _needles(profile: ExhibitorProfile, user: Any, email: str, member_of: set[int]) -> list[str]:
    needles = [email]
    if user is not None and profile.organization_id in member_of and len(user.name) >= 3:
        needles.append(user.name)
    return needles


def _member_of(session: Session, user: Any) -> set[int]:
    if user is None:
        return set()
    return set(
        session.scalars(select(Membership.organization_id).where(Membership.user_id == user.id))
    )


def collect(session: Session, user: Any) -> dict[str, list[Any]]:
    """Booth staff lines naming the person, under ``organizations``."""
    member_of = _member_of(session, user)
    items = []
    for profile, slug, organization in _profiles(session, None):
        needles = _needles(profile, user, user.email, member_of)
        lines = [line for line in profile.staff_on_duty if _matches(str(line), needles)]
        if lines:
            items.append(
                {
                    "kind": "booth_staff",
                    "event": slug,
                    "name": organization,
                    "staff_on_duty": lines,
                }
            )
    return {"organizations": items}


def erase(session: Session, user: Any, email: str, event: Any) -> None:
    """Drop the staff lines naming the person (the rest of the booth profile stays)."""
    member_of = _member_of(session, user)
    for profile, _slug, _name in _profiles(session, event):
        needles = _needles(profile, user, email, member_of)
        kept = [line for line in profile.staff_on_duty if not _matches(str(line), needles)]
        if len(kept) != len(profile.staff_on_duty):
            profile.staff_on_duty = kept

"""What the registration plugin holds about a person: registrations they are the contact of.

Erasure blanks the contact (name, e-mail, phone, account link); the registration stays
with its agency, so the event's record of who exhibited does not change.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from core.models import Event, Organization
from plugins.registration.models import Registration


def _mine(user: Any, email: str) -> Any:
    who = [func.lower(Registration.contact_email) == email.lower()]
    if user is not None:
        who.append(Registration.contact_user_id == user.id)
    return or_(*who)


def collect(session: Session, user: Any) -> dict[str, list[Any]]:
    """The registrations ``user`` is (or was registered as) the contact of."""
    rows = session.execute(
        select(Registration, Event.slug, Organization.name)
        .join(Event, Event.id == Registration.event_id)
        .join(Organization, Organization.id == Registration.organization_id)
        .where(_mine(user, user.email))
        .order_by(Registration.id)
    ).all()
    return {
        "registrations": [
            {
                "event": slug,
                "id": registration.id,
                "organization": organization,
                "status": registration.status,
                "contact_name": registration.contact_name,
                "contact_email": registration.contact_email,
                "contact_phone": registration.contact_phone,
                "answers": registration.answers,
                "created_at": registration.created_at,
                "submitted_at": registration.submitted_at,
            }
            for registration, slug, organization in rows
        ]
    }


def erase(session: Session, user: Any, email: str, event: Any) -> int:
    """Blank the contact of the person's registrations (of ``event`` only, when given)."""
    query = select(Registration).where(_mine(user, email))
    if event is not None:
        query = query.where(Registration.event_id == event.id)
    rows = list(session.scalars(query))
    for registration in rows:
        registration.contact_name = ""
        registration.contact_email = ""
        registration.contact_phone = ""
        registration.contact_user_id = None
    return len(rows)

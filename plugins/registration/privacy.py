"""What the registration plugin holds about a person: registrations they are the contact of.

Erasure blanks the contact (name, e-mail, phone, account link) and the person's name and
e-mail in the organizers' notes and the decision's reason, and deletes the registration's
labelled documents (the eligibility rule's uploads: decrees and letters naming people); the
registration stays with its agency, so the event's record of who exhibited does not change.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from core.models import Event, Organization
from plugins.registration import documents
from plugins.registration.models import Registration


def _mine(user: Any, email: str) -> Any:
    who = [func.lower(Registration.contact_email) == email.lower()]
    if user is not None:
        who.append(Registration.contact_user_id == user.id)
    return or_(*who)


def _replace(text: str, needle: str) -> str:
    """``text`` with ``needle`` (any case) replaced by "[dihapus]"."""
    if not text:
        return text
    pattern = re.compile(re.escape(needle), re.IGNORECASE)
    return pattern.sub("[dihapus]", text)


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


def erase(
    session: Session, user: Any, email: str, event: Any, upload_dir: str | Path | None = None
) -> int:
    """Blank the contact of the person's registrations (of ``event`` only, when given).

    Their labelled documents go too (files from ``upload_dir`` once the transaction commits).
    """
    query = select(Registration).where(_mine(user, email))
    if event is not None:
        query = query.where(Registration.event_id == event.id)
    rows = list(session.scalars(query))
    for registration in rows:
        for needle in {email, registration.contact_name}:
            if len(needle) >= 3:
                registration.notes = _replace(registration.notes, needle)
                registration.reason = _replace(registration.reason, needle)
        registration.contact_name = ""
        registration.contact_email = ""
        registration.contact_phone = ""
        registration.contact_user_id = None
    documents.erase(session, rows, upload_dir)
    return len(rows)

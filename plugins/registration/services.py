"""Registration numbers read from core's innovations (no Flask request in here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.models import Innovation

REGISTERED_STATUSES = ("submitted", "accepted")


@dataclass(frozen=True)
class RegistrationCounts:
    """How many agencies registered and how many innovations wait for a decision."""

    organizations: int
    awaiting_review: int
    accepted: int


def registration_counts(session: Session, event: Any) -> RegistrationCounts:
    """Counts for ``event``: registered agencies, innovations awaiting review, accepted."""
    organizations = session.scalar(
        select(func.count(func.distinct(Innovation.organization_id))).where(
            Innovation.event_id == event.id, Innovation.status.in_(REGISTERED_STATUSES)
        )
    )
    by_status = dict(
        session.execute(
            select(Innovation.status, func.count())
            .where(Innovation.event_id == event.id)
            .group_by(Innovation.status)
        ).all()
    )
    return RegistrationCounts(
        organizations=organizations or 0,
        awaiting_review=by_status.get("submitted", 0),
        accepted=by_status.get("accepted", 0),
    )

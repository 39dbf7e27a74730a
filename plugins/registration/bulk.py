"""Registrations decided in bulk (API.md, "Bulk (national scale)"): all of them or none.

Every id is checked first (known, of this event, submitted); any bad one → 422 naming
``ids.<row>`` and nothing changes.  The exhibitor quota applies to the whole batch: when the
approvals it adds would pass the quota → 409 and nothing changes.  Each registration is then
decided by :func:`plugins.registration.services.decide` (mails, agency claims, hooks, audit).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.i18n import N_
from core.models import Event
from core.services.errors import Conflict, ValidationFailed
from plugins.registration import services
from plugins.registration.models import DECISION_STATUSES, LIVE_STATUSES, Registration

MAX_ROWS = 5000


def decide_all(
    session: Session,
    registry: Any,
    event: Event,
    registration_ids: list[int],
    status: str,
    reason: str,
    *,
    actor_id: int | None,
    now: datetime,
) -> list[Registration]:
    """Decide every registration of ``registration_ids`` (in that order) or none of them."""
    if status not in DECISION_STATUSES:
        raise ValidationFailed(
            N_("Choose approved, rejected or waitlisted."),
            fields={"status": [N_("Choose approved, rejected or waitlisted.")]},
        )
    if len(reason or "") > 5000:
        raise ValidationFailed(
            N_("At most 5000 characters."), fields={"reason": [N_("At most 5000 characters.")]}
        )
    if not registration_ids:
        raise ValidationFailed(
            N_("Choose at least one registration."),
            fields={"ids": [N_("Choose at least one registration.")]},
        )
    if len(registration_ids) > MAX_ROWS:
        raise ValidationFailed(
            N_("At most 5,000 rows a request."), fields={"ids": [N_("At most 5,000 rows.")]}
        )
    services.lock_event(session, event)
    found = {
        registration.id: registration
        for registration in session.scalars(
            services._with_details(
                select(Registration).where(
                    Registration.event_id == event.id,
                    Registration.id.in_(set(registration_ids)),
                )
            )
        )
    }
    fields: dict[str, list[str]] = {}
    seen: set[int] = set()
    for n, registration_id in enumerate(registration_ids):
        registration = found.get(registration_id)
        if registration is None:
            fields[f"ids.{n}"] = [N_("Unknown registration.")]
        elif registration_id in seen:
            fields[f"ids.{n}"] = [N_("This registration is already in the request.")]
        elif registration.status not in LIVE_STATUSES:
            fields[f"ids.{n}"] = [N_("Only submitted registrations can be decided.")]
        seen.add(registration_id)
    if fields:
        raise ValidationFailed(N_("Some rows are invalid; nothing was changed."), fields=fields)
    quota = services.event_settings(event).exhibitor_quota
    if status == "approved" and quota is not None:
        adding = sum(1 for r in found.values() if r.status != "approved")
        if services.approved_count(session, event) + adding > quota:
            raise Conflict(
                N_("The exhibitor quota is reached."),
                fields={"status": [N_("All exhibitor places are taken.")]},
                quota=quota,
            )
    decided = []
    for registration_id in registration_ids:
        decided.append(
            services.decide(
                session,
                registry,
                event,
                found[registration_id],
                status,
                reason,
                actor_id=actor_id,
                now=now,
            )
        )
    return decided

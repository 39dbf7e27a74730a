"""Innovations and the organizations taking part in an event (read side shared by plugins)."""

from __future__ import annotations

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, joinedload

from core.models import Event, Innovation, Organization
from core.services import text_search
from core.services.errors import NotFound

PUBLIC_STATUSES = ("accepted",)


def _accepted(event: Event) -> Select[tuple[Innovation]]:
    return select(Innovation).where(
        Innovation.event_id == event.id, Innovation.status.in_(PUBLIC_STATUSES)
    )


def search_accepted(
    session: Session,
    event: Event,
    *,
    q: str | None = None,
    category: str | None = None,
    organization_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Innovation], int]:
    """Accepted innovations matching a text query and filters, with the total count.

    The text query matches every word (case-insensitive) against title, summary and the
    organization's name, short name and aliases, which works the same on SQLite and PostgreSQL.
    """
    query = _accepted(event).join(Organization, Organization.id == Innovation.organization_id)
    for word in (q or "").split():
        query = query.where(
            or_(
                text_search.contains(Innovation.title, word),
                text_search.contains(Innovation.summary, word),
                text_search.contains(Organization.name, word),
                text_search.contains(Organization.short_name, word),
                text_search.contains(Organization.aliases, word),
            )
        )
    if category:
        query = query.where(Innovation.category == category)
    if organization_id is not None:
        query = query.where(Innovation.organization_id == organization_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = list(
        session.scalars(
            query.options(joinedload(Innovation.organization))
            .order_by(Innovation.title, Innovation.id)
            .limit(limit)
            .offset(offset)
        )
    )
    return items, total


def get_accepted(session: Session, event: Event, innovation_id: int) -> Innovation:
    """One accepted innovation of the event, or :class:`NotFound`."""
    innovation = session.scalar(
        _accepted(event)
        .where(Innovation.id == innovation_id)
        .options(joinedload(Innovation.organization))
    )
    if innovation is None:
        raise NotFound("unknown innovation")
    return innovation


def participating_organizations(
    session: Session, event: Event, *, limit: int = 50, offset: int = 0
) -> tuple[list[Organization], int]:
    """Organizations with at least one submitted or accepted innovation in the event."""
    ids = select(Innovation.organization_id).where(
        Innovation.event_id == event.id, Innovation.status.in_(("submitted", "accepted"))
    )
    query = select(Organization).where(Organization.id.in_(ids))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = list(session.scalars(query.order_by(Organization.name).limit(limit).offset(offset)))
    return items, total


def category_counts(session: Session, event: Event) -> list[tuple[str, int]]:
    """(category, number of accepted innovations) for the event, largest first."""
    rows = session.execute(
        select(Innovation.category, func.count())
        .where(Innovation.event_id == event.id, Innovation.status.in_(PUBLIC_STATUSES))
        .group_by(Innovation.category)
        .order_by(func.count().desc(), Innovation.category)
    )
    return [(category, count) for category, count in rows]


def organization_innovation_counts(
    session: Session, event: Event, organization_ids: list[int]
) -> list[tuple[Organization, dict[str, int]]]:
    """For the given agencies that have innovations in ``event``: (agency, status → count).

    Sorted by agency name; two queries whatever the number of agencies.
    """
    if not organization_ids:
        return []
    rows = session.execute(
        select(Innovation.organization_id, Innovation.status, func.count())
        .where(Innovation.event_id == event.id, Innovation.organization_id.in_(organization_ids))
        .group_by(Innovation.organization_id, Innovation.status)
    ).all()
    counts: dict[int, dict[str, int]] = {}
    for organization_id, status, count in rows:
        counts.setdefault(organization_id, {})[status] = count
    if not counts:
        return []
    found = session.scalars(select(Organization).where(Organization.id.in_(list(counts)))).all()
    return sorted(((o, counts[o.id]) for o in found), key=lambda pair: pair[0].name.lower())

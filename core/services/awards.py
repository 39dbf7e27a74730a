"""Awards an event's organizers give its entries ("Top 45", "Juara I", "Pilihan Publik").

Recorded from the results page's awards block (or ``POST /api/v1/events/{event}/awards``),
shown to the public once published: on the event page, in the innovation's history and in
``GET …/awards``.  No Flask request in here; nothing commits.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from core.i18n import N_
from core.models import Award, Event, Innovation
from core.services import audit
from core.services.errors import Conflict, NotFound, ValidationFailed

MAX_TITLE = 120
#: Suggestions shown next to the title field (free text is allowed).
COMMON_TITLES = ("Top 99", "Top 45", "Juara I", "Juara II", "Juara III", "Pilihan Publik")


def record_award(
    session: Session,
    event: Event,
    *,
    innovation_id: int,
    title: str,
    rank: int | None = None,
    published: bool = False,
    actor_id: int | None = None,
) -> Award:
    """Give entry ``innovation_id`` of ``event`` an award; 422 on bad values, 409 on a repeat."""
    problems: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title:
        problems["title"] = [N_("Give the award's title.")]
    elif len(title) > MAX_TITLE:
        problems["title"] = [N_("At most 120 characters.")]
    if rank is not None and not 1 <= rank <= 100000:
        problems["rank"] = [N_("A rank is a whole number from 1.")]
    innovation = session.get(Innovation, innovation_id) if innovation_id else None
    if innovation is None or innovation.event_id != event.id:
        problems["innovation"] = [N_("Choose an innovation of this event.")]
    if problems:
        raise ValidationFailed("invalid award", fields=problems)
    exists = session.scalar(
        select(Award.id).where(Award.innovation_id == innovation_id, Award.title == title)
    )
    if exists is not None:
        raise Conflict(N_("This innovation already has this award."), fields={"title": []})
    award = Award(
        event_id=event.id,
        innovation_id=innovation_id,
        title=title,
        rank=rank,
        published=published,
        created_by_id=actor_id,
    )
    session.add(award)
    session.flush()
    audit.record(session, "award.recorded", event_id=event.id, award_id=award.id, title=title)
    return award


def list_awards(session: Session, event: Event, *, public: bool) -> list[Award]:
    """The event's awards (only published ones when ``public``), by title then rank."""
    query = (
        select(Award)
        .where(Award.event_id == event.id)
        .options(joinedload(Award.innovation).joinedload(Innovation.organization))
        .order_by(Award.title, Award.rank, Award.id)
    )
    if public:
        query = query.where(Award.published.is_(True))
    return list(session.scalars(query))


def get_award(session: Session, event: Event, award_id: int) -> Award:
    """The event's award ``award_id`` (:class:`NotFound` for another event's)."""
    award = session.get(Award, award_id)
    if award is None or award.event_id != event.id:
        raise NotFound("award not found")
    return award


def set_published(session: Session, event: Event, award_id: int, published: bool) -> Award:
    """Show (or hide) one award to the public."""
    award = get_award(session, event, award_id)
    award.published = published
    session.flush()
    return award


def publish_all(session: Session, event: Event) -> int:
    """Publish every award of the event; returns how many were hidden before."""
    hidden = [a for a in list_awards(session, event, public=False) if not a.published]
    for award in hidden:
        award.published = True
    session.flush()
    return len(hidden)


def delete_award(session: Session, event: Event, award_id: int) -> None:
    """Remove one award of the event."""
    award = get_award(session, event, award_id)
    audit.record(session, "award.deleted", event_id=event.id, award_id=award.id)
    session.delete(award)
    session.flush()


def award_json(award: Award) -> dict[str, object]:
    """The API shape of an award."""
    innovation = award.innovation
    return {
        "id": award.id,
        "innovation": {
            "id": innovation.id,
            "title": innovation.title,
            "organization": {
                "id": innovation.organization.id,
                "name": innovation.organization.name,
            },
        },
        "title": award.title,
        "rank": award.rank,
        "published": award.published,
    }

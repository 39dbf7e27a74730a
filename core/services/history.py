"""Innovations across the years: identities, entries per edition, replications (issue 15).

An :class:`~core.models.InnovationIdentity` is the innovation; each ``innovations`` row is
its *entry* in one event.  "Enter again" makes a new entry of the same identity;
"replicates" points an entry at another agency's identity.  Nothing here needs a Flask
request; how far an entry went and its rank come from the plugins through the
``event_innovation_outcomes`` hook (voting answers for the events it is enabled for), asked once
for every edition, so a history reads in a fixed number of statements.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from core.models import Award, Event, Innovation, InnovationIdentity, Organization
from core.services import text_search
from core.services.errors import NotFound

PUBLIC_EVENT_STATUSES = ("published", "archived")


def ensure_identity(session: Session, innovation: Innovation) -> InnovationIdentity:
    """The innovation's identity, created (and flushed) when it has none yet."""
    if innovation.identity_id is not None:
        identity = session.get(InnovationIdentity, innovation.identity_id)
        assert identity is not None
        return identity
    identity = InnovationIdentity(
        organization_id=innovation.organization_id, title=innovation.title
    )
    session.add(identity)
    session.flush()
    innovation.identity_id = identity.id
    session.flush()
    return identity


def identity_of(session: Session, innovation_id: int) -> InnovationIdentity | None:
    """The identity of entry ``innovation_id`` (``None`` for an unknown id or no identity)."""
    identity_id = session.scalar(
        select(Innovation.identity_id).where(Innovation.id == innovation_id)
    )
    return session.get(InnovationIdentity, identity_id) if identity_id else None


@dataclass
class EntryView:
    """One edition of an innovation: its event and how it fared there."""

    innovation: Innovation
    event: Event
    stage_reached: str | None = None
    rank: int | None = None
    awards: list[Award] = field(default_factory=list)


@dataclass
class ReplicationView:
    """Another agency's entry that declared it replicates an innovation."""

    innovation: Innovation
    organization: Organization
    event: Event


@dataclass
class History:
    """Everything an innovation's page shows about its years."""

    identity: InnovationIdentity | None
    entries: list[EntryView]
    replicates: Innovation | None
    replications: list[ReplicationView]


def _visible_events(public: bool) -> Any:
    """Public: accepted entries of published or archived events only (no drafts, no refusals)."""
    if not public:
        return Event.id.isnot(None)
    return and_(Event.status.in_(PUBLIC_EVENT_STATUSES), Innovation.status == "accepted")


def entries_of(
    session: Session, innovation: Innovation, *, public: bool = True
) -> list[tuple[Innovation, Event]]:
    """The entries of ``innovation``'s identity with their events, oldest edition first."""
    if innovation.identity_id is None:
        condition = Innovation.id == innovation.id
    else:
        condition = Innovation.identity_id == innovation.identity_id
    rows = session.execute(
        select(Innovation, Event)
        .join(Event, Event.id == Innovation.event_id)
        .where(condition, _visible_events(public))
        .options(joinedload(Innovation.organization), selectinload(Event.plugins))
        .order_by(Event.starts_on, Event.id)
    )
    return [(row[0], row[1]) for row in rows]


def outcomes(
    registry: Any, session: Session, entries: list[tuple[Innovation, Event]]
) -> dict[int, dict[str, Any]]:
    """``{innovation id: {stage_reached, rank}}`` of ``entries`` from the plugins.

    One ``event_innovation_outcomes`` call per installed plugin, with the events it is enabled
    for (never one per edition).
    """
    merged: dict[int, dict[str, Any]] = defaultdict(dict)
    if registry is None or not entries:
        return merged
    for name in registry.names:
        mine = [(i, e) for i, e in entries if name in e.enabled_plugin_names]
        if not mine:
            continue
        events = list({e.id: e for _i, e in mine}.values())
        for answer in registry.call_for_plugin(
            name,
            "event_innovation_outcomes",
            events=events,
            session=session,
            innovation_ids=[i.id for i, _e in mine],
        ):
            for innovation_id, values in (answer or {}).items():
                merged[innovation_id].update(values)
    return merged


def replications_of(
    session: Session, identity_id: int | None, *, public: bool = True
) -> list[ReplicationView]:
    """Entries of other agencies that replicate identity ``identity_id``, by region then year."""
    if identity_id is None:
        return []
    rows = session.execute(
        select(Innovation, Organization, Event)
        .join(Organization, Organization.id == Innovation.organization_id)
        .join(Event, Event.id == Innovation.event_id)
        .where(Innovation.replicates_id == identity_id, _visible_events(public))
        .order_by(Organization.region, Event.year, Organization.name)
    )
    return [ReplicationView(row[0], row[1], row[2]) for row in rows]


def history(session: Session, registry: Any, innovation_id: int, *, public: bool = True) -> History:
    """The editions, outcomes, awards and replications of entry ``innovation_id``.

    ``public``: only published (or archived) events and published awards count, as the
    public page and the API show them; :class:`NotFound` when nothing is visible.  An
    entry's rank is its place in the published results, else the best place among its
    (visible) awards, so "Juara I" reads rank 1 before the results are published.
    """
    innovation = session.get(Innovation, innovation_id)
    if innovation is None:
        raise NotFound("innovation not found")
    rows = entries_of(session, innovation, public=public)
    if not rows:
        raise NotFound("innovation not found")
    ids = [entry.id for entry, _event in rows]
    award_query = select(Award).where(Award.innovation_id.in_(ids))
    if public:
        award_query = award_query.where(Award.published.is_(True))
    awards: dict[int, list[Award]] = defaultdict(list)
    for award in session.scalars(award_query.order_by(Award.rank, Award.title)):
        awards[award.innovation_id].append(award)
    reached = outcomes(registry, session, rows)
    entries = []
    for entry, event in rows:
        found = reached.get(entry.id, {})
        entries.append(
            EntryView(
                innovation=entry,
                event=event,
                stage_reached=found.get("stage_reached"),
                rank=_rank(found.get("rank"), awards.get(entry.id, [])),
                awards=awards.get(entry.id, []),
            )
        )
    replicates = None
    source_id = next((e.replicates_id for e, _ev in reversed(rows) if e.replicates_id), None)
    if source_id is not None:
        replicates = _latest_entry(session, source_id, public=public)
    return History(
        identity=innovation.identity,
        entries=entries,
        replicates=replicates,
        replications=replications_of(session, innovation.identity_id, public=public),
    )


def _rank(results_rank: int | None, awards: list[Award]) -> int | None:
    """The results' rank when known, else the best ranked award's place (``None`` without)."""
    if results_rank is not None:
        return results_rank
    places = [award.rank for award in awards if award.rank is not None]
    return min(places) if places else None


def _latest_entry(session: Session, identity_id: int, *, public: bool) -> Innovation | None:
    return session.scalar(
        select(Innovation)
        .join(Event, Event.id == Innovation.event_id)
        .where(Innovation.identity_id == identity_id, _visible_events(public))
        .options(joinedload(Innovation.organization))
        .order_by(Event.starts_on.desc(), Innovation.id.desc())
        .limit(1)
    )


def history_json(found: History) -> dict[str, Any]:
    """The API shape of ``GET /api/v1/innovations/{id}/history``."""
    return {
        "items": [
            {
                "event": entry.event.slug,
                "year": entry.event.year,
                "innovation": entry.innovation.id,
                "title": entry.innovation.title,
                "status": entry.innovation.status,
                "stage_reached": entry.stage_reached,
                "rank": entry.rank,
                "awards": [award.title for award in entry.awards],
            }
            for entry in found.entries
        ],
        "replicates": (
            {
                "id": found.replicates.id,
                "title": found.replicates.title,
                "organization": found.replicates.organization.name,
            }
            if found.replicates is not None
            else None
        ),
        "replications": [
            {
                "organization": rep.organization.name,
                "region": rep.organization.region,
                "year": rep.event.year,
                "event": rep.event.slug,
                "innovation": rep.innovation.id,
                "title": rep.innovation.title,
            }
            for rep in found.replications
        ],
    }


def earlier_innovations(
    session: Session, organization_id: int, *, before: Event
) -> list[tuple[Innovation, Event]]:
    """The agency's innovations from other editions, newest entry of each identity.

    What "enter again" offers: identities already entered in ``before`` are left out.
    """
    rows = session.execute(
        select(Innovation, Event)
        .join(Event, Event.id == Innovation.event_id)
        .where(Innovation.organization_id == organization_id, Event.id != before.id)
        .order_by(Event.starts_on.desc(), Innovation.title)
    )
    taken = set(
        session.scalars(
            select(Innovation.identity_id).where(
                Innovation.event_id == before.id, Innovation.identity_id.isnot(None)
            )
        )
    )
    seen: set[int] = set()
    found: list[tuple[Innovation, Event]] = []
    for innovation, event in rows:
        key = innovation.identity_id or -innovation.id
        if key in seen or key in taken:
            continue
        seen.add(key)
        found.append((innovation, event))
    return found


def search_replicable(
    session: Session, q: str, *, exclude_organization_id: int | None, limit: int = 20
) -> list[Innovation]:
    """Other agencies' innovations whose title, agency or region matches every word of ``q``.

    Newest entry of each identity, from published or archived events.
    """
    words = q.split()
    if not words:
        return []
    query = (
        select(Innovation)
        .join(Organization, Organization.id == Innovation.organization_id)
        .join(Event, Event.id == Innovation.event_id)
        .where(Event.status.in_(PUBLIC_EVENT_STATUSES), Innovation.status == "accepted")
        .options(joinedload(Innovation.organization))
        .order_by(Event.starts_on.desc(), Innovation.title)
    )
    if exclude_organization_id is not None:
        query = query.where(Innovation.organization_id != exclude_organization_id)
    for word in words:
        query = query.where(
            or_(
                text_search.contains(Innovation.title, word),
                text_search.contains(Organization.name, word),
                text_search.contains(Organization.short_name, word),
                text_search.contains(Organization.aliases, word),
                text_search.contains(Organization.region, word),
            )
        )
    seen: set[int] = set()
    found: list[Innovation] = []
    for innovation in session.scalars(query.limit(limit * 5)):
        key = innovation.identity_id or -innovation.id
        if key not in seen:
            seen.add(key)
            found.append(innovation)
        if len(found) >= limit:
            break
    return found


@dataclass
class AgencyInnovation:
    """One innovation of an agency with the years it was entered."""

    latest: Innovation
    editions: list[Event]
    award_titles: list[str]


def agency_innovations(
    session: Session, organization_id: int, *, public: bool = True
) -> list[AgencyInnovation]:
    """All the agency's innovations over the years, one per identity, newest first."""
    rows = session.execute(
        select(Innovation, Event)
        .join(Event, Event.id == Innovation.event_id)
        .where(Innovation.organization_id == organization_id, _visible_events(public))
        .order_by(Event.starts_on.desc(), Innovation.title)
    ).all()
    award_query = select(Award).where(Award.innovation_id.in_([r[0].id for r in rows]))
    if public:
        award_query = award_query.where(Award.published.is_(True))
    awards: dict[int, list[str]] = defaultdict(list)
    for award in session.scalars(award_query):
        awards[award.innovation_id].append(award.title)
    grouped: dict[int, AgencyInnovation] = {}
    for innovation, event in rows:
        key = innovation.identity_id or -innovation.id
        item = grouped.get(key)
        if item is None:
            item = grouped[key] = AgencyInnovation(innovation, [], [])
        item.editions.append(event)
        item.award_titles.extend(f"{t} ({event.year})" for t in awards.get(innovation.id, []))
    return list(grouped.values())


def months_in_operation(launched_on: date | None, on: date) -> int | None:
    """Whole months from ``launched_on`` to ``on`` (``None`` when the launch date is unknown)."""
    if launched_on is None:
        return None
    months = (on.year - launched_on.year) * 12 + on.month - launched_on.month
    if on.day < launched_on.day:
        months -= 1
    return months


def awarded_identities_since(
    session: Session, identity_ids: list[int], *, since_year: int, before: Event
) -> dict[int, list[tuple[str, int]]]:
    """``{identity: [(award title, year)]}`` for awards won in events from ``since_year`` on.

    Only events other than ``before`` count; every recorded award counts, published or not
    (eligibility is the organizers' check).
    """
    if not identity_ids:
        return {}
    rows = session.execute(
        select(Innovation.identity_id, Award.title, Event.year)
        .join(Innovation, Innovation.id == Award.innovation_id)
        .join(Event, Event.id == Award.event_id)
        .where(
            Innovation.identity_id.in_(identity_ids),
            Event.year >= since_year,
            Event.id != before.id,
        )
    )
    found: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for identity_id, title, year in rows:
        found[identity_id].append((title, year))
    return found


def count_entries(session: Session, identity_id: int) -> int:
    """How many editions the identity was entered in."""
    return (
        session.scalar(
            select(func.count(Innovation.id)).where(Innovation.identity_id == identity_id)
        )
        or 0
    )

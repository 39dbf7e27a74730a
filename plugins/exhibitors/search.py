"""The catalogue search: case- and accent-insensitive, ranked, filtered, a fixed query count.

Each accepted innovation has a :class:`SearchEntry` holding its title, agency name and
summary folded with :func:`fold` (NFKD, combining marks dropped, lower case).  A query is
folded the same way; every word must appear in one of the three texts, and results rank
by where words matched (title 3, agency 2, summary 1), then by title.  This behaves the
same on SQLite and PostgreSQL and needs no database extension.

Entries are refreshed by :func:`refresh_entries` in bulk (a handful of statements whatever
the number of innovations): when the catalogue notices stale or missing entries, after a
CSV import, and from the ``on_innovation_submitted`` / ``on_registration_decided`` hooks.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, case, delete, func, insert, literal, or_, select
from sqlalchemy.orm import Session, joinedload

from core.models import CETTAR_VALUES, Event, Innovation, Organization
from core.services.text_search import like, like_pattern
from plugins.exhibitors.models import SearchEntry

MAX_WORDS = 8

#: What an entry's agency text is built from: name, short name and aliases (so "Bapenda"
#: and "Dinkes" are found); compared with ``SearchEntry.agency_source`` to spot stale entries.
_AGENCY_SOURCE = func.substr(
    Organization.name + "|" + Organization.short_name + "|" + Organization.aliases, 1, 250
)


def fold(text: str | None) -> str:
    """``text`` lower-cased without accents and with spaces collapsed ("Café" → "cafe")."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def _stale_ids(session: Session, event: Event) -> list[int]:
    """Accepted innovations whose entry is missing or out of date (one query)."""
    rows = session.execute(
        select(Innovation.id)
        .join(Organization, Organization.id == Innovation.organization_id)
        .outerjoin(SearchEntry, SearchEntry.innovation_id == Innovation.id)
        .where(
            Innovation.event_id == event.id,
            Innovation.status == "accepted",
            or_(
                SearchEntry.innovation_id.is_(None),
                SearchEntry.source_updated_at != Innovation.updated_at,
                SearchEntry.agency_source != _AGENCY_SOURCE,
            ),
        )
    )
    return [row[0] for row in rows]


def needs_refresh(session: Session, event: Event) -> bool:
    """Whether some accepted innovation of the event lacks an up-to-date entry."""
    return bool(_stale_ids(session, event))


def refresh_entries(session: Session, event: Event, innovation_ids: list[int] | None = None) -> int:
    """Rebuild the entries of the given (default: all stale) innovations; returns how many.

    Uses one select, one delete and one multi-row insert, so the cost in queries does not
    grow with the number of innovations.
    """
    ids = _stale_ids(session, event) if innovation_ids is None else list(innovation_ids)
    if not ids:
        return 0
    rows = session.execute(
        select(
            Innovation.id,
            Innovation.title,
            Innovation.summary,
            Innovation.cettar,
            Innovation.updated_at,
            Organization.name,
            Organization.short_name,
            Organization.aliases,
            _AGENCY_SOURCE,
        )
        .join(Organization, Organization.id == Innovation.organization_id)
        .where(Innovation.id.in_(ids))
    ).all()
    session.execute(delete(SearchEntry).where(SearchEntry.innovation_id.in_(ids)))
    values = [
        {
            "innovation_id": innovation_id,
            "event_id": event.id,
            "title": fold(title),
            "agency": fold(" ".join([agency, short or "", (aliases or "").replace("\n", " ")])),
            "body": fold(summary),
            "cettar": " " + " ".join(v for v in (cettar or []) if v in CETTAR_VALUES) + " ",
            "agency_source": source or "",
            "source_updated_at": updated_at,
        }
        for (
            innovation_id,
            title,
            summary,
            cettar,
            updated_at,
            agency,
            short,
            aliases,
            source,
        ) in rows
    ]
    if values:
        session.execute(insert(SearchEntry), values)
    session.flush()
    return len(values)


@dataclass(frozen=True)
class CatalogueQuery:
    """What a visitor asked the catalogue for."""

    q: str = ""
    category: str | None = None
    cettar: str | None = None
    region: str | None = None
    organization_id: int | None = None


def _filtered(event: Event, query: CatalogueQuery) -> tuple[Select[tuple[int]], ColumnElement[int]]:
    words = fold(query.q).split()[:MAX_WORDS]
    statement = (
        select(Innovation.id)
        .join(SearchEntry, SearchEntry.innovation_id == Innovation.id)
        .join(Organization, Organization.id == Innovation.organization_id)
        .where(Innovation.event_id == event.id, Innovation.status == "accepted")
    )
    score: ColumnElement[int] = literal(0)
    parts: list[ColumnElement[int]] = []
    for word in words:
        pattern = like_pattern(word)
        in_title = like(SearchEntry.title, pattern)
        in_agency = like(SearchEntry.agency, pattern)
        in_body = like(SearchEntry.body, pattern)
        statement = statement.where(or_(in_title, in_agency, in_body))
        parts.append(
            case((in_title, 3), else_=0)
            + case((in_agency, 2), else_=0)
            + case((in_body, 1), else_=0)
        )
    if parts:
        score = parts[0]
        for part in parts[1:]:
            score = score + part
    if query.category:
        statement = statement.where(Innovation.category == query.category)
    if query.cettar:
        statement = statement.where(
            like(SearchEntry.cettar, like_pattern(query.cettar, prefix="% ", suffix=" %"))
        )
    if query.region:
        statement = statement.where(Organization.region == query.region)
    if query.organization_id is not None:
        statement = statement.where(Innovation.organization_id == query.organization_id)
    return statement, score


def search(
    session: Session, event: Event, query: CatalogueQuery, *, limit: int = 24, offset: int = 0
) -> tuple[list[Innovation], int]:
    """Accepted innovations matching ``query``, best first, and the total: two queries."""
    statement, score = _filtered(event, query)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    ranked = statement.add_columns(score.label("score")).subquery()
    items = list(
        session.scalars(
            select(Innovation)
            .join(ranked, ranked.c.id == Innovation.id)
            .options(joinedload(Innovation.organization))
            .order_by(ranked.c.score.desc(), func.lower(Innovation.title), Innovation.id)
            .limit(limit)
            .offset(offset)
        )
    )
    return items, total


def facets(session: Session, event: Event) -> dict[str, list[tuple[object, ...]]]:
    """Filter choices: regions and agencies of accepted innovations (two queries)."""
    accepted = (Innovation.event_id == event.id, Innovation.status == "accepted")
    regions = session.execute(
        select(Organization.region)
        .join(Innovation, Innovation.organization_id == Organization.id)
        .where(*accepted, Organization.region != "")
        .distinct()
        .order_by(Organization.region)
    ).all()
    agencies = session.execute(
        select(Organization.id, Organization.name)
        .join(Innovation, Innovation.organization_id == Organization.id)
        .where(*accepted)
        .distinct()
        .order_by(Organization.name)
    ).all()
    return {"regions": [tuple(r) for r in regions], "agencies": [tuple(a) for a in agencies]}


def matching_organizations(session: Session, event: Event, term: str) -> set[int]:
    """Organizations whose name or an accepted innovation's title matches ``term`` (one query).

    Used by the floor plan's "find an agency or innovation".
    """
    words = fold(term).split()[:MAX_WORDS]
    if not words:
        return set()
    statement = (
        select(Innovation.organization_id)
        .join(SearchEntry, SearchEntry.innovation_id == Innovation.id)
        .where(Innovation.event_id == event.id, Innovation.status == "accepted")
    )
    for word in words:
        pattern = like_pattern(word)
        statement = statement.where(
            or_(
                like(SearchEntry.title, pattern),
                like(SearchEntry.agency, pattern),
            )
        )
    return set(session.scalars(statement.distinct()))

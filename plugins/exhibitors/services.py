"""Booths, zones and exhibitors: the floor plan's rules and the booth assignment.

Invariants: a booth code is unique per event (database constraint), booths never overlap
and stay on the floor (checked here while the event row is locked, so two concurrent
requests cannot both place a booth on the same spot), an organization holds at most one
booth per event (database constraint), and automatic assignment is all or nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session

from core.models import Event, Innovation, Organization
from core.services import audit
from core.services.errors import Conflict, NotFound, ValidationFailed
from core.services.events import lock_event_row

__all__ = ["Conflict"]
from plugins.exhibitors.models import Booth, Zone

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$")
MAX_COORDINATE = 100_000


@dataclass(frozen=True)
class BoothSpec:
    """A booth to create: code, zone name and its rectangle in metres."""

    code: str
    zone: str
    x: int
    y: int
    width: int
    height: int


@dataclass
class Exhibitor:
    """An approved exhibitor: an organization with accepted innovations, and its booth."""

    organization: Organization
    innovations: int
    categories: list[str] = field(default_factory=list)
    booth: Booth | None = None

    @property
    def main_category(self) -> str:
        """The category most of its innovations are in ("" when none)."""
        return self.categories[0] if self.categories else ""


def lock_event(session: Session, event: Event) -> None:
    """Lock the event row for the floor plan's changes (PostgreSQL; SQLite is IMMEDIATE)."""
    lock_event_row(session, event.id)


# --- zones ---------------------------------------------------------------------------------


def list_zones(session: Session, event: Event) -> list[Zone]:
    """The event's zones by name."""
    return list(session.scalars(select(Zone).where(Zone.event_id == event.id).order_by(Zone.name)))


def save_zone(
    session: Session,
    event: Event,
    name: str,
    *,
    preferred_kind: str | None = None,
    preferred_category: str | None = None,
    actor_id: int | None = None,
) -> Zone:
    """Create a zone or update its preferences; 422 on an empty or too long name."""
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise ValidationFailed(
            _("Invalid zone."), fields={"name": [_("Give a name of 1 to 60 characters.")]}
        )
    zone = session.scalar(select(Zone).where(Zone.event_id == event.id, Zone.name == name))
    if zone is None:
        zone = Zone(event_id=event.id, name=name)
        session.add(zone)
    zone.preferred_kind = (preferred_kind or "").strip()[:40] or None
    zone.preferred_category = (preferred_category or "").strip()[:80] or None
    session.flush()
    audit.record(session, "exhibitors.zone_saved", event_id=event.id, user_id=actor_id, name=name)
    return zone


# --- booths --------------------------------------------------------------------------------


def list_booths(
    session: Session,
    event: Event,
    *,
    limit: int | None = None,
    offset: int = 0,
    zone: str | None = None,
) -> list[Booth]:
    """The event's booths by code, each with its organization loaded (one query).

    ``limit``/``offset`` page in SQL (all booths when ``limit`` is ``None``); ``zone``
    keeps one zone's booths.
    """
    from sqlalchemy.orm import joinedload

    query = (
        select(Booth)
        .where(Booth.event_id == event.id)
        .options(joinedload(Booth.organization))
        .order_by(Booth.code, Booth.id)
    )
    if zone is not None:
        query = query.where(Booth.zone == zone)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    elif offset:
        query = query.offset(offset)
    return list(session.scalars(query))


def zone_counts(session: Session, event: Event) -> list[tuple[str, int, int]]:
    """(zone, booths, taken booths) per zone, by zone name (one aggregate)."""
    rows = session.execute(
        select(Booth.zone, func.count(Booth.id), func.count(Booth.organization_id))
        .where(Booth.event_id == event.id)
        .group_by(Booth.zone)
        .order_by(Booth.zone)
    )
    return [(zone, int(total), int(taken)) for zone, total, taken in rows]


@dataclass(frozen=True)
class ZoneOutline:
    """A zone drawn as one rectangle: the bounding box of its booths, with its counts."""

    name: str
    x: int
    y: int
    width: int
    height: int
    booths: int
    taken: int


def zone_outlines(session: Session, event: Event) -> list[ZoneOutline]:
    """Each zone's bounding box (metres) and booth counts, by zone name (one aggregate)."""
    rows = session.execute(
        select(
            Booth.zone,
            func.min(Booth.x),
            func.min(Booth.y),
            func.max(Booth.x + Booth.width),
            func.max(Booth.y + Booth.height),
            func.count(Booth.id),
            func.count(Booth.organization_id),
        )
        .where(Booth.event_id == event.id)
        .group_by(Booth.zone)
        .order_by(Booth.zone)
    )
    return [
        ZoneOutline(zone, x0, y0, x1 - x0, y1 - y0, int(total), int(taken))
        for zone, x0, y0, x1, y1, total, taken in rows
    ]


def find_booths(
    session: Session, event: Event, organization_ids: set[int] | list[int], code: str
) -> list[Booth]:
    """Booths held by any of ``organization_ids`` or whose code is ``code`` (one query)."""
    from sqlalchemy import or_

    query = (
        select(Booth)
        .where(
            Booth.event_id == event.id,
            or_(
                Booth.organization_id.in_(list(organization_ids)),
                func.lower(Booth.code) == code.lower(),
            ),
        )
        .order_by(Booth.code, Booth.id)
    )
    return list(session.scalars(query))


def count_booths(session: Session, event: Event) -> int:
    """How many booths the event has (one aggregate)."""
    return int(session.scalar(select(func.count(Booth.id)).where(Booth.event_id == event.id)) or 0)


def get_booth(session: Session, event: Event, code: str) -> Booth:
    """The booth with ``code`` in the event, or :class:`NotFound`."""
    booth = session.scalar(select(Booth).where(Booth.event_id == event.id, Booth.code == code))
    if booth is None:
        raise NotFound(_("Unknown booth %(code)s.", code=code))
    return booth


def _validate_spec(spec: BoothSpec, floor: tuple[int, int]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    if not CODE_PATTERN.match(spec.code or ""):
        fields["code"] = [_("Use 1 to 20 letters, digits, dots, dashes or underscores.")]
    if len(spec.zone) > 60:
        fields["zone"] = [_("At most 60 characters.")]
    for name in ("x", "y"):
        if not 0 <= getattr(spec, name) <= MAX_COORDINATE:
            fields[name] = [_("Must be 0 or more.")]
    for name in ("width", "height"):
        if not 1 <= getattr(spec, name) <= MAX_COORDINATE:
            fields[name] = [_("Must be 1 or more.")]
    if fields:
        return fields
    width, depth = floor
    if spec.x + spec.width > width:
        fields["x"] = [_("The booth goes past the floor's width (%(width)s m).", width=width)]
    if spec.y + spec.height > depth:
        fields["y"] = [_("The booth goes past the floor's depth (%(depth)s m).", depth=depth)]
    return fields


def _overlapping(session: Session, event: Event, spec: BoothSpec) -> Booth | None:
    return session.scalar(
        select(Booth)
        .where(
            Booth.event_id == event.id,
            Booth.x < spec.x + spec.width,
            spec.x < Booth.x + Booth.width,
            Booth.y < spec.y + spec.height,
            spec.y < Booth.y + Booth.height,
        )
        .order_by(Booth.code)
        .limit(1)
    )


def add_booth(
    session: Session,
    event: Event,
    spec: BoothSpec,
    *,
    floor: tuple[int, int],
    actor_id: int | None = None,
) -> Booth:
    """Place a new booth: 422 on invalid values, 409 naming the duplicate or overlapped booth.

    ``floor`` is the hall's (width, depth) in metres.  Runs with the event row locked.
    """
    spec = BoothSpec(spec.code.strip(), spec.zone.strip(), spec.x, spec.y, spec.width, spec.height)
    fields = _validate_spec(spec, floor)
    if fields:
        raise ValidationFailed(_("Invalid booth."), fields=fields)
    lock_event(session, event)
    duplicate = session.scalar(
        select(Booth).where(Booth.event_id == event.id, Booth.code == spec.code)
    )
    if duplicate is not None:
        raise Conflict(
            _("Booth code %(code)s is already taken.", code=spec.code),
            fields={"code": [_("Already used by another booth.")]},
            booth=duplicate.code,
        )
    other = _overlapping(session, event, spec)
    if other is not None:
        raise Conflict(
            _("The booth overlaps booth %(code)s.", code=other.code),
            fields={"x": [_("Overlaps booth %(code)s.", code=other.code)]},
            booth=other.code,
        )
    booth = Booth(
        event_id=event.id,
        code=spec.code,
        zone=spec.zone,
        x=spec.x,
        y=spec.y,
        width=spec.width,
        height=spec.height,
    )
    session.add(booth)
    session.flush()
    audit.record(
        session, "exhibitors.booth_added", event_id=event.id, user_id=actor_id, code=spec.code
    )
    return booth


def add_booths(
    session: Session,
    event: Event,
    specs: list[BoothSpec],
    *,
    floor: tuple[int, int],
    actor_id: int | None = None,
) -> list[Booth]:
    """Add several booths (a CSV import) in one go: the first refusal stops everything.

    The caller's transaction must be rolled back on error (nothing half-imported).
    """
    booths: list[Booth] = []
    for line, spec in enumerate(specs, start=1):
        try:
            booths.append(add_booth(session, event, spec, floor=floor, actor_id=actor_id))
        except (Conflict, ValidationFailed) as exc:
            exc.message = _("Row %(line)d: %(problem)s", line=line, problem=exc.message)
            exc.extra["row"] = line
            raise
    return booths


def delete_booth(session: Session, event: Event, code: str, *, actor_id: int | None = None) -> None:
    """Remove a booth (its exhibitor, if any, is left without one)."""
    lock_event(session, event)
    booth = get_booth(session, event, code)
    session.delete(booth)
    session.flush()
    audit.record(
        session, "exhibitors.booth_deleted", event_id=event.id, user_id=actor_id, code=code
    )


# --- exhibitors ----------------------------------------------------------------------------


def _exhibitor_ids_query(event: Event) -> Select[tuple[int]]:
    """Ids of the organizations with an accepted innovation in ``event`` (a subquery)."""
    return (
        select(Innovation.organization_id)
        .where(Innovation.event_id == event.id, Innovation.status == "accepted")
        .distinct()
    )


def count_exhibitors(session: Session, event: Event) -> int:
    """How many approved exhibitors the event has (one aggregate)."""
    ids = _exhibitor_ids_query(event).subquery()
    return int(session.scalar(select(func.count()).select_from(ids)) or 0)


def list_exhibitors(
    session: Session, event: Event, *, limit: int | None = None, offset: int = 0
) -> list[Exhibitor]:
    """Approved exhibitors (organizations with accepted innovations) by name, with booths.

    Three queries whatever the number of exhibitors; ``limit``/``offset`` page in SQL.
    """
    query = (
        select(Organization)
        .where(Organization.id.in_(_exhibitor_ids_query(event)))
        .order_by(func.lower(Organization.name), Organization.id)
    )
    if limit is not None:
        query = query.limit(limit).offset(offset)
    elif offset:
        query = query.offset(offset)
    organizations = session.scalars(query).all()
    if not organizations:
        return []
    ids = [o.id for o in organizations]
    rows = session.execute(
        select(Innovation.organization_id, Innovation.category, func.count())
        .where(
            Innovation.event_id == event.id,
            Innovation.status == "accepted",
            Innovation.organization_id.in_(ids),
        )
        .group_by(Innovation.organization_id, Innovation.category)
    ).all()
    counts: dict[int, Counter[str]] = {}
    for organization_id, category, count in rows:
        counts.setdefault(organization_id, Counter())[category] = count
    booths = {
        b.organization_id: b
        for b in session.scalars(
            select(Booth).where(Booth.event_id == event.id, Booth.organization_id.in_(ids))
        )
    }
    return [
        Exhibitor(
            organization=o,
            innovations=sum(counts[o.id].values()),
            categories=[
                c for c, _n in sorted(counts[o.id].items(), key=lambda kv: (-kv[1], kv[0]))
            ],
            booth=booths.get(o.id),
        )
        for o in organizations
    ]


def is_exhibitor(session: Session, event: Event, organization_id: int) -> bool:
    """Whether the organization exhibits at ``event`` (has an accepted innovation there)."""
    return organization_id in _exhibitor_ids(session, event)


def _exhibitor_ids(session: Session, event: Event) -> set[int]:
    return set(
        session.scalars(
            select(Innovation.organization_id)
            .where(Innovation.event_id == event.id, Innovation.status == "accepted")
            .distinct()
        )
    )


def assign_booth(
    session: Session,
    event: Event,
    code: str,
    organization_id: int,
    *,
    actor_id: int | None = None,
) -> Booth:
    """Give booth ``code`` to an approved exhibitor by hand (auto-assignment keeps it).

    The exhibitor leaves its previous booth; a booth already held by another exhibitor
    answers 409 (use :func:`swap_booths`); a non-exhibitor answers 422.
    """
    lock_event(session, event)
    booth = get_booth(session, event, code)
    if organization_id not in _exhibitor_ids(session, event):
        raise ValidationFailed(
            _("Only approved exhibitors get booths."),
            fields={"organization": [_("Not an approved exhibitor of this event.")]},
        )
    if booth.organization_id not in (None, organization_id):
        raise Conflict(
            _("Booth %(code)s is already taken; swap instead.", code=code), booth=booth.code
        )
    previous = session.scalar(
        select(Booth).where(
            Booth.event_id == event.id,
            Booth.organization_id == organization_id,
            Booth.id != booth.id,
        )
    )
    if previous is not None:
        previous.organization_id = None
        previous.assigned_manually = False
        session.flush()
    booth.organization_id = organization_id
    booth.assigned_manually = True
    session.flush()
    audit.record(
        session,
        "exhibitors.booth_assigned",
        event_id=event.id,
        user_id=actor_id,
        code=code,
        organization_id=organization_id,
    )
    return booth


def unassign_booth(
    session: Session, event: Event, code: str, *, actor_id: int | None = None
) -> Booth:
    """Free a booth."""
    lock_event(session, event)
    booth = get_booth(session, event, code)
    booth.organization_id = None
    booth.assigned_manually = False
    session.flush()
    audit.record(session, "exhibitors.booth_freed", event_id=event.id, user_id=actor_id, code=code)
    return booth


def swap_booths(
    session: Session, event: Event, first: str, second: str, *, actor_id: int | None = None
) -> tuple[Booth, Booth]:
    """Exchange the exhibitors of two booths; both then count as assigned by hand."""
    lock_event(session, event)
    a = get_booth(session, event, first)
    b = get_booth(session, event, second)
    if a.id == b.id:
        raise ValidationFailed(
            _("Choose two different booths."), fields={"second": [_("Same booth.")]}
        )
    holder_a, holder_b = a.organization_id, b.organization_id
    # Free both first: (event, organization) is unique, so the swap goes through NULL.
    a.organization_id = None
    b.organization_id = None
    session.flush()
    a.organization_id, b.organization_id = holder_b, holder_a
    a.assigned_manually = holder_b is not None
    b.assigned_manually = holder_a is not None
    session.flush()
    audit.record(
        session,
        "exhibitors.booths_swapped",
        event_id=event.id,
        user_id=actor_id,
        codes=[first, second],
    )
    return a, b


@dataclass
class AssignmentResult:
    """What automatic assignment did: ``placed`` maps organization id to booth code."""

    placed: dict[int, str]


def _natural_key(code: str) -> tuple[object, ...]:
    return tuple(int(p) if p.isdigit() else p.lower() for p in re.split(r"(\d+)", code))


def _zone_wants(zone: Zone | None, exhibitor: Exhibitor) -> bool:
    if zone is None or not (zone.preferred_kind or zone.preferred_category):
        return False
    if zone.preferred_kind and zone.preferred_kind != exhibitor.organization.kind:
        return False
    return not (zone.preferred_category and zone.preferred_category != exhibitor.main_category)


def auto_assign(
    session: Session, event: Event, *, group_by_zone: bool = True, actor_id: int | None = None
) -> AssignmentResult:
    """Give every approved exhibitor without a booth a free booth, all or nothing.

    Booths assigned by hand never move.  With ``group_by_zone``, an exhibitor matching a
    zone's preferred kind and/or category gets a booth in that zone while there is room;
    the others fill zones without preferences first.  When free booths run out, raises
    :class:`Conflict` listing every exhibitor left without one and assigns nothing.
    """
    lock_event(session, event)
    exhibitors = list_exhibitors(session, event)
    waiting = [e for e in exhibitors if e.booth is None]
    free = sorted(
        session.scalars(
            select(Booth).where(Booth.event_id == event.id, Booth.organization_id.is_(None))
        ),
        key=lambda b: (b.zone, _natural_key(b.code)),
    )
    if len(free) < len(waiting):
        raise Conflict(
            _(
                "%(free)d free booths for %(waiting)d exhibitors without one; add booths first.",
                free=len(free),
                waiting=len(waiting),
            ),
            unassigned=[{"id": e.organization.id, "name": e.organization.name} for e in waiting],
        )
    zones = {z.name: z for z in list_zones(session, event)} if group_by_zone else {}
    preferring = {name for name, z in zones.items() if z.preferred_kind or z.preferred_category}
    placed: dict[int, str] = {}
    taken: set[int] = set()

    def take(exhibitor: Exhibitor, candidates: list[Booth]) -> bool:
        for booth in candidates:
            if booth.id not in taken:
                taken.add(booth.id)
                booth.organization_id = exhibitor.organization.id
                booth.assigned_manually = False
                placed[exhibitor.organization.id] = booth.code
                return True
        return False

    rest: list[Exhibitor] = []
    for exhibitor in waiting:
        wanted = [b for b in free if b.zone in preferring and _zone_wants(zones[b.zone], exhibitor)]
        if not (wanted and take(exhibitor, wanted)):
            rest.append(exhibitor)
    neutral = [b for b in free if b.zone not in preferring]
    others = [b for b in free if b.zone in preferring]
    for exhibitor in rest:
        take(exhibitor, neutral) or take(exhibitor, others)
    session.flush()
    audit.record(
        session,
        "exhibitors.booths_auto_assigned",
        event_id=event.id,
        user_id=actor_id,
        placed=len(placed),
    )
    return AssignmentResult(placed=placed)


def booth_for_organizations(
    session: Session, event: Event, organization_ids: list[int]
) -> dict[int, Booth]:
    """Booths of the given organizations in one query (organization id → booth)."""
    if not organization_ids:
        return {}
    booths = session.scalars(
        select(Booth).where(
            and_(Booth.event_id == event.id, Booth.organization_id.in_(set(organization_ids)))
        )
    )
    return {b.organization_id: b for b in booths if b.organization_id is not None}


def exhibitors_without_booth(session: Session, event: Event) -> int:
    """How many exhibiting agencies of ``event`` have no booth yet (two queries)."""
    exhibiting = _exhibitor_ids(session, event)
    placed = set(booth_for_organizations(session, event, sorted(exhibiting)))
    return len(exhibiting - placed)

"""Beranda saya (my home): the events where a person has something to do, and their roles there.

Core knows roles (organizer, judge), agency memberships and visitor passes; each plugin adds
its own part of the page through the ``event_my_home_panels`` hook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from core.models import Event, EventRole, Innovation, Membership, User, VisitorPass
from core.services.accounts import is_verified


@dataclass(frozen=True)
class MyRoles:
    """What a person is in one event: the argument plugins get to build their panels.

    ``organization_ids`` are the agencies the person belongs to (all of them, whether or not
    they exhibit at this event); ``exhibitor`` says one of them has an innovation here;
    ``pass_ids`` are the person's visitor passes of this event.
    """

    organizer: bool = False
    judge: bool = False
    exhibitor: bool = False
    organization_ids: tuple[int, ...] = ()
    pass_ids: tuple[int, ...] = ()

    @property
    def visitor(self) -> bool:
        """Whether the person holds a visitor pass of the event."""
        return bool(self.pass_ids)

    @property
    def names(self) -> list[str]:
        """The role names that apply, in display order."""
        flags = [
            ("organizer", self.organizer),
            ("judge", self.judge),
            ("exhibitor", self.exhibitor),
            ("visitor", self.visitor),
        ]
        return [name for name, on in flags if on]


@dataclass
class MyEvent:
    """One event on the person's home: the event, their roles and the plugins' panels."""

    event: Event
    roles: MyRoles
    panels: list[object] = field(default_factory=list)


def _ordered(events: list[Event], today: date) -> list[Event]:
    upcoming = sorted((e for e in events if e.ends_on >= today), key=lambda e: e.starts_on)
    past = sorted((e for e in events if e.ends_on < today), key=lambda e: e.starts_on, reverse=True)
    return upcoming + past


def my_events(session: Session, user: User, today: date | None = None) -> list[MyEvent]:
    """The events where ``user`` may have something, with their roles, upcoming ones first.

    An event is a candidate when the person holds a role there (organizer, judge), holds a
    visitor pass of it, one of their agencies has an innovation there, or it is published
    (not a draft, not archived): an agency may have registered, a visitor starred sessions.
    Plugins' panels are not filled in here; the caller asks the plugins (the view drops
    candidates left with no role and no panel).  Runs a fixed number of statements, however
    many events, roles, passes or innovations there are.
    """
    verified = is_verified(user)
    role_rows = (
        session.execute(
            select(EventRole.event_id, EventRole.role).where(EventRole.user_id == user.id)
        ).all()
        if verified
        else []
    )
    org_ids: tuple[int, ...] = ()
    if verified:
        org_ids = tuple(
            sorted(
                session.scalars(
                    select(Membership.organization_id).where(Membership.user_id == user.id)
                )
            )
        )
    pass_rows = session.execute(
        select(VisitorPass.event_id, VisitorPass.id)
        .where(VisitorPass.user_id == user.id)
        .order_by(VisitorPass.id)
    ).all()
    exhibiting: set[int] = set()
    if org_ids:
        exhibiting = set(
            session.scalars(
                select(Innovation.event_id)
                .where(Innovation.organization_id.in_(org_ids))
                .distinct()
            )
        )
    wanted = {event_id for event_id, _role in role_rows} | {e for e, _ in pass_rows} | exhibiting
    query = select(Event).options(selectinload(Event.plugins))
    query = query.where(Event.id.in_(wanted) | (Event.status == "published"))
    events = list(session.scalars(query))
    result = []
    for event in _ordered(events, today or date.today()):
        roles = {role for event_id, role in role_rows if event_id == event.id}
        if event.status == "draft" and "organizer" not in roles and not user.is_admin:
            continue  # a draft is nobody's business but its organizers'
        result.append(
            MyEvent(
                event=event,
                roles=MyRoles(
                    organizer="organizer" in roles,
                    judge="judge" in roles,
                    exhibitor=event.id in exhibiting,
                    organization_ids=org_ids,
                    pass_ids=tuple(p for e, p in pass_rows if e == event.id),
                ),
            )
        )
    return result

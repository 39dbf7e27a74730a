"""Per-event roles (organizer, judge), judge conflicts and permission checks."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from core.i18n import Msg
from core.models import EVENT_ROLES, Event, EventRole, JudgeConflict, Membership, Organization, User
from core.services import audit
from core.services.accounts import find_user, get_or_invite_user, is_verified, normalize_email
from core.services.errors import ValidationFailed


def has_role(session: Session, user: User | None, event: Event, role: str) -> bool:
    """Whether ``user`` holds ``role`` in ``event`` (site admins count as organizers).

    An account whose e-mail is not verified holds no role: it may have been created by
    somebody who merely typed the appointed person's address.
    """
    if user is None or not is_verified(user):
        return False
    if role == "organizer" and user.is_admin:
        return True
    found = session.scalar(
        select(EventRole.id).where(
            EventRole.event_id == event.id, EventRole.user_id == user.id, EventRole.role == role
        )
    )
    return found is not None


def is_organizer(session: Session, user: User | None, event: Event) -> bool:
    """Whether ``user`` may run ``event`` (organizer role or site admin)."""
    return has_role(session, user, event, "organizer")


def appoint(
    session: Session,
    event: Event,
    *,
    email: str,
    role: str,
    name: str | None = None,
    conflicts: list[int] | None = None,
    actor_id: int | None = None,
    registry: Any = None,
) -> tuple[EventRole, bool]:
    """Give the user with ``email`` a role in ``event``, inviting them if they are new.

    Returns the role and whether a new account was created.  Appointing again is
    idempotent; when ``conflicts`` is given the declared conflicts become exactly that set
    (kept rows stay, others are deleted before new ones are inserted, so the unique key
    on (role, organization) never sees a duplicate).  Conflicts newly declared for a judge
    are announced to the event's plugins (``on_judge_conflicts_declared``) when a
    ``registry`` is given, so pending assignments of those agencies are withdrawn.
    """
    if role not in EVENT_ROLES:
        raise ValidationFailed("unknown role", fields={"role": ["Use organizer or judge."]})
    conflict_ids = sorted(set(conflicts or []))
    if conflict_ids:
        known = set(
            session.scalars(select(Organization.id).where(Organization.id.in_(conflict_ids)))
        )
        missing = [i for i in conflict_ids if i not in known]
        if missing:
            raise ValidationFailed(
                "unknown organization",
                fields={"conflicts": [Msg("Unknown agency %(id)s.", id=i) for i in missing]},
            )
    user, created = get_or_invite_user(session, email, name)
    event_role = session.scalar(
        select(EventRole)
        .where(EventRole.event_id == event.id, EventRole.user_id == user.id, EventRole.role == role)
        .options(selectinload(EventRole.conflicts))
    )
    if event_role is None:
        event_role = EventRole(event_id=event.id, user_id=user.id, role=role)
        session.add(event_role)
        session.flush()
    added: list[int] = []
    if conflicts is not None:
        before = {c.organization_id for c in event_role.conflicts}
        added = [i for i in conflict_ids if i not in before]
        _replace_conflicts(session, event_role, conflict_ids)
    session.flush()
    if added and role == "judge" and registry is not None:
        registry.call_for_event(
            event,
            "on_judge_conflicts_declared",
            user_id=user.id,
            organization_ids=added,
            actor_id=actor_id,
            session=session,
        )
    audit.record(
        session,
        "role.appointed",
        event_id=event.id,
        user_id=actor_id,
        email=user.email,
        role=role,
        conflicts=sorted(c.organization_id for c in event_role.conflicts),
    )
    return event_role, created


def _replace_conflicts(session: Session, event_role: EventRole, wanted: list[int]) -> None:
    """Make ``event_role``'s declared conflicts exactly ``wanted``: delete, flush, then add."""
    keep = set(wanted)
    stale = [c for c in event_role.conflicts if c.organization_id not in keep]
    for conflict in stale:
        event_role.conflicts.remove(conflict)
        session.delete(conflict)
    if stale:
        session.flush()
    present = {c.organization_id for c in event_role.conflicts}
    for organization_id in wanted:
        if organization_id not in present:
            event_role.conflicts.append(JudgeConflict(organization_id=organization_id))


def find_role(session: Session, event: Event, email: str, role: str) -> EventRole | None:
    """The ``role`` the account with ``email`` holds in ``event``, if any."""
    try:
        user = find_user(session, normalize_email(email))
    except ValidationFailed:
        return None
    if user is None:
        return None
    return session.scalar(
        select(EventRole).where(
            EventRole.event_id == event.id, EventRole.user_id == user.id, EventRole.role == role
        )
    )


def revoke(session: Session, event: Event, role_id: int, *, actor_id: int | None = None) -> None:
    """Remove a role from the event (no error if it is already gone)."""
    event_role = session.get(EventRole, role_id)
    if event_role is None or event_role.event_id != event.id:
        return
    audit.record(
        session,
        "role.revoked",
        event_id=event.id,
        user_id=actor_id,
        role=event_role.role,
        target_user_id=event_role.user_id,
    )
    session.delete(event_role)
    session.flush()


def organization_choices(session: Session, q: str = "") -> list[tuple[int, str]]:
    """Agencies as (id, "Name (short name) — region"), by name: the conflicts picker.

    ``q`` keeps those whose name, short name or aliases contain every word of it.
    """
    from core.services import text_search

    query = select(Organization)
    for word in q.split()[:8]:
        query = query.where(
            text_search.contains(Organization.name, word)
            | text_search.contains(Organization.short_name, word)
            | text_search.contains(Organization.aliases, word)
        )
    rows = session.scalars(query.order_by(Organization.name, Organization.id))
    return [(o.id, f"{o.label} \u2014 {o.region}" if o.region else o.label) for o in rows]


def event_roles(session: Session, event: Event) -> list[EventRole]:
    """All roles of an event with their users and conflicts, organizers first."""
    return list(
        session.scalars(
            select(EventRole)
            .where(EventRole.event_id == event.id)
            .options(
                selectinload(EventRole.user),
                selectinload(EventRole.conflicts).selectinload(JudgeConflict.organization),
            )
            .order_by(EventRole.role.desc(), EventRole.id)
        )
    )


def user_roles(session: Session, user: User) -> list[tuple[str, str]]:
    """(event slug, role) pairs the user holds."""
    rows = session.execute(
        select(Event.slug, EventRole.role)
        .join(EventRole, EventRole.event_id == Event.id)
        .where(EventRole.user_id == user.id)
        .order_by(Event.slug, EventRole.role)
    )
    return [(slug, role) for slug, role in rows]


def user_organizations(session: Session, user: User) -> list[Organization]:
    """Organizations the user is a member of (none while the e-mail is unverified)."""
    if not is_verified(user):
        return []
    return list(
        session.scalars(
            select(Organization)
            .join(Membership, Membership.organization_id == Organization.id)
            .where(Membership.user_id == user.id)
            .order_by(Organization.name)
        )
    )


def judge_conflict_organization_ids(session: Session, event: Event, user: User) -> set[int]:
    """Organizations a judge may never score in ``event``: their own and declared ones.

    Own organizations count only for a verified account (an unverified one is nobody's
    member yet).
    """
    own: set[int] = set()
    if is_verified(user):
        own = set(
            session.scalars(select(Membership.organization_id).where(Membership.user_id == user.id))
        )
    declared = set(
        session.scalars(
            select(JudgeConflict.organization_id)
            .join(EventRole, EventRole.id == JudgeConflict.event_role_id)
            .where(EventRole.event_id == event.id, EventRole.user_id == user.id)
        )
    )
    return own | declared

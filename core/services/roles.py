"""Per-event roles (organizer, judge), judge conflicts and permission checks."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from core.models import EVENT_ROLES, Event, EventRole, JudgeConflict, Membership, Organization, User
from core.services import audit
from core.services.accounts import get_or_invite_user
from core.services.errors import ValidationFailed


def has_role(session: Session, user: User | None, event: Event, role: str) -> bool:
    """Whether ``user`` holds ``role`` in ``event`` (site admins count as organizers)."""
    if user is None:
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
) -> tuple[EventRole, bool]:
    """Give the user with ``email`` a role in ``event``, inviting them if they are new.

    Returns the role and whether a new account was created.  Appointing again is
    idempotent; for judges the declared conflicts are replaced by ``conflicts``.
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
                fields={"conflicts": [f"Unknown organization id {i}." for i in missing]},
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
    if conflicts is not None:
        # Keep the rows of conflicts declared again: a new row for the same organization
        # would be inserted before the old one is deleted (a unique violation).
        existing = {c.organization_id: c for c in event_role.conflicts}
        event_role.conflicts = [
            existing.get(i) or JudgeConflict(organization_id=i) for i in conflict_ids
        ]
    session.flush()
    audit.record(
        session,
        "role.appointed",
        event_id=event.id,
        user_id=actor_id,
        email=user.email,
        role=role,
        conflicts=conflict_ids,
    )
    return event_role, created


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


def event_roles(session: Session, event: Event) -> list[EventRole]:
    """All roles of an event with their users and conflicts, organizers first."""
    return list(
        session.scalars(
            select(EventRole)
            .where(EventRole.event_id == event.id)
            .options(selectinload(EventRole.user), selectinload(EventRole.conflicts))
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
    """Organizations the user is a member of."""
    return list(
        session.scalars(
            select(Organization)
            .join(Membership, Membership.organization_id == Organization.id)
            .where(Membership.user_id == user.id)
            .order_by(Organization.name)
        )
    )


def judge_conflict_organization_ids(session: Session, event: Event, user: User) -> set[int]:
    """Organizations a judge may never score in ``event``: their own and declared ones."""
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

"""Agencies' members and claims: who belongs to an agency is proven, never guessed by name.

An agency (``Organization``) persists across events and years, and its members edit its
exhibitor profile in every event.  So nobody joins an agency because a registration in
some event typed the same name: a membership is granted only

* to someone who is already a member (nothing changes),
* to the contact of the registration that created the agency, while it has no members
  (the registration plugin decides this; it records that it created the agency), or
* when an existing member of the agency, or a site admin, confirms an
  :class:`~core.models.OrganizationClaim`.

Members see the agency's members and remove them (themselves included), except the last
one: an agency always keeps someone who can confirm the next claim, unless a site admin
removes that last member.  Everything here is checked per agency: a caller who is neither
a member nor a site admin gets :class:`NotFound` (the agency's members are not revealed).

Functions take a session and plain values and never commit.  Those that send mail need an
application context (templates and absolute links).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from core.i18n import N_
from core.models import (
    CLAIM_DECISIONS,
    Event,
    Membership,
    Organization,
    OrganizationClaim,
    User,
)
from core.services import accounts, audit
from core.services.errors import Conflict, NotFound, ValidationFailed


def is_member(session: Session, user_id: int | None, organization_id: int) -> bool:
    """Whether the user belongs to the organization."""
    if user_id is None:
        return False
    return (
        session.scalar(
            select(Membership.id).where(
                Membership.user_id == user_id, Membership.organization_id == organization_id
            )
        )
        is not None
    )


def member_count(session: Session, organization_id: int) -> int:
    """How many members the organization has."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Membership)
            .where(Membership.organization_id == organization_id)
        )
        or 0
    )


def grant(
    session: Session, organization_id: int, user_id: int, *, role: str = "exhibitor"
) -> Membership:
    """Make the user a member of the organization (idempotent).

    Callers must have proven the membership first (see the module docstring).
    """
    membership = session.scalar(
        select(Membership).where(
            Membership.user_id == user_id, Membership.organization_id == organization_id
        )
    )
    if membership is None:
        membership = Membership(user_id=user_id, organization_id=organization_id, role=role)
        session.add(membership)
        session.flush()
    return membership


def my_organizations(session: Session, user: User) -> list[tuple[Organization, Membership]]:
    """The user's agencies with their membership, by name."""
    rows = session.execute(
        select(Organization, Membership)
        .join(Membership, Membership.organization_id == Organization.id)
        .where(Membership.user_id == user.id)
        .order_by(Organization.name, Organization.id)
    ).all()
    return [(organization, membership) for organization, membership in rows]


def can_manage(session: Session, user: User | None, organization_id: int) -> bool:
    """Whether ``user`` may see and manage the agency: a member or a site admin."""
    if user is None:
        return False
    return bool(user.is_admin) or is_member(session, user.id, organization_id)


def organization_for(session: Session, user: User | None, organization_id: int) -> Organization:
    """The agency when ``user`` may manage it; :class:`NotFound` otherwise (never revealed)."""
    organization = session.get(Organization, organization_id)
    if organization is None or not can_manage(session, user, organization_id):
        raise NotFound(N_("Unknown agency."))
    return organization


def members(session: Session, organization_id: int) -> list[Membership]:
    """The organization's memberships with their users, oldest first."""
    return list(
        session.scalars(
            select(Membership)
            .options(selectinload(Membership.user))
            .where(Membership.organization_id == organization_id)
            .order_by(Membership.created_at, Membership.id)
        )
    )


def remove_member(
    session: Session, organization: Organization, user_id: int, *, actor: User
) -> None:
    """Remove a member (or leave, when ``user_id`` is the actor's); audited.

    The actor must be a member or a site admin (:class:`NotFound` otherwise).  The last
    member cannot be removed except by a site admin (:class:`Conflict`), so an agency
    keeps someone who can confirm claims.  The removed member loses every right that
    comes from the membership at once (the exhibitor profile of every event).
    """
    if not can_manage(session, actor, organization.id):
        raise NotFound(N_("Unknown agency."))
    membership = session.scalar(
        select(Membership).where(
            Membership.user_id == user_id, Membership.organization_id == organization.id
        )
    )
    if membership is None:
        raise NotFound(N_("Unknown member."))
    if not actor.is_admin and member_count(session, organization.id) <= 1:
        raise Conflict(
            N_("The last member cannot leave: confirm another member first."),
        )
    session.delete(membership)
    session.flush()
    audit.record(
        session,
        "organization.member_removed",
        user_id=actor.id,
        organization_id=organization.id,
        member_id=user_id,
        left=user_id == actor.id,
    )


MAX_ALIASES = 20


def update_names(
    session: Session,
    organization: Organization,
    *,
    short_name: str,
    aliases: str,
    actor: User,
) -> None:
    """Set the agency's short name and aliases (one per line); members and site admins only.

    Aliases are trimmed, de-duplicated case-insensitively and capped at :data:`MAX_ALIASES`;
    the change is audited.  :class:`NotFound` when the actor may not manage the agency,
    :class:`ValidationFailed` when a value is too long.
    """
    if not can_manage(session, actor, organization.id):
        raise NotFound(N_("Unknown agency."))
    short = " ".join(short_name.split())
    seen: set[str] = set()
    cleaned: list[str] = []
    for line in aliases.splitlines():
        alias = " ".join(line.split())
        if alias and alias.casefold() not in seen:
            seen.add(alias.casefold())
            cleaned.append(alias)
    fields: dict[str, list[str]] = {}
    if len(short) > 80:
        fields["short_name"] = [N_("Use at most 80 characters.")]
    joined = "\n".join(cleaned[:MAX_ALIASES])
    if len(cleaned) > MAX_ALIASES or len(joined) > 1000 or any(len(a) > 120 for a in cleaned):
        fields["aliases"] = [N_("Give at most 20 other names of at most 120 characters each.")]
    if fields:
        raise ValidationFailed(N_("Check the highlighted fields."), fields=fields)
    before = {"short_name": organization.short_name, "aliases": organization.alias_list}
    organization.short_name = short
    organization.aliases = joined
    session.flush()
    audit.record(
        session,
        "organization.names_updated",
        user_id=actor.id,
        organization_id=organization.id,
        before=before,
        after={"short_name": short, "aliases": cleaned},
    )


# --- claims ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimRow:
    """A claim with what a reader needs to judge it: its agency and event."""

    claim: OrganizationClaim
    organization: Organization
    event: Event | None


def _claim_rows(session: Session, query: Any) -> list[ClaimRow]:
    rows = session.execute(
        query.join(Organization, Organization.id == OrganizationClaim.organization_id)
        .outerjoin(Event, Event.id == OrganizationClaim.event_id)
        .add_columns(Organization, Event)
        .order_by(OrganizationClaim.created_at, OrganizationClaim.id)
    ).all()
    return [ClaimRow(claim=claim, organization=org, event=event) for claim, org, event in rows]


def claims_of(
    session: Session, organization_id: int, *, status: str | None = None
) -> list[ClaimRow]:
    """The organization's claims (all, or those in ``status``), oldest first."""
    query = select(OrganizationClaim).where(OrganizationClaim.organization_id == organization_id)
    if status:
        query = query.where(OrganizationClaim.status == status)
    return _claim_rows(session, query)


def pending_claims(session: Session) -> list[ClaimRow]:
    """Every pending claim of every agency (the site admins' list), oldest first."""
    return _claim_rows(
        session, select(OrganizationClaim).where(OrganizationClaim.status == "pending")
    )


def claim_for_registration(
    session: Session, event_id: int, registration_id: int
) -> OrganizationClaim | None:
    """The newest claim made by a registration of the event, if any."""
    return session.scalar(
        select(OrganizationClaim)
        .where(
            OrganizationClaim.event_id == event_id,
            OrganizationClaim.registration_id == registration_id,
        )
        .order_by(OrganizationClaim.id.desc())
        .limit(1)
    )


def request_claim(
    session: Session,
    organization: Organization,
    *,
    email: str,
    name: str,
    event: Event | None,
    registration_id: int | None,
) -> tuple[OrganizationClaim, bool]:
    """Ask the agency's members to confirm that ``email`` belongs to it.

    Returns the claim and whether it is new.  The same registration asking again (a
    re-approval, a bulk decision) gets its earlier claim back, pending or refused: a refusal
    is not undone by approving once more.  A new claim is mailed to the agency's members
    and to the site admins.
    """
    email = accounts.normalize_email(email)
    query = select(OrganizationClaim).where(
        OrganizationClaim.organization_id == organization.id,
        OrganizationClaim.email == email,
    )
    if registration_id is not None and event is not None:
        earlier = session.scalar(
            query.where(
                OrganizationClaim.event_id == event.id,
                OrganizationClaim.registration_id == registration_id,
            )
            .order_by(OrganizationClaim.id.desc())
            .limit(1)
        )
        if earlier is not None and earlier.status in ("pending", "refused"):
            return earlier, False
    pending = session.scalar(query.where(OrganizationClaim.status == "pending"))
    if pending is not None:
        return pending, False
    existing_user = accounts.find_user(session, email)
    claim = OrganizationClaim(
        organization_id=organization.id,
        user_id=existing_user.id if existing_user is not None else None,
        email=email,
        name=(name or "").strip()[:200],
        event_id=event.id if event is not None else None,
        registration_id=registration_id,
        status="pending",
    )
    try:
        with session.begin_nested():  # a concurrent claim of the same e-mail wins the index
            session.add(claim)
            session.flush()
    except IntegrityError:
        raced = session.scalar(query.where(OrganizationClaim.status == "pending"))
        if raced is None:
            raise
        return raced, False
    audit.record(
        session,
        "organization.claim_requested",
        event_id=claim.event_id,
        organization_id=organization.id,
        claim_id=claim.id,
        registration_id=registration_id,
    )
    from core import notifications

    notifications.send_claim_waiting(
        session, claim, organization, event, _reviewers(session, organization.id)
    )
    return claim, True


def _reviewers(session: Session, organization_id: int) -> list[User]:
    """Who is told that a claim waits: the agency's active members and the site admins."""
    users = session.scalars(
        select(User)
        .where(
            User.is_active.is_(True),
            (User.is_admin.is_(True))
            | User.id.in_(
                select(Membership.user_id).where(Membership.organization_id == organization_id)
            ),
        )
        .order_by(User.id)
    )
    return list(users)


def withdraw_claims(session: Session, event_id: int, registration_id: int) -> int:
    """Drop the registration's pending claims (it is no longer approved); how many."""
    claims = list(
        session.scalars(
            select(OrganizationClaim).where(
                OrganizationClaim.event_id == event_id,
                OrganizationClaim.registration_id == registration_id,
                OrganizationClaim.status == "pending",
            )
        )
    )
    for claim in claims:
        session.delete(claim)
    session.flush()
    return len(claims)


def get_claim(session: Session, organization_id: int, claim_id: int) -> OrganizationClaim:
    """One claim of the organization, or :class:`NotFound`."""
    claim = session.get(OrganizationClaim, claim_id)
    if claim is None or claim.organization_id != organization_id:
        raise NotFound(N_("Unknown claim."))
    return claim


def decide_claim(
    session: Session,
    registry: Any,
    claim: OrganizationClaim,
    status: str,
    *,
    actor: User,
    now: datetime,
) -> OrganizationClaim:
    """Confirm or refuse a pending claim: a member of its agency or a site admin only.

    Confirming makes the claimant a member (an account is created, password-less, when the
    e-mail has none) and tells the plugins enabled for the claim's event
    (``on_organization_claim_decided``: the registration plugin links its contact).  The
    claimant is mailed the outcome either way.  Anyone else gets :class:`NotFound`; a claim
    already decided is a :class:`Conflict`.
    """
    if status not in CLAIM_DECISIONS:
        raise ValidationFailed(
            "unknown decision", fields={"status": [N_("Choose confirmed or refused.")]}
        )
    if not can_manage(session, actor, claim.organization_id):
        raise NotFound(N_("Unknown claim."))
    if claim.status != "pending":
        raise Conflict(N_("This claim was already decided."))
    claim.status = status
    claim.decided_at = now
    claim.decided_by_id = actor.id
    user: User | None = None
    new_account = False
    if status == "confirmed":
        user, new_account = accounts.get_or_invite_user(session, claim.email, claim.name)
        claim.user_id = user.id
        grant(session, claim.organization_id, user.id)
    session.flush()
    audit.record(
        session,
        f"organization.claim_{status}",
        event_id=claim.event_id,
        user_id=actor.id,
        organization_id=claim.organization_id,
        claim_id=claim.id,
        registration_id=claim.registration_id,
    )
    event = session.get(Event, claim.event_id) if claim.event_id is not None else None
    if event is not None and registry is not None:
        registry.call_for_event(
            event, "on_organization_claim_decided", claim=claim, session=session
        )
    from core import notifications

    organization = session.get(Organization, claim.organization_id)
    assert organization is not None
    notifications.send_claim_decided(session, claim, organization, event, user, new_account)
    return claim


def claims_for_registrations(
    session: Session, event_id: int, registration_ids: list[int]
) -> dict[int, OrganizationClaim]:
    """The newest claim of each of the event's registrations that has one."""
    if not registration_ids:
        return {}
    found: dict[int, OrganizationClaim] = {}
    for claim in session.scalars(
        select(OrganizationClaim)
        .where(
            OrganizationClaim.event_id == event_id,
            OrganizationClaim.registration_id.in_(set(registration_ids)),
        )
        .order_by(OrganizationClaim.id)
    ):
        if claim.registration_id is not None:
            found[claim.registration_id] = claim
    return found

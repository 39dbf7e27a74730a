"""Two events for the claim tests: "Dinas X" registered in A, "DINAS X" named again in B.

Two events with their own organizers.  "Dinas X" registers in A (and so is created by
that registration); "DINAS X" (same region, other letter case) registers in B with
another contact.  B's approval must not make that contact a member: it leaves a pending
claim that only a member of the agency (or a site admin) decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Event, OrganizationClaim, User
from core.services import accounts, memberships
from plugins.registration import services
from plugins.registration.models import Registration
from tests.plugins.registration.conftest import (
    NOW,
    OPEN_WINDOW,
    innovation_input,
    set_settings,
)

ORGANIZER_A = "panitia-a@example.id"
ORGANIZER_B = "panitia-b@example.id"
ALICE = "alice@dinasx.example.id"  # the agency's real contact (event A)
MALLORY = "mallory@elsewhere.example.id"  # names the same agency in event B
ADMIN = "root@example.id"
REGION = "Kabupaten Banyuwangi"


@dataclass
class World:
    """Two events, their organizers, a site admin and the people registering."""

    a: Event
    b: Event
    organizer_a: User
    organizer_b: User
    admin: User
    mallory: User


@pytest.fixture
def world(app: Flask, db: Session, make: Any) -> World:
    """Events ``a-2026`` and ``b-2026`` (registration and exhibitors on, windows open)."""
    organizer_a = make.user(ORGANIZER_A, "Panitia A")
    organizer_b = make.user(ORGANIZER_B, "Panitia B")
    admin = make.user(ADMIN, "Root", admin=True)
    mallory = make.user(MALLORY, "Mallory")
    events = []
    for slug, organizer in (("a-2026", organizer_a), ("b-2026", organizer_b)):
        created = make.event(
            slug,
            plugins=["registration", "exhibitors"],
            organizer=organizer,
            starts_on=date(2999, 12, 10),
            ends_on=date(2999, 12, 11),
        )
        set_settings(app, db, created, **OPEN_WINDOW)
        events.append(created)
    return World(events[0], events[1], organizer_a, organizer_b, admin, mallory)


def register(
    db: Session, registry: Any, event: Event, name: str, email: str, region: str = REGION
) -> Registration:
    """A pending registration of ``name`` with contact ``email`` (committed)."""
    registration = services.submit_registration(
        db,
        registry,
        db.merge(event),
        organization=services.OrganizationInput(name=name, kind="government", region=region),
        contact=services.ContactInput(
            name=email.split("@")[0].title(), email=email, phone="0812-3456-7890"
        ),
        innovations=[innovation_input()],
        now=NOW,
    )
    db.commit()
    return registration


def approve(db: Session, registry: Any, event: Event, registration: Registration, actor: User):
    """Approve through the service (committed)."""
    services.decide(
        db, registry, db.merge(event), registration, "approved", "", actor_id=actor.id, now=NOW
    )
    db.commit()
    return registration


def is_member(db: Session, email: str, organization_id: int) -> bool:
    """Whether the user with ``email`` belongs to the organization (fresh read)."""
    db.expire_all()
    user = accounts.find_user(db, email)
    found = user is not None and memberships.is_member(db, user.id, organization_id)
    db.commit()
    return found


def claims(db: Session) -> list[OrganizationClaim]:
    """Every claim, oldest first (fresh read)."""
    db.expire_all()
    found = list(db.scalars(select(OrganizationClaim).order_by(OrganizationClaim.id)))
    db.commit()
    return found


@pytest.fixture
def agency_of_a(app: Flask, db: Session, registry: Any, world: World) -> Registration:
    """Dinas X registered in A by Alice and approved: Alice is its only member."""
    with app.app_context():
        registration = register(db, registry, world.a, "Dinas X", ALICE)
        approve(db, registry, world.a, registration, world.organizer_a)
    assert registration.created_organization is True
    assert is_member(db, ALICE, registration.organization_id)
    return registration


@pytest.fixture
def claim_of_b(
    app: Flask, db: Session, registry: Any, world: World, agency_of_a: Registration
) -> Registration:
    """DINAS X registered in B by Mallory and approved by B's organizer: a pending claim."""
    with app.app_context():
        registration = register(db, registry, world.b, "DINAS X", MALLORY, region=REGION.upper())
        return approve(db, registry, world.b, registration, world.organizer_b)

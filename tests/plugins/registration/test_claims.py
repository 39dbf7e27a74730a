"""Agencies are claimed, never matched, at the service level (see ``claims_world``).

Approval grants a membership only when proven; otherwise a pending claim that a member of
the agency or a site admin decides.  Re-approvals, bulk decisions and accepted offers go
through the same rule.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db import utcnow
from core.models import AuditEntry, Membership, OrganizationClaim
from core.services import accounts, memberships, plugin_settings
from core.services.errors import Conflict, NotFound
from plugins.registration import services
from plugins.registration.models import Registration
from tests.plugins.registration.claims_world import (
    ADMIN,
    ALICE,
    MALLORY,
    ORGANIZER_B,
    REGION,
    World,
    agency_of_a,
    approve,
    claim_of_b,
    claims,
    is_member,
    register,
    world,
)
from tests.plugins.registration.conftest import NOW, mails_to, set_settings

pytestmark = pytest.mark.usefixtures("ctx")
FIXTURES = (agency_of_a, claim_of_b, world)


# --- the reproduction, at the service level ------------------------------------------------


def test_a_name_match_in_another_event_grants_nothing(
    db: Session, world: World, agency_of_a: Registration, claim_of_b: Registration
) -> None:
    organization_id = agency_of_a.organization_id
    assert claim_of_b.organization_id == organization_id  # the name only suggests the agency
    assert claim_of_b.created_organization is False
    assert claim_of_b.status == "approved"  # the innovations are accepted as before
    assert [i.status for i in claim_of_b.innovations] == ["accepted"]
    assert not is_member(db, MALLORY, organization_id)
    assert claim_of_b.contact_user_id is None
    (claim,) = claims(db)
    assert (claim.status, claim.email, claim.organization_id) == (
        "pending",
        MALLORY,
        organization_id,
    )
    assert (claim.event_id, claim.registration_id) == (world.b.id, claim_of_b.id)
    # The members and the site admins are asked; the contact is told it awaits them.
    assert "DINAS X".lower() in mails_to(db, ALICE)[-1].body_text.lower()
    assert "/account/organizations/" in mails_to(db, ALICE)[-1].body_text
    assert "/admin/claims" in mails_to(db, ADMIN)[-1].body_text
    decided = mails_to(db, MALLORY)[-1].body_text
    assert "mengonfirmasi Anda" in decided and "/auth/invitation/" not in decided
    assert mails_to(db, ORGANIZER_B) == []


def test_the_registration_that_created_the_agency_grants_at_once(
    db: Session, registry: Any, world: World
) -> None:
    registration = register(db, registry, world.b, "Dinas Baru", MALLORY)
    approve(db, registry, world.b, registration, world.organizer_b)
    assert is_member(db, MALLORY, registration.organization_id)
    assert registration.contact_user_id == world.mallory.id
    assert claims(db) == []


def test_a_created_agency_that_already_has_members_needs_a_claim(
    db: Session, registry: Any, world: World
) -> None:
    """Created by the registration, but someone joined meanwhile: not proven any more."""
    registration = register(db, registry, world.b, "Dinas Baru", MALLORY)
    db.add(Membership(user_id=world.organizer_a.id, organization_id=registration.organization_id))
    db.commit()
    approve(db, registry, world.b, registration, world.organizer_b)
    assert not is_member(db, MALLORY, registration.organization_id)
    assert [c.status for c in claims(db)] == ["pending"]


def test_a_contact_already_member_is_linked_without_a_claim(
    db: Session, registry: Any, world: World, agency_of_a: Registration
) -> None:
    registration = register(db, registry, world.b, "dinas x", ALICE)
    approve(db, registry, world.b, registration, world.organizer_b)
    alice = accounts.find_user(db, ALICE)
    assert alice is not None and registration.contact_user_id == alice.id
    assert claims(db) == []


def test_changing_the_agency_of_a_draft_to_an_existing_one_is_not_a_creation(
    db: Session, registry: Any, world: World, agency_of_a: Registration
) -> None:
    draft = services.start_draft(
        db,
        db.merge(world.b),
        services.OrganizationInput("Dinas Lain", "government", REGION),
        now=NOW,
    )
    assert draft.created_organization is True
    services.update_organization(
        db,
        db.merge(world.b),
        draft,
        services.OrganizationInput("DINAS X", "government", REGION),
        now=NOW,
    )
    assert draft.organization_id == agency_of_a.organization_id
    assert draft.created_organization is False


# --- deciding the claim -----------------------------------------------------------------------


def _claim(db: Session) -> OrganizationClaim:
    (claim,) = claims(db)
    return claim


def test_a_member_confirms(
    db: Session, registry: Any, world: World, agency_of_a: Registration, claim_of_b: Registration
) -> None:
    alice = accounts.find_user(db, ALICE)
    memberships.decide_claim(db, registry, _claim(db), "confirmed", actor=alice, now=utcnow())
    db.commit()
    assert is_member(db, MALLORY, agency_of_a.organization_id)
    db.expire_all()
    assert db.get(Registration, claim_of_b.id).contact_user_id == world.mallory.id
    assert "Anda kini anggota" in mails_to(db, MALLORY)[-1].body_text
    actions = db.scalars(select(AuditEntry.action)).all()
    assert "organization.claim_confirmed" in actions
    with pytest.raises(Conflict):  # decided once
        memberships.decide_claim(db, registry, _claim(db), "refused", actor=alice, now=utcnow())


def test_a_member_refuses_and_a_re_approval_does_not_ask_again(
    db: Session, registry: Any, world: World, agency_of_a: Registration, claim_of_b: Registration
) -> None:
    alice = accounts.find_user(db, ALICE)
    memberships.decide_claim(db, registry, _claim(db), "refused", actor=alice, now=utcnow())
    db.commit()
    assert not is_member(db, MALLORY, agency_of_a.organization_id)
    assert "tidak mengonfirmasi" in mails_to(db, MALLORY)[-1].body_text
    asked = len(mails_to(db, ALICE))
    approve(db, registry, world.b, db.merge(claim_of_b), world.organizer_b)
    assert [c.status for c in claims(db)] == ["refused"]
    assert len(mails_to(db, ALICE)) == asked
    assert not is_member(db, MALLORY, agency_of_a.organization_id)


def test_a_site_admin_confirms(
    db: Session, registry: Any, world: World, agency_of_a: Registration, claim_of_b: Registration
) -> None:
    memberships.decide_claim(db, registry, _claim(db), "confirmed", actor=world.admin, now=NOW)
    db.commit()
    assert is_member(db, MALLORY, agency_of_a.organization_id)


@pytest.mark.parametrize("who", ["organizer_b", "organizer_a", "mallory"])
def test_organizers_and_the_claimant_cannot_decide(
    db: Session, registry: Any, world: World, claim_of_b: Registration, who: str
) -> None:
    with pytest.raises(NotFound):
        memberships.decide_claim(
            db, registry, _claim(db), "confirmed", actor=getattr(world, who), now=NOW
        )
    db.rollback()
    assert [c.status for c in claims(db)] == ["pending"]
    assert not is_member(db, MALLORY, claim_of_b.organization_id)


def test_re_approval_keeps_one_pending_claim(
    db: Session, registry: Any, world: World, agency_of_a: Registration, claim_of_b: Registration
) -> None:
    asked = len(mails_to(db, ALICE))
    approve(db, registry, world.b, db.merge(claim_of_b), world.organizer_b)
    assert [c.status for c in claims(db)] == ["pending"]
    assert len(mails_to(db, ALICE)) == asked
    assert not is_member(db, MALLORY, agency_of_a.organization_id)


def test_bulk_decisions_go_through_the_same_rule(
    db: Session, registry: Any, world: World, agency_of_a: Registration
) -> None:
    matched = register(db, registry, world.b, "Dinas x", MALLORY)
    fresh = register(db, registry, world.b, "Dinas Baru", "budi@baru.example.id")
    result = services.decide_many(
        db,
        registry,
        db.merge(world.b),
        [matched.id, fresh.id],
        "approved",
        "",
        actor_id=world.organizer_b.id,
        now=NOW,
    )
    db.commit()
    assert result.decided == [matched.id, fresh.id]
    assert not is_member(db, MALLORY, agency_of_a.organization_id)
    assert is_member(db, "budi@baru.example.id", fresh.organization_id)
    assert [(c.registration_id, c.status) for c in claims(db)] == [(matched.id, "pending")]


def test_accepting_an_offered_place_goes_through_the_same_rule(
    app: Flask, db: Session, registry: Any, world: World, agency_of_a: Registration
) -> None:
    set_settings(app, db, world.b, exhibitor_quota=1)
    first = register(db, registry, world.b, "Dinas Baru", "budi@baru.example.id")
    waiting = register(db, registry, world.b, "DINAS X", MALLORY)
    approve(db, registry, world.b, first, world.organizer_b)
    services.decide(
        db, registry, db.merge(world.b), waiting, "waitlisted", "", actor_id=None, now=NOW
    )
    services.withdraw(db, registry, db.merge(world.b), db.merge(first), now=NOW)
    db.commit()
    services.accept_offer(db, registry, db.merge(world.b), db.merge(waiting), now=NOW)
    db.commit()
    assert db.merge(waiting).status == "approved"
    assert not is_member(db, MALLORY, agency_of_a.organization_id)
    assert [c.status for c in claims(db)] == ["pending"]


def test_rejecting_or_withdrawing_drops_the_pending_claim(
    db: Session, registry: Any, world: World, claim_of_b: Registration
) -> None:
    services.decide(
        db,
        registry,
        db.merge(world.b),
        db.merge(claim_of_b),
        "rejected",
        "",
        actor_id=None,
        now=NOW,
    )
    db.commit()
    assert claims(db) == []
    approve(db, registry, world.b, db.merge(claim_of_b), world.organizer_b)
    assert [c.status for c in claims(db)] == ["pending"]
    services.withdraw(db, registry, db.merge(world.b), db.merge(claim_of_b), now=NOW)
    db.commit()
    assert claims(db) == []


def test_a_claim_of_an_event_with_the_plugin_off_is_still_decided(
    db: Session, registry: Any, world: World, agency_of_a: Registration, claim_of_b: Registration
) -> None:
    """The membership is core's: it is granted even when B turned registration off."""
    plugin_settings.set_enabled_plugins(db, registry, db.merge(world.b), ["exhibitors"])
    db.commit()
    memberships.decide_claim(db, registry, _claim(db), "confirmed", actor=world.admin, now=NOW)
    db.commit()
    assert is_member(db, MALLORY, agency_of_a.organization_id)
    db.expire_all()
    assert db.get(Registration, claim_of_b.id).contact_user_id is None  # the plugin is off


def test_the_database_keeps_one_pending_claim_per_agency_and_email(
    db: Session, claim_of_b: Registration
) -> None:
    from sqlalchemy.exc import IntegrityError

    organization_id = claim_of_b.organization_id
    db.add(OrganizationClaim(organization_id=organization_id, email=MALLORY, status="pending"))
    with pytest.raises(IntegrityError):
        db.flush()
    db.rollback()
    db.add(OrganizationClaim(organization_id=organization_id, email=MALLORY, status="refused"))
    db.flush()  # decided claims are history, any number of them


def test_the_same_email_asking_again_gets_the_pending_claim(
    db: Session, world: World, claim_of_b: Registration
) -> None:
    organization = db.merge(claim_of_b).organization
    claim, created = memberships.request_claim(
        db, organization, email=MALLORY.upper(), name="M", event=None, registration_id=None
    )
    assert not created and claim.registration_id == claim_of_b.id
    assert len(claims(db)) == 1

"""The "my agencies" pages: members see and remove members, confirm or refuse claims.

Core pages (no plugin needed): claims are made directly through the service here; the
registration plugin's tests cover claims made by approvals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import AuditEntry, Membership, Organization, OrganizationClaim, User
from core.services import memberships
from tests.core.web.conftest import mails

ALICE = "alice@dinasx.example.id"
BOB = "bob@dinasx.example.id"
MALLORY = "mallory@elsewhere.example.id"
ADMIN = "root@example.id"
OUTSIDER = "outsider@example.id"


@dataclass
class Agency:
    """Dinas X with Alice and Bob as members, and a pending claim by Mallory."""

    organization: Organization
    alice: User
    bob: User
    admin: User
    claim: OrganizationClaim
    ids: dict[str, int]


@pytest.fixture
def agency(app: Flask, db: Session, make: Any) -> Agency:
    """Dinas X, two members, a site admin, an outsider and Mallory's pending claim."""
    alice, bob = make.user(ALICE, "Alice"), make.user(BOB, "Bob")
    admin = make.user(ADMIN, "Root", admin=True)
    make.user(OUTSIDER, "Outsider")
    organization = Organization(name="Dinas X", kind="government", region="Banyuwangi")
    db.add(organization)
    db.flush()
    db.add_all(
        [
            Membership(user_id=alice.id, organization_id=organization.id),
            Membership(user_id=bob.id, organization_id=organization.id),
        ]
    )
    db.flush()
    with app.test_request_context():
        claim, created = memberships.request_claim(
            db, organization, email=MALLORY, name="Mallory", event=None, registration_id=None
        )
    assert created
    db.commit()
    ids = {"organization": organization.id, "claim": claim.id, "alice": alice.id, "bob": bob.id}
    return Agency(organization, alice, bob, admin, claim, ids)


def _page(agency: Agency) -> str:
    return f"/account/organizations/{agency.ids['organization']}"


def test_pages_need_a_sign_in(client: FlaskClient, agency: Agency) -> None:
    for path in ("/account/organizations/", _page(agency)):
        response = client.get(path)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert client.get("/admin/claims").status_code == 302


def test_a_new_claim_is_mailed_to_members_and_admins(db: Session, agency: Agency) -> None:
    for email in (ALICE, BOB, ADMIN):
        (mail,) = mails(db, email)
        assert MALLORY in mail.body_text
    assert "/admin/claims" in mails(db, ADMIN)[0].body_text
    assert _page(agency) in mails(db, ALICE)[0].body_text
    assert mails(db, OUTSIDER) == [] and mails(db, MALLORY) == []


def test_my_agencies_lists_mine_with_waiting_claims(
    client: FlaskClient, auth: Any, agency: Agency
) -> None:
    auth.login(ALICE)
    page = client.get("/account/organizations/").get_data(as_text=True)
    assert "Dinas X" in page and _page(agency) in page
    assert "1 person asks to join" in page
    auth.logout()
    auth.login(OUTSIDER)
    page = client.get("/account/organizations/").get_data(as_text=True)
    assert "Dinas X" not in page and "not a member of any agency" in page


def test_the_agency_page_shows_members_and_the_claim(
    client: FlaskClient, auth: Any, agency: Agency
) -> None:
    auth.login(ALICE)
    response = client.get(_page(agency))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for text in (ALICE, BOB, "Alice", "Bob", "Member since", MALLORY, "Confirm: a member"):
        assert text in page, text
    assert 'name="viewport"' in page  # the phone layout of base.html


@pytest.mark.parametrize("email", [OUTSIDER, MALLORY])
def test_non_members_get_404(
    client: FlaskClient, auth: Any, make: Any, agency: Agency, email: str
) -> None:
    if email == MALLORY:
        make.user(MALLORY, "Mallory")
    auth.login(email)
    assert client.get(_page(agency)).status_code == 404
    assert client.get("/account/organizations/999999").status_code == 404
    assert client.post(f"{_page(agency)}/members/{agency.ids['bob']}/remove").status_code == 404
    decision = client.post(
        f"{_page(agency)}/claims/{agency.ids['claim']}/decision", data={"status": "confirmed"}
    )
    assert decision.status_code == 404
    assert client.get("/admin/claims").status_code == 403


def test_a_member_removes_another_and_it_is_audited(
    client: FlaskClient, auth: Any, db: Session, agency: Agency
) -> None:
    auth.login(ALICE)
    response = client.post(f"{_page(agency)}/members/{agency.ids['bob']}/remove")
    assert response.status_code == 302
    assert not memberships.is_member(db, agency.ids["bob"], agency.ids["organization"])
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "organization.member_removed"))
    assert entry is not None and entry.user_id == agency.ids["alice"]
    assert entry.detail["member_id"] == agency.ids["bob"]
    db.commit()  # end the read before the app writes (SQLite)
    # Alice is now the last member: she cannot leave.
    client.post(f"{_page(agency)}/members/{agency.ids['alice']}/remove")
    db.expire_all()
    assert memberships.is_member(db, agency.ids["alice"], agency.ids["organization"])
    assert "The last member cannot leave" in client.get(_page(agency)).get_data(as_text=True)


def test_a_member_leaves(client: FlaskClient, auth: Any, db: Session, agency: Agency) -> None:
    auth.login(BOB)
    response = client.post(f"{_page(agency)}/members/{agency.ids['bob']}/remove")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/organizations/")
    assert not memberships.is_member(db, agency.ids["bob"], agency.ids["organization"])
    assert client.get(_page(agency)).status_code == 404


def test_a_site_admin_removes_even_the_last_member(
    client: FlaskClient, auth: Any, db: Session, agency: Agency
) -> None:
    auth.login(ADMIN)
    for member in (agency.alice, agency.bob):
        client.post(f"{_page(agency)}/members/{member.id}/remove")
    db.expire_all()
    assert memberships.members(db, agency.ids["organization"]) == []


def test_a_member_confirms_a_claim_on_the_page(
    client: FlaskClient, auth: Any, db: Session, agency: Agency
) -> None:
    auth.login(ALICE)
    response = client.post(
        f"{_page(agency)}/claims/{agency.ids['claim']}/decision", data={"status": "confirmed"}
    )
    assert response.status_code == 302
    db.expire_all()
    mallory = db.scalar(select(User).where(User.email == MALLORY))
    assert mallory is not None and mallory.password_hash is None  # invited, password-less
    assert memberships.is_member(db, mallory.id, agency.ids["organization"])
    db.commit()
    decided = mails(db, MALLORY)[-1].body_text
    assert "You are now a member of Dinas X" in decided and "/auth/invitation/" in decided
    db.commit()
    page = client.get(_page(agency)).get_data(as_text=True)
    assert "Decided claims" in page and "Confirmed" in page
    again = client.post(
        f"{_page(agency)}/claims/{agency.ids['claim']}/decision",
        data={"status": "refused"},
        follow_redirects=True,
    )
    assert "already decided" in again.get_data(as_text=True)


def test_a_bad_decision_changes_nothing(
    client: FlaskClient, auth: Any, db: Session, agency: Agency
) -> None:
    auth.login(ALICE)
    response = client.post(
        f"{_page(agency)}/claims/{agency.ids['claim']}/decision",
        data={"status": "maybe"},
        follow_redirects=True,
    )
    assert response.status_code == 200 and "Choose confirm or refuse" in response.get_data(
        as_text=True
    )
    db.expire_all()
    assert db.get(OrganizationClaim, agency.ids["claim"]).status == "pending"


def test_site_admins_see_and_decide_every_pending_claim(
    client: FlaskClient, auth: Any, db: Session, agency: Agency
) -> None:
    auth.login(ADMIN)
    page = client.get("/admin/claims").get_data(as_text=True)
    assert MALLORY in page and "Dinas X" in page and f'data-claim="{agency.ids["claim"]}"' in page
    client.post(
        f"{_page(agency)}/claims/{agency.ids['claim']}/decision", data={"status": "refused"}
    )
    db.expire_all()
    assert db.get(OrganizationClaim, agency.ids["claim"]).status == "refused"
    db.commit()
    assert "did not confirm" in mails(db, MALLORY)[-1].body_text or "tidak mengonfirmasi" in (
        mails(db, MALLORY)[-1].body_text
    )
    assert f'data-claim="{agency.ids["claim"]}"' not in client.get("/admin/claims").get_data(
        as_text=True
    )


def test_pages_are_in_indonesian_by_default(
    app: Flask, client: FlaskClient, auth: Any, agency: Agency
) -> None:
    app.config["BABEL_DEFAULT_LOCALE"] = "id"
    auth.login(ALICE)
    page = client.get(_page(agency)).get_data(as_text=True)
    assert "Anggota sejak" in page and "Konfirmasi: anggota" in page


# --- short name and aliases ------------------------------------------------------------


def test_a_member_sets_the_short_name_and_aliases(
    client: FlaskClient, auth: Any, db: Session, agency: Agency
) -> None:
    auth.login(ALICE)
    response = client.post(
        f"{_page(agency)}/names",
        data={"short_name": "  Disx ", "aliases": "Dinas Iks\n\ndinas iks\nDX Banyuwangi\n"},
    )
    assert response.status_code == 302
    db.expire_all()
    organization = db.get(Organization, agency.ids["organization"])
    assert organization is not None
    assert organization.short_name == "Disx"
    assert organization.alias_list == ["Dinas Iks", "DX Banyuwangi"]
    assert organization.label == "Dinas X (Disx)"
    page = client.get(_page(agency)).get_data(as_text=True)
    assert "Also known as: Disx, Dinas Iks, DX Banyuwangi" in page
    entry = db.scalars(
        select(AuditEntry).where(AuditEntry.action == "organization.names_updated")
    ).one()
    assert entry.user_id == agency.ids["alice"]
    assert entry.detail["after"] == {
        "short_name": "Disx",
        "aliases": ["Dinas Iks", "DX Banyuwangi"],
    }


def test_names_too_long_are_a_form_error(
    client: FlaskClient, auth: Any, db: Session, agency: Agency
) -> None:
    auth.login(ADMIN)
    response = client.post(
        f"{_page(agency)}/names", data={"short_name": "x" * 81, "aliases": "y" * 121}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Field cannot be longer than 80 characters." in page
    too_many = "\n".join(f"alias {i}" for i in range(21))
    response = client.post(f"{_page(agency)}/names", data={"short_name": "", "aliases": too_many})
    assert response.status_code == 422
    assert "at most 20 other names" in response.get_data(as_text=True)
    db.expire_all()
    organization = db.get(Organization, agency.ids["organization"])
    assert organization is not None and organization.short_name == ""


def test_outsiders_cannot_set_names(
    client: FlaskClient, auth: Any, db: Session, agency: Agency
) -> None:
    auth.login(OUTSIDER)
    response = client.post(f"{_page(agency)}/names", data={"short_name": "Hacked"})
    assert response.status_code == 404
    db.expire_all()
    organization = db.get(Organization, agency.ids["organization"])
    assert organization is not None and organization.short_name == ""

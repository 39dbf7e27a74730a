"""Agencies are claimed, never matched, over HTTP: the API, the pages, the plugin switch."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.models import OrganizationClaim, User
from core.services import accounts, plugin_settings
from plugins.registration.models import Registration
from tests.plugins.registration.claims_world import (
    ADMIN,
    ALICE,
    MALLORY,
    ORGANIZER_A,
    ORGANIZER_B,
    REGION,
    World,
    agency_of_a,
    claim_of_b,
    world,
)

FIXTURES = (agency_of_a, claim_of_b, world)


def _json_registration(name: str, email: str, region: str = REGION) -> dict[str, Any]:
    return {
        "organization": {"name": name, "kind": "government", "region": region},
        "contact": {"name": "Kontak", "email": email, "phone": "0812-3456-7890"},
        "innovations": [{"title": "Puskesmas Keliling", "category": "Kesehatan"}],
    }


def _api_register_and_approve(
    client: FlaskClient, headers: dict[str, str], slug: str, name: str, email: str
) -> dict[str, Any]:
    created = client.post(
        f"/api/v1/events/{slug}/registrations", json=_json_registration(name, email)
    )
    assert created.status_code == 201, created.get_json()
    decided = client.post(
        f"/api/v1/events/{slug}/registrations/{created.get_json()['id']}/decision",
        json={"status": "approved"},
        headers=headers,
    )
    assert decided.status_code == 200, decided.get_json()
    return decided.get_json()


def _edit_profile(client: FlaskClient, headers: dict[str, str], slug: str, org: int) -> int:
    client.delete_cookie("session", domain="gelar.test")
    return client.get(f"/{slug}/exhibitors/agencies/{org}/edit", headers=headers).status_code


def test_the_reproduction_fails_over_the_api(
    client: FlaskClient, auth: Any, api_token: Any, world: World
) -> None:
    a = _api_register_and_approve(client, api_token(ORGANIZER_A), "a-2026", "Dinas X", ALICE)
    assert a["organization_claim"] is None  # created by this registration: granted at once
    b = _api_register_and_approve(client, api_token(ORGANIZER_B), "b-2026", "DINAS X", MALLORY)
    organization_id = a["organization"]["id"]
    assert b["organization"]["id"] == organization_id
    assert b["status"] == "approved"
    assert b["organization_claim"]["status"] == "pending"
    assert "menunggu konfirmasi instansi" in b["organization_claim"]["reason"].lower()
    mallory = api_token(MALLORY)
    assert client.get("/api/v1/me", headers=mallory).get_json()["organizations"] == []
    # Mallory cannot edit A's profile; B's organizer sees the claim's status only.
    auth.login(MALLORY)
    assert client.get(f"/a-2026/exhibitors/agencies/{organization_id}/edit").status_code == 403
    auth.logout()
    b_organizer = api_token(ORGANIZER_B)
    got = client.get(f"/api/v1/events/b-2026/registrations/{b['id']}", headers=b_organizer)
    assert got.get_json()["organization_claim"]["status"] == "pending"
    listed = client.get("/api/v1/events/b-2026/registrations", headers=b_organizer).get_json()
    assert [r["organization_claim"]["status"] for r in listed["items"]] == ["pending"]
    for path in ("members", "claims"):
        response = client.get(
            f"/api/v1/organizations/{organization_id}/{path}", headers=b_organizer
        )
        assert response.status_code == 404
    (claim,) = client.get(
        f"/api/v1/organizations/{organization_id}/claims", headers=api_token(ADMIN)
    ).get_json()["items"]
    refused = client.post(
        f"/api/v1/organizations/{organization_id}/claims/{claim['id']}/decision",
        json={"status": "confirmed"},
        headers=b_organizer,
    )
    assert refused.status_code == 404


def test_confirm_then_remove_over_http_ends_profile_editing(
    client: FlaskClient, auth: Any, api_token: Any, db: Session, world: World
) -> None:
    a = _api_register_and_approve(client, api_token(ORGANIZER_A), "a-2026", "Dinas X", ALICE)
    _api_register_and_approve(client, api_token(ORGANIZER_B), "b-2026", "Dinas X", MALLORY)
    organization_id = a["organization"]["id"]
    alice = db.scalar(select(User).where(User.email == ALICE))
    accounts.set_password_from_link(alice, "correct-horse-battery")  # as the invitation link does
    db.commit()
    alice_headers = api_token(ALICE)
    (claim,) = client.get(
        f"/api/v1/organizations/{organization_id}/claims?status=pending", headers=alice_headers
    ).get_json()["items"]
    assert claim["email"] == MALLORY and claim["event"]["slug"] == "b-2026"
    confirmed = client.post(
        f"/api/v1/organizations/{organization_id}/claims/{claim['id']}/decision",
        json={"status": "confirmed"},
        headers=alice_headers,
    )
    assert confirmed.status_code == 200 and confirmed.get_json()["status"] == "confirmed"
    mallory = api_token(MALLORY)
    assert [
        o["id"] for o in client.get("/api/v1/me", headers=mallory).get_json()["organizations"]
    ] == [organization_id]
    auth.login(MALLORY)
    assert client.get(f"/a-2026/exhibitors/agencies/{organization_id}/edit").status_code == 200
    removed = client.delete(
        f"/api/v1/organizations/{organization_id}/members/{world.mallory.id}",
        headers=alice_headers,
    )
    assert removed.status_code == 204
    assert client.get(f"/a-2026/exhibitors/agencies/{organization_id}/edit").status_code == 403
    assert client.get("/api/v1/me", headers=mallory).get_json()["organizations"] == []


def test_pages_show_the_claim_to_the_contact_and_the_organizer(
    client: FlaskClient, auth: Any, db: Session, world: World, claim_of_b: Registration
) -> None:
    from plugins.registration.mails import status_token

    client.post("/lang/en")
    with client.application.test_request_context():
        token = status_token(claim_of_b.id)
    page = client.get(f"/b-2026/registration/r/{token}/").get_data(as_text=True)
    assert 'data-claim-status="pending"' in page and "Awaiting the agency" in page
    auth.login(ORGANIZER_B)
    detail = client.get(f"/b-2026/registration/manage/{claim_of_b.id}").get_data(as_text=True)
    assert 'data-claim-status="pending"' in detail and "Awaiting the agency" in detail
    assert "existed before this registration" in detail
    listing = client.get("/b-2026/registration/manage/").get_data(as_text=True)
    assert 'data-claim-status="pending"' in listing
    assert "decide_claim" not in detail and "/claims/" not in detail


def test_the_claim_reason_is_in_indonesian_by_default(
    client: FlaskClient, api_token: Any, world: World, claim_of_b: Registration
) -> None:
    got = client.get(
        f"/api/v1/events/b-2026/registrations/{claim_of_b.id}", headers=api_token(ORGANIZER_B)
    ).get_json()
    reason = got["organization_claim"]["reason"]
    assert "konfirmasi" in reason.lower(), reason


def test_the_registration_api_is_404_with_the_plugin_off(
    client: FlaskClient,
    db: Session,
    registry: Any,
    api_token: Any,
    world: World,
    claim_of_b: Registration,
) -> None:
    plugin_settings.set_enabled_plugins(db, registry, db.merge(world.b), ["exhibitors"])
    db.commit()
    got = client.get(
        f"/api/v1/events/b-2026/registrations/{claim_of_b.id}", headers=api_token(ORGANIZER_B)
    )
    assert got.status_code == 404
    count = db.scalar(select(func.count()).select_from(OrganizationClaim))
    db.commit()
    assert count == 1

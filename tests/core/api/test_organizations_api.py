"""``/api/v1/organizations/{id}/members`` and ``/claims``: members and site admins only (404)."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from core.models import Organization
from core.services import memberships
from tests.core.api.conftest import Cast
from tests.core.api.helpers import API, add_member, add_organization, assert_error, snapshot


@pytest.fixture
def agency(app: Flask, db: Session, cast: Cast) -> dict[str, int]:
    """Dinas X with the organizer as its one member and a pending claim by someone else."""
    organization = add_organization(db, "Dinas X")
    add_member(db, cast.organizer, organization)
    with app.test_request_context():
        claim, _created = memberships.request_claim(
            db,
            organization,
            email="claimant@example.id",
            name="Claimant",
            event=db.merge(cast.event),
            registration_id=42,
        )
    db.commit()
    return {"organization": organization.id, "claim": claim.id}


def _url(agency: dict[str, int], tail: str) -> str:
    return f"{API}/organizations/{agency['organization']}/{tail}"


def test_members_are_listed_to_members_and_admins(
    client: FlaskClient, headers: dict[str, dict[str, str]], cast: Cast, agency: dict[str, int]
) -> None:
    for who in ("organizer", "admin"):
        response = client.get(_url(agency, "members"), headers=headers[who])
        assert response.status_code == 200
        body = response.get_json()
        assert body["total"] == 1
        (member,) = body["items"]
        assert member["email"] == "organizer@example.id" and member["user_id"] == cast.organizer.id
        assert member["since"]


@pytest.mark.parametrize("tail", ["members", "claims"])
def test_outsiders_get_404_and_anonymous_401(
    client: FlaskClient, headers: dict[str, dict[str, str]], agency: dict[str, int], tail: str
) -> None:
    assert_error(client.get(_url(agency, tail)), 401)
    assert_error(client.get(_url(agency, tail), headers=headers["outsider"]), 404, "not_found")
    unknown = f"{API}/organizations/999999/{tail}"
    assert_error(client.get(unknown, headers=headers["organizer"]), 404, "not_found")


def test_claims_with_their_event_and_registration(
    client: FlaskClient, headers: dict[str, dict[str, str]], agency: dict[str, int]
) -> None:
    body = client.get(
        _url(agency, "claims?status=pending"), headers=headers["organizer"]
    ).get_json()
    (claim,) = body["items"]
    assert claim["id"] == agency["claim"] and claim["status"] == "pending"
    assert claim["email"] == "claimant@example.id" and claim["name"] == "Claimant"
    assert claim["event"]["slug"] == "jatim-2026" and claim["registration_id"] == 42
    refused = client.get(_url(agency, "claims?status=refused"), headers=headers["organizer"])
    assert refused.get_json() == {"items": [], "total": 0}
    assert_error(client.get(_url(agency, "claims?status=x"), headers=headers["organizer"]), 422)


def test_deciding_a_claim(
    app: Flask, client: FlaskClient, headers: dict[str, dict[str, str]], agency: dict[str, int]
) -> None:
    url = _url(agency, f"claims/{agency['claim']}/decision")
    before = snapshot(app)
    assert_error(client.post(url, json={"status": "confirmed"}, headers=headers["outsider"]), 404)
    assert_error(client.post(url, json={"status": "maybe"}, headers=headers["organizer"]), 422)
    assert_error(
        client.post(url, json={"status": "confirmed", "x": 1}, headers=headers["organizer"]), 422
    )
    assert_error(
        client.post(url, data="{", content_type="application/json", headers=headers["organizer"]),
        400,
    )
    assert snapshot(app) == before
    response = client.post(url, json={"status": "confirmed"}, headers=headers["organizer"])
    assert response.status_code == 200
    assert response.get_json()["status"] == "confirmed" and response.get_json()["decided_at"]
    members = client.get(_url(agency, "members"), headers=headers["organizer"]).get_json()
    assert sorted(m["email"] for m in members["items"]) == [
        "claimant@example.id",
        "organizer@example.id",
    ]
    again = client.post(url, json={"status": "refused"}, headers=headers["admin"])
    assert_error(again, 409)
    other = f"{API}/organizations/{agency['organization']}/claims/999999/decision"
    assert_error(client.post(other, json={"status": "refused"}, headers=headers["organizer"]), 404)


def test_a_claim_of_another_agency_is_404(
    client: FlaskClient,
    db: Session,
    headers: dict[str, dict[str, str]],
    cast: Cast,
    agency: dict[str, int],
) -> None:
    """A member of agency Y cannot reach X's claim through Y's address."""
    other = add_organization(db, "Dinas Y")
    add_member(db, cast.outsider, other)
    url = f"{API}/organizations/{other.id}/claims/{agency['claim']}/decision"
    assert_error(client.post(url, json={"status": "confirmed"}, headers=headers["outsider"]), 404)


def test_removing_members(
    client: FlaskClient,
    db: Session,
    headers: dict[str, dict[str, str]],
    cast: Cast,
    agency: dict[str, int],
) -> None:
    organizer = _url(agency, f"members/{cast.organizer.id}")
    assert_error(client.delete(organizer, headers=headers["outsider"]), 404)
    assert_error(client.delete(organizer, headers=headers["organizer"]), 409)  # the last member
    organization = db.get(Organization, agency["organization"])
    add_member(db, cast.outsider, organization)
    stranger = _url(agency, "members/999999")
    assert_error(client.delete(stranger, headers=headers["organizer"]), 404)
    response = client.delete(
        _url(agency, f"members/{cast.outsider.id}"), headers=headers["organizer"]
    )
    assert response.status_code == 204
    assert client.delete(organizer, headers=headers["admin"]).status_code == 204
    assert client.get(_url(agency, "members"), headers=headers["admin"]).get_json()["total"] == 0
    assert_error(client.get(_url(agency, "members"), headers=headers["organizer"]), 404)


def test_the_openapi_document_describes_the_endpoints(client: FlaskClient, cast: Cast) -> None:
    paths = client.get(f"{API}/openapi.json").get_json()["paths"]
    members = paths["/api/v1/organizations/{organization_id}/members"]
    assert "get" in members
    assert "delete" in paths["/api/v1/organizations/{organization_id}/members/{user_id}"]
    assert "get" in paths["/api/v1/organizations/{organization_id}/claims"]
    decision = paths["/api/v1/organizations/{organization_id}/claims/{claim_id}/decision"]
    assert "requestBody" in decision["post"]


def test_me_lists_an_agency_only_after_confirmation(
    client: FlaskClient,
    api_token: Any,
    make: Any,
    headers: dict[str, dict[str, str]],
    agency: dict[str, int],
) -> None:
    make.user("claimant@example.id", "Claimant")
    claimant = api_token("claimant@example.id")
    assert client.get(f"{API}/me", headers=claimant).get_json()["organizations"] == []
    url = _url(agency, f"claims/{agency['claim']}/decision")
    client.post(url, json={"status": "confirmed"}, headers=headers["admin"])
    organizations = client.get(f"{API}/me", headers=claimant).get_json()["organizations"]
    assert [o["id"] for o in organizations] == [agency["organization"]]

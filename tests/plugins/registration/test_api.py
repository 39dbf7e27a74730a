"""The Registration section of API.md: paths, status codes, bodies; plugin on and off."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Event, Innovation, VisitorPass
from tests.plugins.registration.conftest import (
    OFF_SLUG,
    SLUG,
    body,
    counts,
    mails_to,
    set_settings,
)

URL = f"/api/v1/events/{SLUG}/registrations"


def test_anyone_registers_while_the_window_is_open(
    client: FlaskClient, db: Session, event: Event
) -> None:
    response = client.post(URL, json=body())
    assert response.status_code == 201
    data = response.get_json()
    assert data == {"id": data["id"], "status": "pending"}
    (mail,) = mails_to(db, "sri@dinkes.example.id")
    assert f"/{SLUG}/registration/r/" in mail.body_text


def test_closed_window_is_409(app: Flask, client: FlaskClient, db: Session, event: Event) -> None:
    set_settings(app, db, event, opens_at="2001-01-01T00:00:00Z", closes_at="2001-02-01T00:00:00Z")
    response = client.post(URL, json=body())
    assert response.status_code == 409
    assert response.get_json()["error"]["window"] == "closed"
    assert counts(db) == (0, 0, 0)


def test_same_agency_twice_is_409_with_a_link_to_the_first(
    client: FlaskClient, db: Session, event: Event
) -> None:
    first = client.post(URL, json=body()).get_json()["id"]
    before = counts(db)
    response = client.post(URL, json=body())
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["registration_id"] == first
    assert error["link"].endswith(f"{URL}/{first}")
    assert counts(db) == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"contact": {"name": "X", "email": "nope", "phone": "0812-3456-7890"}}, "contact.email"),
        ({"contact": {"name": "X", "email": "x@example.id", "phone": "555"}}, "contact.phone"),
        ({"innovations": []}, "innovations"),
        ({"innovations": [{"title": "T", "category": "Astrology"}]}, "innovations.0.category"),
        ({"organization": {"name": "", "region": "Surabaya"}}, "organization.name"),
        ({"organization": {"name": "A", "kind": "alien", "region": "B"}}, "organization.kind"),
        ({"unexpected": 1}, "unexpected"),
    ],
)
def test_invalid_fields_are_422_and_store_nothing(
    client: FlaskClient, db: Session, event: Event, change: dict[str, Any], field: str
) -> None:
    response = client.post(URL, json=body(**change))
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]
    assert counts(db) == (0, 0, 0)


def test_too_many_innovations_is_422(
    app: Flask, client: FlaskClient, db: Session, event: Event
) -> None:
    set_settings(app, db, event, max_innovations_per_organization=1)
    two = [{"title": t, "category": "Kesehatan"} for t in ("A", "B")]
    response = client.post(URL, json=body(innovations=two))
    assert response.status_code == 422
    assert "innovations" in response.get_json()["error"]["fields"]
    assert counts(db) == (0, 0, 0)


def test_malformed_json_is_400(client: FlaskClient, event: Event) -> None:
    response = client.post(URL, data="{", content_type="application/json")
    assert response.status_code == 400


def test_listing_is_for_organizers(
    client: FlaskClient, event: Event, headers: dict[str, str], make: Any, api_token: Any
) -> None:
    client.post(URL, json=body("A"))
    second = client.post(URL, json=body("B")).get_json()["id"]
    client.post(f"{URL}/{second}/decision", json={"status": "rejected"}, headers=headers)
    assert client.get(URL).status_code == 401
    make.user("someone@example.id")
    assert client.get(URL, headers=api_token("someone@example.id")).status_code == 403
    everything = client.get(URL, headers=headers).get_json()
    assert everything["total"] == 2
    rejected = client.get(f"{URL}?status=rejected", headers=headers).get_json()
    assert [r["id"] for r in rejected["items"]] == [second]
    assert rejected["items"][0]["organization"]["name"] == "B"
    assert client.get(f"{URL}?status=bogus", headers=headers).status_code == 422
    assert client.get(f"{URL}?limit=0", headers=headers).status_code == 422


def test_one_registration_for_organizer_or_its_contact(
    client: FlaskClient, event: Event, headers: dict[str, str], make: Any, api_token: Any
) -> None:
    created = client.post(URL, json=body()).get_json()["id"]
    data = client.get(f"{URL}/{created}", headers=headers).get_json()
    assert data["status"] == "pending" and data["reason"] == ""
    assert data["contact"]["phone"] == "+6281234567890"
    assert data["innovations"][0]["title"] == "Puskesmas Keliling"
    make.user("sri@dinkes.example.id", "Sri")
    assert (
        client.get(f"{URL}/{created}", headers=api_token("sri@dinkes.example.id")).status_code
        == 200
    )
    make.user("stranger@example.id")
    assert (
        client.get(f"{URL}/{created}", headers=api_token("stranger@example.id")).status_code == 403
    )
    assert client.get(f"{URL}/{created}").status_code == 401
    assert client.get(f"{URL}/999999", headers=headers).status_code == 404


def test_decision_approves_and_innovations_become_accepted(
    client: FlaskClient, db: Session, event: Event, headers: dict[str, str]
) -> None:
    created = client.post(URL, json=body()).get_json()["id"]
    response = client.post(
        f"{URL}/{created}/decision", json={"status": "approved", "reason": "Bagus"}, headers=headers
    )
    assert response.status_code == 200
    assert response.get_json()["status"] == "approved"
    assert response.get_json()["reason"] == "Bagus"
    public = client.get(f"/api/v1/events/{SLUG}/innovations").get_json()
    assert [i["title"] for i in public["items"]] == ["Puskesmas Keliling"]
    orgs = client.get(f"/api/v1/events/{SLUG}/organizations", headers=headers).get_json()
    assert [o["name"] for o in orgs["items"]] == ["Dinas Kesehatan"]


def test_decision_past_the_quota_is_409(
    app: Flask, client: FlaskClient, db: Session, event: Event, headers: dict[str, str]
) -> None:
    set_settings(app, db, event, exhibitor_quota=1)
    first = client.post(URL, json=body("A")).get_json()["id"]
    second = client.post(URL, json=body("B")).get_json()["id"]
    approve = {"status": "approved", "reason": ""}
    assert client.post(f"{URL}/{first}/decision", json=approve, headers=headers).status_code == 200
    response = client.post(f"{URL}/{second}/decision", json=approve, headers=headers)
    assert response.status_code == 409
    db.expire_all()
    statuses = db.scalars(select(Innovation.status).order_by(Innovation.id)).all()
    assert statuses == ["accepted", "submitted"]


@pytest.mark.parametrize(
    "payload", [{"status": "maybe"}, {}, {"status": "approved", "reason": 5}, {"status": "draft"}]
)
def test_bad_decisions_are_422(
    client: FlaskClient, event: Event, headers: dict[str, str], payload: dict[str, Any]
) -> None:
    created = client.post(URL, json=body()).get_json()["id"]
    response = client.post(f"{URL}/{created}/decision", json=payload, headers=headers)
    assert response.status_code == 422
    assert client.get(f"{URL}/{created}", headers=headers).get_json()["status"] == "pending"


def test_decision_needs_an_organizer(
    client: FlaskClient, event: Event, make: Any, api_token: Any
) -> None:
    created = client.post(URL, json=body()).get_json()["id"]
    payload = {"status": "approved"}
    assert client.post(f"{URL}/{created}/decision", json=payload).status_code == 401
    make.user("someone@example.id")
    other = api_token("someone@example.id")
    assert client.post(f"{URL}/{created}/decision", json=payload, headers=other).status_code == 403


def test_visitor_signup_mails_the_code_and_does_not_return_it(
    client: FlaskClient, db: Session, event: Event
) -> None:
    response = client.post(
        f"/api/v1/events/{SLUG}/visitors", json={"name": "Budi", "email": "Budi@Example.id"}
    )
    assert response.status_code == 201
    db.expire_all()
    code = db.scalar(select(VisitorPass.code))
    db.commit()
    assert code and code not in response.get_data(as_text=True)
    (mail,) = mails_to(db, "budi@example.id")
    assert code in mail.body_text
    assert f"/{SLUG}/registration/pass/{code}" in mail.body_text
    again = client.post(
        f"/api/v1/events/{SLUG}/visitors", json={"name": "Budi", "email": "budi@example.id"}
    )
    assert again.status_code == 201
    db.expire_all()
    assert len(db.scalars(select(VisitorPass)).all()) == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"name": "", "email": "a@example.id"}, "name"), ({"name": "A", "email": "x"}, "email")],
)
def test_visitor_signup_bad_input_is_422(
    client: FlaskClient, db: Session, event: Event, payload: dict[str, str], field: str
) -> None:
    response = client.post(f"/api/v1/events/{SLUG}/visitors", json=payload)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    assert db.scalar(select(VisitorPass)) is None


def test_visitor_signup_after_the_event_is_409(
    client: FlaskClient, make: Any, organizer_user: Any
) -> None:
    make.event(
        "past-2019",
        plugins=["registration"],
        starts_on=date(2019, 4, 24),
        ends_on=date(2019, 4, 26),
    )
    response = client.post(
        "/api/v1/events/past-2019/visitors", json={"name": "A", "email": "a@example.id"}
    )
    assert response.status_code == 409


def test_every_endpoint_is_404_when_the_plugin_is_off(
    client: FlaskClient, off_event: Event, api_token: Any
) -> None:
    headers = api_token("organizer@example.id")
    base = f"/api/v1/events/{OFF_SLUG}"
    assert client.post(f"{base}/registrations", json=body()).status_code == 404
    assert client.get(f"{base}/registrations", headers=headers).status_code == 404
    assert client.get(f"{base}/registrations/1", headers=headers).status_code == 404
    assert (
        client.post(
            f"{base}/registrations/1/decision", json={"status": "approved"}, headers=headers
        ).status_code
        == 404
    )
    assert (
        client.post(f"{base}/visitors", json={"name": "A", "email": "a@example.id"}).status_code
        == 404
    )


def test_openapi_describes_the_registration_endpoints(client: FlaskClient, event: Event) -> None:
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path, method in [
        ("/api/v1/events/{event}/registrations", "post"),
        ("/api/v1/events/{event}/registrations", "get"),
        ("/api/v1/events/{event}/registrations/{id}", "get"),
        ("/api/v1/events/{event}/registrations/{id}/decision", "post"),
        ("/api/v1/events/{event}/visitors", "post"),
    ]:
        assert method in paths[path], (path, method)


def test_html_is_returned_as_text(
    client: FlaskClient, event: Event, headers: dict[str, str]
) -> None:
    created = client.post(URL, json=body("<img src=x onerror=alert(1)>")).get_json()["id"]
    data = client.get(f"{URL}/{created}", headers=headers).get_json()
    assert data["organization"]["name"] == "<img src=x onerror=alert(1)>"
    assert re.search("<img", client.get(f"{URL}/{created}", headers=headers).get_data(as_text=True))


def test_terms_must_be_accepted_when_set(
    app: Flask, client: FlaskClient, db: Session, event: Event
) -> None:
    set_settings(app, db, event, terms="Bawa spanduk sendiri.")
    response = client.post(URL, json=body())
    assert response.status_code == 422
    assert "terms_accepted" in response.get_json()["error"]["fields"]
    assert counts(db) == (0, 0, 0)
    assert client.post(URL, json=body(accept_terms=True)).status_code == 201

"""A registration's contact is the verified owner of the address, never a squatter; the
mails anyone can trigger (send the link again, visitor passes) are rate limited."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from core.models import Event, User
from core.services import accounts, roles
from plugins.registration import services
from tests.plugins.registration.conftest import SLUG, mails_to, submit

CONTACT = "sri@dinkes.example.id"
SQUATTER_PASSWORD = "squatter-password-1"
OWNER_PASSWORD = "owner-password-123"
API = f"/api/v1/events/{SLUG}"


def _path(body: str, prefix: str) -> str:
    match = re.search(r"https?://[^/\s]+(" + re.escape(prefix) + r"\S*)", body)
    assert match, body
    return match.group(1)


def _token(client: FlaskClient, email: str, password: str) -> Any:
    return client.post("/api/v1/auth/token", json={"email": email, "password": password})


def test_a_squatter_of_the_contacts_email_gets_nothing_and_the_owner_recovers(
    app: Flask,
    client: FlaskClient,
    db: Session,
    registry: Any,
    event: Event,
    ctx: Any,
    headers: Any,
) -> None:
    squatter = app.test_client()
    response = squatter.post(
        "/auth/signup",
        data={
            "name": "Squatter",
            "email": CONTACT,
            "password": SQUATTER_PASSWORD,
            "confirm": SQUATTER_PASSWORD,
        },
    )
    assert response.status_code == 200
    registration = submit(db, registry, event)
    rid, org_id = registration.id, registration.organization_id
    squatter_user = accounts.find_user(db, CONTACT)
    assert not services.is_contact(registration, squatter_user)
    db.commit()

    # The squatter cannot sign in, so cannot read the registration.
    refused = _token(squatter, CONTACT, SQUATTER_PASSWORD)
    assert refused.status_code == 401
    assert refused.get_json()["error"]["code"] == "email_unverified"
    assert squatter.get(f"{API}/registrations/{rid}").status_code == 401

    # Approval does not make the unverified account a member of the agency.
    decided = client.post(
        f"{API}/registrations/{rid}/decision",
        json={"status": "approved"},
        headers=headers,
    )
    assert decided.status_code == 200
    db.expire_all()
    user = db.get(User, squatter_user.id)
    assert roles.user_organizations(db, user) == []
    db.commit()
    decision = mails_to(db, CONTACT)[-1]
    assert "/auth/invitation/" not in decision.body_text  # no link minted for the account
    assert "/auth/forgot" in decision.body_text

    # The real owner takes the address back through "forgot password".
    owner = app.test_client()
    assert owner.post("/auth/forgot", data={"email": CONTACT}).status_code == 302
    reset = _path(mails_to(db, CONTACT)[-1].body_text, "/auth/reset/")
    done = owner.post(reset, data={"password": OWNER_PASSWORD, "confirm": OWNER_PASSWORD})
    assert done.status_code == 302
    assert _token(squatter, CONTACT, SQUATTER_PASSWORD).status_code == 401
    token = _token(owner, CONTACT, OWNER_PASSWORD)
    assert token.status_code == 200
    bearer = {"Authorization": f"Bearer {token.get_json()['token']}"}
    assert owner.get(f"{API}/registrations/{rid}", headers=bearer).status_code == 200
    me = owner.get("/api/v1/me", headers=bearer).get_json()
    assert [o["id"] for o in me["organizations"]] == [org_id]


def test_the_owner_recovers_through_sign_up_too(
    app: Flask, db: Session, registry: Any, event: Event, ctx: Any
) -> None:
    accounts.create_user(
        db, email=CONTACT, name="Squatter", password=SQUATTER_PASSWORD, verified=False
    )
    db.commit()
    rid = submit(db, registry, event).id
    db.commit()
    owner = app.test_client()
    form = {"name": "Sri", "email": CONTACT, "password": OWNER_PASSWORD, "confirm": OWNER_PASSWORD}
    assert owner.post("/auth/signup", data=form).status_code == 200
    link = _path(mails_to(db, CONTACT)[-1].body_text, "/auth/reset/")
    owner.post(link, data={"password": OWNER_PASSWORD, "confirm": OWNER_PASSWORD})
    assert owner.get(f"{API}/registrations/{rid}").status_code == 200


def test_verified_contact_reads_the_registration(
    client: FlaskClient,
    make: Any,
    db: Session,
    registry: Any,
    event: Event,
    ctx: Any,
    api_token: Any,
) -> None:
    make.user(CONTACT, "Sri")
    rid = submit(db, registry, event).id
    db.commit()
    bearer = api_token(CONTACT)
    assert client.get(f"{API}/registrations/{rid}", headers=bearer).status_code == 200


def test_send_the_link_again_is_limited_per_registration(
    app: Flask, client: FlaskClient, db: Session, registry: Any, event: Event
) -> None:
    app.config["MAIL_TARGET_RATE_LIMIT"] = "2 per 15 minutes"
    with app.app_context():  # only while submitting: requests get their own context
        rid = submit(db, registry, event).id
        other = submit(db, registry, event, name="Dinas Pendidikan").id
        db.commit()
    before = len(mails_to(db, CONTACT))
    path = f"/{SLUG}/registration/resend/{rid}"
    assert [client.post(path).status_code for _ in range(3)] == [302, 302, 429]
    assert len(mails_to(db, CONTACT)) == before + 2
    # Another registration has its own budget.
    assert client.post(f"/{SLUG}/registration/resend/{other}").status_code == 302


def test_send_the_link_again_is_limited_per_address(
    app: Flask, client: FlaskClient, db: Session, registry: Any, event: Event
) -> None:
    app.config["MAIL_ADDRESS_RATE_LIMIT"] = "2 per hour"
    with app.app_context():
        ids = [submit(db, registry, event, name=f"Dinas {i}").id for i in range(3)]
        db.commit()
    statuses = [client.post(f"/{SLUG}/registration/resend/{i}").status_code for i in ids]
    assert statuses == [302, 302, 429]
    blocked = client.post(f"/{SLUG}/registration/resend/{ids[0]}")
    assert blocked.status_code == 429
    assert "Terlalu banyak percobaan" in blocked.get_data(as_text=True)  # Indonesian first
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "10.1.2.3"
    assert elsewhere.post(f"/{SLUG}/registration/resend/{ids[2]}").status_code == 302


def test_visitor_passes_are_limited_per_email_on_the_api_and_the_page(
    app: Flask, client: FlaskClient, db: Session, event: Event
) -> None:
    app.config["MAIL_TARGET_RATE_LIMIT"] = "2 per 15 minutes"
    payload = {"name": "Budi", "email": "budi@example.id"}
    statuses = [client.post(f"{API}/visitors", json=payload).status_code for _ in range(3)]
    assert statuses == [201, 201, 429]
    body = client.post(f"{API}/visitors", json=payload).get_json()
    assert body["error"]["code"] == "rate_limited"
    assert len(mails_to(db, "budi@example.id")) == 2
    page = client.post(
        f"/{SLUG}/registration/visit", data={"name": "Budi", "email": "BUDI@example.id"}
    )
    assert page.status_code == 429
    ok = client.post(f"/{SLUG}/registration/visit", data={"name": "Ani", "email": "ani@example.id"})
    assert ok.status_code == 200


def test_visitor_passes_are_limited_per_address(
    app: Flask, client: FlaskClient, db: Session, event: Event
) -> None:
    app.config["VISITOR_ADDRESS_RATE_LIMIT"] = "3 per hour"
    statuses = [
        client.post(f"{API}/visitors", json={"name": "V", "email": f"v{i}@example.id"}).status_code
        for i in range(4)
    ]
    assert statuses == [201, 201, 201, 429]


def test_limits_do_not_open_a_disabled_plugin(
    client: FlaskClient, db: Session, off_event: Event
) -> None:
    assert client.post("/other-2026/registration/resend/1").status_code == 404
    response = client.post(
        "/api/v1/events/other-2026/visitors", json={"name": "A", "email": "a@example.id"}
    )
    assert response.status_code == 404
    assert mails_to(db, "a@example.id") == []

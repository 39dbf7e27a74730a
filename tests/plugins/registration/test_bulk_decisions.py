"""Registrations decided in bulk: all or none, errors per row, the quota over the batch."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Event, Innovation
from plugins.registration.models import Registration
from tests.plugins.registration.conftest import OFF_SLUG, SLUG, body, mails_to, set_settings

URL = f"/api/v1/events/{SLUG}/registrations"
BULK = f"{URL}/decisions"


def statuses(db: Session) -> list[str]:
    db.expire_all()
    found = list(db.scalars(select(Registration.status).order_by(Registration.id)))
    db.commit()
    return found


def register(client: FlaskClient, *names: str) -> list[int]:
    return [client.post(URL, json=body(name)).get_json()["id"] for name in names]


def test_approves_many_in_order_and_mails_each(
    client: FlaskClient, db: Session, event: Event, headers: dict[str, str]
) -> None:
    ids = register(client, "A", "B", "C")
    response = client.post(
        BULK,
        json={"ids": [ids[2], ids[0]], "status": "approved", "reason": "Bagus"},
        headers=headers,
    )
    assert response.status_code == 200, response.get_json()
    items = response.get_json()["items"]
    assert [(i["id"], i["status"], i["reason"]) for i in items] == [
        (ids[2], "approved", "Bagus"),
        (ids[0], "approved", "Bagus"),
    ]
    assert statuses(db) == ["approved", "pending", "approved"]
    innovations = list(db.scalars(select(Innovation.status).order_by(Innovation.id)))
    db.commit()
    assert innovations == ["accepted", "submitted", "accepted"]
    assert len(mails_to(db, "sri@dinkes.example.id")) >= 3 + 2  # 3 received + 2 decisions


def test_one_unknown_id_changes_nothing_and_names_the_row(
    client: FlaskClient, db: Session, event: Event, headers: dict[str, str]
) -> None:
    ids = register(client, "A", "B")
    response = client.post(
        BULK,
        json={"ids": [ids[0], 999999, ids[1], ids[0]], "status": "rejected"},
        headers=headers,
    )
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"ids.1", "ids.3"}
    assert statuses(db) == ["pending", "pending"]


def test_the_quota_applies_to_the_whole_batch(
    app: Flask, client: FlaskClient, db: Session, event: Event, headers: dict[str, str]
) -> None:
    set_settings(app, db, event, exhibitor_quota=2)
    ids = register(client, "A", "B", "C")
    response = client.post(BULK, json={"ids": ids, "status": "approved"}, headers=headers)
    assert response.status_code == 409
    assert response.get_json()["error"]["quota"] == 2
    assert statuses(db) == ["pending", "pending", "pending"]
    ok = client.post(BULK, json={"ids": ids[:2], "status": "approved"}, headers=headers)
    assert ok.status_code == 200
    # Re-approving the approved ones takes no new place.
    again = client.post(BULK, json={"ids": ids[:2], "status": "approved"}, headers=headers)
    assert again.status_code == 200
    assert statuses(db) == ["approved", "approved", "pending"]


def test_bad_bodies_and_who_may(
    client: FlaskClient,
    db: Session,
    event: Event,
    headers: dict[str, str],
    make: Any,
    api_token: Any,
    off_event: Event,
) -> None:
    ids = register(client, "A")
    for payload in (
        {"ids": [], "status": "approved"},
        {"ids": ids, "status": "maybe"},
        {"ids": ["x"], "status": "approved"},
        {"ids": ids},
        {"ids": list(range(1, 5002)), "status": "approved"},
    ):
        assert client.post(BULK, json=payload, headers=headers).status_code == 422, payload
    payload = {"ids": ids, "status": "approved"}
    assert client.post(BULK, json=payload).status_code == 401
    make.user("someone@example.id")
    assert (
        client.post(BULK, json=payload, headers=api_token("someone@example.id")).status_code == 403
    )
    off = f"/api/v1/events/{OFF_SLUG}/registrations/decisions"
    assert client.post(off, json=payload, headers=headers).status_code in (403, 404)
    assert statuses(db) == ["pending"]

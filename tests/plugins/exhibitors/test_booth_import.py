"""Booths placed in bulk: all rows or none, 422 on values, 409 per row on codes and overlaps."""

from __future__ import annotations

import random
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from plugins.exhibitors import booth_import, services
from plugins.exhibitors.models import Booth
from tests.plugins.exhibitors.conftest import SLUG, World

URL = f"/api/v1/events/{SLUG}/booths/import"


def booth(code: str, x: int, y: int, w: int = 3, h: int = 3, zone: str = "A") -> dict[str, Any]:
    return {"code": code, "zone": zone, "x": x, "y": y, "width": w, "height": h}


def codes(db: Session) -> list[str]:
    db.expire_all()
    found = sorted(db.scalars(select(Booth.code)))
    db.commit()
    return found


def test_places_every_booth(
    client: FlaskClient, db: Session, world: World, organizer_headers: dict[str, str]
) -> None:
    items = [booth("A01", 0, 0), booth("A02", 3, 0), booth("B01", 0, 3, zone="B")]
    response = client.post(URL, json={"items": items}, headers=organizer_headers)
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"created": 3}
    assert codes(db) == ["A01", "A02", "B01"]
    listed = client.get(f"/api/v1/events/{SLUG}/booths").get_json()["items"]
    assert {b["code"]: (b["x"], b["y"], b["zone"]) for b in listed}["B01"] == (0, 3, "B")


def test_taken_codes_and_overlaps_are_409_per_row(
    client: FlaskClient, db: Session, world: World, organizer_headers: dict[str, str]
) -> None:
    first = client.post(URL, json={"items": [booth("A01", 0, 0)]}, headers=organizer_headers)
    assert first.status_code == 200
    items = [
        booth("A02", 10, 10),  # fine
        booth("A01", 20, 20),  # code taken by a stored booth
        booth("A03", 1, 1, w=1, h=1),  # overlaps stored A01
        booth("A02", 30, 30),  # code used earlier in the request
        booth("A04", 11, 11),  # overlaps A02 of this request
        booth("A05", 3, 0),  # touches A01's edge: fine
    ]
    response = client.post(URL, json={"items": items}, headers=organizer_headers)
    assert response.status_code == 409
    fields = response.get_json()["error"]["fields"]
    assert set(fields) == {"items.1.code", "items.2.code", "items.3.code", "items.4.code"}
    assert "A01" in fields["items.2.code"][0]
    assert "A02" in fields["items.4.code"][0]
    assert codes(db) == ["A01"]


def test_invalid_values_are_422_and_store_nothing(
    client: FlaskClient, db: Session, world: World, organizer_headers: dict[str, str]
) -> None:
    items = [booth("A01", 0, 0), booth("A02", 59, 0), booth("A03", 0, 39, h=5)]
    response = client.post(URL, json={"items": items}, headers=organizer_headers)
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"items.1.x", "items.2.y"}
    bad = client.post(
        URL, json={"items": [booth("A01", 0, 0), booth("no way", 0, 0)]}, headers=organizer_headers
    )
    assert bad.status_code == 422
    assert "items.1.code" in bad.get_json()["error"]["fields"]
    assert client.post(URL, json={"items": []}, headers=organizer_headers).status_code == 422
    many = [booth(f"Z{n}", 0, 0) for n in range(5001)]
    assert client.post(URL, json={"items": many}, headers=organizer_headers).status_code == 422
    assert codes(db) == []


def test_only_organizers_and_plugin_off(
    client: FlaskClient,
    db: Session,
    world: World,
    make: Any,
    api_token: Any,
    organizer_headers: dict[str, str],
) -> None:
    body = {"items": [booth("A01", 0, 0)]}
    assert client.post(URL, json=body).status_code == 401
    make.user("someone@example.id")
    assert client.post(URL, json=body, headers=api_token("someone@example.id")).status_code == 403
    make.event("no-expo", plugins=[], organizer=world.organizer)
    off = "/api/v1/events/no-expo/booths/import"
    assert client.post(off, json=body, headers=organizer_headers).status_code == 404
    assert codes(db) == []


def test_sweep_agrees_with_pairwise_check() -> None:
    rng = random.Random(7)
    rects = [
        (rng.randrange(50), rng.randrange(50), rng.randrange(1, 8), rng.randrange(1, 8), f"C{n}", n)
        for n in range(300)
    ]
    found = booth_import._overlaps(rects)
    by_code = {r[4]: r for r in rects}

    def clash(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
        return (
            a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]
        )

    # Every flagged row really overlaps the booth it names ...
    for row, code in found.items():
        assert clash(rects[row], by_code[code])
    # ... and of every overlapping pair at least one is flagged.
    for n, a in enumerate(rects):
        for b in rects[n + 1 :]:
            if clash(a, b):
                assert a[5] in found or b[5] in found


def test_service_places_a_province_hall_of_1500_booths(
    app: Flask, db: Session, world: World
) -> None:
    specs = [
        services.BoothSpec(f"G{n:04d}", "G", (n % 50) * 1, (n // 50) * 1, 1, 1) for n in range(1500)
    ]
    with app.test_request_context():
        created = booth_import.import_booths(db, db.merge(world.event), specs, floor=(60, 40))
        db.commit()
    assert created == 1500
    assert db.scalar(select(func.count(Booth.id))) == 1500
    db.commit()

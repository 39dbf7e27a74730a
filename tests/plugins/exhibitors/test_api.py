"""The Exhibitors section of API.md: GET exhibitors/booths, POST booths, POST booths/assign."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from plugins.exhibitors.models import Booth
from tests.plugins.exhibitors.conftest import EXHIBITOR, SLUG, World

BASE = f"/api/v1/events/{SLUG}"


def booth(code: str, x: int, y: int = 0, zone: str = "A") -> dict[str, Any]:
    """A booth body."""
    return {"code": code, "zone": zone, "x": x, "y": y, "width": 3, "height": 3}


def stored(db: Session) -> int:
    """Booths in the database."""
    db.expire_all()
    return db.scalar(select(func.count()).select_from(Booth)) or 0


def test_create_and_list_booths(client: FlaskClient, organizer_headers: Any, db: Session) -> None:
    response = client.post(f"{BASE}/booths", json=booth("A01", 0), headers=organizer_headers)
    assert response.status_code == 201
    assert response.get_json()["code"] == "A01"
    listed = client.get(f"{BASE}/booths").get_json()
    assert listed["total"] == 1
    assert listed["items"][0] == {
        "code": "A01",
        "zone": "A",
        "x": 0,
        "y": 0,
        "width": 3,
        "height": 3,
        "organization": None,
        "assigned_manually": False,
    }


def test_duplicate_and_overlap_answer_409_naming_the_booth(
    client: FlaskClient, organizer_headers: Any, db: Session
) -> None:
    assert (
        client.post(f"{BASE}/booths", json=booth("A01", 0), headers=organizer_headers).status_code
        == 201
    )
    duplicate = client.post(f"{BASE}/booths", json=booth("A01", 20), headers=organizer_headers)
    assert duplicate.status_code == 409
    assert duplicate.get_json()["error"]["booth"] == "A01"
    overlap = client.post(f"{BASE}/booths", json=booth("A02", 1, 1), headers=organizer_headers)
    assert overlap.status_code == 409
    error = overlap.get_json()["error"]
    assert error["booth"] == "A01" and "A01" in error["message"]
    assert stored(db) == 1


def test_invalid_booth_bodies_answer_422_or_400(
    client: FlaskClient, organizer_headers: Any, db: Session
) -> None:
    for body, field in [
        ({**booth("A1", 0), "width": 0}, "width"),
        ({**booth("A1", 0), "x": -3}, "x"),
        ({**booth("A1", 0), "x": "left"}, "x"),
        ({**booth("A1", 59)}, "x"),
        ({**booth("", 0)}, "code"),
        ({**booth("A1", 0), "colour": "red"}, "colour"),
    ]:
        response = client.post(f"{BASE}/booths", json=body, headers=organizer_headers)
        assert response.status_code == 422, body
        assert field in response.get_json()["error"]["fields"], body
    response = client.post(
        f"{BASE}/booths", data="{nope", content_type="application/json", headers=organizer_headers
    )
    assert response.status_code == 400
    assert stored(db) == 0


def test_writes_need_an_organizer(client: FlaskClient, api_token: Any, world: World) -> None:
    assert client.post(f"{BASE}/booths", json=booth("A01", 0)).status_code == 401
    headers = api_token(EXHIBITOR)
    assert client.post(f"{BASE}/booths", json=booth("A01", 0), headers=headers).status_code == 403
    assert (
        client.post(f"{BASE}/booths/assign", json={"strategy": "auto"}, headers=headers).status_code
        == 403
    )


def test_assign_auto_then_exhibitors_show_booths(
    client: FlaskClient, organizer_headers: Any, world: World
) -> None:
    for i in range(5):
        client.post(f"{BASE}/booths", json=booth(f"A{i + 1:02d}", i * 3), headers=organizer_headers)
    response = client.post(
        f"{BASE}/booths/assign", json={"strategy": "auto"}, headers=organizer_headers
    )
    assert response.status_code == 200
    assert response.get_json()["total"] == 4
    exhibitors = client.get(f"{BASE}/exhibitors").get_json()
    assert exhibitors["total"] == 4
    assert all(item["booth"] for item in exhibitors["items"])
    assert {item["name"] for item in exhibitors["items"]} == set(world.organizations)
    booths = client.get(f"{BASE}/booths").get_json()["items"]
    assert sum(1 for b in booths if b["organization"]) == 4
    # Nothing left to do: a second run places nobody.
    again = client.post(
        f"{BASE}/booths/assign", json={"strategy": "auto"}, headers=organizer_headers
    )
    assert again.get_json()["total"] == 0


def test_assign_when_booths_run_out_is_409_and_changes_nothing(
    client: FlaskClient, organizer_headers: Any, world: World, db: Session
) -> None:
    client.post(f"{BASE}/booths", json=booth("A01", 0), headers=organizer_headers)
    response = client.post(
        f"{BASE}/booths/assign", json={"strategy": "auto"}, headers=organizer_headers
    )
    assert response.status_code == 409
    unassigned = response.get_json()["error"]["unassigned"]
    assert {o["name"] for o in unassigned} == set(world.organizations)
    assert all(b["organization"] is None for b in client.get(f"{BASE}/booths").get_json()["items"])


def test_assign_refuses_unknown_strategy(client: FlaskClient, organizer_headers: Any) -> None:
    response = client.post(
        f"{BASE}/booths/assign", json={"strategy": "random"}, headers=organizer_headers
    )
    assert response.status_code == 422
    assert "strategy" in response.get_json()["error"]["fields"]


def test_api_is_404_when_plugin_is_off(client: FlaskClient, make: Any, world: World) -> None:
    make.event("tanpa-2026", plugins=[])
    for path in ("exhibitors", "booths"):
        assert client.get(f"/api/v1/events/tanpa-2026/{path}").status_code == 404
    assert client.get(f"{BASE}/exhibitors").status_code == 200


def test_openapi_documents_the_endpoints(client: FlaskClient, world: World) -> None:
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/exhibitors", "/booths", "/booths/assign"):
        assert f"/api/v1/events/{{event}}{path}" in paths

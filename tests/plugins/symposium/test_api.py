"""The Symposium endpoints of API.md: rooms, sessions, moves, auto-scheduling, the schedule."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from core.models import Event
from core.services import plugin_settings
from plugins.symposium.models import Room, Speaker
from plugins.symposium.models import Session as SymSession
from tests.plugins.symposium.helpers import API, DAY1, DAY2, SLUG, at, session_body


def count(db: Any, model: Any) -> int:
    """Rows of ``model``."""
    db.expire_all()
    return int(db.scalar(select(func.count()).select_from(model)))


def test_create_room(api: Callable[..., Any], db: Any) -> None:
    response = api("post", "/rooms", json={"name": "Hall", "capacity": 300})
    assert response.status_code == 201
    assert response.get_json() == {"id": response.get_json()["id"], "name": "Hall", "capacity": 300}
    duplicate = api("post", "/rooms", json={"name": "hall", "capacity": 10})
    assert duplicate.status_code == 409
    assert "name" in duplicate.get_json()["error"]["fields"]
    assert count(db, Room) == 1
    listed = api("get", "/rooms").get_json()
    assert listed["total"] == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "", "capacity": 10}, "name"),
        ({"name": "A", "capacity": -1}, "capacity"),
        ({"name": "A"}, "capacity"),
        ({"name": "A", "capacity": 10, "colour": "red"}, "colour"),
    ],
)
def test_bad_rooms_are_refused(
    api: Callable[..., Any], db: Any, body: dict[str, Any], field: str
) -> None:
    response = api("post", "/rooms", json=body)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    assert count(db, Room) == 0


def test_create_unscheduled_session_with_speakers(api: Callable[..., Any], db: Any) -> None:
    body = session_body(
        kind="panel",
        speakers=[
            {"name": "Ani", "email": "ani@example.id", "affiliation": "Kominfo"},
            {"name": "Budi", "affiliation": "Bappeda"},
        ],
    )
    response = api("post", "/sessions", json=body)
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert data["starts_at"] is None and data["room"] is None
    assert [s["name"] for s in data["speakers"]] == ["Ani", "Budi"]
    # the same e-mail is the same person in a second session
    again = api("post", "/sessions", json=session_body("Second"))
    assert again.get_json()["speakers"][0]["id"] == data["speakers"][0]["id"]
    assert count(db, Speaker) == 2


def test_create_placed_session(api: Callable[..., Any], rooms: dict[str, int]) -> None:
    body = session_body(room=rooms["Hall"], starts_at="2026-12-10T02:00:00Z")
    response = api("post", "/sessions", json=body)
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert data["starts_at"] == "2026-12-10T09:00:00+07:00"
    assert data["ends_at"] == "2026-12-10T10:00:00+07:00"
    assert data["room"] == {"id": rooms["Hall"], "name": "Hall"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": -30}, "duration_minutes"),
        ({"kind": "concert"}, "kind"),
        ({"title": ""}, "title"),
        ({"speakers": [{"name": ""}]}, "speakers.0.name"),
        ({"speakers": [{"name": "   "}]}, "speakers.0.name"),
        ({"speakers": [{"name": "A", "email": "nope"}]}, "speakers.0.email"),
        ({"room": "Nowhere", "starts_at": at(DAY1, "09:00")}, "room"),
        ({"room": 999999, "starts_at": at(DAY1, "09:00")}, "room"),
        ({"room": 2**40, "starts_at": at(DAY1, "09:00")}, "room"),
        ({"track": 2**40}, "track"),
        ({"room": "Hall", "starts_at": "0001-01-01T00:00:00+14:00"}, "starts_at"),
        ({"room": "Hall", "starts_at": "9999-12-31T23:59:00+00:00"}, "starts_at"),
        ({"room": "Hall", "starts_at": "2026-12-10T09:00:00"}, "starts_at"),
        ({"room": "Hall"}, "starts_at"),
        ({"starts_at": at(DAY1, "09:00")}, "room"),
        ({"expected_audience": -5}, "expected_audience"),
    ],
)
def test_bad_sessions_are_refused(
    api: Callable[..., Any],
    rooms: dict[str, int],
    db: Any,
    change: dict[str, Any],
    field: str,
) -> None:
    response = api("post", "/sessions", json=session_body(**change))
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]
    assert count(db, SymSession) == 0
    assert count(db, Speaker) == 0


def test_move_retime_and_unschedule(api: Callable[..., Any], rooms: dict[str, int]) -> None:
    sid = api("post", "/sessions", json=session_body()).get_json()["id"]
    placed = api("patch", f"/sessions/{sid}", json={"room": "Hall", "starts_at": at(DAY1, "09:00")})
    assert placed.status_code == 200
    moved = api(
        "patch", f"/sessions/{sid}", json={"room": "Studio", "starts_at": at(DAY2, "13:00")}
    )
    assert moved.get_json()["room"]["name"] == "Studio"
    assert moved.get_json()["starts_at"] == "2026-12-11T13:00:00+07:00"
    longer = api("patch", f"/sessions/{sid}", json={"duration_minutes": 90})
    assert longer.get_json()["ends_at"] == "2026-12-11T14:30:00+07:00"
    too_long = api("patch", f"/sessions/{sid}", json={"duration_minutes": 300})
    assert too_long.status_code == 409
    off = api("patch", f"/sessions/{sid}", json={"room": None, "starts_at": None})
    assert off.status_code == 200
    assert off.get_json()["room"] is None and off.get_json()["starts_at"] is None


def test_patch_bad_input(api: Callable[..., Any], rooms: dict[str, int]) -> None:
    sid = api("post", "/sessions", json=session_body()).get_json()["id"]
    assert api("patch", f"/sessions/{sid}", json={"duration_minutes": 0}).status_code == 422
    assert api("patch", f"/sessions/{sid}", json={"title": None}).status_code == 422
    assert api("patch", "/sessions/999999", json={"title": "x"}).status_code == 404
    assert api("patch", f"/sessions/{2**40}", json={"title": "x"}).status_code == 404
    bad = api("patch", f"/sessions/{sid}", data="{", content_type="application/json")
    assert bad.status_code == 400


def test_auto_schedule_and_schedule(api: Callable[..., Any], rooms: dict[str, int]) -> None:
    for n in range(6):
        body = session_body(f"Talk {n}", speakers=[{"name": "Ani", "email": "ani@example.id"}])
        api("post", "/sessions", json=body)
    fixed = session_body(
        "Keynote",
        room="Hall",
        starts_at=at(DAY1, "08:00"),
        fixed=True,
        speakers=[{"name": "Gubernur"}],
    )
    api("post", "/sessions", json=fixed)
    result = api("post", "/schedule/auto")
    assert result.status_code == 200
    assert result.get_json() == {"placed": 6, "unplaced": []}
    schedule = api("get", "/schedule").get_json()
    assert schedule["total"] == 7
    starts = [i["starts_at"] for i in schedule["items"]]
    assert starts == sorted(starts)
    assert schedule["items"][0]["title"] == "Keynote"
    assert all(i["room"] and i["speakers"] for i in schedule["items"])
    assert api("get", "/schedule/conflicts").get_json()["items"] == []


def test_auto_schedule_reports_unplaced(api: Callable[..., Any], rooms: dict[str, int]) -> None:
    api("post", "/sessions", json=session_body("Too long", duration_minutes=600))
    result = api("post", "/schedule/auto").get_json()
    assert result["placed"] == 0
    assert [(u["session"]["title"], u["reason"]) for u in result["unplaced"]] == [
        ("Too long", "no_time_available")
    ]
    assert result["unplaced"][0]["message"]


def test_schedule_is_public(client: FlaskClient, api: Callable[..., Any], rooms: Any) -> None:
    api("post", "/sessions", json=session_body(room="Hall", starts_at=at(DAY1, "09:00")))
    api("post", "/sessions", json=session_body("Unplaced", speakers=[]))
    response = client.get(f"{API}/schedule")
    assert response.status_code == 200
    assert [i["title"] for i in response.get_json()["items"]] == ["Opening keynote"]


def test_permissions(client: FlaskClient, api_token: Any, event: Event) -> None:
    assert client.post(f"{API}/rooms", json={"name": "A", "capacity": 1}).status_code == 401
    visitor = api_token("visitor@example.id")
    assert (
        client.post(f"{API}/rooms", json={"name": "A", "capacity": 1}, headers=visitor).status_code
        == 403
    )
    assert client.post(f"{API}/sessions", json=session_body(), headers=visitor).status_code == 403
    assert client.post(f"{API}/schedule/auto", headers=visitor).status_code == 403
    assert client.get(f"{API}/sessions", headers=visitor).status_code == 403


def test_disabled_plugin_answers_404(
    client: FlaskClient, headers: dict[str, str], event: Event, make: Any, db: Any
) -> None:
    plugin_settings.set_plugin_enabled(
        db, make.app.extensions["gelar_plugins"], event, "symposium", False
    )
    db.commit()
    for method, path in (
        ("post", "/rooms"),
        ("post", "/sessions"),
        ("get", "/schedule"),
        ("post", "/schedule/auto"),
    ):
        response = getattr(client, method)(f"{API}{path}", json={}, headers=headers)
        assert response.status_code == 404, path
    assert client.get(f"/{SLUG}/symposium/schedule.ics").status_code == 404
    assert client.get(f"/{SLUG}/symposium/manage/").status_code == 404


def test_openapi_lists_the_endpoints(client: FlaskClient) -> None:
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in (
        "/api/v1/events/{event}/rooms",
        "/api/v1/events/{event}/sessions",
        "/api/v1/events/{event}/sessions/{session_id}",
        "/api/v1/events/{event}/schedule/auto",
        "/api/v1/events/{event}/schedule",
    ):
        assert path in paths, path


def test_availability_windows(api: Callable[..., Any], db: Any) -> None:
    created = api("post", "/sessions", json=session_body()).get_json()
    url = f"/speakers/{created['speakers'][0]['id']}/availability"
    window = {"starts_at": at(DAY1, "08:00"), "ends_at": at(DAY1, "12:00")}
    assert api("post", url, json=window).status_code == 201
    overlapping = api(
        "post", url, json={"starts_at": at(DAY1, "11:00"), "ends_at": at(DAY1, "13:00")}
    )
    assert overlapping.status_code == 422
    assert "starts_at" in overlapping.get_json()["error"]["fields"]
    backwards = api(
        "post", url, json={"starts_at": at(DAY2, "12:00"), "ends_at": at(DAY2, "11:00")}
    )
    assert backwards.status_code == 422
    naive = api(
        "post", url, json={"starts_at": "2026-12-11T08:00:00", "ends_at": "2026-12-11T09:00:00"}
    )
    assert naive.status_code == 422
    assert api("post", "/speakers/999999/availability", json=window).status_code == 404
    from plugins.symposium.models import Availability

    assert count(db, Availability) == 1


def test_unscheduled_session_is_hidden_from_the_public(
    client: FlaskClient, api: Callable[..., Any]
) -> None:
    sid = api("post", "/sessions", json=session_body()).get_json()["id"]
    assert client.get(f"{API}/sessions/{sid}").status_code == 404
    assert api("get", f"/sessions/{sid}").status_code == 200

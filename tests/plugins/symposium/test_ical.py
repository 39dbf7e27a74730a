"""iCal feeds: parsed back, right times in Asia/Jakarta, stable UIDs, per room and personal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask.testing import FlaskClient
from icalendar import Calendar

from tests.plugins.symposium.helpers import DAY1, DAY2, SLUG, at, session_body

JKT = ZoneInfo("Asia/Jakarta")


def parse(response: Any) -> list[Any]:
    """The VEVENTs of an .ics response."""
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    zones = [z["TZID"] for z in calendar.walk("VTIMEZONE")]
    assert zones == ["Asia/Jakarta"]
    assert calendar.walk("VTIMEZONE")[0].walk("STANDARD")
    return list(calendar.walk("VEVENT"))


def make_programme(api: Callable[..., Any]) -> list[dict[str, Any]]:
    """Two placed sessions (Hall day 1 09:00, Studio day 2 13:30) and one unscheduled."""
    ids = [
        api(
            "post", "/sessions", json=session_body(room="Hall", starts_at=at(DAY1, "09:00"))
        ).get_json(),
        api(
            "post",
            "/sessions",
            json=session_body(
                "Workshop",
                kind="workshop",
                duration_minutes=90,
                room="Studio",
                starts_at=at(DAY2, "13:30"),
                speakers=[{"name": "Budi"}],
            ),
        ).get_json(),
    ]
    api("post", "/sessions", json=session_body("Later", speakers=[]))
    return ids


def test_whole_schedule(client: FlaskClient, api: Callable[..., Any], rooms: Any) -> None:
    first, second = make_programme(api)
    events = parse(client.get(f"/{SLUG}/symposium/schedule.ics"))
    assert [str(e["SUMMARY"]) for e in events] == ["Opening keynote", "Workshop"]
    keynote = events[0]
    start = keynote.decoded("DTSTART")
    assert start == datetime(2026, 12, 10, 9, 0, tzinfo=JKT)
    assert start.tzinfo is not None and str(start.tzinfo) == "Asia/Jakarta"
    assert keynote["DTSTART"].params["TZID"] == "Asia/Jakarta"
    assert keynote.decoded("DTEND") == datetime(2026, 12, 10, 10, 0, tzinfo=JKT)
    assert str(keynote["UID"]) == f"session-{first['uid']}@{SLUG}.gelar"
    assert str(keynote["LOCATION"]) == "Hall"
    assert "Ani" in str(keynote["DESCRIPTION"])
    assert events[1].decoded("DTEND") == datetime(2026, 12, 11, 15, 0, tzinfo=JKT)
    assert str(events[1]["UID"]) == f"session-{second['uid']}@{SLUG}.gelar"


def test_uids_stay_when_a_session_moves(
    client: FlaskClient, api: Callable[..., Any], rooms: Any
) -> None:
    first, _ = make_programme(api)
    before = {str(e["UID"]) for e in parse(client.get(f"/{SLUG}/symposium/schedule.ics"))}
    api("patch", f"/sessions/{first['id']}", json={"starts_at": at(DAY1, "14:00")})
    after = parse(client.get(f"/{SLUG}/symposium/schedule.ics"))
    assert {str(e["UID"]) for e in after} == before
    moved = next(e for e in after if str(e["UID"]).startswith(f"session-{first['uid']}@"))
    assert moved.decoded("DTSTART") == datetime(2026, 12, 10, 14, 0, tzinfo=JKT)


def test_per_room(client: FlaskClient, api: Callable[..., Any], rooms: dict[str, int]) -> None:
    make_programme(api)
    studio = parse(client.get(f"/{SLUG}/symposium/schedule.ics?room={rooms['Studio']}"))
    assert [str(e["SUMMARY"]) for e in studio] == ["Workshop"]
    assert client.get(f"/{SLUG}/symposium/schedule.ics?room=999999").status_code == 404


def test_personal_by_ids_and_by_stars(
    client: FlaskClient, api: Callable[..., Any], rooms: Any, auth: Any
) -> None:
    first, second = make_programme(api)
    anonymous = parse(client.get(f"/{SLUG}/symposium/my.ics?s={second['id']},x,99999"))
    assert [str(e["UID"]) for e in anonymous] == [f"session-{second['uid']}@{SLUG}.gelar"]
    auth.login("visitor@example.id")
    assert (
        client.post(f"/{SLUG}/symposium/sessions/{first['id']}/star", data={"on": "1"}).status_code
        == 302
    )
    mine = parse(client.get(f"/{SLUG}/symposium/my.ics"))
    assert [str(e["SUMMARY"]) for e in mine] == ["Opening keynote"]


def test_empty_calendar_is_still_valid(client: FlaskClient, rooms: Any) -> None:
    assert parse(client.get(f"/{SLUG}/symposium/schedule.ics")) == []


def test_uid_of_a_deleted_session_is_never_reused(
    client: FlaskClient, api: Callable[..., Any], rooms: Any
) -> None:
    _, second = make_programme(api)
    api("delete", f"/sessions/{second['id']}")
    again = api(
        "post",
        "/sessions",
        json=session_body("Replacement", room="Studio", starts_at=at(DAY2, "13:30"), speakers=[]),
    ).get_json()
    assert again["uid"] != second["uid"]
    uids = [str(e["UID"]) for e in parse(client.get(f"/{SLUG}/symposium/schedule.ics"))]
    assert f"session-{second['uid']}@{SLUG}.gelar" not in uids

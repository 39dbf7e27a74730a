"""Each hard conflict and warning: the pure checker, and the API's 409 on both databases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from core.models import Event
from plugins.symposium import services
from plugins.symposium.conflicts import Programme, Slot, check_placement, programme_conflicts
from plugins.symposium.models import Session as SymSession
from tests.plugins.symposium.helpers import DAY1, DAY2, at, session_body

JKT = ZoneInfo("Asia/Jakarta")


def jkt(day: int, hour: int, minute: int = 0) -> datetime:
    """10 or 11 December 2026 at ``hour:minute`` in Jakarta."""
    return datetime(2026, 12, day, hour, minute, tzinfo=JKT)


@pytest.fixture
def frame() -> Programme:
    """Two days, 08:00-17:00 Jakarta, 10-minute buffer, rooms 1 (100 seats) and 2 (10)."""
    return Programme(
        days=[date(2026, 12, 10), date(2026, 12, 11)],
        timezone="Asia/Jakarta",
        day_starts=time(8),
        day_ends=time(17),
        buffer_minutes=10,
        room_names={1: "Hall", 2: "Studio"},
        room_capacities={1: 100, 2: 10},
        speaker_names={7: "Ani", 8: "Budi"},
    )


def slot(sid: int, room: int | None, start: datetime | None, **kw: Any) -> Slot:
    """A 60-minute slot unless told otherwise."""
    return Slot(
        sid, f"S{sid}", kw.pop("duration", 60), frozenset(kw.pop("speakers", ())), room, start, **kw
    )


def kinds(found: list[Any]) -> list[str]:
    """The kinds of the conflicts found."""
    return [c.kind for c in found]


class TestPureChecker:
    def test_free_placement_has_no_conflict(self, frame: Programme) -> None:
        assert check_placement(slot(1, 1, jkt(10, 9)), [slot(2, 1, jkt(10, 10))], frame) == []

    def test_room_overlap(self, frame: Programme) -> None:
        found = check_placement(slot(1, 1, jkt(10, 9, 30)), [slot(2, 1, jkt(10, 9))], frame)
        assert kinds(found) == ["room_overlap"]
        assert found[0].session == {"id": 2, "title": "S2"}
        assert found[0].room == {"id": 1, "name": "Hall"}

    def test_back_to_back_in_a_room_is_fine(self, frame: Programme) -> None:
        assert check_placement(slot(1, 1, jkt(10, 10)), [slot(2, 1, jkt(10, 9))], frame) == []

    def test_speaker_overlap(self, frame: Programme) -> None:
        found = check_placement(
            slot(1, 1, jkt(10, 9), speakers={7}),
            [slot(2, 2, jkt(10, 9, 30), speakers={7, 8})],
            frame,
        )
        assert kinds(found) == ["speaker_overlap"]
        assert found[0].speaker == {"id": 7, "name": "Ani"}

    def test_speaker_buffer(self, frame: Programme) -> None:
        found = check_placement(
            slot(1, 1, jkt(10, 10, 5), speakers={7}), [slot(2, 2, jkt(10, 9), speakers={7})], frame
        )
        assert kinds(found) == ["speaker_buffer"]
        ok = check_placement(
            slot(1, 1, jkt(10, 10, 10), speakers={7}), [slot(2, 2, jkt(10, 9), speakers={7})], frame
        )
        assert ok == []

    def test_outside_event_days(self, frame: Programme) -> None:
        assert kinds(check_placement(slot(1, 1, jkt(12, 9)), [], frame)) == ["outside_event_days"]

    def test_day_is_taken_in_the_event_zone(self, frame: Programme) -> None:
        # 01:00 UTC on 10 December is 08:00 in Jakarta: inside; 23:30 UTC on the 9th is 06:30.
        utc = ZoneInfo("UTC")
        assert check_placement(slot(1, 1, datetime(2026, 12, 10, 1, tzinfo=utc)), [], frame) == []
        early = slot(1, 1, datetime(2026, 12, 9, 23, 30, tzinfo=utc))
        assert kinds(check_placement(early, [], frame)) == ["outside_day_hours"]

    @pytest.mark.parametrize("start", [(7, 59), (16, 1)])
    def test_outside_day_hours(self, frame: Programme, start: tuple[int, int]) -> None:
        found = check_placement(slot(1, 1, jkt(10, *start)), [], frame)
        assert kinds(found) == ["outside_day_hours"]

    def test_speaker_unavailable(self, frame: Programme) -> None:
        frame.availability[7] = [(jkt(10, 8), jkt(10, 12))]
        assert check_placement(slot(1, 1, jkt(10, 11), speakers={7}), [], frame) == []
        found = check_placement(slot(1, 1, jkt(10, 11, 30), speakers={7}), [], frame)
        assert kinds(found) == ["speaker_unavailable"]

    def test_warnings(self, frame: Programme) -> None:
        busy = [slot(10 + i, 1, jkt(10, 9 + 2 * i), speakers={7}) for i in range(3)]
        same_track = slot(20, 1, jkt(10, 15), track_id=3)
        candidate = slot(1, 2, jkt(10, 15), speakers={7}, track_id=3, expected_audience=50)
        found = check_placement(candidate, [*busy, same_track], frame)
        assert sorted(kinds(found)) == ["room_capacity", "speaker_busy_day", "track_parallel"]
        assert all(c.severity == "warning" for c in found)

    def test_programme_conflicts_reports_each_pair_once(self, frame: Programme) -> None:
        found = programme_conflicts([slot(1, 1, jkt(10, 9)), slot(2, 1, jkt(10, 9, 30))], frame)
        assert kinds(found) == ["room_overlap"]

    def test_programme_conflicts_give_one_busy_day_count_per_speaker(
        self, frame: Programme
    ) -> None:
        day1 = [slot(10 + i, 1, jkt(10, 8 + 2 * i), speakers={7}) for i in range(5)]
        day2 = [slot(20 + i, 1, jkt(11, 8 + 2 * i), speakers={7, 8}) for i in range(4)]
        found = [c for c in programme_conflicts([*day1, *day2], frame) if c.severity == "warning"]
        assert kinds(found) == ["speaker_busy_day"] * 3
        messages = sorted(c.message for c in found)
        assert messages == [
            "Ani has 4 sessions on 2026-12-11.",
            "Ani has 5 sessions on 2026-12-10.",
            "Budi has 4 sessions on 2026-12-11.",
        ]
        # below the threshold: no warning at all
        assert programme_conflicts(day1[:3], frame) == []


# -- through the API, on both databases ---------------------------------------------------


def conflict_kinds(response: Any) -> list[str]:
    """Kinds listed by a 409 response (top level and inside ``error``)."""
    body = response.get_json()
    assert response.status_code == 409, body
    assert body["error"]["code"] == "schedule_conflict"
    assert body["conflicts"] == body["error"]["conflicts"]
    return [c["kind"] for c in body["conflicts"]]


def test_room_overlap_is_refused_and_nothing_stored(
    api: Callable[..., Any], rooms: dict[str, int], db: Any, event: Event
) -> None:
    first = api("post", "/sessions", json=session_body(room="Hall", starts_at=at(DAY1, "09:00")))
    assert first.status_code == 201, first.get_json()
    clash = session_body(
        "Clash", room=rooms["Hall"], starts_at=at(DAY1, "09:30"), speakers=[{"name": "Budi"}]
    )
    response = api("post", "/sessions", json=clash)
    assert conflict_kinds(response) == ["room_overlap"]
    other = response.get_json()["conflicts"][0]
    assert other["session"]["id"] == first.get_json()["id"]
    assert other["room"] == {"id": rooms["Hall"], "name": "Hall"}
    titles = db.scalars(select(SymSession.title)).all()
    assert titles == ["Opening keynote"]
    assert db.scalars(select(services.Speaker.name)).all() == ["Ani"]


def test_speaker_overlap_and_buffer(api: Callable[..., Any], rooms: dict[str, int]) -> None:
    assert (
        api(
            "post", "/sessions", json=session_body(room="Hall", starts_at=at(DAY1, "09:00"))
        ).status_code
        == 201
    )
    overlap = session_body("Panel", room="Studio", starts_at=at(DAY1, "09:30"))
    response = api("post", "/sessions", json=overlap)
    assert conflict_kinds(response) == ["speaker_overlap"]
    assert response.get_json()["conflicts"][0]["speaker"]["name"] == "Ani"
    too_close = session_body("Panel", room="Studio", starts_at=at(DAY1, "10:05"))
    assert conflict_kinds(api("post", "/sessions", json=too_close)) == ["speaker_buffer"]
    enough = session_body("Panel", room="Studio", starts_at=at(DAY1, "10:10"))
    assert api("post", "/sessions", json=enough).status_code == 201


def test_outside_days_and_hours(api: Callable[..., Any], rooms: dict[str, int]) -> None:
    day_after = session_body(room="Hall", starts_at=at("2026-12-12", "09:00"))
    assert conflict_kinds(api("post", "/sessions", json=day_after)) == ["outside_event_days"]
    late = session_body(room="Hall", starts_at=at(DAY2, "16:30"))
    assert conflict_kinds(api("post", "/sessions", json=late)) == ["outside_day_hours"]


def test_outside_availability(
    api: Callable[..., Any], rooms: dict[str, int], db: Any, event: Event
) -> None:
    created = api("post", "/sessions", json=session_body()).get_json()
    speaker_id = created["speakers"][0]["id"]
    window = {"starts_at": at(DAY1, "08:00"), "ends_at": at(DAY1, "12:00")}
    assert api("post", f"/speakers/{speaker_id}/availability", json=window).status_code == 201
    move = {"room": "Hall", "starts_at": at(DAY1, "13:00")}
    assert conflict_kinds(api("patch", f"/sessions/{created['id']}", json=move)) == [
        "speaker_unavailable"
    ]
    fine = api("patch", f"/sessions/{created['id']}", json={**move, "starts_at": at(DAY1, "10:00")})
    assert fine.status_code == 200, fine.get_json()


def test_warnings_are_returned_but_allowed(api: Callable[..., Any], rooms: dict[str, int]) -> None:
    body = session_body(room="Studio", starts_at=at(DAY1, "09:00"), expected_audience=80)
    response = api("post", "/sessions", json=body)
    assert response.status_code == 201
    assert [w["kind"] for w in response.get_json()["warnings"]] == ["room_capacity"]


def test_refused_move_leaves_the_session_where_it_was(
    api: Callable[..., Any], rooms: dict[str, int], db: Any
) -> None:
    a = api("post", "/sessions", json=session_body(room="Hall", starts_at=at(DAY1, "09:00")))
    b = api(
        "post",
        "/sessions",
        json=session_body(
            "Second", room="Hall", starts_at=at(DAY1, "11:00"), speakers=[{"name": "Budi"}]
        ),
    )
    sid = b.get_json()["id"]
    refused = api("patch", f"/sessions/{sid}", json={"starts_at": at(DAY1, "09:15")})
    assert conflict_kinds(refused) == ["room_overlap"]
    assert refused.get_json()["conflicts"][0]["session"]["id"] == a.get_json()["id"]
    stored = db.get(SymSession, sid)
    db.refresh(stored)
    assert stored.starts_at == jkt(10, 11)
    assert stored.room_id == rooms["Hall"]


def test_conflict_list_page_and_api(
    api: Callable[..., Any],
    rooms: dict[str, int],
    client: Any,
    auth: Any,
    event: Event,
    headers: dict[str, str],
) -> None:
    api(
        "post",
        "/sessions",
        json=session_body(room="Studio", starts_at=at(DAY1, "09:00"), expected_audience=50),
    )
    # A hard conflict can only appear when the rules change after placement: a longer buffer.
    api("post", "/sessions", json=session_body("Later", room="Hall", starts_at=at(DAY1, "10:15")))
    client.put(
        f"/api/v1/events/{event.slug}/plugins/symposium/settings",
        json={"buffer_minutes": 30},
        headers=headers,
    )
    listed = api("get", "/schedule/conflicts").get_json()["items"]
    assert sorted(c["kind"] for c in listed) == ["room_capacity", "speaker_buffer"]
    assert listed[0]["severity"] == "hard"
    auth.login("organizer@example.id")
    client.post("/lang/en")
    page = client.get(f"/{event.slug}/symposium/manage/conflicts").get_data(as_text=True)
    assert 'data-kind="speaker_buffer"' in page
    assert 'data-kind="room_capacity"' in page

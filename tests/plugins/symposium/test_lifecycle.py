"""Published versions, sign-ups with a wait list, stars, cloning, and concurrent placements."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from core.db import get_db
from core.models import Event, OutboundMail, User
from core.services.errors import Conflict, NotFound
from plugins.symposium import engagement, services, versions
from plugins.symposium.models import Room, Track
from plugins.symposium.models import Session as SymSession
from tests.plugins.symposium.helpers import API, DAY1, SLUG, at, session_body

JKT = ZoneInfo("Asia/Jakarta")


# -- versions -----------------------------------------------------------------------------


def test_publish_versions_with_changes(
    client: FlaskClient, api: Callable[..., Any], rooms: Any
) -> None:
    a = api("post", "/sessions", json=session_body(room="Hall", starts_at=at(DAY1, "09:00")))
    b = api(
        "post",
        "/sessions",
        json=session_body("B", room="Hall", starts_at=at(DAY1, "11:00"), speakers=[]),
    )
    first = api("post", "/schedule/publish", json={"comment": "First programme"})
    assert first.status_code == 201
    assert first.get_json()["number"] == 1
    assert len(first.get_json()["changes"]["new"]) == 2
    assert api("post", "/schedule/publish", json={}).status_code == 409

    # visitors keep seeing version 1 while the organizer edits
    api("patch", f"/sessions/{a.get_json()['id']}", json={"starts_at": at(DAY1, "13:00")})
    api("delete", f"/sessions/{b.get_json()['id']}")
    api(
        "post",
        "/sessions",
        json=session_body("C", room="Studio", starts_at=at(DAY1, "09:00"), speakers=[]),
    )
    public = client.get(f"{API}/schedule").get_json()
    assert public["version"] == 1
    assert [i["title"] for i in public["items"]] == ["Opening keynote", "B"]
    assert public["items"][0]["starts_at"] == "2026-12-10T09:00:00+07:00"

    second = api("post", "/schedule/publish", json={}).get_json()
    assert second["number"] == 2
    changes = second["changes"]
    assert [c["title"] for c in changes["new"]] == ["C"]
    assert [c["title"] for c in changes["cancelled"]] == ["B"]
    assert changes["moved"][0]["from"]["starts_at"] == "2026-12-10T09:00:00+07:00"
    assert changes["moved"][0]["to"]["starts_at"] == "2026-12-10T13:00:00+07:00"
    public = client.get(f"{API}/schedule").get_json()
    assert public["version"] == 2
    assert sorted(i["title"] for i in public["items"]) == ["C", "Opening keynote"]
    listed = client.get(f"{API}/schedule/versions").get_json()
    assert [v["number"] for v in listed["items"]] == [2, 1]


# -- sign-ups -----------------------------------------------------------------------------


@pytest.fixture
def workshop(api: Callable[..., Any], rooms: Any) -> int:
    """A workshop with 1 seat and sign-up required."""
    body = session_body(
        "Workshop",
        kind="workshop",
        room="Studio",
        starts_at=at(DAY1, "09:00"),
        signup_required=True,
        capacity=1,
    )
    response = api("post", "/sessions", json=body)
    assert response.status_code == 201, response.get_json()
    return int(response.get_json()["id"])


def test_signup_capacity_and_wait_list(
    client: FlaskClient, api_token: Any, workshop: int, db: Any, event: Event
) -> None:
    visitor = api_token("visitor@example.id")
    other = api_token("other@example.id")
    url = f"{API}/sessions/{workshop}/signup"
    assert client.post(url, headers=visitor).get_json() == {"status": "confirmed"}
    assert client.post(url, headers=visitor).status_code == 409
    assert client.post(url, headers=other).get_json() == {"status": "waitlisted"}
    cancelled = client.delete(url, headers=visitor).get_json()
    assert cancelled == {"cancelled": True, "promoted": True}
    user = db.scalar(select(User).where(User.email == "other@example.id"))
    assert engagement.signup_status(db, workshop, user) == "confirmed"
    mails = db.scalars(select(OutboundMail).where(OutboundMail.recipient == "other@example.id"))
    assert ["Workshop" in m.body_text for m in mails] == [True]
    db.rollback()  # end the read so the app may write (SQLite)
    assert client.delete(url, headers=visitor).status_code == 404
    assert client.post(url).status_code == 401


def test_signup_beyond_capacity_without_wait_list_is_refused(
    workshop: int, db: Any, event: Event
) -> None:
    users = db.scalars(select(User).where(User.email.like("%visitor@example.id"))).all()
    other = db.scalar(select(User).where(User.email == "other@example.id"))
    engagement.sign_up(db, event, workshop, users[0])
    with pytest.raises(Conflict, match="full"):
        engagement.sign_up(db, event, workshop, other, waitlist=False)


def test_signup_needs_a_session_that_takes_them(
    client: FlaskClient, api: Callable[..., Any], api_token: Any, rooms: Any
) -> None:
    sid = api("post", "/sessions", json=session_body()).get_json()["id"]
    visitor = api_token("visitor@example.id")
    assert client.post(f"{API}/sessions/{sid}/signup", headers=visitor).status_code == 409
    assert client.post(f"{API}/sessions/999999/signup", headers=visitor).status_code == 404
    assert api("post", "/sessions", json=session_body(signup_required=True)).status_code == 422


def test_signup_form_on_the_session_page(client: FlaskClient, auth: Any, workshop: int) -> None:
    auth.login("visitor@example.id")
    client.post("/lang/en")
    page = client.get(f"/{SLUG}/symposium/sessions/{workshop}").get_data(as_text=True)
    assert "0 of 1 seats taken." in page
    client.post(f"/{SLUG}/symposium/sessions/{workshop}/signup")
    page = client.get(f"/{SLUG}/symposium/sessions/{workshop}").get_data(as_text=True)
    assert 'data-signup="confirmed"' in page


# -- stars --------------------------------------------------------------------------------


def test_stars_service(db: Any, event: Event, api: Callable[..., Any], rooms: Any) -> None:
    sid = api("post", "/sessions", json=session_body()).get_json()["id"]
    user = db.scalar(select(User).where(User.email == "visitor@example.id"))
    engagement.set_star(db, event, user, sid, True)
    engagement.set_star(db, event, user, sid, True)
    assert engagement.starred_ids(db, event, user) == {sid}
    engagement.set_star(db, event, user, sid, False)
    assert engagement.starred_ids(db, event, user) == set()
    with pytest.raises(NotFound):
        engagement.set_star(db, event, user, 999999, True)


# -- clone --------------------------------------------------------------------------------


def test_clone_copies_rooms_and_tracks_not_sessions(
    client: FlaskClient, api: Callable[..., Any], headers: Any, rooms: Any, db: Any
) -> None:
    api("post", "/tracks", json={"name": "Digital", "color": "#aa3300"})
    api("post", "/sessions", json=session_body(room="Hall", starts_at=at(DAY1, "09:00")))
    response = client.post(
        f"{API}/clone",
        json={
            "slug": "sym-2027",
            "name": "Sym 2027",
            "year": 2027,
            "starts_on": "2027-12-09",
            "ends_on": "2027-12-10",
        },
        headers=headers,
    )
    assert response.status_code == 201, response.get_json()
    target = db.scalar(select(Event).where(Event.slug == "sym-2027"))
    assert sorted(
        (r.name, r.capacity) for r in db.scalars(select(Room).where(Room.event_id == target.id))
    ) == [("Hall", 300), ("Studio", 20)]
    assert [t.name for t in db.scalars(select(Track).where(Track.event_id == target.id))] == [
        "Digital"
    ]
    assert db.scalars(select(SymSession).where(SymSession.event_id == target.id)).all() == []


# -- concurrency --------------------------------------------------------------------------


def test_two_concurrent_placements_cannot_double_book(app: Flask, event: Event, db: Any) -> None:
    """Two transactions place different sessions in the same room and time at once."""
    room = services.create_room(db, event, name="Hall", capacity=100)
    ids = []
    for title in ("A", "B"):
        item, _ = services.create_session(
            db, event, services.SessionInput(title=title, duration_minutes=60), []
        )
        ids.append(item.id)
    db.commit()
    start = datetime(2026, 12, 10, 9, tzinfo=JKT)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def place(session_id: int) -> None:
        barrier.wait(timeout=10)
        # a request context: core's locale selector needs one for translated messages
        with app.test_request_context():
            session = get_db(app).new_session()
            try:
                target = session.get(Event, event.id)
                services.place_session(session, target, session_id, room.id, start)
                session.commit()
                outcomes.append("placed")
            except services.ScheduleConflict:
                session.rollback()
                outcomes.append("refused")
            except Exception as exc:
                session.rollback()
                outcomes.append(repr(exc))
            finally:
                session.close()

    threads = [threading.Thread(target=place, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["placed", "refused"]
    db.expire_all()
    placed = db.scalars(select(SymSession).where(SymSession.starts_at.is_not(None))).all()
    assert len(placed) == 1


def test_visible_schedule_before_publication_is_live(db: Any, event: Event) -> None:
    assert versions.visible_schedule(db, event) == []
    assert versions.latest_version(db, event) is None


def test_demo_programme_is_scheduled_and_idempotent(db: Any, event: Event) -> None:
    from plugins.symposium.demo import programme, seed_programme

    seed_programme(db, event)
    seed_programme(db, event)
    items = services.sessions(db, event)
    assert len(items) == len(programme()["sessions"]) == 10
    assert "Pidato pembuka: inovasi pelayanan publik di Jawa Timur" in {i.title for i in items}
    assert all(i.starts_at is not None for i in items)
    assert [c for c in services.conflict_list(db, event) if c.severity == "hard"] == []


def test_demo_programme_fills_a_cloned_hall_and_is_published_once(db: Any, event: Event) -> None:
    """A clone has the rooms and tracks but no sessions: the demo adds them and publishes."""
    from plugins.symposium.demo import programme, seed_programme

    data = programme()
    for name, capacity in data["rooms"]:
        services.create_room(db, event, name=name, capacity=capacity)
    for name, color in data["tracks"]:
        services.create_track(db, event, name=name, color=color)
    seed_programme(db, event)
    seed_programme(db, event)
    assert len(services.sessions(db, event)) == len(data["sessions"])
    assert len(services.rooms(db, event)) == len(data["rooms"])
    assert len(services.tracks(db, event)) == len(data["tracks"])
    assert [v.number for v in versions.versions(db, event)] == [1]

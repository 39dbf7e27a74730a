"""GET/POST /api/v1/events and GET/PATCH /api/v1/events/{event}."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from core.models import AuditEntry, Event, EventRole
from core.services import events as event_service
from core.services.errors import Conflict, ValidationFailed
from tests.core.api.helpers import API, assert_error, reading, snapshot

NEW_EVENT = {
    "slug": "jatim-2027",
    "name": "Pameran Inovasi Jawa Timur 2027",
    "year": 2027,
    "venue": "Grand City, Surabaya",
    "starts_on": "2027-04-24",
    "ends_on": "2027-04-25",
    "timezone": "Asia/Jakarta",
    "plugins": ["voting", "registration"],
}
EVENT_KEYS = {
    "slug",
    "name",
    "year",
    "venue",
    "starts_on",
    "ends_on",
    "timezone",
    "status",
    "plugins",
}


def _slugs(response) -> list[str]:
    return [item["slug"] for item in response.get_json()["items"]]


def test_list_shows_drafts_only_to_their_organizers(client, make, cast, headers):
    make.event("draft-2027", status="draft", organizer=cast.organizer)
    make.event("other-draft", status="draft")
    make.event(
        "old-2019", status="archived", starts_on=date(2019, 4, 24), ends_on=date(2019, 4, 24)
    )

    anonymous = client.get(f"{API}/events")
    assert anonymous.status_code == 200
    assert set(_slugs(anonymous)) == {"jatim-2026", "old-2019"}
    assert anonymous.get_json()["total"] == 2
    item = anonymous.get_json()["items"][0]
    assert set(item) == EVENT_KEYS

    outsider = client.get(f"{API}/events", headers=headers["outsider"])
    assert set(_slugs(outsider)) == {"jatim-2026", "old-2019"}
    organizer = client.get(f"{API}/events", headers=headers["organizer"])
    assert set(_slugs(organizer)) == {"jatim-2026", "old-2019", "draft-2027"}
    admin = client.get(f"{API}/events", headers=headers["admin"])
    assert set(_slugs(admin)) == {"jatim-2026", "old-2019", "draft-2027", "other-draft"}


def test_list_is_paginated(client, make, cast):
    for year in range(2030, 2034):
        make.event(f"e-{year}", starts_on=date(year, 1, 1), ends_on=date(year, 1, 2))
    first = client.get(f"{API}/events?limit=2").get_json()
    second = client.get(f"{API}/events?limit=2&offset=2").get_json()
    assert first["total"] == second["total"] == 5
    assert len(first["items"]) == len(second["items"]) == 2
    assert not set(_slugs_of(first)) & set(_slugs_of(second))
    assert client.get(f"{API}/events?offset=100").get_json() == {"items": [], "total": 5}
    for query in ("limit=0", "limit=501", "limit=abc", "offset=-1", f"offset={10**30}"):
        assert_error(client.get(f"{API}/events?{query}"), 422, "validation_failed")


def _slugs_of(document) -> list[str]:
    return [item["slug"] for item in document["items"]]


def test_admin_creates_an_event(client, cast, headers, app):
    response = client.post(f"{API}/events", json=NEW_EVENT, headers=headers["admin"])
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body == {
        **{k: v for k, v in NEW_EVENT.items() if k != "plugins"},
        "status": "draft",
        "plugins": ["registration", "voting"],
    }
    with reading(app) as session:
        event = session.scalar(select(Event).where(Event.slug == "jatim-2027"))
        assert event is not None and event.enabled_plugin_names == ["registration", "voting"]
        organizers = session.scalars(
            select(EventRole.user_id).where(EventRole.event_id == event.id)
        ).all()
        assert organizers == [cast.admin.id]
    # The new draft is visible to its creator, not to the public.
    assert client.get(f"{API}/events/jatim-2027", headers=headers["admin"]).status_code == 200
    assert_error(client.get(f"{API}/events/jatim-2027"), 404, "not_found")


def test_only_site_admins_create_events(client, cast, headers, app):
    before = snapshot(app)
    assert_error(client.post(f"{API}/events", json=NEW_EVENT), 401, "unauthorized")
    for who in ("organizer", "outsider"):
        response = client.post(f"{API}/events", json=NEW_EVENT, headers=headers[who])
        assert_error(response, 403, "forbidden")
    assert snapshot(app) == before


def test_create_event_refusals_change_nothing(client, cast, headers, app):
    cases = [
        ({"slug": "jatim-2026"}, 409, "slug"),
        ({"ends_on": "2027-04-23"}, 422, "ends_on"),
        ({"plugins": ["voting", "teleport"]}, 422, "plugins"),
        ({"slug": "api"}, 422, "slug"),
        ({"slug": "admin"}, 422, "slug"),
        ({"slug": "Bad Slug!"}, 422, "slug"),
        ({"slug": "-dash-first"}, 422, "slug"),
        ({"slug": "x" * 65}, 422, "slug"),
        ({"timezone": "Mars/Olympus"}, 422, "timezone"),
        ({"year": 10**30}, 422, "year"),
        ({"starts_on": "24/04/2027"}, 422, "starts_on"),
        ({"name": ""}, 422, "name"),
        ({"name": "   "}, 422, "name"),
        ({"name": "nul\x00byte"}, 422, "name"),
        ({"plugins": "voting"}, 422, "plugins"),
        ({"colour": "red"}, 422, "colour"),
    ]
    before = snapshot(app)
    for change, status, field in cases:
        response = client.post(
            f"{API}/events", json={**NEW_EVENT, **change}, headers=headers["admin"]
        )
        error = assert_error(response, status)
        assert field in error["fields"], (change, error)
    assert snapshot(app) == before


def test_get_event(client, cast, make):
    response = client.get(f"{API}/events/jatim-2026")
    assert response.status_code == 200
    assert response.get_json() == {
        "slug": "jatim-2026",
        "name": "Event jatim-2026",
        "year": 2026,
        "venue": "Surabaya",
        "starts_on": "2026-12-10",
        "ends_on": "2026-12-11",
        "timezone": "Asia/Jakarta",
        "status": "published",
        "plugins": ["voting"],
    }
    assert_error(client.get(f"{API}/events/no-such-event"), 404, "not_found")


def test_draft_event_is_invisible_except_to_its_organizers(client, make, cast, headers):
    make.event("draft-2027", status="draft", organizer=cast.organizer)
    assert_error(client.get(f"{API}/events/draft-2027"), 404, "not_found")
    assert_error(client.get(f"{API}/events/draft-2027", headers=headers["outsider"]), 404)
    assert client.get(f"{API}/events/draft-2027", headers=headers["organizer"]).status_code == 200
    assert client.get(f"{API}/events/draft-2027", headers=headers["admin"]).status_code == 200
    # Writing to it does not reveal it either.
    response = client.patch(
        f"{API}/events/draft-2027", json={"name": "x"}, headers=headers["outsider"]
    )
    assert_error(response, 404)


def test_organizer_patches_and_changes_status(client, cast, headers, app):
    url = f"{API}/events/jatim-2026"
    response = client.patch(
        url, json={"name": "Pameran 2026", "venue": "Banyuwangi"}, headers=headers["organizer"]
    )
    assert response.status_code == 200
    body = response.get_json()
    assert (body["name"], body["venue"], body["year"]) == ("Pameran 2026", "Banyuwangi", 2026)
    for status in ("draft", "archived", "published"):
        response = client.patch(url, json={"status": status}, headers=headers["organizer"])
        assert response.status_code == 200
        assert response.get_json()["status"] == status
    with reading(app) as session:
        event = session.scalar(select(Event).where(Event.slug == "jatim-2026"))
        assert (event.name, event.venue, event.status) == (
            "Pameran 2026",
            "Banyuwangi",
            "published",
        )
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.event_id == event.id)
        ).all()
    assert actions.count("event.updated") == 4


def test_patch_refusals_change_nothing(client, cast, headers, app):
    url = f"{API}/events/jatim-2026"
    before = snapshot(app)
    assert_error(client.patch(url, json={"name": "x"}), 401)
    assert_error(
        client.patch(url, json={"name": "x"}, headers=headers["outsider"]), 403, "forbidden"
    )
    assert_error(
        client.patch(f"{API}/events/nope", json={"name": "x"}, headers=headers["organizer"]), 404
    )
    cases = [
        ({"status": "deleted"}, "status"),
        ({"ends_on": "2026-12-01"}, "ends_on"),
        ({"starts_on": "2026-12-31"}, "ends_on"),
        ({"name": None}, "name"),
        ({"year": "next"}, "year"),
        ({"slug": "renamed"}, "slug"),
        ({"timezone": "Nowhere/City"}, "timezone"),
    ]
    for change, field in cases:
        error = assert_error(client.patch(url, json=change, headers=headers["organizer"]), 422)
        assert field in error["fields"], (change, error)
    assert_error(
        client.patch(
            url, data="not json", content_type="application/json", headers=headers["organizer"]
        ),
        400,
        "malformed_json",
    )
    assert_error(client.patch(url, json=["name"], headers=headers["organizer"]), 400)
    assert snapshot(app) == before


def test_event_service_validation(app, db, make):
    make.event("jatim-2026")
    common = {"name": "X", "year": 2027, "starts_on": date(2027, 1, 2), "ends_on": date(2027, 1, 3)}
    for slug in ("api", "static", "UPPER", "", "a_b"):
        with pytest.raises(ValidationFailed) as caught:
            event_service.create_event(db, slug=slug, **common)
        assert "slug" in caught.value.fields
    with pytest.raises(Conflict) as caught:
        event_service.create_event(db, slug="jatim-2026", **common)
    assert caught.value.status == 409
    with pytest.raises(ValidationFailed) as caught:
        event_service.create_event(
            db, slug="ok", name="X", year=2027, starts_on=date(2027, 1, 3), ends_on=date(2027, 1, 2)
        )
    assert "ends_on" in caught.value.fields
    db.rollback()

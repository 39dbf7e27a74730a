"""Site administration: create events, list and search users; admins only."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.models import AuditEntry, Event, EventRole
from core.services import events
from core.services.errors import Conflict

NEW_EVENT = {
    "slug": "jatim-2027",
    "name": "Pameran Inovasi Jawa Timur 2027",
    "year": "2027",
    "venue": "Jatim Expo, Surabaya",
    "starts_on": "2027-05-01",
    "ends_on": "2027-05-02",
    "timezone": "Asia/Jakarta",
    "description": "",
}


@pytest.fixture
def admin(make: Any, auth: Any) -> Any:
    """A site admin, signed in."""
    user = make.user("root@example.id", "Root", admin=True)
    auth.login("root@example.id")
    return user


def count_events(db: Session) -> int:
    found = db.scalar(select(func.count()).select_from(Event)) or 0
    db.commit()
    return found


@pytest.mark.parametrize("path", ["/admin/", "/admin/users"])
def test_admin_pages_need_a_signed_in_admin(client: Any, auth: Any, make: Any, path: str) -> None:
    anonymous = client.get(path)
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]
    make.user()
    auth.login()
    assert client.get(path).status_code == 403


def test_non_admin_cannot_create_events(client: Any, auth: Any, make: Any, db: Session) -> None:
    make.user()
    auth.login()
    assert client.post("/admin/", data=NEW_EVENT).status_code == 403
    assert count_events(db) == 0


def test_admin_creates_a_draft_event_and_organizes_it(client: Any, admin: Any, db: Session) -> None:
    response = client.post("/admin/", data=NEW_EVENT)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/jatim-2027/manage/plugins")
    created = db.scalar(select(Event).where(Event.slug == "jatim-2027"))
    assert created.status == "draft" and created.venue == "Jatim Expo, Surabaya"
    assert db.scalar(select(EventRole.role).where(EventRole.event_id == created.id)) == "organizer"
    assert (
        db.scalar(select(AuditEntry.action).where(AuditEntry.event_id == created.id))
        == "event.created"
    )
    db.commit()
    listing = client.get("/admin/").get_data(as_text=True)
    assert "Pameran Inovasi Jawa Timur 2027" in listing


def test_slug_collision_is_a_409_form_error(
    client: Any, admin: Any, make: Any, db: Session
) -> None:
    make.event("jatim-2027")
    response = client.post("/admin/", data={**NEW_EVENT, "name": "Duplicate"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Another event uses this address." in page
    assert 'value="Duplicate"' in page  # the form keeps what was typed
    assert count_events(db) == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"slug": "Bad Slug"}, "lowercase letters, digits and dashes"),
        ({"slug": "api"}, "This address is reserved."),
        ({"ends_on": "2027-04-01"}, "The event cannot end before it starts."),
        ({"starts_on": "kemarin"}, "Not a valid date value."),
        ({"name": ""}, "This field is required."),
    ],
)
def test_bad_new_events_are_refused(
    client: Any, admin: Any, db: Session, changes: dict[str, str], message: str
) -> None:
    response = client.post("/admin/", data={**NEW_EVENT, **changes})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count_events(db) == 0


def test_service_refuses_a_taken_slug(db: Session, make: Any) -> None:
    make.event("jatim-2027")
    with pytest.raises(Conflict):
        events.create_event(
            db,
            slug="jatim-2027",
            name="Again",
            year=2027,
            starts_on=date(2027, 1, 1),
            ends_on=date(2027, 1, 2),
        )


def test_users_are_listed_and_searchable(client: Any, admin: Any, make: Any) -> None:
    make.user("ani@dinkes.example.id", "Ani Rahmawati")
    make.user("budi@kominfo.example.id", "Budi Santoso")
    everyone = client.get("/admin/users").get_data(as_text=True)
    assert "Ani Rahmawati" in everyone and "Budi Santoso" in everyone and "Root" in everyone
    by_name = client.get("/admin/users?q=rahma").get_data(as_text=True)
    assert "Ani Rahmawati" in by_name and "Budi Santoso" not in by_name
    by_email = client.get("/admin/users?q=KOMINFO").get_data(as_text=True)
    assert "Budi Santoso" in by_email and "Ani Rahmawati" not in by_email
    assert "1 users" in by_email or "1 user" in by_email


def test_users_are_paged(client: Any, admin: Any, db: Session) -> None:
    from core.models import User

    db.add_all(User(email=f"u{i:03d}@example.id", name=f"User {i:03d}") for i in range(60))
    db.commit()
    first = client.get("/admin/users").get_data(as_text=True)
    assert "User 000" in first and "User 055" not in first
    second = client.get("/admin/users?offset=50").get_data(as_text=True)
    assert "User 055" in second
    assert client.get("/admin/users?offset=-5").status_code == 200
    assert client.get("/admin/users?offset=abc").status_code == 200

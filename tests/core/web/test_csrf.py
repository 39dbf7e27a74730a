"""CSRF: every state-changing form POST without a token is refused (400) and changes nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.models import AuditEntry, Event, EventRole, OutboundMail, User, VisitorPass
from tests.conftest import PASSWORD
from tests.core.web.conftest import ORGANIZER_EMAIL


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    """CSRF protection on, as in production."""
    return {**app_config, "WTF_CSRF_ENABLED": True}


def token(client: Any, path: str = "/auth/login") -> str:
    """The CSRF token from a page's form."""
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(client: Any, email: str) -> None:
    """Sign in through the form, token included."""
    response = client.post(
        "/auth/login", data={"email": email, "password": PASSWORD, "csrf_token": token(client)}
    )
    assert response.status_code == 302


def rows(db: Session, model: Any) -> int:
    found = db.scalar(select(func.count()).select_from(model)) or 0
    db.commit()
    return found


def test_sign_in_without_a_token_is_refused(client: Any, make: Any) -> None:
    make.user()
    response = client.post("/auth/login", data={"email": "user@example.id", "password": PASSWORD})
    assert response.status_code == 400
    assert "Sign out" not in client.get("/").get_data(as_text=True)
    sign_in(client, "user@example.id")
    assert "Sign out" in client.get("/").get_data(as_text=True)


def test_a_wrong_token_is_refused(client: Any, make: Any) -> None:
    make.user()
    response = client.post(
        "/auth/login",
        data={"email": "user@example.id", "password": PASSWORD, "csrf_token": "forged"},
    )
    assert response.status_code == 400


def test_sign_up_without_a_token_creates_nothing(client: Any, db: Session) -> None:
    response = client.post(
        "/auth/signup",
        data={"name": "Ani", "email": "ani@example.id", "password": PASSWORD, "confirm": PASSWORD},
    )
    assert response.status_code == 400
    assert rows(db, User) == 0


def test_password_reset_request_without_a_token_sends_nothing(
    client: Any, make: Any, db: Session
) -> None:
    make.user()
    assert client.post("/auth/forgot", data={"email": "user@example.id"}).status_code == 400
    assert rows(db, OutboundMail) == 0


def test_sign_out_and_language_switch_need_a_token(client: Any, make: Any, db: Session) -> None:
    user = make.user()
    sign_in(client, "user@example.id")
    assert client.post("/auth/logout").status_code == 400
    assert "Sign out" in client.get("/").get_data(as_text=True)
    assert client.post("/lang/en", data={"next": "/"}).status_code == 400
    db.expire_all()
    assert db.get(User, user.id).locale is None
    db.commit()
    assert client.post("/auth/logout", data={"csrf_token": token(client, "/")}).status_code == 302


CONSOLE_POSTS = [
    (
        "/jatim-2026/manage/settings",
        {
            "name": "Hacked",
            "year": "2026",
            "starts_on": "2026-12-10",
            "ends_on": "2026-12-11",
            "timezone": "UTC",
        },
    ),
    ("/jatim-2026/manage/status", {"status": "archived"}),
    ("/jatim-2026/manage/plugins", {"plugin": "voting", "enabled": "1"}),
    (
        "/jatim-2026/manage/plugins/symposium/settings",
        {"day_starts": "09:00", "day_ends": "10:00", "buffer_minutes": "0"},
    ),
    ("/jatim-2026/manage/people", {"email": "juri@example.id", "role": "judge"}),
    ("/jatim-2026/manage/passes", {"count": "5"}),
    (
        "/jatim-2026/manage/clone",
        {
            "slug": "jatim-2027",
            "name": "Copy",
            "year": "2027",
            "starts_on": "2027-12-10",
            "ends_on": "2027-12-11",
        },
    ),
    ("/jatim-2026/manage/people/1/revoke", {}),
]


@pytest.mark.parametrize(("path", "data"), CONSOLE_POSTS)
def test_console_posts_without_a_token_change_nothing(
    client: Any, event: Any, db: Session, path: str, data: dict[str, str]
) -> None:
    sign_in(client, ORGANIZER_EMAIL)
    before = (rows(db, AuditEntry), rows(db, Event), rows(db, EventRole), rows(db, VisitorPass))
    response = client.post(path, data=data)
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    after = (rows(db, AuditEntry), rows(db, Event), rows(db, EventRole), rows(db, VisitorPass))
    assert after == before
    db.expire_all()
    stored = db.scalar(select(Event).where(Event.slug == "jatim-2026"))
    assert (stored.name, stored.status, stored.enabled_plugin_names) == (
        "Event jatim-2026",
        "published",
        ["exhibitors", "symposium"],
    )
    db.commit()


def test_console_post_with_the_token_works(client: Any, event: Any, db: Session) -> None:
    sign_in(client, ORGANIZER_EMAIL)
    csrf = token(client, "/jatim-2026/manage/passes")
    response = client.post("/jatim-2026/manage/passes", data={"count": "5", "csrf_token": csrf})
    assert response.status_code == 302
    assert rows(db, VisitorPass) == 5


def test_admin_create_event_without_a_token_creates_nothing(
    client: Any, make: Any, db: Session
) -> None:
    make.user("root@example.id", "Root", admin=True)
    sign_in(client, "root@example.id")
    response = client.post(
        "/admin/",
        data={
            "slug": "jatim-2027",
            "name": "X",
            "year": "2027",
            "starts_on": "2027-01-01",
            "ends_on": "2027-01-02",
            "timezone": "Asia/Jakarta",
        },
    )
    assert response.status_code == 400
    assert rows(db, Event) == 0

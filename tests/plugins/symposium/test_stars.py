"""Stars everywhere: on the grid and session pages, kept on the device, merged on sign-in."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Event, User
from plugins.symposium import engagement
from tests.conftest import PASSWORD
from tests.plugins.symposium.helpers import DAY1, SLUG, at, session_body

BASE = f"/{SLUG}/symposium"
VISITOR = "visitor@example.id"


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    """CSRF protection on, as in production."""
    return {**app_config, "WTF_CSRF_ENABLED": True}


@pytest.fixture
def placed(api: Callable[..., Any], rooms: dict[str, int]) -> list[int]:
    """Two sessions placed in the Hall on day 1 and published."""
    ids = []
    for title, time in (("Opening keynote", "09:00"), ("Closing talk", "11:00")):
        body = session_body(title, room="Hall", starts_at=at(DAY1, time))
        ids.append(api("post", "/sessions", json=body).get_json()["id"])
    return ids


def csrf(client: FlaskClient, path: str) -> str:
    """The CSRF token a page hands its scripts (one per page, in a meta tag)."""
    page = client.get(path).get_data(as_text=True)
    found = re.search(r'<meta name="csrf-token" content="([^"]+)">', page)
    assert found is not None, f"no csrf-token meta tag on {path}"
    return found.group(1)


def sign_in(client: FlaskClient) -> None:
    """Sign the visitor in through the form, token included."""
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token is not None
    data = {"email": VISITOR, "password": PASSWORD, "csrf_token": token.group(1)}
    assert client.post("/auth/login", data=data).status_code == 302


def user(db: Session) -> User:
    found = db.scalar(select(User).where(User.email == VISITOR))
    assert found is not None
    return found


def test_merge_stars_service_ignores_unknown_and_other_events(
    db: Session, event: Event, placed: list[int], make: Any
) -> None:
    other = make.event("lain-2026", plugins=["symposium"])
    visitor = user(db)
    engagement.set_star(db, db.merge(event), visitor, placed[0], True)
    added = engagement.merge_stars(db, db.merge(event), visitor, [placed[0], placed[1], 999999])
    assert added == 1  # the first was starred already, 999999 is nobody's
    assert engagement.starred_ids(db, db.merge(event), visitor) == set(placed)
    assert engagement.merge_stars(db, db.merge(other), visitor, placed) == 0
    assert engagement.merge_stars(db, db.merge(event), visitor, []) == 0


def test_anonymous_pages_carry_stars_for_the_device(client: FlaskClient, placed: list[int]) -> None:
    grid = client.get(f"{BASE}/").get_data(as_text=True)
    slot = re.search(r'<article class="sym-slot".*?</article>', grid, flags=re.S)
    assert slot is not None and 'class="sym-star"' in slot.group(0)  # a star in the grid too
    assert 'aria-label="Beri bintang: ' in slot.group(0)  # the symbol alone, named
    session_page = client.get(f"{BASE}/sessions/{placed[0]}").get_data(as_text=True)
    assert 'class="sym-star"' in session_page
    script = re.search(r'<script src="([^"]+/assets/agenda\.[0-9a-f]{10}\.js)"', session_page)
    assert script is not None  # under a hashed name, cached for a year
    hashed = client.get(script.group(1))
    assert hashed.status_code == 200 and "immutable" in hashed.headers["Cache-Control"]
    assert '<meta name="gelar-signed-in" content="false">' in session_page
    assert client.get(f"{BASE}/assets/agenda.js").status_code == 200


def test_device_stars_merge_into_the_account_with_csrf(
    client: FlaskClient, db: Session, event: Event, placed: list[int]
) -> None:
    url = f"{BASE}/stars/merge"
    anonymous = client.post(url, json={"ids": placed})
    assert anonymous.status_code in (400, 401)  # no CSRF token, no account: nothing merged
    sign_in(client)
    token = csrf(client, f"{BASE}/sessions/{placed[0]}")
    assert client.post(url, json={"ids": placed}).status_code == 400  # no token: refused
    headers = {"X-CSRFToken": token}
    for bad in ({"ids": "1,2"}, {"ids": [True]}, {"ids": ["1"]}, {"nope": 1}, [1, 2]):
        refused = client.post(url, json=bad, headers=headers)
        assert refused.status_code == 422
        assert set(refused.get_json()["error"]) == {"code", "message", "fields"}
    too_many = client.post(url, json={"ids": list(range(1, 600))}, headers=headers)
    assert too_many.status_code == 422
    merged = client.post(url, json={"ids": [*placed, 424242]}, headers=headers)
    assert merged.status_code == 200
    assert merged.get_json() == {"added": 2, "starred": sorted(placed)}
    again = client.post(url, json={"ids": placed}, headers=headers)
    assert again.get_json()["added"] == 0
    assert engagement.starred_ids(db, db.merge(event), user(db)) == set(placed)
    stars = ",".join(map(str, sorted(placed)))
    page = client.get(f"{BASE}/").get_data(as_text=True)
    assert f'<meta name="gelar-stars" content="{stars}">' in page

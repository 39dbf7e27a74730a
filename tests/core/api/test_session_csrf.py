"""Browser sessions on the API need a CSRF token to write; bearer requests do not."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import PASSWORD
from tests.core.api.helpers import API, assert_error, snapshot

PASSES = f"{API}/events/jatim-2026/passes"


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    """The usual test app, with CSRF protection switched on as in production."""
    return {**app_config, "WTF_CSRF_ENABLED": True}


def _csrf_token(client) -> str:
    page = client.get("/auth/login").get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "no CSRF token on the sign-in page"
    return match.group(1)


def _sign_in(client, email: str) -> str:
    token = _csrf_token(client)
    response = client.post(
        "/auth/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code in (302, 303)
    return _csrf_token(client)


def test_session_write_without_csrf_token_is_refused(client, cast, app):
    _sign_in(client, "organizer@example.id")
    before = snapshot(app)
    for method, url, body in (
        ("post", PASSES, {"count": 2}),
        ("patch", f"{API}/events/jatim-2026", {"name": "Hijacked"}),
        ("put", f"{API}/events/jatim-2026/plugins", {"enabled": []}),
    ):
        response = getattr(client, method)(url, json=body)
        assert_error(response, 400, "csrf_failed")
        response = getattr(client, method)(url, json=body, headers={"X-CSRFToken": "forged"})
        assert_error(response, 400, "csrf_failed")
    assert snapshot(app) == before


def test_session_reads_need_no_csrf_token(client, cast):
    _sign_in(client, "organizer@example.id")
    response = client.get(f"{API}/me")
    assert response.status_code == 200
    assert response.get_json()["email"] == "organizer@example.id"
    assert client.get(f"{API}/events/jatim-2026/organizations").status_code == 200


def test_session_write_with_csrf_header_is_accepted(client, cast):
    token = _sign_in(client, "organizer@example.id")
    response = client.post(PASSES, json={"count": 2}, headers={"X-CSRFToken": token})
    assert response.status_code == 201
    assert len(response.get_json()["items"]) == 2


def test_bearer_requests_need_no_csrf_token(client, cast, headers):
    response = client.post(PASSES, json={"count": 2}, headers=headers["organizer"])
    assert response.status_code == 201
    response = client.post(
        f"{API}/auth/token", json={"email": "organizer@example.id", "password": PASSWORD}
    )
    assert response.status_code == 200


def test_anonymous_write_is_401_not_a_csrf_error(client, cast):
    assert_error(client.post(PASSES, json={"count": 2}), 401, "unauthorized")

"""Fixtures for the symposium tests: an event with the plugin on, its organizer, API helpers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from core.models import Event
from tests.plugins.symposium.helpers import API, ORGANIZER, SLUG


@pytest.fixture
def event(make: Any) -> Event:
    """A published event with the symposium on, organized by ``ORGANIZER``."""
    organizer = make.user(ORGANIZER, "Organizer")
    make.user("visitor@example.id", "Visitor")
    make.user("other@example.id", "Other Visitor")
    return make.event(SLUG, plugins=["symposium"], organizer=organizer)


@pytest.fixture
def headers(event: Event, api_token: Any) -> dict[str, str]:
    """Bearer headers of the organizer."""
    return api_token(ORGANIZER)


@pytest.fixture
def api(client: FlaskClient, headers: dict[str, str]) -> Callable[..., Any]:
    """Call the event's API as the organizer: ``api("post", "/rooms", json=...)``."""

    def call(method: str, path: str, **kwargs: Any) -> Any:
        return getattr(client, method)(f"{API}{path}", headers=headers, **kwargs)

    return call


@pytest.fixture
def rooms(api: Callable[..., Any]) -> dict[str, int]:
    """Two rooms: ``Hall`` (300 seats) and ``Studio`` (20 seats)."""
    found = {}
    for name, capacity in (("Hall", 300), ("Studio", 20)):
        response = api("post", "/rooms", json={"name": name, "capacity": capacity})
        assert response.status_code == 201, response.get_json()
        found[name] = response.get_json()["id"]
    return found

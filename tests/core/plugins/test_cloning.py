"""Cloning copies plugin switches and settings; switching a plugin off keeps its settings."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask.testing import FlaskClient

from core.models import Event, Innovation, Organization
from core.services import cloning, plugin_settings
from core.services.errors import Conflict
from tests.core.plugins.helpers import ORGANIZER

CLONE = {"name": "Next year", "year": 2027, "starts_on": "2027-12-09", "ends_on": "2027-12-10"}


@pytest.fixture
def source(make: Any, db: Any, registry: Any) -> Event:
    """``src-2026``: registration and voting on with settings, symposium off with settings."""
    organizer = make.user(ORGANIZER, "Organizer")
    event = make.event(
        "src-2026", plugins=["registration", "symposium", "voting"], organizer=organizer
    )
    plugin_settings.update_settings(
        db, registry, event, "registration", {"exhibitor_quota": 50, "categories": ["Kesehatan"]}
    )
    plugin_settings.update_settings(
        db, registry, event, "voting", {"method": "raw", "public_weight": 0.2}
    )
    plugin_settings.update_settings(db, registry, event, "symposium", {"buffer_minutes": 25})
    plugin_settings.set_plugin_enabled(db, registry, event, "symposium", False)
    organization = Organization(name="Dinas Kesehatan Jember")
    db.add(organization)
    db.flush()
    db.add(
        Innovation(
            event_id=event.id,
            organization_id=organization.id,
            title="Si Ceria",
            category="Kesehatan",
            status="accepted",
        )
    )
    db.commit()
    return event


def _settings(client: FlaskClient, headers: dict[str, str], slug: str, name: str) -> Any:
    return client.get(f"/api/v1/events/{slug}/plugins/{name}/settings", headers=headers)


def test_clone_copies_switches_and_settings(
    client: FlaskClient, api_token: Any, source: Event, db: Any
) -> None:
    headers = api_token(ORGANIZER)
    response = client.post(
        "/api/v1/events/src-2026/clone", json={**CLONE, "slug": "src-2027"}, headers=headers
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["plugins"] == ["registration", "voting"]
    for name in ("registration", "voting"):
        assert (
            _settings(client, headers, "src-2027", name).get_json()
            == _settings(client, headers, "src-2026", name).get_json()
        )
    assert _settings(client, headers, "src-2027", "symposium").status_code == 404
    # The switched-off plugin's settings travelled too: switching it on restores them.
    response = client.put(
        "/api/v1/events/src-2027/plugins",
        json={"enabled": ["registration", "symposium", "voting"]},
        headers=headers,
    )
    assert response.status_code == 200
    assert _settings(client, headers, "src-2027", "symposium").get_json()["buffer_minutes"] == 25
    # No participants' data.
    target = db.query(Event).filter_by(slug="src-2027").one()
    assert db.query(Innovation).filter_by(event_id=target.id).count() == 0


def test_clone_settings_are_a_copy(client: FlaskClient, api_token: Any, source: Event) -> None:
    headers = api_token(ORGANIZER)
    client.post(
        "/api/v1/events/src-2026/clone", json={**CLONE, "slug": "src-2027"}, headers=headers
    )
    response = client.put(
        "/api/v1/events/src-2027/plugins/registration/settings",
        json={"categories": ["Pendidikan"]},
        headers=headers,
    )
    assert response.status_code == 200
    source_settings = _settings(client, headers, "src-2026", "registration").get_json()
    assert source_settings["categories"] == ["Kesehatan"]


def test_clone_onto_a_taken_slug_changes_nothing(
    client: FlaskClient, api_token: Any, source: Event, db: Any, registry: Any
) -> None:
    headers = api_token(ORGANIZER)
    response = client.post(
        "/api/v1/events/src-2026/clone", json={**CLONE, "slug": "src-2026"}, headers=headers
    )
    assert response.status_code == 409
    assert db.query(Event).count() == 1
    with pytest.raises(Conflict):
        cloning.clone_event(
            db,
            registry,
            db.merge(source),
            slug="src-2026",
            name="x",
            year=2027,
            starts_on=date(2027, 1, 1),
            ends_on=date(2027, 1, 2),
        )


def test_disabling_keeps_settings_and_enabling_restores_them(
    client: FlaskClient, api_token: Any, source: Event
) -> None:
    headers = api_token(ORGANIZER)
    url = "/api/v1/events/src-2026/plugins"
    before = _settings(client, headers, "src-2026", "voting").get_json()
    assert client.put(url, json={"enabled": ["registration"]}, headers=headers).status_code == 200
    assert _settings(client, headers, "src-2026", "voting").status_code == 404
    assert client.get("/src-2026/voting/").status_code == 404
    response = client.put(url, json={"enabled": ["registration", "voting"]}, headers=headers)
    assert response.status_code == 200
    assert _settings(client, headers, "src-2026", "voting").get_json() == before
    assert before["method"] == "raw"


def test_first_enable_starts_from_the_defaults(db: Any, registry: Any, source: Event) -> None:
    event = db.merge(source)
    plugin_settings.set_plugin_enabled(db, registry, event, "exhibitors", True)
    assert plugin_settings.get_settings(registry, event, "exhibitors") == (
        registry.infos["exhibitors"].default_settings()
    )


def test_unknown_plugin_name_is_refused_and_changes_nothing(
    client: FlaskClient, api_token: Any, source: Event
) -> None:
    headers = api_token(ORGANIZER)
    response = client.put(
        "/api/v1/events/src-2026/plugins",
        json={"enabled": ["registration", "bogus"]},
        headers=headers,
    )
    assert response.status_code == 422
    assert "enabled" in response.get_json()["error"]["fields"]
    assert client.get("/api/v1/events/src-2026").get_json()["plugins"] == ["registration", "voting"]
    assert _settings(client, headers, "src-2026", "bogus").status_code == 404


def test_stale_setting_keys_do_not_break_pages(
    client: FlaskClient, api_token: Any, source: Event, db: Any
) -> None:
    """A key left by an older plugin version is ignored, not a 500."""
    event = db.merge(source)
    row = next(p for p in event.plugins if p.name == "voting")
    row.settings = {**row.settings, "retired_option": True}
    db.commit()
    assert client.get("/src-2026/voting/").status_code == 200
    headers = api_token(ORGANIZER)
    assert "retired_option" not in _settings(client, headers, "src-2026", "voting").get_json()
    response = client.put(
        "/api/v1/events/src-2026/plugins/voting/settings",
        json={"scoring_open": True},
        headers=headers,
    )
    assert response.status_code == 200

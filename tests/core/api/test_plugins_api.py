"""PUT /api/v1/events/{event}/plugins and GET/PUT .../plugins/{name}/settings."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.models import Event
from core.services import plugin_settings
from core.services.errors import NotFound, ValidationFailed
from tests.core.api.helpers import API, assert_error, reading, snapshot

PLUGINS = f"{API}/events/jatim-2026/plugins"
VOTING = f"{PLUGINS}/voting/settings"


def _enabled(app, slug: str = "jatim-2026") -> list[str]:
    with reading(app) as session:
        return session.scalar(select(Event).where(Event.slug == slug)).enabled_plugin_names


def test_put_plugins_sets_exactly_the_list(client, cast, headers, app):
    response = client.put(
        PLUGINS,
        json={"enabled": ["registration", "symposium", "registration"]},
        headers=headers["organizer"],
    )
    assert response.status_code == 200
    assert response.get_json() == {"enabled": ["registration", "symposium"]}
    assert _enabled(app) == ["registration", "symposium"]
    assert client.get(f"{API}/events/jatim-2026").get_json()["plugins"] == [
        "registration",
        "symposium",
    ]
    response = client.put(PLUGINS, json={"enabled": []}, headers=headers["organizer"])
    assert response.get_json() == {"enabled": []}


def test_put_plugins_refusals_change_nothing(client, cast, headers, app):
    before = snapshot(app)
    error = assert_error(
        client.put(
            PLUGINS, json={"enabled": ["registration", "teleport"]}, headers=headers["organizer"]
        ),
        422,
        "validation_failed",
    )
    assert "teleport" in " ".join(error["fields"]["enabled"])
    assert_error(client.put(PLUGINS, json={"enabled": "voting"}, headers=headers["organizer"]), 422)
    assert_error(client.put(PLUGINS, json={}, headers=headers["organizer"]), 422)
    assert_error(client.put(PLUGINS, json={"enabled": []}), 401)
    assert_error(client.put(PLUGINS, json={"enabled": []}, headers=headers["outsider"]), 403)
    assert_error(
        client.put(
            f"{API}/events/nope/plugins", json={"enabled": []}, headers=headers["organizer"]
        ),
        404,
    )
    assert snapshot(app) == before
    assert _enabled(app) == ["voting"]


def test_get_settings_fills_defaults(client, cast, headers):
    response = client.get(VOTING, headers=headers["organizer"])
    assert response.status_code == 200
    assert response.get_json() == {
        "scoring_open": False,
        "results_published": False,
        "method": "normalized",
        "public_voting_opens_at": None,
        "public_voting_closes_at": None,
        "public_weight": 0.0,
    }


def test_settings_of_a_disabled_or_unknown_plugin_answer_404(client, cast, headers, app):
    before = snapshot(app)
    for name in ("registration", "teleport"):
        url = f"{PLUGINS}/{name}/settings"
        assert_error(client.get(url, headers=headers["organizer"]), 404, "not_found")
        assert_error(client.put(url, json={"x": 1}, headers=headers["organizer"]), 404)
    assert snapshot(app) == before


def test_settings_need_an_organizer(client, cast, headers):
    assert_error(client.get(VOTING), 401)
    assert_error(client.get(VOTING, headers=headers["outsider"]), 403)
    assert_error(client.put(VOTING, json={"scoring_open": True}, headers=headers["outsider"]), 403)


def test_put_settings_replaces_only_the_given_keys(client, cast, headers):
    response = client.put(
        VOTING, json={"method": "raw", "public_weight": 0.25}, headers=headers["organizer"]
    )
    assert response.status_code == 200
    assert response.get_json()["method"] == "raw"
    response = client.put(VOTING, json={"scoring_open": True}, headers=headers["organizer"])
    body = response.get_json()
    assert (body["scoring_open"], body["method"], body["public_weight"]) == (True, "raw", 0.25)
    assert client.get(VOTING, headers=headers["organizer"]).get_json() == body


def test_put_settings_invalid_values_answer_422_with_fields(client, cast, headers, app):
    client.put(VOTING, json={"method": "raw"}, headers=headers["organizer"])
    before = snapshot(app)
    cases = [
        ({"method": "median"}, "method"),
        ({"public_weight": 2}, "public_weight"),
        ({"public_voting_opens_at": "tomorrow"}, "public_voting_opens_at"),
        ({"public_voting_opens_at": "2026-12-10T09:00:00"}, "public_voting_opens_at"),  # naive
        ({"teleport": True}, "teleport"),
        ({"method": "raw\x00"}, "method"),
    ]
    for change, field in cases:
        response = client.put(
            VOTING, json={"scoring_open": True, **change}, headers=headers["organizer"]
        )
        error = assert_error(response, 422, "validation_failed")
        assert field in error["fields"], (change, error)
    window = {
        "public_voting_opens_at": "2026-12-10T10:00:00+07:00",
        "public_voting_closes_at": "2026-12-10T09:00:00+07:00",
    }
    error = assert_error(client.put(VOTING, json=window, headers=headers["organizer"]), 422)
    assert error["fields"]
    assert_error(
        client.put(
            VOTING,
            data='{"public_weight": NaN}',
            content_type="application/json",
            headers=headers["organizer"],
        ),
        400,
    )
    assert_error(client.put(VOTING, json=[1], headers=headers["organizer"]), 400)
    assert_error(client.put(VOTING, headers=headers["organizer"]), 400)
    assert snapshot(app) == before


def test_settings_are_kept_while_a_plugin_is_off(client, cast, headers):
    client.put(VOTING, json={"method": "raw"}, headers=headers["organizer"])
    client.put(PLUGINS, json={"enabled": []}, headers=headers["organizer"])
    assert_error(client.get(VOTING, headers=headers["organizer"]), 404)
    client.put(PLUGINS, json={"enabled": ["voting"]}, headers=headers["organizer"])
    assert client.get(VOTING, headers=headers["organizer"]).get_json()["method"] == "raw"


def test_settings_service(app, db, cast, registry):
    event = db.scalar(select(Event).where(Event.slug == "jatim-2026"))
    updated = plugin_settings.update_settings(db, registry, event, "voting", {"method": "raw"})
    assert updated["method"] == "raw" and updated["scoring_open"] is False
    with pytest.raises(ValidationFailed) as caught:
        plugin_settings.update_settings(db, registry, event, "voting", {"public_weight": -1})
    assert "public_weight" in caught.value.fields
    with pytest.raises(NotFound):
        plugin_settings.get_settings(registry, event, "registration")
    with pytest.raises(ValidationFailed) as caught:
        plugin_settings.set_enabled_plugins(db, registry, event, ["voting", "nope"])
    assert "enabled" in caught.value.fields
    assert event.enabled_plugin_names == ["voting"]
    db.rollback()

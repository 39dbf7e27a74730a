"""The contract every built-in plugin skeleton meets, enabled vs disabled for an event.

Each ``tests/plugins/<name>/test_skeleton.py`` subclasses :class:`PluginSkeletonContract`
and fills in the class attributes; pytest collects the inherited tests there.
"""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from flask.testing import FlaskClient

from core.models import Event
from core.services import plugin_settings
from core.services.errors import NotFound, ValidationFailed
from tests.core.plugins.helpers import ORGANIZER, nav_links, panel_plugins

ON, OFF, WAS = "on-2026", "off-2026", "was-2026"


class PluginSkeletonContract:
    """Inherited tests; subclasses set the plugin's name, texts and settings cases."""

    name: ClassVar[str]
    # English texts the plugin's page shows (the client is switched to English).
    page_texts: ClassVar[list[str]]
    defaults: ClassVar[dict[str, Any]]
    # A valid partial update for the API and the settings it then reads back.
    valid_put: ClassVar[dict[str, Any]]
    valid_read_back: ClassVar[dict[str, Any]]
    # Invalid API bodies, each with the ``fields`` key the 422 names.
    invalid_puts: ClassVar[list[tuple[dict[str, Any], str]]]
    # The console form: valid data and the settings it saves; invalid data and the field.
    form_valid: ClassVar[dict[str, Any]]
    form_saved: ClassVar[dict[str, Any]]
    form_invalid: ClassVar[list[tuple[dict[str, Any], str]]]

    # -- fixtures ------------------------------------------------------------------------
    @pytest.fixture
    def events(self, make: Any) -> dict[str, Event]:
        """``on`` has the plugin, ``off`` never had it, ``was`` had it switched off."""
        organizer = make.user(ORGANIZER, "Organizer")
        others = [
            n for n in ("registration", "exhibitors", "symposium", "voting") if n != self.name
        ]
        created = {
            ON: make.event(ON, plugins=[self.name], organizer=organizer),
            OFF: make.event(OFF, plugins=others, organizer=organizer),
            WAS: make.event(WAS, plugins=[self.name], organizer=organizer),
        }
        registry = make.app.extensions["gelar_plugins"]
        plugin_settings.set_plugin_enabled(make.session, registry, created[WAS], self.name, False)
        make.session.commit()
        return created

    @pytest.fixture
    def visitor(self, client: FlaskClient, events: Any) -> FlaskClient:
        """An anonymous client reading English."""
        client.post("/lang/en")
        return client

    @pytest.fixture
    def organizer(self, client: FlaskClient, auth: Any, events: Any) -> FlaskClient:
        """A client signed in as the events' organizer, reading English."""
        assert auth.login(ORGANIZER).status_code == 302
        client.post("/lang/en")
        return client

    def settings_url(self, slug: str = ON) -> str:
        """The API address of this plugin's settings on ``slug``."""
        return f"/api/v1/events/{slug}/plugins/{self.name}/settings"

    def form_url(self, slug: str = ON) -> str:
        """The console address of this plugin's settings form on ``slug``."""
        return f"/{slug}/manage/plugins/{self.name}/settings"

    # -- page, nav, panels ---------------------------------------------------------------
    def test_page_answers_with_content_when_enabled(self, visitor: FlaskClient) -> None:
        response = visitor.get(f"/{ON}/{self.name}/")
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert "<h1>" in page
        for text in self.page_texts:
            assert text in page, f"{text!r} missing from the {self.name} page"

    @pytest.mark.parametrize("slug", [OFF, WAS])
    def test_page_is_404_when_disabled(self, visitor: FlaskClient, slug: str) -> None:
        assert visitor.get(f"/{slug}/{self.name}/").status_code == 404

    def test_nav_item_follows_the_switch(self, visitor: FlaskClient) -> None:
        assert self.name in nav_links(visitor.get(f"/{ON}/").get_data(as_text=True))
        for slug in (OFF, WAS):
            assert self.name not in nav_links(visitor.get(f"/{slug}/").get_data(as_text=True))

    def test_home_panel_follows_the_switch(self, visitor: FlaskClient) -> None:
        assert self.name in panel_plugins(visitor.get(f"/{ON}/").get_data(as_text=True))
        for slug in (OFF, WAS):
            assert self.name not in panel_plugins(visitor.get(f"/{slug}/").get_data(as_text=True))

    def test_dashboard_panel_follows_the_switch(self, organizer: FlaskClient) -> None:
        page = organizer.get(f"/{ON}/manage/").get_data(as_text=True)
        assert self.name in panel_plugins(page)
        for slug in (OFF, WAS):
            page = organizer.get(f"/{slug}/manage/").get_data(as_text=True)
            assert self.name not in panel_plugins(page)

    # -- settings through the API --------------------------------------------------------
    def test_settings_default(self, client: FlaskClient, api_token: Any, events: Any) -> None:
        response = client.get(self.settings_url(), headers=api_token(ORGANIZER))
        assert response.status_code == 200
        assert response.get_json() == self.defaults

    def test_settings_put_saves_valid_values(
        self, client: FlaskClient, api_token: Any, events: Any
    ) -> None:
        headers = api_token(ORGANIZER)
        response = client.put(self.settings_url(), json=self.valid_put, headers=headers)
        assert response.status_code == 200, response.get_json()
        expected = {**self.defaults, **self.valid_read_back}
        assert response.get_json() == expected
        assert client.get(self.settings_url(), headers=headers).get_json() == expected

    def test_settings_put_refuses_invalid_values(
        self, client: FlaskClient, api_token: Any, events: Any
    ) -> None:
        headers = api_token(ORGANIZER)
        client.put(self.settings_url(), json=self.valid_put, headers=headers)
        before = client.get(self.settings_url(), headers=headers).get_json()
        for body, field in [*self.invalid_puts, ({"no_such_setting": 1}, "no_such_setting")]:
            response = client.put(self.settings_url(), json=body, headers=headers)
            assert response.status_code == 422, (body, response.get_json())
            error = response.get_json()["error"]
            assert error["code"] == "validation_failed"
            assert field in error["fields"], (body, error)
            assert client.get(self.settings_url(), headers=headers).get_json() == before

    @pytest.mark.parametrize("slug", [OFF, WAS])
    def test_settings_are_404_when_disabled(
        self, client: FlaskClient, api_token: Any, events: Any, slug: str
    ) -> None:
        headers = api_token(ORGANIZER)
        assert client.get(self.settings_url(slug), headers=headers).status_code == 404
        response = client.put(self.settings_url(slug), json=self.valid_put, headers=headers)
        assert response.status_code == 404

    def test_settings_need_an_organizer(
        self, client: FlaskClient, make: Any, api_token: Any, events: Any
    ) -> None:
        assert client.get(self.settings_url()).status_code == 401
        make.user("visitor@example.id", "Visitor")
        headers = api_token("visitor@example.id")
        assert client.get(self.settings_url(), headers=headers).status_code == 403
        response = client.put(self.settings_url(), json=self.valid_put, headers=headers)
        assert response.status_code == 403

    # -- settings through the console form -----------------------------------------------
    def test_settings_form_shows_every_setting(self, organizer: FlaskClient) -> None:
        response = organizer.get(self.form_url())
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        for key in self.form_valid:
            assert f'name="{key}"' in page, f"no form field for {key}"
        assert organizer.get(self.form_url(OFF)).status_code == 404
        assert organizer.get(self.form_url(WAS)).status_code == 404

    def test_settings_form_saves_valid_values(self, organizer: FlaskClient, api_token: Any) -> None:
        response = organizer.post(self.form_url(), data=self.form_valid)
        assert response.status_code == 302, response.get_data(as_text=True)
        saved = organizer.get(self.settings_url(), headers=api_token(ORGANIZER)).get_json()
        for key, value in self.form_saved.items():
            assert saved[key] == value, key

    def test_settings_form_shows_errors_and_changes_nothing(
        self, organizer: FlaskClient, api_token: Any
    ) -> None:
        headers = api_token(ORGANIZER)
        before = organizer.get(self.settings_url(), headers=headers).get_json()
        for data, field in self.form_invalid:
            response = organizer.post(self.form_url(), data=data)
            # The form comes back with its errors (422 for a refused submission).
            assert response.status_code in (200, 422), (response.status_code, data)
            page = response.get_data(as_text=True)
            assert f'id="{field}-error"' in page, (data, field)
            assert organizer.get(self.settings_url(), headers=headers).get_json() == before

    # -- settings through the service ----------------------------------------------------
    def test_service_validates_and_keeps_settings_across_switches(
        self, db: Any, registry: Any, events: Any
    ) -> None:
        event = db.merge(events[ON])
        for body, _field in self.invalid_puts:
            with pytest.raises(ValidationFailed):
                plugin_settings.update_settings(db, registry, event, self.name, body)
        assert plugin_settings.get_settings(registry, event, self.name) == self.defaults
        plugin_settings.update_settings(db, registry, event, self.name, self.valid_put)
        saved = plugin_settings.get_settings(registry, event, self.name)
        plugin_settings.set_plugin_enabled(db, registry, event, self.name, False)
        db.commit()
        with pytest.raises(NotFound):
            plugin_settings.get_settings(registry, event, self.name)
        plugin_settings.set_plugin_enabled(db, registry, event, self.name, True)
        db.commit()
        assert plugin_settings.get_settings(registry, event, self.name) == saved

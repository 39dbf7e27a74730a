"""A third-party plugin installed by entry point: discovery, per-event filtering, lifecycle.

The plugin is a throwaway distribution (a module plus a ``dist-info`` folder with an
``entry_points.txt`` in the ``gelar.plugins`` group) written into ``tmp_path`` and put on
``sys.path``; nothing registers it through ``EXTRA_PLUGINS``.
"""

from __future__ import annotations

import importlib.metadata
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pluggy
import pytest
from flask import Flask

from core import create_app
from core.db import get_db
from core.models import Event
from core.services import cloning, plugin_settings
from core.services.errors import NotFound
from tests.core.plugins.helpers import (
    ORGANIZER,
    installed,
    nav_links,
    panel_plugins,
    write_distribution,
)

MODULE = "gelar_thirdparty_test"

PLUGIN_SOURCE = '''
"""A throwaway third-party Gelar plugin written by the tests."""

from flask import Blueprint, url_for
from markupsafe import Markup
from pydantic import BaseModel, ConfigDict

from core import hookimpl
from core.plugin_helpers import merge_settings
from core.plugins import NavItem, Panel, PluginInfo
from core.web import current_event


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    colour: str = "green"
    copied_from: str = ""


plugin_info = PluginInfo(
    name="thirdparty",
    title={"id": "Pihak ketiga", "en": "Third party"},
    description={"id": "Plugin uji coba.", "en": "A throwaway test plugin."},
    settings_model=Settings,
)

CALLS = []
FAIL_ON_CLONE = False

bp = Blueprint("thirdparty", __name__, url_prefix="/<event>/thirdparty")


@bp.get("/")
def index(event):
    return "<h1>Third-party page of " + current_event().name + "</h1>"


@hookimpl
def register_blueprints():
    return [bp]


@hookimpl
def event_nav_items(event):
    CALLS.append(("nav", event.slug))
    return [NavItem("Third-party link", url_for("thirdparty.index", event=event.slug),
                    "thirdparty", 90)]


@hookimpl
def event_home_panels(event):
    CALLS.append(("panel", event.slug))
    return [Panel("Third-party panel", Markup("<p>third party says hello</p>"), "thirdparty", 90)]


@hookimpl
def on_plugin_enabled(event, session):
    CALLS.append(("enabled", event.slug, session))


@hookimpl
def on_plugin_disabled(event, session):
    CALLS.append(("disabled", event.slug, session))


@hookimpl
def on_event_cloned(source, target, session):
    CALLS.append(("cloned", source.slug, target.slug, target.id, session))
    merge_settings(target, "thirdparty", Settings, {"copied_from": source.slug})
    if FAIL_ON_CLONE:
        raise RuntimeError("clone refused by the third-party plugin")
'''

TYPO_SOURCE = '''
"""A plugin whose hook implementation is misspelled."""

from core import hookimpl
from core.plugins import PluginInfo

plugin_info = PluginInfo(name="typo", title={"en": "Typo"}, description={"en": "Misspelled."})


@hookimpl
def event_nav_itemz(event):
    return []
'''


@pytest.fixture
def thirdparty_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The throwaway distribution, installed on ``sys.path`` for this test only."""
    site = tmp_path / "site"
    write_distribution(
        site, "gelar-thirdparty-test", {"thirdparty": MODULE}, {MODULE: PLUGIN_SOURCE}
    )
    with installed(monkeypatch, site, [MODULE]):
        yield site


@pytest.fixture
def app(app_config: dict[str, Any], thirdparty_site: Path) -> Iterator[Flask]:
    """The app built after the throwaway plugin was installed (no EXTRA_PLUGINS)."""
    assert "EXTRA_PLUGINS" not in app_config
    application = create_app(app_config)
    yield application
    get_db(application).dispose()


@pytest.fixture
def plugin_module(app: Flask) -> Any:
    """The loaded third-party module (its ``CALLS`` record the hook calls)."""
    module = sys.modules[MODULE]
    module.CALLS.clear()
    return module


@pytest.fixture
def events(make: Any, plugin_module: Any) -> dict[str, Event]:
    """``with-tp`` has the plugin on, ``without-tp`` has only core plugins; calls reset."""
    organizer = make.user(ORGANIZER, "Organizer")
    created = {
        "with": make.event("with-tp", plugins=["thirdparty", "exhibitors"], organizer=organizer),
        "without": make.event("without-tp", plugins=["exhibitors"], organizer=organizer),
    }
    plugin_module.CALLS.clear()
    return created


def _calls(module: Any, kind: str) -> list[tuple[Any, ...]]:
    return [call for call in module.CALLS if call[0] == kind]


# --- discovery -----------------------------------------------------------------------------


def test_entry_point_is_visible_to_importlib_metadata(thirdparty_site: Path) -> None:
    names = {ep.name: ep.value for ep in importlib.metadata.entry_points(group="gelar.plugins")}
    assert names["thirdparty"] == MODULE
    assert {"registration", "exhibitors", "symposium", "voting"} <= set(names)


def test_plugin_is_discovered_into_the_registry(registry: Any, plugin_module: Any) -> None:
    assert "thirdparty" in registry.names
    assert registry.pm.get_plugin("thirdparty") is plugin_module
    assert registry.infos["thirdparty"].localized_title("id") == "Pihak ketiga"
    assert registry.blueprint_owner["thirdparty"] == "thirdparty"


def test_plugin_is_gone_once_uninstalled(
    app_config: dict[str, Any], tmp_path: Path, thirdparty_site: Path
) -> None:
    """Without the dist-info on sys.path a fresh app has no such plugin (so it was the EP)."""
    sys.path.remove(str(thirdparty_site))
    sys.modules.pop(MODULE, None)
    importlib.invalidate_caches()
    other = create_app({**app_config, "INSTANCE_PATH": str(tmp_path / "other")})
    try:
        assert "thirdparty" not in other.extensions["gelar_plugins"].names
    finally:
        get_db(other).dispose()
        sys.path.insert(0, str(thirdparty_site))


def test_gelar_plugins_lists_it_with_per_event_state(runner: Any, events: Any) -> None:
    result = runner.invoke(args=["plugins"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("thirdparty "))
    assert "Third party" in lines[start]
    block = []
    for line in lines[start + 1 :]:
        if not line.startswith("    "):
            break
        block.append(line.split())
    assert ["with-tp", "on"] in block
    assert ["without-tp", "off"] in block


# --- per-event filtering -------------------------------------------------------------------


def test_contributions_appear_only_where_enabled(
    client: Any, events: Any, plugin_module: Any
) -> None:
    page = client.get("/with-tp/").get_data(as_text=True)
    assert "thirdparty" in nav_links(page)
    assert "thirdparty" in panel_plugins(page)
    assert "third party says hello" in page

    page = client.get("/without-tp/").get_data(as_text=True)
    assert "thirdparty" not in nav_links(page)
    assert "thirdparty" not in panel_plugins(page)
    assert "Third-party link" not in page
    # The plugin's event hooks were never even called for the other event.
    assert {call[1] for call in _calls(plugin_module, "nav")} == {"with-tp"}
    assert {call[1] for call in _calls(plugin_module, "panel")} == {"with-tp"}


def test_page_answers_only_where_enabled(client: Any, events: Any) -> None:
    response = client.get("/with-tp/thirdparty/")
    assert response.status_code == 200
    assert "Third-party page of Event with-tp" in response.get_data(as_text=True)
    assert client.get("/without-tp/thirdparty/").status_code == 404
    assert client.get("/no-such-event/thirdparty/").status_code == 404


def test_switching_off_hides_everything_at_once(
    client: Any, db: Any, registry: Any, events: Any
) -> None:
    event = db.merge(events["with"])
    plugin_settings.set_plugin_enabled(db, registry, event, "thirdparty", False)
    db.commit()
    assert client.get("/with-tp/thirdparty/").status_code == 404
    assert "thirdparty" not in nav_links(client.get("/with-tp/").get_data(as_text=True))


# --- lifecycle -----------------------------------------------------------------------------


def test_enable_and_disable_fire_exactly_on_switch(
    client: Any, api_token: Any, events: Any, plugin_module: Any
) -> None:
    headers = api_token(ORGANIZER)
    url = "/api/v1/events/without-tp/plugins"

    response = client.put(url, json={"enabled": ["exhibitors", "thirdparty"]}, headers=headers)
    assert response.status_code == 200, response.get_json()
    assert [c[:2] for c in plugin_module.CALLS] == [("enabled", "without-tp")]

    # Same set again: no switch, no call.  Another plugin's switch: not this plugin's business.
    client.put(url, json={"enabled": ["exhibitors", "thirdparty"]}, headers=headers)
    client.put(url, json={"enabled": ["exhibitors", "thirdparty", "voting"]}, headers=headers)
    assert [c[:2] for c in plugin_module.CALLS] == [("enabled", "without-tp")]

    client.put(url, json={"enabled": ["voting"]}, headers=headers)
    assert [c[:2] for c in plugin_module.CALLS] == [
        ("enabled", "without-tp"),
        ("disabled", "without-tp"),
    ]
    assert client.get("/without-tp/thirdparty/").status_code == 404


def test_lifecycle_hooks_get_the_services_session(
    db: Any, registry: Any, events: Any, plugin_module: Any
) -> None:
    event = db.merge(events["without"])
    plugin_settings.set_plugin_enabled(db, registry, event, "thirdparty", True)
    plugin_settings.set_plugin_enabled(db, registry, event, "thirdparty", False)
    calls = plugin_module.CALLS
    assert calls == [
        ("enabled", "without-tp", db),
        ("disabled", "without-tp", db),
    ]


def test_a_failing_enable_hook_aborts_the_switch(
    db: Any, registry: Any, events: Any, plugin_module: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(event: Any, session: Any) -> None:
        raise RuntimeError("cannot enable")

    # pluggy bound the module's function at registration: replace that implementation.
    impl = next(
        i
        for i in registry.pm.hook.on_plugin_enabled.get_hookimpls()
        if i.plugin_name == "thirdparty"
    )
    monkeypatch.setattr(impl, "function", refuse)
    event = db.merge(events["without"])
    with pytest.raises(RuntimeError):
        plugin_settings.set_plugin_enabled(db, registry, event, "thirdparty", True)
    db.rollback()
    db.expire_all()
    assert "thirdparty" not in db.get(Event, event.id).enabled_plugin_names


def test_clone_calls_the_hook_with_source_and_target(
    client: Any, api_token: Any, events: Any, plugin_module: Any
) -> None:
    body = {
        "slug": "with-tp-2027",
        "name": "Next",
        "year": 2027,
        "starts_on": "2027-12-09",
        "ends_on": "2027-12-10",
    }
    response = client.post("/api/v1/events/with-tp/clone", json=body, headers=api_token(ORGANIZER))
    assert response.status_code == 201, response.get_json()
    cloned = _calls(plugin_module, "cloned")
    assert len(cloned) == 1
    assert cloned[0][1:3] == ("with-tp", "with-tp-2027")
    assert cloned[0][3] is not None  # the target was flushed: it has an id
    # What the hook wrote inside the clone's transaction was committed with it.
    settings = client.get(
        "/api/v1/events/with-tp-2027/plugins/thirdparty/settings", headers=api_token(ORGANIZER)
    ).get_json()
    assert settings == {"colour": "green", "copied_from": "with-tp"}


def test_clone_of_an_event_without_the_plugin_does_not_call_it(
    client: Any, api_token: Any, events: Any, plugin_module: Any
) -> None:
    body = {
        "slug": "without-tp-2027",
        "name": "Next",
        "year": 2027,
        "starts_on": "2027-12-09",
        "ends_on": "2027-12-10",
    }
    response = client.post(
        "/api/v1/events/without-tp/clone", json=body, headers=api_token(ORGANIZER)
    )
    assert response.status_code == 201
    assert _calls(plugin_module, "cloned") == []


def test_clone_hook_runs_inside_the_clone_transaction(
    db: Any, registry: Any, events: Any, plugin_module: Any
) -> None:
    source = db.merge(events["with"])
    target = cloning.clone_event(
        db,
        registry,
        source,
        slug="with-tp-2027",
        name="Next",
        year=2027,
        starts_on=date(2027, 12, 9),
        ends_on=date(2027, 12, 10),
    )
    call = _calls(plugin_module, "cloned")[0]
    assert call[4] is db and db.in_transaction()
    assert call[3] == target.id
    db.rollback()  # the clone is one unit of work: rolling back leaves nothing behind
    assert db.query(Event).filter_by(slug="with-tp-2027").count() == 0


def test_a_failing_clone_hook_leaves_no_event(
    db: Any, registry: Any, events: Any, plugin_module: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plugin_module, "FAIL_ON_CLONE", True)
    source = db.merge(events["with"])
    with pytest.raises(RuntimeError):
        cloning.clone_event(
            db,
            registry,
            source,
            slug="with-tp-2027",
            name="Next",
            year=2027,
            starts_on=date(2027, 12, 9),
            ends_on=date(2027, 12, 10),
        )
    db.rollback()
    assert db.query(Event).filter_by(slug="with-tp-2027").count() == 0


def test_settings_of_the_thirdparty_plugin_follow_its_switch(
    db: Any, registry: Any, events: Any
) -> None:
    event = db.merge(events["with"])
    plugin_settings.update_settings(db, registry, event, "thirdparty", {"colour": "red"})
    plugin_settings.set_plugin_enabled(db, registry, event, "thirdparty", False)
    with pytest.raises(NotFound):
        plugin_settings.get_settings(registry, event, "thirdparty")
    plugin_settings.set_plugin_enabled(db, registry, event, "thirdparty", True)
    assert plugin_settings.get_settings(registry, event, "thirdparty")["colour"] == "red"


# --- loud failures -------------------------------------------------------------------------


def test_misspelled_hook_makes_app_creation_fail(
    app_config: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "typo-site"
    write_distribution(
        site, "gelar-typo-test", {"typo": "gelar_typo_test"}, {"gelar_typo_test": TYPO_SOURCE}
    )
    with (
        installed(monkeypatch, site, ["gelar_typo_test"]),
        pytest.raises(pluggy.PluginValidationError, match="event_nav_itemz"),
    ):
        create_app({**app_config, "INSTANCE_PATH": str(tmp_path / "typo-instance")})


def test_two_distributions_claiming_one_name_fail(
    app_config: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    thirdparty_site: Path,
) -> None:
    site = tmp_path / "clash-site"
    write_distribution(
        site,
        "gelar-clash-test",
        {"thirdparty": "gelar_clash_test"},
        {"gelar_clash_test": PLUGIN_SOURCE},
    )
    with (
        installed(monkeypatch, site, ["gelar_clash_test"]),
        pytest.raises(ValueError, match="two plugins are named 'thirdparty'"),
    ):
        create_app({**app_config, "INSTANCE_PATH": str(tmp_path / "clash-instance")})

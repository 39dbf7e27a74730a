"""Lean views: the one-query plugin gate, its event-state cache and the autocommit connection.

A throwaway plugin ("pinger") owns two views under ``/<event>/pinger/``: a lean one that
reports what the gate left for it and writes one row on the request's autocommit
connection, and an ordinary one.  Both must obey the plugin switch exactly like every
other plugin view.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from flask import Blueprint, jsonify
from sqlalchemy import text

from core.db import get_connection, get_db
from core.event_cache import EventStateCache, invalidate
from core.hookspecs import hookimpl
from core.plugins import PluginInfo
from core.services import events as event_service
from core.services import plugin_settings
from core.web import current_event, is_lean, lean, lean_event
from tests.core.plugins.helpers import ORGANIZER

pinger_bp = Blueprint("pinger", __name__, url_prefix="/<event>/pinger")


@pinger_bp.post("/lean")
@lean
def lean_ping(event: str) -> Any:
    """Report the gate's event state and insert one row without a transaction of its own."""
    state = lean_event()
    if state is None:  # a draft: the general gate ran and loaded the ORM event
        return jsonify(id=current_event().id, lean=False)
    get_connection().execute(text("INSERT INTO lean_probe (event_id) VALUES (:e)"), {"e": state.id})
    return jsonify(id=state.id, lean=True, status=state.status, settings=state.plugin_settings)


@pinger_bp.get("/plain")
def plain_ping(event: str) -> Any:
    """An ordinary view: the gate loads the ORM event and leaves no lean state."""
    return jsonify(lean=lean_event() is not None)


class Pinger:
    """The throwaway plugin."""

    # core.i18n looks for a plugin's translations next to its package.
    __package__ = "tests.core.plugins"

    plugin_info = PluginInfo(
        name="pinger",
        title={"en": "Pinger", "id": "Pinger"},
        description={"en": "Answers lean pings.", "id": "Menjawab ping ramping."},
    )

    @hookimpl
    def register_blueprints(self) -> list[Any]:
        return [pinger_bp]


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    """The app with the pinger next to the built-in plugins."""
    return {**app_config, "EXTRA_PLUGINS": [("pinger", Pinger())]}


@pytest.fixture
def events(make: Any, db: Any) -> dict[str, Any]:
    """``on`` has the pinger on, ``off`` has it off, ``draft`` is an unpublished one with it."""
    organizer = make.user(ORGANIZER, "Organizer")
    db.execute(text("CREATE TABLE IF NOT EXISTS lean_probe (event_id INTEGER NOT NULL)"))
    db.execute(text("DELETE FROM lean_probe"))
    db.commit()
    return {
        "on": make.event("on-2026", plugins=["pinger"], organizer=organizer),
        "off": make.event("off-2026", plugins=["exhibitors"], organizer=organizer),
        "draft": make.event("draft-2026", plugins=["pinger"], status="draft", organizer=organizer),
    }


def probe_rows(app: Any) -> int:
    """Rows the lean view wrote, read on a fresh connection (so only committed ones)."""
    with get_db(app).engine.connect() as connection:
        return int(connection.execute(text("SELECT COUNT(*) FROM lean_probe")).scalar_one())


def test_lean_marks_the_view() -> None:
    assert is_lean(lean_ping) and not is_lean(plain_ping)


def test_lean_view_gets_the_event_state_and_commits_on_its_own(
    app: Any, client: Any, events: Any
) -> None:
    response = client.post("/on-2026/pinger/lean")
    assert response.status_code == 200
    assert response.get_json()["id"] == events["on"].id
    assert response.get_json()["lean"] is True
    assert response.get_json()["status"] == "published"
    assert probe_rows(app) == 1  # autocommit: no commit call, yet the row is there


def test_lean_view_of_a_disabled_plugin_answers_404(app: Any, client: Any, events: Any) -> None:
    assert client.post("/off-2026/pinger/lean").status_code == 404
    assert client.post("/no-such-event/pinger/lean").status_code == 404
    assert probe_rows(app) == 0


def test_switching_the_plugin_off_applies_at_once_in_this_process(
    app: Any, client: Any, db: Any, events: Any, registry: Any
) -> None:
    assert client.post("/on-2026/pinger/lean").status_code == 200  # now cached
    plugin_settings.set_plugin_enabled(db, registry, db.merge(events["on"]), "pinger", False)
    db.commit()
    assert client.post("/on-2026/pinger/lean").status_code == 404
    assert probe_rows(app) == 1


def test_settings_changes_reach_the_cached_state(
    app: Any, client: Any, db: Any, events: Any
) -> None:
    assert client.post("/on-2026/pinger/lean").get_json()["settings"] == {}
    row = next(p for p in db.merge(events["on"]).plugins if p.name == "pinger")
    row.settings = {"colour": "green"}
    db.commit()
    assert client.post("/on-2026/pinger/lean").get_json()["settings"] == {"colour": "green"}


def test_a_draft_takes_the_general_path(app: Any, client: Any, auth: Any, events: Any) -> None:
    app.config["WTF_CSRF_ENABLED"] = False
    assert client.post("/draft-2026/pinger/lean").status_code == 404  # hidden from visitors
    auth.login(ORGANIZER)
    response = client.post("/draft-2026/pinger/lean")
    assert response.status_code == 200
    assert response.get_json() == {"id": events["draft"].id, "lean": False}


def test_ordinary_views_keep_the_orm_gate(client: Any, events: Any) -> None:
    assert client.get("/on-2026/pinger/plain").get_json() == {"lean": False}
    assert client.get("/off-2026/pinger/plain").status_code == 404


def test_plugin_state_reads_switch_and_settings_in_one_query(
    app: Any, db: Any, events: Any
) -> None:
    with get_db(app).engine.connect() as connection:
        state = event_service.plugin_state(connection, "on-2026", "pinger")
        off = event_service.plugin_state(connection, "off-2026", "pinger")
        unknown = event_service.plugin_state(connection, "nope", "pinger")
    assert state is not None and state.plugin_enabled and state.id == events["on"].id
    assert off is not None and not off.plugin_enabled and off.plugin_settings == {}
    assert unknown is None


def test_cache_serves_within_its_lifetime_and_rereads_after(app: Any, db: Any, events: Any) -> None:
    cache = EventStateCache(ttl=0.2)
    with get_db(app).engine.connect() as connection:
        first = cache.get(connection, "on-2026", "pinger")
        assert cache.get(connection, "on-2026", "pinger") is first
        time.sleep(0.25)
        assert cache.get(connection, "on-2026", "pinger") is not first
        again = cache.get(connection, "on-2026", "pinger")
        invalidate()
        assert cache.get(connection, "on-2026", "pinger") is not again


def test_cache_can_be_switched_off(app: Any, events: Any) -> None:
    cache = EventStateCache(ttl=0)
    with get_db(app).engine.connect() as connection:
        assert cache.get(connection, "on-2026", "pinger") is not cache.get(
            connection, "on-2026", "pinger"
        )


def test_settings_as_validates_once_per_state(app: Any, events: Any) -> None:
    from pydantic import BaseModel

    class Colour(BaseModel):
        colour: str = "red"

    with get_db(app).engine.connect() as connection:
        state = event_service.plugin_state(connection, "on-2026", "pinger")
    assert state is not None
    parsed = state.settings_as(Colour)
    assert parsed.colour == "red"
    assert state.settings_as(Colour) is parsed


def test_flask_limiter_hooks_stand_aside_for_lean_views_only(
    app: Any, client: Any, events: Any, monkeypatch: Any
) -> None:
    """Flask-Limiter's hooks run for ordinary views and are skipped for lean ones."""
    from core.extensions import limiter

    calls: list[str] = []
    original = limiter._check_request_limit

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append("checked")
        return original(*args, **kwargs)

    hooks = app.before_request_funcs[None]
    wrapped = [hook for hook in hooks if hook.__name__.startswith("unless_lean_")]
    assert len(wrapped) == 1
    monkeypatch.setattr(limiter, "_check_request_limit", counting)
    # The wrapper holds the bound method it wrapped; rebuild it around the counting one.
    from core.app import _unless_lean

    hooks[hooks.index(wrapped[0])] = _unless_lean(counting)
    assert client.post("/on-2026/pinger/lean").status_code == 200
    assert calls == []
    assert client.get("/on-2026/pinger/plain").status_code == 200
    assert calls == ["checked"]

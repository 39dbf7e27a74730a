"""The lean views' event cache sees changes made by other processes at once (issue 17)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import text

from core import create_app
from core.db import get_db
from core.event_cache import (
    REDIS_KEY,
    EventStateCache,
    raise_database_version,
    read_database_version,
)
from core.services import plugin_settings
from tests.core.ops.conftest import REDIS_URL


def _switch_off_elsewhere(app: Flask, event_id: int, *, announce: bool) -> None:
    """What another process's commit does: the switch and (normally) the version, together.

    Plain SQL on a connection of its own, so this process's own invalidation does not run.
    """
    with get_db(app).engine.begin() as connection:
        connection.execute(
            text("UPDATE event_plugins SET enabled = false WHERE event_id = :e"), {"e": event_id}
        )
        if announce:
            raise_database_version(connection)


def test_a_commit_that_changes_an_event_raises_the_version(app: Flask, db: Any, make: Any) -> None:
    event = make.event(plugins=["voting"])
    with get_db(app).engine.connect() as connection:
        before = read_database_version(connection)
    make.user("ani@example.id", "Ani")  # no event touched: no new version
    with get_db(app).engine.connect() as connection:
        assert read_database_version(connection) == before
    registry = app.extensions["gelar_plugins"]
    plugin_settings.set_enabled_plugins(db, registry, db.merge(event), [])
    db.commit()
    with get_db(app).engine.connect() as connection:
        assert read_database_version(connection) == before + 1


def test_another_process_change_is_seen_at_the_next_check(app: Flask, make: Any) -> None:
    event = make.event(plugins=["voting"])
    cache = EventStateCache(60, check_seconds=0)
    with get_db(app).autocommit_connection() as connection:
        assert cache.get(connection, event.slug, "voting").plugin_enabled
        _switch_off_elsewhere(app, event.id, announce=True)
        assert not cache.get(connection, event.slug, "voting").plugin_enabled


def test_without_the_version_the_entry_would_stay_stale(app: Flask, make: Any) -> None:
    """The control: the version, not the entry's lifetime, is what brings the change."""
    event = make.event(plugins=["voting"])
    cache = EventStateCache(60, check_seconds=0)
    with get_db(app).autocommit_connection() as connection:
        assert cache.get(connection, event.slug, "voting").plugin_enabled
        _switch_off_elsewhere(app, event.id, announce=False)
        assert cache.get(connection, event.slug, "voting").plugin_enabled


def test_with_redis_the_version_is_read_from_redis_and_raised_after_commit(
    app_config: dict[str, Any], redis_client: Any
) -> None:
    application = create_app({**app_config, "REDIS_URL": REDIS_URL})
    cache = application.extensions["gelar_event_cache"]
    assert cache.redis is not None
    with application.app_context():
        session = get_db(application).new_session()
        from tests.conftest import Factory

        event = Factory(application, session).event(plugins=["voting"])
        cache.check_seconds = 0
        before = int(redis_client.get(REDIS_KEY) or 0)
        with get_db(application).autocommit_connection() as connection:
            assert cache.get(connection, event.slug, "voting").plugin_enabled
            registry = application.extensions["gelar_plugins"]
            plugin_settings.set_enabled_plugins(session, registry, session.merge(event), [])
            session.commit()
            assert int(redis_client.get(REDIS_KEY) or 0) == before + 1
            assert not cache.get(connection, event.slug, "voting").plugin_enabled
            # Another process: a change announced in Redis only.
            _switch_on = "UPDATE event_plugins SET enabled = true WHERE event_id = :e"
            with get_db(application).engine.begin() as other:
                other.execute(text(_switch_on), {"e": event.id})
            assert not cache.get(connection, event.slug, "voting").plugin_enabled
            redis_client.incr(REDIS_KEY)
            assert cache.get(connection, event.slug, "voting").plugin_enabled
        session.close()
    get_db(application).dispose()

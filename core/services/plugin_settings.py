"""The plugin switchboard: enable/disable plugins per event and keep their settings."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from core import pydantic_i18n
from core.models import Event, EventPlugin
from core.plugins import PluginRegistry, UnknownPluginError
from core.services import audit
from core.services.errors import NotFound, ValidationFailed


def set_enabled_plugins(
    session: Session,
    registry: PluginRegistry,
    event: Event,
    names: list[str],
    *,
    actor_id: int | None = None,
) -> list[str]:
    """Make exactly ``names`` enabled for ``event``, firing lifecycle hooks for changes.

    Unknown names raise :class:`ValidationFailed` before anything changes.  Settings of a
    disabled plugin are kept, so enabling it again restores them.
    """
    try:
        wanted = registry.check_names(names)
    except UnknownPluginError as exc:
        raise ValidationFailed(
            str(exc), fields={"enabled": [f"Unknown plugin: {n}" for n in exc.names]}
        ) from None
    rows = {row.name: row for row in event.plugins}
    newly_enabled, newly_disabled = [], []
    for name in registry.names:
        row = rows.get(name)
        if name in wanted:
            if row is None:
                row = EventPlugin(
                    name=name, enabled=True, settings=registry.infos[name].default_settings()
                )
                event.plugins.append(row)
                newly_enabled.append(name)
            elif not row.enabled:
                row.enabled = True
                newly_enabled.append(name)
        elif row is not None and row.enabled:
            row.enabled = False
            newly_disabled.append(name)
    session.flush()
    for name in newly_enabled:
        registry.call_for_plugin(name, "on_plugin_enabled", event=event, session=session)
    for name in newly_disabled:
        registry.call_for_plugin(name, "on_plugin_disabled", event=event, session=session)
    if newly_enabled or newly_disabled:
        audit.record(
            session,
            "plugins.changed",
            event_id=event.id,
            user_id=actor_id,
            enabled=newly_enabled,
            disabled=newly_disabled,
        )
    return event.enabled_plugin_names


def set_plugin_enabled(
    session: Session,
    registry: PluginRegistry,
    event: Event,
    name: str,
    enabled: bool,
    *,
    actor_id: int | None = None,
) -> list[str]:
    """Switch one plugin on or off, keeping the others as they are."""
    names = set(event.enabled_plugin_names)
    names = names | {name} if enabled else names - {name}
    return set_enabled_plugins(session, registry, event, sorted(names), actor_id=actor_id)


def get_settings(registry: PluginRegistry, event: Event, name: str) -> dict[str, Any]:
    """The plugin's settings for ``event`` (defaults filled in); 404 if it is off."""
    row = _enabled_row(registry, event, name)
    info = registry.infos[name]
    stored = dict(row.settings or {})
    if info.settings_model is not None:
        # Keys an older version of the plugin left behind are not settings any more.
        stored = {k: v for k, v in stored.items() if k in info.settings_model.model_fields}
    return {**info.default_settings(), **stored}


def update_settings(
    session: Session,
    registry: PluginRegistry,
    event: Event,
    name: str,
    changes: dict[str, Any],
    *,
    actor_id: int | None = None,
) -> dict[str, Any]:
    """Replace the given settings keys after the plugin's own validation (422 on errors)."""
    row = _enabled_row(registry, event, name)
    info = registry.infos[name]
    if info.settings_model is None:
        if changes:
            raise ValidationFailed(
                "this plugin has no settings",
                fields={key: ["Unknown setting."] for key in changes},
            )
        return {}
    known = set(info.settings_model.model_fields)
    unknown = sorted(set(changes) - known)
    if unknown:
        raise ValidationFailed(
            "unknown settings", fields={key: ["Unknown setting."] for key in unknown}
        )
    merged = {**get_settings(registry, event, name), **changes}
    try:
        validated = info.settings_model.model_validate(merged)
    except ValidationError as exc:
        raise ValidationFailed("invalid settings", fields=pydantic_fields(exc)) from None
    row.settings = validated.model_dump(mode="json")
    session.flush()
    audit.record(
        session,
        "plugin.settings",
        event_id=event.id,
        user_id=actor_id,
        plugin=name,
        keys=sorted(changes),
    )
    return dict(row.settings)


def pydantic_fields(exc: ValidationError) -> dict[str, list[str]]:
    """Turn a pydantic error into the API's ``fields`` mapping (translated messages)."""
    fields: dict[str, list[str]] = {}
    for error in exc.errors():
        key = ".".join(str(part) for part in error["loc"]) or "__root__"
        fields.setdefault(key, []).append(pydantic_i18n.message(dict(error)))
    return fields


def _enabled_row(registry: PluginRegistry, event: Event, name: str) -> EventPlugin:
    if name not in registry.infos:
        raise NotFound("unknown plugin")
    row = next((p for p in event.plugins if p.name == name and p.enabled), None)
    if row is None:
        raise NotFound("plugin not enabled for this event")
    return row

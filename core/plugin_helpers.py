"""Small building blocks plugins share: settings access, datetimes in the event's zone."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel


def to_event_local(value: str | datetime | None, tz: str) -> datetime | None:
    """An ISO string or aware datetime as a naive local datetime in ``tz`` (form fields)."""
    if value in (None, ""):
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(ZoneInfo(tz)).replace(tzinfo=None)


def from_event_local(value: datetime | None, tz: str) -> str | None:
    """A naive local datetime typed in ``tz`` as an ISO 8601 string with offset."""
    if value is None:
        return None
    return value.replace(tzinfo=ZoneInfo(tz)).isoformat()


def stored_settings(event: Any, name: str, model: type[BaseModel]) -> BaseModel:
    """A plugin's settings for ``event`` as its validated model (defaults when unset)."""
    row = next((p for p in event.plugins if p.name == name), None)
    return model.model_validate({**model().model_dump(mode="json"), **((row.settings if row else None) or {})})


def merge_settings(event: Any, name: str, model: type[BaseModel], changes: dict[str, Any]) -> None:
    """Validate and store ``changes`` into the plugin's settings row (demo and clone hooks)."""
    row = next((p for p in event.plugins if p.name == name), None)
    if row is None:
        raise LookupError(f"plugin {name!r} has no settings row on event {event.slug!r}")
    merged = {**stored_settings(event, name, model).model_dump(mode="json"), **changes}
    row.settings = model.model_validate(merged).model_dump(mode="json")

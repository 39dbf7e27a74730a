"""Small building blocks plugins share: settings access, event-zone datetimes, announcements."""

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


def _settings_row(event: Any, name: str) -> Any:
    return next((p for p in event.plugins if p.name == name), None)


def stored_settings(event: Any, name: str, model: type[BaseModel]) -> BaseModel:
    """A plugin's settings for ``event`` as its validated model (defaults when unset).

    Keys the model no longer knows (left by an older version of the plugin) are ignored, so
    a stale key never breaks a page.
    """
    row = _settings_row(event, name)
    return settings_from(row.settings if row else None, model)


def settings_from(stored: dict[str, Any] | None, model: type[BaseModel]) -> BaseModel:
    """Stored settings (a plugin row's JSON, or ``None``) as the validated model.

    Defaults fill what is unset; keys the model does not know are ignored.
    """
    known = {k: v for k, v in (stored or {}).items() if k in model.model_fields}
    return model.model_validate({**model().model_dump(mode="json"), **known})


def merge_settings(event: Any, name: str, model: type[BaseModel], changes: dict[str, Any]) -> None:
    """Validate and store ``changes`` into the plugin's settings row (demo and clone hooks)."""
    row = _settings_row(event, name)
    if row is None:
        raise LookupError(f"plugin {name!r} has no settings row on event {event.slug!r}")
    merged = {**stored_settings(event, name, model).model_dump(mode="json"), **changes}
    row.settings = model.model_validate(merged).model_dump(mode="json")


def announce_innovation_submitted(registry: Any, session: Any, event: Any, innovation: Any) -> None:
    """Fire ``on_innovation_submitted`` on the plugins enabled for ``event``.

    For the plugin (or service) that submits an innovation, inside its transaction.
    """
    registry.call_for_event(
        event, "on_innovation_submitted", innovation=innovation, session=session
    )


def announce_registration_decided(
    registry: Any, session: Any, event: Any, registration: Any, status: str
) -> None:
    """Fire ``on_registration_decided`` on the plugins enabled for ``event``.

    For the registration plugin, inside the decision's transaction; ``registration`` must
    expose ``organization_id`` and ``innovation_ids``.
    """
    registry.call_for_event(
        event, "on_registration_decided", registration=registration, status=status, session=session
    )


def innovation_actions(registry: Any, session: Any, event: Any, innovation: Any) -> list[Any]:
    """Panels the enabled plugins add to ``innovation``'s public page, sorted by ``order``."""
    return registry.collect_for_event(
        event, "event_innovation_actions", innovation=innovation, session=session
    )


def search_innovations(
    registry: Any,
    session: Any,
    event: Any,
    *,
    q: str | None,
    category: str | None = None,
    organization_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Any], int]:
    """Accepted innovations matching ``q``: a plugin's search when one answers, else core's."""
    from core.services import innovations

    if q and q.strip():
        found = registry.call_for_event(
            event,
            "event_innovation_search",
            session=session,
            q=q.strip(),
            category=category,
            organization_id=organization_id,
            limit=limit,
            offset=offset,
        )
        if found is not None:
            items, total = found
            return list(items), int(total)
    return innovations.search_accepted(
        session,
        event,
        q=q,
        category=category,
        organization_id=organization_id,
        limit=limit,
        offset=offset,
    )


def busy_times(
    registry: Any,
    session: Any,
    event: Any,
    *,
    people: dict[int, str],
    organizations: dict[int, str],
    window: tuple[datetime, datetime],
) -> list[Any]:
    """When the given people and agencies are busy elsewhere in ``event`` (``BusyTime`` list).

    Asks ``event_busy_times`` of the plugins enabled for the event; none answering means
    nobody is known to be busy.
    """
    return registry.collect_for_event(
        event,
        "event_busy_times",
        session=session,
        people=people,
        organizations=organizations,
        window=window,
    )


def booth_locations(
    registry: Any, session: Any, event: Any, organization_ids: list[int]
) -> dict[int, Any]:
    """Organization id → its ``BoothLocation`` (the first answer per agency) in ``event``."""
    found: dict[int, Any] = {}
    if not organization_ids:
        return found
    for location in registry.collect_for_event(
        event, "event_booth_locations", session=session, organization_ids=list(organization_ids)
    ):
        found.setdefault(location.organization_id, location)
    return found

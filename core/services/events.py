"""Events: create, update, publish/archive, list what a user may see."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel
from sqlalchemy import bindparam, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from core.models import EVENT_STATUSES, Event, EventPlugin, EventRole, User
from core.plugin_helpers import settings_from
from core.services import audit
from core.services.errors import Conflict, NotFound, ValidationFailed

M = TypeVar("M", bound=BaseModel)
SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
# First path segments the app itself uses; an event slug may not shadow them.
RESERVED_SLUGS = frozenset(
    {
        "api",
        "auth",
        "admin",
        "static",
        "lang",
        "health",
        "favicon.ico",
        "robots.txt",
        "manage",
        "me",
    }
)
EDITABLE_FIELDS = ("name", "year", "venue", "starts_on", "ends_on", "timezone", "description")


def validate_slug(slug: str) -> str:
    """Return the slug if it is lowercase letters, digits and dashes and not reserved."""
    if not SLUG_PATTERN.match(slug or ""):
        raise ValidationFailed(
            "invalid slug",
            fields={"slug": ["Use 1–64 lowercase letters, digits and dashes."]},  # noqa: RUF001
        )
    if slug in RESERVED_SLUGS:
        raise ValidationFailed("reserved slug", fields={"slug": ["This address is reserved."]})
    return slug


def validate_timezone(name: str) -> str:
    """Return ``name`` if it is an IANA time zone."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationFailed(
            "unknown time zone", fields={"timezone": ["Unknown time zone."]}
        ) from None
    return name


def _check_dates(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise ValidationFailed(
            "end before start", fields={"ends_on": ["The event cannot end before it starts."]}
        )


def get_event(session: Session, slug: str) -> Event:
    """Load an event with its plugin switches, or raise :class:`NotFound`."""
    event = session.scalar(
        select(Event).where(Event.slug == slug).options(selectinload(Event.plugins))
    )
    if event is None:
        raise NotFound("unknown event")
    return event


@dataclass(frozen=True)
class EventPluginState:
    """What a lean request needs of its event: identity, status and one plugin's switch."""

    id: int
    slug: str
    status: str
    timezone: str
    plugin_enabled: bool
    plugin_settings: dict[str, Any]
    _parsed: dict[type, Any] = field(default_factory=dict, compare=False, repr=False)

    def settings_as(self, model: type[M]) -> M:
        """The plugin's settings as ``model`` (see :func:`core.plugin_helpers.settings_from`).

        Validated once per state, so a cached state serves its settings for free.
        """
        if model not in self._parsed:
            self._parsed[model] = settings_from(self.plugin_settings, model)
        return cast(M, self._parsed[model])


# Built once: constructing a statement costs more than running it on a hot path.
_PLUGIN_STATE = (
    select(Event.id, Event.status, Event.timezone, EventPlugin.enabled, EventPlugin.settings)
    .select_from(Event)
    .outerjoin(
        EventPlugin,
        (EventPlugin.event_id == Event.id) & (EventPlugin.name == bindparam("plugin")),
    )
    .where(Event.slug == bindparam("slug"))
)


def plugin_state(connection: Connection, slug: str, plugin: str) -> EventPluginState | None:
    """The event ``slug`` with plugin ``plugin``'s switch and settings, in one query.

    ``None`` when no event has the slug.  Reads plain columns (no ORM objects), so it suits
    hot paths; :func:`get_event` is the general loader.
    """
    row = connection.execute(_PLUGIN_STATE, {"slug": slug, "plugin": plugin}).first()
    if row is None:
        return None
    return EventPluginState(
        id=row.id,
        slug=slug,
        status=row.status,
        timezone=row.timezone,
        plugin_enabled=bool(row.enabled),
        plugin_settings=dict(row.settings or {}),
    )


def lock_event_row(session: Session, event_id: int) -> None:
    """Lock the event's row for the rest of the transaction (a per-event mutex).

    Taken as ``FOR NO KEY UPDATE`` on PostgreSQL: it serialises the writers that take it
    (placing sessions, booths, visits) but not the inserts that merely reference the event
    (an audit entry, a vote), whose foreign-key check takes ``FOR KEY SHARE``; a plain
    ``FOR UPDATE`` would block those and, with any row the inserter already holds, deadlock.
    SQLite has no row locks (its writers are serialised anyway).
    """
    session.execute(select(Event.id).where(Event.id == event_id).with_for_update(key_share=True))


def slug_taken(session: Session, slug: str) -> bool:
    """Whether an event already uses ``slug``."""
    return session.scalar(select(Event.id).where(Event.slug == slug)) is not None


def create_event(
    session: Session,
    *,
    slug: str,
    name: str,
    year: int,
    starts_on: date,
    ends_on: date,
    venue: str = "",
    timezone: str = "Asia/Jakarta",
    description: str = "",
    status: str = "draft",
    actor_id: int | None = None,
) -> Event:
    """Create an event (no plugins yet); 409 when the slug is taken."""
    validate_slug(slug)
    validate_timezone(timezone)
    _check_dates(starts_on, ends_on)
    if status not in EVENT_STATUSES:
        raise ValidationFailed("invalid status", fields={"status": ["Unknown status."]})
    if not name.strip():
        raise ValidationFailed("name required", fields={"name": ["A name is required."]})
    if slug_taken(session, slug):
        raise Conflict("slug taken", fields={"slug": ["Another event uses this address."]})
    event = Event(
        slug=slug,
        name=name.strip(),
        year=year,
        venue=venue.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        timezone=timezone,
        description=description,
        status=status,
    )
    session.add(event)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(
            "slug taken", fields={"slug": ["Another event uses this address."]}
        ) from None
    audit.record(session, "event.created", event_id=event.id, user_id=actor_id, slug=slug)
    return event


def update_event(
    session: Session, event: Event, changes: dict[str, Any], *, actor_id: int | None = None
) -> Event:
    """Apply a partial update (including ``status``); validates before touching the row."""
    unknown = set(changes) - set(EDITABLE_FIELDS) - {"status"}
    if unknown:
        raise ValidationFailed(
            "unknown fields", fields={k: ["Not an editable field."] for k in sorted(unknown)}
        )
    starts_on = changes.get("starts_on", event.starts_on)
    ends_on = changes.get("ends_on", event.ends_on)
    _check_dates(starts_on, ends_on)
    if "timezone" in changes:
        validate_timezone(changes["timezone"])
    if "status" in changes and changes["status"] not in EVENT_STATUSES:
        raise ValidationFailed("invalid status", fields={"status": ["Unknown status."]})
    if "name" in changes and not str(changes["name"]).strip():
        raise ValidationFailed("name required", fields={"name": ["A name is required."]})
    before = {key: _jsonable(getattr(event, key)) for key in changes}
    for key, value in changes.items():
        setattr(
            event, key, value.strip() if isinstance(value, str) and key != "description" else value
        )
    session.flush()
    audit.record(
        session,
        "event.updated",
        event_id=event.id,
        user_id=actor_id,
        before=before,
        after={key: _jsonable(getattr(event, key)) for key in changes},
    )
    return event


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def visible_events(session: Session, user: User | None) -> list[Event]:
    """Published and archived events for everyone, plus drafts the user organizes.

    Ordered with the current and upcoming editions first, then past ones newest first.
    """
    query = select(Event).options(selectinload(Event.plugins))
    if user is None:
        query = query.where(Event.status != "draft")
    elif not user.is_admin:
        organized = select(EventRole.event_id).where(
            EventRole.user_id == user.id, EventRole.role == "organizer"
        )
        query = query.where(or_(Event.status != "draft", Event.id.in_(organized)))
    events = list(session.scalars(query))
    today = date.today()
    upcoming = sorted((e for e in events if e.ends_on >= today), key=lambda e: e.starts_on)
    past = sorted((e for e in events if e.ends_on < today), key=lambda e: e.starts_on, reverse=True)
    return upcoming + past


def can_view(event: Event, user: User | None, organizer: bool) -> bool:
    """Drafts are visible to their organizers and site admins only."""
    if event.status != "draft":
        return True
    return user is not None and (user.is_admin or organizer)


def plugin_row(event: Event, name: str) -> EventPlugin | None:
    """The event's row for plugin ``name``, if any."""
    return next((p for p in event.plugins if p.name == name), None)

"""Symposium logic with no Flask request in it: rooms, tracks, speakers, sessions, placement.

Every write that places or moves a session locks the event's row first
(``SELECT … FOR UPDATE``; SQLite's write transactions are serialised already), then reads
the programme and checks the placement with :mod:`plugins.symposium.conflicts`.  Two
concurrent placements therefore see each other and cannot double-book a room or a
speaker.  A refused placement raises :class:`ScheduleConflict` before anything changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from core.models import Event
from core.plugin_helpers import stored_settings
from core.services import audit
from core.services.errors import Conflict, NotFound, ValidationFailed
from core.services.events import lock_event_row
from plugins.symposium import conflicts as checks
from plugins.symposium import scheduler
from plugins.symposium.models import (
    SESSION_KINDS,
    Availability,
    Room,
    SessionSpeaker,
    Speaker,
    Track,
)
from plugins.symposium.models import Session as SymSession
from plugins.symposium.settings import SymposiumSettings

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_PHOTO_URL = re.compile(r"^https?://[^\s/]+\S*$", re.IGNORECASE)
MAX_DURATION = 24 * 60
MAX_ID = 2**31 - 1


class ScheduleConflict(Conflict):
    """A placement refused for hard conflicts (409); ``conflicts`` lists each of them."""

    code = "schedule_conflict"

    def __init__(self, found: Sequence[checks.Conflict]) -> None:
        items = [c.as_dict() for c in found]
        super().__init__(
            _(
                "The session cannot go there: %(reasons)s",
                reasons=" ".join(c.message for c in found),
            ),
            conflicts=items,
        )
        self.conflicts = items


# -- the programme's frame ---------------------------------------------------------------


def programme_days(event: Any) -> list[date]:
    """Every day of ``event``, first to last."""
    span = (event.ends_on - event.starts_on).days
    return [event.starts_on + timedelta(days=offset) for offset in range(span + 1)]


def programme_minutes_per_day(settings: SymposiumSettings) -> int:
    """Minutes between ``day_starts`` and ``day_ends``."""
    starts = datetime.strptime(settings.day_starts, "%H:%M")
    ends = datetime.strptime(settings.day_ends, "%H:%M")
    return int((ends - starts).total_seconds() // 60)


def event_settings(event: Event) -> SymposiumSettings:
    """The symposium settings of ``event`` (defaults when unset)."""
    return stored_settings(event, "symposium", SymposiumSettings)  # type: ignore[return-value]


def _hhmm(value: str) -> time:
    return datetime.strptime(value, "%H:%M").time()


def day_hours(settings: SymposiumSettings) -> tuple[time, time]:
    """When each programme day starts and ends (local times in the event's zone)."""
    return _hhmm(settings.day_starts), _hhmm(settings.day_ends)


def programme_frame(session: DbSession, event: Event) -> checks.Programme:
    """The conflict checker's view of ``event``: days, hours, rooms, speakers, availability."""
    settings = event_settings(event)
    frame = checks.Programme(
        days=programme_days(event),
        timezone=event.timezone,
        day_starts=_hhmm(settings.day_starts),
        day_ends=_hhmm(settings.day_ends),
        buffer_minutes=settings.buffer_minutes,
    )
    for room in rooms(session, event):
        frame.room_names[room.id] = room.name
        frame.room_capacities[room.id] = room.capacity
    speakers = session.scalars(
        select(Speaker)
        .where(Speaker.event_id == event.id)
        .options(selectinload(Speaker.availability))
    )
    for speaker in speakers:
        frame.speaker_names[speaker.id] = speaker.name
        if speaker.availability:
            frame.availability[speaker.id] = [
                (w.starts_at, w.ends_at) for w in speaker.availability
            ]
    return frame


def as_slot(item: SymSession) -> checks.Slot:
    """The checker's view of a session."""
    return checks.Slot(
        session_id=item.id,
        title=item.title,
        duration_minutes=item.duration_minutes,
        speaker_ids=frozenset(link.speaker_id for link in item.links),
        room_id=item.room_id,
        starts_at=item.starts_at,
        track_id=item.track_id,
        expected_audience=item.expected_audience,
    )


def sessions(session: DbSession, event: Event) -> list[SymSession]:
    """Every session of ``event``: placed ones in time order, then unscheduled by title."""
    found = session.scalars(
        select(SymSession)
        .where(SymSession.event_id == event.id)
        .options(
            selectinload(SymSession.links).selectinload(SessionSpeaker.speaker),
            selectinload(SymSession.room),
            selectinload(SymSession.track),
        )
    ).all()
    return sorted(
        found,
        key=lambda s: (
            s.starts_at is None,
            s.starts_at or datetime.min.replace(tzinfo=ZoneInfo("UTC")),
            s.room.position if s.room else 0,
            s.room_id or 0,
            s.title.lower(),
            s.id,
        ),
    )


def find_session(session: DbSession, event: Event, session_id: int) -> SymSession:
    """One session of ``event``; :class:`NotFound` otherwise."""
    found = session.get(SymSession, session_id) if 0 < session_id <= MAX_ID else None
    if found is None or found.event_id != event.id:
        raise NotFound(_("Unknown session."))
    return found


def lock_event(session: DbSession, event: Event) -> None:
    """Lock the event's row for the rest of the transaction (serialises placements)."""
    lock_event_row(session, event.id)


# -- rooms and tracks --------------------------------------------------------------------


def rooms(session: DbSession, event: Event) -> list[Room]:
    """The event's rooms in display order."""
    return list(
        session.scalars(
            select(Room).where(Room.event_id == event.id).order_by(Room.position, Room.id)
        )
    )


def tracks(session: DbSession, event: Event) -> list[Track]:
    """The event's tracks by name."""
    return list(
        session.scalars(select(Track).where(Track.event_id == event.id).order_by(Track.name))
    )


def _clean_name(value: Any, field: str, limit: int) -> str:
    text = str(value or "").strip()
    if not text:
        raise ValidationFailed(_("A name is required."), fields={field: [_("Required.")]})
    if len(text) > limit:
        raise ValidationFailed(
            _("Too long."), fields={field: [_("At most %(n)s characters.", n=limit)]}
        )
    return text


def create_room(
    session: DbSession, event: Event, *, name: str, capacity: int, actor_id: int | None = None
) -> Room:
    """Add a room; 422 on an empty name or a negative capacity, 409 on a duplicate name."""
    name = _clean_name(name, "name", 120)
    if not isinstance(capacity, int) or isinstance(capacity, bool) or not 0 <= capacity <= 100_000:
        raise ValidationFailed(
            _("Invalid capacity."), fields={"capacity": [_("A number of seats from 0.")]}
        )
    lock_event(session, event)
    taken = session.scalar(
        select(Room.id).where(
            Room.event_id == event.id,
            # Exact match too: SQLite's lower() leaves non-ASCII letters as they are.
            or_(Room.name == name, func.lower(Room.name) == name.lower()),
        )
    )
    if taken is not None:
        raise Conflict(
            _("There is already a room called %(name)s.", name=name),
            fields={"name": [_("Already used in this event.")]},
        )
    position = session.scalar(
        select(func.coalesce(func.max(Room.position), 0)).where(Room.event_id == event.id)
    )
    room = Room(event_id=event.id, name=name, capacity=capacity, position=(position or 0) + 1)
    session.add(room)
    session.flush()
    audit.record(session, "symposium.room_created", event_id=event.id, user_id=actor_id, room=name)
    return room


def create_track(session: DbSession, event: Event, *, name: str, color: str = "#1f6feb") -> Track:
    """Add a track; 422 on an empty name or a colour that is not ``#rrggbb``, 409 duplicate."""
    name = _clean_name(name, "name", 120)
    if not _COLOR.match(color or ""):
        raise ValidationFailed(_("Invalid colour."), fields={"color": [_("Use #rrggbb.")]})
    lock_event(session, event)
    taken = session.scalar(
        select(Track.id).where(
            Track.event_id == event.id,
            or_(Track.name == name, func.lower(Track.name) == name.lower()),
        )
    )
    if taken is not None:
        raise Conflict(
            _("There is already a track called %(name)s.", name=name),
            fields={"name": [_("Already used in this event.")]},
        )
    track = Track(event_id=event.id, name=name, color=color)
    session.add(track)
    session.flush()
    return track


def resolve_room(session: DbSession, event: Event, ref: int | str | None) -> int | None:
    """A room id from an id or a name; 422 ``room`` when there is no such room."""
    if ref is None or ref == "":
        return None
    query = select(Room.id).where(Room.event_id == event.id)
    if isinstance(ref, int) and not isinstance(ref, bool):
        found = session.scalar(query.where(Room.id == ref)) if 0 < ref <= MAX_ID else None
    else:
        found = session.scalar(query.where(func.lower(Room.name) == str(ref).strip().lower()))
    if found is None:
        raise ValidationFailed(
            _("Unknown room."), fields={"room": [_("No such room in this event.")]}
        )
    return found


def resolve_track(session: DbSession, event: Event, ref: int | str | None) -> int | None:
    """A track id from an id or a name; 422 ``track`` when there is no such track."""
    if ref is None or ref == "":
        return None
    query = select(Track.id).where(Track.event_id == event.id)
    if isinstance(ref, int) and not isinstance(ref, bool):
        found = session.scalar(query.where(Track.id == ref)) if 0 < ref <= MAX_ID else None
    else:
        found = session.scalar(query.where(func.lower(Track.name) == str(ref).strip().lower()))
    if found is None:
        raise ValidationFailed(
            _("Unknown track."), fields={"track": [_("No such track in this event.")]}
        )
    return found


# -- speakers ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SpeakerInput:
    """A speaker as given with a session: matched by e-mail (or by name without one)."""

    name: str
    email: str = ""
    affiliation: str = ""
    bio: str = ""


def _validate_speakers(speakers: Iterable[SpeakerInput]) -> list[SpeakerInput]:
    cleaned: list[SpeakerInput] = []
    problems: dict[str, list[str]] = {}
    for index, given in enumerate(speakers):
        name = (given.name or "").strip()
        email = (given.email or "").strip().lower()
        if not name:
            problems[f"speakers.{index}.name"] = [_("A speaker needs a name.")]
        elif len(name) > 200:
            problems[f"speakers.{index}.name"] = [_("At most %(n)s characters.", n=200)]
        if email and (not _EMAIL.match(email) or len(email) > 254):
            problems[f"speakers.{index}.email"] = [_("Not an e-mail address.")]
        cleaned.append(
            SpeakerInput(name, email, (given.affiliation or "").strip()[:250], given.bio)
        )
    if problems:
        raise ValidationFailed(_("A speaker's details are invalid."), fields=problems)
    return cleaned


def _existing_speaker(session: DbSession, event: Event, given: SpeakerInput) -> Speaker | None:
    query = select(Speaker).where(Speaker.event_id == event.id)
    if given.email:
        return session.scalar(query.where(Speaker.email == given.email))
    return session.scalar(
        query.where(Speaker.email.is_(None), func.lower(Speaker.name) == given.name.lower())
    )


def _speaker_for(session: DbSession, event: Event, given: SpeakerInput) -> Speaker:
    speaker = _existing_speaker(session, event, given)
    if speaker is None:
        speaker = Speaker(
            event_id=event.id,
            name=given.name,
            email=given.email or None,
            affiliation=given.affiliation,
            bio=given.bio or "",
        )
        session.add(speaker)
        session.flush()
    elif given.affiliation and not speaker.affiliation:
        speaker.affiliation = given.affiliation
    return speaker


def speakers(session: DbSession, event: Event) -> list[Speaker]:
    """The event's speakers by name."""
    return list(
        session.scalars(
            select(Speaker)
            .where(Speaker.event_id == event.id)
            .order_by(func.lower(Speaker.name), Speaker.id)
        )
    )


def get_speaker(session: DbSession, event: Event, speaker_id: int) -> Speaker:
    """One speaker of ``event``; :class:`NotFound` otherwise."""
    found = session.get(Speaker, speaker_id) if 0 < speaker_id <= MAX_ID else None
    if found is None or found.event_id != event.id:
        raise NotFound(_("Unknown speaker."))
    return found


def add_availability(
    session: DbSession, event: Event, speaker_id: int, starts_at: datetime, ends_at: datetime
) -> Availability:
    """Add a window in which the speaker can speak; 422 when empty or overlapping another."""
    speaker = get_speaker(session, event, speaker_id)
    _check_moment(starts_at, "starts_at")
    _check_moment(ends_at, "ends_at")
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise ValidationFailed(
            _("Give times with a time zone."), fields={"starts_at": [_("Missing offset.")]}
        )
    if ends_at <= starts_at:
        raise ValidationFailed(
            _("The window must end after it starts."), fields={"ends_at": [_("Before the start.")]}
        )
    zone = ZoneInfo(event.timezone)
    for window in speaker.availability:
        if window.starts_at < ends_at and starts_at < window.ends_at:
            start, end = window.starts_at.astimezone(zone), window.ends_at.astimezone(zone)
            raise ValidationFailed(
                _(
                    "This window overlaps the window of %(name)s from %(start)s to %(end)s.",
                    name=speaker.name,
                    start=start.strftime("%Y-%m-%d %H:%M"),
                    end=end.strftime("%Y-%m-%d %H:%M"),
                ),
                fields={"starts_at": [_("Overlaps an existing window.")]},
            )
    window = Availability(speaker_id=speaker.id, starts_at=starts_at, ends_at=ends_at)
    speaker.availability.append(window)
    session.flush()
    return window


def remove_availability(session: DbSession, event: Event, speaker_id: int, window_id: int) -> None:
    """Remove one availability window of a speaker; :class:`NotFound` when it is not theirs."""
    speaker = get_speaker(session, event, speaker_id)
    window = next((w for w in speaker.availability if w.id == window_id), None)
    if window is None:
        raise NotFound(_("Unknown availability window."))
    speaker.availability.remove(window)
    session.flush()


@dataclass(frozen=True)
class SpeakerProfile:
    """The editable details of a speaker."""

    name: str
    email: str = ""
    affiliation: str = ""
    bio: str = ""
    photo_url: str = ""


def update_speaker(
    session: DbSession,
    event: Event,
    speaker_id: int,
    profile: SpeakerProfile,
    actor_id: int | None = None,
) -> Speaker:
    """Change a speaker's details; 422 on invalid fields, 409 when the e-mail is taken."""
    speaker = get_speaker(session, event, speaker_id)
    name = _clean_name(profile.name, "name", 200)
    email = (profile.email or "").strip().lower()
    affiliation = (profile.affiliation or "").strip()
    bio = (profile.bio or "").strip()
    photo_url = (profile.photo_url or "").strip()
    problems: dict[str, list[str]] = {}
    if email and (not _EMAIL.match(email) or len(email) > 254):
        problems["email"] = [_("Not an e-mail address.")]
    if len(affiliation) > 250:
        problems["affiliation"] = [_("At most %(n)s characters.", n=250)]
    if len(bio) > 20_000:
        problems["bio"] = [_("At most %(n)s characters.", n=20_000)]
    own_photo = re.fullmatch(rf"/{re.escape(event.slug)}/symposium/photos/\d+", photo_url)
    if photo_url and not own_photo and (not _PHOTO_URL.match(photo_url) or len(photo_url) > 500):
        problems["photo_url"] = [_("Use an http:// or https:// address.")]
    if problems:
        raise ValidationFailed(_("The speaker's details are invalid."), fields=problems)
    if email:
        taken = session.scalar(
            select(Speaker.id).where(
                Speaker.event_id == event.id, Speaker.email == email, Speaker.id != speaker.id
            )
        )
        if taken is not None:
            raise Conflict(
                _("Another speaker of this event has the e-mail %(email)s.", email=email),
                fields={"email": [_("Already used in this event.")]},
            )
    speaker.name, speaker.email, speaker.affiliation = name, email or None, affiliation
    speaker.bio, speaker.photo_url = bio, photo_url
    session.flush()
    audit.record(
        session, "symposium.speaker_updated", event_id=event.id, user_id=actor_id, speaker=name
    )
    return speaker


def get_track(session: DbSession, event: Event, track_id: int) -> Track:
    """One track of ``event``; :class:`NotFound` otherwise."""
    found = session.get(Track, track_id) if 0 < track_id <= MAX_ID else None
    if found is None or found.event_id != event.id:
        raise NotFound(_("Unknown track."))
    return found


def update_track(
    session: DbSession, event: Event, track_id: int, *, name: str, color: str
) -> Track:
    """Rename or recolour a track; 422 on an empty name or bad colour, 409 on a duplicate."""
    track = get_track(session, event, track_id)
    name = _clean_name(name, "name", 120)
    if not _COLOR.match(color or ""):
        raise ValidationFailed(_("Invalid colour."), fields={"color": [_("Use #rrggbb.")]})
    lock_event(session, event)
    taken = session.scalar(
        select(Track.id).where(
            Track.event_id == event.id,
            func.lower(Track.name) == name.lower(),
            Track.id != track.id,
        )
    )
    if taken is not None:
        raise Conflict(
            _("There is already a track called %(name)s.", name=name),
            fields={"name": [_("Already used in this event.")]},
        )
    track.name, track.color = name, color.lower()
    session.flush()
    return track


# -- sessions ----------------------------------------------------------------------------


@dataclass
class SessionInput:
    """The editable fields of a session (plain values, validated by :func:`validate_fields`)."""

    title: str
    kind: str = "talk"
    abstract: str = ""
    language: str = "id"
    duration_minutes: int = 30
    expected_audience: int = 0
    track_id: int | None = None
    fixed: bool = False
    signup_required: bool = False
    capacity: int | None = None


def validate_fields(data: SessionInput) -> SessionInput:
    """The values cleaned; :class:`ValidationFailed` names each invalid field."""
    problems: dict[str, list[str]] = {}
    data.title = (data.title or "").strip()
    if not data.title:
        problems["title"] = [_("Required.")]
    elif len(data.title) > 250:
        problems["title"] = [_("At most %(n)s characters.", n=250)]
    if data.kind not in SESSION_KINDS:
        problems["kind"] = [_("One of: %(kinds)s.", kinds=", ".join(SESSION_KINDS))]
    if not isinstance(data.duration_minutes, int) or not 0 < data.duration_minutes <= MAX_DURATION:
        problems["duration_minutes"] = [
            _("The duration must be between 1 and %(max)s minutes.", max=MAX_DURATION)
        ]
    if not isinstance(data.expected_audience, int) or data.expected_audience < 0:
        problems["expected_audience"] = [_("Must be 0 or more.")]
    if not re.match(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$", data.language or ""):
        problems["language"] = [_("A language code such as id or en.")]
    if data.capacity is not None and (not isinstance(data.capacity, int) or data.capacity <= 0):
        problems["capacity"] = [_("Must be 1 or more.")]
    if data.signup_required and data.capacity is None:
        problems["capacity"] = [_("Sign-up needs a capacity.")]
    if problems:
        raise ValidationFailed(_("Some fields are invalid."), fields=problems)
    return data


def _check_moment(value: datetime, field: str) -> None:
    """422 for a naive datetime or one too far from now to compute with."""
    if value.tzinfo is None:
        raise ValidationFailed(
            _("Give the start with a time zone offset."),
            fields={field: [_("Missing time zone offset.")]},
        )
    if not 1900 < value.year < 2900:
        raise ValidationFailed(
            _("The date is out of range."), fields={field: [_("Use a year between 1901 and 2899.")]}
        )


def _check_start(starts_at: datetime | None, room_id: int | None) -> None:
    if starts_at is not None:
        _check_moment(starts_at, "starts_at")
    if starts_at is not None and starts_at.tzinfo is None:
        raise ValidationFailed(
            _("Give the start with a time zone offset."),
            fields={"starts_at": [_("Missing time zone offset.")]},
        )
    if (starts_at is None) != (room_id is None):
        field = "room" if room_id is None else "starts_at"
        raise ValidationFailed(
            _("A session is placed with both a room and a start."),
            fields={field: [_("Required together with %(other)s.", other="room/starts_at")]},
        )


def _check_or_refuse(
    session: DbSession, event: Event, candidate: checks.Slot
) -> list[checks.Conflict]:
    """Warnings of ``candidate``; :class:`ScheduleConflict` when it has hard conflicts."""
    frame = programme_frame(session, event)
    others = [as_slot(s) for s in sessions(session, event)]
    found = checks.check_placement(candidate, others, frame)
    hard = checks.hard(found)
    if hard:
        raise ScheduleConflict(hard)
    return [c for c in found if c.severity == "warning"]


def create_session(
    session: DbSession,
    event: Event,
    data: SessionInput,
    speakers_given: Sequence[SpeakerInput],
    *,
    room_id: int | None = None,
    starts_at: datetime | None = None,
    actor_id: int | None = None,
) -> tuple[SymSession, list[checks.Conflict]]:
    """Create a session with its speakers, placed when ``room_id`` and ``starts_at`` are given.

    Returns the session and the placement's warnings.  Invalid values → 422; hard
    conflicts → :class:`ScheduleConflict` (409) and nothing is stored.
    """
    data = validate_fields(data)
    people = _validate_speakers(speakers_given)
    _check_start(starts_at, room_id)
    lock_event(session, event)
    warnings: list[checks.Conflict] = []
    if room_id is not None and starts_at is not None:
        known = [_existing_speaker(session, event, p) for p in people]
        candidate = checks.Slot(
            session_id=0,
            title=data.title,
            duration_minutes=data.duration_minutes,
            speaker_ids=frozenset(s.id for s in known if s is not None),
            room_id=room_id,
            starts_at=starts_at,
            track_id=data.track_id,
            expected_audience=data.expected_audience,
        )
        warnings = _check_or_refuse(session, event, candidate)
    item = SymSession(event_id=event.id, room_id=room_id, starts_at=starts_at, **vars(data))
    session.add(item)
    seen: set[int] = set()
    for position, given in enumerate(people):
        speaker = _speaker_for(session, event, given)
        if speaker.id in seen:
            continue
        seen.add(speaker.id)
        item.links.append(SessionSpeaker(speaker_id=speaker.id, position=position))
    session.flush()
    audit.record(
        session,
        "symposium.session_created",
        event_id=event.id,
        user_id=actor_id,
        session_id=item.id,
    )
    return item, warnings


def update_session(
    session: DbSession,
    event: Event,
    session_id: int,
    changes: dict[str, Any],
    *,
    actor_id: int | None = None,
) -> tuple[SymSession, list[checks.Conflict]]:
    """Change a session's fields and/or move, retime or unschedule it.

    ``changes`` may hold any :class:`SessionInput` field plus ``room_id`` and ``starts_at``
    (both ``None`` unschedules).  The placement is checked as in :func:`create_session`;
    a refused change raises before anything is modified.
    """
    lock_event(session, event)
    item = find_session(session, event, session_id)
    fields = {name: getattr(item, name) for name in SessionInput.__dataclass_fields__}
    unknown = set(changes) - set(fields) - {"room_id", "starts_at"}
    if unknown:
        raise ValidationFailed(
            _("Unknown fields."), fields={name: [_("Unknown field.")] for name in unknown}
        )
    fields.update({k: v for k, v in changes.items() if k in fields})
    data = validate_fields(SessionInput(**fields))
    room_id = changes.get("room_id", item.room_id)
    starts_at = changes.get("starts_at", item.starts_at)
    if "room_id" in changes and changes["room_id"] is None and "starts_at" not in changes:
        starts_at = None
    if "starts_at" in changes and changes["starts_at"] is None and "room_id" not in changes:
        room_id = None
    _check_start(starts_at, room_id)
    warnings: list[checks.Conflict] = []
    if room_id is not None and starts_at is not None:
        candidate = as_slot(item)
        candidate = checks.Slot(
            candidate.session_id,
            data.title,
            data.duration_minutes,
            candidate.speaker_ids,
            room_id,
            starts_at,
            data.track_id,
            data.expected_audience,
        )
        warnings = _check_or_refuse(session, event, candidate)
    for name, value in vars(data).items():
        setattr(item, name, value)
    item.room_id, item.starts_at = room_id, starts_at
    session.flush()
    session.expire(item, ["room", "track"])
    audit.record(
        session,
        "symposium.session_updated",
        event_id=event.id,
        user_id=actor_id,
        session_id=item.id,
        changes=sorted(changes),
    )
    return item, warnings


def place_session(
    session: DbSession,
    event: Event,
    session_id: int,
    room_id: int | None,
    starts_at: datetime | None,
    *,
    actor_id: int | None = None,
) -> list[checks.Conflict]:
    """Move a session to ``room_id`` at ``starts_at`` (both ``None``: unschedule); warnings."""
    _item, warnings = update_session(
        session,
        event,
        session_id,
        {"room_id": room_id, "starts_at": starts_at},
        actor_id=actor_id,
    )
    return warnings


def delete_session(session: DbSession, event: Event, session_id: int) -> None:
    """Remove a session (its speakers stay, for their other sessions)."""
    session.delete(find_session(session, event, session_id))
    session.flush()


def conflict_list(session: DbSession, event: Event) -> list[checks.Conflict]:
    """Every hard conflict and warning of the whole programme (hard ones first)."""
    found = checks.programme_conflicts(
        [as_slot(s) for s in sessions(session, event)], programme_frame(session, event)
    )
    return sorted(found, key=lambda c: c.severity != "hard")


# -- automatic scheduling ----------------------------------------------------------------


def unplaced_message(reason: str) -> str:
    """A translated explanation of an unplaced ``reason``."""
    messages = {
        "no_rooms": _("The event has no rooms."),
        "no_time_available": _(
            "No start fits the programme's hours and the speakers' availability."
        ),
        "blocked_by_placed_sessions": _("The sessions already placed leave no start for it."),
        "no_free_slot": _("No free room and time was left for it beside the other sessions."),
    }
    return messages.get(reason, reason)


def auto_schedule(
    session: DbSession, event: Event, *, actor_id: int | None = None
) -> tuple[int, list[dict[str, Any]]]:
    """Place every unscheduled session without a hard conflict (placed ones stay put).

    Returns the number placed and ``[{session: {id, title}, reason, message}]`` for the
    sessions that could not be placed.
    """
    lock_event(session, event)
    items = sessions(session, event)
    by_id = {s.id: s for s in items}
    frame = programme_frame(session, event)
    result = scheduler.schedule(
        [as_slot(s) for s in items], frame, [r.id for r in rooms(session, event)]
    )
    for session_id, (room_id, starts_at) in result.placements.items():
        by_id[session_id].room_id = room_id
        by_id[session_id].starts_at = starts_at
    session.flush()
    unplaced = [
        {
            "session": {"id": u.session_id, "title": by_id[u.session_id].title},
            "reason": u.reason,
            "message": unplaced_message(u.reason),
        }
        for u in result.unplaced
    ]
    audit.record(
        session,
        "symposium.auto_scheduled",
        event_id=event.id,
        user_id=actor_id,
        placed=len(result.placements),
        unplaced=len(unplaced),
    )
    return len(result.placements), unplaced


# -- the schedule as data ----------------------------------------------------------------


def schedule_item(item: SymSession, tz: str) -> dict[str, Any]:
    """A session as the API, the agenda, iCal and published versions show it."""
    zone = ZoneInfo(tz)
    return {
        "id": item.id,
        "uid": item.uid,
        "title": item.title,
        "kind": item.kind,
        "abstract": item.abstract,
        "language": item.language,
        "duration_minutes": item.duration_minutes,
        "expected_audience": item.expected_audience,
        "fixed": item.fixed,
        "starts_at": item.starts_at.astimezone(zone).isoformat() if item.starts_at else None,
        "ends_at": item.ends_at.astimezone(zone).isoformat() if item.ends_at else None,
        "room": {"id": item.room.id, "name": item.room.name} if item.room else None,
        "track": (
            {"id": item.track.id, "name": item.track.name, "color": item.track.color}
            if item.track
            else None
        ),
        "speakers": [
            {"id": s.id, "name": s.name, "affiliation": s.affiliation} for s in item.speakers
        ],
        "signup_required": item.signup_required,
        "capacity": item.capacity,
    }


def live_schedule(session: DbSession, event: Event) -> list[dict[str, Any]]:
    """The placed sessions now, in time order."""
    return [
        schedule_item(s, event.timezone)
        for s in sessions(session, event)
        if s.starts_at is not None
    ]


def session_counts(session: DbSession, event: Event) -> dict[str, int]:
    """``{total, unscheduled}`` sessions of the event."""
    total = session.scalar(select(func.count(SymSession.id)).where(SymSession.event_id == event.id))
    unscheduled = session.scalar(
        select(func.count(SymSession.id)).where(
            SymSession.event_id == event.id, SymSession.starts_at.is_(None)
        )
    )
    return {"total": int(total or 0), "unscheduled": int(unscheduled or 0)}


def clone_configuration(session: DbSession, source: Event, target: Event) -> None:
    """Copy ``source``'s rooms and tracks to ``target`` (never sessions, speakers or stars)."""
    for room in rooms(session, source):
        session.add(
            Room(
                event_id=target.id,
                name=room.name,
                capacity=room.capacity,
                position=room.position,
            )
        )
    for track in tracks(session, source):
        session.add(Track(event_id=target.id, name=track.name, color=track.color))
    session.flush()

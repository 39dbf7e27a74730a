"""The pure conflict checker: plain values in, a list of conflicts out (no database, no Flask).

A placement is a session in a room at an aware start time.  **Hard** conflicts refuse it:

* ``room_overlap``      - the room holds another session at that time;
* ``speaker_overlap``   - a speaker is in another session at that time;
* ``speaker_buffer``    - a speaker's sessions are closer than ``buffer_minutes`` apart;
* ``outside_event_days`` - the session does not start on one of the event's days;
* ``outside_day_hours`` - it does not fit between ``day_starts`` and ``day_ends`` that day
  (in the event's time zone);
* ``speaker_unavailable`` - a speaker with availability windows has none covering it.

**Warnings** are shown but allowed:

* ``room_capacity``     - the room has fewer seats than the expected audience;
* ``speaker_busy_day``  - a speaker has more than ``BUSY_DAY_SESSIONS`` sessions that day;
* ``track_parallel``    - another session of the same track runs at the same time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

HARD_KINDS = (
    "room_overlap",
    "speaker_overlap",
    "speaker_buffer",
    "outside_event_days",
    "outside_day_hours",
    "speaker_unavailable",
)
WARNING_KINDS = ("room_capacity", "speaker_busy_day", "track_parallel")
# A speaker with more sessions than this on one day gets a warning.
BUSY_DAY_SESSIONS = 3


@dataclass(frozen=True)
class Slot:
    """A session as the checker sees it; ``room_id``/``starts_at`` are ``None`` when unplaced."""

    session_id: int
    title: str
    duration_minutes: int
    speaker_ids: frozenset[int] = frozenset()
    room_id: int | None = None
    starts_at: datetime | None = None
    track_id: int | None = None
    expected_audience: int = 0

    @property
    def ends_at(self) -> datetime | None:
        """The end of the session, when placed."""
        if self.starts_at is None:
            return None
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    def placed_at(self, room_id: int, starts_at: datetime) -> Slot:
        """This session moved to ``room_id`` at ``starts_at``."""
        return Slot(
            self.session_id,
            self.title,
            self.duration_minutes,
            self.speaker_ids,
            room_id,
            starts_at,
            self.track_id,
            self.expected_audience,
        )


@dataclass
class Programme:
    """Everything a check needs besides the sessions: days, hours, zone, rooms, people."""

    days: Sequence[date]
    timezone: str
    day_starts: time
    day_ends: time
    buffer_minutes: int
    room_names: dict[int, str] = field(default_factory=dict)
    room_capacities: dict[int, int] = field(default_factory=dict)
    speaker_names: dict[int, str] = field(default_factory=dict)
    # speaker id -> windows (aware start, aware end); absent or empty = always available
    availability: dict[int, list[tuple[datetime, datetime]]] = field(default_factory=dict)

    def day_window(self, day: date) -> tuple[datetime, datetime]:
        """The programme's hours on ``day`` as aware datetimes in the event's zone."""
        zone = ZoneInfo(self.timezone)
        return (
            datetime.combine(day, self.day_starts, tzinfo=zone),
            datetime.combine(day, self.day_ends, tzinfo=zone),
        )

    def local_day(self, moment: datetime) -> date:
        """The date of ``moment`` in the event's zone."""
        return moment.astimezone(ZoneInfo(self.timezone)).date()


@dataclass(frozen=True)
class Conflict:
    """One problem with a placement; ``severity`` is ``hard`` or ``warning``."""

    kind: str
    severity: str
    message: str
    session: dict[str, Any] | None = None
    speaker: dict[str, Any] | None = None
    room: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        """The JSON form: ``{kind, severity, message, session, speaker, room}``."""
        return {
            "kind": self.kind,
            "severity": self.severity,
            "message": self.message,
            "session": self.session,
            "speaker": self.speaker,
            "room": self.room,
        }


def _ref(slot: Slot) -> dict[str, Any]:
    return {"id": slot.session_id, "title": slot.title}


def _overlaps(a: Slot, b: Slot, gap_minutes: int = 0) -> bool:
    """Whether ``a`` and ``b`` are closer than ``gap_minutes`` (0: they overlap)."""
    assert a.starts_at and b.starts_at and a.ends_at and b.ends_at
    gap = timedelta(minutes=gap_minutes)
    return a.starts_at < b.ends_at + gap and b.starts_at < a.ends_at + gap


def check_placement(
    candidate: Slot, others: Iterable[Slot], programme: Programme
) -> list[Conflict]:
    """Every hard conflict and warning of ``candidate`` (placed) among ``others``.

    ``others`` may contain ``candidate`` itself (by id) and unplaced sessions; both are
    ignored.  Hard conflicts come first.
    """
    if candidate.starts_at is None or candidate.room_id is None:
        return []
    placed = [
        o
        for o in others
        if o.session_id != candidate.session_id and o.starts_at is not None and o.room_id
    ]
    hard = _calendar_conflicts(candidate, programme)
    hard += _room_conflicts(candidate, placed, programme)
    hard += _speaker_conflicts(candidate, placed, programme)
    hard += _availability_conflicts(candidate, programme)
    return hard + _warnings(candidate, placed, programme)


def _room_ref(room_id: int, programme: Programme) -> dict[str, Any]:
    return {"id": room_id, "name": programme.room_names.get(room_id, str(room_id))}


def _speaker_ref(speaker_id: int, programme: Programme) -> dict[str, Any]:
    return {"id": speaker_id, "name": programme.speaker_names.get(speaker_id, str(speaker_id))}


def _calendar_conflicts(candidate: Slot, programme: Programme) -> list[Conflict]:
    assert candidate.starts_at and candidate.ends_at
    day = programme.local_day(candidate.starts_at)
    if day not in set(programme.days):
        return [
            Conflict(
                "outside_event_days",
                "hard",
                _("%(day)s is not one of the event's days.", day=day.isoformat()),
            )
        ]
    opens, closes = programme.day_window(day)
    if candidate.starts_at < opens or candidate.ends_at > closes:
        return [
            Conflict(
                "outside_day_hours",
                "hard",
                _(
                    "The session must fit between %(start)s and %(end)s (%(zone)s).",
                    start=programme.day_starts.strftime("%H:%M"),
                    end=programme.day_ends.strftime("%H:%M"),
                    zone=programme.timezone,
                ),
            )
        ]
    return []


def _room_conflicts(candidate: Slot, placed: list[Slot], programme: Programme) -> list[Conflict]:
    assert candidate.room_id is not None
    room = _room_ref(candidate.room_id, programme)
    return [
        Conflict(
            "room_overlap",
            "hard",
            _(
                "%(room)s already holds “%(title)s” at that time.",
                room=room["name"],
                title=other.title,
            ),
            session=_ref(other),
            room=room,
        )
        for other in placed
        if other.room_id == candidate.room_id and _overlaps(candidate, other)
    ]


def _speaker_conflicts(candidate: Slot, placed: list[Slot], programme: Programme) -> list[Conflict]:
    found: list[Conflict] = []
    for other in placed:
        for speaker_id in sorted(candidate.speaker_ids & other.speaker_ids):
            speaker = _speaker_ref(speaker_id, programme)
            if _overlaps(candidate, other):
                kind = "speaker_overlap"
                text = _(
                    "%(speaker)s is already speaking in “%(title)s” at that time.",
                    speaker=speaker["name"],
                    title=other.title,
                )
            elif _overlaps(candidate, other, programme.buffer_minutes):
                kind = "speaker_buffer"
                text = _(
                    "%(speaker)s needs %(minutes)s minutes between this session and “%(title)s”.",
                    speaker=speaker["name"],
                    minutes=programme.buffer_minutes,
                    title=other.title,
                )
            else:
                continue
            found.append(
                Conflict(
                    kind,
                    "hard",
                    text,
                    session=_ref(other),
                    speaker=speaker,
                )
            )
    return found


def _availability_conflicts(candidate: Slot, programme: Programme) -> list[Conflict]:
    assert candidate.starts_at and candidate.ends_at
    found: list[Conflict] = []
    for speaker_id in sorted(candidate.speaker_ids):
        windows = programme.availability.get(speaker_id) or []
        if not windows or any(
            start <= candidate.starts_at and candidate.ends_at <= end for start, end in windows
        ):
            continue
        speaker = _speaker_ref(speaker_id, programme)
        found.append(
            Conflict(
                "speaker_unavailable",
                "hard",
                _("%(speaker)s is not available at that time.", speaker=speaker["name"]),
                speaker=speaker,
            )
        )
    return found


def _warnings(candidate: Slot, placed: list[Slot], programme: Programme) -> list[Conflict]:
    assert candidate.starts_at is not None and candidate.room_id is not None
    found: list[Conflict] = []
    capacity = programme.room_capacities.get(candidate.room_id)
    if capacity is not None and capacity < candidate.expected_audience:
        room = _room_ref(candidate.room_id, programme)
        found.append(
            Conflict(
                "room_capacity",
                "warning",
                _(
                    "%(room)s seats %(capacity)s, %(audience)s are expected.",
                    room=room["name"],
                    capacity=capacity,
                    audience=candidate.expected_audience,
                ),
                room=room,
            )
        )
    day = programme.local_day(candidate.starts_at)
    for speaker_id in sorted(candidate.speaker_ids):
        same_day = [
            o
            for o in placed
            if speaker_id in o.speaker_ids
            and o.starts_at is not None
            and programme.local_day(o.starts_at) == day
        ]
        if len(same_day) + 1 > BUSY_DAY_SESSIONS:
            speaker = _speaker_ref(speaker_id, programme)
            found.append(
                Conflict(
                    "speaker_busy_day",
                    "warning",
                    _(
                        "%(speaker)s has %(count)s sessions on %(day)s.",
                        speaker=speaker["name"],
                        count=len(same_day) + 1,
                        day=day.isoformat(),
                    ),
                    speaker=speaker,
                )
            )
    if candidate.track_id is not None:
        found.extend(
            Conflict(
                "track_parallel",
                "warning",
                _("“%(title)s” of the same track runs at the same time.", title=other.title),
                session=_ref(other),
            )
            for other in placed
            if other.track_id == candidate.track_id and _overlaps(candidate, other)
        )
    return found


def hard(conflicts: Iterable[Conflict]) -> list[Conflict]:
    """Only the hard conflicts."""
    return [c for c in conflicts if c.severity == "hard"]


def programme_conflicts(slots: Sequence[Slot], programme: Programme) -> list[Conflict]:
    """Every conflict in the whole programme (each pair reported from both sides once).

    A busy day is reported once per speaker and day, with the day's full count (checking
    each session only against the later ones would give one lower count per session).
    """
    placed = [s for s in slots if s.starts_at is not None and s.room_id is not None]
    found: list[Conflict] = []
    for index, slot in enumerate(placed):
        for conflict in check_placement(slot, placed[index + 1 :], programme):
            if conflict.kind == "speaker_busy_day":
                continue
            found.append(
                Conflict(
                    conflict.kind,
                    conflict.severity,
                    f"“{slot.title}”: {conflict.message}",
                    conflict.session,
                    conflict.speaker,
                    conflict.room,
                )
            )
    return found + _busy_days(placed, programme)


def _busy_days(placed: Sequence[Slot], programme: Programme) -> list[Conflict]:
    per_day: dict[tuple[int, date], int] = {}
    for slot in placed:
        assert slot.starts_at is not None
        day = programme.local_day(slot.starts_at)
        for speaker_id in slot.speaker_ids:
            per_day[(speaker_id, day)] = per_day.get((speaker_id, day), 0) + 1
    found: list[Conflict] = []
    for (speaker_id, day), count in sorted(per_day.items()):
        if count > BUSY_DAY_SESSIONS:
            speaker = _speaker_ref(speaker_id, programme)
            found.append(
                Conflict(
                    "speaker_busy_day",
                    "warning",
                    _(
                        "%(speaker)s has %(count)s sessions on %(day)s.",
                        speaker=speaker["name"],
                        count=count,
                        day=day.isoformat(),
                    ),
                    speaker=speaker,
                )
            )
    return found

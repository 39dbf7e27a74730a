"""The Symposium section of API.md under ``/api/v1/events/<event>/``.

A refused placement answers 409 with the API's error document whose ``error.conflicts``
lists each hard conflict ``{kind, severity, message, session, speaker, room}``; the same
list is repeated at the top level as ``conflicts`` (API.md: ``409 {conflicts: [...]}``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from flask import jsonify
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, Field

from core.api import (
    ApiBlueprint,
    api_event,
    endpoint,
    error_body,
    organizer_event,
    page,
    pagination,
    parse_body,
    require_user,
)
from core.api import schemas as s
from core.api.schemas import IsoDateTime
from core.db import get_session
from core.services.errors import NotFound, ValidationFailed
from core.web import commit, is_event_organizer, lean, lean_event, signed_in_user
from plugins.symposium import engagement, notify, services, serving, versions
from plugins.symposium.page_cache import Built

MAX_CACHED_OFFSET = 10_000

api_bp = ApiBlueprint("symposium_api", __name__, url_prefix="/api/v1/events/<event>")

TAGS = ["Symposium"]
Name = Annotated[str, Field(min_length=1, max_length=250)]
RoomRef = int | Annotated[str, Field(min_length=1, max_length=120)]


class RoomIn(s.Strict):
    """A new room."""

    name: Annotated[str, Field(min_length=1, max_length=120)]
    capacity: Annotated[int, Field(ge=0, le=100_000)]


class RoomOut(BaseModel):
    """A room."""

    id: int
    name: str
    capacity: int


class TrackIn(s.Strict):
    """A new track."""

    name: Annotated[str, Field(min_length=1, max_length=120)]
    color: Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")] = "#1f6feb"


class SpeakerIn(s.Strict):
    """A speaker of a session; matched to an existing speaker by e-mail."""

    name: Annotated[str, Field(min_length=1, max_length=200)]
    email: Annotated[str, Field(max_length=254)] = ""
    affiliation: Annotated[str, Field(max_length=250)] = ""


class SessionIn(s.Strict):
    """A new session, optionally placed (``room`` as id or name, and ``starts_at``)."""

    title: Name
    kind: Literal["keynote", "panel", "talk", "workshop"]
    abstract: Annotated[str, Field(max_length=20_000)] = ""
    duration_minutes: Annotated[int, Field(gt=0, le=services.MAX_DURATION)]
    speakers: Annotated[list[SpeakerIn], Field(max_length=50)] = []
    room: RoomRef | None = None
    starts_at: IsoDateTime | None = None
    track: RoomRef | None = None
    language: Annotated[str, Field(min_length=2, max_length=8)] = "id"
    expected_audience: Annotated[int, Field(ge=0, le=1_000_000)] = 0
    fixed: bool = False
    signup_required: bool = False
    capacity: Annotated[int, Field(ge=1, le=1_000_000)] | None = None


class SessionPatch(s.Strict):
    """Changes to a session; ``room`` and ``starts_at`` both ``null`` unschedule it.

    Only ``room``, ``starts_at``, ``track`` and ``capacity`` may be ``null``; the other
    fields default to ``None`` only to tell "absent" (an explicit ``null`` is refused).
    """

    model_config = ConfigDict(extra="forbid", json_schema_extra=s.without_null_defaults)

    title: Name = None  # type: ignore[assignment]
    kind: Literal["keynote", "panel", "talk", "workshop"] = None  # type: ignore[assignment]
    abstract: Annotated[str, Field(max_length=20_000)] = None  # type: ignore[assignment]
    duration_minutes: Annotated[int, Field(gt=0, le=services.MAX_DURATION)] = None  # type: ignore[assignment]
    room: RoomRef | None = None
    starts_at: IsoDateTime | None = None
    track: RoomRef | None = None
    language: Annotated[str, Field(min_length=2, max_length=8)] = None  # type: ignore[assignment]
    expected_audience: Annotated[int, Field(ge=0, le=1_000_000)] = None  # type: ignore[assignment]
    fixed: bool = None  # type: ignore[assignment]
    signup_required: bool = None  # type: ignore[assignment]
    capacity: Annotated[int, Field(ge=1, le=1_000_000)] | None = None


class Ref(BaseModel):
    """An id and a name or title."""

    id: int
    name: str | None = None
    title: str | None = None


class ConflictOut(BaseModel):
    """One conflict of a placement."""

    kind: str
    severity: Literal["hard", "warning"]
    message: str
    session: Ref | None = None
    speaker: Ref | None = None
    room: Ref | None = None


class SessionOut(BaseModel):
    """A session with its room, track and speakers (times in the event's zone)."""

    id: int
    title: str
    kind: str
    abstract: str
    language: str
    duration_minutes: int
    expected_audience: int
    fixed: bool
    starts_at: datetime | None
    ends_at: datetime | None
    room: Ref | None
    track: dict[str, Any] | None
    speakers: list[dict[str, Any]]
    warnings: list[ConflictOut] = []


class ScheduleOut(BaseModel):
    """Placed sessions in time order; ``version`` is the published version shown (or null)."""

    items: list[SessionOut]
    total: int
    version: int | None = None


class AutoOut(BaseModel):
    """The automatic scheduler's summary."""

    placed: int
    unplaced: list[dict[str, Any]]


class AvailabilityIn(s.Strict):
    """A window in which a speaker can speak."""

    starts_at: IsoDateTime
    ends_at: IsoDateTime


class PublishIn(s.Strict):
    """An optional note for the new version."""

    comment: Annotated[str, Field(max_length=500)] = ""


def _conflict_response(exc: services.ScheduleConflict) -> ResponseReturnValue:
    body = error_body(exc.code, exc.message, exc.fields, conflicts=exc.conflicts)
    body["conflicts"] = exc.conflicts
    return jsonify(body), 409


def _session_json(item: Any, event: Any, warnings: list[Any] | None = None) -> dict[str, Any]:
    data = services.schedule_item(item, event.timezone)
    data["warnings"] = [w.as_dict() for w in warnings or []]
    return data


@api_bp.post("/rooms")
@endpoint(
    summary="Add a symposium room",
    tags=TAGS,
    body=RoomIn,
    response=RoomOut,
    status=201,
    errors=(400, 401, 403, 404, 409, 413, 422),
    auth=True,
)
def create_room(event: str) -> ResponseReturnValue:
    """409 when the event already has a room of that name."""
    target = organizer_event(event)
    data = parse_body(RoomIn)
    user = signed_in_user()
    room = services.create_room(
        get_session(),
        target,
        name=data.name,
        capacity=data.capacity,
        actor_id=user.id if user else None,
    )
    commit()
    return jsonify({"id": room.id, "name": room.name, "capacity": room.capacity}), 201


@api_bp.get("/rooms")
@endpoint(summary="The symposium's rooms", tags=TAGS, errors=(404,))
def list_rooms(event: str) -> ResponseReturnValue:
    """Every room in display order."""
    target = api_event(event)
    items = [
        {"id": r.id, "name": r.name, "capacity": r.capacity}
        for r in services.rooms(get_session(), target)
    ]
    return jsonify(page(items, len(items)))


@api_bp.post("/tracks")
@endpoint(
    summary="Add a symposium track",
    tags=TAGS,
    body=TrackIn,
    status=201,
    errors=(400, 401, 403, 404, 409, 413, 422),
    auth=True,
)
def create_track(event: str) -> ResponseReturnValue:
    """409 when the event already has a track of that name."""
    target = organizer_event(event)
    data = parse_body(TrackIn)
    track = services.create_track(get_session(), target, name=data.name, color=data.color)
    commit()
    return jsonify({"id": track.id, "name": track.name, "color": track.color}), 201


@api_bp.post("/sessions")
@endpoint(
    summary="Create a session, optionally placed",
    tags=TAGS,
    body=SessionIn,
    response=SessionOut,
    status=201,
    errors=(400, 401, 403, 404, 409, 413, 422),
    auth=True,
)
def create_session(event: str) -> ResponseReturnValue:
    """409 ``{conflicts: [...]}`` when the room or a speaker is taken or it falls outside."""
    target = organizer_event(event)
    data = parse_body(SessionIn)
    db = get_session()
    room_id = services.resolve_room(db, target, data.room)
    track_id = services.resolve_track(db, target, data.track)
    fields = services.SessionInput(
        title=data.title,
        kind=data.kind,
        abstract=data.abstract,
        language=data.language,
        duration_minutes=data.duration_minutes,
        expected_audience=data.expected_audience,
        track_id=track_id,
        fixed=data.fixed,
        signup_required=data.signup_required,
        capacity=data.capacity,
    )
    people = [services.SpeakerInput(p.name, p.email, p.affiliation) for p in data.speakers]
    user = signed_in_user()
    try:
        item, warnings = services.create_session(
            db,
            target,
            fields,
            people,
            room_id=room_id,
            starts_at=data.starts_at,
            actor_id=user.id if user else None,
        )
    except services.ScheduleConflict as exc:
        return _conflict_response(exc)
    commit()
    return jsonify(_session_json(item, target, warnings)), 201


@api_bp.get("/sessions")
@endpoint(
    summary="Every session, unscheduled ones included (organizers)",
    tags=TAGS,
    errors=(401, 403, 404, 422),
    auth=True,
    query={"limit": s.LIMIT_PARAM, "offset": s.OFFSET_PARAM},
)
def list_sessions(event: str) -> ResponseReturnValue:
    """Placed sessions in time order, then the unscheduled ones."""
    target = organizer_event(event)
    limit, offset = pagination()
    items = [
        services.schedule_item(i, target.timezone) for i in services.sessions(get_session(), target)
    ]
    return jsonify(page(items[offset : offset + limit], len(items)))


@api_bp.get("/sessions/<int:session_id>")
@endpoint(summary="One session", tags=TAGS, response=SessionOut, errors=(404,))
def get_one_session(event: str, session_id: int) -> ResponseReturnValue:
    """Organizers see any session; others only placed ones of the visible schedule."""
    target = api_event(event)
    db = get_session()
    if is_event_organizer(target):
        return jsonify(_session_json(services.find_session(db, target, session_id), target))
    for item in versions.visible_schedule(db, target):
        if item["id"] == session_id:
            return jsonify(item)
    raise NotFound(_("Unknown session."))


@api_bp.patch("/sessions/<int:session_id>")
@endpoint(
    summary="Move, retime, unschedule or edit a session",
    tags=TAGS,
    body=SessionPatch,
    response=SessionOut,
    errors=(400, 401, 403, 404, 409, 413, 422),
    auth=True,
)
def patch_session(event: str, session_id: int) -> ResponseReturnValue:
    """Same 409 rules as creation; a refused change leaves the session as it was."""
    target = organizer_event(event)
    data = parse_body(SessionPatch)
    db = get_session()
    given = data.model_fields_set
    changes: dict[str, Any] = {}
    for name in (
        "title",
        "kind",
        "abstract",
        "duration_minutes",
        "language",
        "expected_audience",
        "fixed",
        "signup_required",
        "capacity",
    ):
        if name in given:
            value = getattr(data, name)
            if value is None and name != "capacity":
                raise ValidationFailed(
                    _("Some fields are invalid."), fields={name: [_("May not be null.")]}
                )
            changes[name] = value
    if "room" in given:
        changes["room_id"] = services.resolve_room(db, target, data.room)
    if "starts_at" in given:
        changes["starts_at"] = data.starts_at
    if "track" in given:
        changes["track_id"] = services.resolve_track(db, target, data.track)
    user = signed_in_user()
    try:
        item, warnings = services.update_session(
            db, target, session_id, changes, actor_id=user.id if user else None
        )
    except services.ScheduleConflict as exc:
        return _conflict_response(exc)
    commit()
    return jsonify(_session_json(item, target, warnings))


@api_bp.delete("/sessions/<int:session_id>")
@endpoint(summary="Delete a session", tags=TAGS, status=204, errors=(401, 403, 404), auth=True)
def delete_session(event: str, session_id: int) -> ResponseReturnValue:
    """The speakers stay (they may speak elsewhere)."""
    target = organizer_event(event)
    services.delete_session(get_session(), target, session_id)
    commit()
    return "", 204


@api_bp.post("/speakers/<int:speaker_id>/availability")
@endpoint(
    summary="Add a speaker availability window",
    tags=TAGS,
    body=AvailabilityIn,
    status=201,
    errors=(400, 401, 403, 404, 413, 422),
    auth=True,
)
def add_availability(event: str, speaker_id: int) -> ResponseReturnValue:
    """422 when the window is empty or overlaps another window of the speaker."""
    target = organizer_event(event)
    data = parse_body(AvailabilityIn)
    window = services.add_availability(
        get_session(), target, speaker_id, data.starts_at, data.ends_at
    )
    commit()
    return jsonify(
        {
            "id": window.id,
            "starts_at": window.starts_at.isoformat(),
            "ends_at": window.ends_at.isoformat(),
        }
    ), 201


@api_bp.post("/schedule/auto")
@endpoint(
    summary="Place every unscheduled session automatically",
    tags=TAGS,
    response=AutoOut,
    errors=(400, 401, 403, 404),
    auth=True,
)
def auto_schedule(event: str) -> ResponseReturnValue:
    """Placed sessions stay; each one left out comes with its reason."""
    target = organizer_event(event)
    user = signed_in_user()
    placed, unplaced = services.auto_schedule(
        get_session(), target, actor_id=user.id if user else None
    )
    commit()
    return jsonify({"placed": placed, "unplaced": unplaced})


@api_bp.get("/schedule")
@endpoint(
    summary="The schedule: sessions in time order with room and speakers",
    tags=TAGS,
    response=ScheduleOut,
    errors=(404, 422),
    query={"limit": s.LIMIT_PARAM, "offset": s.OFFSET_PARAM},
)
@lean
def get_schedule(event: str) -> ResponseReturnValue:
    """Visitors see the newest published version (the live one before any); organizers live.

    Anonymous callers on a published event take the lean path: the answer comes from the
    programme cache, one statement for the content stamp (see ``serving``).
    """
    limit, offset = pagination()
    anonymous = lean_event() is not None and signed_in_user() is None
    target: Any = serving.programme_event() if anonymous else api_event(event)
    organizer = not anonymous and is_event_organizer(target)

    def build() -> Built:
        db = get_session()
        full = api_event(event)
        items = versions.visible_schedule(db, full, organizer=organizer)
        latest = versions.latest_version(db, full)
        body = page(items[offset : offset + limit], len(items))
        body["version"] = None if organizer or latest is None else latest.number
        return Built.from_parts([jsonify(body).get_data()], [])

    if organizer or offset > MAX_CACHED_OFFSET:  # the live schedule; a far page: not kept
        return serving.respond(
            build(), mimetype="application/json", cache_control="private, no-cache"
        )
    built = serving.cached(target, "schedule", (limit, offset), build)
    stamp = serving.stamp_of(target.id)
    return serving.respond(built, mimetype="application/json", last_modified=stamp.changed_at)


@api_bp.get("/schedule/conflicts")
@endpoint(summary="Every conflict and warning", tags=TAGS, errors=(401, 403, 404), auth=True)
def list_conflicts(event: str) -> ResponseReturnValue:
    """Hard conflicts first, then warnings."""
    target = organizer_event(event)
    items = [c.as_dict() for c in services.conflict_list(get_session(), target)]
    return jsonify(page(items, len(items)))


@api_bp.post("/schedule/publish")
@endpoint(
    summary="Publish the schedule as a new version",
    tags=TAGS,
    body=PublishIn,
    status=201,
    errors=(400, 401, 403, 404, 409, 413, 422),
    auth=True,
)
def publish(event: str) -> ResponseReturnValue:
    """409 when nothing changed since the last version."""
    target = organizer_event(event)
    data = parse_body(PublishIn)
    user = signed_in_user()
    version = versions.publish(
        get_session(), target, comment=data.comment, actor_id=user.id if user else None
    )
    commit()
    return jsonify({"number": version.number, "changes": version.changes}), 201


@api_bp.get("/schedule/versions")
@endpoint(summary="Published versions with their changes", tags=TAGS, errors=(404,))
def list_versions(event: str) -> ResponseReturnValue:
    """Newest first."""
    target = api_event(event)
    items = [
        {
            "number": v.number,
            "comment": v.comment,
            "published_at": v.published_at.isoformat(),
            "changes": v.changes,
        }
        for v in versions.versions(get_session(), target)
    ]
    return jsonify(page(items, len(items)))


@api_bp.post("/sessions/<int:session_id>/signup")
@endpoint(
    summary="Sign up for a session (or join its wait list)",
    tags=TAGS,
    status=201,
    errors=(401, 404, 409),
    auth=True,
)
def sign_up(event: str, session_id: int) -> ResponseReturnValue:
    """``{status: confirmed|waitlisted}``; 409 when already signed up or no sign-up."""
    target = api_event(event)
    user = require_user()
    signup = engagement.sign_up(get_session(), target, session_id, user)
    commit()
    return jsonify({"status": signup.status}), 201


@api_bp.delete("/sessions/<int:session_id>/signup")
@endpoint(summary="Cancel a sign-up", tags=TAGS, errors=(401, 404), auth=True)
def cancel_signup(event: str, session_id: int) -> ResponseReturnValue:
    """The freed seat goes to the first on the wait list."""
    target = api_event(event)
    user = require_user()
    db = get_session()
    promoted = engagement.cancel_signup(db, target, session_id, user)
    notify.seat_freed(db, target, promoted)
    commit()
    return jsonify({"cancelled": True, "promoted": promoted is not None})

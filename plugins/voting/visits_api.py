"""The judges' visits part of API.md: plan, list and move visits (on the Voting API blueprint)."""

from __future__ import annotations

from datetime import time
from typing import Any

from flask import jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from pydantic import BaseModel, Field

from core.api import (
    ApiError,
    api_event,
    endpoint,
    organizer_event,
    pagination,
    parse_body,
    require_user,
    translated,
)
from core.api.schemas import LIMIT_PARAM, OFFSET_PARAM, IsoDateTime
from core.db import get_session
from core.i18n import Msg, translate
from core.services.errors import Conflict
from core.web import commit, is_event_organizer, registry
from plugins.voting import visit_json, visits
from plugins.voting.api import BODY_ERRORS, bp
from plugins.voting.assignment import is_judge
from plugins.voting.schemas import Strict

TAGS = ["Voting"]
HOUR_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


class VisitPlanIn(Strict):
    """The window in which judges visit booths, and the pace."""

    starts_at: IsoDateTime
    ends_at: IsoDateTime
    minutes_per_visit: int = Field(ge=1, le=visits.MAX_MINUTES)
    changeover_minutes: int = Field(ge=0, le=visits.MAX_CHANGEOVER)
    daily_start: str | None = Field(
        default=None,
        pattern=HOUR_PATTERN,
        description="Each day's opening (HH:MM, event time); with daily_end: no visit at night",
    )
    daily_end: str | None = Field(
        default=None, pattern=HOUR_PATTERN, description="Each day's closing (HH:MM, event time)"
    )


def hour(value: str | None) -> time | None:
    """An ``HH:MM`` text (already checked by the schema) as a time of day."""
    return None if value is None else time.fromisoformat(value)


class VisitPlanOut(BaseModel):
    """How many visits the plan holds, how many were kept and added, and who is left out."""

    placed: int
    kept: int
    added: int
    unplaced: list[dict[str, Any]]


class VisitOut(BaseModel):
    """A judge's visit to an innovation's booth."""

    id: int
    judge: dict[str, Any]
    innovation: dict[str, Any]
    organization: dict[str, Any]
    booth: dict[str, Any] | None
    starts_at: str
    ends_at: str
    manual: bool
    conflicts: list[dict[str, Any]]


class VisitList(BaseModel):
    """Visits in time order."""

    items: list[VisitOut]
    total: int


class VisitMoveIn(Strict):
    """The visit's new start."""

    starts_at: IsoDateTime


def localized(value: Any) -> Any:
    """``value`` with every :class:`Msg` in it translated for the caller."""
    if isinstance(value, Msg):
        return translate(value)
    if isinstance(value, dict):
        return {k: localized(v) for k, v in value.items()}
    if isinstance(value, list):
        return [localized(v) for v in value]
    return value


@bp.post("/visits/auto")
@endpoint(
    summary="Plan the judges' booth visits of the current stage",
    tags=TAGS,
    body=VisitPlanIn,
    response=VisitPlanOut,
    errors=(*BODY_ERRORS, 409),
    auth=True,
)
def plan_visits(event: str) -> ResponseReturnValue:
    """Every assignment gets a slot when possible; visits that still hold are kept."""
    target = organizer_event(event)
    data = parse_body(VisitPlanIn)
    report = visits.auto_plan(
        get_session(),
        registry(),
        target,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        minutes_per_visit=data.minutes_per_visit,
        changeover_minutes=data.changeover_minutes,
        daily_start=hour(data.daily_start),
        daily_end=hour(data.daily_end),
        actor_id=require_user().id,
    )
    commit()
    report["unplaced"] = [visit_json.unplaced_json(item) for item in report["unplaced"]]
    return jsonify(localized(report))


@bp.get("/visits")
@endpoint(
    summary="Judges' visits: all (organizer), the caller's (judge=me), to own booth (exhibitor)",
    tags=TAGS,
    response=VisitList,
    errors=(401, 403, 404, 422),
    auth=True,
    query={
        "judge": {"type": "string", "enum": ["me", ""], "description": "'me': own visits"},
        "limit": LIMIT_PARAM,
        "offset": OFFSET_PARAM,
    },
)
def list_visits(event: str) -> ResponseReturnValue:
    """Organizers see every visit; a judge their own; an exhibitor the visits to their booth."""
    user = require_user()
    target = api_event(event)
    session = get_session()
    limit, offset = pagination()
    who = request.args.get("judge", "")
    if who not in ("", "me"):
        raise ApiError(422, "validation_failed", _("Use judge=me."), {"judge": [_("Use 'me'.")]})
    organizer = is_event_organizer(target)
    if who == "me" or (not organizer and is_judge(session, target, user)):
        if not is_judge(session, target, user):
            raise ApiError(403, "forbidden", _("Only judges have visits."))
        found = visits.rows(session, registry(), target, judge_id=user.id)
    elif organizer:
        found = visits.rows(session, registry(), target)
    else:
        agencies = visit_json.exhibiting_organizations(session, target, user)
        if not agencies:
            raise ApiError(403, "forbidden", _("Only organizers, judges and exhibitors may."))
        found = visits.rows(session, registry(), target, organization_ids=agencies)
    items = [localized(visit_json.row_json(row)) for row in found[offset : offset + limit]]
    return jsonify({"items": items, "total": len(found)})


@bp.patch("/visits/<int:id>")
@endpoint(
    summary="Move a visit by hand (the planner's checks apply)",
    tags=TAGS,
    body=VisitMoveIn,
    response=VisitOut,
    errors=(*BODY_ERRORS, 409),
    auth=True,
)
def move_visit(event: str, id: int) -> ResponseReturnValue:
    """409 ``conflicts`` when the judge, the booth or the agency is taken then."""
    target = organizer_event(event)
    data = parse_body(VisitMoveIn)
    session = get_session()
    try:
        visits.move_visit(
            session, registry(), target, id, data.starts_at, actor_id=require_user().id
        )
    except Conflict as exc:
        raise translated(Conflict(exc.message, **localized(exc.extra))) from exc
    commit()
    row = next(r for r in visits.rows(session, registry(), target) if r.visit.id == id)
    return jsonify(localized(visit_json.row_json(row)))

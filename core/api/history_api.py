"""Innovations across the years over the JSON API: history and awards (API.md, issue 15)."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask.typing import ResponseReturnValue
from pydantic import BaseModel, Field

from core.api import (
    ApiBlueprint,
    api_event,
    endpoint,
    organizer_event,
    page,
    parse_body,
    require_user,
    translated,
)
from core.api.schemas import NON_BLANK, Strict
from core.db import get_session
from core.services import awards, history
from core.services.errors import ServiceError
from core.web import commit, is_event_organizer, registry

bp = ApiBlueprint("history_api", __name__, url_prefix="/api/v1")
TAGS = ["Innovations across years"]


class HistoryEntryOut(BaseModel):
    """One edition of the innovation: the event, how far it went, its awards that year."""

    event: str
    year: int
    innovation: int
    title: str
    status: str
    stage_reached: str | None
    rank: int | None
    awards: list[str]


class ReplicationOut(BaseModel):
    """Another agency that adopted the innovation, and where and when."""

    organization: str
    region: str
    year: int
    event: str
    innovation: int
    title: str


class HistoryOut(BaseModel):
    """The innovation's editions (oldest first), what it replicates, who replicated it."""

    items: list[HistoryEntryOut]
    replicates: dict[str, Any] | None
    replications: list[ReplicationOut]


class AwardIn(Strict):
    """An award for one of the event's innovations (entries); ``rank`` orders places."""

    innovation: int = Field(ge=1, le=2**31 - 1)
    title: str = Field(min_length=1, max_length=awards.MAX_TITLE, json_schema_extra=NON_BLANK)
    rank: int | None = Field(default=None, ge=1, le=100000)
    published: bool = False


class AwardOut(BaseModel):
    """An award with its innovation and agency."""

    id: int
    innovation: dict[str, Any]
    title: str
    rank: int | None
    published: bool


class AwardPage(BaseModel):
    """The event's awards (published ones only, unless the caller organizes the event)."""

    items: list[AwardOut]
    total: int


@bp.get("/innovations/<int:innovation_id>/history")
@endpoint(
    summary="An innovation's editions, awards and replications",
    tags=TAGS,
    response=HistoryOut,
    errors=(404,),
)
def innovation_history(innovation_id: int) -> ResponseReturnValue:
    """Published (and archived) events only; any entry's id gives the same history."""
    try:
        found = history.history(get_session(), registry(), innovation_id, public=True)
    except ServiceError as exc:
        raise translated(exc) from None
    return jsonify(history.history_json(found))


@bp.get("/events/<event>/awards")
@endpoint(summary="The event's awards", tags=TAGS, response=AwardPage, errors=(404,))
def list_awards(event: str) -> ResponseReturnValue:
    """Organizers see every award; anyone else the published ones."""
    target = api_event(event)
    items = awards.list_awards(get_session(), target, public=not is_event_organizer(target))
    return jsonify(page([awards.award_json(a) for a in items], len(items)))


@bp.post("/events/<event>/awards")
@endpoint(
    summary="Record an award (organizer)",
    tags=TAGS,
    body=AwardIn,
    response=AwardOut,
    status=201,
    errors=(400, 401, 403, 404, 409, 413, 422),
    auth=True,
)
def create_award(event: str) -> ResponseReturnValue:
    """422 when the innovation is not the event's; 409 when it already has this title."""
    target = organizer_event(event)
    data = parse_body(AwardIn)
    session = get_session()
    try:
        award = awards.record_award(
            session,
            target,
            innovation_id=data.innovation,
            title=data.title,
            rank=data.rank,
            published=data.published,
            actor_id=require_user().id,
        )
    except ServiceError as exc:
        raise translated(exc) from None
    body = awards.award_json(award)
    commit()
    return jsonify(body), 201

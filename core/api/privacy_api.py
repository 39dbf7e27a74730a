"""The personal-data API: event privacy notices, "Data saya" and erasing one's account."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from flask import current_app, jsonify
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from pydantic import BaseModel, ConfigDict, Field

from core.api import (
    ApiBlueprint,
    ApiError,
    api_event,
    endpoint,
    organizer_event,
    parse_body,
    require_user,
)
from core.api.schemas import NON_BLANK, Email, Strict
from core.db import get_session
from core.extensions import limiter
from core.services import privacy
from core.services.errors import ServiceError
from core.sessions import sign_out
from core.web import commit, registry

bp = ApiBlueprint("privacy_api", __name__, url_prefix="/api/v1")


Purpose = Annotated[str, Field(min_length=1, max_length=300, json_schema_extra=NON_BLANK)]


class PrivacyNoticeIn(Strict):
    """An event's privacy notice as the organizer sets it (``notice`` may be left out)."""

    controller: str = Field(min_length=1, max_length=250, json_schema_extra=NON_BLANK)
    contact_email: Email
    purposes: list[Purpose] = Field(min_length=1, max_length=privacy.MAX_PURPOSES)
    retention_days: int = Field(ge=1, le=privacy.MAX_RETENTION_DAYS)
    notice: str = Field(default="", max_length=20000)


class PrivacyNoticeOut(BaseModel):
    """Who controls the event's personal data, why, for how long; ``version`` rises on edit."""

    controller: str
    contact_email: str
    purposes: list[str]
    retention_days: int
    notice: str
    version: int
    updated_at: datetime


class MyData(BaseModel):
    """Everything stored about the caller, one section per kind of record."""

    model_config = ConfigDict(extra="allow")

    account: dict[str, Any]
    roles: list[dict[str, Any]]
    organizations: list[dict[str, Any]]
    registrations: list[dict[str, Any]]
    passes: list[dict[str, Any]]
    votes: list[dict[str, Any]]
    agenda: list[dict[str, Any]]
    assignments: list[dict[str, Any]]
    scores: list[dict[str, Any]]
    audit: list[dict[str, Any]]


class EraseRequest(Strict):
    """The account's password, to confirm the erasure."""

    password: str = Field(min_length=1, max_length=1000)


def notice_json(notice: dict[str, Any]) -> dict[str, Any]:
    """A notice as the API answers it."""
    return {**notice, "updated_at": notice["updated_at"].isoformat()}


def _service_error(exc: ServiceError) -> ApiError:
    fields = {name: [_(p) for p in problems] for name, problems in exc.fields.items()}
    return ApiError(exc.status, exc.code, _("Some fields are invalid."), fields)


@bp.get("/events/<event>/privacy")
@endpoint(
    summary="The event's privacy notice",
    tags=["Privacy"],
    response=PrivacyNoticeOut,
    errors=(404,),
)
def get_privacy(event: str) -> ResponseReturnValue:
    """Until the organizer edits it, a default naming the organizers (``version`` 1)."""
    return jsonify(notice_json(privacy.get_notice(get_session(), api_event(event))))


@bp.put("/events/<event>/privacy")
@endpoint(
    summary="Replace the event's privacy notice (organizer)",
    tags=["Privacy"],
    body=PrivacyNoticeIn,
    response=PrivacyNoticeOut,
    errors=(400, 401, 403, 404, 413, 422),
    auth=True,
)
def put_privacy(event: str) -> ResponseReturnValue:
    """Every change raises ``version``; the same values again change nothing."""
    target = organizer_event(event)
    data = parse_body(PrivacyNoticeIn)
    session = get_session()
    try:
        notice = privacy.update_notice(
            session, target, data.model_dump(), actor_id=require_user().id
        )
    except ServiceError as exc:
        session.rollback()
        raise _service_error(exc) from None
    commit()
    return jsonify(notice_json(notice))


@bp.get("/me/data")
@endpoint(
    summary='Everything stored about the caller ("Data saya")',
    tags=["Privacy"],
    response=MyData,
    errors=(401,),
    auth=True,
)
def my_data() -> ResponseReturnValue:
    """Core's records and every plugin's (``on_personal_data_collect``)."""
    return jsonify(privacy.collect(get_session(), registry(), require_user()))


@bp.delete("/me")
@limiter.limit(
    lambda: current_app.config["SIGNIN_RATE_LIMIT"],
    key_func=lambda: f"erase|{get_remote_address()}",
    deduct_when=lambda response: response.status_code == 403,
    error_message=lambda: _("Too many failed attempts. Try again later."),
)
@endpoint(
    summary="Erase the caller's account and personal data",
    tags=["Privacy"],
    body=EraseRequest,
    status=204,
    errors=(400, 401, 403, 409, 413, 422, 429),
    auth=True,
)
def erase_me() -> ResponseReturnValue:
    """A wrong ``password`` answers 403 ``wrong_password``; the last site admin 409.

    Name, e-mail, phone and free text about the person are erased; every session and token
    stops working; submitted score sheets, registrations and votes stay without the person.
    The e-mail may sign up again as a new account.
    """
    user = require_user()
    data = parse_body(EraseRequest)
    session = get_session()
    try:
        privacy.erase_own_account(session, registry(), user, data.password)
    except ServiceError as exc:
        session.rollback()
        if exc.status != 403:
            raise _service_error(exc) from None
        fields = {name: [_(p) for p in problems] for name, problems in exc.fields.items()}
        raise ApiError(403, "wrong_password", _("The password is not correct."), fields) from None
    commit()
    sign_out()
    return "", 204

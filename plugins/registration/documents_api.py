"""The registration's required documents in the API (eligibility rule ``required_documents``).

API.md names no document endpoint; these are the documented additions (see
``docs/plugins/registration.md``):

* ``POST …/registrations`` may carry ``documents: [{key, filename, content}]`` (``content``
  in base64), stored before the eligibility check;
* ``PUT …/registrations/{id}/documents/{key}`` with ``{filename, content}`` replaces one
  (the organizers, or the registration's contact, while it can be changed and the window
  is open); ``DELETE`` removes one from a draft (409 once submitted).

The files travel inside JSON, so they fit in the API's body limit (``API_MAX_JSON_BYTES``,
1 MB by default); bigger files go through the registration pages.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from flask import current_app, jsonify
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, Field

from core.api import (
    ApiBlueprint,
    ApiError,
    api_event,
    endpoint,
    from_service_error,
    parse_body,
    require_user,
)
from core.db import get_session, utcnow
from core.services.errors import ServiceError
from core.web import commit, is_event_organizer
from plugins.registration import documents, services

api = ApiBlueprint("registration_documents_api", __name__, url_prefix="/api/v1/events/<event>")
TAGS = ["Registration"]
_BASE64 = {"contentEncoding": "base64"}


class DocumentIn(BaseModel):
    """A required document's file, base64-encoded (the body stays within the JSON limit)."""

    model_config = ConfigDict(extra="forbid")

    key: str = Field(max_length=40, description="One of the event's `required_documents` keys.")
    filename: str = Field(default="document", max_length=255)
    content: str = Field(
        max_length=16 * 1024 * 1024,
        description="The file (PDF or image, at most 10 MB) in base64.",
        json_schema_extra=_BASE64,
    )


class FileIn(BaseModel):
    """One document's file, base64-encoded."""

    model_config = ConfigDict(extra="forbid")

    filename: str = Field(default="document", max_length=255)
    content: str = Field(
        max_length=16 * 1024 * 1024,
        description="The file (PDF or image, at most 10 MB) in base64.",
        json_schema_extra=_BASE64,
    )


class DocumentOut(BaseModel):
    """A labelled document the registration uploaded (the file itself is not included)."""

    key: str
    filename: str
    content_type: str
    size: int


def _decode(content: str, field: str) -> bytes:
    try:
        return base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        problems = {field: [_("Not valid base64.")]}
        raise ApiError(422, "validation_failed", _("Some fields are invalid."), problems) from None


def decode_files(items: list[DocumentIn]) -> list[documents.DocumentInput]:
    """The sent documents as :class:`documents.DocumentInput`; 422 on bad base64."""
    return [
        documents.DocumentInput(
            item.key, item.filename, _decode(item.content, f"documents.{index}.content")
        )
        for index, item in enumerate(items)
    ]


def storage() -> documents.Storage:
    """The upload folder and storage caps of this application."""
    config = current_app.config
    return documents.Storage(
        upload_dir=config["UPLOAD_FOLDER"],
        registration_limit=config["UPLOAD_QUOTA_REGISTRATION_BYTES"],
        event_limit=config["UPLOAD_QUOTA_EVENT_BYTES"],
    )


def _registration(event: str, id: int) -> tuple[Any, Any]:
    """The event and registration the caller may change: its organizers or its contact."""
    user = require_user()
    target = api_event(event)
    try:
        registration = services.get_registration(get_session(), target, id)
    except ServiceError as exc:
        raise from_service_error(exc) from None
    if not (is_event_organizer(target) or services.is_contact(registration, user)):
        raise ApiError(403, "forbidden", _("Only the organizers or the contact may do this."))
    return target, registration


@api.put("/registrations/<int:id>/documents/<key>")
@endpoint(
    summary="Upload or replace a required document of a registration",
    tags=TAGS,
    body=FileIn,
    response=DocumentOut,
    auth=True,
    errors=(400, 401, 403, 404, 409, 413, 422),
)
def put_document(event: str, id: int, key: str) -> ResponseReturnValue:
    """The organizers or the contact, while the registration can change and the window is open."""
    target, registration = _registration(event, id)
    data = parse_body(FileIn)
    content = _decode(data.content, "content")
    session = get_session()
    settings = services.event_settings(target)
    try:
        services.check_window(target, settings, utcnow())
        documents.store(
            session,
            target,
            registration,
            settings,
            documents.DocumentInput(key, data.filename, content),
            storage(),
        )
    except ServiceError as exc:  # a refused file names ``documents.<key>``
        raise from_service_error(exc) from None
    upload = documents.uploaded(session, registration)[key]
    commit()
    return jsonify(
        {
            "key": key,
            "filename": upload.filename,
            "content_type": upload.content_type,
            "size": upload.size,
        }
    )


@api.delete("/registrations/<int:id>/documents/<key>")
@endpoint(
    summary="Remove a document of a draft registration",
    tags=TAGS,
    status=204,
    auth=True,
    errors=(401, 403, 404, 409),
)
def delete_document(event: str, id: int, key: str) -> ResponseReturnValue:
    """The organizers or the contact; only from a draft (409 once submitted)."""
    _target, registration = _registration(event, id)
    try:
        documents.remove(get_session(), registration, key, storage())
    except ServiceError as exc:
        raise from_service_error(exc) from None
    commit()
    return "", 204

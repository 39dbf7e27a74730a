"""The JSON API base: blueprints, auth, errors, body parsing, pagination, OpenAPI metadata.

Plugins build their API with :class:`ApiBlueprint` and :func:`endpoint`; core does the
rest (bearer tokens, CSRF for browser sessions, the error shape of API.md, body limits,
the OpenAPI document).  Request bodies are validated by pydantic models, which also give
the OpenAPI schemas, so the contract and the validation cannot drift apart.

Bad input never reaches the database: bodies over ``API_MAX_JSON_BYTES`` answer 413,
malformed JSON (or ``NaN``, a key given twice, or a body that is not an object) 400, and
strings the databases cannot store (:func:`core.input_gate.unstorable`: NUL and other
control characters, lone surrogates) 400 in the URL or 422 in a body.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, current_app, g, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import HTTPException

from core.i18n import translate, translate_fields
from core.input_gate import unstorable as _unstorable
from core.input_gate import unstorable_fields
from core.services.errors import ServiceError
from core.services.plugin_settings import pydantic_fields

M = TypeVar("M", bound=BaseModel)
DEFAULT_LIMIT = 50
MAX_LIMIT = 500
# Largest id or offset accepted from a client (the databases' 32-bit integer range).
MAX_INT = 2**31 - 1
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_NO_BODY = object()
_BEARER_CHECKED = "gelar.bearer_checked"
# A whole number in a query string: ASCII digits with an optional minus, at most 12 of them.
_DIGITS = re.compile(r"-?[0-9]{1,12}")


class ApiBlueprint(Blueprint):
    """A blueprint whose views speak JSON: bearer auth, CSRF only for browser sessions."""

    is_api = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.before_request(_api_before_request)


class ApiError(HTTPException):
    """An error answered as ``{"error": {"code", "message", "fields"}}``."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: dict[str, list[str]] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(description=message)
        self.code = status
        self.error_code = code
        self.fields = fields or {}
        self.extra = extra

    def get_headers(self, *args: Any, **kwargs: Any) -> list[tuple[str, str]]:
        """Headers of the error response; 401 tells clients to use a bearer token."""
        headers = list(super().get_headers(*args, **kwargs))
        if self.code == 401:
            headers.append(("WWW-Authenticate", 'Bearer realm="gelar"'))
        return headers


def _api_before_request() -> None:
    """Checks every API request passes before its view runs.

    A body over the JSON limit → 413; a bearer token is resolved (401 when bad); browser
    sessions need a CSRF token to write.  Unstorable text anywhere in the request was
    already refused by the app-wide input gate (:mod:`core.input_gate`).
    """
    limit_body_size()
    authenticate_bearer()
    if g.get("api_bearer") or request.method in _SAFE_METHODS or not _has_browser_cookie():
        return
    from flask_login import current_user

    from core.extensions import csrf

    if current_user.is_authenticated and current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()


def _has_browser_cookie() -> bool:
    """Whether the request carries a session or remember-me cookie (else nobody is signed in)."""
    config = current_app.config
    names = (config["SESSION_COOKIE_NAME"], config.get("REMEMBER_COOKIE_NAME", "remember_token"))
    return any(name in request.cookies for name in names)


def limit_body_size() -> None:
    """413 when the body exceeds ``API_MAX_JSON_BYTES`` (file uploads keep the app limit)."""
    limit = current_app.config.get("API_MAX_JSON_BYTES")
    if not limit or request.mimetype == "multipart/form-data":
        return
    request.max_content_length = min(limit, current_app.config.get("MAX_CONTENT_LENGTH") or limit)
    if request.content_length is not None and request.content_length > request.max_content_length:
        raise ApiError(
            413,
            "too_large",
            _("The request body is larger than %(limit)s bytes.", limit=request.max_content_length),
        )


def _check_stream_size(raw: bytes) -> None:
    """413 for a body without Content-Length (chunked) that filled the whole allowance.

    Werkzeug stops reading such a stream at the limit without complaint; one more byte
    from the server's stream tells whether the client sent more.
    """
    limit = request.max_content_length
    if request.content_length is not None or limit is None or len(raw) < limit:
        return
    if request.environ["wsgi.input"].read(1):
        raise ApiError(
            413, "too_large", _("The request body is larger than %(limit)s bytes.", limit=limit)
        )


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in JSON")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object's members; a key given twice makes the body malformed (not last-wins)."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def json_body() -> Any:
    """The decoded JSON body (``None`` when there is none); 400 when it is not valid JSON.

    Decoded once per request.  ``NaN`` and ``Infinity`` are refused, as is any body sent
    without a JSON content type.
    """
    value = _decoded_body()
    return None if value is _NO_BODY else value


def _decoded_body() -> Any:
    cached = request.environ.get("gelar.api_json")
    if cached is not None:
        return cached[0]
    raw = request.get_data(cache=True)
    _check_stream_size(raw)
    if not raw.strip():
        value: Any = _NO_BODY
    elif not request.is_json:
        raise ApiError(
            400, "malformed_json", _("Send the body as JSON (Content-Type: application/json).")
        )
    else:
        try:
            value = json.loads(raw, parse_constant=_reject_constant, object_pairs_hook=_unique_keys)
        except (ValueError, RecursionError):
            raise ApiError(
                400, "malformed_json", _("The request body is not valid JSON.")
            ) from None
    request.environ["gelar.api_json"] = (value,)
    return value


def decoded_json_or_none() -> Any:
    """The decoded JSON body, or ``None`` when there is none or it is malformed.

    For checks that run before the view (the input gate); the view still answers 400
    for a malformed body.  A body over the limit answers 413 at once (its stream has
    been read past the limit to find out, which cannot be repeated).
    """
    try:
        value = _decoded_body()
    except ApiError as exc:
        if exc.error_code == "too_large":
            raise
        return None
    return None if value is _NO_BODY else value


def json_object(*, required: bool = False) -> dict[str, Any]:
    """The JSON body as an object of storable values: 400 if not an object, 422 on bad strings.

    An absent body counts as ``{}`` unless ``required``.
    """
    payload = _decoded_body()
    if payload is _NO_BODY and not required:
        payload = {}
    if not isinstance(payload, dict):
        raise ApiError(400, "malformed_json", _("The request body must be a JSON object."))
    problems = unstorable_fields(payload)
    if problems:
        raise ApiError(422, "validation_failed", _("Some fields are invalid."), problems)
    return payload


def parse_body(model: type[M]) -> M:
    """Parse and validate the JSON body: 400 when malformed or absent, 422 when invalid.

    Validation follows JSON Schema, which the OpenAPI document promises: types are strict
    (``false`` is not an integer, ``0`` or ``"0"`` is not a date, ``"5"`` is not a number)
    and a number with a zero fraction (``124.0``) is an integer, as JSON Schema says.
    """
    payload = json_object(required=True)
    try:
        return model.model_validate_json(json.dumps(integral_floats(payload)), strict=True)
    except ValidationError as exc:
        raise ApiError(
            422, "validation_failed", _("Some fields are invalid."), pydantic_fields(exc)
        ) from None


def integral_floats(value: Any) -> Any:
    """``value`` with every float that has no fraction (``124.0``) turned into an int.

    JSON Schema counts ``124.0`` as an integer; number fields accept ints either way.
    """
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: integral_floats(item) for key, item in value.items()}
    if isinstance(value, list):
        return [integral_floats(item) for item in value]
    return value


def pagination() -> tuple[int, int]:
    """``limit`` (default 50, max 500) and ``offset`` from the query string; 422 if bad."""
    fields: dict[str, list[str]] = {}
    values: dict[str, int] = {}
    for name, default, low, high in (
        ("limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
        ("offset", 0, 0, MAX_INT),
    ):
        raw = request.args.get(name, "")
        if raw == "":
            values[name] = default
            continue
        if not _DIGITS.fullmatch(raw):
            fields[name] = [_("Must be a whole number.")]
            continue
        value = int(raw)
        if not low <= value <= high:
            fields[name] = [_("Must be between %(low)s and %(high)s.", low=low, high=high)]
            continue
        values[name] = value
    if fields:
        raise ApiError(422, "validation_failed", _("Invalid pagination."), fields)
    return values["limit"], values["offset"]


def query_int(name: str) -> int | None:
    """An optional whole-number query parameter (an id); 422 when it is not one."""
    raw = request.args.get(name, "")
    if raw == "":
        return None
    value = int(raw) if _DIGITS.fullmatch(raw) else -1
    if not 0 < value <= MAX_INT:
        raise ApiError(
            422, "validation_failed", _("Invalid filter."), {name: [_("Must be an id.")]}
        )
    return value


def page(items: list[Any], total: int) -> dict[str, Any]:
    """The list document ``{"items": [...], "total": N}``."""
    return {"items": items, "total": total}


def error_body(
    code: str, message: str, fields: dict[str, list[str]] | None = None, **extra: Any
) -> dict[str, Any]:
    """The API's error document."""
    body: dict[str, Any] = {"code": code, "message": message, "fields": fields or {}}
    body.update(extra)
    return {"error": body}


def error_response(
    status: int, code: str, message: str, fields: dict[str, list[str]] | None = None, **extra: Any
) -> ResponseReturnValue:
    """A Flask response carrying the API's error document."""
    return jsonify(error_body(code, message, fields, **extra)), status


def from_service_error(exc: ServiceError) -> ApiError:
    """Translate a service error into an :class:`ApiError`."""
    return ApiError(
        exc.status,
        exc.code,
        translate(exc.message),
        translate_fields(exc.fields),
        **exc.extra,
    )


def translated(exc: ServiceError) -> ApiError:
    """:func:`from_service_error` with the message and field messages translated (``N_``)."""
    return ApiError(
        exc.status,
        exc.code,
        _(exc.message),
        {name: [_(m) for m in messages] for name, messages in exc.fields.items()},
        **exc.extra,
    )


def require_user() -> Any:
    """The caller (bearer or session); 401 when there is none."""
    from core.web import signed_in_user

    user = signed_in_user()
    if user is None:
        raise ApiError(401, "unauthorized", _("Sign in or send a bearer token."))
    return user


def endpoint(
    *,
    summary: str,
    tags: list[str],
    body: type[BaseModel] | dict[str, Any] | Callable[[Any], dict[str, Any]] | None = None,
    response: type[BaseModel] | dict[str, Any] | Callable[[Any], dict[str, Any]] | None = None,
    status: int = 200,
    errors: tuple[int, ...] = (),
    auth: bool = False,
    query: dict[str, dict[str, Any]] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Attach OpenAPI metadata to an API view (read by :mod:`core.api.openapi`).

    ``body`` and ``response`` are pydantic models, JSON schemas, or callables that take
    the app and return a JSON schema (for schemas that depend on the installed plugins).
    ``errors`` lists the error statuses the endpoint may answer besides the generic ones.
    """

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        view._openapi = {  # type: ignore[attr-defined]
            "summary": summary,
            "tags": tags,
            "body": body,
            "response": response,
            "status": status,
            "errors": errors,
            "auth": auth,
            "query": query or {},
            "doc": (view.__doc__ or "").strip(),
        }
        return view

    return decorate


def authenticate_bearer() -> None:
    """Resolve ``Authorization: Bearer`` into ``g.api_user``; 401 on a bad token.

    Runs at most once per request: the plugin gate calls it before the API blueprint's own
    hook when it needs to know the caller (a draft event's plugin API).
    """
    from core.db import get_session
    from core.models import ApiToken
    from core.services.accounts import resolve_api_token
    from core.services.sessions import needs_token_touch
    from core.sessions import touch

    if request.environ.get(_BEARER_CHECKED):
        return
    g.pop("api_user", None)
    g.pop("api_bearer", None)
    g.pop("api_token_id", None)
    header = request.headers.get("Authorization", "")
    if not header:
        request.environ[_BEARER_CHECKED] = True
        return
    scheme, _sep, raw = header.partition(" ")
    raw = raw.strip()
    if scheme.lower() != "bearer" or not raw:
        raise ApiError(401, "unauthorized", _("Use 'Authorization: Bearer <token>'."))
    if len(raw) > 200 or _unstorable(raw):
        raise ApiError(401, "invalid_token", _("The token is unknown or has expired."))
    found = resolve_api_token(get_session(), raw)
    if found is None:
        raise ApiError(401, "invalid_token", _("The token is unknown or has expired."))
    token, user = found
    if needs_token_touch(token):
        touch(ApiToken, token)
    g.api_user = user
    g.api_bearer = True
    g.api_token_id = token.id
    request.environ[_BEARER_CHECKED] = True


def api_event(slug: str) -> Any:
    """The event the caller may see: 404 ``not_found`` when unknown or a hidden draft."""
    from flask_babel import gettext
    from werkzeug.exceptions import NotFound as HttpNotFound

    from core.web import load_event

    try:
        return load_event(slug)
    except HttpNotFound:
        raise ApiError(404, "not_found", gettext("Unknown event.")) from None


def organizer_event(slug: str) -> Any:
    """The event, when the caller organizes it: 401 without credentials, 403 otherwise."""
    from flask_babel import gettext

    from core.web import is_event_organizer

    require_user()
    event = api_event(slug)
    if not is_event_organizer(event):
        raise ApiError(403, "forbidden", gettext("Only the event's organizers may do this."))
    return event

"""The JSON API base: blueprints, auth, errors, body parsing, pagination, OpenAPI metadata.

Plugins build their API with :class:`ApiBlueprint` and :func:`endpoint`; core does the
rest (bearer tokens, CSRF for browser sessions, the error shape of API.md, the OpenAPI
document).  Request bodies are validated by pydantic models, which also give the OpenAPI
schemas, so the contract and the validation cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue
from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import HTTPException

from core.services.errors import ServiceError
from core.services.plugin_settings import pydantic_fields

M = TypeVar("M", bound=BaseModel)
DEFAULT_LIMIT = 50
MAX_LIMIT = 500


class ApiBlueprint(Blueprint):
    """A blueprint whose views speak JSON: bearer auth, CSRF only for browser sessions."""

    is_api = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.before_request(_api_before_request)


def _api_before_request() -> None:
    """Bearer auth for API views; browser sessions still need a CSRF token to write."""
    authenticate_bearer()
    if g.get("api_bearer") or request.method in {"GET", "HEAD", "OPTIONS"}:
        return
    from flask import current_app
    from flask_login import current_user

    from core.extensions import csrf

    if current_user.is_authenticated and current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()


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


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None, **extra: Any) -> dict[str, Any]:
    """The API's error document."""
    body: dict[str, Any] = {"code": code, "message": message, "fields": fields or {}}
    body.update(extra)
    return {"error": body}


def error_response(status: int, code: str, message: str, fields: dict[str, list[str]] | None = None, **extra: Any) -> ResponseReturnValue:
    """A Flask response carrying the API's error document."""
    return jsonify(error_body(code, message, fields, **extra)), status


def from_service_error(exc: ServiceError) -> ApiError:
    """Translate a service error into an :class:`ApiError`."""
    return ApiError(exc.status, exc.code, exc.message, exc.fields, **exc.extra)


def parse_body(model: type[M]) -> M:
    """Parse and validate the JSON body: 400 when malformed, 422 with fields when invalid."""
    if not request.data:
        payload: Any = {}
    else:
        payload = request.get_json(silent=True)
        if payload is None:
            raise ApiError(400, "malformed_json", "The request body is not valid JSON.")
    if not isinstance(payload, dict):
        raise ApiError(400, "malformed_json", "The request body must be a JSON object.")
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        raise ApiError(422, "validation_failed", "Some fields are invalid.", pydantic_fields(exc)) from None


def pagination() -> tuple[int, int]:
    """``limit`` (default 50, max 500) and ``offset`` from the query string; 422 if bad."""
    fields: dict[str, list[str]] = {}
    values = {}
    for name, default, top in (("limit", DEFAULT_LIMIT, MAX_LIMIT), ("offset", 0, None)):
        raw = request.args.get(name)
        if raw is None or raw == "":
            values[name] = default
            continue
        try:
            value = int(raw)
        except ValueError:
            fields[name] = ["Must be a whole number."]
            continue
        if value < (1 if name == "limit" else 0) or (top is not None and value > top):
            fields[name] = [f"Must be between {1 if name == 'limit' else 0} and {top}." if top else "Must be 0 or more."]
            continue
        values[name] = value
    if fields:
        raise ApiError(422, "validation_failed", "Invalid pagination.", fields)
    return values["limit"], values["offset"]


def page(items: list[Any], total: int) -> dict[str, Any]:
    """The list document ``{"items": [...], "total": N}``."""
    return {"items": items, "total": total}


def require_user() -> Any:
    """The caller (bearer or session); 401 when there is none."""
    from core.web import signed_in_user

    user = signed_in_user()
    if user is None:
        raise ApiError(401, "unauthorized", "Sign in or send a bearer token.")
    return user


def endpoint(
    *,
    summary: str,
    tags: list[str],
    body: type[BaseModel] | None = None,
    response: type[BaseModel] | dict[str, Any] | None = None,
    status: int = 200,
    errors: tuple[int, ...] = (),
    auth: bool = False,
    query: dict[str, dict[str, Any]] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Attach OpenAPI metadata to an API view (read by :mod:`core.api.openapi`)."""

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
    """Resolve ``Authorization: Bearer`` into ``g.api_user``; 401 on a bad token."""
    from core.db import get_session
    from core.services.accounts import user_for_api_token

    header = request.headers.get("Authorization", "")
    if not header:
        return
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise ApiError(401, "unauthorized", "Use 'Authorization: Bearer <token>'.")
    user = user_for_api_token(get_session(), raw.strip())
    if user is None:
        raise ApiError(401, "invalid_token", "The token is unknown or has expired.")
    g.api_user = user
    g.api_bearer = True

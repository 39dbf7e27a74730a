"""Service-level errors, translated to form messages or the API's JSON error shape."""

from __future__ import annotations


class ServiceError(Exception):
    """Base class: ``status`` is the HTTP status the API answers with, ``code`` a machine code."""

    status = 400
    code = "bad_request"

    def __init__(
        self, message: str, *, fields: dict[str, list[str]] | None = None, **extra: object
    ) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        self.extra = extra


class ValidationFailed(ServiceError):
    """Well-formed but invalid values (422)."""

    status = 422
    code = "validation_failed"


class Conflict(ServiceError):
    """Conflicts with the current state: duplicates, closed windows (409)."""

    status = 409
    code = "conflict"


class NotFound(ServiceError):
    """The object does not exist or is not visible to the caller (404)."""

    status = 404
    code = "not_found"


class Forbidden(ServiceError):
    """Authenticated but not allowed (403)."""

    status = 403
    code = "forbidden"


class StorageFull(ServiceError):
    """An upload would pass a storage cap (413)."""

    status = 413
    code = "too_large"

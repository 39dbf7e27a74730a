"""Request ids and structured logs.

Every request gets an id: the ``X-Request-ID`` header a proxy sent (nginx's
``$request_id``, see ``deploy/nginx-gelar.conf``) when it is a plain token, else a new one.
It is echoed in the response's ``X-Request-ID`` and added to every log record made while
the request runs (``record.request_id``).  With ``LOG_JSON`` the ``gelar`` loggers write one
JSON object per line (time, level, logger, message, request id, and for the access line
method, path, status and duration), for a log shipper to index.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from typing import Any

from flask import Flask, g, has_request_context, request

HEADER = "X-Request-ID"
_VALID = re.compile(r"[A-Za-z0-9._-]{1,64}")
access_log = logging.getLogger("gelar.access")


def request_id() -> str:
    """The current request's id (``"-"`` outside a request)."""
    if has_request_context():
        return str(g.get("request_id", "-"))
    return "-"


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record (``"-"`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Always keeps the record."""
        record.request_id = request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record."""

    FIELDS = ("method", "path", "status", "duration_ms", "remote")

    def format(self, record: logging.LogRecord) -> str:
        """The record as a JSON line."""
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for name in self.FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def init_app(app: Flask) -> None:
    """Give every request an id; with ``LOG_JSON`` log JSON lines and one access line."""
    logger = logging.getLogger("gelar")
    if not any(isinstance(f, RequestIdFilter) for f in logger.filters):
        logger.addFilter(RequestIdFilter())
    json_logs = bool(app.config.get("LOG_JSON"))
    if json_logs and not any(getattr(h, "gelar_json", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter())
        handler.addFilter(RequestIdFilter())
        handler.gelar_json = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False

    @app.before_request
    def _assign_request_id() -> None:
        given = request.headers.get(HEADER, "")
        g.request_id = given if _VALID.fullmatch(given) else uuid.uuid4().hex
        if json_logs:
            g.request_started = time.perf_counter()

    @app.after_request
    def _echo_request_id(response: Any) -> Any:
        response.headers[HEADER] = g.get("request_id", "-")
        if json_logs:
            started = g.get("request_started", time.perf_counter())
            access_log.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "remote": request.remote_addr,
                },
            )
        return response

"""The Redis client of an app (``GELAR_REDIS_URL``), shared by its extensions.

One client (and so one connection pool) per app, built on first use; ``None`` when no
Redis is configured.  Used by the event cache's shared version, the mail queue, the
readiness probe and the metrics.  Flask-Limiter keeps its own connection.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

_KEY = "gelar_redis"
# Short timeouts: a hot path asking Redis must not hang on an unreachable server.
SOCKET_TIMEOUT_SECONDS = 0.5


def redis_client(app: Flask) -> Any | None:
    """The app's Redis client, or ``None`` without ``REDIS_URL``."""
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    client = app.extensions.get(_KEY)
    if client is None:
        import redis

        client = redis.Redis.from_url(
            url,
            socket_timeout=SOCKET_TIMEOUT_SECONDS,
            socket_connect_timeout=SOCKET_TIMEOUT_SECONDS,
        )
        app.extensions[_KEY] = client
    return client

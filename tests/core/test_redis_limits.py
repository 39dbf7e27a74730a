"""With GELAR_REDIS_URL the sign-in rate limits live in Redis, shared by every process."""

from __future__ import annotations

import os
import uuid
from typing import Any

import pytest

from core import create_app
from tests.conftest import PASSWORD, skip_or_fail

REDIS_URL = os.environ.get("GELAR_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_client() -> Any:
    """A client on the test Redis database (skip, or fail when CI requires Redis)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as exc:
        skip_or_fail("redis", f"Redis is not reachable at {REDIS_URL}: {exc}")
    yield client
    client.close()


def test_failed_sign_ins_are_counted_in_redis(app_config, make, redis_client):
    email = f"ani-{uuid.uuid4().hex[:12]}@example.id"  # the limiter's key holds the e-mail
    app = create_app(
        {**app_config, "REDIS_URL": REDIS_URL, "SIGNIN_RATE_LIMIT": "2 per 15 minutes"}
    )
    client = app.test_client()
    make.user(email, "Ani")
    try:
        for _ in range(2):
            response = client.post(
                "/api/v1/auth/token", json={"email": email, "password": "wrong-one"}
            )
            assert response.status_code == 401
        keys = list(redis_client.scan_iter(f"*{email}*"))
        assert keys, "the limiter wrote no counter to Redis"
        blocked = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
        assert blocked.status_code == 429
        assert blocked.get_json()["error"]["code"] == "rate_limited"
    finally:
        for key in redis_client.scan_iter(f"*{email}*"):
            redis_client.delete(key)

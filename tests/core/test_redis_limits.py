"""With GELAR_REDIS_URL the rate limits live in Redis, shared by every process."""

from __future__ import annotations

import os
import random
import uuid
from typing import Any

import pytest

from core import create_app
from core.extensions import limit_key
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


def _address() -> str:
    """A client address no other run used (counters in Redis outlive a test)."""
    return f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


def _cleanup(redis_client: Any, *values: str) -> None:
    for value in values:
        for key in redis_client.scan_iter(f"*{limit_key(value)}*"):
            redis_client.delete(key)


def test_failed_sign_ins_are_counted_in_redis(app_config, make, redis_client):
    email = f"ani-{uuid.uuid4().hex[:12]}@example.id"
    address = _address()
    app = create_app(
        {**app_config, "REDIS_URL": REDIS_URL, "SIGNIN_RATE_LIMIT": "2 per 15 minutes"}
    )
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    make.user(email, "Ani")
    try:
        for _ in range(2):
            response = client.post(
                "/api/v1/auth/token", json={"email": email, "password": "wrong-one"}
            )
            assert response.status_code == 401
        assert list(redis_client.scan_iter(f"*{limit_key(email)}*")), "no counter in Redis"
        assert list(redis_client.scan_iter(f"*{limit_key(address)}*")), "no address counter"
        blocked = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
        assert blocked.status_code == 429
        assert blocked.get_json()["error"]["code"] == "rate_limited"
        # A second app (another worker) on the same Redis sees the same counters.
        other = create_app(
            {**app_config, "REDIS_URL": REDIS_URL, "SIGNIN_RATE_LIMIT": "2 per 15 minutes"}
        )
        other_client = other.test_client()
        other_client.environ_base["REMOTE_ADDR"] = _address()
        again = other_client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
        assert again.status_code == 429
    finally:
        _cleanup(redis_client, email, address)


def test_spraying_from_one_address_is_stopped_in_redis(app_config, make, redis_client):
    address = _address()
    emails = [f"spray-{uuid.uuid4().hex[:10]}@example.id" for _ in range(4)]
    app = create_app(
        {**app_config, "REDIS_URL": REDIS_URL, "SIGNIN_ADDRESS_RATE_LIMIT": "3 per 15 minutes"}
    )
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    try:
        statuses = [
            client.post(
                "/api/v1/auth/token", json={"email": e, "password": "wrong-one"}
            ).status_code
            for e in emails
        ]
        assert statuses == [401, 401, 401, 429]
    finally:
        _cleanup(redis_client, address, *emails)


def test_mail_limits_are_kept_in_redis(app_config, redis_client):
    email = f"forgot-{uuid.uuid4().hex[:10]}@example.id"
    address = _address()
    app = create_app(
        {
            **app_config,
            "REDIS_URL": REDIS_URL,
            "WTF_CSRF_ENABLED": False,
            "MAIL_TARGET_RATE_LIMIT": "1 per 15 minutes",
        }
    )
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    try:
        assert client.post("/auth/forgot", data={"email": email}).status_code == 302
        assert list(redis_client.scan_iter(f"*{limit_key(email)}*"))
        assert client.post("/auth/forgot", data={"email": email}).status_code == 429
    finally:
        _cleanup(redis_client, email, address)

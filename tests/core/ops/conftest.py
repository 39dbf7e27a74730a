"""Fixtures for the operations tests: a Redis client on the test database."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import skip_or_fail

REDIS_URL = os.environ.get("GELAR_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_client() -> Iterator[Any]:
    """A client on the test Redis database (skip, or fail when CI requires Redis)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as exc:
        skip_or_fail("redis", f"Redis is not reachable at {REDIS_URL}: {exc}")
    yield client
    client.close()

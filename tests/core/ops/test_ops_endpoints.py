"""Operations (issue 17): /ready, /metrics behind a setting, request ids, JSON logs."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from sqlalchemy import text

from core import create_app
from core.db import get_db
from core.services import readiness
from tests.core.ops.conftest import REDIS_URL


def test_ready_when_database_is_at_head(client: Any) -> None:
    response = client.get("/ready")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "redis": "not configured"},
    }


def test_not_ready_when_a_migration_is_missing(client: Any, db: Any) -> None:
    head = sorted(readiness.code_heads())[0]
    db.execute(text("DELETE FROM alembic_version WHERE version_num = :v"), {"v": head})
    db.commit()
    try:
        response = client.get("/ready")
        assert response.status_code == 503
        assert response.get_json()["checks"]["migrations"] == f"behind: {head}"
    finally:  # the PostgreSQL test database is shared by the session's tests
        db.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": head})
        db.commit()


def test_ready_checks_redis(app_config: dict[str, Any], redis_client: Any) -> None:
    for url, status, redis_check in (
        (REDIS_URL, 200, "ok"),
        ("redis://127.0.0.1:1/0", 503, "unreachable: ConnectionError"),
    ):
        application = create_app({**app_config, "REDIS_URL": url})
        response = application.test_client().get("/ready")
        assert response.status_code == status
        assert response.get_json()["checks"]["redis"] == redis_check
        get_db(application).dispose()


def test_metrics_are_off_by_default(client: Any) -> None:
    assert client.get("/metrics").status_code == 404


def test_metrics_count_requests_votes_and_queue_depth(
    app_config: dict[str, Any], make: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    application = create_app({**app_config, "METRICS_ENABLED": True})
    client = application.test_client()
    assert client.get("/health").status_code == 200
    with application.test_request_context():
        from core import metrics

        metrics.count("votes")
    body = client.get("/metrics").get_data(as_text=True)
    assert 'gelar_http_requests_total{endpoint="public.health",method="GET",status="200"} 1.0' in (
        body
    )
    assert 'gelar_http_request_duration_seconds_count{endpoint="public.health"} 1.0' in body
    assert 'gelar_domain_events_total{kind="votes"} 1.0' in body
    assert 'gelar_mail_queue_depth{queue="outbox"} 0.0' in body
    get_db(application).dispose()


def test_request_id_is_passed_through_or_made(client: Any) -> None:
    given = client.get("/health", headers={"X-Request-ID": "abc-123"})
    assert given.headers["X-Request-ID"] == "abc-123"
    made = client.get("/health", headers={"X-Request-ID": "not valid <script>"})
    assert len(made.headers["X-Request-ID"]) == 32
    assert made.headers["X-Request-ID"] != client.get("/health").headers["X-Request-ID"]


def test_json_logs_carry_the_request_id(
    app_config: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    application = create_app({**app_config, "LOG_JSON": True})
    logger = logging.getLogger("gelar")
    try:
        application.test_client().get("/health", headers={"X-Request-ID": "req-42"})
        lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
        [access] = [line for line in lines if line["logger"] == "gelar.access"]
        assert access["request_id"] == "req-42"
        assert access["path"] == "/health" and access["status"] == 200
    finally:
        for handler in [h for h in logger.handlers if getattr(h, "gelar_json", False)]:
            logger.removeHandler(handler)
        logger.propagate = True
        logger.setLevel(logging.NOTSET)
        get_db(application).dispose()

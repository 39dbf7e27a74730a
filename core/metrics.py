"""Prometheus metrics (``prometheus-client``), on when ``METRICS_ENABLED`` is set.

Requests (count by method, endpoint and status; latency by endpoint), votes counted, and at
scrape time the mail queue's depth (Redis queue and database outbox).  Under gunicorn with
several workers set ``PROMETHEUS_MULTIPROC_DIR`` to an empty, writable folder (the deploy
script and the systemd unit do; ``deploy/gunicorn.conf.py`` marks dead workers), so
``/metrics`` adds up every worker; without it each worker reports its own numbers.
"""

from __future__ import annotations

import os
import time
from typing import Any

from flask import Flask, current_app, g, request
from sqlalchemy import func, select
from sqlalchemy.orm import Session

_KEY = "gelar_metrics"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """The app's metric objects, on one registry of their own (one per app, not global)."""

    def __init__(self) -> None:
        from prometheus_client import CollectorRegistry, Counter, Histogram

        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "gelar_http_requests",
            "HTTP requests answered.",
            ["method", "endpoint", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "gelar_http_request_duration_seconds",
            "Time to answer an HTTP request.",
            ["endpoint"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.counted = Counter(
            "gelar_domain_events",
            "Domain events (e.g. votes) counted.",
            ["kind"],
            registry=self.registry,
        )


def init_app(app: Flask) -> None:
    """Count requests when ``METRICS_ENABLED``; nothing is registered otherwise."""
    if not app.config.get("METRICS_ENABLED"):
        return
    metrics = Metrics()
    app.extensions[_KEY] = metrics

    @app.before_request
    def _start_timer() -> None:
        g.metrics_started = time.perf_counter()

    @app.after_request
    def _observe(response: Any) -> Any:
        started = g.get("metrics_started")
        endpoint = request.endpoint or "unmatched"
        metrics.requests.labels(request.method, endpoint, str(response.status_code)).inc()
        if started is not None:
            metrics.latency.labels(endpoint).observe(time.perf_counter() - started)
        return response


def count(kind: str, amount: int = 1) -> None:
    """Count a domain event (``votes``…) when metrics are on; a no-op otherwise."""
    metrics = current_app.extensions.get(_KEY)
    if metrics is not None:
        metrics.counted.labels(kind).inc(amount)


def render(app: Flask, session: Session) -> tuple[bytes, str]:
    """The text exposition of every worker's metrics plus the queue depths, and its type."""
    from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Gauge, generate_latest

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = app.extensions[_KEY].registry
    scrape = CollectorRegistry()
    depth = Gauge(
        "gelar_mail_queue_depth",
        "Mail waiting: jobs in the Redis queue (queue=redis), unsent outbox rows (outbox).",
        ["queue"],
        registry=scrape,
    )
    for name, value in queue_depths(app, session).items():
        depth.labels(name).set(value)
    return generate_latest(registry) + generate_latest(scrape), CONTENT_TYPE_LATEST


def queue_depths(app: Flask, session: Session) -> dict[str, int]:
    """Mail waiting in the Redis queue (when used) and in the database outbox."""
    from core import mail_queue
    from core.models import OutboundMail

    depths: dict[str, int] = {}
    redis_depth = mail_queue.queue_depth(app)
    if redis_depth is not None:
        depths["redis"] = redis_depth
    depths["outbox"] = int(
        session.scalar(
            select(func.count()).select_from(OutboundMail).where(OutboundMail.status == "queued")
        )
        or 0
    )
    return depths

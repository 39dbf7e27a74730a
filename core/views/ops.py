"""Operations endpoints: readiness for load balancers, Prometheus metrics."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify
from flask.typing import ResponseReturnValue

from core import metrics
from core.db import get_session
from core.extensions import limiter
from core.redis_store import redis_client
from core.services import readiness

bp = Blueprint("ops", __name__)


@bp.get("/ready")
@limiter.exempt
def ready() -> ResponseReturnValue:
    """200 when the database and Redis answer and the schema is at head, else 503.

    Liveness is ``/health``; a load balancer takes an instance out of rotation while this
    answers 503 (e.g. during an upgrade before ``gelar db upgrade`` ran).
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    checks = readiness.check(get_session(), redis_client(app))
    ok = readiness.is_ready(checks)
    return jsonify({"status": "ok" if ok else "unavailable", "checks": checks}), 200 if ok else 503


@bp.get("/metrics")
@limiter.exempt
def prometheus_metrics() -> ResponseReturnValue:
    """Prometheus' text format; 404 unless ``METRICS_ENABLED`` (keep it off the internet)."""
    if not current_app.config.get("METRICS_ENABLED"):
        abort(404)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    body, content_type = metrics.render(app, get_session())
    return body, 200, {"Content-Type": content_type}

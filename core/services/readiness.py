"""Readiness: can this instance serve (database, Redis, schema at the code's migrations)?"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session


@lru_cache(maxsize=1)
def code_heads() -> frozenset[str]:
    """Every migration branch's newest revision known to this code (read once)."""
    from alembic.script import ScriptDirectory

    from core.migrate import alembic_config

    return frozenset(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


def check(session: Session, redis: Any | None) -> dict[str, str]:
    """``{"database": …, "redis": …, "migrations": …}``, each ``"ok"`` or what is wrong.

    ``redis`` is ``"not configured"`` without a client (not a failure).
    """
    checks: dict[str, str] = {}
    try:
        applied = {
            row[0] for row in session.execute(text("SELECT version_num FROM alembic_version"))
        }
        checks["database"] = "ok"
        missing = sorted(code_heads() - applied)
        checks["migrations"] = "ok" if not missing else "behind: " + ", ".join(missing)
    except Exception as exc:
        session.rollback()
        checks["database"] = f"unreachable: {exc.__class__.__name__}"
        checks["migrations"] = "unknown"
    if redis is None:
        checks["redis"] = "not configured"
    else:
        try:
            redis.ping()
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = f"unreachable: {exc.__class__.__name__}"
    return checks


def is_ready(checks: dict[str, str]) -> bool:
    """Whether every check passed (Redis may be not configured)."""
    return all(value in {"ok", "not configured"} for value in checks.values())

"""The audit log: who changed what, when."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.models import AuditEntry, User


def record(
    session: Session,
    action: str,
    *,
    event_id: int | None = None,
    user_id: int | None = None,
    **detail: Any,
) -> AuditEntry:
    """Add an audit entry to the session (committed with the change it describes)."""
    entry = AuditEntry(event_id=event_id, user_id=user_id, action=action, detail=detail)
    session.add(entry)
    return entry


def list_entries(
    session: Session, *, event_id: int | None, limit: int = 100, offset: int = 0
) -> tuple[list[tuple[AuditEntry, User | None]], int]:
    """Return (entry, user) pairs newest first and the total count, for one event."""
    base = select(AuditEntry).where(AuditEntry.event_id == event_id)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = session.execute(
        select(AuditEntry, User)
        .outerjoin(User, User.id == AuditEntry.user_id)
        .where(AuditEntry.event_id == event_id)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return [(entry, user) for entry, user in rows], total

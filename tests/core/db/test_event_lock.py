"""The per-event row lock serialises its takers but lets rows that reference the event in."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from core.db import get_db
from core.services import audit
from core.services.events import lock_event_row


def test_event_lock_blocks_lockers_not_references(app: Flask, db: Session, make: Any) -> None:
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serialises every writer")
    event_id = make.event("jatim-lock").id
    db.commit()
    holder = Session(get_db(app).engine)
    other = Session(get_db(app).engine)
    try:
        lock_event_row(holder, event_id)  # e.g. placing sessions: held until its commit
        other.execute(text("SET LOCAL lock_timeout = '2s'"))
        # A row that references the event (an audit entry, a vote) goes in at once: its
        # foreign-key check takes FOR KEY SHARE, which FOR NO KEY UPDATE does not block.
        audit.record(other, "test.referenced", event_id=event_id)
        other.flush()
        other.rollback()
        other.execute(text("SET LOCAL lock_timeout = '300ms'"))
        with pytest.raises(OperationalError, match="lock timeout"):
            lock_event_row(other, event_id)  # a second taker waits for the first
    finally:
        other.rollback()
        holder.rollback()
        other.close()
        holder.close()

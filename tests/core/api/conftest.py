"""Fixtures for the API tests: a site admin, an organizer and an outsider of an event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy.orm import Session

from core.models import Event, User
from core.services import accounts


@dataclass
class Cast:
    """The people of a test: a site admin, an organizer of the event, an outsider."""

    admin: User
    organizer: User
    outsider: User
    event: Event


@pytest.fixture
def cast(make: Any) -> Cast:
    """A published ``jatim-2026`` event with the voting plugin, its organizer and others."""
    admin = make.user("admin@example.id", "Admin", admin=True)
    organizer = make.user("organizer@example.id", "Organizer")
    outsider = make.user("outsider@example.id", "Outsider")
    event = make.event("jatim-2026", plugins=["voting"], organizer=organizer)
    return Cast(admin, organizer, outsider, event)


@pytest.fixture
def headers(db: Session, cast: Cast) -> dict[str, dict[str, str]]:
    """Bearer headers by role name: ``admin``, ``organizer``, ``outsider``.

    Tokens come straight from the service (``POST /auth/token`` has its own tests).
    """
    tokens = {}
    for role in ("admin", "organizer", "outsider"):
        raw, _expires = accounts.issue_api_token(db, getattr(cast, role), ttl_hours=1)
        tokens[role] = {"Authorization": f"Bearer {raw}"}
    db.commit()
    return tokens

"""Fixtures for the voting plugin: an event with organizer, judges, agencies, innovations."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from core.models import Event, Innovation, Membership, Organization, User, VisitorPass
from core.services import passes, plugin_settings, roles
from tests.conftest import PASSWORD

SLUG = "vote-2026"
ORGANIZER = "organizer@example.id"
JUDGES = ["judge1@example.id", "judge2@example.id", "judge3@example.id", "judge4@example.id"]


@dataclass
class World:
    """What the ``world`` fixture created (ids, so tests can use their own sessions)."""

    event: Event
    organizer: User
    judges: list[User]
    organizations: list[Organization]
    innovations: list[Innovation]
    passes: list[str] = field(default_factory=list)

    @property
    def slug(self) -> str:
        """The event slug."""
        return self.event.slug


def add_innovation(
    db: Session, event: Event, organization: Organization, title: str, category: str = "health"
) -> Innovation:
    """An accepted innovation (committed)."""
    innovation = Innovation(
        event_id=event.id,
        organization_id=organization.id,
        title=title,
        summary=f"About {title}",
        category=category,
        status="accepted",
    )
    db.add(innovation)
    db.commit()
    return innovation


def set_voting(app: Flask, db: Session, event: Event, **changes: Any) -> None:
    """Change the event's voting settings through the core service (committed)."""
    plugin_settings.update_settings(
        db, app.extensions["gelar_plugins"], db.merge(event), "voting", changes
    )
    db.commit()


@pytest.fixture
def world(make: Any, db: Session) -> World:
    """An event with the voting plugin, 4 judges, 4 agencies and 8 innovations, 5 passes.

    judge1 is a member of agency 0; judge2 declared a conflict with agency 1.
    """
    organizer = make.user(ORGANIZER, "Organizer")
    event = make.event(SLUG, plugins=["voting"], organizer=organizer)
    judges = [make.user(email, f"Judge {n}") for n, email in enumerate(JUDGES, start=1)]
    organizations = [Organization(name=f"Agency {n}", region="Surabaya") for n in range(4)]
    db.add_all(organizations)
    db.flush()
    db.add(Membership(user_id=judges[0].id, organization_id=organizations[0].id))
    for n, judge in enumerate(judges):
        conflicts = [organizations[1].id] if n == 1 else []
        roles.appoint(db, event, email=judge.email, role="judge", conflicts=conflicts)
    db.commit()
    innovations = [
        add_innovation(
            db, event, organizations[n % 4], f"Innovation {n:02d}", "health" if n < 4 else "service"
        )
        for n in range(8)
    ]
    issued = passes.issue_passes(db, event, 5)
    db.commit()
    return World(event, organizer, judges, organizations, innovations, [p.code for p in issued])


@pytest.fixture
def headers(world: World, api_token: Any) -> dict[str, dict[str, str]]:
    """Bearer headers by role: organizer, judge1..judge4."""
    found = {"organizer": api_token(ORGANIZER)}
    for n, email in enumerate(JUDGES, start=1):
        found[f"judge{n}"] = api_token(email, PASSWORD)
    return found


def visitor_pass(db: Session, code: str) -> VisitorPass:
    """The pass row for ``code``."""
    from sqlalchemy import select

    found = db.scalar(select(VisitorPass).where(VisitorPass.code == code))
    assert found is not None
    return found

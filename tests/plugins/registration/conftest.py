"""Fixtures for the registration plugin: an event with an open window, an organizer, inputs."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.models import Event, Innovation, Organization, OutboundMail
from core.services import plugin_settings
from plugins.registration import services
from plugins.registration.models import Registration

ORGANIZER = "organizer@example.id"
SLUG = "jatim-2026"
OFF_SLUG = "other-2026"
# Every window in these tests is far from today's date, so no test depends on the clock.
OPEN_WINDOW = {"opens_at": "2001-01-01T00:00:00+07:00", "closes_at": "2999-01-01T00:00:00+07:00"}
NOW = datetime(2026, 10, 5, 3, 0, tzinfo=UTC)


def body(
    name: str = "Dinas Kesehatan", region: str = "Kabupaten Banyuwangi", **extra: Any
) -> dict[str, Any]:
    """A valid API body for one agency with one innovation."""
    data: dict[str, Any] = {
        "organization": {"name": name, "kind": "government", "region": region},
        "contact": {
            "name": "Sri Wahyuni",
            "email": "sri@dinkes.example.id",
            "phone": "0812-3456-7890",
        },
        "innovations": [
            {
                "title": "Puskesmas Keliling",
                "summary": "Layanan jemput bola",
                "category": "Kesehatan",
            }
        ],
    }
    data.update(extra)
    return data


def org_input(name: str = "Dinas Kesehatan", region: str = "Kabupaten Banyuwangi") -> Any:
    """A valid :class:`services.OrganizationInput`."""
    return services.OrganizationInput(name=name, kind="government", region=region)


def contact_input(email: str = "sri@dinkes.example.id") -> Any:
    """A valid :class:`services.ContactInput`."""
    return services.ContactInput(name="Sri Wahyuni", email=email, phone="+62 812 3456 7890")


def innovation_input(title: str = "Puskesmas Keliling") -> Any:
    """A valid :class:`services.InnovationInput`."""
    return services.InnovationInput(title=title, summary="Jemput bola", category="Kesehatan")


def count(db: Session, model: Any) -> int:
    """Rows of ``model`` (a fresh read)."""
    db.expire_all()
    found = db.scalar(select(func.count()).select_from(model)) or 0
    db.commit()  # end the read so the app's writers are not kept waiting (SQLite)
    return found


def counts(db: Session) -> tuple[int, int, int]:
    """(registrations, innovations, organizations): to prove refusals store nothing."""
    return count(db, Registration), count(db, Innovation), count(db, Organization)


def mails_to(db: Session, recipient: str) -> list[OutboundMail]:
    """Mail queued (or logged) for ``recipient``, oldest first."""
    db.expire_all()
    found = list(
        db.scalars(
            select(OutboundMail)
            .where(OutboundMail.recipient == recipient)
            .order_by(OutboundMail.id)
        )
    )
    db.commit()  # end the read so the app's writers are not kept waiting (SQLite)
    return found


def set_settings(app: Flask, db: Session, event: Event, **changes: Any) -> None:
    """Store registration settings for ``event`` (validated like the API does)."""
    registry = app.extensions["gelar_plugins"]
    plugin_settings.update_settings(db, registry, db.merge(event), "registration", changes)
    db.commit()


@pytest.fixture
def organizer_user(make: Any) -> Any:
    """The events' organizer."""
    return make.user(ORGANIZER, "Organizer")


@pytest.fixture
def event(app: Flask, db: Session, make: Any, organizer_user: Any) -> Event:
    """A published event with the registration plugin on and its window open."""
    created = make.event(
        SLUG,
        plugins=["registration"],
        organizer=organizer_user,
        starts_on=date(2999, 12, 10),
        ends_on=date(2999, 12, 11),
    )
    set_settings(app, db, created, **OPEN_WINDOW)
    return created


@pytest.fixture
def off_event(make: Any, organizer_user: Any) -> Event:
    """An event without the registration plugin."""
    return make.event(OFF_SLUG, plugins=["exhibitors"], organizer=organizer_user)


@pytest.fixture
def ctx(app: Flask) -> Any:
    """An application context (services that queue mail render templates and links)."""
    with app.app_context():
        yield


@pytest.fixture
def registry(app: Flask) -> Any:
    """The app's plugin registry."""
    return app.extensions["gelar_plugins"]


@pytest.fixture
def organizer(client: FlaskClient, auth: Any, event: Event) -> FlaskClient:
    """A client signed in as the organizer, reading English."""
    assert auth.login(ORGANIZER).status_code == 302
    client.post("/lang/en")
    return client


@pytest.fixture
def headers(api_token: Any, event: Event) -> dict[str, str]:
    """Bearer headers of the organizer."""
    return api_token(ORGANIZER)


def submit(
    db: Session, registry: Any, event: Event, name: str = "Dinas Kesehatan", **kw: Any
) -> Registration:
    """A pending registration made through the service (committed)."""
    registration = services.submit_registration(
        db,
        registry,
        db.merge(event),
        organization=org_input(name),
        contact=kw.pop("contact", contact_input()),
        innovations=kw.pop("innovations", [innovation_input()]),
        now=NOW,
        **kw,
    )
    db.commit()
    return registration

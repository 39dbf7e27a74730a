"""Fixtures for the exhibitors plugin: an event with agencies, innovations and an organizer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from core.models import Event, Innovation, Membership, Organization, User

ORGANIZER = "panitia@example.id"
EXHIBITOR = "staf@example.id"
SLUG = "expo-2026"


@dataclass
class World:
    """The event and what lives in it."""

    event: Event
    organizer: User
    exhibitor: User
    organizations: dict[str, Organization] = field(default_factory=dict)
    innovations: dict[str, Innovation] = field(default_factory=dict)


def add_innovation(
    db: Session,
    event: Event,
    title: str,
    agency: str,
    *,
    category: str = "Pelayanan Publik",
    kind: str = "government",
    region: str = "Surabaya",
    summary: str = "",
    cettar: list[str] | None = None,
    status: str = "accepted",
) -> Innovation:
    """An innovation of ``agency`` (created when new), committed."""
    organization = db.query(Organization).filter_by(name=agency, region=region).one_or_none()
    if organization is None:
        organization = Organization(name=agency, kind=kind, region=region)
        db.add(organization)
        db.flush()
    innovation = Innovation(
        event_id=event.id,
        organization_id=organization.id,
        title=title,
        summary=summary,
        category=category,
        cettar=cettar or [],
        status=status,
    )
    db.add(innovation)
    db.commit()
    return innovation


@pytest.fixture
def world(make: Any, db: Session) -> World:
    """``expo-2026`` with the plugin on, an organizer, and an exhibitor staff member."""
    organizer = make.user(ORGANIZER, "Panitia")
    exhibitor = make.user(EXHIBITOR, "Staf Bapenda")
    event = make.event(SLUG, plugins=["exhibitors"], organizer=organizer)
    event = db.merge(event)
    made = World(event=event, organizer=organizer, exhibitor=exhibitor)
    rows = [
        ("Samsat Keliling Digital", "Bapenda Jawa Timur", "Pajak", "government", "Surabaya"),
        (
            "Puskesmas Tanpa Antre",
            "Dinas Kesehatan Kota Malang",
            "Kesehatan",
            "government",
            "Malang",
        ),
        ("Sekolah Ramah Café", "Universitas Airlangga", "Pendidikan", "university", "Surabaya"),
        ("Air Bersih Desa", "PDAM Delta Tirta", "Infrastruktur", "bumd", "Sidoarjo"),
    ]
    for title, agency, category, kind, region in rows:
        innovation = add_innovation(
            db,
            event,
            title,
            agency,
            category=category,
            kind=kind,
            region=region,
            summary=f"Ringkasan {title}",
            cettar=["cepat", "transparan"],
        )
        made.innovations[title] = innovation
        made.organizations[agency] = db.get(Organization, innovation.organization_id)
    add_innovation(db, event, "Draft Rahasia", "Bapenda Jawa Timur", status="submitted")
    db.add(
        Membership(
            user_id=exhibitor.id, organization_id=made.organizations["Bapenda Jawa Timur"].id
        )
    )
    db.commit()
    return made


@pytest.fixture
def organizer_client(client: FlaskClient, auth: Any, world: World) -> FlaskClient:
    """Signed in as the organizer, reading English."""
    assert auth.login(ORGANIZER).status_code == 302
    client.post("/lang/en")
    return client


@pytest.fixture
def exhibitor_client(client: FlaskClient, auth: Any, world: World) -> FlaskClient:
    """Signed in as the Bapenda staff member, reading English."""
    assert auth.login(EXHIBITOR).status_code == 302
    client.post("/lang/en")
    return client


@pytest.fixture
def organizer_headers(api_token: Any, world: World) -> dict[str, str]:
    """Bearer headers of the organizer."""
    return api_token(ORGANIZER)

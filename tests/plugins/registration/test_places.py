"""One count of exhibitor places: the public page, the console and the API agree."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from core.models import Event
from plugins.registration import services
from tests.plugins.registration.conftest import NOW, SLUG, set_settings, submit

BASE = f"/{SLUG}/registration"


def _decide(db: Session, registry: Any, event: Event, names: list[str], status: str) -> None:
    for name in names:
        registration = submit(db, registry, event, name)
        services.decide(
            db,
            registry,
            db.merge(event),
            registration,
            status=status,
            reason="",
            actor_id=None,
            now=NOW,
        )
        db.commit()


def _stat(html: str, name: str) -> int:
    found = re.search(rf'data-stat="{name}"><strong>(\d+)</strong>', html)
    assert found, f"no {name} figure"
    return int(found.group(1))


def test_places_count_approved_registrations_only(
    app: Flask, db: Session, event: Event, registry: Any, ctx: Any
) -> None:
    set_settings(app, db, event, exhibitor_quota=5)
    _decide(db, registry, event, ["A", "B"], "approved")
    _decide(db, registry, event, ["C"], "rejected")
    submit(db, registry, event, "D")  # pending: registered, but no place taken
    found = services.places(db, db.merge(event))
    assert (found.quota, found.taken, found.left) == (5, 2, 3)
    set_settings(app, db, event, exhibitor_quota=None)
    assert services.places(db, db.merge(event)) == services.Places(quota=None, taken=2, left=None)


def test_public_page_console_and_api_agree(
    app: Flask,
    db: Session,
    event: Event,
    registry: Any,
    ctx: Any,
    organizer: FlaskClient,
    headers: dict[str, str],
) -> None:
    set_settings(app, db, event, exhibitor_quota=4)
    _decide(db, registry, event, ["A", "B", "C"], "approved")
    submit(db, registry, event, "D")
    submit(db, registry, event, "E")
    public = organizer.get(f"{BASE}/").get_data(as_text=True)
    dashboard = organizer.get(f"/{SLUG}/manage/").get_data(as_text=True)
    review = organizer.get(f"{BASE}/manage/").get_data(as_text=True)
    api = organizer.get(f"/api/v1/events/{SLUG}/registrations", headers=headers).get_json()
    assert _stat(public, "places_left") == 1
    assert _stat(dashboard, "places_left") == 1
    found = re.search(r'data-stat="places">(\d+)\D+(\d+)\D+(\d+)\D', review)
    assert found and found.groups() == ("3", "4", "1")
    assert api["places"] == {"quota": 4, "taken": 3, "left": 1}
    # five agencies registered, yet only the three approved ones hold a place
    assert _stat(dashboard, "organizations") == 5

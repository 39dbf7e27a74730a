"""Issue 15: registrations breaking the current eligibility rules are flagged on the
organizers' list (computed in bulk) and counted after the rules change, never rejected."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Event, Innovation
from plugins.registration import eligibility, services
from plugins.registration.models import Registration
from tests.core.web.test_queries import counting
from tests.plugins.registration.conftest import SLUG, set_settings, submit

LIST = f"/{SLUG}/registration/manage/"
SETTINGS = f"/{SLUG}/manage/plugins/registration/settings"


def _launch(db: Session, when: date | None) -> None:
    """Every innovation launched on ``when``."""
    for innovation in db.scalars(select(Innovation)):
        innovation.launched_on = when
    db.commit()


def _agencies(db: Session, registry: Any, event: Event, start: int, count: int) -> None:
    for n in range(start, start + count):
        submit(db, registry, event, name=f"Dinas {n:03d}")


def test_flags_are_computed_in_bulk_and_shown_per_registration(
    app: Flask, db: Session, registry: Any, event: Event, ctx: Any
) -> None:
    _agencies(db, registry, event, 0, 3)
    _launch(db, date(2999, 6, 1))  # six months before the event
    set_settings(app, db, event, eligibility={"min_months_in_operation": 12})
    target = db.merge(event)
    settings = services.event_settings(target)
    items, _total = services.list_registrations(db, target)
    flags = eligibility.flagged(db, target, items, settings)
    assert sorted(flags) == sorted(r.id for r in items)
    assert {p.rule for problems in flags.values() for p in problems} == {"min_months_in_operation"}
    assert eligibility.count_flagged(db, target, settings) == 3
    # each flag is what the single check says
    for registration in items:
        assert [p.rule for p in eligibility.check(db, target, registration, settings)] == [
            p.rule for p in flags[registration.id]
        ]
    # withdrawn registrations are not counted; registrations are never rejected
    services.withdraw(db, registry, target, items[0], now=items[0].submitted_at)
    db.commit()
    assert eligibility.count_flagged(db, target, settings) == 2
    assert {r.status for r in db.scalars(select(Registration))} == {"pending", "withdrawn"}


def test_the_list_shows_the_flag_column_and_count(
    app: Flask, db: Session, registry: Any, event: Event, organizer: FlaskClient, ctx: Any
) -> None:
    _agencies(db, registry, event, 0, 2)
    page = organizer.get(LIST).get_data(as_text=True)
    assert "data-flag=" not in page and 'data-stat="flagged"' not in page
    set_settings(
        app,
        db,
        event,
        eligibility={"required_documents": [{"key": "sk", "label": "SK Kepala"}]},
    )
    page = organizer.get(LIST).get_data(as_text=True)
    assert page.count('data-flag="required_documents"') == 2
    assert "2 registrations break the event" in page
    assert "documents missing" in page


def test_the_list_does_not_query_per_registration(
    app: Flask, db: Session, registry: Any, event: Event, organizer: FlaskClient, ctx: Any
) -> None:
    rules = {
        "min_months_in_operation": 12,
        "exclude_awarded_within_years": 3,
        "required_documents": [{"key": "sk", "label": "SK Kepala"}],
    }
    off = {"min_months_in_operation": None, "exclude_awarded_within_years": None}
    _agencies(db, registry, event, 0, 2)
    set_settings(app, db, event, eligibility=rules)
    with counting(app) as few:
        assert organizer.get(LIST).status_code == 200
    set_settings(app, db, event, eligibility=off)
    _agencies(db, registry, event, 2, 10)
    set_settings(app, db, event, eligibility=rules)
    with counting(app) as many:
        page = organizer.get(LIST)
    assert page.get_data(as_text=True).count("data-flag=") == 12
    assert len(many) == len(few), (len(few), len(many))


def test_saving_changed_rules_says_how_many_are_flagged(
    app: Flask, db: Session, registry: Any, event: Event, organizer: FlaskClient, ctx: Any
) -> None:
    _agencies(db, registry, event, 0, 3)
    form = {
        "opens_at": "2001-01-01T08:00",
        "closes_at": "2998-11-01T17:00",
        "max_innovations_per_organization": "3",
        "categories": "Kesehatan",
    }
    saved = organizer.post(SETTINGS, data=form, follow_redirects=True).get_data(as_text=True)
    assert "Settings saved." in saved and "flagged" not in saved  # rules unchanged
    changed = {**form, "required_documents": "sk: SK Kepala"}
    saved = organizer.post(SETTINGS, data=changed, follow_redirects=True).get_data(as_text=True)
    assert "Under the new rules 3 registrations are flagged" in saved
    assert {r.status for r in db.scalars(select(Registration))} == {"pending"}
    db.commit()
    relaxed = organizer.post(SETTINGS, data=form, follow_redirects=True).get_data(as_text=True)
    assert "Under the new rules 0 registrations are flagged" in relaxed

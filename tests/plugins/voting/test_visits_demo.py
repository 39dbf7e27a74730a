"""With the demo, one action plans the judges' visits around the symposium."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Event
from plugins.symposium.models import Session as SymSession
from plugins.voting import visits


def test_demo_plan_respects_the_stage_and_the_presenters(
    app: Flask, db: Session, runner: Any
) -> None:
    assert runner.invoke(args=["demo"]).exit_code == 0
    event = db.scalar(select(Event).where(Event.slug == "jatim-2019"))
    assert event is not None
    zone = ZoneInfo(event.timezone)
    talks = db.scalars(
        select(SymSession).where(SymSession.event_id == event.id, SymSession.starts_at.is_not(None))
    ).all()
    day = min(t.starts_at for t in talks).astimezone(zone).date()
    opens = datetime.combine(day, time(8), zone)
    with app.test_request_context():
        report = visits.auto_plan(
            db,
            app.extensions["gelar_plugins"],
            event,
            starts_at=opens,
            ends_at=opens + timedelta(hours=9),
            minutes_per_visit=15,
            changeover_minutes=5,
        )
        db.commit()
        rows = visits.rows(db, app.extensions["gelar_plugins"], event)
    assert report["placed"] == len(rows) > 0
    assert not any(row.broken for row in rows)
    moderated = [
        t for t in talks if any(s.email == "sri.wahyuni@demo.gelar.id" for s in t.speakers)
    ]
    assert moderated
    for row in rows:
        if row.entry.judge.email == "sri.wahyuni@demo.gelar.id":
            for talk in moderated:
                assert row.visit.ends_at <= talk.starts_at or row.visit.starts_at >= talk.ends_at
    # the judge's own reasons name the sessions when the day is too full
    assert all(u["reasons"] for u in report["unplaced"])

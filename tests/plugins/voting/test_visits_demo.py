"""With the demo, one action (the plan form's defaults) plans the judges' visits around the
symposium, within each day's exhibition hours."""

from __future__ import annotations

import re
from datetime import time
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.models import Event
from core.services.demo import DEMO_ORGANIZER
from plugins.symposium.models import Session as SymSession
from plugins.voting import visits
from plugins.voting.models import VotingAssignment
from plugins.voting.rubric import current_stage

MODERATOR = "sri.wahyuni@demo.gelar.id"


def _form_values(html: str) -> dict[str, str]:
    """The plan form's inputs (name → proposed value) and its CSRF token."""
    start = html.index('class="visit-plan-form')
    form = html[start : html.index("</form>", start)]
    values = dict(re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', form))
    values.update(re.findall(r'name="(\w+)" type="hidden" value="([^"]*)"', form))
    return values


def test_demo_plan_in_one_action_with_the_form_defaults(
    app: Flask, db: Session, runner: Any, client: Any, auth: Any
) -> None:
    assert runner.invoke(args=["demo"]).exit_code == 0
    event = db.scalar(select(Event).where(Event.slug == "jatim-2019"))
    assert event is not None
    db.commit()  # no read transaction left open while the client signs in (SQLite)
    auth.login(DEMO_ORGANIZER[0], DEMO_ORGANIZER[2])
    page = client.get("/jatim-2019/voting/manage/visits")
    assert page.status_code == 200
    values = _form_values(page.get_data(as_text=True))
    # the event's three days, 08:00-16:00 each, a pace that fits the busiest judge
    assert values["starts_at"] == "2019-04-24T08:00"
    assert values["ends_at"] == "2019-04-26T16:00"
    assert (values["daily_start"], values["daily_end"]) == ("08:00", "16:00")
    assert values["minutes_per_visit"] == "10"
    answer = client.post("/jatim-2019/voting/manage/visits/plan", data=values)
    assert answer.status_code == 302
    db.expire_all()
    stage = current_stage(db, event)
    assert stage is not None
    total = db.scalar(
        select(func.count())
        .select_from(VotingAssignment)
        .where(VotingAssignment.stage_id == stage.id)
    )
    assert total == 356
    with app.test_request_context():
        rows = visits.rows(db, app.extensions["gelar_plugins"], event)
        plan = visits.plan_row(db, stage)
        assert plan is not None and plan.daily_start == time(8)
        # planning again keeps every visit and explains any left out
        again = visits.auto_plan(
            db,
            app.extensions["gelar_plugins"],
            event,
            starts_at=plan.starts_at,
            ends_at=plan.ends_at,
            minutes_per_visit=plan.minutes_per_visit,
            changeover_minutes=plan.changeover_minutes,
            daily_start=plan.daily_start,
            daily_end=plan.daily_end,
        )
        db.commit()
    print(f"demo: {len(rows)} of {total} visits placed in one action")
    assert len(rows) == total, again["unplaced"]
    assert again["kept"] == len(rows) and not again["unplaced"]
    assert not any(row.broken for row in rows)
    zone = ZoneInfo(event.timezone)
    for row in rows:  # never at night: within each day's hours, on the event's days
        start, end = row.visit.starts_at.astimezone(zone), row.visit.ends_at.astimezone(zone)
        assert start.date() == end.date()
        assert event.starts_on <= start.date() <= event.ends_on
        assert time(8) <= start.time() and end.time() <= time(16)
    talks = db.scalars(
        select(SymSession).where(SymSession.event_id == event.id, SymSession.starts_at.is_not(None))
    ).all()
    moderated = [t for t in talks if any(s.email == MODERATOR for s in t.speakers)]
    assert moderated
    for row in rows:
        if row.entry.judge.email == MODERATOR:
            for talk in moderated:
                assert row.visit.ends_at <= talk.starts_at or row.visit.starts_at >= talk.ends_at

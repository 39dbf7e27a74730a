"""Judges' visits over several days: each day's exhibition hours, moves to another day."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Event
from plugins.voting import visit_model as model
from plugins.voting import visits
from plugins.voting.models import VotingVisit, VotingVisitPlan
from plugins.voting.rubric import current_stage
from tests.plugins.voting import test_visits as base
from tests.plugins.voting.test_visits import API, BODY, JUDGES, ORGANIZER, SLUG, Fair, _rows

fair = base.fair  # the fixtures of the one-day tests
tokens = base.tokens

JAKARTA = ZoneInfo("Asia/Jakarta")
# 10 and 11 December 2026, visits 09:00-11:00 each day only
DAYS = {
    **BODY,
    "starts_at": "2026-12-10T09:00:00+07:00",
    "ends_at": "2026-12-11T13:00:00+07:00",
    "daily_start": "09:00",
    "daily_end": "11:00",
}
LONGER = {**DAYS, "daily_end": "12:00"}  # room to move visits between the days


def test_api_plans_within_each_days_hours(
    app: Flask, db: Session, client: Any, tokens: dict[str, dict[str, str]], fair: Fair
) -> None:
    response = client.post(f"{API}/visits/auto", json=DAYS, headers=tokens["organizer"])
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["placed"] == 16 and response.get_json()["unplaced"] == []
    rows = _rows(db, app)
    days = set()
    for row in rows:
        start = row.visit.starts_at.astimezone(JAKARTA)
        end = row.visit.ends_at.astimezone(JAKARTA)
        assert time(9) <= start.time() and end.time() <= time(11) and start.date() == end.date()
        days.add(start.day)
        assert not row.clashes
    assert days == {10, 11}  # one morning does not hold them all
    plan = db.scalar(select(VotingVisitPlan))
    assert plan is not None and (plan.daily_start, plan.daily_end) == (time(9), time(11))


def _free_start(db: Session, app: Flask, visit_id: int, day: int) -> datetime:
    """The first start on ``day`` (December 2026) where the visit breaks no rule."""
    event = db.scalar(select(Event).where(Event.slug == SLUG))
    assert event is not None
    with app.test_request_context():
        context = visits.load(db, app.extensions["gelar_plugins"], event, current_stage(db, event))
        found = _first_free(context, visit_id, day)
        db.rollback()  # no transaction left open while the client writes (SQLite)
    return found


def _first_free(context: visits.Context, visit_id: int, day: int) -> datetime:
    """The first start on ``day`` where the visit breaks no rule against the others."""
    assert context.frame is not None
    visit = next(v for v in context.visits if v.id == visit_id)
    others = [
        (context.entries[v.assignment_id].request, model.minutes_of(v.starts_at))
        for v in context.visits
        if v.id != visit_id
    ]
    request = context.entries[visit.assignment_id].request
    for start in context.frame.starts():
        moment = model.moment_of(start)
        free = not model.clashes(request, start, context.frame, others)
        if free and moment.astimezone(JAKARTA).day == day:
            return moment.astimezone(JAKARTA)
    raise AssertionError("no free start")


def test_api_moves_a_visit_to_another_day_with_the_same_checks(
    app: Flask, db: Session, client: Any, tokens: dict[str, dict[str, str]], fair: Fair
) -> None:
    client.post(f"{API}/visits/auto", json=LONGER, headers=tokens["organizer"])
    mine = client.get(f"{API}/visits?judge=me", headers=tokens["judge1"]).get_json()["items"]
    visit = next(i for i in mine if i["starts_at"].startswith("2026-12-10"))
    # into the night, and past the window: outside it, nothing changes
    for night in ("2026-12-10T20:00:00+07:00", "2026-12-12T09:30:00+07:00"):
        response = client.patch(
            f"{API}/visits/{visit['id']}", json={"starts_at": night}, headers=tokens["organizer"]
        )
        assert response.status_code == 409
        reasons = {c["reason"] for c in response.get_json()["error"]["conflicts"]}
        assert reasons == {"outside_window"}
    # onto judge1's panel on the first day: refused with the reason (the judge's other
    # visits that day are in the way too)
    response = client.patch(
        f"{API}/visits/{visit['id']}",
        json={"starts_at": "2026-12-10T09:15:00+07:00"},
        headers=tokens["organizer"],
    )
    assert response.status_code == 409
    assert "judge_busy" in {c["reason"] for c in response.get_json()["error"]["conflicts"]}
    # to a free time of the second day, within its hours
    free = _free_start(db, app, visit["id"], day=11)
    response = client.patch(
        f"{API}/visits/{visit['id']}",
        json={"starts_at": free.isoformat()},
        headers=tokens["organizer"],
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["manual"] is True
    assert response.get_json()["starts_at"] == free.astimezone(UTC).isoformat()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"daily_start": "09:00"}, "daily_end"),
        ({"daily_end": "11:00"}, "daily_start"),
        ({"daily_start": "11:00", "daily_end": "09:00"}, "daily_end"),
        ({"daily_start": "9am", "daily_end": "11:00"}, "daily_start"),
        ({"daily_start": "24:00", "daily_end": "11:00"}, "daily_start"),
    ],
)
def test_api_refuses_bad_daily_hours(
    client: Any,
    tokens: dict[str, dict[str, str]],
    db: Session,
    changes: dict[str, str],
    field: str,
) -> None:
    response = client.post(
        f"{API}/visits/auto", json={**BODY, **changes}, headers=tokens["organizer"]
    )
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    assert db.scalar(select(VotingVisit.id)) is None


def test_pages_plan_with_daily_hours_and_move_to_another_day(
    app: Flask, db: Session, client: Any, auth: Any, fair: Fair
) -> None:
    auth.login(ORGANIZER)
    form = {
        "starts_at": "2026-12-10T09:00",
        "ends_at": "2026-12-11T13:00",
        "daily_start": "09:00",
        "daily_end": "12:00",
        "minutes_per_visit": "20",
        "changeover_minutes": "5",
    }
    bad = client.post(
        f"/{SLUG}/voting/manage/visits/plan",
        data={**form, "daily_end": "25:00"},
        follow_redirects=True,
    )
    assert bad.status_code == 200 and "flash-error" in bad.get_data(as_text=True)
    assert db.scalar(select(VotingVisit.id)) is None
    db.rollback()  # no transaction left open while the client writes (SQLite)
    page = client.post(f"/{SLUG}/voting/manage/visits/plan", data=form, follow_redirects=True)
    text = page.get_data(as_text=True)
    assert text.count('class="visit-day"') == 2  # the grid by day
    assert 'name="daily_end" value="12:00"' in text
    rows = _rows(db, app)
    row = next(r for r in rows if r.visit.starts_at.astimezone(JAKARTA).day == 10)
    visit_id = row.visit.id
    other_day = _free_start(db, app, visit_id, day=11)
    moved = client.post(
        f"/{SLUG}/voting/manage/visits/{visit_id}/move",
        data={"starts_at": other_day.strftime("%Y-%m-%dT%H:%M")},
        follow_redirects=True,
    )
    assert moved.status_code == 200 and "flash-success" in moved.get_data(as_text=True)
    db.expire_all()
    stored = db.get(VotingVisit, visit_id)
    assert stored is not None and stored.manual
    assert stored.starts_at.astimezone(JAKARTA) == other_day
    db.rollback()
    night = client.post(
        f"/{SLUG}/voting/manage/visits/{visit_id}/move",
        data={"starts_at": "2026-12-10T22:00"},
        follow_redirects=True,
    )
    assert "flash-error" in night.get_data(as_text=True)
    db.expire_all()
    assert db.get(VotingVisit, visit_id).starts_at.astimezone(JAKARTA) == other_day  # type: ignore[union-attr]


def test_judging_app_bundle_holds_the_judges_own_route(
    client: Any, auth: Any, tokens: dict[str, dict[str, str]], fair: Fair
) -> None:
    client.post(f"{API}/visits/auto", json=DAYS, headers=tokens["organizer"])
    mine = client.get(f"{API}/visits?judge=me", headers=tokens["judge1"]).get_json()["items"]
    every = client.get(f"{API}/visits?limit=500", headers=tokens["organizer"]).get_json()
    auth.login(JUDGES[0])
    bundle = client.get(f"/{SLUG}/voting/judge/app/data.json").get_json()
    route = bundle["visits"]
    assert [v["id"] for v in route] == [v["id"] for v in mine]  # own visits only, in time order
    assert len(route) < every["total"]
    assert [v["starts_at"] for v in route] == sorted(v["starts_at"] for v in route)
    first = route[0]
    assert set(first) == {
        "id", "starts_at", "ends_at", "booth", "innovation", "organization", "broken",
    }  # fmt: skip
    assert first["booth"]["code"] and "floor-plan?highlight=" in first["booth"]["url"]
    assert first["broken"] is False
    page = client.get(f"/{SLUG}/voting/judge/app/").get_data(as_text=True)
    assert 'data-role="visits"' in page and "judge_app_visits.js" in page
    assert "Kunjungan stan Anda" in page  # Indonesian first
    auth.logout()
    auth.login(JUDGES[1])
    other = client.get(f"/{SLUG}/voting/judge/app/data.json").get_json()["visits"]
    assert other and not {v["id"] for v in other} & {v["id"] for v in route}


def test_judging_app_bundle_without_visits(client: Any, auth: Any, fair: Fair) -> None:
    auth.login(JUDGES[0])
    assert client.get(f"/{SLUG}/voting/judge/app/data.json").get_json()["visits"] == []

"""Judges' booth visits through the service and the API, around the symposium and the booths."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Event, Innovation, Membership, Organization
from core.services import roles
from plugins.exhibitors.models import Booth
from plugins.symposium.models import Room, SessionSpeaker, Speaker
from plugins.symposium.models import Session as SymSession
from plugins.voting import visits
from plugins.voting.models import VotingAssignment, VotingVisit
from plugins.voting.rubric import ensure_stage
from tests.conftest import PASSWORD

SLUG = "visit-2026"
API = f"/api/v1/events/{SLUG}"
ORGANIZER = "organizer@example.id"
JUDGES = ["judge1@example.id", "judge2@example.id", "judge3@example.id"]
EXHIBITOR = "staff@agency0.example.id"
PLUGINS = ["voting", "symposium", "exhibitors"]
# 10 December 2026, 09:00-13:00 in Jakarta (UTC+7)
OPENS = datetime(2026, 12, 10, 2, 0, tzinfo=UTC)
CLOSES = OPENS + timedelta(hours=4)
BODY = {
    "starts_at": "2026-12-10T09:00:00+07:00",
    "ends_at": "2026-12-10T13:00:00+07:00",
    "minutes_per_visit": 20,
    "changeover_minutes": 5,
}


@dataclass
class Fair:
    """Ids of what the fixture made."""

    event_id: int
    judges: list[int]
    organizations: list[int]
    innovations: list[int]
    panel_id: int  # the symposium session judge1 moderates
    talk_id: int  # the session where agency 1 presents


def _session(db: Session, event: Event, room: Room, title: str, start: datetime, **who: Any) -> int:
    item = SymSession(
        event_id=event.id,
        title=title,
        kind="panel",
        duration_minutes=60,
        room_id=room.id,
        starts_at=start,
    )
    db.add(item)
    db.flush()
    speaker = Speaker(event_id=event.id, **who)
    db.add(speaker)
    db.flush()
    db.add(SessionSpeaker(session_id=item.id, speaker_id=speaker.id))
    return item.id


@pytest.fixture
def fair(make: Any, db: Session) -> Fair:
    """3 judges, 4 agencies with a booth each (two zones far apart), 8 innovations, 2 judges
    per innovation; judge1 moderates a panel 09:00-10:00, agency 1 presents 10:00-11:00."""
    organizer = make.user(ORGANIZER, "Organizer")
    event = make.event(SLUG, plugins=PLUGINS, organizer=organizer)
    judges = [make.user(email, f"Judge {n}") for n, email in enumerate(JUDGES, start=1)]
    staff = make.user(EXHIBITOR, "Agency staff")
    organizations = [Organization(name=f"Dinas {n}", region="Surabaya") for n in range(4)]
    db.add_all(organizations)
    db.flush()
    db.add(Membership(user_id=staff.id, organization_id=organizations[0].id))
    for judge in judges:
        roles.appoint(db, event, email=judge.email, role="judge")
    innovations = []
    for n in range(8):
        innovation = Innovation(
            event_id=event.id,
            organization_id=organizations[n % 4].id,
            title=f"Inovasi {n}",
            summary="x",
            category="health",
            status="accepted",
        )
        db.add(innovation)
        innovations.append(innovation)
    for n, organization in enumerate(organizations):
        db.add(
            Booth(
                event_id=event.id,
                code=f"{'AB'[n // 2]}-{n}",
                zone="AB"[n // 2],
                x=0 if n < 2 else 400,
                y=3 * n,
                width=3,
                height=3,
                organization_id=organization.id,
            )
        )
    db.flush()
    stage = ensure_stage(db, event)
    for n, innovation in enumerate(innovations):
        for judge in (judges[n % 3], judges[(n + 1) % 3]):
            db.add(
                VotingAssignment(stage_id=stage.id, judge_id=judge.id, innovation_id=innovation.id)
            )
    room = Room(event_id=event.id, name="Pendopo", capacity=100)
    db.add(room)
    db.flush()
    panel = _session(db, event, room, "Panel juri", OPENS, name="Judge 1", email=JUDGES[0])
    talk = _session(
        db,
        event,
        room,
        "Paparan Dinas 1",
        OPENS + timedelta(hours=1),
        name="Presenter",
        email="presenter@example.id",
        affiliation="dinas  1",
    )
    db.commit()
    return Fair(
        event.id,
        [j.id for j in judges],
        [o.id for o in organizations],
        [i.id for i in innovations],
        panel,
        talk,
    )


def _plan(db: Session, app: Flask, **changes: Any) -> dict[str, Any]:
    event = db.get(Event, db.scalar(select(Event.id).where(Event.slug == SLUG)))
    assert event is not None
    values = {
        "starts_at": OPENS,
        "ends_at": CLOSES,
        "minutes_per_visit": 20,
        "changeover_minutes": 5,
        **changes,
    }
    with app.test_request_context():
        report = visits.auto_plan(db, app.extensions["gelar_plugins"], event, **values)
        db.commit()
    return report


def _rows(db: Session, app: Flask) -> list[visits.VisitRow]:
    event = db.scalar(select(Event).where(Event.slug == SLUG))
    with app.test_request_context():
        return visits.rows(db, app.extensions["gelar_plugins"], event)


def _check_rules(rows: list[visits.VisitRow], fair: Fair) -> None:
    """Nobody in two places, one judge per booth, the stage and the presenters respected."""
    for row in rows:
        assert not row.clashes
        judge, organization = row.entry.judge.id, row.entry.innovation.organization_id
        if judge == fair.judges[0]:
            assert row.visit.starts_at >= OPENS + timedelta(minutes=65)  # panel + changeover
        if organization == fair.organizations[1]:
            hour = (
                OPENS + timedelta(hours=1) - timedelta(minutes=5),
                OPENS + timedelta(hours=2, minutes=5),
            )
            assert row.visit.ends_at <= hour[0] or row.visit.starts_at >= hour[1]
    for a in rows:
        for b in rows:
            if a is b:
                continue
            overlap = a.visit.starts_at < b.visit.ends_at and b.visit.starts_at < a.visit.ends_at
            if a.entry.judge.id == b.entry.judge.id or (
                a.entry.innovation.organization_id == b.entry.innovation.organization_id
            ):
                assert not overlap


def test_service_plans_every_visit_around_the_symposium(
    app: Flask, db: Session, fair: Fair
) -> None:
    report = _plan(db, app)
    assert report["placed"] == 16 and report["unplaced"] == [] and report["kept"] == 0
    rows = _rows(db, app)
    assert len(rows) == 16
    _check_rules(rows, fair)
    # the walk between zones A and B (400 m) is kept between a judge's visits
    by_judge: dict[int, list[visits.VisitRow]] = {}
    for row in rows:
        by_judge.setdefault(row.entry.judge.id, []).append(row)
    for route in by_judge.values():
        route.sort(key=lambda r: r.visit.starts_at)
        for a, b in itertools.pairwise(route):
            gap = (b.visit.starts_at - a.visit.ends_at).total_seconds() / 60
            assert gap >= (5 if a.entry.booth.zone == b.entry.booth.zone else 13)


def test_replanning_keeps_what_holds_and_a_moved_session_flags_the_broken(
    app: Flask, db: Session, fair: Fair
) -> None:
    _plan(db, app)
    before = {r.visit.assignment_id: r.visit.starts_at for r in _rows(db, app)}
    # the organizer moves agency 1's talk to 11:00-12:00: its visits then may break
    talk = db.get(SymSession, fair.talk_id)
    talk.starts_at = OPENS + timedelta(hours=2)
    db.commit()
    rows = _rows(db, app)
    broken = {r.visit.assignment_id for r in rows if r.broken}
    assert broken, "a visit to agency 1 lay in 11:00-12:00"
    assert all(
        r.entry.innovation.organization_id == fair.organizations[1] for r in rows if r.broken
    )
    report = _plan(db, app)
    assert report["kept"] == 16 - len(broken) and report["placed"] == 16
    after = {r.visit.assignment_id: r.visit.starts_at for r in _rows(db, app)}
    for key, start in before.items():
        if key not in broken:
            assert after[key] == start
    assert not any(r.broken for r in _rows(db, app))


def test_a_moved_booth_flags_the_walks_it_breaks(app: Flask, db: Session, fair: Fair) -> None:
    _plan(db, app)
    assert not any(r.broken for r in _rows(db, app))
    booth = db.scalar(select(Booth).where(Booth.organization_id == fair.organizations[0]))
    booth.zone, booth.x = "C", 5000  # 100 minutes' walk from everything else
    db.commit()
    broken = [r for r in _rows(db, app) if r.broken]
    assert broken
    assert {c.code for r in broken for c in r.clashes} == {visits.model.JUDGE_ELSEWHERE}
    report = _plan(db, app)
    assert report["kept"] >= 16 - len(broken) and not any(r.broken for r in _rows(db, app))


def test_plugins_off_mean_fewer_constraints(app: Flask, db: Session, fair: Fair) -> None:
    from core.services import plugin_settings

    event = db.scalar(select(Event).where(Event.slug == SLUG))
    plugin_settings.set_enabled_plugins(db, app.extensions["gelar_plugins"], event, ["voting"])
    db.commit()
    report = _plan(db, app, starts_at=OPENS, ends_at=OPENS + timedelta(hours=3))
    assert report["placed"] == 16
    rows = _rows(db, app)
    assert all(r.entry.booth is None for r in rows)
    # without the symposium, judge1 may visit during the panel
    first = min(r.visit.starts_at for r in rows if r.entry.judge.id == fair.judges[0])
    assert first < OPENS + timedelta(minutes=60)


def test_unplaceable_visits_are_listed_with_reasons(app: Flask, db: Session, fair: Fair) -> None:
    report = _plan(db, app, ends_at=OPENS + timedelta(minutes=60))
    judge1 = [u for u in report["unplaced"] if u["entry"].judge.id == fair.judges[0]]
    assert judge1 and all(visits.model.JUDGE_BUSY in u["reasons"] for u in judge1)
    assert any("Panel juri" in u["blockers"] for u in judge1)


# -- HTTP ----------------------------------------------------------------------------------


@pytest.fixture
def tokens(fair: Fair, api_token: Any) -> dict[str, dict[str, str]]:
    """Bearer headers: organizer, judge1, the agency-0 exhibitor."""
    return {
        "organizer": api_token(ORGANIZER),
        "judge1": api_token(JUDGES[0], PASSWORD),
        "exhibitor": api_token(EXHIBITOR, PASSWORD),
    }


def test_api_plan_list_and_move(client: Any, tokens: dict[str, dict[str, str]], fair: Fair) -> None:
    response = client.post(f"{API}/visits/auto", json=BODY, headers=tokens["organizer"])
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["placed"] == 16 and response.get_json()["unplaced"] == []
    every = client.get(f"{API}/visits?limit=500", headers=tokens["organizer"]).get_json()
    assert every["total"] == 16
    item = every["items"][0]
    assert set(item) >= {"judge", "innovation", "organization", "booth", "starts_at", "ends_at"}
    mine = client.get(f"{API}/visits?judge=me", headers=tokens["judge1"]).get_json()
    assert mine["total"] and all(i["judge"]["id"] == fair.judges[0] for i in mine["items"])
    times = [i["starts_at"] for i in mine["items"]]
    assert times == sorted(times)
    assert all(i["booth"]["code"] for i in mine["items"])
    own = client.get(f"{API}/visits", headers=tokens["exhibitor"]).get_json()
    assert own["total"] == 4  # two innovations of agency 0, two judges each
    assert {i["organization"]["id"] for i in own["items"]} == {fair.organizations[0]}
    # a move onto judge1's panel is refused with the reason, nothing changes
    visit = next(i for i in mine["items"])
    response = client.patch(
        f"{API}/visits/{visit['id']}",
        json={"starts_at": "2026-12-10T09:10:00+07:00"},
        headers=tokens["organizer"],
    )
    assert response.status_code == 409
    reasons = {c["reason"] for c in response.get_json()["error"]["conflicts"]}
    assert "judge_busy" in reasons
    again = client.get(f"{API}/visits?judge=me", headers=tokens["judge1"]).get_json()
    assert next(i for i in again["items"] if i["id"] == visit["id"]) == visit
    # a free time is accepted
    free = "2026-12-10T13:30:00+07:00"
    client.post(
        f"{API}/visits/auto",
        json={**BODY, "ends_at": "2026-12-10T14:00:00+07:00"},
        headers=tokens["organizer"],
    )
    response = client.patch(
        f"{API}/visits/{visit['id']}", json={"starts_at": free}, headers=tokens["organizer"]
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["manual"] is True
    assert response.get_json()["starts_at"].startswith("2026-12-10T06:30")


@pytest.mark.parametrize(
    "body",
    [
        {**BODY, "ends_at": "2026-12-10T08:00:00+07:00"},
        {**BODY, "minutes_per_visit": 0},
        {**BODY, "changeover_minutes": -1},
        {**BODY, "starts_at": "yesterday"},
        {k: v for k, v in BODY.items() if k != "ends_at"},
        {**BODY, "extra": 1},
    ],
)
def test_api_refuses_bad_windows(
    client: Any, tokens: dict[str, dict[str, str]], body: dict[str, Any], db: Session
) -> None:
    response = client.post(f"{API}/visits/auto", json=body, headers=tokens["organizer"])
    assert response.status_code in (400, 422)
    assert "error" in response.get_json()
    assert db.scalar(select(VotingVisit.id)) is None


def test_api_who_may(
    client: Any, tokens: dict[str, dict[str, str]], make: Any, api_token: Any
) -> None:
    assert client.post(f"{API}/visits/auto", json=BODY, headers=tokens["judge1"]).status_code == 403
    assert client.get(f"{API}/visits").status_code == 401
    make.user("nobody@example.id", "Nobody")
    assert client.get(f"{API}/visits", headers=api_token("nobody@example.id")).status_code == 403
    # an organizer of another event does not reach this one
    other = make.user("other@example.id", "Other")
    make.event("other-2026", plugins=PLUGINS, organizer=other)
    headers = api_token("other@example.id")
    assert client.post(f"{API}/visits/auto", json=BODY, headers=headers).status_code == 403
    assert client.get(f"{API}/visits", headers=headers).status_code == 403


def test_disabled_voting_answers_404(
    client: Any, tokens: dict[str, dict[str, str]], make: Any
) -> None:
    make.event("novote-2026", plugins=["symposium"], organizer=None)
    for path in ("/api/v1/events/novote-2026/visits", "/novote-2026/voting/manage/visits"):
        assert client.get(path, headers=tokens["organizer"]).status_code == 404


# -- pages ---------------------------------------------------------------------------------


def test_pages_plan_grid_route_and_panels(client: Any, auth: Any, fair: Fair) -> None:
    auth.login(ORGANIZER)
    page = client.get(f"/{SLUG}/voting/manage/visits")
    assert page.status_code == 200
    form = {
        "starts_at": "2026-12-10T09:00",
        "ends_at": "2026-12-10T12:00",
        "minutes_per_visit": "20",
        "changeover_minutes": "5",
    }
    response = client.post(f"/{SLUG}/voting/manage/visits/plan", data=form, follow_redirects=True)
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and 'class="visit-grid' in text.replace("table-wrap ", "")
    assert "A-0" in text and "Judge 1" in text
    bad = client.post(
        f"/{SLUG}/voting/manage/visits/plan",
        data={**form, "minutes_per_visit": "x"},
        follow_redirects=True,
    )
    assert bad.status_code == 200 and "flash" in bad.get_data(as_text=True)
    dashboard = client.get(f"/{SLUG}/manage/").get_data(as_text=True)
    assert 'data-stat="broken_visits"' in dashboard
    auth.logout()
    auth.login(JUDGES[0])
    route = client.get(f"/{SLUG}/voting/judge/visits").get_data(as_text=True)
    assert "floor-plan?highlight=" in route and 'class="visit-item' in route
    assert "visit-route" in client.get(f"/{SLUG}/voting/judge/").get_data(as_text=True)
    assert 'data-count="visits"' in client.get("/me").get_data(as_text=True)
    auth.logout()
    auth.login(EXHIBITOR)
    assert "Inovasi 0" in client.get("/me").get_data(as_text=True)

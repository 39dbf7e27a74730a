"""A stage's judging window: scores only between opens_at and closes_at, shown to judges."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from core.models import AuditEntry
from core.services.errors import Conflict, NotFound, ValidationFailed
from plugins.voting import assignment, rubric, scoring, stages
from plugins.voting.models import VotingAssignment, VotingScore
from plugins.voting.settings import VotingSettings
from tests.plugins.voting.conftest import JUDGES, ORGANIZER, World, set_voting
from tests.plugins.voting.test_scoring import FULL

API = "/api/v1/events"
OPENS = datetime(2030, 3, 1, 1, 0, tzinfo=UTC)  # 08:00 in Asia/Jakarta
CLOSES = datetime(2030, 3, 8, 10, 0, tzinfo=UTC)  # 17:00 in Asia/Jakarta
PAST = datetime(2001, 1, 1, tzinfo=UTC)


@pytest.fixture
def assigned(app: Any, world: World, db: Any) -> int:
    """Two judges per innovation, scoring open; returns an innovation judge1 must score."""
    assignment.auto_assign(db, db.merge(world.event), 2, seed=5)
    db.commit()
    set_voting(app, db, world.event, scoring_open=True)
    found = db.scalar(
        select(VotingAssignment.innovation_id)
        .where(VotingAssignment.judge_id == world.judges[0].id)
        .order_by(VotingAssignment.innovation_id)
    )
    db.commit()
    return int(found)


def stage_id(db: Any, world: World) -> int:
    found = rubric.current_stage(db, db.merge(world.event)).id
    db.commit()
    return found


def score_count(db: Any) -> int:
    found = len(db.scalars(select(VotingScore)).all())
    db.commit()
    return found


def test_window_state_bounds() -> None:
    stage = rubric.VotingStage(name="S", opens_at=OPENS, closes_at=CLOSES)
    assert stages.window_state(stage, OPENS - timedelta(seconds=1)) == "not_yet"
    assert stages.window_state(stage, OPENS) == "open"
    assert stages.window_state(stage, CLOSES - timedelta(seconds=1)) == "open"
    assert stages.window_state(stage, CLOSES) == "over"
    assert stages.window_state(rubric.VotingStage(name="S"), PAST) == "open"


def test_scoring_service_refuses_outside_the_window(world: World, db: Any, assigned: int) -> None:
    event = db.merge(world.event)
    stages.set_window(db, event, stage_id(db, world), OPENS, CLOSES)
    db.commit()
    judge = db.merge(world.judges[0])
    settings = VotingSettings(scoring_open=True)
    early = OPENS - timedelta(minutes=1)
    with pytest.raises(Conflict) as caught:
        scoring.save_scores(db, event, judge, assigned, FULL, settings=settings, now=early)
    assert "opens at 2030-03-01 08:00 (Asia/Jakarta)" in caught.value.message
    db.rollback()
    with pytest.raises(Conflict) as caught:
        scoring.save_scores(
            db, db.merge(event), judge, assigned, FULL, settings=settings, now=CLOSES
        )
    assert "closed at 2030-03-08 17:00 (Asia/Jakarta)" in caught.value.message
    db.rollback()
    assert score_count(db) == 0
    inside = OPENS + timedelta(days=1)
    row = scoring.save_scores(
        db, db.merge(event), db.merge(judge), assigned, FULL, settings=settings, now=inside
    )
    assert row.submitted


def test_set_window_checks_and_audits(world: World, db: Any) -> None:
    event = db.merge(world.event)
    sid = stage_id(db, world)
    with pytest.raises(ValidationFailed) as caught:
        stages.set_window(db, event, sid, CLOSES, OPENS)
    assert "closes_at" in caught.value.fields
    with pytest.raises(ValidationFailed) as caught:
        stages.set_window(db, event, sid, datetime(2030, 1, 1), None)
    assert "opens_at" in caught.value.fields
    with pytest.raises(NotFound):
        stages.set_window(db, event, 999999, OPENS, CLOSES)
    stage = stages.set_window(db, event, sid, OPENS, None)
    db.commit()
    assert stage.opens_at == OPENS and stage.closes_at is None
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "voting.stage_window_changed"))
    assert entry.detail["old"] == [None, None] and entry.detail["new"][0].startswith("2030-03-01")


def test_api_sets_the_window_and_scoring_outside_is_409(
    client: Any, world: World, headers: dict[str, Any], assigned: int, db: Any
) -> None:
    sid = stage_id(db, world)
    url = f"{API}/{world.slug}/stages/{sid}"
    body = {"opens_at": OPENS.isoformat(), "closes_at": CLOSES.isoformat()}
    assert client.patch(url, json=body, headers=headers["judge1"]).status_code == 403
    assert client.patch(url, json=body).status_code == 401
    response = client.patch(url, json=body, headers=headers["organizer"])
    assert response.status_code == 200, response.get_json()
    stage = response.get_json()
    assert stage["window"] == "not_yet" and stage["opens_at"].startswith("2030-03-01T01:00")
    listing = client.get(f"{API}/{world.slug}/stages", headers=headers["judge1"]).get_json()
    assert listing["items"][0]["closes_at"].startswith("2030-03-08T10:00")
    scores_url = f"{API}/{world.slug}/innovations/{assigned}/scores"
    early = client.put(scores_url, json={"scores": FULL}, headers=headers["judge1"])
    assert early.status_code == 409
    error = early.get_json()["error"]
    assert "dibuka pada 2030-03-01 08:00" in error["message"]
    assert score_count(db) == 0
    over = {"opens_at": None, "closes_at": PAST.isoformat()}
    assert client.patch(url, json=over, headers=headers["organizer"]).get_json()["window"] == "over"
    late = client.put(scores_url, json={"scores": FULL}, headers=headers["judge1"])
    assert (
        late.status_code == 409 and "ditutup pada 2001-01-01" in late.get_json()["error"]["message"]
    )
    assert score_count(db) == 0
    cleared = client.patch(url, json={}, headers=headers["organizer"])
    assert cleared.get_json()["window"] == "open" and cleared.get_json()["opens_at"] is None
    ok = client.put(scores_url, json={"scores": FULL}, headers=headers["judge1"])
    assert ok.status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"opens_at": CLOSES.isoformat(), "closes_at": OPENS.isoformat()}, "closes_at"),
        ({"opens_at": "2030-03-01T08:00:00"}, "opens_at"),  # no time zone
        ({"opens_at": "soon"}, "opens_at"),
        ({"window": "always"}, "window"),
    ],
)
def test_api_refuses_bad_windows_and_changes_nothing(
    client: Any, world: World, headers: dict[str, Any], db: Any, body: dict[str, Any], field: str
) -> None:
    sid = stage_id(db, world)
    response = client.patch(
        f"{API}/{world.slug}/stages/{sid}", json=body, headers=headers["organizer"]
    )
    assert response.status_code == 422
    assert field in str(response.get_json()["error"]["fields"])
    stage = rubric.get_stage(db, db.merge(world.event), sid)
    assert stage.opens_at is None and stage.closes_at is None
    db.commit()
    missing = client.patch(
        f"{API}/{world.slug}/stages/999999", json={}, headers=headers["organizer"]
    )
    assert missing.status_code == 404


def login(client: Any, auth: Any, email: str) -> None:
    assert auth.login(email).status_code == 302
    client.post("/lang/en")


def test_judge_queue_shows_the_window_and_the_score_page_is_closed(
    client: Any, auth: Any, world: World, assigned: int, db: Any
) -> None:
    stages.set_window(db, db.merge(world.event), stage_id(db, world), OPENS, CLOSES)
    db.commit()
    login(client, auth, JUDGES[0])
    page = client.get(f"/{world.slug}/voting/judge/").get_data(as_text=True)
    assert 'data-window="not_yet"' in page and "Scoring has not opened yet." in page
    assert "Judging window:" in page and "2030" in page
    form = {f"score-{k}": str(v) for k, v in FULL.items()}
    posted = client.post(f"/{world.slug}/voting/judge/{assigned}", data=form)
    assert posted.status_code == 409 and "opens at 2030-03-01 08:00" in posted.get_data(
        as_text=True
    )
    assert score_count(db) == 0


def test_organizer_sets_the_window_from_the_console(
    client: Any, auth: Any, world: World, db: Any
) -> None:
    sid = stage_id(db, world)
    login(client, auth, ORGANIZER)
    url = f"/{world.slug}/voting/manage/stages/{sid}/window"
    bad = client.post(url, data={"opens_at": "2030-03-08T17:00", "closes_at": "2030-03-01T08:00"})
    assert bad.status_code == 302
    stage = rubric.get_stage(db, db.merge(world.event), sid)
    assert stage.opens_at is None
    db.commit()
    good = client.post(url, data={"opens_at": "2030-03-01T08:00", "closes_at": "2030-03-08T17:00"})
    assert good.status_code == 302
    db.expire_all()
    stage = rubric.get_stage(db, db.merge(world.event), sid)
    assert stage.opens_at == OPENS and stage.closes_at == CLOSES
    db.commit()
    page = client.get(f"/{world.slug}/voting/manage/").get_data(as_text=True)
    assert 'value="2030-03-01T08:00"' in page

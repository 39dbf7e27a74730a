"""Judges' scores: assigned only, rubric-checked, drafts, audit old -> new, locked once closed."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from core.models import AuditEntry
from plugins.voting import assignment, rubric, stages
from plugins.voting.models import VotingAssignment, VotingScore
from tests.plugins.voting.conftest import World, set_voting

API = "/api/v1/events"
FULL = {
    "cepat": 8,
    "efektif": 7,
    "efisien": 6.5,
    "transparan": 9,
    "tanggap": 6,
    "responsif": 7.5,
}


@pytest.fixture
def assigned(app: Any, world: World, db: Any) -> dict[int, list[int]]:
    """Every innovation gets 2 judges; scoring is open. Returns judge id -> innovation ids."""
    assignment.auto_assign(db, db.merge(world.event), 2, seed=5)
    db.commit()
    set_voting(app, db, world.event, scoring_open=True)
    found: dict[int, list[int]] = {}
    for row in db.scalars(select(VotingAssignment)):
        found.setdefault(row.judge_id, []).append(row.innovation_id)
    db.commit()  # end the read (commit keeps objects loaded) so the app need not wait
    return found


def url(world: World, innovation_id: int) -> str:
    return f"{API}/{world.slug}/innovations/{innovation_id}/scores"


def scores_in_db(db: Any) -> list[tuple[str, float]]:
    rows = db.execute(select(VotingScore.criterion_key, VotingScore.value)).all()
    found = sorted((key, value) for key, value in rows)
    db.commit()
    return found


def test_assigned_judge_scores_and_the_audit_log_keeps_old_and_new(
    client: Any, world: World, headers: dict[str, Any], assigned: Any, db: Any
) -> None:
    target = assigned[world.judges[0].id][0]
    response = client.put(
        url(world, target), json={"scores": FULL, "comment": "Good"}, headers=headers["judge1"]
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "submitted"
    changed = {**FULL, "cepat": 3}
    response = client.put(url(world, target), json={"scores": changed}, headers=headers["judge1"])
    assert response.status_code == 200
    entries = list(
        db.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "voting.scores_saved")
            .order_by(AuditEntry.id)
        )
    )
    assert len(entries) == 2
    assert entries[1].detail["old"]["scores"]["cepat"] == 8
    assert entries[1].detail["new"]["scores"]["cepat"] == 3
    assert entries[1].user_id == world.judges[0].id
    db.commit()
    mine = client.get(f"{API}/{world.slug}/assignments?judge=me", headers=headers["judge1"])
    statuses = {i["innovation"]["id"]: i["status"] for i in mine.get_json()["items"]}
    assert statuses[target] == "submitted"


def test_unassigned_judge_gets_403(
    client: Any, world: World, headers: dict[str, Any], assigned: Any, db: Any
) -> None:
    mine = set(assigned[world.judges[0].id])
    other = next(i.id for i in world.innovations if i.id not in mine)
    response = client.put(url(world, other), json={"scores": FULL}, headers=headers["judge1"])
    assert response.status_code == 403
    assert scores_in_db(db) == []


def test_conflicted_judge_gets_403_even_when_assigned_by_hand(
    client: Any, world: World, headers: dict[str, Any], assigned: Any, db: Any
) -> None:
    own = world.innovations[0]  # agency 0, judge1 is a member
    stage = rubric.current_stage(db, db.merge(world.event))
    db.add(VotingAssignment(stage_id=stage.id, judge_id=world.judges[0].id, innovation_id=own.id))
    db.commit()
    response = client.put(url(world, own.id), json={"scores": FULL}, headers=headers["judge1"])
    assert response.status_code == 403
    assert scores_in_db(db) == []


@pytest.mark.parametrize(
    ("scores", "named"),
    [
        ({k: v for k, v in FULL.items() if k != "tanggap"}, "tanggap"),
        ({**FULL, "cepat": 11}, "cepat"),
        ({**FULL, "responsif": 0}, "responsif"),
        ({**FULL, "transparan": "high"}, "transparan"),
        ({**FULL, "beauty": 5}, "beauty"),
    ],
)
def test_bad_scores_are_422_naming_the_criterion_and_nothing_saved(
    client: Any,
    world: World,
    headers: dict[str, Any],
    assigned: Any,
    db: Any,
    scores: dict[str, Any],
    named: str,
) -> None:
    target = assigned[world.judges[0].id][0]
    response = client.put(url(world, target), json={"scores": scores}, headers=headers["judge1"])
    assert response.status_code == 422
    error = response.get_json()["error"]
    # the field keeps the key; the message names the criterion by its label (Indonesian)
    assert f"scores.{named}" in error["fields"] and named in error["message"].lower()
    assert error["message"].startswith("Periksa nilai untuk:")
    assert scores_in_db(db) == []


def test_draft_may_be_partial_and_is_not_counted_as_submitted(
    client: Any, world: World, headers: dict[str, Any], assigned: Any, db: Any
) -> None:
    target = assigned[world.judges[0].id][0]
    response = client.put(
        url(world, target), json={"scores": {"cepat": 4}, "draft": True}, headers=headers["judge1"]
    )
    assert response.status_code == 200
    assert response.get_json()["status"] == "draft"
    assert scores_in_db(db) == [("cepat", 4.0)]
    bad_draft = client.put(
        url(world, target), json={"scores": {"cepat": 40}, "draft": True}, headers=headers["judge1"]
    )
    assert bad_draft.status_code == 422


def test_scoring_closed_by_setting_or_stage_is_409(
    app: Any, client: Any, world: World, headers: dict[str, Any], assigned: Any, db: Any
) -> None:
    target = assigned[world.judges[0].id][0]
    set_voting(app, db, world.event, scoring_open=False)
    response = client.put(url(world, target), json={"scores": FULL}, headers=headers["judge1"])
    assert response.status_code == 409
    set_voting(app, db, world.event, scoring_open=True)
    stage = rubric.current_stage(db, db.merge(world.event))
    stages.close_stage(db, db.merge(world.event), stage.id)
    db.commit()
    response = client.put(url(world, target), json={"scores": FULL}, headers=headers["judge1"])
    assert response.status_code == 409
    assert scores_in_db(db) == []


def test_unknown_innovation_is_404_and_anonymous_401(
    client: Any, world: World, headers: dict[str, Any], assigned: Any
) -> None:
    missing = client.put(url(world, 999999), json={"scores": FULL}, headers=headers["judge1"])
    assert missing.status_code == 404
    anonymous = client.put(url(world, world.innovations[1].id), json={"scores": FULL})
    assert anonymous.status_code == 401


def test_judges_never_see_other_judges_scores(
    client: Any, world: World, headers: dict[str, Any], assigned: Any
) -> None:
    target = assigned[world.judges[0].id][0]
    client.put(url(world, target), json={"scores": FULL}, headers=headers["judge1"])
    for path in ("results", "votes/tally"):
        response = client.get(f"{API}/{world.slug}/{path}", headers=headers["judge2"])
        assert response.status_code == 403
    mine = client.get(f"{API}/{world.slug}/assignments?judge=me", headers=headers["judge2"])
    assert "scores" not in str(mine.get_json())


def test_an_older_five_value_rubric_still_scores_with_its_own_criteria(
    client: Any, world: World, headers: dict[str, Any], assigned: Any, db: Any
) -> None:
    """Events made before efisien joined the default keep (and are scored on) their rubric."""
    stage = rubric.current_stage(db, db.merge(world.event))
    stage.criteria.clear()
    db.flush()
    old = ["cepat", "efektif", "tanggap", "transparan", "responsif"]
    rubric.store_criteria(stage, [rubric.CriterionSpec(k, k, k) for k in old])
    db.commit()
    target = assigned[world.judges[0].id][0]
    six = client.put(url(world, target), json={"scores": FULL}, headers=headers["judge1"])
    assert six.status_code == 422 and "scores.efisien" in six.get_json()["error"]["fields"]
    assert scores_in_db(db) == []
    five = {k: v for k, v in FULL.items() if k != "efisien"}
    ok = client.put(url(world, target), json={"scores": five}, headers=headers["judge1"])
    assert ok.status_code == 200, ok.get_json()
    assert [k for k, _v in scores_in_db(db)] == sorted(old)

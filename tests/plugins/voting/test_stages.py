"""Stages: closing locks scores; top-N and cut-off advancement with explicit tie handling."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from core.services.errors import Conflict, ValidationFailed
from plugins.voting import assignment, rubric, stages
from plugins.voting.models import VotingAssignment, VotingScore
from plugins.voting.results import InnovationResult, Results
from tests.plugins.voting.conftest import World

API = "/api/v1/events"


def ranking(*scores: float) -> Results:
    """A ranked result list with innovation ids 1..n and the given final scores."""
    from plugins.voting.results import rank

    items = [
        InnovationResult(n, title=f"I{n}", raw_score=s, normalized_score=s, final_score=s)
        for n, s in enumerate(scores, start=1)
    ]
    return Results("raw", 0, rank(items, "raw"), [], {})


def test_top_n_without_ties() -> None:
    assert stages.select_advancing(ranking(90, 80, 70, 60), "top_n", 2, "all", None) == (
        [1, 2],
        [],
    )


def test_top_n_ties_at_the_boundary_all_advance() -> None:
    advanced, tied = stages.select_advancing(ranking(90, 80, 80, 80, 60), "top_n", 2, "all", None)
    assert advanced == [1, 2, 3, 4] and tied == [2, 3, 4]


def test_top_n_ties_at_the_boundary_organizer_decides() -> None:
    results = ranking(90, 80, 80, 60)
    with pytest.raises(Conflict) as caught:
        stages.select_advancing(results, "top_n", 2, "organizer", None)
    assert caught.value.extra["tied"] == [2, 3] and caught.value.extra["places"] == 1
    with pytest.raises(Conflict):
        stages.select_advancing(results, "top_n", 2, "organizer", [2, 3])
    assert stages.select_advancing(results, "top_n", 2, "organizer", [3]) == ([1, 3], [2, 3])


def test_cutoff_takes_everyone_at_or_above() -> None:
    assert stages.select_advancing(ranking(90, 75, 75, 60), "cutoff", 75, "all", None)[0] == [
        1,
        2,
        3,
    ]


@pytest.fixture
def scored(world: World, db: Any) -> World:
    """Every innovation scored by two judges, innovation k gets value k+1 everywhere."""
    assignment.auto_assign(db, db.merge(world.event), 2, seed=2)
    for row in db.scalars(select(VotingAssignment)):
        index = [i.id for i in world.innovations].index(row.innovation_id)
        for key in ("cepat", "efektif", "efisien", "transparan", "tanggap", "responsif"):
            row.scores.append(VotingScore(criterion_key=key, value=1 + index))
        row.submitted = True
    db.commit()
    return world


def test_close_and_advance_through_the_api(
    client: Any, scored: World, headers: dict[str, Any], db: Any
) -> None:
    stage_id = rubric.current_stage(db, db.merge(scored.event)).id
    db.commit()
    base = f"{API}/{scored.slug}/stages"
    early = client.post(
        f"{base}/{stage_id}/advance",
        json={"rule": "top_n", "value": 3},
        headers=headers["organizer"],
    )
    assert early.status_code == 409
    assert client.post(f"{base}/{stage_id}/close", headers=headers["judge1"]).status_code == 403
    closed = client.post(f"{base}/{stage_id}/close", headers=headers["organizer"])
    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"
    assert client.post(f"{base}/{stage_id}/close", headers=headers["organizer"]).status_code == 409
    response = client.post(
        f"{base}/{stage_id}/advance",
        json={"rule": "top_n", "value": 3, "next_name": "Presentation"},
        headers=headers["organizer"],
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    best = [i.id for i in scored.innovations][-3:]
    assert sorted(body["advanced"]) == sorted(best)
    assert body["stage"]["name"] == "Presentation" and body["stage"]["innovations"] == 3
    listing = client.get(base, headers=headers["organizer"]).get_json()
    assert [s["status"] for s in listing["items"]] == ["closed", "open"]
    again = client.post(
        f"{base}/{stage_id}/advance",
        json={"rule": "top_n", "value": 3},
        headers=headers["organizer"],
    )
    assert again.status_code == 409
    criteria = client.get(f"{API}/{scored.slug}/criteria", headers=headers["judge1"]).get_json()
    assert criteria["stage"]["name"] == "Presentation" and criteria["locked"] is False
    auto = client.post(
        f"{API}/{scored.slug}/assignments/auto",
        json={"judges_per_innovation": 2},
        headers=headers["organizer"],
    )
    assert auto.get_json()["created"] == 6


def test_advance_refuses_bad_rules(
    client: Any, scored: World, headers: dict[str, Any], db: Any
) -> None:
    event = db.merge(scored.event)
    stage = rubric.current_stage(db, event)
    stages.close_stage(db, event, stage.id)
    db.commit()
    url = f"{API}/{scored.slug}/stages/{stage.id}/advance"
    for body in ({"rule": "best"}, {"rule": "top_n", "value": 0}, {"rule": "cutoff", "value": 101}):
        assert client.post(url, json=body, headers=headers["organizer"]).status_code == 422
    with pytest.raises(ValidationFailed):
        stages.advance(db, event, stage.id, ranking(1), rule="top_n", value=1.5)
    assert (
        client.post(
            f"{API}/{scored.slug}/stages/999/close", headers=headers["organizer"]
        ).status_code
        == 404
    )

"""A judge's own sheets in one request: all-or-nothing, per-row errors, versions, client ids."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, select

from core.db import get_db
from plugins.voting import assignment
from plugins.voting.models import VotingAssignment, VotingScore
from tests.plugins.voting.conftest import World, set_voting

API = "/api/v1/events"
FULL = {"cepat": 8, "efektif": 7, "efisien": 6.5, "transparan": 9, "tanggap": 6, "responsif": 7.5}


@pytest.fixture
def assigned(app: Any, world: World, db: Any) -> dict[int, list[int]]:
    """Every innovation gets 2 judges; scoring is open. Returns judge id -> innovation ids."""
    assignment.auto_assign(db, db.merge(world.event), 2, seed=5)
    db.commit()
    set_voting(app, db, world.event, scoring_open=True)
    found: dict[int, list[int]] = {}
    for row in db.scalars(select(VotingAssignment)):
        found.setdefault(row.judge_id, []).append(row.innovation_id)
    db.commit()
    return found


def url(world: World) -> str:
    return f"{API}/{world.slug}/scores"


def score_count(db: Any) -> int:
    found = db.scalar(select(func.count(VotingScore.id)))
    db.commit()
    return found


def test_saves_many_sheets_with_versions(
    client: Any, world: World, headers: dict[str, Any], assigned: Any, db: Any
) -> None:
    mine = assigned[world.judges[2].id]
    items = [{"innovation": i, "scores": FULL, "submit": True} for i in mine]
    items[0] = {"innovation": mine[0], "scores": {"cepat": 5}, "comment": "draft"}
    response = client.put(url(world), json={"items": items}, headers=headers["judge3"])
    assert response.status_code == 200, response.get_json()
    got = response.get_json()["items"]
    assert [r["innovation"] for r in got] == mine
    assert got[0] == {"innovation": mine[0], "status": "saved", "version": 1}
    assert all(
        r == {"innovation": i, "status": "submitted", "version": 1}
        for r, i in zip(got[1:], mine[1:], strict=True)
    )
    assert score_count(db) == 1 + 6 * (len(mine) - 1)
    # The single-sheet PUT bumps the same version and returns it.
    single = client.put(
        f"{API}/{world.slug}/innovations/{mine[0]}/scores",
        json={"scores": FULL},
        headers=headers["judge3"],
    )
    assert single.status_code == 200
    assert single.get_json()["version"] == 2
    rows = db.scalars(
        select(VotingAssignment).where(
            VotingAssignment.innovation_id == mine[0],
            VotingAssignment.judge_id == world.judges[2].id,
        )
    )
    assert [r.version for r in rows] == [2]
    db.commit()


def test_one_invalid_row_stores_nothing_and_names_the_row(
    client: Any, world: World, headers: dict[str, Any], assigned: Any, db: Any
) -> None:
    mine = assigned[world.judges[2].id]
    others = [i.id for i in world.innovations if i.id not in mine]
    items = [
        {"innovation": mine[0], "scores": FULL, "submit": True},
        {"innovation": mine[1], "scores": {**FULL, "cepat": 11}, "submit": True},
        {"innovation": others[0], "scores": FULL},
        {"innovation": mine[2], "scores": {"nope": 3}},
        {"innovation": mine[3], "scores": {"cepat": 3}, "submit": True},
    ]
    response = client.put(url(world), json={"items": items}, headers=headers["judge3"])
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert set(fields) == {
        "items.1.scores.cepat",
        "items.2.innovation",
        "items.3.scores.nope",
        "items.4.scores.efektif",
        "items.4.scores.efisien",
        "items.4.scores.transparan",
        "items.4.scores.tanggap",
        "items.4.scores.responsif",
    }
    assert score_count(db) == 0


def test_conflict_of_interest_is_a_row_error(
    client: Any, world: World, headers: dict[str, Any], assigned: Any, db: Any
) -> None:
    # judge2 declared a conflict with agency 1; force an assignment to one of its innovations.
    target = next(i for i in world.innovations if i.organization_id == world.organizations[1].id)
    row = db.scalar(select(VotingAssignment).where(VotingAssignment.innovation_id == target.id))
    db.add(
        VotingAssignment(
            stage_id=row.stage_id, judge_id=world.judges[1].id, innovation_id=target.id
        )
    )
    db.commit()
    response = client.put(
        url(world),
        json={"items": [{"innovation": target.id, "scores": FULL}]},
        headers=headers["judge2"],
    )
    assert response.status_code == 422
    assert "items.0.innovation" in response.get_json()["error"]["fields"]


def test_client_id_is_applied_once_and_based_on_conflicts(
    client: Any, world: World, headers: dict[str, Any], assigned: Any, db: Any
) -> None:
    mine = assigned[world.judges[2].id]
    first = [
        {"innovation": mine[0], "scores": FULL, "client_id": "a-1"},
        {"innovation": mine[1], "scores": FULL, "client_id": "b-1"},
    ]
    response = client.put(url(world), json={"items": first}, headers=headers["judge3"])
    assert [r["version"] for r in response.get_json()["items"]] == [1, 1]
    # The same client ids again: answered as before, nothing written.
    again = client.put(url(world), json={"items": first}, headers=headers["judge3"])
    assert again.status_code == 200
    assert again.get_json() == response.get_json()
    versions = db.scalars(
        select(VotingAssignment.version).where(
            VotingAssignment.judge_id == world.judges[2].id,
            VotingAssignment.innovation_id.in_(mine[:2]),
        )
    )
    assert sorted(versions) == [1, 1]
    db.commit()
    # based_on older than the stored version -> that row conflicts, the other is saved.
    stale = [
        {"innovation": mine[0], "scores": {**FULL, "cepat": 1}, "based_on": 0},
        {"innovation": mine[1], "scores": {**FULL, "cepat": 2}, "based_on": 1},
    ]
    response = client.put(url(world), json={"items": stale}, headers=headers["judge3"])
    assert response.status_code == 200
    assert response.get_json()["items"] == [
        {"innovation": mine[0], "status": "conflict", "version": 1},
        {"innovation": mine[1], "status": "saved", "version": 2},
    ]
    values = dict(
        db.execute(
            select(VotingAssignment.innovation_id, VotingScore.value)
            .join(VotingScore, VotingScore.assignment_id == VotingAssignment.id)
            .where(
                VotingAssignment.judge_id == world.judges[2].id,
                VotingScore.criterion_key == "cepat",
            )
        ).all()
    )
    db.commit()
    assert values == {mine[0]: 8, mine[1]: 2}


def test_other_users_and_closed_scoring(
    app: Any, client: Any, world: World, headers: dict[str, Any], assigned: Any, db: Any
) -> None:
    mine = assigned[world.judges[2].id]
    body = {"items": [{"innovation": mine[0], "scores": FULL}]}
    assert client.put(url(world), json=body).status_code == 401
    assert client.put(url(world), json=body, headers=headers["organizer"]).status_code == 403
    assert client.put(url(world), json={"items": "x"}, headers=headers["judge3"]).status_code == 422
    too_many = {"items": [{"innovation": mine[0], "scores": {}}] * 5001}
    assert client.put(url(world), json=too_many, headers=headers["judge3"]).status_code == 422
    dup = {"items": [{"innovation": mine[0], "scores": {}}] * 2}
    response = client.put(url(world), json=dup, headers=headers["judge3"])
    assert response.status_code == 422
    assert "items.1.innovation" in response.get_json()["error"]["fields"]
    set_voting(app, db, world.event, scoring_open=False)
    assert client.put(url(world), json=body, headers=headers["judge3"]).status_code == 409
    assert score_count(db) == 0


def test_statement_count_does_not_grow_with_rows(
    app: Any, client: Any, world: World, headers: dict[str, Any], assigned: Any, db: Any
) -> None:
    mine = assigned[world.judges[2].id]
    counts = []
    for size in (1, len(mine)):
        statements: list[str] = []

        def count(*args: Any, into: list[str] = statements) -> None:
            into.append(args[2])

        engine = get_db(app).engine
        sa_event.listen(engine, "before_cursor_execute", count)
        try:
            items = [{"innovation": i, "scores": FULL, "submit": True} for i in mine[:size]]
            response = client.put(url(world), json={"items": items}, headers=headers["judge3"])
        finally:
            sa_event.remove(engine, "before_cursor_execute", count)
        assert response.status_code == 200
        counts.append(len(statements))
    assert counts[1] <= counts[0] + 1


def test_plugin_disabled_hides_the_endpoint(
    app: Any, client: Any, world: World, headers: dict[str, Any], assigned: Any, db: Any, make: Any
) -> None:
    other = make.event("no-vote", plugins=[], organizer=world.organizer)
    response = client.put(
        f"{API}/{other.slug}/scores", json={"items": []}, headers=headers["judge3"]
    )
    assert response.status_code == 404

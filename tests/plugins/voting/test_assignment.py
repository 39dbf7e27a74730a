"""Automatic and manual judge assignment: balanced, conflict-free, seeded, stable."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from sqlalchemy import select

from core.models import Organization
from core.services import roles
from core.services.errors import Conflict, ValidationFailed
from core.services.roles import judge_conflict_organization_ids
from plugins.voting import assignment, rubric
from plugins.voting.models import VotingAssignment
from tests.plugins.voting.conftest import World, add_innovation

API = "/api/v1/events"


def pairs(db: Any, world: World) -> set[tuple[int, int]]:
    """(judge id, innovation id) of every assignment of the event's current stage."""
    stage = rubric.current_stage(db, db.merge(world.event))
    return {(a.judge_id, a.innovation_id) for a in assignment.stage_assignments(db, stage)}


def check_invariants(db: Any, world: World, k: int) -> None:
    """Each innovation k judges, loads within one, no conflict of interest."""
    event = db.merge(world.event)
    found = pairs(db, world)
    per_innovation = Counter(i for _j, i in found)
    assert all(per_innovation[i.id] == k for i in world.innovations)
    loads = Counter(j for j, _i in found)
    values = [loads.get(j.id, 0) for j in world.judges]
    assert max(values) - min(values) <= 1, values
    org_of = {i.id: i.organization_id for i in world.innovations}
    for judge in world.judges:
        conflicted = judge_conflict_organization_ids(db, event, judge)
        assert not any(org_of[i] in conflicted for j, i in found if j == judge.id)


@pytest.mark.parametrize("k", [1, 2, 3])
def test_auto_assignment_is_balanced_and_respects_conflicts(world: World, db: Any, k: int) -> None:
    report = assignment.auto_assign(db, db.merge(world.event), k, seed=7)
    db.commit()
    assert report.created == 8 * k and report.balanced
    check_invariants(db, world, k)


def test_auto_assignment_is_reproducible(world: World, db: Any) -> None:
    event = db.merge(world.event)
    first = assignment.auto_assign(db, event, 2, seed=42).new_pairs
    db.rollback()
    second = assignment.auto_assign(db, db.merge(world.event), 2, seed=42).new_pairs
    assert sorted(first) == sorted(second)


def test_late_innovations_keep_existing_assignments(world: World, db: Any) -> None:
    assignment.auto_assign(db, db.merge(world.event), 2, seed=1)
    db.commit()
    before = pairs(db, world)
    for n in range(3):
        world.innovations.append(
            add_innovation(db, world.event, world.organizations[2], f"Late {n}")
        )
    report = assignment.auto_assign(db, db.merge(world.event), 2, seed=1)
    db.commit()
    after = pairs(db, world)
    assert before <= after and report.created == 6
    check_invariants(db, world, 2)


def test_refusal_lists_innovations_without_enough_judges(world: World, db: Any) -> None:
    # Agency 1: judge2 declared a conflict; make judge3 and judge4 members too.
    from core.models import Membership

    for judge in world.judges[2:]:
        db.add(Membership(user_id=judge.id, organization_id=world.organizations[1].id))
    db.commit()
    with pytest.raises(Conflict) as caught:
        assignment.auto_assign(db, db.merge(world.event), 2)
    problems = caught.value.extra["problems"]
    ids = {p["innovation"]["id"] for p in problems}
    assert ids == {
        i.id for i in world.innovations if i.organization_id == world.organizations[1].id
    }
    assert all(p["eligible_judges"] == 1 for p in problems)
    db.rollback()
    assert pairs(db, world) == set()


def test_invalid_k_is_refused(world: World, db: Any) -> None:
    for bad in (0, -1, 51, True):
        with pytest.raises(ValidationFailed):
            assignment.auto_assign(db, db.merge(world.event), bad)


def test_api_auto_assignment_and_judge_queue(
    client: Any, world: World, headers: dict[str, Any], db: Any
) -> None:
    url = f"{API}/{world.slug}/assignments/auto"
    response = client.post(url, json={"judges_per_innovation": 2}, headers=headers["organizer"])
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["created"] == 16 and body["balanced"] is True
    denied = client.post(url, json={"judges_per_innovation": 2}, headers=headers["judge1"])
    assert denied.status_code == 403
    bad = client.post(url, json={"judges_per_innovation": 0}, headers=headers["organizer"])
    assert bad.status_code == 422
    mine = client.get(f"{API}/{world.slug}/assignments?judge=me", headers=headers["judge1"])
    assert mine.status_code == 200
    items = mine.get_json()["items"]
    assert items and all(i["judge"]["id"] == world.judges[0].id for i in items)
    assert all(i["status"] == "pending" for i in items)
    assert all(i["innovation"]["organization"]["id"] != world.organizations[0].id for i in items)
    everyone = client.get(f"{API}/{world.slug}/assignments?judge=all", headers=headers["judge1"])
    assert everyone.status_code == 403
    all_rows = client.get(f"{API}/{world.slug}/assignments", headers=headers["organizer"])
    assert all_rows.get_json()["total"] == 16


def test_api_refusal_is_409_with_reasons(
    client: Any, world: World, headers: dict[str, Any]
) -> None:
    response = client.post(
        f"{API}/{world.slug}/assignments/auto",
        json={"judges_per_innovation": 4},
        headers=headers["organizer"],
    )
    assert response.status_code == 409
    problems = response.get_json()["error"]["problems"]
    assert problems and all("reason" in p for p in problems)


def test_manual_assignment_add_and_remove(
    client: Any, world: World, headers: dict[str, Any], db: Any
) -> None:
    url = f"{API}/{world.slug}/assignments"
    own = world.innovations[0]  # agency 0: judge1 is a member
    conflicted = client.post(
        url, json={"judge": world.judges[0].id, "innovation": own.id}, headers=headers["organizer"]
    )
    assert conflicted.status_code == 409
    fine = client.post(
        url,
        json={"judge": world.judges[0].id, "innovation": world.innovations[2].id},
        headers=headers["organizer"],
    )
    assert fine.status_code == 201
    again = client.post(
        url,
        json={"judge": world.judges[0].id, "innovation": world.innovations[2].id},
        headers=headers["organizer"],
    )
    assert again.status_code == 409
    not_judge = client.post(
        url,
        json={"judge": world.organizer.id, "innovation": world.innovations[2].id},
        headers=headers["organizer"],
    )
    assert not_judge.status_code == 422
    row_id = fine.get_json()["id"]
    assert client.delete(f"{url}/{row_id}", headers=headers["organizer"]).status_code == 200
    assert client.delete(f"{url}/{row_id}", headers=headers["organizer"]).status_code == 404
    assert db.scalar(select(VotingAssignment.id)) is None


def test_declared_conflict_added_later_blocks_nothing_existing_but_new(
    world: World, db: Any
) -> None:
    event = db.merge(world.event)
    organization = db.get(Organization, world.organizations[3].id)
    roles.appoint(db, event, email=world.judges[3].email, role="judge", conflicts=[organization.id])
    db.commit()
    assignment.auto_assign(db, db.merge(world.event), 3, seed=3)
    db.commit()
    check_invariants(db, world, 3)

"""A judge panel per stage: default = every judge, restricts assignment, scoring and results.

World (conftest): judge1 is a member of agency 0, judge2 declared a conflict with agency 1;
innovation n belongs to agency n % 4.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from sqlalchemy import func, select

from core.models import AuditEntry, EventRole
from core.services import plugin_settings, roles
from core.services.errors import Conflict, Forbidden, NotFound, ValidationFailed
from core.services.roles import judge_conflict_organization_ids
from plugins.voting import assignment, panels, results, rubric, scoring, stages
from plugins.voting.models import VotingAssignment, VotingScore, VotingStage, VotingStageJudge
from plugins.voting.settings import VotingSettings
from tests.plugins.voting.conftest import JUDGES, ORGANIZER, World, set_voting
from tests.plugins.voting.test_scoring import FULL

API = "/api/v1/events"
OPEN = VotingSettings(scoring_open=True)


def current(db: Any, world: World) -> VotingStage:
    """The event's current stage."""
    stage = rubric.current_stage(db, db.merge(world.event))
    assert stage is not None
    return stage


def ids(world: World, *numbers: int) -> list[int]:
    """User ids of judge<number> (1-based, as in the fixture's e-mails)."""
    return [world.judges[n - 1].id for n in numbers]


def assignment_pairs(db: Any, stage_id: int) -> set[tuple[int, int]]:
    """(judge, innovation) of every assignment in a stage (ends the read)."""
    found = {
        (judge, innovation)
        for judge, innovation in db.execute(
            select(VotingAssignment.judge_id, VotingAssignment.innovation_id).where(
                VotingAssignment.stage_id == stage_id
            )
        )
    }
    db.commit()
    return found


def innovation_of(world: World, agency: int) -> int:
    """The first innovation of agency ``agency``."""
    return next(
        i.id for i in world.innovations if i.organization_id == world.organizations[agency].id
    )


def give_scores(db: Any, judge_id: int, *, submitted: bool = True, only: int | None = None) -> int:
    """Fill a judge's assignments (or the first ``only`` ones) with FULL; returns how many."""
    rows = list(
        db.scalars(
            select(VotingAssignment)
            .where(VotingAssignment.judge_id == judge_id)
            .order_by(VotingAssignment.id)
        )
    )
    for row in rows[:only]:
        for key, value in FULL.items():
            row.scores.append(VotingScore(criterion_key=key, value=value))
        row.submitted = submitted
    db.commit()
    return len(rows[:only])


# --- service level -------------------------------------------------------------------------


def test_an_empty_panel_means_every_event_judge(world: World, db: Any) -> None:
    event = db.merge(world.event)
    stage = current(db, world)
    panel = panels.stage_panel(db, event, stage)
    assert panel.all_judges and panel.members == []
    assert panel.ids == sorted(j.id for j in world.judges)
    assert all(panels.is_stage_judge(db, event, stage, j) for j in world.judges)
    assert not panels.is_stage_judge(db, event, stage, db.merge(world.organizer))
    assert not panels.is_stage_judge(db, event, stage, None)


def test_the_panel_restricts_automatic_assignment(world: World, db: Any) -> None:
    event = db.merge(world.event)
    stage = current(db, world)
    panel = panels.set_panel(db, event, stage.id, ids(world, 3, 4))
    assert not panel.all_judges and panel.ids == ids(world, 3, 4)
    report = assignment.auto_assign(db, event, 2, seed=11)
    db.commit()
    assert report.created == 16 and set(report.loads) == set(ids(world, 3, 4))
    found = assignment_pairs(db, stage.id)
    assert {j for j, _i in found} == set(ids(world, 3, 4))
    assert Counter(i for _j, i in found) == Counter({i.id: 2 for i in world.innovations})


def test_conflicts_still_hold_inside_a_panel(world: World, db: Any) -> None:
    event = db.merge(world.event)
    stage = current(db, world)
    panels.set_panel(db, event, stage.id, ids(world, 1, 2, 3))
    assignment.auto_assign(db, event, 2, seed=4)
    db.commit()
    found = assignment_pairs(db, stage.id)
    organization = {i.id: i.organization_id for i in world.innovations}
    for judge in world.judges[:3]:
        conflicted = judge_conflict_organization_ids(db, db.merge(world.event), judge)
        assert bool(conflicted) == (judge in world.judges[:2])
        assert not any(organization[i] in conflicted for j, i in found if j == judge.id)
    assert world.judges[3].id not in {j for j, _i in found}
    with pytest.raises(Conflict):  # judge1 and their own agency: still a conflict
        assignment.add_assignment(
            db, db.merge(world.event), ids(world, 1)[0], innovation_of(world, 0)
        )


def test_refusal_reasons_count_the_panel_judges(world: World, db: Any) -> None:
    event = db.merge(world.event)
    stage = current(db, world)
    panels.set_panel(db, event, stage.id, ids(world, 1, 3))
    db.commit()
    with pytest.raises(Conflict) as caught:
        assignment.auto_assign(db, db.merge(world.event), 2)
    problems = caught.value.extra["problems"]
    # Agency 0 is judge1's own: only judge3 remains.  Agency 1 (judge2's conflict) is fine,
    # since judge2 is not on the panel.
    assert {p["innovation"]["id"] for p in problems} == {
        i.id for i in world.innovations if i.organization_id == world.organizations[0].id
    }
    for problem in problems:
        assert problem["eligible_judges"] == 1 and problem["stage_judges"] == 2
        assert "Only 1 of the 2 judges on the panel of Evaluasi dokumen" in problem["reason"]
        assert "Agency 0" in problem["reason"]
    db.rollback()
    with pytest.raises(Conflict) as caught:
        assignment.auto_assign(db, db.merge(world.event), 3)
    reasons = {p["reason"] for p in caught.value.extra["problems"]}
    assert any(r.startswith("The panel of Evaluasi dokumen has only 2 judges") for r in reasons)
    assert len(caught.value.extra["problems"]) == 8
    db.rollback()
    assert assignment_pairs(db, stage.id) == set()


def test_refusal_without_a_panel_counts_the_event_judges(world: World, db: Any) -> None:
    with pytest.raises(Conflict) as caught:
        assignment.auto_assign(db, db.merge(world.event), 5)
    problems = caught.value.extra["problems"]
    assert len(problems) == 8 and all(p["stage_judges"] == 4 for p in problems)
    assert all(p["reason"].startswith("The event has only 4 judges") for p in problems)


def test_manual_add_needs_a_judge_on_the_panel(world: World, db: Any) -> None:
    event = db.merge(world.event)
    stage = current(db, world)
    panels.set_panel(db, event, stage.id, ids(world, 3))
    target = innovation_of(world, 2)
    with pytest.raises(ValidationFailed) as caught:
        assignment.add_assignment(db, event, ids(world, 4)[0], target)
    assert "not on the panel" in caught.value.message and "judge" in caught.value.fields
    with pytest.raises(ValidationFailed) as caught:
        assignment.add_assignment(db, event, world.organizer.id, target)
    assert caught.value.message == "Not a judge of this event."
    row = assignment.add_assignment(db, event, ids(world, 3)[0], target)
    db.commit()
    assert assignment_pairs(db, stage.id) == {(ids(world, 3)[0], target)} and row.id


def test_only_event_judges_can_join_a_panel(world: World, db: Any) -> None:
    event = db.merge(world.event)
    stage = current(db, world)
    with pytest.raises(ValidationFailed) as caught:
        panels.set_panel(db, event, stage.id, [*ids(world, 1), world.organizer.id, 999999])
    error = caught.value
    assert error.extra["not_judges"] == sorted([world.organizer.id, 999999])
    assert str(world.organizer.id) in error.message and "999999" in error.message
    assert len(error.fields["judges"]) == 2
    db.rollback()
    assert panels.stage_panel(db, db.merge(world.event), current(db, world)).all_judges
    with pytest.raises(NotFound):
        panels.set_panel(db, db.merge(world.event), 999999, ids(world, 1))


@pytest.mark.parametrize("submitted", [True, False])
def test_removing_a_judge_who_scored_is_refused_and_nothing_changes(
    world: World, db: Any, submitted: bool
) -> None:
    assignment.auto_assign(db, db.merge(world.event), 2, seed=5)
    db.commit()
    give_scores(db, ids(world, 1)[0], submitted=submitted, only=1)
    stage = current(db, world)
    before = assignment_pairs(db, stage.id)
    with pytest.raises(Conflict) as caught:
        panels.set_panel(db, db.merge(world.event), stage.id, ids(world, 2, 3, 4))
    assert "Judge 1 (1)" in caught.value.message
    assert caught.value.extra["judges"] == [
        {"id": ids(world, 1)[0], "name": "Judge 1", "scored": 1}
    ]
    db.rollback()
    assert assignment_pairs(db, stage.id) == before
    assert panels.stage_panel(db, db.merge(world.event), current(db, world)).all_judges
    assert db.scalar(select(func.count()).select_from(VotingStageJudge)) == 0


def test_removing_an_unscored_judge_drops_their_assignments_and_is_audited(
    world: World, db: Any
) -> None:
    assignment.auto_assign(db, db.merge(world.event), 2, seed=5)
    db.commit()
    give_scores(db, ids(world, 2)[0], only=1)  # judge2 scored: may stay
    stage = current(db, world)
    before = assignment_pairs(db, stage.id)
    judge1 = ids(world, 1)[0]
    theirs = {pair for pair in before if pair[0] == judge1}
    assert theirs
    panel = panels.set_panel(
        db, db.merge(world.event), stage.id, ids(world, 2, 3, 4), actor_id=world.organizer.id
    )
    db.commit()
    assert panel.ids == ids(world, 2, 3, 4)
    assert assignment_pairs(db, stage.id) == before - theirs
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "voting.stage_judges_changed"))
    assert entry is not None and entry.user_id == world.organizer.id
    assert entry.detail["old"] == {"all_judges": True, "judges": []}
    assert entry.detail["new"] == {"all_judges": False, "judges": ids(world, 2, 3, 4)}
    assert entry.detail["removed_judges"] == [judge1]
    assert sorted((r["judge"], r["innovation"]) for r in entry.detail["removed_assignments"]) == (
        sorted(theirs)
    )


def test_back_to_every_judge_with_an_empty_list(world: World, db: Any) -> None:
    event = db.merge(world.event)
    stage = current(db, world)
    panels.set_panel(db, event, stage.id, ids(world, 3))
    panel = panels.set_panel(db, event, stage.id, [])
    db.commit()
    assert panel.all_judges and len(panel.judges) == 4
    assert db.scalar(select(func.count()).select_from(VotingStageJudge)) == 0


def test_a_closed_stage_keeps_its_panel(world: World, db: Any) -> None:
    event = db.merge(world.event)
    stage = current(db, world)
    stages.close_stage(db, event, stage.id)
    with pytest.raises(Conflict) as caught:
        panels.set_panel(db, event, stage.id, ids(world, 3))
    assert "closed" in caught.value.message


def test_revoked_members_leave_the_panel_and_an_emptied_panel_means_everyone(
    world: World, db: Any
) -> None:
    event = db.merge(world.event)
    stage = current(db, world)
    panels.set_panel(db, event, stage.id, ids(world, 1, 2))
    db.commit()

    def revoke(user_id: int) -> None:
        role = db.scalar(
            select(EventRole).where(EventRole.user_id == user_id, EventRole.role == "judge")
        )
        roles.revoke(db, db.merge(world.event), role.id)
        db.commit()

    revoke(ids(world, 1)[0])
    panel = panels.stage_panel(db, db.merge(world.event), current(db, world))
    assert panel.ids == ids(world, 2) and not panel.all_judges
    revoke(ids(world, 2)[0])
    panel = panels.stage_panel(db, db.merge(world.event), current(db, world))
    assert panel.all_judges and panel.ids == ids(world, 3, 4)


def test_a_judge_off_the_panel_cannot_score_there(app: Any, world: World, db: Any) -> None:
    event = db.merge(world.event)
    stage = current(db, world)
    panels.set_panel(db, event, stage.id, ids(world, 2, 3, 4))
    # An assignment left behind (e.g. written directly): the panel check still refuses.
    target = innovation_of(world, 2)
    db.add(VotingAssignment(stage_id=stage.id, judge_id=ids(world, 1)[0], innovation_id=target))
    db.commit()
    with pytest.raises(Forbidden) as caught:
        scoring.save_scores(
            db, db.merge(world.event), db.merge(world.judges[0]), target, FULL, settings=OPEN
        )
    assert "not on the panel of judges of Evaluasi dokumen" in caught.value.message
    db.rollback()
    assert db.scalar(select(func.count()).select_from(VotingScore)) == 0


def _close_and_advance(db: Any, world: World, *, copy_judges: bool = False) -> VotingStage:
    """Score stage 1 by every assigned judge, close it and advance the top 3."""
    event = db.merge(world.event)
    stage = current(db, world)
    for judge in world.judges:
        give_scores(db, judge.id)
    stages.close_stage(db, event, stage.id)
    computed = results.stage_results(db, event, stage, method="raw", public_weight=0)
    outcome = stages.advance(
        db, event, stage.id, computed, rule="top_n", value=3, copy_judges=copy_judges
    )
    db.commit()
    return outcome.stage


def test_a_judge_off_one_panel_scores_in_a_stage_they_judge(world: World, db: Any) -> None:
    first = current(db, world)
    panels.set_panel(db, db.merge(world.event), first.id, ids(world, 2, 3, 4))
    assignment.auto_assign(db, db.merge(world.event), 2, seed=3)
    db.commit()
    second = _close_and_advance(db, world)
    event = db.merge(world.event)
    panel = panels.stage_panel(db, event, second)
    assert panel.all_judges  # a new stage starts with every event judge
    judge1 = db.merge(world.judges[0])
    assert not panels.is_stage_judge(db, event, first, judge1)
    assert panels.is_stage_judge(db, event, second, judge1)
    assert [s.id for s in panels.judged_stages(db, event, judge1)] == [second.id]
    target = next(
        i.id
        for i in assignment.stage_innovations(db, event, second)
        if i.organization_id != world.organizations[0].id
    )
    assignment.add_assignment(db, event, judge1.id, target)
    row = scoring.save_scores(db, event, judge1, target, FULL, settings=OPEN)
    db.commit()
    assert row.submitted and row.stage_id == second.id


@pytest.mark.parametrize("copy_judges", [True, False])
def test_advancing_starts_with_every_judge_or_copies_the_panel(
    world: World, db: Any, copy_judges: bool
) -> None:
    first = current(db, world)
    panels.set_panel(db, db.merge(world.event), first.id, ids(world, 3, 4))
    assignment.auto_assign(db, db.merge(world.event), 2, seed=3)
    db.commit()
    second = _close_and_advance(db, world, copy_judges=copy_judges)
    panel = panels.stage_panel(db, db.merge(world.event), second)
    if copy_judges:
        assert not panel.all_judges and panel.ids == ids(world, 3, 4)
    else:
        assert panel.all_judges and len(panel.ids) == 4
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "voting.advanced"))
    assert entry.detail["copied_judges"] == (ids(world, 3, 4) if copy_judges else [])


def test_results_count_the_judges_who_can_still_score(world: World, db: Any) -> None:
    assignment.auto_assign(db, db.merge(world.event), 2, seed=5)
    db.commit()
    judge1 = ids(world, 1)[0]
    give_scores(db, judge1, only=1)
    pairs = assignment_pairs(db, current(db, world).id)
    scored = db.scalar(
        select(VotingAssignment.innovation_id).where(VotingAssignment.submitted.is_(True))
    )
    pending = [i for j, i in pairs if j == judge1 and i != scored]
    assert pending

    def assigned() -> dict[int, int]:
        event = db.merge(world.event)
        computed = results.stage_results(
            db, event, current(db, world), method="raw", public_weight=0
        )
        db.commit()
        return {item.innovation_id: item.assigned for item in computed.items}

    assert set(assigned().values()) == {2}
    role = db.scalar(select(EventRole).where(EventRole.user_id == judge1))
    roles.revoke(db, db.merge(world.event), role.id)  # judge1 can no longer score
    db.commit()
    after = assigned()
    assert after[scored] == 2  # the submitted sheet still counts
    assert all(after[i] == 1 for i in pending)


# --- HTTP: API -----------------------------------------------------------------------------


def stage_url(world: World, stage_id: int) -> str:
    return f"{API}/{world.slug}/stages/{stage_id}/judges"


def test_api_reads_and_replaces_a_stage_panel(
    client: Any, world: World, headers: dict[str, Any], db: Any
) -> None:
    stage_id = current(db, world).id
    db.commit()
    url = stage_url(world, stage_id)
    read = client.get(url, headers=headers["organizer"])
    assert read.status_code == 200, read.get_json()
    body = read.get_json()
    assert body["all_judges"] is True and body["total"] == 4
    assert body["stage"] == {"id": stage_id, "name": "Evaluasi dokumen"}
    assert [i["id"] for i in body["items"]] == sorted(j.id for j in world.judges)
    put = client.put(url, json={"judges": ids(world, 4, 3, 3)}, headers=headers["organizer"])
    assert put.status_code == 200, put.get_json()
    body = put.get_json()
    assert body["all_judges"] is False and [i["id"] for i in body["items"]] == ids(world, 3, 4)
    assert body["items"][0] == {
        "id": ids(world, 3)[0],
        "name": "Judge 3",
        "email": JUDGES[2],
        "assignments": 0,
        "submitted": 0,
        "scored": 0,
    }
    listing = client.get(f"{API}/{world.slug}/stages", headers=headers["organizer"]).get_json()
    item = listing["items"][0]
    assert item["all_judges"] is False and item["judges"] == ids(world, 3, 4)
    assert item["judge_count"] == 2 and item["on_panel"] is False
    as_judge3 = client.get(f"{API}/{world.slug}/stages", headers=headers["judge3"]).get_json()
    assert as_judge3["items"][0]["judges"] is None and as_judge3["items"][0]["on_panel"] is True
    as_judge1 = client.get(f"{API}/{world.slug}/stages", headers=headers["judge1"]).get_json()
    assert as_judge1["items"][0]["on_panel"] is False
    reset = client.put(url, json={"judges": []}, headers=headers["organizer"])
    assert reset.status_code == 200 and reset.get_json()["all_judges"] is True
    assert reset.get_json()["total"] == 4


def test_api_panel_auth_and_unknown_stage(
    client: Any, world: World, headers: dict[str, Any], db: Any
) -> None:
    url = stage_url(world, current(db, world).id)
    db.commit()
    assert client.get(url).status_code == 401
    assert client.put(url, json={"judges": []}).status_code == 401
    assert client.get(url, headers=headers["judge1"]).status_code == 403
    denied = client.put(url, json={"judges": ids(world, 1)}, headers=headers["judge1"])
    assert denied.status_code == 403
    assert denied.get_json()["error"]["code"] == "forbidden"
    missing = stage_url(world, 999999)
    assert client.get(missing, headers=headers["organizer"]).status_code == 404
    gone = client.put(missing, json={"judges": []}, headers=headers["organizer"])
    assert gone.status_code == 404 and gone.get_json()["error"]["code"] == "not_found"
    assert db.scalar(select(func.count()).select_from(VotingStageJudge)) == 0


@pytest.mark.parametrize(
    "body",
    [{"judges": "all"}, {"judges": [0]}, {"judges": ["x"]}, {}, {"judges": [], "extra": 1}],
)
def test_api_panel_refuses_malformed_bodies(
    client: Any, world: World, headers: dict[str, Any], db: Any, body: dict[str, Any]
) -> None:
    url = stage_url(world, current(db, world).id)
    db.commit()
    response = client.put(url, json=body, headers=headers["organizer"])
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"]


def test_api_panel_names_ids_that_are_not_judges(
    client: Any, world: World, headers: dict[str, Any], db: Any
) -> None:
    url = stage_url(world, current(db, world).id)
    db.commit()
    response = client.put(
        url,
        json={"judges": [*ids(world, 2), world.organizer.id, 424242]},
        headers=headers["organizer"],
    )
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_failed"
    assert str(world.organizer.id) in error["message"] and "424242" in error["message"]
    assert error["not_judges"] == sorted([world.organizer.id, 424242])
    assert any("424242" in problem for problem in error["fields"]["judges"])
    assert db.scalar(select(func.count()).select_from(VotingStageJudge)) == 0
    db.rollback()
    in_indonesian = client.put(
        url,
        json={"judges": [424242]},
        headers={**headers["organizer"], "Accept-Language": "id"},
    ).get_json()["error"]
    assert in_indonesian["message"] == "Bukan juri acara ini: 424242."
    assert in_indonesian["fields"]["judges"] == ["Pengguna 424242 bukan juri acara ini."]


def test_api_panel_409_when_a_leaving_judge_scored(
    client: Any, world: World, headers: dict[str, Any], db: Any
) -> None:
    assignment.auto_assign(db, db.merge(world.event), 2, seed=5)
    db.commit()
    give_scores(db, ids(world, 4)[0], submitted=False, only=1)
    stage_id = current(db, world).id
    before = assignment_pairs(db, stage_id)
    response = client.put(
        stage_url(world, stage_id),
        json={"judges": ids(world, 1, 2, 3)},
        headers=headers["organizer"],
    )
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert "Judge 4" in error["message"] and error["judges"][0]["id"] == ids(world, 4)[0]
    assert assignment_pairs(db, stage_id) == before
    assert db.scalar(select(func.count()).select_from(VotingStageJudge)) == 0
    db.commit()
    loads = client.get(stage_url(world, stage_id), headers=headers["organizer"]).get_json()
    judge4 = next(i for i in loads["items"] if i["id"] == ids(world, 4)[0])
    assert judge4["scored"] == 1 and judge4["submitted"] == 0 and judge4["assignments"] >= 1


def test_api_assignment_and_scoring_follow_the_panel(
    app: Any, client: Any, world: World, headers: dict[str, Any], db: Any
) -> None:
    stage_id = current(db, world).id
    db.commit()
    org = headers["organizer"]
    chosen = client.put(stage_url(world, stage_id), json={"judges": ids(world, 1, 3)}, headers=org)
    assert chosen.status_code == 200
    refused = client.post(
        f"{API}/{world.slug}/assignments/auto", json={"judges_per_innovation": 2}, headers=org
    )
    assert refused.status_code == 409
    problems = refused.get_json()["error"]["problems"]
    assert problems and all(p["stage_judges"] == 2 for p in problems)
    assert all("panel of Evaluasi dokumen" in p["reason"] for p in problems)
    added = client.post(
        f"{API}/{world.slug}/assignments",
        json={"judge": ids(world, 4)[0], "innovation": innovation_of(world, 2)},
        headers=org,
    )
    assert (
        added.status_code == 422
        and "bukan anggota panel juri" in added.get_json()["error"]["message"]
    )
    ok = client.post(
        f"{API}/{world.slug}/assignments/auto", json={"judges_per_innovation": 1}, headers=org
    )
    assert ok.status_code == 200 and ok.get_json()["created"] == 8
    set_voting(app, db, world.event, scoring_open=True)
    db.add(
        VotingAssignment(
            stage_id=stage_id, judge_id=ids(world, 2)[0], innovation_id=innovation_of(world, 2)
        )
    )
    db.commit()
    off_panel = client.put(
        f"{API}/{world.slug}/innovations/{innovation_of(world, 2)}/scores",
        json={"scores": FULL},
        headers=headers["judge2"],
    )
    assert off_panel.status_code == 403
    assert "panel" in off_panel.get_json()["error"]["message"]
    assert db.scalar(select(func.count()).select_from(VotingScore)) == 0


def test_api_advance_can_copy_the_panel(
    client: Any, world: World, headers: dict[str, Any], db: Any
) -> None:
    first = current(db, world)
    panels.set_panel(db, db.merge(world.event), first.id, ids(world, 3, 4))
    assignment.auto_assign(db, db.merge(world.event), 2, seed=3)
    for judge in world.judges:
        give_scores(db, judge.id)
    stages.close_stage(db, db.merge(world.event), first.id)
    db.commit()
    response = client.post(
        f"{API}/{world.slug}/stages/{first.id}/advance",
        json={"rule": "top_n", "value": 2, "copy_judges": True},
        headers=headers["organizer"],
    )
    assert response.status_code == 200, response.get_json()
    stage = response.get_json()["stage"]
    assert stage["all_judges"] is False and stage["judges"] == ids(world, 3, 4)


def test_plugin_off_hides_the_panel_api_and_page(
    app: Any, client: Any, auth: Any, world: World, headers: dict[str, Any], db: Any
) -> None:
    stage_id = current(db, world).id
    plugin_settings.set_enabled_plugins(
        db, app.extensions["gelar_plugins"], db.merge(world.event), []
    )
    db.commit()
    url = stage_url(world, stage_id)
    assert client.get(url, headers=headers["organizer"]).status_code == 404
    assert client.put(url, json={"judges": []}, headers=headers["organizer"]).status_code == 404
    login(client, auth, ORGANIZER)
    page = client.post(f"/{world.slug}/voting/manage/stages/{stage_id}/judges", data={})
    assert page.status_code == 404
    assert client.get(f"/{world.slug}/voting/manage/").status_code == 404


# --- HTTP: pages ---------------------------------------------------------------------------


def login(client: Any, auth: Any, email: str) -> None:
    assert auth.login(email).status_code == 302
    client.post("/lang/en")


def section(page: str, stage_id: int) -> str:
    """The "judges of this stage" block of the manage page."""
    start = page.index(f'id="judges-{stage_id}"')
    return page[start : page.index("</section>", start)]


def test_manage_page_shows_and_edits_the_panel(
    client: Any, auth: Any, world: World, db: Any
) -> None:
    assignment.auto_assign(db, db.merge(world.event), 1, seed=5)
    db.commit()
    give_scores(db, ids(world, 1)[0], only=1)
    stage_id = current(db, world).id
    db.commit()
    login(client, auth, ORGANIZER)
    base = f"/{world.slug}/voting/manage/"
    block = section(client.get(base).get_data(as_text=True), stage_id)
    assert 'data-all-judges="yes"' in block and "All event judges (4)" in block
    assert block.count('name="judge"') == 4 and "checked" not in block
    saved = client.post(
        f"{base}stages/{stage_id}/judges",
        data={"judge": [str(i) for i in ids(world, 1, 3)]},
        follow_redirects=True,
    )
    assert saved.status_code == 200
    page = saved.get_data(as_text=True)
    assert "Evaluasi dokumen now has 2 judges." in page
    block = section(page, stage_id)
    assert 'data-all-judges="no"' in block and "Judge 1" in block and "Judge 3" in block
    assert block.count("checked") == 2
    progress = page[page.index("Judges' progress") :]
    assert f'data-judge="{ids(world, 3)[0]}"' in progress
    assert f'data-judge="{ids(world, 4)[0]}"' not in progress
    refused = client.post(
        f"{base}stages/{stage_id}/judges",
        data={"judge": [str(i) for i in ids(world, 3)]},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "cannot leave its panel" in refused and "Judge 1 (1)" in refused
    assert 'data-all-judges="no"' in section(refused, stage_id)
    everyone = client.post(f"{base}stages/{stage_id}/judges", data={}, follow_redirects=True)
    assert "Every event judge now judges Evaluasi dokumen." in everyone.get_data(as_text=True)
    bad = client.post(
        f"{base}stages/{stage_id}/judges",
        data={"judge": ["x", "\u00b2", "9" * 40, str(world.organizer.id)]},
    )
    assert bad.status_code == 302
    assert panels.stage_panel(db, db.merge(world.event), current(db, world)).all_judges
    db.commit()
    assert client.post(f"{base}stages/999999/judges", data={}).status_code == 404


def test_manage_panel_form_is_for_organizers_only(
    client: Any, auth: Any, world: World, db: Any
) -> None:
    stage_id = current(db, world).id
    db.commit()
    url = f"/{world.slug}/voting/manage/stages/{stage_id}/judges"
    assert client.post(url, data={"judge": [str(ids(world, 1)[0])]}).status_code == 302
    login(client, auth, JUDGES[0])
    assert client.post(url, data={"judge": [str(ids(world, 1)[0])]}).status_code == 403
    assert db.scalar(select(func.count()).select_from(VotingStageJudge)) == 0


def test_judge_off_the_current_panel_still_sees_the_stages_they_judge(
    app: Any, client: Any, auth: Any, world: World, db: Any
) -> None:
    event = db.merge(world.event)
    first = current(db, world)
    later = VotingStage(event_id=event.id, name="Field visit", position=2, status="open")
    db.add(later)
    db.flush()
    panels.set_panel(db, event, first.id, ids(world, 2, 3, 4))
    db.commit()
    set_voting(app, db, world.event, scoring_open=True)
    login(client, auth, JUDGES[0])
    page = client.get(f"/{world.slug}/voting/judge/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-on-panel="no"' in html
    assert "You are not on the panel of judges of Evaluasi dokumen." in html
    assert "Stages you judge" in html and f'data-stage="{later.id}"' in html
    assert f'data-stage="{first.id}"' not in html
    assert client.get(f"/{world.slug}/voting/judge/{innovation_of(world, 2)}").status_code == 403
    auth.logout()
    login(client, auth, JUDGES[1])
    html = client.get(f"/{world.slug}/voting/judge/").get_data(as_text=True)
    assert 'data-on-panel="no"' not in html and f'data-stage="{first.id}"' in html

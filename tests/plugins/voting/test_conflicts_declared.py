"""A conflict of interest declared after assignment: pending work withdrawn, a true 403."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from core.models import AuditEntry, Innovation
from core.services import roles
from plugins.voting import assignment
from plugins.voting.models import VotingAssignment
from tests.plugins.voting.conftest import JUDGES, ORGANIZER, World, set_voting
from tests.plugins.voting.test_pages import login


@pytest.fixture
def ready(app: Any, world: World, db: Any) -> World:
    """Two judges per innovation, scoring open."""
    assignment.auto_assign(db, db.merge(world.event), 2, seed=5)
    db.commit()
    set_voting(app, db, world.event, scoring_open=True)
    return world


def _two_agencies(db: Any, judge_id: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """Two of the judge's assignments of different agencies: (innovation, organization)."""
    rows = db.execute(
        select(VotingAssignment.innovation_id, Innovation.organization_id)
        .join(Innovation, Innovation.id == VotingAssignment.innovation_id)
        .where(VotingAssignment.judge_id == judge_id)
        .order_by(VotingAssignment.innovation_id)
    ).all()
    first = rows[0]
    second = next(r for r in rows if r[1] != first[1])
    db.commit()
    return (first[0], first[1]), (second[0], second[1])


def test_declared_conflict_withdraws_pending_keeps_scored_and_says_why(
    client: Any,
    auth: Any,
    ready: World,
    db: Any,
) -> None:
    judge = ready.judges[2]
    (scored, scored_org), (pending, pending_org) = _two_agencies(db, judge.id)
    login(client, auth, JUDGES[2])
    base = f"/{ready.slug}/voting/judge/"
    draft = client.post(f"{base}{scored}", data={"score-cepat": "4", "action": "draft"})
    assert draft.status_code == 302
    auth.logout()
    login(client, auth, ORGANIZER)
    response = client.post(
        f"/{ready.slug}/manage/people",
        data={"email": JUDGES[2], "role": "judge", "conflicts": [scored_org, pending_org]},
    )
    assert response.status_code == 302
    left = set(
        db.scalars(
            select(VotingAssignment.innovation_id).where(VotingAssignment.judge_id == judge.id)
        )
    )
    assert scored in left and pending not in left
    actions = {
        (e.action, e.detail["innovation"])
        for e in db.scalars(select(AuditEntry).where(AuditEntry.action.like("voting.assign%")))
        if e.detail.get("reason") == "conflict_of_interest"
    }
    assert actions == {
        ("voting.assignment_removed", pending),
        ("voting.assignment_conflicted", scored),
    }
    db.commit()
    people = client.get(f"/{ready.slug}/manage/people").get_data(as_text=True)
    assert "Agency " in people  # conflicts are shown by name, not by id
    auth.logout()
    login(client, auth, JUDGES[2])
    refused = client.get(f"{base}{scored}")
    assert refused.status_code == 403
    text = refused.get_data(as_text=True)
    assert "conflict of interest" in text and "does not have the role" not in text
    gone = client.get(f"{base}{pending}")
    assert gone.status_code == 403 and "conflict of interest" not in gone.get_data(as_text=True)
    queue = client.get(base).get_data(as_text=True)
    assert f"{base}{pending}" not in queue


def test_conflict_in_indonesian(client: Any, auth: Any, ready: World, db: Any) -> None:
    judge = ready.judges[2]
    (innovation, organization), _other = _two_agencies(db, judge.id)
    roles.appoint(
        db,
        db.merge(ready.event),
        email=JUDGES[2],
        role="judge",
        conflicts=[organization],
    )
    db.commit()
    assert auth.login(JUDGES[2]).status_code == 302
    client.post("/lang/id")
    page = client.get(f"/{ready.slug}/voting/judge/{innovation}")
    assert page.status_code == 403
    assert "konflik kepentingan" in page.get_data(as_text=True)


def test_without_the_voting_plugin_conflicts_are_only_stored(app: Any, make: Any, db: Any) -> None:
    event = make.event("no-vote-2026", plugins=[])
    from core.models import Organization

    agency = Organization(name="Dinas Y", region="Malang")
    db.add(agency)
    db.flush()
    event_role, _created = roles.appoint(
        db,
        event,
        email="j@example.id",
        role="judge",
        conflicts=[agency.id],
        registry=app.extensions["gelar_plugins"],
    )
    db.commit()
    assert [c.organization.name for c in event_role.conflicts] == ["Dinas Y"]

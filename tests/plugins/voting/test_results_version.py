"""The results version counter and the stored ranking rows (issue 13: results at any size)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import delete, insert, select, update

from core.models import EventRole, Innovation, VisitorPass
from plugins.voting import assignment, results, results_pages, results_version
from plugins.voting.models import (
    VotingAssignment,
    VotingCriterion,
    VotingResultsRow,
    VotingScore,
    VotingStageJudge,
    VotingVote,
)
from plugins.voting.rubric import current_stage
from tests.plugins.voting.conftest import World, set_voting

KEYS = ("cepat", "efektif", "efisien", "transparan", "tanggap", "responsif")


@pytest.fixture
def scored(world: World, db: Any) -> World:
    """Two judges per innovation, every sheet submitted with varied values."""
    event_ = db.merge(world.event)
    assignment.auto_assign(db, event_, 2, seed=9)
    for n, row in enumerate(db.scalars(select(VotingAssignment).order_by(VotingAssignment.id))):
        for k, key in enumerate(KEYS):
            row.scores.append(VotingScore(criterion_key=key, value=1 + (n * 7 + k * 3) % 10))
        row.submitted = True
    db.commit()
    return world


@pytest.fixture
def other(make: Any, db: Any) -> Any:
    """A second event with the voting plugin (its counter must not move)."""
    return make.event("other-2026", plugins=["voting"])


def version(db: Any, event_id: int) -> tuple[int, int]:
    """The (global, event) counters as committed."""
    db.expire_all()
    return results_version.current(db, event_id)


def _first(db: Any, model: Any) -> Any:
    return db.scalars(select(model).order_by(model.id)).first()


def score_value(db: Any, world: World) -> None:
    """A stored score changes."""
    score = _first(db, VotingScore)
    score.value = 10 if score.value != 10 else 1


def reopen(db: Any, world: World) -> None:
    """A submitted sheet is reopened."""
    _first(db, VotingAssignment).submitted = False


def delete_sheet(db: Any, world: World) -> None:
    """A sheet and its scores go."""
    db.delete(_first(db, VotingAssignment))


def criterion_weight(db: Any, world: World) -> None:
    """A criterion's weight changes."""
    _first(db, VotingCriterion).weight += 1


def panel(db: Any, world: World) -> None:
    """The stage gets a panel member."""
    stage = current_stage(db, db.merge(world.event))
    db.add(VotingStageJudge(stage_id=stage.id, user_id=world.judges[0].id))


def innovation_title(db: Any, world: World) -> None:
    """An innovation is renamed (titles break ties)."""
    db.get(Innovation, world.innovations[0].id).title = "Renamed"


def judge_role(db: Any, world: World) -> None:
    """A judge's role goes (the panel of every judge changes)."""
    db.execute(delete(EventRole).where(EventRole.user_id == world.judges[3].id))
    # an ORM DML statement with a WHERE clause: the global counter moves


def bulk_scores(db: Any, world: World) -> None:
    """Scores written by an ORM bulk statement naming their sheets (as the bulk PUT does)."""
    row = _first(db, VotingAssignment)
    db.execute(delete(VotingScore).where(VotingScore.assignment_id == row.id))
    db.execute(
        insert(VotingScore),
        [{"assignment_id": row.id, "criterion_key": key, "value": 5} for key in KEYS],
    )


def bulk_update_by_id(db: Any, world: World) -> None:
    """Sheets updated by primary key in bulk."""
    row = _first(db, VotingAssignment)
    db.execute(update(VotingAssignment), [{"id": row.id, "comment": "bulk"}])


@pytest.mark.parametrize(
    "write",
    [
        score_value,
        reopen,
        delete_sheet,
        criterion_weight,
        panel,
        innovation_title,
        bulk_update_by_id,
    ],
)
def test_every_results_input_bumps_its_event_counter_only(
    scored: World, other: Any, db: Any, write: Callable[[Any, World], None]
) -> None:
    event_id = scored.event.id
    before, other_before = version(db, event_id), version(db, other.id)
    write(db, scored)
    db.commit()
    after = version(db, event_id)
    assert after[1] == before[1] + 1 and after[0] == before[0]
    assert version(db, other.id) == other_before


@pytest.mark.parametrize("write", [judge_role, bulk_scores])
def test_a_bulk_statement_without_named_rows_bumps_the_global_counter(
    scored: World, other: Any, db: Any, write: Callable[[Any, World], None]
) -> None:
    before = version(db, scored.event.id)
    write(db, scored)
    db.commit()
    assert version(db, scored.event.id)[0] == before[0] + 1
    assert version(db, other.id)[0] == before[0] + 1  # part of every event's key


def test_a_rolled_back_write_and_a_plain_read_bump_nothing(scored: World, db: Any) -> None:
    before = version(db, scored.event.id)
    score_value(db, scored)
    db.flush()
    db.rollback()
    db.scalars(select(VotingScore)).all()
    db.commit()
    assert version(db, scored.event.id) == before


def test_a_vote_does_not_bump_the_judge_figures(scored: World, db: Any) -> None:
    before = version(db, scored.event.id)
    _vote(db, scored, 0, 0)
    assert version(db, scored.event.id) == before


def _vote(db: Any, world: World, pass_index: int, innovation_index: int) -> None:
    code = world.passes[pass_index]
    pass_ = db.scalar(select(VisitorPass).where(VisitorPass.code == code))
    innovation = db.get(Innovation, world.innovations[innovation_index].id)
    db.add(
        VotingVote(
            event_id=world.event.id,
            pass_id=pass_.id,
            category=innovation.category,
            innovation_id=innovation.id,
            source="test",
        )
    )
    db.commit()


def _page(db: Any, world: World, **kwargs: Any) -> results_pages.ResultsPage:
    event_ = db.merge(world.event)
    options = {"method": "normalized", "public_weight": 0.0, **kwargs}
    page = results_pages.results_page(db, event_, current_stage(db, event_), **options)
    db.commit()
    return page


def test_pages_match_the_full_results_stored_or_not(scored: World, db: Any) -> None:
    event_ = db.merge(scored.event)
    full = results.stage_results(
        db, event_, current_stage(db, event_), method="normalized", public_weight=0
    )
    expected = [item.as_dict("normalized") for item in full.items]
    db.commit()
    computed = _page(db, scored)  # stores the rows
    assert db.scalar(select(VotingResultsRow.fingerprint).limit(1)) is not None
    stored = _page(db, scored)  # reads them
    assert computed.items == expected and stored.items == expected
    assert stored.total == computed.total == len(expected)
    assert stored.outlier_judges == list(full.outlier_judges)
    for offset in range(0, 9, 3):
        window = _page(db, scored, limit=3, offset=offset)
        assert window.items == expected[offset : offset + 3]
    ranked = _page(db, scored, limit=100, ranked_only=True)
    assert ranked.items == [item for item in expected if item["rank"] is not None]


def test_a_write_replaces_the_stored_rows(scored: World, db: Any) -> None:
    before = _page(db, scored).items
    key = db.scalar(select(VotingResultsRow.fingerprint).limit(1))
    judge = scored.judges[0].id
    for row in db.scalars(select(VotingAssignment).where(VotingAssignment.judge_id == judge)):
        row.submitted = False
    db.commit()
    after = _page(db, scored).items
    assert db.scalar(select(VotingResultsRow.fingerprint).limit(1)) != key
    event_ = db.merge(scored.event)
    fresh = results.stage_results(
        db, event_, current_stage(db, event_), method="normalized", public_weight=0
    )
    assert after == [item.as_dict("normalized") for item in fresh.items]
    assert len(after) == len(before)


def test_with_a_public_weight_a_vote_reorders_the_stored_ranking(
    app: Any, scored: World, db: Any
) -> None:
    set_voting(app, db, scored.event, public_weight=0.9)
    first = _page(db, scored, public_weight=0.9)
    last = first.items[-1]["innovation"]["id"]
    index = next(n for n, i in enumerate(scored.innovations) if i.id == last)
    _vote(db, scored, 0, index)
    again = _page(db, scored, public_weight=0.9)
    assert again.items[0]["innovation"]["id"] == last
    assert again.items[0]["votes"] == 1


def test_titles_and_agencies_are_read_live(scored: World, db: Any) -> None:
    _page(db, scored)
    organization = db.get(Innovation, scored.innovations[0].id).organization
    organization.name = "Dinas Baru"
    db.commit()
    names = {
        item["innovation"]["organization"]["name"]
        for item in _page(db, scored).items
        if item["innovation"]["id"] == scored.innovations[0].id
    }
    assert names == {"Dinas Baru"}


def test_a_savepoint_leaves_the_bump_to_the_outer_commit(scored: World, db: Any) -> None:
    before = version(db, scored.event.id)
    with db.begin_nested():
        score_value(db, scored)
    assert results_version.current(db, scored.event.id) == before  # not yet
    db.commit()
    assert version(db, scored.event.id)[1] == before[1] + 1


def test_the_results_page_lists_the_top_votes_only(
    app: Any, client: Any, scored: World, db: Any
) -> None:
    from plugins.voting import votes

    set_voting(app, db, scored.event, results_published=True)
    page = client.get(f"/{scored.slug}/voting/results").get_data(as_text=True)
    assert "Pilihan publik" not in page  # no vote yet: no list
    _vote(db, scored, 0, 2)
    _vote(db, scored, 1, 2)
    _vote(db, scored, 2, 5)
    top = votes.top_votes(db, db.merge(scored.event), limit=10)
    assert [(i.id, n) for i, n in top] == [
        (scored.innovations[2].id, 2),
        (scored.innovations[5].id, 1),
    ]
    assert [i.id for i, _n in votes.top_votes(db, db.merge(scored.event), limit=1)] == [
        scored.innovations[2].id
    ]
    page = client.get(f"/{scored.slug}/voting/results").get_data(as_text=True)
    assert "Pilihan publik" in page and "2 suara" in page

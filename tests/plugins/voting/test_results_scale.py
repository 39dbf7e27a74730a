"""Results at any size: API pagination, stored judge figures and their invalidation."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import delete, event, select

from plugins.voting import assignment, results
from plugins.voting.models import (
    VotingAssignment,
    VotingCriterion,
    VotingResultsCache,
    VotingResultsRow,
    VotingScore,
    VotingStageJudge,
)
from plugins.voting.rubric import current_stage
from tests.plugins.voting.conftest import World, set_voting

API = "/api/v1/events"
KEYS = ("cepat", "efektif", "efisien", "transparan", "tanggap", "responsif")


@pytest.fixture
def scored(app: Any, world: World, db: Any) -> World:
    """Two judges per innovation (judges 1-3 only), every sheet submitted, varied values."""
    event_ = db.merge(world.event)
    assignment.auto_assign(db, event_, 2, seed=9)
    for n, row in enumerate(db.scalars(select(VotingAssignment).order_by(VotingAssignment.id))):
        for k, key in enumerate(KEYS):
            row.scores.append(VotingScore(criterion_key=key, value=1 + (n * 7 + k * 3) % 10))
        row.submitted = True
    db.commit()
    return world


def fresh(db: Any, world: World) -> list[dict[str, Any]]:
    """The results computed from scratch (no stored figures), as API items."""
    db.execute(delete(VotingResultsCache))
    db.commit()
    event_ = db.merge(world.event)
    computed = results.stage_results(
        db, event_, current_stage(db, event_), method="normalized", public_weight=0
    )
    db.rollback()  # do not keep the recomputed row: the next API call must find its own
    return [item.as_dict("normalized") for item in computed.items]


def api_items(client: Any, world: World, headers: dict[str, Any], **query: Any) -> Any:
    """The organizer's results document."""
    response = client.get(
        f"{API}/{world.slug}/results", headers=headers["organizer"], query_string=query
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_results_api_pages_with_limit_offset_and_total(
    client: Any, scored: World, headers: dict[str, Any]
) -> None:
    whole = api_items(client, scored, headers, limit=500)
    assert whole["total"] == 8 and len(whole["items"]) == 8
    first = api_items(client, scored, headers, limit=3)
    assert first["total"] == 8
    assert first["items"] == whole["items"][:3]
    middle = api_items(client, scored, headers, limit=3, offset=3)
    assert middle["items"] == whole["items"][3:6]
    last = api_items(client, scored, headers, limit=3, offset=6)
    assert last["items"] == whole["items"][6:] and len(last["items"]) == 2
    beyond = api_items(client, scored, headers, offset=50)
    assert beyond["items"] == [] and beyond["total"] == 8
    assert [i["rank"] for i in whole["items"]] == sorted(i["rank"] for i in whole["items"])


@pytest.mark.parametrize("query", [{"limit": 0}, {"limit": 501}, {"offset": -1}, {"limit": "x"}])
def test_bad_pagination_is_422_not_500(
    client: Any, scored: World, headers: dict[str, Any], query: dict[str, Any]
) -> None:
    response = client.get(
        f"{API}/{scored.slug}/results", headers=headers["organizer"], query_string=query
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "validation_failed"


def test_figures_are_stored_once_and_reused(
    client: Any, scored: World, headers: dict[str, Any], db: Any
) -> None:
    first = api_items(client, scored, headers, limit=500)
    rows = db.scalars(select(VotingResultsCache)).all()
    assert len(rows) == 1
    stored = (rows[0].fingerprint, rows[0].payload)
    again = api_items(client, scored, headers, limit=500)
    db.expire_all()
    row = db.scalars(select(VotingResultsCache)).one()
    assert (row.fingerprint, row.payload) == stored
    assert again == first


def test_stored_figures_are_used_when_the_fingerprint_matches(
    client: Any, scored: World, headers: dict[str, Any], db: Any
) -> None:
    """Proof that a hit does not recompute: a doctored payload with the right key shows."""
    api_items(client, scored, headers)
    row = db.scalars(select(VotingResultsCache)).one()
    doctored = json.loads(row.payload)
    doctored["outliers"] = [424242]
    row.payload = json.dumps(doctored)
    db.commit()
    event_ = db.merge(scored.event)
    computed = results.stage_results(
        db, event_, current_stage(db, event_), method="normalized", public_weight=0
    )
    assert computed.outlier_judges == [424242]


def test_stored_ranking_rows_are_read_when_the_key_matches(
    client: Any, scored: World, headers: dict[str, Any], db: Any
) -> None:
    """Proof that an API read uses the stored rows: a doctored header and row show."""
    whole = api_items(client, scored, headers, limit=500)
    header = db.get(VotingResultsRow, (whole_stage(db, scored), 0))
    meta = json.loads(header.data)
    meta["outlier_judges"] = [424242]
    header.data = json.dumps(meta)
    second = db.get(VotingResultsRow, (whole_stage(db, scored), 2))
    data = json.loads(second.data)
    data["raw_score"] = 12.34
    second.data = json.dumps(data)
    db.commit()
    again = api_items(client, scored, headers, limit=2, offset=1)
    assert again["outlier_judges"] == [424242]
    assert again["items"][0]["raw_score"] == 12.34
    assert again["items"][0]["innovation"] == whole["items"][1]["innovation"]
    assert again["items"][1] == whole["items"][2]


def whole_stage(db: Any, world: World) -> int:
    """The id of the event's current stage."""
    return current_stage(db, db.merge(world.event)).id


def _first_assignment(db: Any) -> VotingAssignment:
    return db.scalars(select(VotingAssignment).order_by(VotingAssignment.id)).first()


def change_value(db: Any, world: World) -> None:
    """A stored score changes (what PUT scores does)."""
    score = db.scalars(select(VotingScore).order_by(VotingScore.id)).first()
    score.value = 10 if score.value != 10 else 1


def reopen(db: Any, world: World) -> None:
    """A submitted sheet is reopened."""
    _first_assignment(db).submitted = False


def remove_assignment(db: Any, world: World) -> None:
    """An assignment and its scores go."""
    db.delete(_first_assignment(db))


def move_assignment(db: Any, world: World) -> None:
    """An unscored sheet is handed to another judge (judge 4 was not assigned)."""
    row = _first_assignment(db)
    row.judge_id = world.judges[3].id


def change_rubric(db: Any, world: World) -> None:
    """A criterion's weight changes."""
    criterion = db.scalars(select(VotingCriterion).order_by(VotingCriterion.id)).first()
    criterion.weight = criterion.weight + 4


def change_panel(db: Any, world: World) -> None:
    """The stage's panel becomes judges 1 and 2: judge 3's drafts stop counting as assigned."""
    stage = current_stage(db, db.merge(world.event))
    for judge in world.judges[:2]:
        db.add(VotingStageJudge(stage_id=stage.id, user_id=judge.id))
    row = db.scalars(
        select(VotingAssignment).where(VotingAssignment.judge_id == world.judges[2].id)
    ).first()
    row.submitted = False


@pytest.mark.parametrize(
    "write", [change_value, reopen, remove_assignment, move_assignment, change_rubric, change_panel]
)
def test_every_kind_of_score_write_invalidates_the_stored_figures(
    client: Any,
    scored: World,
    headers: dict[str, Any],
    db: Any,
    write: Callable[[Any, World], None],
) -> None:
    before = api_items(client, scored, headers, limit=500)["items"]
    assert db.scalar(select(VotingResultsCache.stage_id)) is not None
    write(db, scored)
    db.commit()
    after = api_items(client, scored, headers, limit=500)["items"]
    assert after == fresh(db, scored)
    assert after != before  # the write really changed something a stale read would miss


def test_put_scores_through_the_api_is_seen_by_the_next_read(
    app: Any, client: Any, scored: World, headers: dict[str, Any], db: Any
) -> None:
    set_voting(app, db, scored.event, scoring_open=True)
    before = api_items(client, scored, headers, limit=500)["items"]
    judge = scored.judges[0]
    row = db.scalars(select(VotingAssignment).where(VotingAssignment.judge_id == judge.id)).first()
    url = f"{API}/{scored.slug}/innovations/{row.innovation_id}/scores"
    db.commit()  # release the test session's write lock (keeps objects loaded)
    put = client.put(
        url,
        headers=headers["judge1"],
        json={"scores": dict.fromkeys(KEYS, 10)},
    )
    assert put.status_code == 200, put.get_json()
    after = api_items(client, scored, headers, limit=500)["items"]
    assert after != before
    assert after == fresh(db, scored)


def test_statement_count_does_not_grow_with_the_stored_figures(
    app: Any, client: Any, scored: World, headers: dict[str, Any]
) -> None:
    from core.db import get_db

    engine = get_db(app).engine
    counted: list[str] = []

    def count(*_args: Any) -> None:
        counted.append("x")

    api_items(client, scored, headers)  # computes and stores
    event.listen(engine, "before_cursor_execute", count)
    try:
        api_items(client, scored, headers, limit=2)
        small = len(counted)
        counted.clear()
        api_items(client, scored, headers, limit=500)
        assert len(counted) == small
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_results_page_paginates_the_ranking(
    app: Any, client: Any, scored: World, headers: dict[str, Any], db: Any, monkeypatch: Any
) -> None:
    from plugins.voting import views

    monkeypatch.setattr(views, "RESULTS_PER_PAGE", 3)
    set_voting(app, db, scored.event, results_published=True)
    ranked = [i["innovation"]["title"] for i in api_items(client, scored, headers)["items"]]
    seen: list[str] = []
    for page in (1, 2, 3):
        html = client.get(f"/{scored.slug}/voting/results?page={page}").get_data(as_text=True)
        shown = [title for title in ranked if f"<strong>{title}</strong>" in html]
        assert len(shown) == (3 if page < 3 else 2)
        assert (f"page={page + 1}" in html) == (page < 3)
        seen += shown
    assert sorted(seen) == sorted(ranked) and len(seen) == 8
    beyond = client.get(f"/{scored.slug}/voting/results?page=99").get_data(as_text=True)
    assert sum(f"<strong>{t}</strong>" in beyond for t in ranked) == 2  # clamped to the last
    assert client.get(f"/{scored.slug}/voting/results?page=x").status_code == 200

"""Rubric: default CETTAR criteria, DB checks, GET/PUT criteria, lock once scoring began."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.models import AuditEntry
from core.services import cloning
from core.services.errors import Conflict, ValidationFailed
from plugins.voting import rubric
from plugins.voting.models import VotingAssignment, VotingCriterion, VotingScore, VotingStage
from plugins.voting.settings import CETTAR_CRITERIA
from tests.plugins.voting.conftest import World

API = "/api/v1/events"
GOOD = [
    {"key": "impact", "label_id": "Dampak", "label_en": "Impact", "weight": 2, "min": 0, "max": 5},
    {"key": "novelty", "label": "Novelty", "weight": 1, "min": 1, "max": 10},
]


def test_enabling_creates_the_cettar_rubric(world: World, db: Any) -> None:
    event = db.merge(world.event)
    stage = rubric.current_stage(db, event)
    assert stage is not None and stage.position == 1 and stage.status == "open"
    assert [c.key for c in stage.criteria] == [key for key, _i, _e in CETTAR_CRITERIA]
    assert all(c.weight == 1 and c.min_value < c.max_value for c in stage.criteria)
    assert all(c.description for c in stage.criteria)


@pytest.mark.parametrize(
    "values",
    [{"weight": 0}, {"weight": -1}, {"min_value": 5, "max_value": 5}, {"min_value": 6}],
)
def test_database_checks_the_criterion(world: World, db: Any, values: dict[str, Any]) -> None:
    stage = rubric.current_stage(db, db.merge(world.event))
    row = dict(key="x", label_id="X", label_en="X", weight=1.0, min_value=1.0, max_value=5.0)
    db.add(VotingCriterion(stage_id=stage.id, **{**row, **values}))
    with pytest.raises(IntegrityError):
        db.flush()


def test_database_refuses_a_duplicate_key(world: World, db: Any) -> None:
    stage = rubric.current_stage(db, db.merge(world.event))
    db.add(VotingCriterion(stage_id=stage.id, key="cepat", label_id="C", label_en="C"))
    with pytest.raises(IntegrityError):
        db.flush()


def test_database_refuses_an_unknown_stage_status(world: World, db: Any) -> None:
    db.add(VotingStage(event_id=world.event.id, name="x", position=2, status="maybe"))
    with pytest.raises(IntegrityError):
        db.flush()


def test_get_criteria_for_organizer_and_judge_only(
    client: Any, world: World, headers: dict[str, Any]
) -> None:
    url = f"{API}/{world.slug}/criteria"
    for who in ("organizer", "judge1"):
        body = client.get(url, headers=headers[who]).get_json()
        assert [i["key"] for i in body["items"]] == [k for k, _i, _e in CETTAR_CRITERIA]
        assert {"key", "label", "weight", "min", "max"} <= set(body["items"][0])
    assert client.get(url).status_code == 401


def test_put_criteria_replaces_the_rubric_and_audits(
    client: Any, world: World, headers: dict[str, Any], db: Any
) -> None:
    url = f"{API}/{world.slug}/criteria"
    response = client.put(url, json={"items": GOOD}, headers=headers["organizer"])
    assert response.status_code == 200, response.get_json()
    body = client.get(url, headers=headers["judge1"]).get_json()
    assert [(i["key"], i["weight"], i["min"], i["max"]) for i in body["items"]] == [
        ("impact", 2, 0, 5),
        ("novelty", 1, 1, 10),
    ]
    assert body["items"][1]["label_id"] == "Novelty"
    assert db.scalar(select(AuditEntry).where(AuditEntry.action == "voting.rubric_changed"))


@pytest.mark.parametrize(
    ("items", "field"),
    [
        ([GOOD[0], {**GOOD[1], "key": "impact"}], "items.1.key"),
        ([{**GOOD[0], "min": 5, "max": 5}], "items.0.min"),
        ([{**GOOD[0], "min": 6, "max": 5}], "items.0.min"),
        ([{**GOOD[0], "weight": 0}], "items.0.weight"),
        ([{**GOOD[0], "weight": -2}], "items.0.weight"),
        ([{**GOOD[0], "weight": "heavy"}], "items.0.weight"),
        ([{**GOOD[0], "key": "Bad Key"}], "items.0.key"),
        ([], "items"),
    ],
)
def test_put_criteria_refuses_bad_rubrics_and_changes_nothing(
    client: Any, world: World, headers: dict[str, Any], items: list[Any], field: str
) -> None:
    url = f"{API}/{world.slug}/criteria"
    response = client.put(url, json={"items": items}, headers=headers["organizer"])
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    keys = [i["key"] for i in client.get(url, headers=headers["organizer"]).get_json()["items"]]
    assert keys == [k for k, _i, _e in CETTAR_CRITERIA]


def test_put_criteria_is_for_organizers(client: Any, world: World, headers: dict[str, Any]) -> None:
    url = f"{API}/{world.slug}/criteria"
    assert client.put(url, json={"items": GOOD}, headers=headers["judge1"]).status_code == 403
    assert client.put(url, json={"items": GOOD}).status_code == 401


def test_rubric_is_locked_once_scoring_began(
    client: Any, world: World, headers: dict[str, Any], db: Any
) -> None:
    event = db.merge(world.event)
    stage = rubric.current_stage(db, event)
    row = VotingAssignment(
        stage_id=stage.id, judge_id=world.judges[2].id, innovation_id=world.innovations[0].id
    )
    row.scores.append(VotingScore(criterion_key="cepat", value=5))
    db.add(row)
    db.commit()
    response = client.put(
        f"{API}/{world.slug}/criteria", json={"items": GOOD}, headers=headers["organizer"]
    )
    assert response.status_code == 409
    with pytest.raises(Conflict):
        rubric.replace_criteria(db, event, GOOD)
    db.rollback()
    assert rubric.criteria_of(db, event)[0].key == "cepat"


def test_validate_criteria_service_names_fields() -> None:
    with pytest.raises(ValidationFailed) as caught:
        rubric.validate_criteria([{"key": "a", "label": "A", "min": 1, "max": float("nan")}])
    assert "items.0.max" in caught.value.fields


def test_criteria_answer_404_when_the_plugin_is_off(
    client: Any, world: World, headers: dict[str, Any], app: Any, db: Any
) -> None:
    from core.services import plugin_settings

    registry = app.extensions["gelar_plugins"]
    plugin_settings.set_plugin_enabled(db, registry, db.merge(world.event), "voting", False)
    db.commit()
    for method, path in [
        ("get", "criteria"),
        ("put", "criteria"),
        ("get", "results"),
        ("get", "votes/tally"),
        ("post", f"innovations/{world.innovations[0].id}/votes"),
    ]:
        response = getattr(client, method)(
            f"{API}/{world.slug}/{path}", json={"items": GOOD}, headers=headers["organizer"]
        )
        assert response.status_code == 404, (method, path)


def test_cloning_copies_the_rubric_but_not_scores(
    app: Any, world: World, db: Any, client: Any, headers: dict[str, Any]
) -> None:
    response = client.put(
        f"{API}/{world.slug}/criteria", json={"items": GOOD}, headers=headers["organizer"]
    )
    assert response.status_code == 200
    db.expire_all()  # the fixture session still holds the rubric it created
    event = db.merge(world.event)
    stage = rubric.current_stage(db, event)
    db.add(
        VotingAssignment(
            stage_id=stage.id, judge_id=world.judges[2].id, innovation_id=world.innovations[0].id
        )
    )
    db.commit()
    from datetime import date

    copy = cloning.clone_event(
        db,
        app.extensions["gelar_plugins"],
        event,
        slug="vote-2027",
        name="Next",
        year=2027,
        starts_on=date(2027, 12, 1),
        ends_on=date(2027, 12, 2),
    )
    db.commit()
    copied = rubric.current_stage(db, copy)
    assert copied is not None and copied.id != stage.id
    assert [c.key for c in copied.criteria] == ["impact", "novelty"]
    assigned = db.scalars(select(VotingAssignment).where(VotingAssignment.stage_id == copied.id))
    assert list(assigned) == []


SIX = [
    ("cepat", "Cepat", "Fast"),
    ("efektif", "Efektif", "Effective"),
    ("efisien", "Efisien", "Efficient"),
    ("transparan", "Transparan", "Transparent"),
    ("tanggap", "Tanggap", "Attentive"),
    ("responsif", "Responsif", "Responsive"),
]
OLD_FIVE = ["cepat", "efektif", "tanggap", "transparan", "responsif"]


def test_default_rubric_has_the_six_cettar_values(
    client: Any, world: World, headers: dict[str, Any]
) -> None:
    specs = rubric.default_criteria()
    assert [(s.key, s.label_id, s.label_en) for s in specs] == SIX
    assert all(s.description and s.weight == 1 for s in specs)
    assert len({s.description for s in specs}) == 6  # each value explained on its own
    body = client.get(f"{API}/{world.slug}/criteria", headers=headers["judge1"]).get_json()
    assert [(i["key"], i["label_id"], i["label_en"]) for i in body["items"]] == SIX
    assert all(i["description"] for i in body["items"])


def _old_rubric(db: Any, world: World) -> VotingStage:
    """Give the world's stage the five-value rubric an event created earlier kept."""
    stage = rubric.current_stage(db, db.merge(world.event))
    stage.criteria.clear()
    db.flush()
    rubric.store_criteria(stage, [rubric.CriterionSpec(k, k.title(), k) for k in OLD_FIVE])
    db.commit()
    return stage


def test_an_existing_events_rubric_is_untouched(
    app: Any, client: Any, world: World, headers: dict[str, Any], db: Any
) -> None:
    from core.services import plugin_settings

    _old_rubric(db, world)
    registry = app.extensions["gelar_plugins"]
    plugin_settings.set_plugin_enabled(db, registry, db.merge(world.event), "voting", False)
    plugin_settings.set_plugin_enabled(db, registry, db.merge(world.event), "voting", True)
    db.commit()
    event = db.merge(world.event)
    assert [c.key for c in rubric.criteria_of(db, event)] == OLD_FIVE
    assert len(rubric.stages(db, event)) == 1
    db.commit()
    body = client.get(f"{API}/{world.slug}/criteria", headers=headers["organizer"]).get_json()
    assert [i["key"] for i in body["items"]] == OLD_FIVE

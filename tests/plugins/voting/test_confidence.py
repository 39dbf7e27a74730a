"""Judging confidence: the joint model, linked assignments, intervals, close calls, top-up,
calibration and the stored results of closed stages (service level and through HTTP)."""

from __future__ import annotations

import random
import statistics
from collections import Counter
from typing import Any

import numpy as np
import pytest
from sqlalchemy import select

from plugins.voting import assignment, confidence, judge_model, results, stages
from plugins.voting.models import VotingAssignment, VotingScore, VotingStageResults
from plugins.voting.results import Results
from plugins.voting.rubric import current_stage
from tests.plugins.voting.conftest import World
from tests.plugins.voting.fairness import SITUATIONS, simulate

API = "/api/v1/events"
KEYS = ("cepat", "efektif", "efisien", "transparan", "tanggap", "responsif")


# --- the joint model -----------------------------------------------------------------


def _synthetic(seed: int, n_items: int = 60, n_judges: int = 8, k: int = 3) -> tuple[Any, ...]:
    rng = random.Random(seed)
    quality = np.array([rng.gauss(50, 15) for _ in range(n_items)])
    lenient = np.array([rng.uniform(-15, 15) for _ in range(n_judges)])
    scale = np.array([rng.uniform(0.6, 1.4) for _ in range(n_judges)])
    judge, item, y = [], [], []
    for i in range(n_items):
        for j in rng.sample(range(n_judges), k):
            judge.append(j)
            item.append(i)
            y.append(50 + lenient[j] + scale[j] * (quality[i] - 50) + rng.gauss(0, 3))
    return quality, lenient, scale, np.array(judge), np.array(item), np.array(y)


def test_the_model_recovers_leniency_and_quality_deterministically() -> None:
    quality, lenient, _scale, judge, item, y = _synthetic(1)
    fitted = judge_model.fit(judge, item, y, 8, 60)
    again = judge_model.fit(judge, item, y, 8, 60)
    assert np.array_equal(fitted.score, again.score) and np.array_equal(fitted.se, again.se)
    true_offsets = lenient - lenient.mean()
    assert np.corrcoef(fitted.leniency, true_offsets)[0, 1] > 0.95
    raw = np.bincount(item, weights=y) / np.bincount(item)
    model_r = judge_model.rank_correlation(fitted.score, quality)
    assert model_r > judge_model.rank_correlation(raw, quality) and model_r > 0.97
    assert np.all(fitted.low <= fitted.score) and np.all(fitted.score <= fitted.high)
    assert fitted.groups == [list(range(8))]


def test_intervals_widen_with_fewer_or_disagreeing_judges() -> None:
    rng = random.Random(2)
    scores = {}
    for i in range(40):
        quality = rng.gauss(50, 15)
        panel = range(8) if i < 10 else rng.sample(range(8), 3)
        for j in panel:
            scores[(j, i)] = quality + (j - 4) * 2 + rng.gauss(0, 4)
    first = next(j for j in range(8) if (j, 39) in scores)
    scores[(first, 39)] += 40  # innovation 39: one judge far from the other two
    se = {i: v[1] for i, v in results.model_scores(scores).items()}
    many = statistics.fmean(se[i] for i in range(10))
    few = statistics.fmean(se[i] for i in range(10, 39))
    assert many < few  # eight judges vs three
    assert se[39] > 1.5 * few  # disagreement widens


def test_groups_sharing_no_innovation_are_reported_not_compared() -> None:
    scores = {(1, 1): 80.0, (2, 1): 70.0, (1, 2): 60.0, (2, 2): 50.0}
    scores |= {(3, 3): 30.0, (4, 3): 20.0, (3, 4): 10.0, (4, 4): 25.0}
    calibration = confidence.calibrate(scores)
    assert not calibration.connected
    assert sorted(calibration.groups) == [[1, 2], [3, 4]]
    fitted = results.model_scores(scores)
    # leniency is centred inside each group: the groups' raw levels stay as they are
    assert fitted[1][0] > fitted[3][0]
    assert all(any("group" in str(r) for r in c.reasons) for c in calibration.judges)


def test_three_thousand_innovations_by_five_judges_fit_quickly() -> None:
    rng = np.random.default_rng(3)
    judge = np.concatenate([rng.choice(60, 5, replace=False) for _ in range(3000)])
    item = np.repeat(np.arange(3000), 5)
    y = np.clip(rng.normal(50, 15, 3000)[item] + rng.normal(0, 5, item.size), 0, 100)
    fitted = judge_model.fit(judge, item, y, 60, 3000)
    assert np.isfinite(fitted.score).all() and np.isfinite(fitted.se).all()


# --- linked automatic assignment ----------------------------------------------------


def test_twelve_judges_three_per_innovation_form_one_linked_group() -> None:
    judges, items = list(range(1, 13)), list(range(1, 121))
    assigned: dict[int, set[int]] = {i: set() for i in items}
    load: Counter[int] = Counter({j: 0 for j in judges})
    new, balanced = assignment.plan(
        judges, items, {i: set(judges) for i in items}, assigned, load, 3, random.Random(5)
    )
    assert balanced and len(new) == 360 and max(load.values()) - min(load.values()) <= 1
    fitted = judge_model.groups_of(
        np.array([j - 1 for j, _i in new]), np.array([i for _j, i in new]), 12
    )
    assert len(fitted) == 1
    together: Counter[tuple[int, int]] = Counter()
    for panel in assigned.values():
        for a in panel:
            for b in panel:
                if a < b:
                    together[(a, b)] += 1
    assert len(together) == 66  # every pair of judges shares innovations
    assert max(together.values()) - min(together.values()) <= 4


# --- the fairness bench's thresholds, small ---------------------------------------------


@pytest.mark.parametrize("situation", SITUATIONS)
def test_the_model_is_at_least_as_close_to_the_truth(situation: str) -> None:
    outcomes = [simulate(situation, seed) for seed in range(2)]
    for o in outcomes:
        assert o.model >= o.raw - 0.005 and o.model >= o.zscore - 0.005, o
        assert o.connected
    mean = statistics.fmean(o.model for o in outcomes)
    if situation == "strong":
        assert mean >= 0.98
    if situation == "specialised":
        assert mean >= 0.95
    if situation == "random_judge":
        for o in outcomes:
            assert 0 in o.flagged and len(o.flagged) <= 2, o.flagged


def test_a_top_up_raises_the_share_of_the_true_top_that_advances() -> None:
    outcomes = [simulate(s, seed) for s in SITUATIONS for seed in range(3)]
    for o in outcomes:
        assert o.share_after >= o.share_before, o
    before = statistics.fmean(o.share_before for o in outcomes)
    after = statistics.fmean(o.share_after for o in outcomes)
    assert after > before


# --- close calls and top-up planning (pure) -----------------------------------------


def _results(rows: list[tuple[int, float, float]]) -> Results:
    items = []
    for n, (iid, score, half) in enumerate(rows, start=1):
        item = results.InnovationResult(iid, title=f"I{iid}")
        item.raw_score = item.normalized_score = item.final_score = score
        item.interval = (score - half, score + half)
        item.rank = n
        items.append(item)
    return Results("normalized", 0.0, items, [], {})


def test_close_calls_straddle_the_boundary_widest_overlap_first() -> None:
    computed = _results([(1, 90, 2), (2, 71, 3), (3, 70, 8), (4, 60, 1), (5, 50, 15)])
    close = confidence.mark_close_calls(computed, 2)
    assert computed.boundary == pytest.approx(70.5)
    assert [i.innovation_id for i in close] == [3, 2]
    assert "close_call" in computed.items[1].flags and "close_call" not in computed.items[0].flags
    assert confidence.mark_close_calls(computed, 5) == [] and computed.boundary is None


def test_top_up_plan_skips_conflicted_and_repeated_judges_and_keeps_loads() -> None:
    assigned = {10: {1, 2}, 11: {3, 4}}
    load = Counter({1: 3, 2: 3, 3: 3, 4: 3, 5: 3, 6: 3})
    eligible = {10: {1, 2, 3, 4, 6}, 11: {1, 2, 3, 4, 5, 6}}  # 5 conflicted with 10
    added = confidence.plan_top_up([10, 11], assigned, eligible, load, 10)
    assert all(j not in {1, 2, 5} for j, i in added if i == 10)
    assert len(set(added)) == len(added)
    assert max(load.values()) - min(load.values()) <= 1
    assert {i for _j, i in added} <= {10, 11}


# --- through the database and HTTP ---------------------------------------------------


@pytest.fixture
def judged(app: Any, world: World, db: Any) -> World:
    """Three judges per innovation (conflicts respected), every sheet submitted."""
    assignment.auto_assign(db, db.merge(world.event), 3, seed=4)
    for row in db.scalars(select(VotingAssignment)):
        value = 2 + (row.innovation_id % 7) + (row.judge_id % 2)
        for key in KEYS:
            row.scores.append(VotingScore(criterion_key=key, value=min(10, value)))
        row.submitted = True
    db.commit()
    return world


def test_results_carry_intervals_boundary_and_close_calls(
    client: Any, judged: World, headers: dict[str, Any]
) -> None:
    url = f"{API}/{judged.slug}/results"
    body = client.get(url, headers=headers["organizer"]).get_json()
    assert "boundary" not in body and body["method_version"] == judge_model.MODEL_VERSION
    for item in body["items"]:
        low, high = item["interval"]
        assert 0 <= low <= item["normalized_score"] <= high <= 100
    top = client.get(f"{url}?top=3", headers=headers["organizer"]).get_json()
    finals = [i["final_score"] for i in top["items"]]
    assert top["boundary"] == pytest.approx((finals[2] + finals[3]) / 2, abs=0.01)
    for item in top["items"]:
        low, high = item["interval"]
        assert ("close_call" in item["flags"]) == (low <= top["boundary"] <= high)
    for bad in ("0", "x", "-2"):
        response = client.get(f"{url}?top={bad}", headers=headers["organizer"])
        assert response.status_code == 422 and response.get_json()["error"]


def test_top_up_adds_judges_only_to_close_calls(
    client: Any, judged: World, headers: dict[str, Any], db: Any
) -> None:
    url = f"{API}/{judged.slug}/assignments/top-up"
    before = {(a.judge_id, a.innovation_id) for a in db.scalars(select(VotingAssignment))}
    db.rollback()  # end the read: the requests write
    assert (
        client.post(url, json={"top": 3, "extra": 2}, headers=headers["judge1"]).status_code == 403
    )
    for bad in ({"top": 0, "extra": 1}, {"top": 3}, {"top": 3, "extra": "x"}):
        assert client.post(url, json=bad, headers=headers["organizer"]).status_code == 422
    response = client.post(url, json={"top": 3, "extra": 2}, headers=headers["organizer"])
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    db.expire_all()
    after = {(a.judge_id, a.innovation_id) for a in db.scalars(select(VotingAssignment))}
    new = after - before
    assert len(new) == len(body["added"]) <= 2
    assert {i for _j, i in new} <= set(body["close_calls"])
    innovations = {i.id: i for i in judged.innovations}
    for judge_id, innovation_id in new:
        assert (judge_id, innovation_id) not in before
        if judge_id == judged.judges[0].id:  # judge1 belongs to agency 0
            assert innovations[innovation_id].organization_id != judged.organizations[0].id
        if judge_id == judged.judges[1].id:  # judge2 declared agency 1
            assert innovations[innovation_id].organization_id != judged.organizations[1].id
    loads = Counter(a.judge_id for a in db.scalars(select(VotingAssignment)))
    db.rollback()
    assert max(loads.values()) - min(loads.values()) <= 1
    if body["added"]:  # the judge finds the new sheet in the queue
        judge_id = body["added"][0]["judge"]["id"]
        n = [j.id for j in judged.judges].index(judge_id) + 1
        mine = client.get(f"{API}/{judged.slug}/assignments", headers=headers[f"judge{n}"])
        ids = {a["innovation"]["id"] for a in mine.get_json()["items"]}
        assert body["added"][0]["innovation"]["id"] in ids


def test_top_up_is_refused_once_the_stage_is_closed(
    client: Any, judged: World, headers: dict[str, Any], db: Any
) -> None:
    event = db.merge(judged.event)
    stages.close_stage(db, event, current_stage(db, event).id)
    db.commit()
    response = client.post(
        f"{API}/{judged.slug}/assignments/top-up",
        json={"top": 3, "extra": 2},
        headers=headers["organizer"],
    )
    assert response.status_code == 409


def test_calibration_describes_every_judge(
    client: Any, judged: World, headers: dict[str, Any]
) -> None:
    url = f"{API}/{judged.slug}/judges/calibration"
    assert client.get(url).status_code == 401
    assert client.get(url, headers=headers["judge1"]).status_code == 403
    body = client.get(url, headers=headers["organizer"]).get_json()
    assert body["connected"] is True and len(body["items"]) == 4
    for row in body["items"]:
        assert {"id", "name", "email"} <= set(row["judge"])
        assert row["sheets"] > 0 and isinstance(row["leniency"], float)
        assert row["agreement"] is None or -1 <= row["agreement"] <= 1
        assert isinstance(row["flagged"], bool) and isinstance(row["reasons"], list)
    assert client.get(f"{url}?stage=999999", headers=headers["organizer"]).status_code == 404


def test_a_closed_stage_keeps_its_ranking_when_the_method_changes(
    judged: World, db: Any, monkeypatch: pytest.MonkeyPatch, client: Any, headers: dict[str, Any]
) -> None:
    event = db.merge(judged.event)
    stage = current_stage(db, event)
    stages.close_stage(db, event, stage.id)
    db.commit()
    stored = db.get(VotingStageResults, stage.id)
    assert stored is not None and stored.method_version == judge_model.MODEL_VERSION
    version = stored.method_version
    url = f"{API}/{judged.slug}/results?stage={stage.id}"
    scores = confidence.stage_scores(db, event, stage)
    db.rollback()
    closed = client.get(url, headers=headers["organizer"]).get_json()

    real_fit = judge_model.fit

    def upgraded(*args: Any) -> Any:
        fitted = real_fit(*args)
        fitted.score = 100 - fitted.score  # a "new method" that reverses the order
        return fitted

    monkeypatch.setattr(judge_model, "MODEL_VERSION", "joint-99")
    monkeypatch.setattr(judge_model, "fit", upgraded)
    again = client.get(url, headers=headers["organizer"]).get_json()
    assert again["items"] == closed["items"]
    assert again["method_version"] == version
    # computed afresh (as for an open stage) the "new method" would reverse the order
    modelled = results.model_scores(scores)
    ranked = sorted(modelled, key=lambda i: -modelled[i][0])
    official = [i["innovation"]["id"] for i in closed["items"] if i["rank"]]
    assert ranked != official


def test_pages_draw_intervals_and_calibration(
    app: Any, client: Any, judged: World, auth: Any
) -> None:
    auth.login("organizer@example.id")
    page = client.get(f"/{judged.slug}/voting/manage/results?top=3")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'class="interval-plot"' in text and "style=" not in text
    if "close-call" in text:
        assert "Tambah juri untuk yang nyaris" in text or "close calls" in text
    calibration = client.get(f"/{judged.slug}/voting/manage/calibration")
    assert calibration.status_code == 200
    assert 'class="calibration-plot"' in calibration.get_data(as_text=True)
    done = client.post(f"/{judged.slug}/voting/manage/top-up", data={"top": "3", "extra": "2"})
    assert done.status_code == 302
    bad = client.post(f"/{judged.slug}/voting/manage/top-up", data={"top": "3", "extra": "x"})
    assert bad.status_code == 302  # refused with a message, nothing stored


def test_the_routes_answer_404_when_the_plugin_is_off(
    app: Any, client: Any, judged: World, headers: dict[str, Any], db: Any, auth: Any
) -> None:
    from core.services import plugin_settings

    registry = app.extensions["gelar_plugins"]
    plugin_settings.set_plugin_enabled(db, registry, db.merge(judged.event), "voting", False)
    db.commit()
    base = f"{API}/{judged.slug}"
    assert client.get(f"{base}/judges/calibration", headers=headers["organizer"]).status_code == 404
    response = client.post(
        f"{base}/assignments/top-up", json={"top": 3, "extra": 1}, headers=headers["organizer"]
    )
    assert response.status_code == 404
    auth.login("organizer@example.id")
    assert client.get(f"/{judged.slug}/voting/manage/calibration").status_code == 404
    assert client.post(f"/{judged.slug}/voting/manage/top-up", data={"top": "3"}).status_code == 404


def test_a_stage_closed_before_the_upgrade_keeps_the_z_score_method(judged: World, db: Any) -> None:
    event = db.merge(judged.event)
    stage = current_stage(db, event)
    stages.close_stage(db, event, stage.id)
    db.delete(db.get(VotingStageResults, stage.id))  # as if closed before the migration
    db.flush()
    computed = results.stage_results(db, event, stage, method="normalized", public_weight=0)
    assert computed.method_version == results.LEGACY_VERSION
    legacy = results.zscore_scores(confidence.stage_scores(db, event, stage))
    for item in computed.items:
        assert item.normalized_score == pytest.approx(legacy[item.innovation_id])
    db.rollback()

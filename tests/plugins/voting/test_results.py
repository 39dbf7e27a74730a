"""Results: weighted judge scores, raw vs normalised, spread, flags, ranks, hybrid, API."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from plugins.voting import assignment, results
from plugins.voting.models import VotingAssignment, VotingScore
from plugins.voting.results import Sheet, compute, judge_score, spearman
from plugins.voting.rubric import CriterionSpec, default_criteria
from tests.plugins.voting.conftest import World, set_voting
from tests.plugins.voting.synthetic import average_over_seeds

API = "/api/v1/events"
TWO = [
    CriterionSpec("a", "A", "A", weight=3, min=0, max=10),
    CriterionSpec("b", "B", "B", weight=1, min=1, max=5),
]


def test_judge_score_is_weighted_on_0_to_100() -> None:
    assert judge_score(TWO, {"a": 10, "b": 5}) == 100
    assert judge_score(TWO, {"a": 0, "b": 1}) == 0
    assert judge_score(TWO, {"a": 5, "b": 1}) == pytest.approx(37.5)
    assert judge_score(TWO, {"a": 5}) is None


def test_normalisation_recovers_the_true_order_better_than_the_raw_mean() -> None:
    """Harsh, lenient, narrow and noisy judges; averaged over ten fixed seeds."""
    assert len(default_criteria()) == 6  # judges score all six CETTAR values
    raw, normalized, wins = average_over_seeds(range(10))
    assert normalized > raw + 0.05, (raw, normalized)
    assert wins >= 8
    assert normalized > 0.9


def test_spearman_matches_known_values() -> None:
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1)
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1)
    assert spearman([1, 2, 3], [1, 1, 1]) == 0
    assert spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]) == pytest.approx(0.8)  # 1 - 6*4/120
    assert spearman([1, 2, 2, 3], [1, 2, 2, 3]) == pytest.approx(1)  # ties get mean ranks


def test_a_lenient_judge_does_not_decide_the_ranking() -> None:
    """Judge 1 is lenient and alone on innovation 1; judge 2 is strict and alone on 2.

    Both judges also scored innovations 3 and 4 the same way relative to each other, so
    normalisation sees that judge 1 adds 40 points: innovation 2 is really better.
    """
    crit = [CriterionSpec("x", "X", "X", min=0, max=100)]
    sheets = [
        Sheet(1, 1, {"x": 90}),
        Sheet(1, 3, {"x": 60}),
        Sheet(1, 4, {"x": 100}),
        Sheet(2, 2, {"x": 70}),
        Sheet(2, 3, {"x": 20}),
        Sheet(2, 4, {"x": 60}),
    ]
    raw = compute(crit, sheets, method="raw")
    normalized = compute(crit, sheets, method="normalized")
    rank = {i.innovation_id: i.rank for i in raw.items}
    assert rank[1] < rank[2]
    rank = {i.innovation_id: i.rank for i in normalized.items}
    assert rank[2] < rank[1]
    leniency = normalized.judge_leniency
    assert leniency[1] > 0 > leniency[2]


def test_spread_judges_completeness_and_flags() -> None:
    crit = [CriterionSpec("x", "X", "X", min=0, max=100)]
    sheets = [
        Sheet(1, 1, {"x": 90}),
        Sheet(2, 1, {"x": 10}),
        Sheet(3, 1, {"x": 50}, submitted=False),
        Sheet(1, 2, {"x": 60}),
        Sheet(2, 2, {"x": 62}),
    ]
    computed = compute(crit, sheets, assigned={1: 3, 2: 2})
    by_id = {i.innovation_id: i for i in computed.items}
    assert by_id[1].judges == 2 and by_id[1].completeness == pytest.approx(2 / 3, abs=1e-3)
    assert by_id[1].raw_score == 50 and by_id[1].spread == 40
    assert "disagreement" in by_id[1].flags and "incomplete" in by_id[1].flags
    assert by_id[2].flags == [] and by_id[2].spread == 1


def test_outlier_judge_is_flagged() -> None:
    crit = [CriterionSpec("x", "X", "X", min=0, max=100)]
    sheets = []
    for innovation in range(1, 7):
        quality = innovation * 10
        for judge in (1, 2, 3):
            sheets.append(Sheet(judge, innovation, {"x": quality + judge}))
        sheets.append(Sheet(4, innovation, {"x": 100 - quality}))  # ranks backwards
    assert compute(crit, sheets).outlier_judges == [4]


def test_ties_share_a_rank_and_the_tie_break_is_the_other_score() -> None:
    crit = [CriterionSpec("x", "X", "X", min=0, max=100)]
    sheets = [
        Sheet(1, 1, {"x": 80}),
        Sheet(1, 2, {"x": 80}),
        Sheet(1, 3, {"x": 60}),
        Sheet(1, 4, {"x": 40}),
        Sheet(2, 4, {"x": 40}),
    ]
    titles = {1: ("Beta", None), 2: ("Alpha", None), 3: ("Gamma", None), 4: ("Delta", None)}
    computed = compute(crit, sheets, method="raw", innovations={**titles, 5: ("Zeta", None)})
    ranked = [(i.title, i.rank) for i in computed.items]
    assert ranked == [("Alpha", 1), ("Beta", 1), ("Gamma", 3), ("Delta", 4), ("Zeta", None)]
    with_votes = compute(crit, sheets, method="raw", innovations=titles, votes={1: 3})
    assert [(i.title, i.rank) for i in with_votes.items][:2] == [("Beta", 1), ("Alpha", 2)]


def test_hybrid_mixes_the_public_vote_by_weight() -> None:
    crit = [CriterionSpec("x", "X", "X", min=0, max=100)]
    sheets = [Sheet(1, 1, {"x": 80}), Sheet(1, 2, {"x": 70})]
    votes = {1: 1, 2: 10}
    plain = compute(crit, sheets, method="raw", votes=votes)
    assert plain.items[0].innovation_id == 1
    hybrid = compute(crit, sheets, method="raw", public_weight=0.5, votes=votes)
    assert hybrid.items[0].innovation_id == 2
    assert hybrid.items[0].final_score == pytest.approx(0.5 * 70 + 0.5 * 100)


@pytest.fixture
def scored(app: Any, world: World, db: Any) -> World:
    """Two judges per innovation, every sheet submitted with a known value."""
    assignment.auto_assign(db, db.merge(world.event), 2, seed=9)
    for row in db.scalars(select(VotingAssignment)):
        value = 1 + (row.innovation_id % 8) + (row.judge_id % 2)
        for key in ("cepat", "efektif", "efisien", "transparan", "tanggap", "responsif"):
            row.scores.append(VotingScore(criterion_key=key, value=min(10, value)))
        row.submitted = True
    db.commit()
    return world


def test_results_api_for_organizers_then_public_once_published(
    app: Any, client: Any, scored: World, headers: dict[str, Any], db: Any
) -> None:
    url = f"{API}/{scored.slug}/results"
    assert client.get(url).status_code == 401
    assert client.get(url, headers=headers["judge1"]).status_code == 403
    response = client.get(url, headers=headers["organizer"])
    assert response.status_code == 200
    body = response.get_json()
    assert body["method"] == "normalized" and body["total"] == 8
    first = body["items"][0]
    assert {"rank", "innovation", "raw_score", "normalized_score", "judges", "spread"} <= set(first)
    assert {"id", "title", "organization"} <= set(first["innovation"])
    assert first["rank"] == 1 and first["judges"] == 2
    assert set(first["criteria"]) == {
        "cepat",
        "efektif",
        "efisien",
        "transparan",
        "tanggap",
        "responsif",
    }
    set_voting(app, db, scored.event, results_published=True, method="raw")
    public = client.get(url)
    assert public.status_code == 200 and public.get_json()["method"] == "raw"
    assert public.get_json()["outlier_judges"] == []


def test_stage_results_service_reads_the_database(scored: World, db: Any) -> None:
    from plugins.voting.rubric import current_stage

    event = db.merge(scored.event)
    computed = results.stage_results(
        db, event, current_stage(db, event), method="raw", public_weight=0
    )
    assert len(computed.items) == 8
    assert all(i.judges == 2 and i.completeness == 1 for i in computed.items)
    scores = [i.raw_score for i in computed.items]
    assert scores == sorted(scores, reverse=True)

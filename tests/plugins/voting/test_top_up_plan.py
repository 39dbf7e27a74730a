"""The top-up plan (value of information at the cut-off) and censored scores, pure."""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pytest

from plugins.voting import judge_model
from plugins.voting.top_up_plan import (
    Uncertainty,
    expected_wrong_side,
    plan_top_up,
    sheet_gain,
    wrong_side,
)


def test_the_wrong_side_chance_and_its_expectation() -> None:
    assert wrong_side(0.0, 2.0) == pytest.approx(0.5)
    assert wrong_side(2.0, 2.0) == pytest.approx(0.1587, abs=1e-4)
    assert wrong_side(-2.0, 2.0) == wrong_side(2.0, 2.0)
    # no new sheet: the expectation is the chance itself
    assert expected_wrong_side(1.0, 2.0, 2.0) == pytest.approx(wrong_side(1.0, 2.0))
    # a sheet can only lower the expected chance
    assert expected_wrong_side(0.0, 2.0, 1.5) < 0.5


def test_a_sheet_is_worth_more_near_the_boundary_from_a_precise_judge_and_less_twice() -> None:
    near, far = Uncertainty(0.2, 2.0), Uncertainty(3.0, 2.0)
    assert sheet_gain(near, 0.2) > sheet_gain(far, 0.2) > 0
    assert sheet_gain(near, 0.5) > sheet_gain(near, 0.1)
    second = Uncertainty(0.2, 2.0, se_after=1.0 / np.sqrt(1 / 4 + 0.2))
    assert 0 < sheet_gain(second, 0.2) < sheet_gain(near, 0.2)  # diminishing returns
    assert sheet_gain(near, 0.2, share=0.0) == 0.0  # only the public vote counts


def test_the_most_precise_judge_goes_to_the_most_uncertain_close_call() -> None:
    close = [10, 11]
    assigned = {10: {1}, 11: {2}}
    load = Counter({1: 2, 2: 2, 3: 2, 4: 2})
    eligible = {10: {1, 2, 3, 4}, 11: {1, 2, 3, 4}}
    uncertainty = {10: Uncertainty(0.1, 3.0), 11: Uncertainty(2.5, 1.5)}
    precision = {1: 0.1, 2: 0.1, 3: 1.0, 4: 0.05}
    added = plan_top_up(
        close, assigned, eligible, load, 1, uncertainty=uncertainty, precision=precision
    )
    assert added == [(3, 10)]


def test_an_unsettled_close_call_can_get_a_second_judge_first() -> None:
    close = [10, 11]
    assigned: dict[int, set[int]] = {10: set(), 11: set()}
    load = Counter({j: 0 for j in range(1, 7)})
    eligible = {10: set(range(1, 7)), 11: set(range(1, 7))}
    uncertainty = {10: Uncertainty(0.0, 4.0), 11: Uncertainty(3.9, 1.0)}
    added = plan_top_up(close, assigned, eligible, load, 2, uncertainty=uncertainty, precision={})
    assert [i for _j, i in added] == [10, 10]
    assert max(load.values()) - min(load.values()) <= 1


def test_the_plan_keeps_loads_skips_flagged_conflicted_and_assigned_judges() -> None:
    rng = random.Random(3)
    close = list(range(100, 108))
    assigned = {i: set(rng.sample(range(1, 9), 3)) for i in close}
    load = Counter({j: 5 for j in range(1, 9)})
    eligible = {i: set(range(1, 9)) - {i % 8 + 1} for i in close}
    uncertainty = {i: Uncertainty(rng.uniform(-2, 2), rng.uniform(1, 3)) for i in close}
    precision = {j: rng.uniform(0.05, 0.5) for j in range(1, 9)}
    before = {i: set(judges) for i, judges in assigned.items()}
    added = plan_top_up(
        close,
        assigned,
        eligible,
        load,
        12,
        uncertainty=uncertainty,
        precision=precision,
        avoid={8},
    )
    # the flagged judge 8 takes none, so after one round of the seven others every further
    # sheet would put a load two above judge 8's: the plan stops (loads stay within one)
    assert len(added) == 7 and len(set(added)) == 7
    for judge, innovation in added:
        assert judge != 8 and judge in eligible[innovation]
        assert judge not in before[innovation]
    assert max(load.values()) - min(load.values()) <= 1


def _clipped(seed: int) -> tuple[np.ndarray, ...]:
    """Generous, wide-scale judges who hit 100 on the best innovations."""
    rng = random.Random(seed)
    quality = np.array([rng.gauss(50, 15) for _ in range(80)])
    lenient = [rng.uniform(-20, 25) for _ in range(8)]
    scale = [rng.uniform(0.5, 1.6) for _ in range(8)]
    judge, item, y = [], [], []
    for i in range(80):
        for j in rng.sample(range(8), 3):
            value = 50 + lenient[j] + scale[j] * (quality[i] - 50) + rng.gauss(0, 4)
            judge.append(j)
            item.append(i)
            y.append(min(100.0, max(0.0, value)))
    return quality, np.array(judge), np.array(item), np.array(y)


def test_scores_at_the_end_of_the_scale_count_as_censored() -> None:
    quality, judge, item, y = _clipped(5)
    assert (y >= 100).sum() >= 5
    censored = judge_model.fit(judge, item, y, 8, 80)
    # the same sheets with the clipped ones nudged off the end: taken at face value
    face = judge_model.fit(judge, item, np.minimum(y, 99.999), 8, 80)
    best = np.argsort(-quality)[:10]
    assert censored.score[best].mean() > face.score[best].mean()
    assert judge_model.rank_correlation(censored.score, quality) >= judge_model.rank_correlation(
        face.score, quality
    )
    assert np.all(censored.low <= censored.score) and np.all(censored.score <= censored.high)
    assert judge_model.MODEL_VERSION == "joint-2"

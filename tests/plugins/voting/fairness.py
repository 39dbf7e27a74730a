"""Synthetic judging for the fairness bench and its test: judges of known bias and quality.

Four situations (:data:`SITUATIONS`): strong biases, mild biases, judges specialised by
category with a few cross-links, and one judge scoring at random.  Except for the
specialised judges, innovations are assigned by the app's own automatic assignment
(:func:`plugins.voting.assignment.plan`).  Everything is seeded: the same seed gives the
same numbers.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

from plugins.voting import assignment, confidence, top_up_plan
from plugins.voting.results import compute, spearman, zscore_scores
from plugins.voting.rubric import default_criteria

SITUATIONS = ("strong", "mild", "specialised", "random_judge")
CATEGORIES = 4
CROSS_LINKS = 3  # innovations per category also judged by a judge of the next category


@dataclass
class Judge:
    """How a judge turns a true quality into a score."""

    leniency: float
    scale: float
    noise: float
    random: bool = False

    def score(self, quality: float, rng: random.Random) -> float:
        """The judge's score (0-100) of an innovation of true ``quality``."""
        if self.random:
            return rng.uniform(0, 100)
        value = 50 + self.leniency + self.scale * (quality - 50) + rng.gauss(0, self.noise)
        return min(100.0, max(0.0, value))


@dataclass
class Outcome:
    """One seed of one situation."""

    raw: float
    zscore: float
    model: float
    flagged: list[int]
    random_judge: int | None
    share_before: float
    share_after: float
    connected: bool


def _judges(situation: str, n: int, rng: random.Random) -> list[Judge]:
    if situation == "strong":
        return [Judge(rng.uniform(-25, 25), rng.uniform(0.4, 1.6), 4) for _ in range(n)]
    if situation == "specialised":
        return [Judge(rng.uniform(-15, 15), rng.uniform(0.6, 1.4), 4) for _ in range(n)]
    judges = [Judge(rng.uniform(-5, 5), rng.uniform(0.85, 1.15), 5) for _ in range(n)]
    if situation == "random_judge":
        judges[0] = Judge(0, 0, 0, random=True)
    return judges


def _specialised_pairs(n_items: int, n_judges: int, k: int) -> list[tuple[int, int]]:
    """Category c's innovations go to category c's judges; a few to the next category's."""
    per = n_judges // CATEGORIES
    pairs = []
    for i in range(n_items):
        c = i % CATEGORIES
        own = [c * per + m for m in range(per)][:k]
        if (i // CATEGORIES) < CROSS_LINKS:
            own[-1] = ((c + 1) % CATEGORIES) * per + (i // CATEGORIES) % per
        pairs += [(j, i) for j in own]
    return pairs


def simulate(
    situation: str, seed: int, *, n_items: int = 120, n_judges: int = 12, k: int = 3,
    top: int = 20, extra: int = 10,
) -> Outcome:  # fmt: skip
    """Score, rank and top up one synthetic competition; see the module doc."""
    rng = random.Random(f"{situation}-{seed}")
    quality = [rng.gauss(50, 15) for _ in range(n_items)]
    if situation == "specialised":  # categories differ in quality too
        offsets = [rng.uniform(-8, 8) for _ in range(CATEGORIES)]
        quality = [q + offsets[i % CATEGORIES] for i, q in enumerate(quality)]
    judges = _judges(situation, n_judges, rng)
    if situation == "specialised":
        pairs = _specialised_pairs(n_items, n_judges, k)
    else:
        items = list(range(n_items))
        load: Counter[int] = Counter({j: 0 for j in range(n_judges)})
        assigned: dict[int, set[int]] = {i: set() for i in items}
        eligible = {i: set(range(n_judges)) for i in items}
        order = list(items)
        rng.shuffle(order)
        new, _ = assignment.plan(
            list(range(n_judges)), order, eligible, assigned, load, k, random.Random(seed)
        )
        pairs = [(j, i) for j, i in new]
    scores = {(j, i): judges[j].score(quality[i], rng) for j, i in pairs}
    raw, zs, model, results = _rankings(scores, n_items)
    truth = quality
    calibration = confidence.calibrate(scores)
    true_top = set(sorted(range(n_items), key=lambda i: -truth[i])[:top])
    before = _share(results, true_top, top)
    close = [i.innovation_id for i in confidence.mark_close_calls(results, top)]
    assigned_now: dict[int, set[int]] = {i: set() for i in range(n_items)}
    load_now: Counter[int] = Counter({j: 0 for j in range(n_judges)})
    for j, i in scores:
        assigned_now[i].add(j)
        load_now[j] += 1
    eligible_all = {i: set(range(n_judges)) for i in close}
    added = top_up_plan.plan_top_up(
        close,
        assigned_now,
        eligible_all,
        load_now,
        extra,
        uncertainty=confidence.close_call_uncertainty(results, close),
        precision={c.judge_id: c.precision for c in calibration.judges},
        avoid={c.judge_id for c in calibration.judges if c.flagged},
    )
    for j, i in added:
        scores[(j, i)] = judges[j].score(quality[i], rng)
    *_, after_results = _rankings(scores, n_items)
    after = _share(after_results, true_top, top)
    return Outcome(
        raw=spearman(truth, raw),
        zscore=spearman(truth, zs),
        model=spearman(truth, model),
        flagged=[c.judge_id for c in calibration.judges if c.flagged],
        random_judge=0 if situation == "random_judge" else None,
        share_before=before,
        share_after=after,
        connected=calibration.connected,
    )


def _rankings(
    scores: dict[tuple[int, int], float], n_items: int
) -> tuple[list[float], list[float], list[float], object]:
    criteria = default_criteria()
    from plugins.voting.results import Sheet

    sheets = []
    for (j, i), value in scores.items():
        values = {c.key: c.min + value / 100 * (c.max - c.min) for c in criteria}
        sheets.append(Sheet(j, i, values))
    results = compute(criteria, sheets, method="normalized")
    by_id = {item.innovation_id: item for item in results.items}
    zs = zscore_scores(scores)
    raw = [by_id[i].raw_score or 0.0 for i in range(n_items)]
    model = [by_id[i].normalized_score or 0.0 for i in range(n_items)]
    return raw, [zs.get(i, 0.0) for i in range(n_items)], model, results


def _share(results: object, true_top: set[int], top: int) -> float:
    official = [i.innovation_id for i in results.items[:top]]  # type: ignore[attr-defined]
    return len(true_top & set(official)) / top

"""Synthetic judging: innovations of known quality scored by judges of known bias."""

from __future__ import annotations

import random
import statistics

from plugins.voting.results import Sheet, compute, spearman
from plugins.voting.rubric import default_criteria

# How each kind of judge turns a true quality (0-100) into the score they perceive.
BIASES = {
    "harsh": lambda q, rng: q - 30 + rng.gauss(0, 3),
    "lenient": lambda q, rng: q + 25 + rng.gauss(0, 3),
    "narrow": lambda q, rng: 50 + 0.3 * (q - 50) + rng.gauss(0, 1.5),
    "noisy": lambda q, rng: q + rng.gauss(0, 12),
    "fair": lambda q, rng: q + rng.gauss(0, 4),
}
JUDGE_KINDS = ["harsh", "lenient", "narrow", "noisy", "fair", "harsh", "lenient", "fair"]


def simulate(seed: int, innovations: int = 40, k: int = 3) -> tuple[float, float]:
    """Spearman correlation with the truth of (raw mean, normalised) rankings."""
    rng = random.Random(seed)
    criteria = default_criteria()
    quality = {i: rng.uniform(15, 85) for i in range(1, innovations + 1)}
    sheets = []
    for innovation, q in quality.items():
        for judge in rng.sample(range(len(JUDGE_KINDS)), k):
            perceived = BIASES[JUDGE_KINDS[judge]](q, rng)
            values = {}
            for c in criteria:
                share = min(1.0, max(0.0, (perceived + rng.gauss(0, 2)) / 100))
                values[c.key] = round(c.min + share * (c.max - c.min), 1)
            sheets.append(Sheet(judge + 1, innovation, values))
    results = compute(criteria, sheets, method="normalized")
    by_id = {item.innovation_id: item for item in results.items}
    truth = [quality[i] for i in sorted(quality)]
    raw = [by_id[i].raw_score for i in sorted(quality)]
    normalized = [by_id[i].normalized_score for i in sorted(quality)]
    return spearman(truth, raw), spearman(truth, normalized)  # type: ignore[arg-type]


def average_over_seeds(seeds: range) -> tuple[float, float, int]:
    """Mean raw and normalised correlations, and in how many seeds normalised won."""
    pairs = [simulate(seed) for seed in seeds]
    wins = sum(1 for raw, normalized in pairs if normalized > raw)
    return (
        statistics.fmean(raw for raw, _n in pairs),
        statistics.fmean(n for _r, n in pairs),
        wins,
    )

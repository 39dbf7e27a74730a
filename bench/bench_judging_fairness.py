"""Benchmark: fairness of the official ranking with synthetic judges of known bias.

Four situations (strong biases, mild biases, judges specialised by category with a few
cross-links, one judge scoring at random), 120 innovations, 12 judges, 3 per innovation,
assigned by the app's own automatic assignment wherever judges are not specialised
(see tests/plugins/voting/fairness.py).  For every seed it prints Spearman's correlation
with the true quality of the raw mean, of the per-judge z-scores used before the joint
model and of the joint model; the judges the calibration flags; and the share of the true
top 20 in the official top 20 before and after a top-up of 10 sheets for the close calls.
Then it times the joint model on 3,000 innovations x 5 judges against the raw mean of the
same sheets (a ratio: the machine may be noisy).

    .venv/bin/python bench/bench_judging_fairness.py [--seeds 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from plugins.voting import judge_model
from tests.plugins.voting.fairness import SITUATIONS, simulate


def fairness(seeds: int) -> None:
    """Print the per-seed and mean figures of every situation."""
    for situation in SITUATIONS:
        print(f"\n== {situation}")
        print("seed  raw    zscore model  flagged        top20 before→after  connected")
        outs = []
        for seed in range(seeds):
            o = simulate(situation, seed)
            outs.append(o)
            print(
                f"{seed:>4}  {o.raw:.3f}  {o.zscore:.3f}  {o.model:.3f}  "
                f"{o.flagged!s:<13}  {o.share_before:.2f} → {o.share_after:.2f}"
                f"         {o.connected}"
            )
        mean = {
            a: statistics.fmean(getattr(o, a) for o in outs) for a in ("raw", "zscore", "model")
        }
        worst_raw = min(o.model - o.raw for o in outs)
        worst_z = min(o.model - o.zscore for o in outs)
        before = statistics.fmean(o.share_before for o in outs)
        after = statistics.fmean(o.share_after for o in outs)
        rises = sum(o.share_after > o.share_before for o in outs)
        falls = sum(o.share_after < o.share_before for o in outs)
        print(
            f"mean  {mean['raw']:.3f}  {mean['zscore']:.3f}  {mean['model']:.3f}  "
            f"worst model-raw {worst_raw:+.3f}, model-zscore {worst_z:+.3f}; "
            f"top20 {before:.3f} → {after:.3f} (rises on {rises}, falls on {falls} seeds)"
        )


def speed(repeat: int) -> None:
    """Time the joint model on 3,000 innovations x 5 judges (15,000 sheets)."""
    rng = random.Random(7)
    n_items, n_judges, k = 3000, 60, 5
    judge, item, y = [], [], []
    lenient = [rng.uniform(-10, 10) for _ in range(n_judges)]
    for i in range(n_items):
        q = rng.gauss(50, 15)
        for j in rng.sample(range(n_judges), k):
            judge.append(j)
            item.append(i)
            y.append(min(100.0, max(0.0, q + lenient[j] + rng.gauss(0, 5))))
    ja, ia, ya = np.array(judge), np.array(item), np.array(y)
    best_model = best_raw = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        judge_model.fit(ja, ia, ya, n_judges, n_items)
        best_model = min(best_model, time.perf_counter() - start)
        start = time.perf_counter()
        sums: dict[int, list[float]] = {}
        for i, value in zip(item, y, strict=True):
            sums.setdefault(i, []).append(value)
        {i: statistics.fmean(v) for i, v in sums.items()}
        best_raw = min(best_raw, time.perf_counter() - start)
    print(
        f"\njoint model, 3,000 innovations x 5 judges (15,000 sheets): {best_model * 1000:.1f} ms"
        f" (raw mean of the same sheets in Python: {best_raw * 1000:.1f} ms,"
        f" ratio {best_model / best_raw:.1f}x)"
    )


def main() -> None:
    """Run the fairness figures and the speed figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    fairness(args.seeds)
    speed(args.repeat)


if __name__ == "__main__":
    main()

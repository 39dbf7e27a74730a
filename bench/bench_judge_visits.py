"""Benchmark: planning judges' booth visits around a symposium (field verification).

A field-verification round at national scale: the Top 45 and the Top 99 innovations, each
visited by 3 of 12 (resp. 25) judges, booths in 6 zones of a 300 x 200 m hall, a window of
one day 08:00-16:00 Asia/Jakarta (about 12 visits a judge), 20-minute visits
with a 5-minute changeover and the walk between zones.  A third of the judges speak or
moderate in a one-hour session, a fifth of the agencies present in one.  Prints, per size
and seed, visits placed / total, search nodes and time,
then the time ratio between the sizes (99 vs 45, measured in the same run).  Every visit
must be placed without breaking a rule: the script exits with status 1 otherwise.

    .venv/bin/python bench/bench_judge_visits.py [--seeds 3]

Pure Python, no database; nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from plugins.voting import visit_model as vm
from plugins.voting import visit_planner as vp

SIZES = ((45, 12), (99, 25))
JUDGES_PER_INNOVATION = 3
DAY1 = datetime(2026, 12, 10, 1, 0, tzinfo=UTC)  # 08:00 WIB


def instance(
    rng: random.Random, innovations: int, judges: int
) -> tuple[list[vm.Request], vm.Frame]:
    """Requests and a frame: one day, busy judges and presenting agencies."""
    zones = [(name, (50 + 100 * (n % 3), 50 + 100 * (n // 3))) for n, name in enumerate("ABCDEF")]
    requests: list[vm.Request] = []
    key = 0
    for booth in range(innovations):
        zone, (x, y) = zones[booth % len(zones)]
        point = (x + rng.uniform(-20, 20), y + rng.uniform(-20, 20))
        for k in range(JUDGES_PER_INNOVATION):  # balanced loads, as the assignment makes them
            judge = (JUDGES_PER_INNOVATION * booth + k) % judges
            key += 1
            requests.append(vm.Request(key, judge, booth, zone, point))
    start, end = DAY1, DAY1 + timedelta(hours=8)

    def hour() -> vm.Busy:
        begins = start + timedelta(hours=rng.randrange(0, 7))
        return vm.Busy(vm.minutes_of(begins), vm.minutes_of(begins) + 60, "Sesi")

    judge_busy = {j: [hour()] for j in rng.sample(range(judges), judges // 3)}
    booth_busy = {b: [hour()] for b in rng.sample(range(innovations), innovations // 5)}
    return requests, vm.Frame(start, end, 20, 5, judge_busy, booth_busy)


def run(size: tuple[int, int], seed: int) -> tuple[int, int, int, float, int]:
    """Placed, total, nodes, seconds and rule violations for one generated round."""
    requests, frame = instance(random.Random(seed), *size)
    began = time.perf_counter()
    result = vp.plan(requests, frame)
    seconds = time.perf_counter() - began
    placed = [
        (r, vm.minutes_of(result.placements[r.key])) for r in requests if r.key in result.placements
    ]
    broken = sum(1 for r, s in placed if vm.clashes(r, s, frame, placed))
    return len(result.placements), len(requests), result.nodes, seconds, broken


def main() -> int:
    """Run every size and seed; print the table and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    failed = False
    medians: list[float] = []
    for size in SIZES:
        times = []
        for seed in range(args.seeds):
            placed, total, nodes, seconds, broken = run(size, seed)
            times.append(seconds)
            print(
                f"innovations={size[0]:3d} judges={size[1]:2d} seed={seed} "
                f"placed={placed}/{total} nodes={nodes} broken={broken} time={seconds:.3f}s"
            )
            failed = failed or placed != total or broken
        medians.append(statistics.median(times))
    print(f"ratio {SIZES[1][0]} vs {SIZES[0][0]} innovations: {medians[1] / medians[0]:.2f}x")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

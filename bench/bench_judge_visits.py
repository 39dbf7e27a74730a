"""Benchmark: planning judges' booth visits around a symposium (field verification).

A field-verification round at national scale: the Top 45 and the Top 99 innovations, each
visited by 3 of 12 (resp. 25) judges, booths in 6 zones of a 300 x 200 m hall, a window of
one day 08:00-16:00 Asia/Jakarta (about 12 visits a judge), 20-minute visits
with a 5-minute changeover and the walk between zones.  A third of the judges speak or
moderate in a one-hour session, a fifth of the agencies present in one.  A third size has
the demo's shape: 178 innovations, 2 of 5 judges each (about 72 visits a judge), 10-minute
visits within 08:00-16:00 on each of three days (the nights closed).  Prints, per size
and seed, visits placed / total, search nodes and time,
then the time ratios between the sizes (measured in the same run).  Every visit
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

# (innovations, judges, judges per innovation, days, minutes per visit); the last is the
# demo's shape: few judges with about 72 visits each over three days of 08:00-16:00
SIZES = ((45, 12, 3, 1, 20), (99, 25, 3, 1, 20), (178, 5, 2, 3, 10))
DAY1 = datetime(2026, 12, 10, 1, 0, tzinfo=UTC)  # 08:00 WIB


def instance(
    rng: random.Random, innovations: int, judges: int, per: int, days: int, minutes: int
) -> tuple[list[vm.Request], vm.Frame]:
    """Requests and a frame: ``days`` of 08:00-16:00, busy judges and presenting agencies."""
    zones = [(name, (50 + 100 * (n % 3), 50 + 100 * (n // 3))) for n, name in enumerate("ABCDEF")]
    requests: list[vm.Request] = []
    key = 0
    for booth in range(innovations):
        zone, (x, y) = zones[booth % len(zones)]
        point = (x + rng.uniform(-20, 20), y + rng.uniform(-20, 20))
        for k in range(per):  # balanced loads, as the assignment makes them
            judge = (per * booth + k) % judges
            key += 1
            requests.append(vm.Request(key, judge, booth, zone, point))
    start, end = DAY1, DAY1 + timedelta(days=days - 1, hours=8)
    hours = [
        (vm.minutes_of(DAY1 + timedelta(days=d)), vm.minutes_of(DAY1 + timedelta(days=d, hours=8)))
        for d in range(days)
    ]

    def hour() -> vm.Busy:
        begins = start + timedelta(hours=rng.randrange(0, 7))
        return vm.Busy(vm.minutes_of(begins), vm.minutes_of(begins) + 60, "Sesi")

    judge_busy = {j: [hour()] for j in rng.sample(range(judges), max(1, judges // 3))}
    booth_busy = {b: [hour()] for b in rng.sample(range(innovations), innovations // 5)}
    frame = vm.Frame(start, end, minutes, 5, judge_busy, booth_busy)
    frame.hours = hours
    return requests, frame


def run(size: tuple[int, int, int, int, int], seed: int) -> tuple[int, int, int, float, int]:
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
                f"innovations={size[0]:3d} judges={size[1]:2d} days={size[3]} seed={seed} "
                f"placed={placed}/{total} nodes={nodes} broken={broken} time={seconds:.3f}s"
            )
            failed = failed or placed != total or broken
        medians.append(statistics.median(times))
    print(f"ratio {SIZES[1][0]} vs {SIZES[0][0]} innovations: {medians[1] / medians[0]:.2f}x")
    print(f"ratio demo shape vs {SIZES[0][0]} innovations: {medians[2] / medians[0]:.2f}x")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark: the automatic scheduler on programmes with a known complete schedule.

Programmes of 150 and 300 sessions in 12 rooms over 3 days (08:00-17:00 Asia/Jakarta,
10-minute speaker buffer), with 200 speakers of whom about half give availability windows,
are generated with a complete schedule first (``plugins.symposium.generate``); the
placements are then forgotten (5 % stay as fixed sessions) and the scheduler runs on the
rest.  Prints, per size and seed, sessions placed / total, search nodes and time; then the
time ratio between the two sizes (300 vs 150).  Every session must be placed: the script
exits with status 1 otherwise.

    .venv/bin/python bench/bench_symposium_scheduler.py [--seeds 3]

Pure Python, no database; nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from plugins.symposium.conflicts import check_placement, hard
from plugins.symposium.generate import feasible_programme
from plugins.symposium.scheduler import schedule

ROOMS, DAYS, SPEAKERS = 12, 3, 200
SIZES = (150, 300)


def run(size: int, seed: int) -> tuple[int, int, int, float, int]:
    """Placed, to place, nodes, seconds and hard conflicts for one generated programme."""
    generated = feasible_programme(
        random.Random(seed),
        sessions=size,
        rooms=ROOMS,
        days=DAYS,
        speakers=SPEAKERS,
        fixed_share=0.05,
    )
    todo = [s for s in generated.slots if s.starts_at is None]
    started = time.perf_counter()
    result = schedule(generated.slots, generated.programme, generated.room_ids)
    elapsed = time.perf_counter() - started
    final = [
        s.placed_at(*result.placements[s.session_id]) if s.session_id in result.placements else s
        for s in generated.slots
    ]
    conflicts = sum(
        len(hard(check_placement(s, final, generated.programme))) for s in final if s.starts_at
    )
    return len(result.placements), len(todo), result.nodes, elapsed, conflicts


def main() -> int:
    """Run both sizes and print the ratio; 1 when a session stayed unplaced."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    times: dict[int, list[float]] = {size: [] for size in SIZES}
    failed = False
    print(f"{ROOMS} rooms, {DAYS} days, {SPEAKERS} speakers")
    for size in SIZES:
        for seed in range(args.seeds):
            placed, total, nodes, elapsed, conflicts = run(size, seed)
            times[size].append(elapsed)
            failed |= placed != total or conflicts != 0
            print(
                f"{size:4d} sessions seed {seed}: placed {placed}/{total}  nodes {nodes:6d}  "
                f"{elapsed * 1000:8.1f} ms  hard conflicts {conflicts}"
            )
    small, large = (statistics.median(times[size]) for size in SIZES)
    print(f"median {SIZES[0]}: {small * 1000:.1f} ms, median {SIZES[1]}: {large * 1000:.1f} ms")
    print(f"time ratio {SIZES[1]}/{SIZES[0]}: {large / small:.2f}")
    if failed:
        print("FAILED: a session stayed unplaced or a hard conflict remained")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

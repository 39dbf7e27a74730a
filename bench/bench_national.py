"""Benchmark: the national scenario (issue 13) against the demo size, ratio by ratio.

Two events are seeded straight into the database (bulk SQL inserts, no HTTP): the demo size
(178 innovations, 100 booths) and the national size (3,000 innovations, 1,500 booths, 40
judges, k = 5 judges per innovation, six criteria: 15,000 submitted sheets, 90,000 scores).
Each request below is timed in-process (Flask test client, median of ``--repeat`` runs after
one warm-up, which also stores the results figures) and the ratio national / demo is
printed against its target.  The results API is also compared with one SQL aggregate over
all sheets of the national size (target 3x).

    .venv/bin/python bench/bench_national.py [--repeat 15] [--database-url URL]

Without ``--database-url`` (or ``GELAR_BENCH_DATABASE_URL``) a temporary SQLite file is used;
a PostgreSQL URL must name a scratch database: its ``public`` schema is dropped and recreated.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from servers import empty_database
from sqlalchemy import delete, insert, select, text

from core import create_app, migrate
from core.db import get_db
from core.models import Innovation, Organization, User
from core.services import events, plugin_settings
from plugins.exhibitors.models import Booth
from plugins.voting.models import VotingAssignment, VotingCriterion, VotingScore
from plugins.voting.rubric import default_criteria, ensure_stage

RUBRIC = default_criteria()
JUDGES, K = 40, 5
SIZES = {"demo": (178, 100), "national": (3000, 1500)}
ROW = 50  # booths per row on the floor grid (2 m squares, 1 m aisles)

AGGREGATE = text(
    """
    SELECT a.innovation_id, AVG(sheet.score) AS raw_score
    FROM (
        SELECT s.assignment_id,
               SUM(c.weight * (s.value - c.min_value) / (c.max_value - c.min_value))
                 / SUM(c.weight) * 100 AS score
        FROM voting_scores s
        JOIN voting_assignments a2 ON a2.id = s.assignment_id
        JOIN voting_criteria c ON c.stage_id = a2.stage_id AND c.key = s.criterion_key
        WHERE a2.stage_id = :stage
        GROUP BY s.assignment_id
    ) AS sheet
    JOIN voting_assignments a ON a.id = sheet.assignment_id
    GROUP BY a.innovation_id
    """
)

# (label, path template, target ratio national/demo)
REQUESTS = [
    ("results API (?limit=50)", "/api/v1/events/{slug}/results?limit=50", 2.0),
    ("results page", "/{slug}/voting/results", 2.0),
    ("floor plan (overview)", "/{slug}/exhibitors/floor-plan", 2.0),
    ("floor plan (one zone)", "/{slug}/exhibitors/floor-plan?zone=Hall+B", 2.0),
    ("floor plan (find agency)", "/{slug}/exhibitors/floor-plan?highlight=Dinas+0042", 2.0),
    ("floor-plan.svg", "/{slug}/exhibitors/floor-plan.svg", 2.0),
    ("floor-plan.svg (one zone)", "/{slug}/exhibitors/floor-plan.svg?zone=Hall+A", 2.0),
    ("GET booths (50)", "/api/v1/events/{slug}/booths?limit=50", 2.0),
    ("GET exhibitors (50)", "/api/v1/events/{slug}/exhibitors?limit=50", 2.0),
]


def seed(app: Any, slug: str, innovations: int, booths: int) -> int:
    """One event with both plugins, published results; returns the stage id."""
    rng = random.Random(13)
    registry = app.extensions["gelar_plugins"]
    with get_db(app).transaction() as session:
        event = events.create_event(
            session,
            slug=slug,
            name=slug,
            year=2026,
            venue="Surabaya",
            starts_on=date(2026, 12, 10),
            ends_on=date(2026, 12, 11),
            status="published",
        )
        plugin_settings.set_enabled_plugins(session, registry, event, ["exhibitors", "voting"])
        plugin_settings.update_settings(
            session, registry, event, "voting", {"results_published": True}
        )
        stage = ensure_stage(session, event)
        session.execute(delete(VotingCriterion).where(VotingCriterion.stage_id == stage.id))
        for n, spec in enumerate(RUBRIC):
            session.add(
                VotingCriterion(
                    stage_id=stage.id,
                    key=spec.key,
                    position=n,
                    label_id=spec.label_id,
                    label_en=spec.label_en,
                    weight=1 + n % 3,
                    min_value=1,
                    max_value=10,
                )
            )
        session.execute(
            insert(Organization),
            [
                {"name": f"{slug} Dinas {i:04d}", "region": f"Kab {i % 38}", "kind": "government"}
                for i in range(booths)
            ],
        )
        orgs = list(
            session.scalars(
                select(Organization.id)
                .where(Organization.name.like(f"{slug} Dinas %"))
                .order_by(Organization.id)
            )
        )
        session.execute(
            insert(User),
            [{"email": f"j{n}@{slug}.id", "name": f"Juri {n}"} for n in range(JUDGES)],
        )
        judges = list(
            session.scalars(
                select(User.id).where(User.email.like(f"%@{slug}.id")).order_by(User.id)
            )
        )
        session.execute(
            insert(Innovation),
            [
                {
                    "event_id": event.id,
                    "organization_id": orgs[i % len(orgs)],
                    "title": f"Inovasi {i:04d}",
                    "category": f"Kategori {i % 9}",
                    "cettar": ["cepat"],
                    "status": "accepted",
                }
                for i in range(innovations)
            ],
        )
        ids = list(
            session.scalars(
                select(Innovation.id).where(Innovation.event_id == event.id).order_by(Innovation.id)
            )
        )
        session.execute(
            insert(Booth),
            [
                {
                    "event_id": event.id,
                    "code": f"{chr(65 + n // 100)}{n % 100:03d}",
                    "zone": f"Hall {chr(65 + n // 100)}",
                    "x": (n % ROW) * 3,
                    "y": (n // ROW) * 3,
                    "width": 2,
                    "height": 2,
                    "organization_id": orgs[n],
                }
                for n in range(booths)
            ],
        )
        session.execute(
            insert(VotingAssignment),
            [
                {
                    "stage_id": stage.id,
                    "judge_id": judges[(i * K + j) % JUDGES],
                    "innovation_id": innovation_id,
                    "comment": "",
                    "submitted": True,
                }
                for i, innovation_id in enumerate(ids)
                for j in range(K)
            ],
        )
        sheets = list(
            session.scalars(
                select(VotingAssignment.id).where(VotingAssignment.stage_id == stage.id)
            )
        )
        session.execute(
            insert(VotingScore),
            [
                {"assignment_id": a, "criterion_key": spec.key, "value": rng.randint(1, 10)}
                for a in sheets
                for spec in RUBRIC
            ],
        )
        return stage.id


def median_ms(client: Any, paths: list[str], repeat: int) -> list[float]:
    """Median milliseconds of ``repeat`` GETs of each of ``paths`` after one warm-up each.

    The paths are timed in turn within each round (demo, national, demo, …) so that the
    load of a shared, noisy machine falls on both sizes alike.
    """
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    timings: list[list[float]] = [[] for _ in paths]
    for _ in range(repeat):
        for n, path in enumerate(paths):
            started = time.perf_counter()
            response = client.get(path)
            timings[n].append(time.perf_counter() - started)
            assert response.status_code == 200, path
    return [statistics.median(t) * 1000 for t in timings]


def after_a_write_ms(app: Any, client: Any, stage_id: int, repeat: int) -> float:
    """Median ms of the national results API right after a score write (a recomputation).

    Informational (no target): what the first reader pays once per change of the scores.
    """
    path = REQUESTS[0][1].format(slug="national")
    timings = []
    for n in range(repeat):
        with get_db(app).transaction() as session:
            score = session.scalar(
                select(VotingScore)
                .join(VotingAssignment, VotingAssignment.id == VotingScore.assignment_id)
                .where(VotingAssignment.stage_id == stage_id)
                .order_by(VotingScore.id)
                .limit(1)
            )
            score.value = 1 + n % 10
        started = time.perf_counter()
        assert client.get(path).status_code == 200
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def profile(app: Any, path: str) -> None:
    """Print where the time of one GET of ``path`` goes (``--profile``)."""
    import cProfile
    import pstats

    client = app.test_client()
    client.get(path)
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(path)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def main() -> None:
    """Seed both sizes, time every request, print the ratios against their targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--database-url", default=os.environ.get("GELAR_BENCH_DATABASE_URL"))
    parser.add_argument("--profile", help="profile one path of the national event instead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/national.sqlite3"
        empty_database(url)
        migrate.upgrade(url)
        app = create_app(
            {
                "DATABASE_URL": url,
                "SECRET_KEY": "bench-secret-key-that-is-long-enough-for-checks",
                "INSTANCE_PATH": str(Path(folder) / "instance"),
                "SERVER_NAME": "gelar.bench",
                "RATELIMIT_ENABLED": False,
            }
        )
        started = time.perf_counter()
        stages = {name: seed(app, name, *size) for name, size in SIZES.items()}
        seeded = time.perf_counter() - started
        if args.profile:
            profile(app, args.profile.format(slug="national"))
            return
        client = app.test_client()
        measured: dict[str, dict[str, float]] = {name: {} for name in SIZES}
        for label, template, _target in REQUESTS:
            paths = [template.format(slug=name) for name in SIZES]
            for name, ms in zip(SIZES, median_ms(client, paths, args.repeat), strict=True):
                measured[name][label] = ms
        recompute_ms = after_a_write_ms(app, client, stages["national"], min(args.repeat, 5))
        with get_db(app).transaction() as session:
            timings = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                session.execute(AGGREGATE, {"stage": stages["national"]}).all()
                timings.append(time.perf_counter() - t)
            aggregate_ms = statistics.median(timings) * 1000
        dialect = get_db(app).engine.dialect.name
        get_db(app).dispose()
    print(
        f"database: {dialect}; machine: {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; seeded both sizes in {seeded:.1f} s"
    )
    print(f"{'request':28} {'demo ms':>9} {'national ms':>12} {'ratio':>7} {'target':>7}")
    failed = 0
    for label, _template, target in REQUESTS:
        small, large = measured["demo"][label], measured["national"][label]
        ratio = large / small
        ok = ratio <= target
        failed += not ok
        print(
            f"{label:28} {small:9.1f} {large:12.1f} {ratio:7.2f} {target:6.1f}x "
            f"{'ok' if ok else 'OVER'}"
        )
    api = measured["national"][REQUESTS[0][0]]
    ratio = api / aggregate_ms
    failed += ratio > 3
    print(
        f"{'results API / SQL aggregate':28} {aggregate_ms:9.1f} {api:12.1f} {ratio:7.2f} "
        f"{3.0:6.1f}x {'ok' if ratio <= 3 else 'OVER'}"
    )
    print(
        f"{'results API after a write':28} {'':9} {recompute_ms:12.1f}   (recomputed and stored "
        "once per change of the scores; informational)"
    )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

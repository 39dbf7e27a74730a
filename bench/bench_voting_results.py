"""Benchmark: results at national scale vs one SQL aggregate over the same scores.

3,000 innovations x 5 judges x the 6 CETTAR criteria (90,000 scores) are written to a fresh
database; then the full results computation (weighted judge scores, raw mean, per-judge
z-score normalisation, spread, completeness, flags, ranks) is timed against a single
``GROUP BY`` query computing only the weighted raw mean.  Prints both times and the ratio.

    .venv/bin/python bench/bench_voting_results.py [--database-url URL] [--repeat 3]

Without ``--database-url`` a temporary SQLite file is used; a PostgreSQL URL must name a
scratch database: its ``public`` schema is dropped and recreated.  Nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, text

from core import migrate
from core.db import Database
from core.models import Event, Innovation, Organization, User
from plugins.voting import results
from plugins.voting.models import (
    VotingAssignment,
    VotingCriterion,
    VotingScore,
    VotingStage,
)
from plugins.voting.rubric import default_criteria

RUBRIC = default_criteria()  # the CETTAR values: cepat, efektif, efisien, ...
INNOVATIONS, JUDGES, CRITERIA = 3000, 5, len(RUBRIC)

AGGREGATE = text(
    """
    SELECT a.innovation_id,
           AVG(sheet.score) AS raw_score
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


def empty_database(url: str) -> None:
    """Empty a PostgreSQL scratch database (drop and recreate ``public``); SQLite is new."""
    if url.startswith("sqlite"):
        return
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def seed(database: Database) -> tuple[int, int]:
    """Write the event, rubric, judges, innovations, assignments and scores; (event, stage)."""
    rng = random.Random(2019)
    with database.transaction() as session:
        event = Event(
            slug="bench-national",
            name="Bench",
            year=2026,
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 1, 2),
        )
        session.add(event)
        session.flush()
        stage = VotingStage(event_id=event.id, name="Desk", position=1)
        session.add(stage)
        session.flush()
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
        organization = Organization(name="Bench agency", region="Jawa Timur")
        session.add(organization)
        judges = [User(email=f"j{n}@bench.id", name=f"Judge {n}") for n in range(JUDGES)]
        session.add_all(judges)
        session.flush()
        session.execute(
            insert(Innovation),
            [
                {
                    "event_id": event.id,
                    "organization_id": organization.id,
                    "title": f"Innovation {n:04d}",
                    "status": "accepted",
                    "cettar": [],
                }
                for n in range(INNOVATIONS)
            ],
        )
        innovation_ids = [
            row[0]
            for row in session.execute(
                text("SELECT id FROM innovations WHERE event_id = :e ORDER BY id"), {"e": event.id}
            )
        ]
        session.execute(
            insert(VotingAssignment),
            [
                {
                    "stage_id": stage.id,
                    "judge_id": judge.id,
                    "innovation_id": innovation_id,
                    "comment": "",
                    "submitted": True,
                }
                for innovation_id in innovation_ids
                for judge in judges
            ],
        )
        assignment_ids = [
            row[0]
            for row in session.execute(
                text("SELECT id FROM voting_assignments WHERE stage_id = :s"), {"s": stage.id}
            )
        ]
        session.execute(
            insert(VotingScore),
            [
                {
                    "assignment_id": assignment_id,
                    "criterion_key": spec.key,
                    "value": rng.randint(1, 10),
                }
                for assignment_id in assignment_ids
                for spec in RUBRIC
            ],
        )
        return event.id, stage.id


def best_of(repeat: int, work: object) -> float:
    """The fastest of ``repeat`` runs of ``work()`` in seconds."""
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()  # type: ignore[operator]
        timings.append(time.perf_counter() - started)
    return min(timings)


def main() -> None:
    """Seed, time both computations, print the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
        empty_database(url)
        migrate.upgrade(url)
        database = Database(url)
        event_id, stage_id = seed(database)
        session = database.new_session(write=False)
        event = session.get(Event, event_id)
        stage = session.get(VotingStage, stage_id)
        holder: dict[str, object] = {}

        def full() -> None:
            holder["full"] = results.stage_results(
                session, event, stage, method="normalized", public_weight=0.0
            )

        def aggregate() -> None:
            holder["sql"] = session.execute(AGGREGATE, {"stage": stage_id}).all()

        full_time = best_of(args.repeat, full)
        sql_time = best_of(args.repeat, aggregate)
        computed = holder["full"]
        rows = holder["sql"]
        assert len(computed.items) == INNOVATIONS and len(rows) == INNOVATIONS  # type: ignore[attr-defined]
        by_id = {i.innovation_id: i.raw_score for i in computed.items}  # type: ignore[attr-defined]
        worst = max(abs(by_id[innovation_id] - raw) for innovation_id, raw in rows)
        print(f"database: {database.engine.dialect.name}")
        print(f"scores: {INNOVATIONS * JUDGES * CRITERIA} ({INNOVATIONS} x {JUDGES} x {CRITERIA})")
        print(f"full results (normalised, flags, ranks): {full_time * 1000:.1f} ms")
        print(f"single SQL aggregate (raw mean only):    {sql_time * 1000:.1f} ms")
        print(f"ratio full / SQL: {full_time / sql_time:.2f}")
        print(f"raw means agree to within {worst:.2e}")
        session.close()
        database.dispose()


if __name__ == "__main__":
    main()

"""Benchmark: people's-choice vote latency while 2,000-pass batches are written, vs. without.

Issue 18: on SQLite one write lock serialises every writer, so a long write (a batch of
passes) makes each vote wait for it.  One gunicorn server (``--workers``) on one database;
the same number of votes is sent from client threads in alternating rounds, once on a
quiet server (the baseline) and once while a background client keeps issuing 2,000-pass
batches through ``POST /api/v1/events/{event}/passes`` back to back.  The script prints
p50/p99 vote latency of both, the p99 ratio (loaded / quiet), how long a 2,000-pass
request takes, and checks that every vote and every pass acknowledged was stored.

    .venv/bin/python bench/bench_pass_batch_vote_latency.py [--votes 1200] [--threads 8]
        [--workers 4] [--rounds 4] [--database-url URL]

Without ``--database-url`` a temporary SQLite file is used; a PostgreSQL URL must name a
scratch database: its ``public`` schema is dropped and recreated.  Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from servers import count, empty_database, free_port, start_gunicorn  # noqa: E402

SLUG = "bench-batch"
ORGANIZER = "panitia@bench.gelar.id"
BATCH = 2000


def prepare(url: str, votes: int) -> tuple[list[int], list[str], str]:
    """Migrate; an event with an open vote, innovations, passes and an organizer's token."""
    from core import migrate
    from core.db import Database
    from core.models import Event, EventPlugin, Innovation, Organization
    from core.services import accounts, passes, roles

    empty_database(url)
    migrate.upgrade(url)
    database = Database(url)
    with database.transaction() as session:
        event = Event(
            slug=SLUG,
            name="Bench batch",
            year=2026,
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 1, 2),
            status="published",
        )
        event.plugins.append(
            EventPlugin(
                name="voting",
                enabled=True,
                settings={"public_voting_opens_at": "2001-01-01T00:00:00+00:00"},
            )
        )
        organization = Organization(name="Bench agency", region="Jawa Timur")
        session.add_all([event, organization])
        session.flush()
        innovations = [
            Innovation(
                event_id=event.id,
                organization_id=organization.id,
                title=f"Innovation {n}",
                category="public",
                status="accepted",
            )
            for n in range(20)
        ]
        session.add_all(innovations)
        session.flush()
        codes: list[str] = []
        while len(codes) < votes:
            codes += [p.code for p in passes.issue_passes(session, event, BATCH)]
        user = accounts.create_user(
            session,
            email=ORGANIZER,
            name="Panitia",
            password="bench-password-0123456789",
            verified=True,
        )
        roles.appoint(session, event, email=user.email, role="organizer")
        token, _expires = accounts.issue_api_token(session, user, 24)
        ids = [i.id for i in innovations]
    database.dispose()
    return ids, codes[:votes], token


def post(port: int, path: str, body: dict[str, Any], token: str | None = None) -> int:
    """POST JSON, return the status."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("POST", path, body=json.dumps(body), headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status


def vote_round(port: int, votes: list[tuple[str, str]], threads: int) -> dict[str, Any]:
    """Send the votes from ``threads`` threads; latencies and statuses."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def worker(chunk: list[tuple[str, str]]) -> None:
        for path, code in chunk:
            started = time.perf_counter()
            status = post(port, path, {"pass": code})
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1

    pool = [threading.Thread(target=worker, args=(votes[n::threads],)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return {"latencies": latencies, "statuses": statuses}


class BatchWriter:
    """Issues 2,000-pass batches back to back until stopped; times each request."""

    def __init__(self, port: int, token: str) -> None:
        self.port, self.token = port, token
        self.durations: list[float] = []
        self.statuses: dict[int, int] = {}
        self.passes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run)

    def _run(self) -> None:
        while not self._stop.is_set():
            started = time.perf_counter()
            status = post(self.port, f"/api/v1/events/{SLUG}/passes", {"count": BATCH}, self.token)
            self.durations.append(time.perf_counter() - started)
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status == 201:
                self.passes += BATCH

    def __enter__(self) -> BatchWriter:
        self._thread.start()
        time.sleep(0.2)  # the first batch is under way before the votes start
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def percentiles(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """p50/p99/max in milliseconds and summed statuses."""
    latencies = sorted(value for one in rounds for value in one["latencies"])
    statuses: dict[int, int] = {}
    for one in rounds:
        for status, number in one["statuses"].items():
            statuses[status] = statuses.get(status, 0) + number
    return {
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "max": latencies[-1] * 1000,
        "statuses": statuses,
    }


def main() -> None:
    """Alternate quiet and loaded rounds on one server and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=1200)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    warmup = 100
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
        innovation_ids, codes, token = prepare(url, args.votes + warmup)
        passes_before = count(url, "SELECT COUNT(*) FROM visitor_passes")
        env = {
            **os.environ,
            "GELAR_DATABASE_URL": url,
            "GELAR_INSTANCE_PATH": str(Path(folder) / "instance"),
            "GELAR_SECRET_KEY": "bench-secret-key-that-is-long-enough-0123456789",
        }
        votes = [
            (f"/api/v1/events/{SLUG}/innovations/{innovation_ids[n % 20]}/votes", code)
            for n, code in enumerate(codes)
        ]
        port = free_port()
        process = start_gunicorn("core:create_app()", port, args.workers, env)
        quiet: list[dict[str, Any]] = []
        loaded: list[dict[str, Any]] = []
        writers: list[BatchWriter] = []
        try:
            vote_round(port, votes[:warmup], args.threads)  # untimed: workers warm
            timed = votes[warmup:]
            for number in range(args.rounds * 2):
                chunk = timed[number :: args.rounds * 2]
                if (number % 2 == 0) == (number // 2 % 2 == 0):
                    quiet.append(vote_round(port, chunk, args.threads))
                else:
                    with BatchWriter(port, token) as writer:
                        loaded.append(vote_round(port, chunk, args.threads))
                    writers.append(writer)
        finally:
            process.terminate()
            process.wait(timeout=30)
        stored_votes = count(url, "SELECT COUNT(*) FROM voting_votes")
        stored_passes = count(url, "SELECT COUNT(*) FROM visitor_passes") - passes_before
    without, during = percentiles(quiet), percentiles(loaded)
    durations = sorted(d for w in writers for d in w.durations)
    batch_statuses: dict[int, int] = {}
    for writer in writers:
        for status, number in writer.statuses.items():
            batch_statuses[status] = batch_statuses.get(status, 0) + number
    acked_passes = sum(w.passes for w in writers)
    print(
        f"database: {url.split(':', 1)[0]}, gunicorn workers: {args.workers}, client threads: "
        f"{args.threads}, votes: {args.votes} in {args.rounds} quiet + {args.rounds} loaded "
        "alternating rounds"
    )
    for name, result in (("votes, quiet", without), ("votes, 2000-pass batches", during)):
        print(
            f"{name:26s} p50 {result['p50']:7.1f} ms  p99 {result['p99']:7.1f} ms  "
            f"max {result['max']:7.1f} ms  statuses {result['statuses']}"
        )
    print(
        f"2000-pass requests: {len(durations)}, median {statistics.median(durations) * 1000:.0f} "
        f"ms, max {durations[-1] * 1000:.0f} ms, statuses {batch_statuses}"
    )
    print(f"ratio p99 loaded / quiet: {during['p99'] / without['p99']:.2f}")
    print(
        f"final count: {stored_votes} votes stored (expected {args.votes + warmup}), "
        f"{stored_passes} passes stored (acknowledged {acked_passes})"
    )


if __name__ == "__main__":
    main()

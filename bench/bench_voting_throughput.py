"""Benchmark: the real people's-choice vote endpoint vs a bare one-INSERT Flask route.

Both apps run under gunicorn with the same settings (workers, loopback address, database
and its connection settings).  A bounded number of votes, each with its own visitor pass,
is sent from client threads to both servers in alternating rounds (so a noisy machine's
drift falls on both alike); the script prints votes/s of both servers, the ratio overall
and per round (target >= 0.7), p50/p99 latency and the exact number of rows each stored.

    .venv/bin/python bench/bench_voting_throughput.py [--votes 2000] [--threads 16]
        [--workers 4] [--rounds 6] [--warmup 400] [--database-url URL]

Each server first answers ``--warmup`` real requests untimed (statements compiled and
prepared, caches filled in every worker).

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

from servers import count, empty_database, free_port, start_gunicorn, warm_up  # noqa: E402

SLUG = "bench-vote"
BARE_TABLE = "bench_bare_votes"


def bare_app() -> Any:
    """A Flask app with one route doing one INSERT on the same database settings."""
    from flask import Flask, jsonify, request
    from sqlalchemy import text

    from core.db import make_engine

    engine = make_engine(os.environ["GELAR_DATABASE_URL"])
    app = Flask("bare")

    @app.post("/bare/<int:innovation_id>")
    def vote(innovation_id: int) -> Any:
        code = (request.get_json(silent=True) or {}).get("pass", "")
        with engine.begin() as connection:
            connection.execute(
                text(f"INSERT INTO {BARE_TABLE} (innovation_id, code) VALUES (:i, :c)"),
                {"i": innovation_id, "c": code},
            )
        return jsonify({"ok": True}), 201

    @app.get("/health")
    def health() -> Any:
        return {"status": "ok"}

    return app


def prepare(url: str, votes: int) -> tuple[list[int], list[str]]:
    """Migrate, create the event with an open vote, innovations and passes; the bare table."""
    from sqlalchemy import text

    from core import migrate
    from core.db import Database
    from core.models import Event, EventPlugin, Innovation, Organization
    from core.services import passes

    empty_database(url)
    migrate.upgrade(url)
    database = Database(url)
    with database.transaction() as session:
        event = Event(
            slug=SLUG,
            name="Bench vote",
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
        codes = [p.code for p in passes.issue_passes(session, event, min(votes, 2000))]
        while len(codes) < votes:
            codes += [p.code for p in passes.issue_passes(session, event, 2000)]
        identity = "AUTOINCREMENT" if url.startswith("sqlite") else "GENERATED ALWAYS AS IDENTITY"
        session.execute(
            text(
                f"CREATE TABLE {BARE_TABLE} (id INTEGER PRIMARY KEY {identity}, "
                "innovation_id INTEGER NOT NULL, code VARCHAR(32) NOT NULL)"
            )
        )
        ids = [i.id for i in innovations]
    database.dispose()
    return ids, codes[:votes]


def send(port: int, requests: list[tuple[str, dict[str, str]]], threads: int) -> dict[str, Any]:
    """POST every (path, body) from ``threads`` threads; statuses, latencies and wall time."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    chunks = [requests[n::threads] for n in range(threads)]

    def worker(chunk: list[tuple[str, dict[str, str]]]) -> None:
        for path, body in chunk:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            started = time.perf_counter()
            connection.request(
                "POST", path, body=json.dumps(body), headers={"Content-Type": "application/json"}
            )
            status = connection.getresponse().status
            elapsed = time.perf_counter() - started
            connection.close()
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(chunk,)) for chunk in chunks]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return {"wall": time.perf_counter() - started, "latencies": latencies, "statuses": statuses}


def rate(one_round: dict[str, Any]) -> float:
    """Requests per second of one round."""
    return len(one_round["latencies"]) / one_round["wall"]


def summarize(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """Rate over all rounds, latency percentiles and summed statuses."""
    latencies = sorted(value for one in rounds for value in one["latencies"])
    statuses: dict[int, int] = {}
    for one in rounds:
        for status, number in one["statuses"].items():
            statuses[status] = statuses.get(status, 0) + number
    return {
        "rate": len(latencies) / sum(one["wall"] for one in rounds),
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "statuses": statuses,
    }


def main() -> None:
    """Run both servers one after the other and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--warmup", type=int, default=400)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
        innovation_ids, codes = prepare(url, args.votes + args.warmup)
        env = {
            **os.environ,
            "GELAR_DATABASE_URL": url,
            "GELAR_INSTANCE_PATH": str(Path(folder) / "instance"),
            "GELAR_SECRET_KEY": "bench-secret-key-that-is-long-enough-0123456789",
        }
        votes = [
            (f"/api/v1/events/{SLUG}/innovations/{innovation_ids[n % 20]}/votes", {"pass": code})
            for n, code in enumerate(codes)
        ]
        bare = [(f"/bare/{innovation_ids[n % 20]}", {"pass": code}) for n, code in enumerate(codes)]
        servers = {
            "gelar vote endpoint": ("core:create_app()", votes),
            "bare one-INSERT route": ("bench_voting_throughput:bare_app()", bare),
        }
        ports = {name: free_port() for name in servers}
        processes = [
            start_gunicorn(target, ports[name], args.workers, env)
            for name, (target, _requests) in servers.items()
        ]
        rounds: dict[str, list[dict[str, Any]]] = {name: [] for name in servers}
        try:
            for name in servers:
                warm_up(ports[name], args.workers)
                # Untimed real requests first: every worker compiles and prepares its
                # statements and fills its caches before the rounds are timed.
                send(ports[name], servers[name][1][: args.warmup], args.threads)
            # Alternate the two servers in rounds (order flipped each round), so drift in
            # a noisy machine's speed falls on both alike.
            for number in range(args.rounds):
                order = list(servers) if number % 2 == 0 else list(reversed(servers))
                for name in order:
                    chunk = servers[name][1][args.warmup + number :: args.rounds]
                    rounds[name].append(send(ports[name], chunk, args.threads))
        finally:
            for process in processes:
                process.terminate()
                process.wait(timeout=30)
        measured = {name: summarize(results) for name, results in rounds.items()}
        per_round = [
            rate(gelar) / rate(plain)
            for gelar, plain in zip(
                rounds["gelar vote endpoint"], rounds["bare one-INSERT route"], strict=True
            )
        ]
        stored_votes = count(url, "SELECT COUNT(*) FROM voting_votes")
        stored_bare = count(url, f"SELECT COUNT(*) FROM {BARE_TABLE}")
    print(
        f"database: {url.split(':', 1)[0]}, gunicorn workers: {args.workers}, "
        f"client threads: {args.threads}, requests: {args.votes} per server in {args.rounds} "
        "alternating rounds"
    )
    for name, result in measured.items():
        print(
            f"{name:24s} {result['rate']:8.1f} req/s  p50 {result['p50']:6.1f} ms  "
            f"p99 {result['p99']:6.1f} ms  statuses {result['statuses']}"
        )
    ratio = measured["gelar vote endpoint"]["rate"] / measured["bare one-INSERT route"]["rate"]
    print(
        f"ratio gelar / bare: {ratio:.2f} (target >= 0.7); per round: "
        + ", ".join(f"{value:.2f}" for value in per_round)
        + f" (median {statistics.median(per_round):.2f})"
    )
    print(
        f"final count: {stored_votes} votes stored (expected {args.votes + args.warmup}: "
        f"{args.warmup} warm-up + {args.votes} timed), {stored_bare} bare rows"
    )


if __name__ == "__main__":
    main()

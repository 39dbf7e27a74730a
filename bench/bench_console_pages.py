"""Benchmark: every console page of the demo, timed as a ratio of ``/health`` in the same run.

The demo (``gelar demo``: 89 agencies, 178 innovations, the symposium, judging and votes) is
seeded into a fresh database; the organizer signs in and every GET route of the console
(``/<event>/manage/...`` and each plugin's ``.../manage/...`` page without other URL
parameters) is requested ``--repeat`` times through the WSGI test client (server time, no
network, no browser).  Prints the median milliseconds per page and its ratio to the
``/health`` baseline measured in the same run, and flags pages over ``--budget`` ms.

    .venv/bin/python bench/bench_console_pages.py [--database-url URL] [--repeat 5]

Without ``--database-url`` a temporary SQLite file is used; a PostgreSQL URL must name a
scratch database: its ``public`` schema is dropped and recreated.  Nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text

from core import create_app, migrate
from core.db import get_db
from core.services.demo import DEMO_ORGANIZER, DEMO_SLUG, seed_demo


def build(url: str, workdir: Path) -> Any:
    """A migrated app on ``url`` holding the demo."""
    if url.startswith("postgresql"):
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
    migrate.upgrade(url)
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench-secret-key-that-is-long-enough-for-checks",
            "INSTANCE_PATH": str(workdir / "instance"),
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": False,
            "MAIL_SERVER": None,
        }
    )
    with get_db(app).transaction() as session:
        seed_demo(session, app.extensions["gelar_plugins"])
    return app


def console_paths(app: Any) -> list[str]:
    """Every GET console route of the demo event that needs no other URL parameter."""
    found = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or "/manage" not in rule.rule:
            continue
        if set(rule.arguments) != {"event"} or not rule.rule.startswith("/<event>/"):
            continue
        found.append(rule.rule.replace("<event>", DEMO_SLUG))
    return sorted(set(found))


def timed(client: Any, path: str, repeat: int) -> tuple[int, float]:
    """The status of ``path`` and its median time in milliseconds over ``repeat`` requests."""
    client.get(path)  # warm caches and templates once
    times = []
    status = 0
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        status = response.status_code
    return status, statistics.median(times)


def main() -> None:
    """Seed, sign in as the organizer, time every console page against ``/health``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--budget", type=float, default=300.0, help="milliseconds per page")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
        started = time.perf_counter()
        app = build(url, workdir)
        print(f"demo seeded in {time.perf_counter() - started:.1f} s ({url.split(':')[0]})")
        client = app.test_client()
        response = client.post(
            "/auth/login", data={"email": DEMO_ORGANIZER[0], "password": DEMO_ORGANIZER[2]}
        )
        assert response.status_code == 302, "organizer sign-in failed"
        _status, baseline = timed(client, "/health", args.repeat)
        print(f"{'page':<52} {'status':>6} {'ms':>8} {'x /health':>10}")
        print(f"{'/health (baseline)':<52} {200:>6} {baseline:>8.1f} {1.0:>10.1f}")
        over = []
        for path in console_paths(app):
            status, ms = timed(client, path, args.repeat)
            flag = " OVER" if ms > args.budget else ""
            print(f"{path:<52} {status:>6} {ms:>8.1f} {ms / baseline:>10.1f}{flag}")
            if ms > args.budget:
                over.append(path)
        print(f"{len(over)} page(s) over {args.budget:.0f} ms" + (f": {over}" if over else ""))
        get_db(app).dispose()


if __name__ == "__main__":
    main()

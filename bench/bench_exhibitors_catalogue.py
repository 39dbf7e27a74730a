"""Benchmark: the innovation catalogue page at 178 and at 3,000 innovations.

Builds a throwaway SQLite database (or the one in ``GELAR_BENCH_DATABASE_URL``, which is
emptied), fills one event with N accepted innovations, warms the search entries, then
renders ``/<event>/exhibitors/`` several times (plain, searched, filtered) and prints the
median time, the SQL statement count, and the ratio between the two sizes.

Run: ``.venv/bin/python bench/bench_exhibitors_catalogue.py [--repeat 15]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event as sa_event
from sqlalchemy import insert

from core import create_app, migrate
from core.db import get_db
from core.models import Innovation, Organization
from core.services import events, plugin_settings

SIZES = (178, 3000)
PATHS = ("/", "/?q=pelayanan+cepat", "/?q=samsat&category=Kategori+5", "/?page=5")
CATEGORIES = 9


def build(size: int, workdir: Path) -> Any:
    """An app whose event ``bench`` holds ``size`` accepted innovations."""
    url = f"sqlite:///{workdir / f'bench-{size}.sqlite3'}"
    migrate.upgrade(url)
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench-secret-key-that-is-long-enough-for-checks",
            "INSTANCE_PATH": str(workdir / f"instance-{size}"),
            "SERVER_NAME": "gelar.bench",
            "RATELIMIT_ENABLED": False,
        }
    )
    with get_db(app).transaction() as session:
        target = events.create_event(
            session,
            slug="bench",
            name="Bench",
            year=2026,
            venue="Surabaya",
            starts_on=date(2026, 12, 10),
            ends_on=date(2026, 12, 11),
            status="published",
        )
        plugin_settings.set_enabled_plugins(
            session, app.extensions["gelar_plugins"], target, ["exhibitors"]
        )
        agencies = max(size // 2, 1)
        session.execute(
            insert(Organization),
            [
                {
                    "name": f"Dinas Pelayanan {i}",
                    "region": f"Kabupaten {i % 38}",
                    "kind": "government",
                }
                for i in range(agencies)
            ],
        )
        ids = [o.id for o in session.query(Organization).order_by(Organization.id)]
        session.execute(
            insert(Innovation),
            [
                {
                    "event_id": target.id,
                    "organization_id": ids[i % agencies],
                    "title": f"{'Samsat' if i % 50 == 0 else 'Inovasi'} Pelayanan Cepat {i}",
                    "summary": "Layanan publik yang lebih cepat, efektif dan transparan. " * 3,
                    "category": f"Kategori {i % CATEGORIES}",
                    "cettar": ["cepat", "efektif"],
                    "status": "accepted",
                }
                for i in range(size)
            ],
        )
    return app


def measure(app: Any, repeat: int) -> tuple[float, dict[str, int]]:
    """Median seconds over all paths and the statements each path runs."""
    client = app.test_client()
    statements: list[str] = []
    engine = get_db(app).engine

    def record(*args: Any) -> None:
        statements.append(args[2])

    client.get("/bench/exhibitors/")  # builds the search entries
    timings: list[float] = []
    counts: dict[str, int] = {}
    sa_event.listen(engine, "before_cursor_execute", record)
    try:
        for path in PATHS:
            for _ in range(repeat):
                statements.clear()
                started = time.perf_counter()
                response = client.get(f"/bench/exhibitors{path}")
                timings.append(time.perf_counter() - started)
                assert response.status_code == 200, path
                counts[path] = len(statements)
    finally:
        sa_event.remove(engine, "before_cursor_execute", record)
    return statistics.median(timings), counts


def main() -> None:
    """Run both sizes and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    results: dict[int, tuple[float, dict[str, int]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in SIZES:
            app = build(size, Path(tmp))
            results[size] = measure(app, args.repeat)
            get_db(app).dispose()
    for size, (median, counts) in results.items():
        listed = ", ".join(f"{path} {n}" for path, n in counts.items())
        print(f"{size:>5} innovations: median {median * 1000:7.1f} ms; SQL statements: {listed}")
    small, large = results[SIZES[0]][0], results[SIZES[1]][0]
    print(
        f"time ratio {SIZES[1]}/{SIZES[0]}: {large / small:.2f} "
        f"(data grew {SIZES[1] / SIZES[0]:.1f}x); "
        f"statement counts equal: {results[SIZES[0]][1] == results[SIZES[1]][1]}"
    )


if __name__ == "__main__":
    main()

"""Benchmark: every public programme URL vs a static file of the same size (issue 22).

For 150 and 300 sessions (12 rooms, 3 days, one published version) one gunicorn (sync
workers) serves Gelar and, on an extra route of the same app, static files written to the
size of each answer on the wire.  Per URL, client threads alternate one request of the
URL and one of its static twin (``Accept-Encoding: gzip``), so a noisy machine's load
falls on both alike; the script prints requests/s of both and their ratio (target
>= 0.5), the SQL statements of one warm request (counted in-process on the same database),
the bytes raw and compressed, and the time from a new version's commit until the server
answers with it.

    .venv/bin/python bench/bench_symposium_programme.py [--sizes 150 300] [--seconds 2]
        [--rounds 3] [--threads 6] [--workers 2] [--port 5180] [--database-url URL]
        [--redis-url URL]

Without ``--database-url`` a temporary SQLite file is used; a PostgreSQL URL must name a
scratch database: its ``public`` schema is dropped and recreated.  Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from servers import empty_database  # noqa: E402

SLUG = "bench-sym"
DAYS = (date(2027, 5, 4), date(2027, 5, 5), date(2027, 5, 6))
ROOMS = 12
SECRET = "bench-secret-key-that-is-long-enough-0123456789"


def wsgi_app() -> Any:
    """Gelar plus ``/bench-static/<name>``: files of ``GELAR_BENCH_STATIC`` (the baseline)."""
    from flask import send_from_directory

    from core.app import create_app

    app = create_app()
    folder = os.environ["GELAR_BENCH_STATIC"]

    def static_twin(name: str) -> Any:
        return send_from_directory(folder, name, max_age=0)

    app.add_url_rule("/bench-static/<name>", "bench_static", static_twin)
    return app


def prepare(url: str, sessions: int) -> dict[str, Any]:
    """Migrate; an event with 12 rooms, 4 tracks, ``sessions`` placed talks; publish v1."""
    from zoneinfo import ZoneInfo

    from core import migrate
    from core.db import Database
    from core.models import Event, EventPlugin
    from plugins.symposium.models import Room, Session, SessionSpeaker, Speaker, Track
    from plugins.symposium.versions import publish

    empty_database(url)
    migrate.upgrade(url)
    database = Database(url)
    zone = ZoneInfo("Asia/Jakarta")
    with database.transaction() as db:
        event = Event(
            slug=SLUG,
            name="Simposium Inovasi",
            year=2027,
            starts_on=DAYS[0],
            ends_on=DAYS[-1],
            status="published",
            venue="Taman Blambangan",
        )
        event.plugins.append(EventPlugin(name="symposium", enabled=True, settings={}))
        db.add(event)
        db.flush()
        rooms = [Room(event_id=event.id, name=f"Ruang {n + 1}", capacity=100) for n in range(ROOMS)]
        tracks = [
            Track(event_id=event.id, name=name, color=color)
            for name, color in (
                ("Digital", "#1f6feb"),
                ("Kesehatan", "#2da44e"),
                ("Pendidikan", "#bf8700"),
                ("Tata kelola", "#cf222e"),
            )
        ]
        db.add_all([*rooms, *tracks])
        db.flush()
        speakers = [
            Speaker(
                event_id=event.id,
                name=f"Pembicara {n + 1}",
                email=f"speaker{n}@example.id",
                affiliation="Pemerintah Kabupaten Banyuwangi",
                bio="Memimpin inovasi layanan publik di daerahnya.",
            )
            for n in range(sessions // 2 + 1)
        ]
        db.add_all(speakers)
        db.flush()
        first_id = None
        for n in range(sessions):
            day, room, slot = n % 3, (n // 3) % ROOMS, n // (3 * ROOMS)
            start = datetime.combine(DAYS[day], datetime.min.time(), zone) + timedelta(
                hours=8 + slot
            )
            item = Session(
                event_id=event.id,
                title=f"Inovasi pelayanan publik nomor {n + 1}: dari desa ke kota",
                kind="talk",
                abstract="Bagaimana sebuah daerah mempercepat layanan dengan data. " * 3,
                duration_minutes=50,
                room_id=rooms[room].id,
                track_id=tracks[n % 4].id,
                starts_at=start.astimezone(UTC),
            )
            db.add(item)
            db.flush()
            first_id = first_id or item.id
            db.add(SessionSpeaker(session_id=item.id, speaker_id=speakers[n // 2].id))
        db.flush()
        publish(db, event, comment="bench v1")
        info = {
            "event_id": event.id,
            "room": rooms[0].id,
            "session": first_id,
            "speaker": speakers[0].id,
        }
    database.dispose()
    return info


def start_gunicorn(port: int, workers: int, env: dict[str, str]) -> Any:
    """Start gunicorn on 127.0.0.1 and wait until it answers."""
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--pythonpath",
            f"{ROOT},{ROOT / 'bench'}",
            "--log-level",
            "warning",
            "bench_symposium_programme:wsgi_app()",
        ],
        env=env,
    )
    for _ in range(400):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.05)
    process.terminate()
    raise RuntimeError("gunicorn did not start")


def fetch(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """One GET; the status and the body as sent."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


def paired_rates(
    port: int, path: str, twin: str, seconds: float, threads: int
) -> tuple[float, float]:
    """Requests/s of ``path`` and of its static ``twin`` (gzip accepted), measured together.

    Each thread alternates one request of each for ``seconds``, so both see the same load
    on a shared machine; a rate is the threads divided by the mean time of one request.
    """
    spent = {path: 0.0, twin: 0.0}
    count = {path: 0, twin: 0}
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker() -> None:
        while time.monotonic() < stop:
            for target in (twin, path):
                began = time.monotonic()
                status, _body = fetch(port, target, {"Accept-Encoding": "gzip"})
                took = time.monotonic() - began
                if status != 200:
                    raise RuntimeError(f"{target} answered {status}")
                with lock:
                    spent[target] += took
                    count[target] += 1

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return (
        threads * count[path] / spent[path],
        threads * count[twin] / spent[twin],
    )


def statements_per_request(url: str, paths: list[str], redis_url: str | None) -> dict[str, int]:
    """SQL statements of one warm (second) request per path, counted in this process."""
    from sqlalchemy import event as sa_event

    from core.app import create_app
    from core.db import get_db

    config = {"DATABASE_URL": url, "SECRET_KEY": SECRET, "SERVER_NAME": None}
    if redis_url:
        config["REDIS_URL"] = redis_url
    app = create_app(config)
    client = app.test_client()
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(args[2])

    counts = {}
    for path in paths:
        client.get(path)
        sa_event.listen(get_db(app).engine, "before_cursor_execute", record)
        seen.clear()
        client.get(path)
        sa_event.remove(get_db(app).engine, "before_cursor_execute", record)
        counts[path] = len(seen)
    get_db(app).dispose()
    return counts


def publish_delay(url: str, port: int, paths: list[str]) -> dict[str, float]:
    """Move a session, publish v2, and time until each path answers with the new version."""
    from sqlalchemy import select

    from core.db import Database
    from core.models import Event
    from plugins.symposium.models import Session
    from plugins.symposium.versions import publish

    database = Database(url)
    with database.transaction() as db:
        event = db.scalar(select(Event).where(Event.slug == SLUG))
        first = db.scalar(
            select(Session).where(Session.event_id == event.id).order_by(Session.id).limit(1)
        )
        first.duration_minutes = 45  # a change the published version records
        db.flush()
        publish(db, event, comment="bench v2")
    committed = time.monotonic()
    delays = {}
    for path in paths:
        tries = 0
        while True:
            tries += 1
            _status, body = fetch(port, path, {"Accept-Encoding": "gzip"})
            text = gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body
            if b"45 menit" in text or b'"version":2' in text or b"Versi 2" in text:
                break
            if time.monotonic() - committed > 30:
                raise RuntimeError(f"{path} did not show the new version in 30 s")
        delays[path] = (time.monotonic() - committed) * 1000
        if tries > 1:
            delays[path] = -delays[path]  # negative: not the very next request
    database.dispose()
    return delays


def run(size: int, args: argparse.Namespace, folder: Path) -> None:
    """Prepare ``size`` sessions, start gunicorn and print one table."""
    url = args.database_url or f"sqlite:///{folder}/bench-{size}.sqlite3"
    info = prepare(url, size)
    static = folder / f"static-{size}"
    static.mkdir()
    env = {
        **os.environ,
        "GELAR_DATABASE_URL": url,
        "GELAR_INSTANCE_PATH": str(folder / "instance"),
        "GELAR_SECRET_KEY": SECRET,
        "GELAR_BENCH_STATIC": str(static),
    }
    env.pop("GELAR_REDIS_URL", None)
    if args.redis_url:
        env["GELAR_REDIS_URL"] = args.redis_url
    base = f"/{SLUG}/symposium"
    paths = [
        f"{base}/",
        f"{base}/?day={DAYS[1].isoformat()}",
        f"{base}/?day=all",
        f"{base}/?room={info['room']}",
        f"{base}/sessions/{info['session']}",
        f"{base}/speakers/{info['speaker']}",
        f"/api/v1/events/{SLUG}/schedule",
        f"{base}/schedule.ics",
        f"{base}/schedule.ics?room={info['room']}",
    ]
    process = start_gunicorn(args.port, args.workers, env)
    try:
        sizes = {}
        for n, path in enumerate(paths):
            for _ in range(args.workers * 3):  # every worker builds or loads its entries
                fetch(args.port, path, {"Accept-Encoding": "gzip"})
            _status, raw = fetch(args.port, path)
            _status, wire = fetch(args.port, path, {"Accept-Encoding": "gzip"})
            name = f"twin-{n}.bin"
            (static / name).write_bytes(os.urandom(len(wire)))
            sizes[path] = (len(raw), len(wire), f"/bench-static/{name}")
            fetch(args.port, sizes[path][2])
        counts = statements_per_request(url, paths, args.redis_url)
        print(
            f"\n== {size} sessions, {ROOMS} rooms, {len(DAYS)} days, "
            f"{args.workers} sync workers, {'Redis' if args.redis_url else 'in-process'} cache, "
            f"{'PostgreSQL' if url.startswith('postgresql') else 'SQLite'} =="
        )
        print(
            f"{'URL':<44} {'req/s':>7} {'static':>7} {'ratio':>6} {'SQL':>4} "
            f"{'raw B':>8} {'gzip B':>7}"
        )
        for path in paths:
            page_rate, static_rate = paired_rates(
                args.port, path, sizes[path][2], args.seconds * args.rounds, args.threads
            )
            shown = path.replace(f"/{SLUG}", "/<ev>").replace(f"events/{SLUG}", "events/<ev>")
            print(
                f"{shown:<44} {page_rate:7.0f} {static_rate:7.0f} "
                f"{page_rate / static_rate:6.2f} {counts[path]:4d} "
                f"{sizes[path][0]:8d} {sizes[path][1]:7d}"
            )
        delays = publish_delay(url, args.port, [paths[2], paths[6], paths[4]])
        for path, ms in delays.items():
            note = "the very next request" if ms >= 0 else "NOT the very next request"
            print(f"new version served on {path}: {abs(ms):.0f} ms after commit ({note})")
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    """Parse the arguments and run each size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[150, 300])
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=6)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=5180)
    parser.add_argument("--database-url")
    parser.add_argument("--redis-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            run(size, args, Path(folder))


if __name__ == "__main__":
    main()

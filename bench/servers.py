"""Shared start-up code of the benchmarks: scratch databases, gunicorn servers, counts.

Not a benchmark itself (``make bench`` runs ``bench/bench_*.py``); the benchmarks import it
with ``bench/`` on ``sys.path``.
"""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


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


def free_port() -> int:
    """An unused loopback port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_gunicorn(target: str, port: int, workers: int, env: dict[str, str]) -> Any:
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
            target,
        ],
        env=env,
    )
    wait_for_port(port, process)
    return process


def wait_for_port(port: int, process: Any) -> None:
    """Wait until something answers on ``port``; stop ``process`` and raise if it never does."""
    for _ in range(400):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    process.terminate()
    raise RuntimeError(f"nothing answered on port {port}")


def warm_up(port: int, workers: int) -> None:
    """Let every worker load its app before timing (GET /health, many times in parallel)."""

    def hit() -> None:
        for _ in range(5):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request("GET", "/health")
            connection.getresponse().read()
            connection.close()

    pool = [threading.Thread(target=hit) for _ in range(workers * 4)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()


def count(url: str, sql: str) -> int:
    """One number from the database."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        value = connection.execute(text(sql)).scalar_one()
    engine.dispose()
    return int(value)

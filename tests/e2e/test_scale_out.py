"""Scale-out, proven (issue 17): two gunicorn instances behind nginx, one PostgreSQL, Redis.

``deploy/run-local.sh`` starts the deployment exactly as documented (two instances of two
workers each, Debian's nginx in front with its own prefix, the mail worker).  Through it:

* a switch made on one instance is obeyed by every worker of the other within 100 ms
  (closing the public vote), although each worker caches event state for 2 s;
* the vote race (one pass, many parallel requests) and the registration race (the last
  places of a quota) are decided by the database, whichever instance answers;
* the fault test: under vote load through nginx, ``kill -9`` of one instance's master —
  every vote answered 2xx is stored, the other instance keeps answering, and the rate
  limits stay shared (they live in Redis).

Needs PostgreSQL, Redis and nginx (``GELAR_TEST_REQUIRE=postgres,redis,nginx`` in CI).
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import TEST_SECRET, _truncate_postgres, skip_or_fail
from tests.e2e.scale_out_cluster import (
    API,
    QUOTA,
    WAITING,
    Cluster,
    call,
    free_ports,
    one,
    rows,
    seed,
    stored_codes,
)

ROOT = Path(__file__).resolve().parents[2]
NGINX = os.environ.get("GELAR_NGINX", "/usr/sbin/nginx")
REDIS_URL = os.environ.get("GELAR_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """``deploy/run-local.sh start`` on the seeded PostgreSQL test database."""
    import redis

    url = os.environ.get("GELAR_TEST_DATABASE_URL")
    if not url:
        skip_or_fail("postgres", "GELAR_TEST_DATABASE_URL is not set")
    if not Path(NGINX).exists() or shutil.which("curl") is None:
        skip_or_fail("nginx", f"nginx ({NGINX}) or curl is not installed")
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError as exc:
        skip_or_fail("redis", f"Redis is not reachable at {REDIS_URL}: {exc}")
    assert url is not None
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    from core import migrate

    migrate.upgrade(url)
    run_dir = tmp_path_factory.mktemp("scale-out")
    token, innovations, codes, registrations = seed(url, run_dir / "seed")
    base, nginx_port = free_ports(2), free_ports(1)
    env = {
        **os.environ,
        "GELAR_DATABASE_URL": url,
        "GELAR_REDIS_URL": REDIS_URL,
        "GELAR_SECRET_KEY": TEST_SECRET,
        "GELAR_INSTANCE_PATH": str(run_dir / "instance"),
        "GELAR_SIGNIN_RATE_LIMIT": "4 per 15 minutes",
        # Per address: every client here is 127.0.0.1, and Redis keeps counts between runs.
        "GELAR_SIGNIN_ADDRESS_RATE_LIMIT": "100000 per 15 minutes",
        "GELAR_LEAN_CACHE_SECONDS": "2",
        "RUN_DIR": str(run_dir),
        "INSTANCES": "2",
        "WORKERS": "2",
        "BASE_PORT": str(base),
        "NGINX_PORT": str(nginx_port),
        "NGINX_BIN": NGINX,
        "VENV": str(Path(sys.executable).parent.parent),
    }
    script = str(ROOT / "deploy" / "run-local.sh")
    log = run_dir / "run-local.log"
    try:
        with log.open("w") as output:  # a file, not a pipe: the daemons keep what they inherit
            started = subprocess.run(
                [script, "start"], env=env, stdout=output, stderr=output, timeout=120
            )
        assert started.returncode == 0, log.read_text()
        yield Cluster(
            f"http://127.0.0.1:{nginx_port}",
            nginx_port,
            [base, base + 1],
            run_dir,
            token,
            innovations,
            codes,
            registrations,
            threading.Lock(),
        )
    finally:
        subprocess.run([script, "stop"], env=env, capture_output=True, timeout=60)
        _truncate_postgres(url)


def _vote(cluster: Cluster, port: int, code: str, n: int = 0) -> tuple[int, Any]:
    innovation = cluster.innovations[n % len(cluster.innovations)]
    return call(port, "POST", f"{API}/innovations/{innovation}/votes", {"pass": code})


def test_nginx_sends_requests_to_both_instances_with_a_request_id(cluster: Cluster) -> None:
    status, body = call(cluster.nginx, "GET", "/ready")
    assert status == 200 and body["checks"] == {"database": "ok", "migrations": "ok", "redis": "ok"}
    connection = http.client.HTTPConnection("127.0.0.1", cluster.nginx, timeout=10)
    connection.request("GET", "/health")
    response = connection.getresponse()
    response.read()
    assert len(response.headers["X-Request-ID"]) == 32  # nginx's $request_id, passed on


def test_closing_the_vote_on_one_instance_stops_votes_on_the_other_within_100ms(
    cluster: Cluster,
) -> None:
    first, second = cluster.instances
    # Every worker of both instances has the open vote in its 2-second cache.
    for port in (first, second):
        for code in cluster.take(8):
            assert _vote(cluster, port, code)[0] == 201
    closes = (datetime.now(UTC) - timedelta(seconds=1)).isoformat()
    settings = f"{API}/plugins/voting/settings"
    status, _ = call(first, "PUT", settings, {"public_voting_closes_at": closes}, cluster.token)
    assert status == 200
    time.sleep(0.1)
    answers = [_vote(cluster, second, code) for code in cluster.take(8)]
    assert [a[0] for a in answers] == [409] * 8, answers
    assert {a[1]["error"]["code"] for a in answers} == {"voting_closed"}
    status, _ = call(second, "PUT", settings, {"public_voting_closes_at": None}, cluster.token)
    assert status == 200
    time.sleep(0.1)
    assert [_vote(cluster, first, code)[0] for code in cluster.take(8)] == [201] * 8


def _parallel(calls: list[Any]) -> list[Any]:
    results: list[Any] = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(index: int) -> None:
        barrier.wait(timeout=30)
        results[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_vote_race_through_nginx_counts_one_vote(cluster: Cluster) -> None:
    [code] = cluster.take(1)
    statuses = Counter(
        status for status, _ in _parallel([lambda: _vote(cluster, cluster.nginx, code)] * 16)
    )
    assert statuses == Counter({201: 1, 409: 15})
    assert stored_codes([code]) == {code}


def test_registration_race_through_nginx_fills_the_quota_exactly(cluster: Cluster) -> None:
    def approve(registration: int) -> Any:
        path = f"{API}/registrations/{registration}/decision"
        return call(cluster.nginx, "POST", path, {"status": "approved"}, cluster.token)

    last_mail = one("SELECT COALESCE(MAX(id), 0) FROM outbound_mail")
    answers = _parallel([lambda r=r: approve(r) for r in cluster.registrations])
    statuses = Counter(status for status, _ in answers)
    assert statuses == Counter({200: QUOTA, 409: WAITING}), answers
    status, body = call(
        cluster.nginx, "GET", f"{API}/registrations?status=approved", token=cluster.token
    )
    assert status == 200 and body["total"] == QUOTA
    # The decisions' mails went to the Redis queue; the mail worker process delivers them.
    query = f"SELECT status, COUNT(*) FROM outbound_mail WHERE id > {last_mail} GROUP BY status"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        mails = dict(rows(query))
        if mails and set(mails) == {"logged"}:
            break
        time.sleep(0.2)
    assert set(mails) == {"logged"} and mails["logged"] >= QUOTA, mails


@dataclass
class Answer:
    """One vote sent during the fault test."""

    at: float
    code: str
    status: int


def test_killing_one_instance_loses_no_acknowledged_vote(cluster: Cluster) -> None:
    first, second = cluster.instances
    email = f"nobody-{uuid.uuid4().hex[:8]}@example.id"
    wrong = {"email": email, "password": "wrong-password"}
    # Two failed sign-ins, one on each instance (the limit is 4 per 15 minutes).
    for port in (first, second):
        assert call(port, "POST", "/api/v1/auth/token", wrong)[0] == 401

    answers: list[Answer] = []
    lock = threading.Lock()
    stop = threading.Event()
    started = time.monotonic()

    def voter(n: int) -> None:
        while not stop.is_set():
            [code] = cluster.take(1)
            try:
                status, _ = _vote(cluster, cluster.nginx, code, n)
            except (OSError, http.client.HTTPException):  # cut off by the kill
                status = 0
            with lock:
                answers.append(Answer(time.monotonic() - started, code, status))

    threads = [threading.Thread(target=voter, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(1.5)
    killed_at = time.monotonic() - started
    os.kill(cluster.master_pid(first), signal.SIGKILL)
    time.sleep(3.0)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)

    acknowledged = [a.code for a in answers if 200 <= a.status < 300]
    assert stored_codes(acknowledged) == set(acknowledged)  # nothing acknowledged is lost
    before = [a for a in answers if a.at < killed_at]
    after = [a for a in answers if a.at > killed_at + 1.0]
    assert before and all(a.status == 201 for a in before)
    # The other instance keeps answering: every vote a second after the kill is counted.
    assert len(after) >= 20 and all(a.status == 201 for a in after), Counter(
        a.status for a in after
    )
    odd = Counter(a.status for a in answers if a.status not in (201, 502))
    assert not odd, odd  # only the requests caught in the dying instance may see a 502
    # The rate limit is shared: two more failures on the survivor, then the fifth is refused.
    for _ in range(2):
        assert call(cluster.nginx, "POST", "/api/v1/auth/token", wrong)[0] == 401
    assert call(cluster.nginx, "POST", "/api/v1/auth/token", wrong)[0] == 429
    assert call(second, "GET", "/ready")[0] == 200

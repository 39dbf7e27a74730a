"""Soak: gunicorn with 4 workers under mixed concurrent writes, ``gelar mail send`` alongside.

Issue 18: on the embedded SQLite default, concurrent writers must queue on the busy
timeout (``BEGIN IMMEDIATE``) instead of answering 500 "database is locked".  The test
seeds the demo event on a fresh migrated database (SQLite file, or the PostgreSQL test
database), starts gunicorn on a free port of 127.0.0.1 and, for a bounded time, sends from
client threads a mix of every write endpoint of the API (passes — some 2,000 at a time —,
votes, registrations and decisions, visitors, booths, rooms, sessions, roles, scores,
assignments, event and plugin settings), the main forms (CSRF token fetched from the form
first) and reads, while a loop runs ``gelar mail send``.  It asserts that no response is
≥ 500, that the mail sender never failed, and that every acknowledged write is stored.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from core import create_app
from core.db import get_db
from core.services.demo import DEMO_ADMIN, DEMO_JUDGE_PASSWORD, DEMO_ORGANIZER, DEMO_SLUG, seed_demo
from tests.conftest import TEST_SECRET

ROOT = Path(__file__).resolve().parents[2]
SOAK_SECONDS = float(os.environ.get("GELAR_SOAK_SECONDS", "12"))
CLIENT_THREADS = 8
WORKERS = 4
API = f"/api/v1/events/{DEMO_SLUG}"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Reply:
    """One HTTP answer: status and decoded JSON body (or text)."""

    status: int
    body: Any


class Client:
    """A tiny HTTP client with its own cookie jar (a browser) or bearer token (the API)."""

    def __init__(self, base: str, token: str | None = None) -> None:
        self.base = base
        self.token = token
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def call(self, method: str, path: str, body: Any = None, form: dict[str, str] | None = None):
        """Send one request; never raises for an HTTP status."""
        headers = {"Accept": "application/json"} if form is None else {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(
            self.base + path, data=data, method=method, headers=headers
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        try:
            return Reply(status, json.loads(raw))
        except ValueError:
            return Reply(status, raw.decode("utf-8", "replace"))

    def form_post(self, path: str, fields: dict[str, str]) -> Reply:
        """GET the form page for its CSRF token, then POST the form."""
        page = self.call("GET", path)
        match = CSRF.search(page.body if isinstance(page.body, str) else "")
        if page.status >= 500 or match is None:
            return page
        return self.call("POST", path, form={"csrf_token": match.group(1), **fields})


@dataclass
class Ledger:
    """What the clients saw: statuses per operation and the writes the server acknowledged."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    acked: Counter[str] = field(default_factory=Counter)
    vote_codes: set[str] = field(default_factory=set)
    visitor_emails: list[str] = field(default_factory=list)
    samples: dict[str, str] = field(default_factory=dict)

    def note(self, name: str, reply: Reply) -> None:
        with self.lock:
            self.statuses[(name, reply.status)] += 1
            if reply.status >= 400:
                self.samples.setdefault(name, f"{reply.status} {str(reply.body)[:300]}")
            if reply.status >= 500:
                self.failures.append(f"{name}: {reply.status} {str(reply.body)[:300]}")

    def ack(self, what: str, number: int = 1) -> None:
        with self.lock:
            self.acked[what] += number


def free_port() -> int:
    """An unused loopback port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def count(url: str, sql: str) -> int:
    """One number from the database."""
    engine = create_engine(url)
    with engine.connect() as connection:
        value = connection.execute(text(sql)).scalar_one()
    engine.dispose()
    return int(value)


@dataclass
class Soak:
    """The seeded database, its server and what the setup left for the clients."""

    url: str
    base: str
    env: dict[str, str]
    tokens: dict[str, str]
    innovation_ids: list[int]
    codes: list[str]
    judge_sheets: list[tuple[str, int]]
    criteria: list[dict[str, Any]]
    layout: dict[str, Any]


def _seed(url: str, instance: Path) -> tuple[dict[str, str], list[int], list[str], list[Any]]:
    """The demo event, opened for registrations, visitors, scoring and the public vote."""
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(instance),
            "SECRET_KEY": TEST_SECRET,
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": False,
        }
    )
    with get_db(app).transaction() as session:
        demo = seed_demo(session, app.extensions["gelar_plugins"])
        judges = [judge.email for judge in demo.judges]
    client = app.test_client()

    def token(email: str, password: str) -> str:
        reply = client.post("/api/v1/auth/token", json={"email": email, "password": password})
        assert reply.status_code == 200, reply.get_json()
        return str(reply.get_json()["token"])

    tokens = {"admin": token(DEMO_ADMIN[0], DEMO_ADMIN[2])}
    tokens["organizer"] = token(DEMO_ORGANIZER[0], DEMO_ORGANIZER[2])
    for n, email in enumerate(judges[:3]):
        tokens[f"judge{n}"] = token(email, DEMO_JUDGE_PASSWORD)
    organizer = {"Authorization": f"Bearer {tokens['organizer']}"}
    today = datetime.now(UTC).date()
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    future = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    setup = [
        (
            "PATCH",
            API,
            {
                "starts_on": (today - timedelta(days=1)).isoformat(),
                "ends_on": (today + timedelta(days=2)).isoformat(),
            },
        ),
        ("PUT", f"{API}/plugins/registration/settings", {"opens_at": past, "closes_at": future}),
        (
            "PUT",
            f"{API}/plugins/voting/settings",
            {"public_voting_opens_at": past, "scoring_open": True},
        ),
        ("POST", f"{API}/assignments/auto", {"judges_per_innovation": 2}),
    ]
    for method, path, body in setup:
        reply = client.open(path, method=method, json=body, headers=organizer)
        assert reply.status_code < 300, (path, reply.get_json())
    codes: list[str] = []
    reply = client.post(f"{API}/passes", json={"count": 2000}, headers=organizer)
    assert reply.status_code == 201, reply.get_json()
    codes += [item["code"] for item in reply.get_json()["items"]]
    innovations = client.get(f"{API}/innovations?limit=500").get_json()["items"]
    criteria = client.get(f"{API}/criteria", headers=organizer).get_json()["items"]
    registration = client.get(f"{API}/plugins/registration/settings", headers=organizer)
    exhibitors = client.get(f"{API}/plugins/exhibitors/settings", headers=organizer)
    floor = exhibitors.get_json()
    layout = {
        "category": registration.get_json()["categories"][0],
        "floor": (int(floor["floor_width"]), int(floor["floor_depth"])),
    }
    sheets: list[Any] = []
    for n in range(3):
        bearer = {"Authorization": f"Bearer {tokens[f'judge{n}']}"}
        mine = client.get(f"{API}/assignments?judge=me", headers=bearer).get_json()["items"]
        sheets += [(f"judge{n}", item["innovation"]["id"]) for item in mine]
    get_db(app).dispose()
    return tokens, [item["id"] for item in innovations], codes, [criteria, sheets, layout]


@pytest.fixture(scope="module")
def soak(live_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Soak]:
    """The seeded database served by gunicorn with 4 workers on 127.0.0.1."""
    instance = tmp_path_factory.mktemp("soak-instance")
    tokens, innovation_ids, codes, (criteria, sheets, layout) = _seed(live_database_url, instance)
    port = free_port()
    env = {
        **os.environ,
        "GELAR_DATABASE_URL": live_database_url,
        "GELAR_INSTANCE_PATH": str(instance),
        "GELAR_SECRET_KEY": TEST_SECRET,
        "GELAR_LEAN_CACHE_SECONDS": "1",
    }
    env.pop("GELAR_REDIS_URL", None)
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    process = subprocess.Popen(
        [
            gunicorn,
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--pythonpath",
            str(ROOT),
            "--log-level",
            "warning",
            "--timeout",
            "120",
            "core:create_app()",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        for _ in range(400):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.05)
        else:
            pytest.fail("gunicorn did not start")
        yield Soak(
            live_database_url,
            f"http://127.0.0.1:{port}",
            env,
            tokens,
            innovation_ids,
            codes,
            sheets,
            criteria,
            layout,
        )
    finally:
        process.terminate()
        process.wait(timeout=30)


def _operations(
    soak: Soak, ledger: Ledger
) -> list[Callable[[Client, dict[str, Client], int], None]]:
    """Every kind of request the clients send; each notes its reply and acknowledged writes."""
    codes = iter(soak.codes)
    codes_lock = threading.Lock()
    unique = itertools.count(1)
    registrations: list[int] = []
    sessions: list[int] = []

    def next_code() -> str | None:
        with codes_lock:
            return next(codes, None)

    def api(
        clients: dict[str, Client], who: str, name: str, method: str, path: str, body: Any = None
    ) -> Reply:
        reply = clients[who].call(method, path, body)
        ledger.note(name, reply)
        return reply

    def passes(_c: Client, clients: dict[str, Client], n: int) -> None:
        number = 2000 if n % 25 == 0 else random.randint(1, 40)
        reply = api(clients, "organizer", "passes", "POST", f"{API}/passes", {"count": number})
        if reply.status == 201:
            ledger.ack("passes", len(reply.body["items"]))

    def vote(_c: Client, clients: dict[str, Client], n: int) -> None:
        code = next_code()
        if code is None:
            return
        innovation = random.choice(soak.innovation_ids)
        reply = api(
            clients,
            "anonymous",
            "vote",
            "POST",
            f"{API}/innovations/{innovation}/votes",
            {"pass": code},
        )
        if reply.status == 201:
            with ledger.lock:
                ledger.vote_codes.add(code)
        if n % 7 == 0:  # the same pass again: 409, never 500
            api(
                clients,
                "anonymous",
                "vote-again",
                "POST",
                f"{API}/innovations/{innovation}/votes",
                {"pass": code},
            )

    def vote_signed_in(_c: Client, clients: dict[str, Client], n: int) -> None:
        """A vote sent with a bearer token (its session resolves the caller first)."""
        code = next_code()
        if code is None:
            return
        innovation = random.choice(soak.innovation_ids)
        reply = api(
            clients,
            "organizer",
            "vote-bearer",
            "POST",
            f"{API}/innovations/{innovation}/votes",
            {"pass": code},
        )
        if reply.status == 201:
            with ledger.lock:
                ledger.vote_codes.add(code)

    def register(_c: Client, clients: dict[str, Client], n: int) -> None:
        k = next(unique)
        body = {
            "organization": {
                "name": f"Dinas Soak {k}",
                "kind": "government",
                "region": "Jawa Timur",
            },
            "contact": {
                "name": f"Kontak {k}",
                "email": f"soak{k}@example.id",
                "phone": "081234567890",
            },
            "innovations": [
                {
                    "title": f"Inovasi soak {k}",
                    "summary": "Uji beban.",
                    "category": soak.layout["category"],
                }
            ],
            "accept_terms": True,
        }
        reply = api(clients, "anonymous", "registration", "POST", f"{API}/registrations", body)
        if reply.status == 201:
            ledger.ack("registrations")
            with ledger.lock:
                registrations.append(reply.body["id"])

    def decide(_c: Client, clients: dict[str, Client], n: int) -> None:
        if not registrations:
            register(_c, clients, n)  # something to decide on
        with ledger.lock:
            target = registrations.pop() if registrations else None
        if target is None:
            return
        status = random.choice(["approved", "rejected", "waitlisted"])
        api(
            clients,
            "organizer",
            "decision",
            "POST",
            f"{API}/registrations/{target}/decision",
            {"status": status, "reason": "soak"},
        )

    def visitor(_c: Client, clients: dict[str, Client], n: int) -> None:
        k = next(unique)
        reply = api(
            clients,
            "anonymous",
            "visitor",
            "POST",
            f"{API}/visitors",
            {"name": f"Pengunjung {k}", "email": f"visitor{k}@example.id"},
        )
        if reply.status == 201:
            ledger.ack("visitors")

    def booth(_c: Client, clients: dict[str, Client], n: int) -> None:
        k = next(unique)
        width, depth = soak.layout["floor"]
        body = {  # 1 m booths filled in from the back of the floor (the demo's are in front)
            "code": f"S{k}",
            "zone": "Soak",
            "x": k % width,
            "y": depth - 1 - (k // width) % depth,
            "width": 1,
            "height": 1,
        }
        reply = api(clients, "organizer", "booth", "POST", f"{API}/booths", body)
        if reply.status == 201:
            ledger.ack("booths")

    def assign_booths(_c: Client, clients: dict[str, Client], n: int) -> None:
        api(
            clients,
            "organizer",
            "booths-assign",
            "POST",
            f"{API}/booths/assign",
            {"strategy": "auto"},
        )

    def room(_c: Client, clients: dict[str, Client], n: int) -> None:
        k = next(unique)
        reply = api(
            clients,
            "organizer",
            "room",
            "POST",
            f"{API}/rooms",
            {"name": f"Ruang soak {k}", "capacity": 50},
        )
        if reply.status == 201:
            ledger.ack("rooms")

    def session(_c: Client, clients: dict[str, Client], n: int) -> None:
        k = next(unique)
        body = {
            "title": f"Sesi soak {k}",
            "kind": "talk",
            "duration_minutes": 30,
            "speakers": [{"name": f"Pembicara {k}", "email": f"speaker{k}@example.id"}],
        }
        reply = api(clients, "organizer", "session", "POST", f"{API}/sessions", body)
        if reply.status == 201:
            ledger.ack("sessions")
            with ledger.lock:
                sessions.append(reply.body["id"])

    def patch_session(_c: Client, clients: dict[str, Client], n: int) -> None:
        if not sessions:
            session(_c, clients, n)  # something to change
        with ledger.lock:
            target = random.choice(sessions) if sessions else None
        if target is not None:
            api(
                clients,
                "organizer",
                "session-patch",
                "PATCH",
                f"{API}/sessions/{target}",
                {"title": f"Sesi soak diubah {n}"},
            )

    def schedule(_c: Client, clients: dict[str, Client], n: int) -> None:
        api(clients, "organizer", "schedule-auto", "POST", f"{API}/schedule/auto", {})

    def role(_c: Client, clients: dict[str, Client], n: int) -> None:
        k = next(unique)
        reply = api(
            clients,
            "organizer",
            "role",
            "POST",
            f"{API}/roles",
            {"email": f"juri{k}@example.id", "role": "judge"},
        )
        if reply.status == 201:
            ledger.ack("roles")

    def score(_c: Client, clients: dict[str, Client], n: int) -> None:
        if not soak.judge_sheets:
            return
        who, innovation = random.choice(soak.judge_sheets)
        scores = {c["key"]: random.randint(int(c["min"]), int(c["max"])) for c in soak.criteria}
        api(
            clients,
            who,
            "scores",
            "PUT",
            f"{API}/innovations/{innovation}/scores",
            {"scores": scores, "comment": f"soak {n}", "draft": True},
        )

    def settings(_c: Client, clients: dict[str, Client], n: int) -> None:
        api(clients, "organizer", "event-patch", "PATCH", API, {"venue": f"Banyuwangi {n}"})
        api(
            clients,
            "organizer",
            "voting-settings",
            "PUT",
            f"{API}/plugins/voting/settings",
            {"public_weight": 0},
        )

    def form_vote(browser: Client, _clients: dict[str, Client], n: int) -> None:
        code = next_code()
        if code is None:
            return
        innovation = random.choice(soak.innovation_ids)
        reply = browser.form_post(f"/{DEMO_SLUG}/voting/vote/{innovation}", {"pass": code})
        ledger.note("form-vote", reply)
        if reply.status == 200:  # a refused vote answers 403/404/409 with the page
            with ledger.lock:
                ledger.vote_codes.add(code)

    def form_visitor(browser: Client, _clients: dict[str, Client], n: int) -> None:
        k = next(unique)
        email = f"tamu{k}@example.id"
        reply = browser.form_post(
            f"/{DEMO_SLUG}/registration/visit", {"name": f"Tamu {k}", "email": email}
        )
        ledger.note("form-visitor", reply)
        if reply.status == 200:
            with ledger.lock:
                ledger.visitor_emails.append(email)

    def form_passes(organizer: Client, _clients: dict[str, Client], n: int) -> None:
        reply = organizer.form_post(f"/{DEMO_SLUG}/manage/passes", {"count": "5"})
        ledger.note("form-passes", reply)
        if reply.status == 200:  # redirected to the list after the commit
            ledger.ack("passes", 5)

    def reads(browser: Client, clients: dict[str, Client], n: int) -> None:
        for path in (
            f"/{DEMO_SLUG}",
            f"/{DEMO_SLUG}/exhibitors/",
            f"{API}/innovations",
            f"{API}/votes/tally",
            f"{API}/registrations",
            "/api/v1/me",
            f"{API}/schedule",
            f"{API}/results",
        ):
            ledger.note(f"GET {path}", clients["organizer"].call("GET", path))
        ledger.note("GET catalogue", browser.call("GET", f"/{DEMO_SLUG}/exhibitors/?q=pajak"))

    weighted = [
        (vote, 8),
        (vote_signed_in, 3),
        (passes, 3),
        (register, 3),
        (decide, 2),
        (visitor, 2),
        (booth, 2),
        (assign_booths, 1),
        (room, 1),
        (session, 2),
        (patch_session, 1),
        (schedule, 1),
        (role, 1),
        (score, 3),
        (settings, 1),
        (form_vote, 3),
        (form_visitor, 1),
        (form_passes, 1),
        (reads, 3),
    ]
    return [operation for operation, weight in weighted for _ in range(weight)]


def _mail_loop(soak: Soak, stop: threading.Event, problems: list[str]) -> int:
    """Run ``gelar mail send`` again and again until ``stop``; returns how many runs."""
    runs = 0
    gelar = str(Path(sys.executable).with_name("gelar"))
    while not stop.is_set():
        done = subprocess.run(
            [gelar, "mail", "send"],
            env=soak.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        runs += 1
        if done.returncode != 0:
            problems.append(f"gelar mail send exited {done.returncode}: {done.stderr[-500:]}")
    return runs


def _signed_in_organizer(soak: Soak) -> Client:
    """A browser signed in as the organizer through the real form (shared by the threads)."""
    organizer = Client(soak.base)
    signed_in = organizer.form_post(
        "/auth/login", {"email": DEMO_ORGANIZER[0], "password": DEMO_ORGANIZER[2]}
    )
    assert signed_in.status == 200, signed_in.status
    return organizer


def _clients(soak: Soak, organizer: Client) -> dict[str, Client]:
    """One thread's clients: bearer API users, an anonymous visitor, a signed-in organizer."""
    clients = {who: Client(soak.base, token) for who, token in soak.tokens.items()}
    clients["anonymous"] = Client(soak.base)
    clients["browser"] = Client(soak.base)
    clients["organizer-browser"] = organizer
    return clients


def test_concurrent_writes_never_fail_and_are_all_stored(soak: Soak) -> None:
    """Mixed writes from 8 threads against 4 workers (+ mail sender): no 5xx, nothing lost."""
    url = soak.url
    before = {
        "passes": count(url, "SELECT COUNT(*) FROM visitor_passes WHERE holder_email IS NULL"),
        "votes": count(url, "SELECT COUNT(*) FROM voting_votes"),
    }
    ledger = Ledger()
    operations = _operations(soak, ledger)
    organizer = _signed_in_organizer(soak)
    browsers = {"form_vote", "form_visitor", "reads"}
    stop = threading.Event()
    mail_problems: list[str] = []
    mail_runs: list[int] = []
    errors: list[BaseException] = []

    def client_thread(seed: int) -> None:
        try:
            clients = _clients(soak, organizer)
            chooser = random.Random(seed)
            deadline = time.monotonic() + SOAK_SECONDS
            kinds = list(dict.fromkeys(operations))  # each kind once, spread over the threads
            first = kinds[seed::CLIENT_THREADS]
            n = seed
            while first or time.monotonic() < deadline:
                operation = first.pop(0) if first else chooser.choice(operations)
                name = operation.__name__
                own = clients["organizer-browser"] if name == "form_passes" else clients["browser"]
                operation(
                    own if name in browsers | {"form_passes"} else clients["anonymous"], clients, n
                )
                n += CLIENT_THREADS
        except BaseException as exc:  # reported below, with the thread's traceback
            errors.append(exc)

    mailer = threading.Thread(
        target=lambda: mail_runs.append(_mail_loop(soak, stop, mail_problems))
    )
    mailer.start()
    threads = [threading.Thread(target=client_thread, args=(n,)) for n in range(CLIENT_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stop.set()
    mailer.join()
    assert not errors, errors
    assert ledger.failures == [], ledger.failures[:10]
    assert mail_problems == [], mail_problems
    assert mail_runs and mail_runs[0] >= 1
    # Something of each kind happened, so the mix really covered the write paths.
    seen = {name for name, status in ledger.statuses if status < 300}
    for name in (
        "passes",
        "vote",
        "vote-bearer",
        "registration",
        "decision",
        "visitor",
        "booth",
        "room",
        "session",
        "session-patch",
        "schedule-auto",
        "role",
        "scores",
        "event-patch",
        "voting-settings",
        "form-vote",
        "form-visitor",
        "form-passes",
    ):
        assert name in seen, (name, ledger.samples.get(name), sorted(ledger.statuses.items()))
    answered = {name for name, _status in ledger.statuses}
    assert {"vote-again", "booths-assign"} <= answered
    # Every acknowledged write is stored.
    stored_passes = count(url, "SELECT COUNT(*) FROM visitor_passes WHERE holder_email IS NULL")
    assert stored_passes == before["passes"] + ledger.acked["passes"]
    stored_votes = count(url, "SELECT COUNT(*) FROM voting_votes")
    assert stored_votes == before["votes"] + len(ledger.vote_codes)
    counted = count(
        url,
        "SELECT COUNT(*) FROM voting_votes v JOIN visitor_passes p ON p.id = v.pass_id"
        " WHERE p.code IN (" + ",".join(f"'{c}'" for c in ledger.vote_codes or {"-"}) + ")",
    )
    assert counted == len(ledger.vote_codes)
    checks = {
        "registrations": "SELECT COUNT(*) FROM registration_registrations r JOIN organizations o"
        " ON o.id = r.organization_id WHERE o.name LIKE 'Dinas Soak %'",
        "booths": "SELECT COUNT(*) FROM exhibitors_booths WHERE zone = 'Soak'",
        "rooms": "SELECT COUNT(*) FROM symposium_rooms WHERE name LIKE 'Ruang soak %'",
        "sessions": "SELECT COUNT(*) FROM symposium_sessions WHERE title LIKE 'Sesi soak %'",
        "roles": "SELECT COUNT(*) FROM event_roles r JOIN users u ON u.id = r.user_id"
        " WHERE u.email LIKE 'juri%@example.id'",
    }
    for what, sql in checks.items():
        assert count(url, sql) == ledger.acked[what], what
    visitors = count(url, "SELECT COUNT(*) FROM visitor_passes WHERE holder_email LIKE 'visitor%'")
    assert visitors == ledger.acked["visitors"]
    for email in ledger.visitor_emails:
        sql = f"SELECT COUNT(*) FROM visitor_passes WHERE holder_email = '{email}'"
        assert count(url, sql) == 1, email
    # The mail sender beside the server drained the queue (nothing stuck half-sent).
    gelar = str(Path(sys.executable).with_name("gelar"))
    subprocess.run([gelar, "mail", "send"], env=soak.env, cwd=ROOT, check=True, timeout=120)
    assert count(url, "SELECT COUNT(*) FROM outbound_mail WHERE status = 'queued'") == 0

"""The scale-out test's cluster: its record, a tiny HTTP client, ports, seed, SQL reads."""

from __future__ import annotations

import http.client
import json
import os
import socket
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from core import create_app
from core.db import get_db
from core.models import Innovation, Organization
from core.services import accounts, passes, plugin_settings
from tests.conftest import TEST_SECRET, Factory
from tests.plugins.registration.conftest import OPEN_WINDOW, set_settings, submit

SLUG = "scale-2026"
API = f"/api/v1/events/{SLUG}"
ORGANIZER = "panitia@scale.example.id"
QUOTA, WAITING = 2, 6


@dataclass
class Cluster:
    """The running deployment and what the seed made."""

    url: str
    nginx: int
    instances: list[int]
    run_dir: Path
    token: str
    innovations: list[int]
    codes: list[str]
    registrations: list[int]
    lock: threading.Lock

    def take(self, count: int) -> list[str]:
        """Unused pass codes."""
        with self.lock:
            taken, self.codes[:] = self.codes[:count], self.codes[count:]
        return taken

    def master_pid(self, port: int) -> int:
        """The gunicorn master of the instance on ``port``."""
        return int((self.run_dir / f"gunicorn-{port}.pid").read_text().strip())


def call(port: int, method: str, path: str, body: Any = None, token: str | None = None):
    """One request to 127.0.0.1:``port``; (status, JSON body or None)."""
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(
            method, path, body=None if body is None else json.dumps(body), headers=headers
        )
        response = connection.getresponse()
        raw = response.read()
    finally:
        connection.close()
    try:
        return response.status, json.loads(raw)
    except ValueError:
        return response.status, None


def free_ports(count: int) -> int:
    """The first of ``count`` consecutive free loopback ports."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            first = int(probe.getsockname()[1])
        if first + count > 65000:
            continue
        sockets = []
        try:
            for port in range(first, first + count):
                candidate = socket.socket()
                sockets.append(candidate)
                candidate.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
        finally:
            for candidate in sockets:
                candidate.close()
    raise RuntimeError("no free ports")


def seed(url: str, instance: Path) -> tuple[str, list[int], list[str], list[int]]:
    """The event (registration and voting on), innovations, passes, registrations, a token."""
    app = create_app(
        {
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(instance),
            "SECRET_KEY": TEST_SECRET,
            "SERVER_NAME": "gelar.test",
        }
    )
    with app.app_context():
        session = get_db(app).new_session()
        make = Factory(app, session)
        organizer = make.user(ORGANIZER, "Panitia")
        event = make.event(
            SLUG,
            plugins=["registration", "voting"],
            organizer=organizer,
            starts_on=date(2999, 12, 10),
            ends_on=date(2999, 12, 11),
        )
        set_settings(app, session, event, **OPEN_WINDOW, exhibitor_quota=QUOTA)
        registry = app.extensions["gelar_plugins"]
        registrations = [
            submit(session, registry, event, f"Dinas {n}").id for n in range(QUOTA + WAITING)
        ]
        event = session.merge(event)
        opens = {"public_voting_opens_at": "2001-01-01T00:00:00+00:00"}
        plugin_settings.update_settings(session, registry, event, "voting", opens)
        agency = Organization(name="Agency", region="Jawa Timur")
        session.add(agency)
        session.flush()
        innovations = [
            Innovation(
                event_id=event.id,
                organization_id=agency.id,
                title=f"Inovasi {n}",
                category="public",
                status="accepted",
            )
            for n in range(10)
        ]
        session.add_all(innovations)
        session.flush()
        codes = [p.code for _ in range(2) for p in passes.issue_passes(session, event, 2000)]
        token, _expires = accounts.issue_api_token(session, organizer, 24)
        ids = [i.id for i in innovations]
        session.commit()
        session.close()
    get_db(app).dispose()
    return token, ids, codes, registrations


def stored_codes(codes: list[str]) -> set[str]:
    """The codes among ``codes`` whose vote is in the database."""
    query = "SELECT p.code FROM voting_votes v JOIN visitor_passes p ON p.id = v.pass_id"
    return {row[0] for row in rows(query)} & set(codes)


def rows(sql: str) -> list[Any]:
    """The rows of one query on the test database, on a connection of its own."""
    engine = create_engine(os.environ["GELAR_TEST_DATABASE_URL"])
    with engine.connect() as connection:
        found = [tuple(row) for row in connection.execute(text(sql))]
    engine.dispose()
    return found


def one(sql: str) -> Any:
    """The first value of one query."""
    return rows(sql)[0][0]

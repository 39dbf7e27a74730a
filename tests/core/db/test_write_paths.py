"""Issue 18: every path that writes either queues for the write lock or never holds it long.

SQLite has one write lock.  A writer that asks for it with ``BEGIN IMMEDIATE`` (or as the
first statement of an autocommit write) waits up to the busy timeout; a read transaction
that later writes fails at once.  These tests pin each path down: the mail sender, the
people's-choice vote (lean and general path), pass generation, a GET that writes, the
CLI beside a server and concurrent migrations.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session

from core import create_app
from core.db import Database, WriteInReadTransaction, get_db, get_session, utcnow
from core.models import Event, Innovation, Organization, OutboundMail, VisitorPass
from core.services import mail, passes
from plugins.voting.models import VotingVote
from tests.conftest import TEST_SECRET

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def held_write_lock() -> Iterator[Any]:
    """Hold SQLite's write lock from another connection for ``seconds`` (in a thread)."""
    threads: list[threading.Thread] = []

    def _hold(url: str, seconds: float) -> threading.Event:
        taken = threading.Event()

        def _run() -> None:
            raw = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
            raw.execute("BEGIN IMMEDIATE")
            taken.set()
            time.sleep(seconds)
            raw.execute("COMMIT")
            raw.close()

        thread = threading.Thread(target=_run)
        thread.start()
        threads.append(thread)
        assert taken.wait(10)
        return taken

    yield _hold
    for thread in threads:
        thread.join(timeout=30)


def _write_lock_is_free(url: str) -> bool:
    """Whether another connection gets the write lock right now, without waiting."""
    raw = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=0, isolation_level=None)
    try:
        raw.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        assert "database is locked" in str(exc)
        return False
    else:
        raw.execute("ROLLBACK")
        return True
    finally:
        raw.close()


# --- the mail sender -----------------------------------------------------------------


def _queue(db: Session, number: int = 1) -> list[int]:
    messages = [
        mail.queue(db, recipient=f"r{n}@example.id", subject="Halo", body_text="Isi")
        for n in range(number)
    ]
    db.commit()
    return [message.id for message in messages]


SMTP = {"MAIL_SERVER": "smtp.example.id", "MAIL_DEFAULT_SENDER": "Gelar <noreply@example.id>"}


def test_mail_sender_holds_no_lock_while_the_smtp_server_answers(
    app: Flask, db: Session, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a message is with SMTP, other writers (and a second sender) are not held up.

    Before issue 18 the sender kept its transaction — on SQLite the database's only write
    lock — open for the whole SMTP conversation, so a slow mail server made every request
    that writes wait, and past the busy timeout fail with "database is locked".
    """
    [message_id] = _queue(db)
    seen: dict[str, Any] = {}

    def slow_send(email: EmailMessage, _config: dict[str, Any]) -> None:
        url = get_db(app).url
        if backend == "sqlite":
            seen["lock_free"] = _write_lock_is_free(url)
        other = get_db(app).new_session()
        try:  # another sender at the same moment finds nothing to send (the lease)
            seen["second_sender"] = mail.deliver_pending(other, SMTP)
            # ...and any writer can change the row now (PostgreSQL: no row lock either)
            row = other.scalar(
                select(OutboundMail)
                .where(OutboundMail.id == message_id)
                .with_for_update(nowait=True)
            )
            seen["row_status"] = row.status if row is not None else None
            other.commit()
        finally:
            other.close()
        seen["to"] = email["To"]

    monkeypatch.setattr(mail, "_send_smtp", slow_send)
    with app.app_context():
        assert mail.deliver_pending(db, SMTP) == 1
    assert seen["to"] == "r0@example.id"
    assert seen["second_sender"] == 0
    assert seen["row_status"] == "queued"
    if backend == "sqlite":
        assert seen["lock_free"] is True
    db.expire_all()
    stored = db.get(OutboundMail, message_id)
    assert stored is not None
    assert (stored.status, stored.attempts, stored.error) == ("sent", 1, None)


def test_a_lease_left_by_a_dead_sender_runs_out(db: Session) -> None:
    """A message claimed by a sender that died is sent again once its lease has run out."""
    fresh, stale = _queue(db, 2)
    rows = {row.id: row for row in db.scalars(select(OutboundMail))}
    rows[fresh].sent_at = utcnow()
    rows[fresh].attempts = 1
    rows[stale].sent_at = utcnow() - mail.CLAIM_LEASE - timedelta(seconds=1)
    rows[stale].attempts = 1
    db.commit()
    assert mail.deliver_pending(db, {"MAIL_SERVER": None}) == 1
    db.expire_all()
    assert db.get(OutboundMail, fresh).status == "queued"  # type: ignore[union-attr]
    assert db.get(OutboundMail, stale).status == "logged"  # type: ignore[union-attr]
    assert db.get(OutboundMail, stale).attempts == 2  # type: ignore[union-attr]


def test_failed_smtp_releases_the_lease_for_the_next_run(
    db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refused message stays queued without a lease, so the next run tries it again."""
    [message_id] = _queue(db)

    def refuse(_email: EmailMessage, _config: dict[str, Any]) -> None:
        raise ConnectionRefusedError("connection refused")

    monkeypatch.setattr(mail, "_send_smtp", refuse)
    assert mail.deliver_pending(db, SMTP) == 0
    db.expire_all()
    stored = db.get(OutboundMail, message_id)
    assert stored is not None
    assert (stored.status, stored.sent_at, stored.attempts) == ("queued", None, 1)
    assert "refused" in (stored.error or "")
    monkeypatch.undo()
    assert mail.deliver_pending(db, {"MAIL_SERVER": None}) == 1


def test_mail_send_cli_waits_for_a_busy_database(
    app: Flask, db: Session, backend: str, held_write_lock: Any
) -> None:
    """``gelar mail send`` beside a server that holds the write lock queues, then sends."""
    if backend != "sqlite":
        pytest.skip("the write lock is SQLite's")
    _queue(db, 3)
    held_write_lock(get_db(app).url, 0.6)
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert "3 message(s) delivered." in result.output


# --- a GET that writes -----------------------------------------------------------------


def test_a_write_in_a_get_request_session_is_refused_in_strict_mode(
    app: Flask, backend: str
) -> None:
    """A GET's session reads in a deferred transaction; writing there raises at once.

    Without the guard such a write works while the database is quiet and fails with
    "database is locked" (no waiting) as soon as another writer is busy.
    """
    with app.test_request_context("/", method="GET"):
        session = get_session()
        session.add(Organization(name="Dinas Uji", kind="government", region=""))
        if backend == "sqlite":
            with pytest.raises(WriteInReadTransaction):
                session.flush()
        else:
            session.flush()  # PostgreSQL has no such lock upgrade: the guard is SQLite's
        session.rollback()
    with app.test_request_context("/", method="POST"):
        session = get_session()
        session.add(Organization(name="Dinas Uji", kind="government", region=""))
        session.commit()
    with get_db(app).transaction() as session:  # the way for a GET to write
        session.add(Organization(name="Dinas Uji 2", kind="government", region=""))


def test_outside_strict_mode_the_write_is_logged(
    sqlite_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """In production (``SQLITE_STRICT_READS`` off) the write goes ahead and is logged."""
    app = create_app(
        {
            "TESTING": False,
            "DATABASE_URL": sqlite_url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SECRET_KEY": TEST_SECRET,
        }
    )
    try:
        with app.test_request_context("/", method="GET"), caplog.at_level(logging.WARNING):
            session = get_session()
            session.add(Organization(name="Dinas Log", kind="government", region=""))
            session.commit()
        assert "read-only (deferred) SQLite transaction" in caplog.text
    finally:
        get_db(app).dispose()


def test_strict_reads_follows_the_config(sqlite_url: str, tmp_path: Path) -> None:
    """``SQLITE_STRICT_READS`` wins over the testing default."""
    app = create_app(
        {
            "TESTING": True,
            "SQLITE_STRICT_READS": False,
            "DATABASE_URL": sqlite_url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SECRET_KEY": TEST_SECRET,
        }
    )
    try:
        with app.test_request_context("/", method="GET"):
            session = get_session()
            session.add(Organization(name="Dinas Longgar", kind="government", region=""))
            session.commit()
    finally:
        get_db(app).dispose()


# --- the vote and pass generation under a held write lock -----------------------------


@pytest.fixture
def open_vote(app: Flask, db: Session, make: Any, api_token: Any) -> dict[str, Any]:
    """An event with the public vote open, one accepted innovation and an organizer."""
    organizer = make.user("panitia@example.id", "Panitia")
    event = make.event("jatim-2026", plugins=["voting"], organizer=organizer)
    from core.services import plugin_settings

    plugin_settings.update_settings(
        db,
        app.extensions["gelar_plugins"],
        db.merge(event),
        "voting",
        {"public_voting_opens_at": "2001-01-01T00:00:00+00:00"},
    )
    organization = Organization(name="Dinas", kind="government", region="")
    db.add(organization)
    db.flush()
    innovation = Innovation(
        event_id=event.id,
        organization_id=organization.id,
        title="Inovasi",
        category="public",
        status="accepted",
    )
    db.add(innovation)
    db.commit()
    codes = [p.code for p in passes.issue_passes(db, db.merge(event), 3)]
    db.commit()
    return {
        "event": event,
        "innovation": innovation.id,
        "codes": codes,
        "headers": api_token("panitia@example.id"),
    }


@pytest.mark.parametrize("path", ["api", "form"])
def test_vote_waits_for_the_write_lock_instead_of_failing(
    app: Flask,
    client: Any,
    backend: str,
    open_vote: dict[str, Any],
    held_write_lock: Any,
    path: str,
) -> None:
    """Another writer holds the lock for a while: the vote waits and is counted.

    The API's lean path writes with one autocommit ``INSERT … SELECT`` (a writer from its
    first step, so the busy timeout applies); the form takes the general path through the
    request's session, which begins IMMEDIATE.
    """
    if backend != "sqlite":
        pytest.skip("the write lock is SQLite's")
    innovation = open_vote["innovation"]
    held_write_lock(get_db(app).url, 0.5)
    started = time.perf_counter()
    if path == "api":
        response = client.post(
            f"/api/v1/events/jatim-2026/innovations/{innovation}/votes",
            json={"pass": open_vote["codes"][0]},
        )
        assert response.status_code == 201, response.get_json()
    else:
        response = client.post(
            f"/jatim-2026/voting/vote/{innovation}", data={"pass": open_vote["codes"][0]}
        )
        assert response.status_code == 200, response.get_data(as_text=True)
    assert time.perf_counter() - started >= 0.3  # it did wait for the lock
    with get_db(app).transaction() as session:
        assert session.scalar(select(func.count()).select_from(VotingVote)) == 1


@pytest.mark.parametrize("signed_in", ["bearer", "cookie"])
def test_a_vote_by_a_signed_in_caller_does_not_wait_for_its_own_lock(
    app: Flask,
    client: Any,
    auth: Any,
    backend: str,
    open_vote: dict[str, Any],
    signed_in: str,
) -> None:
    """The lean vote with a bearer token (or a sign-in cookie) answers at once, 201.

    Resolving the caller opens the request's session, and in a POST on SQLite that is a
    ``BEGIN IMMEDIATE``: before issue 18 the vote's autocommit ``INSERT`` then waited for
    the write lock its own request held, until the busy timeout ran out — 15 s of every
    other writer waiting, then "database is locked" (the fuzzer's 500s).
    """
    database = get_db(app)
    if backend == "sqlite":
        database.dispose()
        app.extensions["gelar_db"] = Database(database.url, busy_timeout_ms=1500)
    headers = open_vote["headers"] if signed_in == "bearer" else {}
    if signed_in == "cookie":
        assert auth.login("panitia@example.id").status_code in (200, 302)
    try:
        started = time.perf_counter()
        response = client.post(
            f"/api/v1/events/jatim-2026/innovations/{open_vote['innovation']}/votes",
            json={"pass": open_vote["codes"][2]},
            headers=headers,
        )
        assert response.status_code == 201, response.get_data(as_text=True)
        assert time.perf_counter() - started < 1.0
        with get_db(app).transaction() as session:
            assert session.scalar(select(func.count()).select_from(VotingVote)) == 1
    finally:
        if backend == "sqlite":
            get_db(app).dispose()


def test_passes_wait_for_the_write_lock_instead_of_failing(
    app: Flask, client: Any, backend: str, open_vote: dict[str, Any], held_write_lock: Any
) -> None:
    """POST /passes while another writer holds the lock: it waits, then issues all."""
    if backend != "sqlite":
        pytest.skip("the write lock is SQLite's")
    held_write_lock(get_db(app).url, 0.5)
    response = client.post(
        "/api/v1/events/jatim-2026/passes", json={"count": 50}, headers=open_vote["headers"]
    )
    assert response.status_code == 201, response.get_json()
    assert len(response.get_json()["items"]) == 50


def test_a_busy_timeout_that_runs_out_answers_503_not_500(
    app: Flask, client: Any, backend: str, open_vote: dict[str, Any], held_write_lock: Any
) -> None:
    """Past the busy timeout the request answers 503 with Retry-After, never a 500."""
    if backend != "sqlite":
        pytest.skip("the write lock is SQLite's")
    database = get_db(app)
    database.dispose()
    app.extensions["gelar_db"] = Database(database.url, busy_timeout_ms=100, strict_reads=True)
    try:
        held_write_lock(database.url, 1.0)
        response = client.post(
            "/api/v1/events/jatim-2026/passes", json={"count": 5}, headers=open_vote["headers"]
        )
        assert response.status_code == 503, response.get_data(as_text=True)
        body = response.get_json()
        assert body["error"]["code"] == "database_busy"
        assert response.headers["Retry-After"] == "1"
    finally:
        get_db(app).dispose()


def test_a_pass_batch_is_one_insert_and_all_or_nothing(
    app: Flask, db: Session, open_vote: dict[str, Any]
) -> None:
    """2,000 passes: one INSERT statement and one SELECT; a failure stores none of them."""
    event_row = db.merge(open_vote["event"])
    statements: list[str] = []
    engine = get_db(app).engine

    def _note(_c: Any, _cur: Any, statement: str, *_a: Any) -> None:
        statements.append(statement.lstrip().split(None, 1)[0].upper())

    event.listen(engine, "before_cursor_execute", _note)
    try:
        issued = passes.issue_passes(db, event_row, passes.MAX_PASSES_PER_REQUEST)
    finally:
        event.remove(engine, "before_cursor_execute", _note)
    assert len(issued) == passes.MAX_PASSES_PER_REQUEST
    assert len({p.code for p in issued}) == passes.MAX_PASSES_PER_REQUEST
    assert all(p.id is not None for p in issued)
    assert [p.id for p in issued] == sorted(p.id for p in issued)
    inserts = [s for s in statements if s == "INSERT"]
    assert len(inserts) <= 2  # the passes (one statement) and the audit row
    db.rollback()
    total = db.scalar(
        select(func.count()).select_from(VisitorPass).where(VisitorPass.event_id == event_row.id)
    )
    assert total == 3  # the fixture's; the rolled-back batch left nothing


def test_pass_codes_stay_uniform_over_the_alphabet() -> None:
    """The one-draw code generator uses every letter of the alphabet, in the grouped form."""
    codes = [passes.new_code() for _ in range(3000)]
    letters = {ch for code in codes for ch in code.replace("-", "")}
    assert letters == set("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
    assert all(len(code) == 12 and code[4] == code[9] == "-" for code in codes)
    assert len(set(codes)) == len(codes)


# --- migrations on start ----------------------------------------------------------------


def test_concurrent_upgrades_of_a_fresh_file_all_succeed(tmp_path: Path) -> None:
    """Several ``gelar db upgrade`` at once (e.g. every container on start): no lock error.

    Each upgrade runs in one ``BEGIN IMMEDIATE`` transaction, so the others wait and then
    find the database at head.
    """
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    env = {
        **os.environ,
        "GELAR_DATABASE_URL": url,
        "GELAR_INSTANCE_PATH": str(tmp_path / "instance"),
        "GELAR_SECRET_KEY": TEST_SECRET,
    }
    gelar = str(Path(sys.executable).with_name("gelar"))
    processes = [
        subprocess.Popen(
            [gelar, "db", "upgrade"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [process.communicate(timeout=120)[0] for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0], outputs
    database = Database(url)
    try:
        with database.engine.connect() as connection:
            heads = connection.execute(text("SELECT COUNT(*) FROM alembic_version")).scalar()
            assert heads and heads >= 1
            assert connection.execute(select(Event.id)).first() is None
    finally:
        database.dispose()


def test_a_long_write_transaction_is_logged_with_its_request(
    app: Flask, backend: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whoever holds SQLite's write lock too long is named in the log (others waited)."""
    if backend != "sqlite":
        pytest.skip("the write lock is SQLite's")
    import core.db

    monkeypatch.setattr(core.db, "SLOW_WRITE_SECONDS", 0.05)
    with app.test_request_context("/slow/path", method="POST"), caplog.at_level(logging.WARNING):
        session = get_session()
        session.execute(select(Event.id)).all()
        time.sleep(0.1)
        session.commit()
    assert "write lock held" in caplog.text and "POST /slow/path" in caplog.text
    caplog.clear()
    with app.test_request_context("/quick", method="POST"), caplog.at_level(logging.WARNING):
        session = get_session()
        session.execute(select(Event.id)).all()
        session.commit()
    assert "write lock held" not in caplog.text


def test_a_second_write_transaction_inside_a_writing_request_is_refused(
    app: Flask, backend: str
) -> None:
    """On SQLite, ``transaction()`` under a request that holds the lock would wait for itself."""
    with app.test_request_context("/", method="POST"):
        get_session().execute(select(Event.id)).all()  # BEGIN IMMEDIATE: the lock is held
        if backend == "sqlite":
            with pytest.raises(WriteInReadTransaction), get_db(app).transaction():
                pass
        get_session().commit()
        with get_db(app).transaction() as session:  # after the commit it is fine
            session.add(Organization(name="Dinas Kedua", kind="government", region=""))
    with app.test_request_context("/", method="GET"):
        get_session().execute(select(Event.id)).all()  # a read snapshot holds no lock
        with get_db(app).transaction() as session:
            session.add(Organization(name="Dinas Ketiga", kind="government", region=""))

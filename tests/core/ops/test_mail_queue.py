"""Mail off the request (issue 17): the RQ queue carries outbox ids to ``gelar mail worker``."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import update

from core import create_app, mail_queue
from core.db import get_db, utcnow
from core.models import OutboundMail
from core.services import mail
from tests.core.ops.conftest import REDIS_URL
from tests.core.web.conftest import mails


class RefusingSMTP:
    """An SMTP server that cannot be reached."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise ConnectionRefusedError("smtp down")


@pytest.fixture
def queued_app(app_config: dict[str, Any], redis_client: Any) -> Any:
    """The app with Redis configured (so mail goes to the queue), the queue emptied."""
    application = create_app({**app_config, "REDIS_URL": REDIS_URL})
    with application.app_context():
        mail_queue.mail_queue(application).empty()
    yield application
    with application.app_context():
        mail_queue.mail_queue(application).empty()
    get_db(application).dispose()


def _ask_for_reset(application: Flask, make_user: Any) -> None:
    client = application.test_client()
    response = client.post("/auth/forgot", data={"email": "ani@example.id"})
    assert response.status_code == 302


def test_request_queues_the_id_and_the_worker_delivers_it(queued_app: Flask, make: Any) -> None:
    make.user("ani@example.id", "Ani")
    _ask_for_reset(queued_app, make)
    with queued_app.app_context():
        session = get_db(queued_app).new_session()
        [message] = mails(session, "ani@example.id")
        assert message.status == "queued"  # not sent in the request
        assert mail_queue.queue_depth(queued_app) == 1
        mail_queue.run_worker(queued_app, burst=True)
        [message] = mails(session, "ani@example.id")
        assert message.status == "logged" and message.attempts == 1
        assert mail_queue.queue_depth(queued_app) == 0
        session.close()


def test_refused_delivery_is_retried_later_not_lost(
    queued_app: Flask, make: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rq.registry import ScheduledJobRegistry

    queued_app.config["MAIL_SERVER"] = "smtp.example.id"
    monkeypatch.setattr(smtplib, "SMTP", RefusingSMTP)
    make.user("ani@example.id", "Ani")
    _ask_for_reset(queued_app, make)
    with queued_app.app_context():
        session = get_db(queued_app).new_session()
        mail_queue.run_worker(queued_app, burst=True)
        [message] = mails(session, "ani@example.id")
        assert message.status == "queued" and message.attempts == 1
        assert "smtp down" in (message.error or "")
        assert message.sent_at is None  # the lease is released for the retry
        scheduled = ScheduledJobRegistry(queue=mail_queue.mail_queue(queued_app))
        assert len(scheduled) == 1  # RQ tries again after the first backoff interval
        scheduled.remove(scheduled.get_job_ids()[0], delete_job=True)
        session.close()


def test_a_worker_killed_mid_send_leaves_a_lease_the_sweep_delivers(db: Any, app: Flask) -> None:
    message = mail.queue(db, recipient="budi@example.id", subject="Halo", body_text="Isi")
    db.commit()
    # The worker claimed it (attempts + 1, lease stamped) and died before recording.
    assert mail._claim_next(db, [], "", message_id=message.id) is not None
    assert mail.deliver_one(db, {}, message.id) == "skipped"  # leased: nobody else sends it
    assert mail_queue.sweep(app) == 0  # neither the sweep while the lease runs
    past = utcnow() - mail.CLAIM_LEASE - timedelta(minutes=1)
    db.execute(update(OutboundMail).values(sent_at=past, created_at=past))
    db.commit()
    assert mail_queue.sweep(app) == 1
    [delivered] = mails(db, "budi@example.id")
    assert delivered.status == "logged" and delivered.attempts == 2


def test_unreachable_redis_sends_in_the_request(app_config: dict[str, Any], make: Any) -> None:
    application = create_app({**app_config, "REDIS_URL": "redis://127.0.0.1:1/0"})
    make.user("ani@example.id", "Ani")
    _ask_for_reset(application, make)
    with application.app_context():
        session = get_db(application).new_session()
        [message] = mails(session, "ani@example.id")
        assert message.status == "logged"
        session.close()
    get_db(application).dispose()


def test_without_redis_the_worker_command_explains(runner: Any) -> None:
    result = runner.invoke(args=["mail", "worker", "--burst"])
    assert result.exit_code == 1
    assert "gelar mail send" in result.output

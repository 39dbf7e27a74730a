"""Mail off the request: an RQ queue over ``GELAR_REDIS_URL`` carries outbox ids to a worker.

The outbox row (:class:`~core.models.OutboundMail`) stays the truth; the queue carries only
its id.  After a request's commit the ids it queued are enqueued here; ``gelar mail worker``
runs an RQ worker that delivers each with :func:`core.services.mail.deliver_one`:

* a refused delivery raises, and RQ tries again after ``RETRY_INTERVALS`` (backoff), as
  long as the row has attempts left (``MAX_ATTEMPTS``, then it is marked ``failed``);
* a worker killed mid-send leaves the row claimed with a lease; the worker's sweep (every
  ``SWEEP_SECONDS``, for rows older than ``SWEEP_AGE``) and ``gelar mail send`` pick up every
  row still queued once its lease ran out, so nothing is lost (at-least-once delivery);
* when Redis cannot be reached at enqueue time the request sends at once, as without Redis.

Without Redis nothing here runs: mail is sent after the commit (``MAIL_SEND_IMMEDIATELY``)
and ``gelar mail send`` (cron) delivers what is left in the outbox.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from flask import Flask, current_app

from core.redis_store import redis_client

log = logging.getLogger("gelar.mail")

QUEUE_NAME = "gelar-mail"
# Seconds between tries of a refused message (RQ's retry with backoff).
RETRY_INTERVALS = (10, 60, 300, 900)
SWEEP_SECONDS = 300
SWEEP_AGE = timedelta(minutes=5)
JOB_TIMEOUT_SECONDS = 120


class MailNotDelivered(RuntimeError):
    """The SMTP server refused or could not be reached; RQ retries the job later."""


def uses_queue(app: Flask) -> bool:
    """Whether the app hands mail to the worker: ``MAIL_QUEUE`` on and Redis configured."""
    return bool(app.config.get("MAIL_QUEUE") and app.config.get("REDIS_URL"))


def mail_queue(app: Flask) -> Any:
    """The RQ queue of the app's Redis (``uses_queue`` must be true)."""
    from rq import Queue

    return Queue(QUEUE_NAME, connection=redis_client(app))


def enqueue(app: Flask, message_ids: Iterable[int]) -> bool:
    """Put the ids on the queue; ``False`` when Redis refused (the caller sends them)."""
    from rq import Retry

    ids = list(message_ids)
    if not ids:
        return True
    try:
        queue = mail_queue(app)
        for message_id in ids:
            queue.enqueue_call(
                "core.mail_queue.deliver_job",
                args=(message_id,),
                timeout=JOB_TIMEOUT_SECONDS,
                retry=Retry(max=len(RETRY_INTERVALS), interval=list(RETRY_INTERVALS)),
                description=f"mail {message_id}",
            )
    except Exception as exc:  # Redis down: the outbox rows are there; send them now
        log.warning("mail queue: Redis refused %s, sending in the request: %s", ids, exc)
        return False
    return True


def deliver_job(message_id: int) -> str:
    """The worker's job: deliver one outbox row; raise to be retried while attempts are left."""
    from core.db import get_db
    from core.services import mail

    with get_db().transaction() as session:
        outcome = mail.deliver_one(session, current_app.config, message_id)
        if outcome == "failed" and mail.attempts_left(session, message_id) > 0:
            raise MailNotDelivered(f"mail {message_id} not delivered, will retry")
    return outcome


def queue_depth(app: Flask) -> int | None:
    """Jobs waiting in the queue (``None`` without the queue or when Redis is unreachable)."""
    if not uses_queue(app):
        return None
    try:
        return int(mail_queue(app).count)
    except Exception:
        return None


def sweep(app: Flask) -> int:
    """Deliver outbox rows the queue did not (lost jobs, leases of killed workers)."""
    from core.db import get_db
    from core.services import mail

    with app.app_context(), get_db(app).transaction() as session:
        return mail.deliver_pending(session, app.config, limit=1000, older_than=SWEEP_AGE)


def _sweep_forever(app: Flask, stop: threading.Event, every: float) -> None:
    while not stop.wait(every):
        try:
            swept = sweep(app)
            if swept:
                log.info("mail worker: the sweep delivered %d message(s)", swept)
        except Exception:
            log.exception("mail worker: sweep failed")


def run_worker(app: Flask, *, burst: bool = False, sweep_seconds: float = SWEEP_SECONDS) -> None:
    """Run the RQ worker in this process (no fork: one app, one pool), sweeping alongside."""
    from rq import SimpleWorker

    stop = threading.Event()
    sweeper = threading.Thread(
        target=_sweep_forever, args=(app, stop, sweep_seconds), daemon=True, name="mail-sweep"
    )
    if not burst:
        sweep(app)
        sweeper.start()
    try:
        worker = SimpleWorker([mail_queue(app)], connection=redis_client(app))
        with app.app_context():
            worker.work(burst=burst, with_scheduler=True)
    finally:
        stop.set()

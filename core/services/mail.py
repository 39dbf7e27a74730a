"""Outbound mail: a queue table and a sender (SMTP when configured, else the log)."""

from __future__ import annotations

import logging
import re
import smtplib
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.db import utcnow
from core.models import OutboundMail

log = logging.getLogger("gelar.mail")
# Set on a session's ``info`` when it queued mail, so a commit knows to run the sender.
QUEUED_FLAG = "gelar_mail_queued"
# The messages a session queued (their ids go to the worker's queue after the commit).
QUEUED_MESSAGES = "gelar_mail_messages"
MAX_ATTEMPTS = 5


def queue(
    session: Session,
    *,
    recipient: str,
    subject: str,
    body_text: str,
    body_html: str | None = None,
    locale: str = "id",
    event_id: int | None = None,
) -> OutboundMail:
    """Queue a message; it is sent after the transaction that queued it commits."""
    message = OutboundMail(
        recipient=recipient,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        locale=locale,
        event_id=event_id,
    )
    session.add(message)
    session.info[QUEUED_FLAG] = True
    session.info.setdefault(QUEUED_MESSAGES, []).append(message)
    return message


def _build(message: OutboundMail, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain="gelar.local")
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    return email


def deliver_pending(
    session: Session,
    config: dict[str, Any],
    *,
    limit: int = 100,
    older_than: timedelta | None = None,
) -> int:
    """Send queued messages; returns how many left the queue (sent or logged).

    Without ``MAIL_SERVER`` the message is written to the log and marked ``logged`` — the
    organizer console's outbox shows that it went out, with its links redacted.

    No transaction is open while a message is handed to SMTP (or the log): each message
    is first *claimed* in a short transaction (``attempts`` + 1 and a lease stamped in
    ``sent_at`` while it stays ``queued``; ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, the
    ``BEGIN IMMEDIATE`` write lock on SQLite), then sent with no lock held, then its outcome
    is recorded in a second short transaction.  So a slow or unreachable SMTP server never
    holds SQLite's single write lock (which would make every other writer wait out the
    busy timeout), two senders never send the same message, and a sender that dies
    mid-send leaves a lease that runs out after ``CLAIM_LEASE`` so the message is retried.

    ``older_than`` leaves out messages queued more recently (the mail worker's sweep: the
    queue delivers those).
    """
    done = 0
    tried: list[int] = []
    session.commit()  # start from a clean slate: nothing of the caller's stays locked
    for _ in range(limit):
        claimed = _claim_next(
            session, tried, config.get("MAIL_DEFAULT_SENDER") or "", older_than=older_than
        )
        if claimed is None:
            break
        message_id, email, summary = claimed
        tried.append(message_id)
        error = _deliver(email, summary, config)
        if _record(session, message_id, error, smtp=bool(config.get("MAIL_SERVER"))):
            done += 1
    return done


def deliver_one(session: Session, config: dict[str, Any], message_id: int) -> str:
    """Send the queued message ``message_id`` (the mail worker's job); the outcome.

    ``"done"`` (sent or logged), ``"failed"`` (refused; ``attempts`` tells whether it may be
    tried again), or ``"skipped"`` (not queued any more — already sent, given up on,
    deleted — or claimed by another sender right now).  Claim, send and record as in
    :func:`deliver_pending`, so the outbox row stays the truth: a sender killed mid-send
    leaves a lease that runs out, and the message is sent again (at least once).
    """
    session.commit()
    claimed = _claim_next(
        session, [], config.get("MAIL_DEFAULT_SENDER") or "", message_id=message_id
    )
    if claimed is None:
        return "skipped"
    _id, email, summary = claimed
    error = _deliver(email, summary, config)
    _record(session, message_id, error, smtp=bool(config.get("MAIL_SERVER")))
    return "failed" if error else "done"


def attempts_left(session: Session, message_id: int) -> int:
    """How many more times the message may be tried (0 once sent, failed or deleted)."""
    message = session.get(OutboundMail, message_id, populate_existing=True)
    session.commit()
    if message is None or message.status != "queued":
        return 0
    return max(0, MAX_ATTEMPTS - message.attempts)


# A claimed message whose sender vanished (killed mid-send) is offered again after this.
CLAIM_LEASE = timedelta(minutes=10)


def _claim_next(
    session: Session,
    tried: list[int],
    sender: str,
    *,
    message_id: int | None = None,
    older_than: timedelta | None = None,
) -> tuple[int, EmailMessage, tuple[str, str, str]] | None:
    """Take the next queued message in one short transaction; ``None`` when none is left."""
    now = utcnow()
    query = (
        select(OutboundMail)
        .where(
            OutboundMail.status == "queued",
            OutboundMail.attempts < MAX_ATTEMPTS,
            (OutboundMail.sent_at.is_(None)) | (OutboundMail.sent_at < now - CLAIM_LEASE),
        )
        .order_by(OutboundMail.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if tried:
        query = query.where(OutboundMail.id.not_in(tried))
    if message_id is not None:
        query = query.where(OutboundMail.id == message_id)
    if older_than is not None:
        query = query.where(OutboundMail.created_at < now - older_than)
    try:
        message = session.scalar(query)
        if message is None:
            session.commit()
            return None
        message.attempts += 1
        message.sent_at = now  # the lease while it is being sent
        claimed = (
            message.id,
            _build(message, sender),
            (message.recipient, message.subject, message.body_text),
        )
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return claimed


def _deliver(email: EmailMessage, summary: tuple[str, str, str], config: dict[str, Any]) -> str:
    """Send or log one built message (no database access); the error text, ``""`` when done."""
    recipient, subject, body_text = summary
    try:
        if config.get("MAIL_SERVER"):
            _send_smtp(email, config)
        else:
            log.info(
                "mail (no SMTP server configured) to=%s subject=%s\n%s",
                recipient,
                subject,
                body_text,
            )
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("mail to %s failed: %s", recipient, exc)
        return str(exc)[:500] or exc.__class__.__name__
    return ""


def _record(session: Session, message_id: int, error: str, *, smtp: bool) -> bool:
    """Store a delivery's outcome in one short transaction; whether it left the queue."""
    try:
        message = session.get(OutboundMail, message_id, populate_existing=True)
        if message is None:  # deleted meanwhile (e.g. its event was erased)
            session.commit()
            return False
        if error:
            message.error = error
            message.sent_at = None  # lease released: a later run tries again
            if message.attempts >= MAX_ATTEMPTS:
                message.status = "failed"
        else:
            message.status = "sent" if smtp else "logged"
            message.sent_at = utcnow()
            message.error = None
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return not error


def _send_smtp(email: EmailMessage, config: dict[str, Any]) -> None:
    host, port = config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 587)
    smtp_class = smtplib.SMTP_SSL if config.get("MAIL_USE_SSL") else smtplib.SMTP
    with smtp_class(host, port, timeout=20) as smtp:
        if config.get("MAIL_USE_TLS") and not config.get("MAIL_USE_SSL"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(email)


def outbox(
    session: Session, *, event_id: int | None, limit: int = 100, offset: int = 0
) -> tuple[list[OutboundMail], int]:
    """Messages for an event (``None``: site-wide ones), newest first, with the count."""
    query = select(OutboundMail).where(
        OutboundMail.event_id.is_(None) if event_id is None else OutboundMail.event_id == event_id
    )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = list(
        session.scalars(query.order_by(OutboundMail.id.desc()).limit(limit).offset(offset))
    )
    return items, total


# Any web address: links in mails carry capabilities (password, verification and status
# links, pass pages), so views for anybody but the recipient hide them all.
_URL = re.compile(r"""(?i)\b(?:https?://|www\.)[^\s<>"'()\[\]]+""")
_API_TOKEN = re.compile(r"\bglr_[A-Za-z0-9_\-]+")


def redact(text: str | None, marker: str) -> str:
    """``text`` with every web address and API token replaced by ``marker``.

    The outbox shows organizers that a mail went out, to whom and about what; the links in
    it belong to the recipient alone (a password link shown to an organizer would let the
    organizer take the account over).
    """
    return _API_TOKEN.sub(marker, _URL.sub(marker, text or ""))


def may_see_full_bodies(user: Any, config: dict[str, Any]) -> bool:
    """Only a site admin on a development instance sees mail bodies with their links."""
    return bool(
        user is not None
        and getattr(user, "is_admin", False)
        and config.get("ENV_NAME") == "development"
    )

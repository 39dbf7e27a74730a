"""Outbound mail: the queue, the sender (log or SMTP), the outbox, languages."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from typing import Any

import pytest
from sqlalchemy.orm import Session

from core.models import OutboundMail
from core.services import mail
from tests.core.web.conftest import mails


class FakeSMTP:
    """Stands in for ``smtplib.SMTP``: records what would have been sent."""

    sent: list[EmailMessage] = []
    calls: list[tuple[str, Any]] = []
    fail_with: Exception | None = None

    def __init__(self, host: str, port: int, timeout: float = 0) -> None:
        self.calls.append(("connect", (host, port)))

    def __enter__(self) -> FakeSMTP:
        return self

    def __exit__(self, *exc: object) -> None:
        self.calls.append(("quit", None))

    def starttls(self) -> None:
        self.calls.append(("starttls", None))

    def login(self, user: str, password: str) -> None:
        self.calls.append(("login", (user, password)))

    def send_message(self, message: EmailMessage) -> None:
        if self.fail_with is not None:
            raise self.fail_with
        self.sent.append(message)


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> type[FakeSMTP]:
    """Replace smtplib's SMTP classes with a recorder (fresh per test)."""
    recorder = type("Recorder", (FakeSMTP,), {"sent": [], "calls": [], "fail_with": None})
    monkeypatch.setattr(smtplib, "SMTP", recorder)
    monkeypatch.setattr(smtplib, "SMTP_SSL", type("RecorderSSL", (recorder,), {}))
    return recorder


SMTP_CONFIG = {
    "MAIL_SERVER": "smtp.example.id",
    "MAIL_PORT": 2525,
    "MAIL_USE_TLS": True,
    "MAIL_USE_SSL": False,
    "MAIL_USERNAME": "gelar",
    "MAIL_PASSWORD": "rahasia",
    "MAIL_DEFAULT_SENDER": "Gelar <noreply@example.id>",
}


def _queue_one(db: Session, **extra: Any) -> OutboundMail:
    message = mail.queue(
        db, recipient="ani@example.id", subject="Halo", body_text="Isi pesan", **extra
    )
    db.commit()
    return message


def test_without_a_server_mail_is_logged_and_marked(
    db: Session, caplog: pytest.LogCaptureFixture, smtp: type[FakeSMTP]
) -> None:
    _queue_one(db)
    with caplog.at_level(logging.INFO, logger="gelar.mail"):
        assert mail.deliver_pending(db, {"MAIL_SERVER": None}) == 1
    [message] = mails(db)
    assert message.status == "logged" and message.sent_at is not None and message.attempts == 1
    assert "ani@example.id" in caplog.text and "Isi pesan" in caplog.text
    assert smtp.sent == []
    assert mail.deliver_pending(db, {"MAIL_SERVER": None}) == 0  # nothing left


def test_with_a_server_mail_goes_through_smtp(db: Session, smtp: type[FakeSMTP]) -> None:
    _queue_one(db, body_html="<p>Isi pesan</p>")
    assert mail.deliver_pending(db, SMTP_CONFIG) == 1
    [sent] = smtp.sent
    assert sent["To"] == "ani@example.id"
    assert sent["From"] == "Gelar <noreply@example.id>"
    assert sent["Subject"] == "Halo"
    assert "Isi pesan" in sent.get_body(("plain",)).get_content()
    assert "<p>Isi pesan</p>" in sent.get_body(("html",)).get_content()
    assert ("connect", ("smtp.example.id", 2525)) in smtp.calls
    assert ("starttls", None) in smtp.calls
    assert ("login", ("gelar", "rahasia")) in smtp.calls
    assert mails(db)[0].status == "sent"


def test_ssl_server_without_login(db: Session, smtp: type[FakeSMTP]) -> None:
    _queue_one(db)
    config = {**SMTP_CONFIG, "MAIL_USE_SSL": True, "MAIL_USERNAME": None}
    mail.deliver_pending(db, config)
    assert len(smtp.sent) == 1
    assert ("starttls", None) not in smtp.calls
    assert not any(call == "login" for call, _ in smtp.calls)


def test_failed_sending_is_retried_then_given_up(db: Session, smtp: type[FakeSMTP]) -> None:
    _queue_one(db)
    smtp.fail_with = smtplib.SMTPRecipientsRefused({"ani@example.id": (550, b"no such user")})
    assert mail.deliver_pending(db, SMTP_CONFIG) == 0
    [message] = mails(db)
    assert message.status == "queued" and message.attempts == 1 and message.error
    for _ in range(mail.MAX_ATTEMPTS):
        mail.deliver_pending(db, SMTP_CONFIG)
    [message] = mails(db)
    assert message.status == "failed" and message.attempts == mail.MAX_ATTEMPTS
    smtp.fail_with = None
    assert mail.deliver_pending(db, SMTP_CONFIG) == 0  # a failed message is not retried forever


def test_unreachable_server_keeps_the_message_queued(db: Session, smtp: type[FakeSMTP]) -> None:
    _queue_one(db)
    smtp.fail_with = ConnectionRefusedError("connection refused")
    mail.deliver_pending(db, SMTP_CONFIG)
    assert mails(db)[0].status == "queued"


def test_outbox_is_per_event(db: Session, make: Any) -> None:
    one, other = make.event("jatim-2026"), make.event("jateng-2026")
    mail.queue(db, recipient="a@example.id", subject="A", body_text="a", event_id=one.id)
    mail.queue(db, recipient="b@example.id", subject="B", body_text="b", event_id=other.id)
    mail.queue(db, recipient="c@example.id", subject="C", body_text="c")
    db.commit()
    items, total = mail.outbox(db, event_id=one.id)
    assert total == 1 and items[0].recipient == "a@example.id"
    items, total = mail.outbox(db, event_id=None)
    assert total == 1 and items[0].recipient == "c@example.id"


def test_web_requests_send_through_smtp_when_configured(
    app: Any, client: Any, make: Any, db: Session, smtp: type[FakeSMTP]
) -> None:
    app.config.update(SMTP_CONFIG)
    make.user()
    client.post("/auth/forgot", data={"email": "user@example.id"})
    [sent] = smtp.sent
    assert sent["To"] == "user@example.id"
    assert "/auth/reset/" in sent.get_content()
    assert mails(db)[0].status == "sent"


def test_mail_follows_the_recipients_language(
    app: Any, client: Any, make: Any, db: Session
) -> None:
    app.config["BABEL_DEFAULT_LOCALE"] = "id"
    english = make.user("en@example.id", "English Reader")
    english.locale = "en"
    make.user("id@example.id", "Pembaca")
    db.commit()
    client.post("/auth/forgot", data={"email": "en@example.id"})
    client.post("/auth/forgot", data={"email": "id@example.id"})
    [to_english] = mails(db, "en@example.id")
    [to_indonesian] = mails(db, "id@example.id")
    assert to_english.locale == "en" and to_indonesian.locale == "id"
    assert to_english.subject == "Reset your Gelar password"
    assert to_english.body_text.startswith("Hello English Reader,")
    assert to_indonesian.subject != to_english.subject  # translated
    assert not to_indonesian.body_text.startswith("Hello")


def test_cli_mail_send_delivers_the_queue(runner: Any, db: Session) -> None:
    mail.queue(db, recipient="a@example.id", subject="A", body_text="a")
    db.commit()
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert "1 message(s) delivered." in result.output
    assert mails(db)[0].status == "logged"
